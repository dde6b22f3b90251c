"""Nested evaluation of the strategy selector on the embedded keel-binary suite.

Outer loop: stratified K-fold per dataset. Inside each outer training fold the selector runs
on its own inner folds; its choice is refitted on the outer training fold and scored on the
outer test fold, beside every fixed strategy of the catalog trained and scored the same way.

Racing is measured without refitting: the exhaustive inner run records every (strategy, fold)
score, and the racing rule is replayed on those recorded scores (its decisions depend only on
them), so the fits it saves and the choice it makes are exact for the same seeds.  The inner
scores are also written out (``<tag>-inner.csv.gz``) and other selection rules (``RULES``) are
replayed on them, so a new rule costs seconds, not a rerun.

    .venv/bin/python benchmarks/selection.py --max-n 3000 --n-jobs 2
    .venv/bin/python benchmarks/selection.py --max-n 3000 --replay   # seconds, no fits

Writes benchmarks/results/<tag>.json, .md, -folds.csv.gz and -inner.csv.gz (<tag> defaults to
selection-n<max-n>; the two tables are what ``--replay`` reads). Every fit's result (inner
folds and outer test folds) is committed to results/data/<tag>.sqlite (git-ignored) as each
dataset finishes; a stopped run takes the stored results instead of fitting them again, so it
resumes where it stopped and its tables are rebuilt from the same records.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from scipy import stats
from sklearn.model_selection import StratifiedKFold

from skewlearn.datasets import list_datasets, load_dataset
from skewlearn.evaluation import (
    EvaluationPlan,
    LocalEngine,
    MemoryStore,
    Objective,
    Result,
    SQLiteStore,
    TaskInfo,
)
from skewlearn.select import (
    CatalogPrior,
    NoStopping,
    PairedRacing,
    PriorRacing,
    Strategy,
    run_selection,
)
from skewlearn.select._schema import TableSchema

# The ten strategies of the reference run quoted in issue 5.
CATALOG = (
    "logreg",
    "logreg+balanced",
    "logreg+threshold",
    "hgb",
    "hgb+balanced",
    "hgb+threshold",
    "logreg+smote",
    "rf+smote",
    "brf",
    "spe",
)
RESULTS = Path(__file__).parent / "results"
DATA = RESULTS / "data"  # git-ignored: the results store
# Fixed gzip header time, so that an unchanged table rewrites to the same bytes.
GZIP = {"method": "gzip", "mtime": 0}


def _select(strategies, X, y, task, folds, seed, stopping, store, dataset):
    return run_selection(
        strategies,
        X,
        y,
        objective=Objective("f1", np.unique(y), y),
        folds=folds,
        task=task,
        engine=LocalEngine(1),
        stopping=stopping,
        store=store,
        dataset=dataset,
        random_state=seed,
    )


def evaluate_dataset(
    name: str,
    specs: tuple[str, ...],
    seed: int,
    outer_splits: int,
    inner_splits: int,
    stored: list[Result] = (),
) -> tuple[list[dict], list[dict], list[Result]]:
    """Outer-fold rows (every fixed strategy, the selector, exhaustive search), the inner
    score of every strategy on every inner fold (for replaying selection rules offline), and
    the results of the fits made now.

    Results in ``stored`` (of an earlier, stopped run) are taken instead of fitting again.
    Inner results are recorded under ``<name>/outer<k>``, outer test-fold scores of the fixed
    strategies under ``<name>/outer`` with the outer fold as their fold.
    """
    warnings.filterwarnings("ignore")
    data = load_dataset(f"keel-binary/{name}")  # SATIMAGE is in two suites
    X = TableSchema.from_frame(data.X).conform(data.X)
    y = data.y.to_numpy()
    objective = Objective("f1", np.unique(y), y)
    strategies = [Strategy.parse(s) for s in specs]
    store = MemoryStore()
    for result in stored:
        store.add(result)
    known = {r.key: r for r in stored}
    rows, inner = [], []
    outer = StratifiedKFold(outer_splits, shuffle=True, random_state=seed)
    for k, (train, test) in enumerate(outer.split(X, y)):
        X_train, y_train = X.iloc[train].reset_index(drop=True), y[train]
        plan = EvaluationPlan(inner_splits, "auto", random_state=seed)
        folds = plan.folds(y_train)
        n_first_repeat = sum(f.repeat == 0 for f in folds)
        task = TaskInfo.from_data(X_train, y_train, n_splits=plan.resolved_splits(y_train))
        fixed = {}
        for strategy in strategies:
            if strategy.unavailable(task):
                continue
            key = (f"{name}/outer", strategy.name, k)
            if key not in known:
                start = time.perf_counter()
                model = strategy.build(task, metric="f1", random_state=seed).fit(X_train, y_train)
                score = objective.score(y[test], model.predict(X.iloc[test]), None)
                elapsed = time.perf_counter() - start
                known[key] = Result(*key, 0, seed, "ok", {"f1": score}, elapsed)
                store.add(known[key])
            fixed[strategy.name] = known[key].score
        inner_key = f"{name}/outer{k}"
        exhaustive = _select(
            strategies, X_train, y_train, task, folds, seed, NoStopping(), store, inner_key
        )
        inner += [
            {
                "dataset": name,
                "outer_fold": k,
                "strategy": r.strategy,
                "inner_fold": r.fold,
                "repeat": r.repeat,
                "score": r.score,
                "fit_time": r.fit_time,
            }
            for r in exhaustive.results
        ]
        # Racing on the exhaustive run's results: every fit it asks for is in the store, so
        # its choice and the fits it needs are exact for the same seeds, with nothing refitted.
        racing = _select(
            strategies, X_train, y_train, task, folds, seed, PairedRacing(), store, inner_key
        )
        racing_one_repeat = _select(
            strategies,
            X_train,
            y_train,
            task,
            folds[:n_first_repeat],
            seed,
            PairedRacing(),
            store,
            inner_key,
        )
        seconds = sum(r.fit_time + r.predict_time for r in exhaustive.results) + sum(
            known[(f"{name}/outer", s, k)].fit_time for s in fixed
        )
        rows.append(
            {
                "dataset": name,
                "outer_fold": k,
                "n_samples": len(y),
                "n_minority": int(np.unique(y, return_counts=True)[1].min()),
                "inner_folds": len(folds),
                **{f"fixed:{s}": v for s, v in fixed.items()},
                "selector": fixed[racing.best.name],
                "selector_choice": racing.best.name,
                "exhaustive": fixed[exhaustive.best.name],
                "exhaustive_choice": exhaustive.best.name,
                "selector_one_repeat": fixed[racing_one_repeat.best.name],
                "fits_racing": racing.reused,
                "fits_exhaustive": exhaustive.reused + exhaustive.n_fits,
                "seconds": seconds,
            }
        )
    earlier = {result.key for result in stored}
    made = [result for result in store.results() if result.key not in earlier]
    return rows, inner, made


# Selection rules replayed on recorded inner scores: each maps one outer fold's table
# (strategies x inner folds), a prior (each strategy's mean advantage over the average
# strategy on the *other* datasets' inner folds) and the smallest class's size in the outer
# training fold to a choice.  The incumbent is the strategy the literature and our CLIMB-style
# run find most robust (balanced random forest).
INCUMBENT = "brf"


def _best_mean(scores: pd.DataFrame, prior: pd.Series, n_smallest: int) -> str:
    return scores.mean(axis=1).idxmax()


def _incumbent_unless_better(margin_in_se: float):
    """The incumbent, unless a challenger's paired mean gain over it exceeds ``margin_in_se``
    standard errors of that gain (a one-standard-error rule toward the robust default)."""

    def rule(scores: pd.DataFrame, prior: pd.Series, n_smallest: int) -> str:
        if INCUMBENT not in scores.index:
            return _best_mean(scores, prior, n_smallest)
        gains = scores.sub(scores.loc[INCUMBENT], axis=1)
        se = gains.std(axis=1, ddof=1) / np.sqrt(gains.shape[1])
        lead = gains.mean(axis=1) - margin_in_se * se.fillna(np.inf)
        best = lead.drop(INCUMBENT).idxmax()
        return best if lead[best] > 0 else INCUMBENT

    return rule


def _shrunk_to_prior(weight: float):
    """Inner means pulled by a fixed ``weight`` toward what the other datasets predict: this
    dataset's average plus each strategy's advantage elsewhere (the rule of stop 12), as a
    ``CatalogPrior`` whose strength gives that weight for this dataset."""

    def rule(scores: pd.DataFrame, prior: pd.Series, n_smallest: int) -> str:
        strength = weight / (1 - weight) * n_smallest
        adjusted = CatalogPrior(prior.to_dict(), strength).adjust(scores.mean(axis=1), n_smallest)
        return adjusted.idxmax()

    return rule


def _catalog_prior(strength: float):
    """The product's rule: ``CatalogPrior``, whose weight fades with the smallest class."""

    def rule(scores: pd.DataFrame, prior: pd.Series, n_smallest: int) -> str:
        adjusted = CatalogPrior(prior.to_dict(), strength).adjust(scores.mean(axis=1), n_smallest)
        return adjusted.idxmax()

    return rule


