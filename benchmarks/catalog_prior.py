"""Evidence for the selector's prior: every default-catalog strategy on keel-binary sets.

Each dataset gets one stratified 5-fold split (seed 0), every strategy of the default catalog
is fitted on each training fold, and its test-fold predictions are scored with each metric of
``METRICS`` (one benchmark run, :func:`skewlearn.bench.run_bench`).  A strategy's prior
advantage for a metric is its mean score less the mean of all strategies on the same dataset,
averaged over the datasets; ``run_selection`` pulls noisy fold means toward "this dataset's
average plus the strategy's advantage elsewhere" (see ``skewlearn.select.CatalogPrior``).

The data-aware prior (``skewlearn.select.DataPrior``) keeps, per dataset, its measures
(``data_measures`` on all its rows) and each strategy's advantage over the mean of the reference
strategies (the ten of ``benchmarks/selection.py``, scored in both runs): for F1 from this run
and from the nested benchmark's inner folds (``results/selection-n3000-inner.csv.gz``, 97
sets up to 3000 rows; the mean of the two where a set is in both), for the other metrics from
this run.  Its measures and neighbours are those chosen on the nested benchmark's tuning sets
(``results/selection-n3000.json``).

    .venv/bin/python benchmarks/catalog_prior.py --max-n 400 --n-jobs 2
    .venv/bin/python benchmarks/catalog_prior.py --max-n 400 --from-scores   # no fits

Writes benchmarks/results/<tag>.md, the flat advantages to src/skewlearn/select/catalog_prior.json,
the data-aware evidence to src/skewlearn/select/data_prior.json, and which measures go with each
strategy's advantage to benchmarks/results/prior-measures.md and .json.  Every fold result is
committed to results/data/<tag>.sqlite (git-ignored) as it finishes, so a stopped run resumes
where it stopped; its scores are kept in results/data/<tag>-scores.csv, which ``--from-scores``
reads instead of fitting.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from skewlearn.bench import run_bench
from skewlearn.datasets import list_datasets, load_dataset
from skewlearn.evaluation import SQLiteStore
from skewlearn.select._prior import PRIOR_FILE
from skewlearn.select._prior_data import DATA_PRIOR_FILE, DataPrior
from skewlearn.select._prior_measures import MEASURES, data_measures
from skewlearn.select._schema import TableSchema

METRICS = ("f1", "mcc", "balanced_accuracy", "gmean", "average_precision")
RESULTS = Path(__file__).parent / "results"
DATA = RESULTS / "data"  # git-ignored: the results store
# The nested benchmark: its inner scores (F1) and its choice of the data prior's neighbourhood.
NESTED = "selection-n3000"


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


def _relative(means: pd.DataFrame, reference: list[str]) -> pd.DataFrame:
    """(dataset x strategy) means less each dataset's mean over the ``reference`` strategies."""
    return means.sub(means[reference].mean(axis=1), axis=0)


def data_evidence(scores: pd.DataFrame) -> tuple[dict, list[str]]:
    """Per metric, (dataset x strategy) advantage over the reference strategies, from this
    run and (F1) the nested benchmark's inner folds; and the reference strategies."""
    nested = pd.read_csv(RESULTS / f"{NESTED}-inner.csv.gz")
    nested = nested.groupby(["dataset", "strategy"])["score"].mean().unstack()
    reference = sorted(nested.columns)
    evidence = {}
    for metric, table in scores.groupby("metric"):
        means = table.groupby(["dataset", "strategy"])["score"].mean().unstack()
        evidence[metric] = _relative(means, reference)
    both = pd.concat([evidence["f1"], _relative(nested, reference)])
    evidence["f1"] = both.groupby(level=0).mean()
    return evidence, reference


def dataset_measures(names) -> pd.DataFrame:
    """``data_measures`` of each keel-binary dataset, on all its rows."""
    rows = {}
    for name in names:
        data = load_dataset(f"keel-binary/{name}")
        rows[name] = data_measures(TableSchema.from_frame(data.X).conform(data.X), data.y)
    return pd.DataFrame(rows).T[list(MEASURES)]


def measure_table(measures: pd.DataFrame, advantage: pd.DataFrame) -> pd.DataFrame:
    """Spearman rank correlation of each measure with each strategy's advantage, over the
    datasets where the strategy was scored, with the number of datasets and the p-value."""
    rows = []
    for strategy in advantage.columns:
        scored = advantage[strategy].dropna()
        for measure in measures.columns:
            values = measures.loc[scored.index, measure]
            rho, p = (np.nan, np.nan)
            if values.nunique() > 1:
                rho, p = stats.spearmanr(values, scored)
            rows.append(
                {"strategy": strategy, "measure": measure, "rho": rho, "p": p, "n": len(scored)}
            )
    return pd.DataFrame(rows)


def size_effect(prior: DataPrior, measures: pd.DataFrame, strategy: str, flat: float):
    """``strategy``'s expected advantage by the data prior for data of the median evidence
    dataset but a smallest class of 10 ... 10,000 rows (rows grown in step), beside ``flat``."""
    median = measures.median()
    rows = []
    for minority in (10, 20, 50, 100, 1_000, 10_000):
        query = median.copy()
        shift = np.log10(minority) - median["log_minority"]
        query["log_minority"] += shift
        query["log_rows"] += shift
        rows.append(
            {
                "minority": minority,
                "data_prior": prior.expected(query.to_dict(), [strategy])[strategy],
                "flat_prior": flat,
                "nearest": prior.neighbours(query.to_dict(), strategy)[:3],
            }
        )
    return rows


