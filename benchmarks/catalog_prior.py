"""Evidence for the selector's prior: every default-catalog strategy on keel-binary sets.

Each dataset gets one stratified 5-fold split (seed 0), every strategy of the default catalog
is fitted on each training fold, and its test-fold predictions are scored with each metric of
``METRICS`` (one benchmark run, :func:`skewlearn.bench.run_bench`).  A strategy's prior
advantage for a metric is its mean score less the mean of all strategies on the same dataset,
averaged over the datasets; ``run_selection`` pulls noisy fold means toward "this dataset's
average plus the strategy's advantage elsewhere" (see ``skewlearn.select.CatalogPrior``).

    .venv/bin/python benchmarks/catalog_prior.py --max-n 400 --n-jobs 2

Writes benchmarks/results/<tag>.md, and the advantages to src/skewlearn/select/catalog_prior.json;
every fold result is committed to results/data/<tag>.sqlite (git-ignored) as it finishes, so a
stopped run resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd

from skewlearn.bench import run_bench
from skewlearn.datasets import list_datasets
from skewlearn.evaluation import SQLiteStore
from skewlearn.select._prior import PRIOR_FILE

METRICS = ("f1", "mcc", "balanced_accuracy", "gmean", "average_precision")
RESULTS = Path(__file__).parent / "results"
DATA = RESULTS / "data"  # git-ignored: the results store


def fold_scores(store: SQLiteStore) -> pd.DataFrame:
    """Every successful (dataset, strategy, fold) score, one row per metric."""
    records = store.records()
    records = records[records["status"] == "ok"]
    return records.melt(
        id_vars=["dataset", "strategy", "fold"],
        value_vars=list(METRICS),
        var_name="metric",
        value_name="score",
    )


def advantages(scores: pd.DataFrame) -> pd.DataFrame:
    """(metric x strategy) mean advantage over the average strategy of the same dataset,
    over the datasets where every strategy ran."""
    means = scores.groupby(["metric", "dataset", "strategy"])["score"].mean().unstack()
    means = means.dropna()
    return means.sub(means.mean(axis=1), axis=0).groupby(level="metric").mean()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=1000)
    parser.add_argument("--n-splits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--tag", default="catalog-prior")
    args = parser.parse_args()
    table = list_datasets("keel-binary")
    eligible = table[table["n_samples"] <= args.max_n].sort_values("n_samples")
    eligible = eligible[
        eligible["class_counts"].map(lambda c: min(c.values())) >= 3 * args.n_splits
    ]
    names = eligible["name"].tolist()
    DATA.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with SQLiteStore(DATA / f"{args.tag}.sqlite") as store:
        run = run_bench(
            store,
            [f"keel-binary/{name}" for name in names],
            "catalog",
            cv=args.n_splits,
            repeats=1,
            seed=args.seed,
            metrics=METRICS,
            n_jobs=args.n_jobs,
            on_start=lambda todo, done: print(f"{done} tasks already done, {todo} to run"),
        )
        scores = fold_scores(store)
    print(f"{run.ran} tasks run, {run.failed} failed, {run.skipped} skipped", flush=True)
    scores.to_csv(DATA / f"{args.tag}-scores.csv", index=False)
    table = advantages(scores)
    complete = scores.groupby(["metric", "dataset", "strategy"])["score"].mean().unstack()
    n_datasets = complete.dropna().groupby(level="metric").size().to_dict()
    command = (
        f"python benchmarks/catalog_prior.py --max-n {args.max_n} --n-splits {args.n_splits} "
        f"--seed {args.seed} --n-jobs {args.n_jobs} --tag {args.tag}"
    )
    PRIOR_FILE.write_text(
        json.dumps(
            {
                "source": f"{command} ({len(names)} keel-binary sets, n <= {args.max_n})",
                "advantage": {m: table.loc[m].round(4).to_dict() for m in table.index},
            },
            indent=1,
        )
        + "\n"
    )
    lines = [
        "# Prior advantage of each default-catalog strategy on keel-binary",
        "",
        f"Command: `{command}`; {time.perf_counter() - start:.0f} s for the datasets run now.",
        f"Datasets: {len(names)} (n <= {args.max_n}); mean score less the mean of all "
        "strategies on the same dataset, averaged over datasets.",
        "",
        "| strategy | " + " | ".join(table.index) + " |",
        "|---|" + "---:|" * len(table.index),
    ]
    for strategy in table.loc["f1"].sort_values(ascending=False).index:
        values = " | ".join(f"{table.loc[m, strategy]:+.4f}" for m in table.index)
        lines.append(f"| {strategy} | {values} |")
    lines.append(f"\nDatasets with every strategy scored, per metric: {n_datasets}")
    (RESULTS / f"{args.tag}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