RULES = {
    "best-mean": _best_mean,
    "incumbent-1se": _incumbent_unless_better(1.0),
    "prior-0.6": _shrunk_to_prior(0.6),
    "catalog-prior-20": _catalog_prior(20.0),
}


def _race(scores: pd.DataFrame, rule, choose) -> tuple[str, int]:
    """Racing by the stopping ``rule`` over the inner folds in order, then ``choose`` among
    the survivors: the choice and the fits it took."""
    racing, fits = list(scores.index), 0
    for j in range(scores.shape[1]):
        fits += len(racing)
        dropped = rule.drop(scores.loc[racing, scores.columns[: j + 1]].T)
        racing = [name for name in racing if name not in dropped]
    return choose(scores.loc[racing]), fits


def _outer_folds(frame: pd.DataFrame, inner: pd.DataFrame):
    """Per outer fold: its row, inner score table, leave-one-dataset-out prior, first-repeat
    folds and the smallest class's size in the outer training fold."""
    means = inner.groupby(["dataset", "strategy"])["score"].mean().unstack()
    advantage = means.sub(means.mean(axis=1), axis=0)
    n_outer = frame["outer_fold"].nunique()
    for (name, k), table in inner.groupby(["dataset", "outer_fold"]):
        scores = table.pivot_table(index="strategy", columns="inner_fold", values="score")
        scores = scores.dropna()
        repeat = table.groupby("inner_fold")["repeat"].first()
        first = [fold for fold in scores.columns if repeat[fold] == 0]
        row = frame[(frame["dataset"] == name) & (frame["outer_fold"] == k)].iloc[0]
        n_smallest = int(row["n_minority"] * (n_outer - 1) / n_outer)
        yield row, scores, advantage.drop(index=name).mean(), first, n_smallest