def write_data_prior(scores: pd.DataFrame, command: str, flat: pd.DataFrame) -> None:
    """The data-aware evidence (package data) and the measure table (results)."""
    evidence, reference = data_evidence(scores)
    names = sorted(set().union(*(table.index for table in evidence.values())))
    measures = dataset_measures(names)
    chosen = json.loads((RESULTS / f"{NESTED}.json").read_text())["data_prior"]["chosen"]
    DATA_PRIOR_FILE.write_text(
        json.dumps(
            {
                "source": f"{command} and benchmarks/selection.py ({NESTED} inner folds); "
                f"advantage over the mean of {', '.join(reference)}",
                "use": chosen["use"],
                "n_neighbors": chosen["n_neighbors"],
                "measures": measures.round(4).T.to_dict(),
                "advantage": {
                    metric: {
                        name: row.dropna().round(4).to_dict() for name, row in table.iterrows()
                    }
                    for metric, table in evidence.items()
                },
            },
            separators=(",", ":"),
        )
        + "\n"
    )
    correlations = measure_table(measures, evidence["f1"].reindex(measures.index))
    prior = DataPrior.for_metric("f1")
    effect = size_effect(
        prior, measures[chosen["use"]], "hgb+rus+prior", float(flat.loc["f1", "hgb+rus+prior"])
    )
    (RESULTS / "prior-measures.json").write_text(
        json.dumps(
            {
                "command": command,
                "correlations": correlations.round(4).to_dict(orient="records"),
                "size_effect": {"hgb+rus+prior": effect},
            },
            indent=1,
        )
        + "\n"
    )
    (RESULTS / "prior-measures.md").write_text(
        _measures_markdown(correlations, effect, command, len(measures))
    )


def _measures_markdown(correlations, effect, command: str, n_datasets: int) -> str:
    rho = correlations.pivot(index="strategy", columns="measure", values="rho")[list(MEASURES)]
    p = correlations.pivot(index="strategy", columns="measure", values="p")[list(MEASURES)]
    n = correlations.groupby("strategy")["n"].first()
    lines = [
        "# Which measures go with a strategy's advantage (F1, keel-binary)",
        "",
        f"Command: `{command}`. Evidence of `DataPrior`: {n_datasets} datasets; a "
        "strategy's advantage is its F1 less the mean of the reference strategies on the same "
        "dataset; measures from `data_measures` on all rows. Cells: Spearman rank correlation "
        "over the datasets where the strategy was scored (n), `*` where p < 0.01.",
        "",
        "| strategy | n | " + " | ".join(MEASURES) + " |",
        "|---|---:|" + "---:|" * len(MEASURES),
    ]
    for strategy in rho.index:
        cells = " | ".join(
            "" if np.isnan(r) else f"{r:+.2f}{'*' if q < 0.01 else ''}"
            for r, q in zip(rho.loc[strategy], p.loc[strategy], strict=True)
        )
        lines.append(f"| {strategy} | {n[strategy]} | {cells} |")
    lines += [
        "",
        "## The flaw of the flat prior: undersampling before boosting on tiny data",
        "",
        "`hgb+rus+prior`'s expected F1 advantage for data like the median evidence dataset but "
        "with a smallest class of the given size (rows grown in step), by the data-aware "
        "prior, beside the flat prior's single value. The flat value comes from small sets "
        "where the undersampled tree could not split.",
        "",
        "| smallest class | data-aware prior | flat prior | nearest evidence |",
        "|---:|---:|---:|---|",
    ]
    for row in effect:
        lines.append(
            f"| {row['minority']} | {row['data_prior']:+.4f} | {row['flat_prior']:+.4f} | "
            f"{', '.join(row['nearest'])} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=1000)
    parser.add_argument("--n-splits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--tag", default="catalog-prior")
    parser.add_argument(
        "--from-scores",
        action="store_true",
        help="no fits: rebuild every output from results/data/<tag>-scores.csv",
    )
    args = parser.parse_args()
    table = list_datasets("keel-binary")
    eligible = table[table["n_samples"] <= args.max_n].sort_values("n_samples")
    eligible = eligible[
        eligible["class_counts"].map(lambda c: min(c.values())) >= 3 * args.n_splits
    ]
    names = eligible["name"].tolist()
    DATA.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if args.from_scores:
        scores = pd.read_csv(DATA / f"{args.tag}-scores.csv")
        ran = f"rebuilt without fits from results/data/{args.tag}-scores.csv"
    else:
        scores = _run(args, names)
        ran = f"{time.perf_counter() - start:.0f} s for the datasets run now"
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
        f"Command: `{command}`; {ran}.",
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
    write_data_prior(scores, command, table)


def _run(args, names: list[str]) -> pd.DataFrame:
    """Every strategy of the catalog on ``names``, resumed from the store; the fold scores."""
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
    return scores


if __name__ == "__main__":
    main()
