"""Evidence for the selector's prior: every default-catalog strategy on keel-binary sets.

Each dataset gets one stratified 5-fold split (seed 0), every strategy of the default catalog
is fitted on each training fold, and its test-fold predictions are scored with each metric of
``METRICS``.  A strategy's prior advantage for a metric is its mean score less the mean of all
strategies on the same dataset, averaged over the datasets; ``run_selection`` pulls noisy fold
means toward "this dataset's average plus the strategy's advantage elsewhere" (see
``skewlearn.select.CatalogPrior``).

    .venv/bin/python benchmarks/catalog_prior.py --max-n 400 --n-jobs 2

Writes benchmarks/results/<tag>.md, and the advantages to src/skewlearn/select/catalog_prior.json;
every fold score goes to results/data/<tag>-scores.csv (git-ignored), and each finished dataset is
appended to results/data/<tag>-progress.jsonl first, so a stopped run resumes where it stopped.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _progress import Progress
from joblib import Parallel, delayed

from skewlearn.datasets import list_datasets, load_dataset
from skewlearn.select import (
    EvaluationPlan,
    LocalEngine,
    MemoryStore,
    NoStopping,
    Objective,
    TableSchema,
    TaskInfo,
    default_catalog,
    run_selection,
)
from skewlearn.select._prior import PRIOR_FILE

METRICS = ("f1", "mcc", "balanced_accuracy", "gmean", "average_precision")
RESULTS = Path(__file__).parent / "results"
DATA = RESULTS / "data"  # git-ignored: progress log and row dump


def fold_scores(name: str, n_splits: int, seed: int) -> list[dict]:
    """Every (strategy, fold) score of one dataset, for every metric."""
    warnings.filterwarnings("ignore")
    data = load_dataset(f"keel-binary/{name}")
    X = TableSchema.from_frame(data.X).conform(data.X)
    y = data.y.to_numpy()
    folds = EvaluationPlan(n_splits, 1, random_state=seed).folds(y)
    selection = run_selection(
        default_catalog(),
        X,
        y,
        objective=Objective(METRICS[0], np.unique(y), y),
        folds=folds,
        task=TaskInfo.from_data(X, y, n_splits=n_splits),
        engine=LocalEngine(1),
        stopping=NoStopping(),
        store=MemoryStore(),
        random_state=seed,
    )
    objectives = {metric: Objective(metric, np.unique(y), y) for metric in METRICS}
    rows = []
    for result in selection.results:
        if result.failed:
            continue
        y_true = y[result.test_index]
        for metric, objective in objectives.items():
            rows.append(
                {
                    "dataset": name,
                    "strategy": result.strategy,
                    "fold": result.fold,
                    "metric": metric,
                    "score": objective.score(y_true, result.y_pred, result.y_proba),
                }
            )
    return rows


def _scored(name: str, n_splits: int, seed: int) -> tuple[str, list[dict]]:
    return name, fold_scores(name, n_splits, seed)


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
    config = {
        "n_splits": args.n_splits,
        "seed": args.seed,
        "catalog": [s.name for s in default_catalog()],
        "metrics": METRICS,
    }
    DATA.mkdir(parents=True, exist_ok=True)
    progress = Progress(DATA / f"{args.tag}-progress.jsonl", config)
    todo = [name for name in names if name not in progress.done]
    print(f"{len(names) - len(todo)} datasets already done, {len(todo)} to run", flush=True)
    start = time.perf_counter()
    finished = Parallel(n_jobs=args.n_jobs, return_as="generator_unordered")(
        delayed(_scored)(name, args.n_splits, args.seed) for name in todo
    )
    for name, rows in finished:
        progress.add(name, {"rows": rows})
        print(f"{len(progress.done)}/{len(names)} {name}", flush=True)
    scores = pd.DataFrame([row for name in names for row in progress.done[name]["rows"]])
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