def replay_rules(frame: pd.DataFrame, inner: pd.DataFrame) -> pd.DataFrame:
    """Outer F1 of each rule's choice, per dataset (mean over outer folds), beside the oracle
    (best fixed strategy per dataset) and the best fixed strategy overall; with racing, the
    share of the exhaustive fits it used."""
    outcomes, fits = [], {}
    for row, scores, prior, first, n_smallest in _outer_folds(frame, inner):
        outcome = {"dataset": row["dataset"], "outer_fold": row["outer_fold"]}
        for rule_name, rule in RULES.items():
            outcome[rule_name] = row[f"fixed:{rule(scores, prior, n_smallest)}"]
        racers = {
            # The product's pairs: paired t-test racing for plain means, prior racing with it.
            "best-mean": PairedRacing(),
            "catalog-prior-20": PriorRacing(CatalogPrior(prior.to_dict(), 20.0), n_smallest),
        }
        for label, table in {"": scores, ", first repeat": scores[first]}.items():
            for rule_name, racer in racers.items():
                name = f"racing{label}, {rule_name}"
                rule = RULES[rule_name]
                choice, used = _race(
                    table, racer, lambda s, r=rule, p=prior, n=n_smallest: r(s, p, n)
                )
                outcome[name] = row[f"fixed:{choice}"]
                fits.setdefault(name, [0, 0])
                fits[name][0] += used
                fits[name][1] += scores.size
        outcomes.append(outcome)
    columns = [c for c in outcomes[0] if c not in ("dataset", "outer_fold")]
    per_dataset = pd.DataFrame(outcomes).groupby("dataset")[columns].mean()
    fixed = frame.groupby("dataset")[[c for c in frame.columns if c.startswith("fixed:")]].mean()
    oracle = fixed.max(axis=1)
    best_fixed = fixed.mean().idxmax()
    # Each rule ranked among the fixed strategies (rank 1 = best F1 on a dataset), beside
    # the best mean rank of a fixed strategy in that same ranking.
    ranks = {
        name: fixed.join(per_dataset[name]).rank(axis=1, ascending=False).mean() for name in columns
    }
    summary = pd.DataFrame(
        {
            "mean_f1": per_dataset.mean(),
            "minus_best_fixed": per_dataset.mean() - fixed[best_fixed].mean(),
            "regret": per_dataset.sub(oracle, axis=0).mul(-1).mean(),
            "rank": pd.Series({name: ranks[name][name] for name in columns}),
            "best_fixed_rank": pd.Series({name: ranks[name].drop(name).min() for name in columns}),
            "fits": pd.Series({name: used / total for name, (used, total) in fits.items()}),
        }
    ).reindex(columns)
    summary.loc[f"(best fixed: {best_fixed.removeprefix('fixed:')})"] = [
        fixed[best_fixed].mean(),
        0.0,
        (oracle - fixed[best_fixed]).mean(),
        np.nan,
        np.nan,
        np.nan,
    ]
    return summary.round(4)


