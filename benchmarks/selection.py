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

The data-aware prior (``DataPrior``) is replayed the same way, on the ``data_measures`` of each
outer training fold (``<tag>-measures.csv.gz``, computed without fits when missing): its
measures and neighbours are chosen on two thirds of the datasets, and it is then compared with
the flat prior on the third held back before any of its replays (``held_back``) and on all
datasets leave-one-dataset-out.

Writes benchmarks/results/<tag>.json, .md, -folds.csv.gz, -inner.csv.gz and -measures.csv.gz
(<tag> defaults to selection-n<max-n>; the tables are what ``--replay`` reads). Every fit's result (inner
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
from skewlearn.select._prior_data import DataPrior
from skewlearn.select._prior_measures import MEASURES, data_measures
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


def _dataset(name: str):
    data = load_dataset(f"keel-binary/{name}")  # SATIMAGE is in two suites
    return TableSchema.from_frame(data.X).conform(data.X), data.y.to_numpy()


def fold_measures(name: str, seed: int, outer_splits: int) -> list[dict]:
    """``data_measures`` of each outer training fold of ``name`` (what the selector sees)."""
    X, y = _dataset(name)
    outer = StratifiedKFold(outer_splits, shuffle=True, random_state=seed)
    return [
        {"dataset": name, "outer_fold": k, **data_measures(X.iloc[train], y[train])}
        for k, (train, _) in enumerate(outer.split(X, y))
    ]


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
    X, y = _dataset(name)
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
    "data-prior-20": _catalog_prior(20.0),
}
# Which prior each rule is given (default: the flat one).
PRIOR_OF = {"data-prior-20": "data"}


def _race(scores: pd.DataFrame, rule, choose) -> tuple[str, int]:
    """Racing by the stopping ``rule`` over the inner folds in order, then ``choose`` among
    the survivors: the choice and the fits it took."""
    racing, fits = list(scores.index), 0
    for j in range(scores.shape[1]):
        fits += len(racing)
        dropped = rule.drop(scores.loc[racing, scores.columns[: j + 1]].T)
        racing = [name for name in racing if name not in dropped]
    return choose(scores.loc[racing]), fits


def _outer_folds(
    frame: pd.DataFrame,
    inner: pd.DataFrame,
    measures: pd.DataFrame,
    config: dict,
    datasets=None,
    evidence=None,
):
    """Per outer fold of ``datasets`` (default: all): its row, inner score table, priors from
    the ``evidence`` datasets (default: all) other than its own (flat: each strategy's mean
    advantage on them; data: ``DataPrior`` with ``config`` on them), first-repeat folds and
    the smallest class's size in the outer training fold."""
    advantage = _advantage(inner)
    evidence = advantage.index if evidence is None else pd.Index(evidence)
    described = measures.groupby("dataset")[list(MEASURES)].mean()
    query = measures.set_index(["dataset", "outer_fold"])
    n_outer = frame["outer_fold"].nunique()
    if datasets is not None:
        inner = inner[inner["dataset"].isin(datasets)]
    for (name, k), table in inner.groupby(["dataset", "outer_fold"]):
        scores = table.pivot_table(index="strategy", columns="inner_fold", values="score")
        scores = scores.dropna()
        repeat = table.groupby("inner_fold")["repeat"].first()
        first = [fold for fold in scores.columns if repeat[fold] == 0]
        row = frame[(frame["dataset"] == name) & (frame["outer_fold"] == k)].iloc[0]
        n_smallest = int(row["n_minority"] * (n_outer - 1) / n_outer)
        others = evidence.drop(name, errors="ignore")
        data = _data_prior(described.loc[others], advantage.loc[others], config)
        priors = {
            "flat": advantage.loc[others].mean(),
            "data": pd.Series(data.expected(query.loc[(name, k)])),
        }
        yield row, scores, priors, first, n_smallest


def _advantage(inner: pd.DataFrame) -> pd.DataFrame:
    """(dataset x strategy) inner mean less the dataset's mean over the strategies."""
    means = inner.groupby(["dataset", "strategy"])["score"].mean().unstack()
    return means.sub(means.mean(axis=1), axis=0)


def _data_prior(measures: pd.DataFrame, advantage: pd.DataFrame, config: dict) -> DataPrior:
    return DataPrior(measures[list(config["use"])], advantage, config["n_neighbors"])