def summarise(frame: pd.DataFrame) -> dict:
    methods = [c for c in frame.columns if c.startswith("fixed:")]
    per_dataset = frame.groupby("dataset")[
        [*methods, "selector", "exhaustive", "selector_one_repeat"]
    ].mean()
    oracle = per_dataset[methods].max(axis=1)
    ranked = per_dataset[[*methods, "selector"]].rank(axis=1, ascending=False).mean()
    best_fixed = per_dataset[methods].mean().idxmax()
    small = frame.groupby("dataset")[["n_samples", "n_minority"]].first()
    summary = {
        "datasets": int(len(per_dataset)),
        "outer_folds": int(frame["outer_fold"].nunique()),
        "mean_f1": per_dataset.mean().round(4).to_dict(),
        "mean_rank_among_fixed_and_selector": ranked.round(3).to_dict(),
        "best_fixed": best_fixed,
        "selector_minus_best_fixed": round(
            float(per_dataset["selector"].mean() - per_dataset[best_fixed].mean()), 4
        ),
        "regret_selector": round(float((oracle - per_dataset["selector"]).mean()), 4),
        "regret_exhaustive": round(float((oracle - per_dataset["exhaustive"]).mean()), 4),
        "regret_selector_one_repeat": round(
            float((oracle - per_dataset["selector_one_repeat"]).mean()), 4
        ),
        "racing_fit_fraction": round(
            float(frame["fits_racing"].sum() / frame["fits_exhaustive"].sum()), 3
        ),
        "selector_vs_exhaustive_f1": round(
            float(per_dataset["selector"].mean() - per_dataset["exhaustive"].mean()), 4
        ),
        "wilcoxon_selector_vs_best_fixed_p": float(
            stats.wilcoxon(per_dataset["selector"], per_dataset[best_fixed]).pvalue
        )
        if (per_dataset["selector"] != per_dataset[best_fixed]).any()
        else 1.0,
    }
    for label, mask in {
        "n<300": small["n_samples"] < 300,
        "minority<20": small["n_minority"] < 20,
    }.items():
        subset = per_dataset[mask.reindex(per_dataset.index)]
        if len(subset):
            summary[f"regret_selector[{label}]"] = round(
                float((oracle[subset.index] - subset["selector"]).mean()), 4
            )
            summary[f"regret_selector_one_repeat[{label}]"] = round(
                float((oracle[subset.index] - subset["selector_one_repeat"]).mean()), 4
            )
            summary[f"datasets[{label}]"] = int(len(subset))
    return summary