def replay_rules(
    frame: pd.DataFrame, inner: pd.DataFrame, measures: pd.DataFrame, config: dict
) -> pd.DataFrame:
    """Outer F1 of each rule's choice, per dataset (mean over outer folds), beside the oracle
    (best fixed strategy per dataset) and the best fixed strategy overall; with racing, the
    share of the exhaustive fits it used.  The data-aware prior uses ``config``."""
    outcomes, fits = [], {}
    for row, scores, priors, first, n_smallest in _outer_folds(frame, inner, measures, config):
        outcome = {"dataset": row["dataset"], "outer_fold": row["outer_fold"]}
        for rule_name, rule in RULES.items():
            prior = priors[PRIOR_OF.get(rule_name, "flat")]
            outcome[rule_name] = row[f"fixed:{rule(scores, prior, n_smallest)}"]
        for label, table in {"": scores, ", first repeat": scores[first]}.items():
            # The product's pairs: paired t-test racing for plain means, prior racing with it.
            for rule_name in ("best-mean", "catalog-prior-20", "data-prior-20"):
                name = f"racing{label}, {rule_name}"
                rule = RULES[rule_name]
                prior = priors[PRIOR_OF.get(rule_name, "flat")]
                racer = (
                    PairedRacing()
                    if rule_name == "best-mean"
                    else PriorRacing(CatalogPrior(prior.to_dict(), 20.0), n_smallest)
                )
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
    few = frame.groupby("dataset")["n_minority"].first() < 20
    regret = per_dataset.sub(oracle, axis=0).mul(-1)
    # Each rule ranked among the fixed strategies (rank 1 = best F1 on a dataset), beside
    # the best mean rank of a fixed strategy in that same ranking.
    ranks = {
        name: fixed.join(per_dataset[name]).rank(axis=1, ascending=False).mean() for name in columns
    }
    summary = pd.DataFrame(
        {
            "mean_f1": per_dataset.mean(),
            "minus_best_fixed": per_dataset.mean() - fixed[best_fixed].mean(),
            "regret": regret.mean(),
            "regret_few": regret[few.reindex(regret.index)].mean(),
            "rank": pd.Series({name: ranks[name][name] for name in columns}),
            "best_fixed_rank": pd.Series({name: ranks[name].drop(name).min() for name in columns}),
            "fits": pd.Series({name: used / total for name, (used, total) in fits.items()}),
        }
    ).reindex(columns)
    summary.loc[f"(best fixed: {best_fixed.removeprefix('fixed:')})"] = [
        fixed[best_fixed].mean(),
        0.0,
        (oracle - fixed[best_fixed]).mean(),
        (oracle - fixed[best_fixed])[few].mean(),
        np.nan,
        np.nan,
        np.nan,
    ]
    return summary.round(4)


# The data-aware prior's choices, tried on the tuning sets only: which measures place a dataset
# (sizes; sizes and shape; all, with the minority typology) and how many neighbours it takes.
MEASURE_SETS = {
    "sizes": ("log_rows", "log_minority", "log_imbalance"),
    "sizes+shape": (
        "log_rows",
        "log_minority",
        "log_imbalance",
        "log_features",
        "categorical_share",
    ),
    "all": MEASURES,
}
NEIGHBOURS = (10, 20)
# A third of the datasets, held back from every choice of the data-aware prior: a seeded draw
# over the sorted names, fixed before any of its replays (seed 21: the issue that asked for it).
HOLD_OUT_SEED = 21


def held_back(names) -> list[str]:
    """The held-back third of ``names`` (a seeded draw, the same for the same names)."""
    names = sorted(set(names))
    rng = np.random.default_rng(HOLD_OUT_SEED)
    return sorted(rng.choice(names, len(names) // 3, replace=False).tolist())


def race_priors(frame, inner, measures, config, datasets, evidence, kinds=("flat", "data")):
    """The product's racing (``PriorRacing``, then the pulled means) on ``datasets`` with the
    flat and/or the data-aware prior (``kinds``), both from the ``evidence`` datasets other
    than the one raced: mean outer F1, regret (all; fewer than 20 minority rows) and share
    of fits."""
    outcomes, fits = [], dict.fromkeys(kinds, 0)
    total = 0
    folds = _outer_folds(frame, inner, measures, config, datasets, evidence)
    for row, scores, priors, _, n_smallest in folds:
        outcome = {"dataset": row["dataset"]}
        for kind in kinds:
            prior = priors[kind]
            catalog = CatalogPrior(prior.to_dict(), 20.0)
            choice, used = _race(
                scores,
                PriorRacing(catalog, n_smallest),
                lambda s, c=catalog, n=n_smallest: c.adjust(s.mean(axis=1), n).idxmax(),
            )
            outcome[kind] = row[f"fixed:{choice}"]
            fits[kind] += used
        total += scores.size
        outcomes.append(outcome)
    per_dataset = pd.DataFrame(outcomes).groupby("dataset").mean()
    fixed = frame.groupby("dataset")[[c for c in frame.columns if c.startswith("fixed:")]].mean()
    regret = per_dataset.rsub(fixed.max(axis=1).loc[per_dataset.index], axis=0)
    few = frame.groupby("dataset")["n_minority"].first().loc[per_dataset.index] < 20
    return {
        kind: {
            "mean_f1": round(float(per_dataset[kind].mean()), 4),
            "regret": round(float(regret[kind].mean()), 4),
            "regret_few": round(float(regret.loc[few, kind].mean()), 4),
            "fits": round(fits[kind] / total, 3),
            "datasets": int(len(per_dataset)),
            "datasets_few": int(few.sum()),
        }
        for kind in kinds
    }


def tune_data_prior(frame, inner, measures) -> tuple[dict, list[dict], dict]:
    """The data-aware prior's measures and neighbours, chosen on the tuning sets (everything
    but the held-back third; each raced with evidence from the other tuning sets) by the
    lowest regret; the flat prior and every choice tried there; and the chosen one on the
    held-back third, beside the flat prior, with evidence from the tuning sets only."""
    names = sorted(frame["dataset"].unique())
    hold = held_back(names)
    tuning = [name for name in names if name not in hold]
    tried = []
    for label, use in MEASURE_SETS.items():
        for k in NEIGHBOURS:
            config = {"use": list(use), "n_neighbors": k, "measures": label}
            raced = race_priors(frame, inner, measures, config, tuning, tuning, ("data",))
            tried.append({**config, **raced})
    flat = race_priors(frame, inner, measures, tried[0], tuning, tuning, ("flat",))["flat"]
    best = min(tried, key=lambda t: (t["data"]["regret"], t["data"]["fits"]))
    config = {key: best[key] for key in ("use", "n_neighbors", "measures")}
    held = race_priors(frame, inner, measures, config, hold, tuning)
    return config, flat, tried, {"datasets": hold, **held}


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
        "smallest class in the outer training fold). data-prior-20: the same, with each "
        "strategy's advantage from `DataPrior` (the k other datasets nearest in the measures; "
        "its choices in the next section). Racing: over the inner folds (or the first repeat "
        "only), `PairedRacing` (paired t-test) for best-mean and `PriorRacing` (prior-adjusted "
        "gap over one paired standard error) for the priors, as the product pairs them, then the rule among the survivors; fits: share of the "
        "exhaustive fits.",
        "",
        "Rank: the rule's mean rank among the fixed strategies and itself (1 = best), "
        "beside the best fixed strategy's mean rank in that ranking.",
        "",
        "| rule | mean outer F1 | minus best fixed | regret to per-dataset best | regret, "
        "minority < 20 | rank (best fixed) | fits |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rules.iterrows():
        fits = "" if pd.isna(row["fits"]) else f"{row['fits']:.3f}"
        rank = "" if pd.isna(row["rank"]) else f"{row['rank']:.2f} ({row['best_fixed_rank']:.2f})"
        lines.append(
            f"| {name} | {row['mean_f1']:.4f} | {row['minus_best_fixed']:+.4f} | "
            f"{row['regret']:.4f} | {row['regret_few']:.4f} | {rank} | {fits} |"
        )
    return "\n".join(lines) + "\n"


def _data_prior_markdown(config: dict, flat: dict, tried, held: dict, every: dict) -> str:
    def cells(result: dict) -> str:
        return (
            f"{result['mean_f1']:.4f} | {result['regret']:.4f} | {result['regret_few']:.4f} | "
            f"{result['fits']:.3f}"
        )

    lines = [
        "",
        "## The data-aware prior (`DataPrior`) against the flat prior",
        "",
        "Both race as the product does (`PriorRacing`, strength 20, then the pulled means). "
        "Flat: each strategy's mean advantage on the evidence datasets. Data-aware: its mean "
        "advantage on the k evidence datasets nearest in the measures (standardised) of the "
        "outer training fold. Evidence never includes the dataset raced. Regret few: on the "
        "datasets with fewer than 20 minority rows.",
        "",
        f"Held back before any replay of the data-aware prior: {len(held['datasets'])} datasets "
        f"(`held_back()`: a draw with seed {HOLD_OUT_SEED} over the sorted names): "
        + ", ".join(held["datasets"])
        + ".",
        "",
        f"### Choices tried on the other {flat['datasets']} (tuning) datasets",
        "",
        "| prior | measures | k | mean F1 | regret | regret few | fits |",
        "|---|---|---:|---:|---:|---:|---:|",
        f"| flat | | | {cells(flat)} |",
    ]
    for t in tried:
        lines.append(f"| data-aware | {t['measures']} | {t['n_neighbors']} | {cells(t['data'])} |")
    lines += [
        "",
        f"Chosen (lowest data regret on the tuning sets): measures {config['measures']} "
        f"({', '.join(config['use'])}), k = {config['n_neighbors']}.",
        "",
        "| evaluation | prior | mean F1 | regret | regret few | fits |",
        "|---|---|---:|---:|---:|---:|",
        f"| held-back {held['flat']['datasets']} (few: {held['flat']['datasets_few']}), evidence "
        f"from the tuning sets | flat | {cells(held['flat'])} |",
        f"| same | data-aware | {cells(held['data'])} |",
        f"| all datasets, leave-one-dataset-out | flat | {cells(every['catalog'])} |",
        f"| same | data-aware | {cells(every['data'])} |",
    ]
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
        _write(args, frame, inner, recorded["command"], recorded["wall_seconds"])
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
    command = "python benchmarks/selection.py " + " ".join(
        f"--{k.replace('_', '-')} {v}"
        for k, v in vars(args).items()
        if v is not None and k not in ("datasets", "replay")
    )
    frame.to_csv(RESULTS / f"{args.tag}-folds.csv.gz", index=False, compression=GZIP)
    inner.to_csv(RESULTS / f"{args.tag}-inner.csv.gz", index=False, compression=GZIP)
    _write(args, frame, inner, command, wall)


def _measures(args, names) -> pd.DataFrame:
    """``data_measures`` of every outer training fold, from ``<tag>-measures.csv.gz`` or, when
    that is missing, computed (seconds: no fits) and written there."""
    path = RESULTS / f"{args.tag}-measures.csv.gz"
    if path.exists():
        return pd.read_csv(path)
    warnings.filterwarnings("ignore")
    rows = [row for name in names for row in fold_measures(name, args.seed, args.outer)]
    measures = pd.DataFrame(rows)
    measures.to_csv(path, index=False, compression=GZIP, float_format="%.6g")
    return pd.read_csv(path)


def _write(args, frame: pd.DataFrame, inner: pd.DataFrame, command: str, wall: float) -> None:
    """Every table of the report from the recorded folds, written to <tag>.json and .md."""
    names = list(dict.fromkeys(frame["dataset"]))
    measures = _measures(args, names)
    summary = summarise(frame)
    config, flat, tried, held = tune_data_prior(frame, inner, measures)
    rules = replay_rules(frame, inner, measures, config)
    every = {
        kind: rules.loc[f"racing, {kind}-prior-20", ["mean_f1", "regret", "regret_few", "fits"]]
        .astype(float)
        .to_dict()
        for kind in ("catalog", "data")
    }
    record = {
        "command": command,
        "wall_seconds": wall,
        "datasets": names,
        "summary": summary,
        "data_prior": {
            "chosen": config,
            "tuning_flat": flat,
            "tried": tried,
            "held_back": held,
            "all": every,
        },
    }
    (RESULTS / f"{args.tag}.json").write_text(json.dumps(record, indent=2) + "\n")
    report = (
        _markdown(summary, command, wall, frame["seconds"].sum())
        + _rules_markdown(rules)
        + _data_prior_markdown(config, flat, tried, held, every)
    )
    (RESULTS / f"{args.tag}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