def _markdown(summary: dict, command: str, wall: float, work: float) -> str:
    lines = [
        "# Selector, nested evaluation on keel-binary",
        "",
        f"Command: `{command}`; this invocation's wall time {wall:.0f} s on this machine "
        f"(2 cores); {work:.0f} s of evaluation summed over datasets and outer folds (a "
        "resumed run counts its earlier invocations here).",
        f"{summary['datasets']} datasets, {summary['outer_folds']} outer folds; metric F1 of the "
        "minority class on the outer test folds.",
        "",
        "| method | mean F1 | mean rank |",
        "|---|---:|---:|",
    ]
    ranks = summary["mean_rank_among_fixed_and_selector"]
    for method, value in sorted(summary["mean_f1"].items(), key=lambda kv: -kv[1]):
        rank = ranks.get(method)
        lines.append(f"| {method} | {value:.4f} | {'' if rank is None else f'{rank:.2f}'} |")
    lines += ["", "| quantity | value |", "|---|---:|"]
    for key, value in summary.items():
        if key not in ("mean_f1", "mean_rank_among_fixed_and_selector"):
            lines.append(f"| {key} | {value} |")
    return "\n".join(lines) + "\n"


def _rules_markdown(rules: pd.DataFrame) -> str:
    lines = [
        "",
        "## Selection rules replayed on the recorded inner scores",
        "",
        f"Incumbent of the standard-error rule: `{INCUMBENT}`. prior-0.6: inner means pulled "
        "by 0.6 toward this dataset's average plus each strategy's advantage on the other "
        "datasets' inner folds (leave-one-dataset-out). catalog-prior-20: the product's "
        "`CatalogPrior` with the same leave-one-dataset-out advantages, weight 20 / (20 + "
        "smallest class in the outer training fold). Racing: over the inner folds (or the "
        "first repeat only), `PairedRacing` (paired t-test) for best-mean and `PriorRacing` "
        "(prior-adjusted gap over one paired standard error) for catalog-prior-20, as the "
        "product pairs them, then the rule among the survivors; fits: share of the "
        "exhaustive fits.",
        "",
        "Rank: the rule's mean rank among the fixed strategies and itself (1 = best), "
        "beside the best fixed strategy's mean rank in that ranking.",
        "",
        "| rule | mean outer F1 | minus best fixed | regret to per-dataset best | rank "
        "(best fixed) | fits |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in rules.iterrows():
        fits = "" if pd.isna(row["fits"]) else f"{row['fits']:.3f}"
        rank = "" if pd.isna(row["rank"]) else f"{row['rank']:.2f} ({row['best_fixed_rank']:.2f})"
        lines.append(
            f"| {name} | {row['mean_f1']:.4f} | {row['minus_best_fixed']:+.4f} | "
            f"{row['regret']:.4f} | {rank} | {fits} |"
        )
    return "\n".join(lines) + "\n"


def _evaluated(name: str, args, stored: list[Result]):
    return name, *evaluate_dataset(name, CATALOG, args.seed, args.outer, args.inner, stored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=400)
    parser.add_argument("--datasets", nargs="*")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--outer", type=int, default=5)
    parser.add_argument("--inner", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--tag", help="name of the result files (default: selection-n<max-n>)")
    parser.add_argument(
        "--replay",
        action="store_true",
        help="no fits: re-read <tag>-folds.csv.gz and <tag>-inner.csv.gz and rewrite the "
        "report (for new selection rules)",
    )
    args = parser.parse_args()
    args.tag = args.tag or f"selection-n{args.max_n}"
    if args.replay:
        recorded = json.loads((RESULTS / f"{args.tag}.json").read_text())
        frame = pd.read_csv(RESULTS / f"{args.tag}-folds.csv.gz")
        inner = pd.read_csv(RESULTS / f"{args.tag}-inner.csv.gz")
        report = _markdown(
            summarise(frame), recorded["command"], recorded["wall_seconds"], frame["seconds"].sum()
        ) + _rules_markdown(replay_rules(frame, inner))
        (RESULTS / f"{args.tag}.md").write_text(report)
        print(report)
        return
    table = list_datasets("keel-binary")
    if args.datasets:
        names = args.datasets
    else:
        eligible = table[(table["n_samples"] <= args.max_n)].sort_values("n_samples")
        # Every outer and inner fold needs minority samples: at least outer x inner of them.
        eligible = eligible[
            eligible["class_counts"].map(lambda c: min(c.values())) >= args.outer * args.inner
        ]
        names = eligible["name"].tolist()[: args.limit]
    start = time.perf_counter()
    DATA.mkdir(parents=True, exist_ok=True)
    config = {"outer": args.outer, "inner": args.inner, "seed": args.seed, "catalog": CATALOG}
    done = {}
    with SQLiteStore(DATA / f"{args.tag}.sqlite") as store, store.writer():
        store.check_config(config)
        stored: dict[str, list[Result]] = {name: [] for name in names}
        for result in store.results():
            name = result.dataset.rsplit("/", 1)[0]
            if name in stored:
                stored[name].append(result)
        print(f"{sum(map(len, stored.values()))} results already stored", flush=True)
        finished = Parallel(n_jobs=args.n_jobs, return_as="generator_unordered")(
            delayed(_evaluated)(name, args, stored[name]) for name in names
        )
        for name, rows, inner_rows, made in finished:
            # Committed as each dataset finishes: a stopped run resumes from here.
            for result in made:
                store.add(result)
            done[name] = (rows, inner_rows)
            print(f"{len(done)}/{len(names)} {name}: {len(made)} fits", flush=True)
    wall = time.perf_counter() - start
    frame = pd.DataFrame([row for name in names for row in done[name][0]])
    inner = pd.DataFrame([row for name in names for row in done[name][1]])
    summary = summarise(frame)
    rules = replay_rules(frame, inner)
    command = "python benchmarks/selection.py " + " ".join(
        f"--{k.replace('_', '-')} {v}"
        for k, v in vars(args).items()
        if v is not None and k not in ("datasets", "replay")
    )
    frame.to_csv(RESULTS / f"{args.tag}-folds.csv.gz", index=False, compression=GZIP)
    inner.to_csv(RESULTS / f"{args.tag}-inner.csv.gz", index=False, compression=GZIP)
    (RESULTS / f"{args.tag}.json").write_text(
        json.dumps(
            {"command": command, "wall_seconds": wall, "datasets": names, "summary": summary},
            indent=2,
        )
    )
    report = _markdown(summary, command, wall, frame["seconds"].sum()) + _rules_markdown(rules)
    (RESULTS / f"{args.tag}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
