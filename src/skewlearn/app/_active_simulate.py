"""Active learning simulations: suites of them into a results store, and reading them back.

A simulation (one query strategy, one learner, one embedded dataset, one seed) is one
:class:`skewlearn.evaluation.Task`: its ``fold`` is the seed's number, so the store's key
(dataset, strategy, fold) names it and a killed suite resumes without redoing any. The strategy
is recorded as ``"<query strategy>/<learner>"`` (``"tailor/lr"``).

A :class:`~skewlearn.evaluation.Result` holds a dict of floats, so the learning curve is stored
in ``metrics`` under this key scheme (read back by :func:`curve_from_metrics`):

- ``aulc_<metric>``: the normalised area under the curve (the first is the result's ``score``);
- ``curve/n_labelled/<i>``, ``curve/score/<metric>/<i>``, ``curve/query_seconds/<i>``: the
  curve's arrays, ``<i>`` the position in the array;
- ``curve/count/<class>/<i>``: labels of each class after round ``<i>``, in class order,
  ``<class>`` the label in JSON (``1``, ``"a"``), so that it reads back with its type;
- ``curve/trace/<candidate>/<i>``: 1.0 where ``<candidate>`` chose most rows of a
  meta-strategy's query ``<i>``, and ``curve/choice/<candidate>/<i>`` the rows it chose
  (both absent for other strategies);
- ``n_pool``: the rows of the pool.
"""

from __future__ import annotations

import functools
import json
import time
import traceback
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from skewlearn.bench import BenchRun, resolve_datasets
from skewlearn.bench._runner import run_tasks
from skewlearn.evaluation import (
    Engine,
    Result,
    SQLiteStore,
    Task,
    TaskInfo,
)

SIMULATION_METRICS: tuple[str, ...] = ("macro_f1", "balanced_accuracy")
LEARNERS: tuple[str, ...] = ("lr", "hgb")
# The strategies a suite compares unless told otherwise: TAILOR, its candidates and baselines.
DEFAULT_STRATEGIES: tuple[str, ...] = (
    "tailor",
    "random_choice",
    "random",
    "least_confidence",
    "margin",
    "entropy",
    "coreset",
    "class_balanced",
    "badge",
)
_LINEAR_LEARNERS = ("lr",)
_TRACEBACK_LINES = 12


def make_learner(name: str, random_state: int | None = None) -> BaseEstimator:
    """The learner of a simulation: ``"lr"`` (logistic regression) or ``"hgb"``.

    Examples
    --------
    >>> type(make_learner("hgb", 0)).__name__
    'HistGradientBoostingClassifier'
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    if name == "lr":
        return LogisticRegression(max_iter=1000)
    if name == "hgb":
        return HistGradientBoostingClassifier(random_state=random_state)
    raise ValueError(f"unknown learner {name!r}; use one of {', '.join(LEARNERS)}")


@dataclass(frozen=True)
class SimulationPlan:
    """How every simulation of a suite replays its dataset.

    Each seed splits the dataset into a stratified hold-out (``test_size``) and a pool, the
    same for every strategy; the pool starts with a stratified ``initial`` share labelled (at
    least 2 per class) and gains ``batch_size`` of the pool per round until ``budget`` of it
    is labelled. Features are imputed, one-hot encoded and standardised by a step fitted on
    the pool (it sees no label), so distance-based strategies see comparable columns.
    """

    initial: float = 0.01
    batch_size: float = 0.01
    budget: float = 0.3
    test_size: float = 0.3
    metrics: tuple[str, ...] = SIMULATION_METRICS
    seed: int = 0

    def config(self) -> dict[str, Any]:
        """The plan as the store records it; results of different plans are never pooled."""
        return {
            "kind": "active-simulation",
            "initial": self.initial,
            "batch_size": self.batch_size,
            "budget": self.budget,
            "test_size": self.test_size,
            "metrics": list(self.metrics),
            "seed": self.seed,
        }


@dataclass(frozen=True)
class ActiveCandidate:
    """A query strategy with a learner: what one simulation compares.

    Satisfies :class:`skewlearn.evaluation.Candidate`; ``build`` gives the learner.

    Examples
    --------
    >>> ActiveCandidate("tailor", "lr").name
    'tailor/lr'
    """

    query: str
    learner: str

    @property
    def name(self) -> str:
        return f"{self.query}/{self.learner}"

    @property
    def description(self) -> str:
        return f"query strategy {self.query} with learner {self.learner}"

    def unavailable(self, task: TaskInfo | None) -> str | None:
        """Why this pair cannot run (BADGE needs a linear last layer), or None."""
        if self.query == "badge" and self.learner not in _LINEAR_LEARNERS:
            return (
                f"badge needs gradient embeddings of a linear last layer; {self.learner} has "
                "none (use lr)"
            )
        return None

    def build(self, task: TaskInfo | None, *, metric: str, random_state: int) -> BaseEstimator:
        return make_learner(self.learner, random_state)


def resolve_candidates(
    strategies: str | Sequence[str], learners: str | Sequence[str]
) -> list[ActiveCandidate]:
    """Every (strategy, learner) pair from comma-separated names, checked.

    Examples
    --------
    >>> [c.name for c in resolve_candidates("random,tailor", "lr")]
    ['random/lr', 'tailor/lr']
    """
    from skewlearn.active import strategy_names

    queries = _names(strategies, "strategy")
    chosen = _names(learners, "learner")
    known = strategy_names()
    unknown = [q for q in queries if q not in known]
    if unknown:
        raise ValueError(
            f"unknown query strategy {', '.join(map(repr, unknown))}; use {', '.join(known)}"
        )
    bad = [name for name in chosen if name not in LEARNERS]
    if bad:
        raise ValueError(f"unknown learner {', '.join(map(repr, bad))}; use lr or hgb")
    return [ActiveCandidate(q, learner) for learner in chosen for q in queries]


def _names(spec: str | Sequence[str], what: str) -> list[str]:
    tokens = spec.split(",") if isinstance(spec, str) else list(spec)
    names = [t.strip() for t in tokens if t.strip()]
    if not names:
        raise ValueError(f"no {what} given")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{what} named twice: {', '.join(repeated)}")
    return names


def simulation_seed(seed: int, dataset: str, index: int) -> int:
    """The seed of a dataset's ``index``-th simulation: the same for every strategy, so that
    strategies are compared on the same hold-out and the same initial labels.

    Examples
    --------
    >>> simulation_seed(0, "ecoli1", 1) == simulation_seed(0, "ecoli1", 1)
    True
    """
    key = [seed, zlib.crc32(dataset.encode()), index]
    return int(np.random.SeedSequence(key).generate_state(1)[0])


def plan_simulations(
    datasets: Sequence[str],
    candidates: Sequence[ActiveCandidate],
    seeds: int,
    plan: SimulationPlan,
) -> list[Task]:
    """Every (dataset, candidate, seed) simulation as a task, dataset by dataset."""
    return [
        Task(name, candidate, index, 0, simulation_seed(plan.seed, name, index), ())
        for name in datasets
        for candidate in candidates
        for index in range(seeds)
    ]


@dataclass(frozen=True)
class SplitData:
    """One seed's split of a dataset, as numbers: the pool and the hold-out."""

    X_pool: np.ndarray
    y_pool: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


@functools.lru_cache(maxsize=8)
def _load(name: str) -> tuple[pd.DataFrame, np.ndarray]:
    from skewlearn.datasets import load_dataset
    from skewlearn.select._schema import TableSchema

    dataset = load_dataset(name)
    return TableSchema.from_frame(dataset.X).conform(dataset.X), dataset.y.to_numpy()


def split_dataset(name: str, plan: SimulationPlan, seed: int) -> SplitData:
    """The pool and hold-out of an embedded dataset for one simulation seed.

    Examples
    --------
    >>> data = split_dataset("ecoli1", SimulationPlan(), 7)
    >>> len(data.y_pool) + len(data.y_test)
    336
    """
    from skewlearn.select._preprocess import make_preprocessor

    X, y = _load(name)
    test = hold_out(y, plan.test_size, seed)
    X_pool, X_test = X.iloc[~test], X.iloc[test]
    encode = make_preprocessor(scale=True).fit(X_pool)
    return SplitData(
        encode.transform(X_pool).astype(float),
        y[~test],
        encode.transform(X_test).astype(float),
        y[test],
    )


def hold_out(y: np.ndarray, test_size: float, seed: int) -> np.ndarray:
    """A stratified hold-out mask that leaves at least 2 rows of every class in the pool.

    Each class gives ``round(test_size * n_c)`` rows to the hold-out, fewer when that would
    leave it under 2 in the pool (the initial set needs 2 of each): a class of 3 rows is
    tested on 1, a class of 2 on none.

    Examples
    --------
    >>> y = np.array(["a"] * 10 + ["b"] * 3)
    >>> test = hold_out(y, 0.3, 0)
    >>> int(test[:10].sum()), int(test[10:].sum())
    (3, 1)
    """
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        n_test = min(int(round(test_size * len(members))), max(0, len(members) - 2))
        test[rng.permutation(members)[:n_test]] = True
    return test


def simulate_embedded(plan: SimulationPlan, task: Task) -> Result:
    """Run one simulation task on its embedded dataset; a failure is a result, never raised."""
    from threadpoolctl import threadpool_limits

    from skewlearn._versions import package_versions
    from skewlearn.active import make_strategy, simulate

    versions = package_versions()
    identity = (task.dataset, task.strategy.name, task.fold, task.repeat, task.seed)
    reason = task.strategy.unavailable(None)
    if reason:
        return Result(*identity, "skipped", error=reason, versions=versions)
    start = time.perf_counter()
    try:
        data = split_dataset(task.dataset, plan, task.seed)
        candidate = task.strategy
        # Pools of embedded sets are small: one thread is faster than two on a shared machine.
        with threadpool_limits(limits=1):
            curve = simulate(
                candidate.build(None, metric=plan.metrics[0], random_state=task.seed),
                make_strategy(candidate.query, random_state=task.seed),
                data.X_pool,
                data.y_pool,
                X_test=data.X_test,
                y_test=data.y_test,
                initial=plan.initial,
                batch_size=plan.batch_size,
                budget=plan.budget,
                metrics=plan.metrics,
                random_state=task.seed,
            )
    except Exception as error:  # recorded in the result with its traceback, never swallowed
        frames = traceback.format_exception(type(error), error, error.__traceback__)
        lines = "".join(frames).rstrip().splitlines()
        return Result(
            *identity,
            "failed",
            fit_time=time.perf_counter() - start,
            error=traceback.format_exception_only(type(error), error)[-1].strip(),
            traceback="\n".join(lines[-_TRACEBACK_LINES:]),
            versions=versions,
        )
    query_time = float(np.sum(curve.query_seconds))
    return Result(
        *identity,
        "ok",
        metrics=curve_metrics(curve, plan.metrics),
        fit_time=time.perf_counter() - start - query_time,
        predict_time=query_time,
        versions=versions,
    )


def curve_metrics(curve, metrics: Sequence[str]) -> dict[str, float]:
    """A learning curve as the flat dict of floats a result stores (see the module docstring)."""
    out = {f"aulc_{m}": float(curve.area(m)) for m in metrics}
    out["n_pool"] = float(curve.n_pool)
    out.update({f"curve/n_labelled/{i}": float(v) for i, v in enumerate(curve.n_labelled)})
    for metric in metrics:
        out.update(
            {f"curve/score/{metric}/{i}": float(v) for i, v in enumerate(curve.scores[metric])}
        )
    out.update({f"curve/query_seconds/{i}": float(v) for i, v in enumerate(curve.query_seconds)})
    counts = np.asarray(curve.class_counts)
    for column, label in enumerate(curve.classes):
        key = _label_key(label)
        out.update({f"curve/count/{key}/{i}": float(v) for i, v in enumerate(counts[:, column])})
    for i, name in enumerate(curve.strategy_trace):
        out[f"curve/trace/{name}/{i}"] = 1.0
    for name, values in curve.choice_counts.items():
        out.update({f"curve/choice/{name}/{i}": float(v) for i, v in enumerate(values)})
    return out


def _label_key(label: Any) -> str:
    """A class label as JSON text (numpy scalars as their Python value)."""
    value = label.item() if isinstance(label, np.generic) else label
    return json.dumps(value, default=str)


def _label_from_key(text: str) -> Any:
    """The class label a key holds; text that is not JSON (stores written before labels
    were) is the label itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def curve_from_metrics(metrics: dict[str, float]):
    """The :class:`skewlearn.active.LearningCurve` a result's metrics hold."""
    from skewlearn.active import LearningCurve

    arrays: dict[str, dict[int, float]] = {}
    for key, value in metrics.items():
        if key.startswith("curve/"):
            name, index = key[len("curve/") :].rsplit("/", 1)
            arrays.setdefault(name, {})[int(index)] = value

    def ordered(name: str) -> np.ndarray:
        values = arrays.get(name, {})
        return np.array([values[i] for i in sorted(values)], dtype=float)

    keys = [name[len("count/") :] for name in arrays if name.startswith("count/")]
    trace: dict[int, str] = {}
    for name, values in arrays.items():
        if name.startswith("trace/"):
            trace.update({i: name[len("trace/") :] for i in values})
    scores = {name[len("score/") :]: ordered(name) for name in arrays if name.startswith("score/")}
    counts = np.column_stack([ordered(f"count/{key}") for key in keys]).astype(int)
    return LearningCurve(
        n_labelled=ordered("n_labelled").astype(int),
        scores=scores,
        class_counts=counts,
        classes=np.array([_label_from_key(key) for key in keys]),
        query_seconds=ordered("query_seconds"),
        strategy_trace=[trace[i] for i in sorted(trace)],
        n_pool=int(metrics["n_pool"]),
        choice_counts={
            name[len("choice/") :]: ordered(name).astype(int)
            for name in arrays
            if name.startswith("choice/")
        },
    )


def _dataset_row(name: str) -> dict[str, Any]:
    X, y = _load(name)
    _, counts = np.unique(y, return_counts=True)
    return {
        "name": name,
        "n_samples": len(y),
        "n_features": X.shape[1],
        "n_classes": len(counts),
        "imbalance_ratio": float(counts.max() / counts.min()),
    }


def run_active_suite(
    store: SQLiteStore,
    datasets: str | Sequence[str],
    strategies: str | Sequence[str] = DEFAULT_STRATEGIES,
    *,
    learners: str | Sequence[str] = ("lr",),
    seeds: int = 5,
    plan: SimulationPlan = SimulationPlan(),
    engine: str | Engine = "local",
    n_jobs: int | None = 1,
    scheduler: str | None = None,
    max_n: int | None = None,
    retry_failed: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> BenchRun:
    """Simulate strategies x learners x datasets x seeds into ``store``, resuming a stopped run.

    Simulations already in the store are skipped (failed ones too, unless ``retry_failed``);
    the store's writer lock is held for the run and each result is committed as it arrives.

    Parameters
    ----------
    store : SQLiteStore
    datasets : str or list of str
        Suites and dataset names, as :func:`skewlearn.bench.resolve_datasets` reads them.
    strategies : str or list of str
        Names of :func:`skewlearn.active.strategy_names`.
    learners : str or list of str, default=("lr",)
        ``"lr"`` and/or ``"hgb"``.
    seeds : int, default=5
        Simulations per (dataset, strategy, learner), each with its own split and initial set.
    plan : SimulationPlan
    engine : "local", "dask" or an engine
    on_start, on_result : callable, optional
        As in :func:`skewlearn.bench.run_bench`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "active.sqlite"
    >>> with SQLiteStore(path) as store:
    ...     run = run_active_suite(store, "ecoli1", "random", seeds=1)
    >>> run.planned, run.ran, run.failed
    (1, 1, 0)
    """
    start = time.perf_counter()
    if seeds < 1:
        raise ValueError(f"seeds must be at least 1, got {seeds}")
    names = resolve_datasets(datasets, max_n=max_n)
    candidates = resolve_candidates(strategies, learners)
    with store.writer():
        store.check_config(plan.config())
        store.add_strategies((c.name, c.description) for c in candidates)
        store.add_datasets(_dataset_row(name) for name in names)
        tasks = plan_simulations(names, candidates, seeds, plan)
        return run_tasks(
            store,
            tasks,
            functools.partial(simulate_embedded, plan),
            engine=engine,
            n_jobs=n_jobs,
            scheduler=scheduler,
            retry_failed=retry_failed,
            on_start=on_start,
            on_result=on_result,
            start=start,
        )


# -- reading a suite back -----------------------------------------------------------------------


def curve_table(store: SQLiteStore) -> pd.DataFrame:
    """Every finished simulation's learning curve, one row per round.

    Columns: dataset, strategy, seed (the simulation's number), round, n_labelled, share (of
    the pool labelled), one column per metric, and ``rare_labels`` (labels of the dataset's
    rarest class so far).
    """
    columns: dict[str, list[np.ndarray]] = {}
    for result in store.results():
        if result.status != "ok":
            continue
        curve = curve_from_metrics(result.metrics)
        rounds = len(curve.n_labelled)
        labels = [str(label) for label in curve.classes]
        rarest = str(_rarest_class(result.dataset))
        rare = (
            curve.class_counts[:, labels.index(rarest)]
            if rarest in labels
            else np.full(rounds, np.nan)
        )
        _append_columns(
            columns,
            {
                "dataset": np.full(rounds, result.dataset, dtype=object),
                "strategy": np.full(rounds, result.strategy, dtype=object),
                "seed": np.full(rounds, result.fold),
                "round": np.arange(rounds),
                "n_labelled": curve.n_labelled,
                "share": curve.n_labelled / curve.n_pool,
                **curve.scores,
                "rare_labels": rare,
            },
        )
    return _frame_of(columns)


def query_times(store: SQLiteStore) -> pd.DataFrame:
    """Seconds of every query (not the initial set) of every finished simulation: columns
    dataset, strategy, seed (the simulation's number), seconds."""
    columns: dict[str, list[np.ndarray]] = {
        "dataset": [],
        "strategy": [],
        "seed": [],
        "seconds": [],
    }
    for result in store.results():
        if result.status == "ok":
            seconds = curve_from_metrics(result.metrics).query_seconds[1:]
            _append_columns(
                columns,
                {
                    "dataset": np.full(len(seconds), result.dataset, dtype=object),
                    "strategy": np.full(len(seconds), result.strategy, dtype=object),
                    "seed": np.full(len(seconds), result.fold),
                    "seconds": seconds,
                },
            )
    return _frame_of(columns)


def _append_columns(columns: dict[str, list[np.ndarray]], block: dict[str, np.ndarray]) -> None:
    """Add one simulation's rows (every simulation of a store has its config's metrics)."""
    for name, values in block.items():
        columns.setdefault(name, []).append(np.asarray(values))


def _frame_of(columns: dict[str, list[np.ndarray]]) -> pd.DataFrame:
    """One frame from the column parts (one concatenation, not a frame per simulation)."""
    return pd.DataFrame(
        {
            # No simulation finished: empty columns of objects, as an empty frame's.
            name: np.concatenate(parts) if parts else np.array([], dtype=object)
            for name, parts in columns.items()
        }
    )


@functools.cache
def _rarest_class(name: str):
    _, y = _load(name)
    values, counts = np.unique(y, return_counts=True)
    return values[np.argmin(counts)]


def rare_labels_at(curves: pd.DataFrame, share: float = 0.1) -> pd.DataFrame:
    """Rarest-class labels of each simulation at the first round reaching ``share`` labelled.

    Returns one row per strategy (mean over datasets and seeds) with ``rare_labels`` and
    ``vs_random`` (its ratio to the ``random`` strategy with the same learner, when run).
    """
    reached = curves[curves["share"] >= share - 1e-9]
    first = reached.sort_values("round").groupby(["dataset", "strategy", "seed"]).head(1)
    means = first.groupby("strategy", sort=False)["rare_labels"].mean()
    learner = means.index.str.rsplit("/", n=1).str[-1]
    baseline = means.reindex("random/" + learner).to_numpy()
    return pd.DataFrame({"rare_labels": means, "vs_random": means.to_numpy() / baseline})


def summarize_simulations(store: SQLiteStore, *, alpha: float = 0.05, title: str | None = None):
    """The :class:`skewlearn.report._active.ActiveReport` of a store filled by
    :func:`run_active_suite`: areas per metric with ranks, Friedman, Nemenyi and
    Wilcoxon-Holm tests, rarest-class labels at 10%, query times and the curves."""
    from skewlearn.bench import _stats
    from skewlearn.bench._report import critical_difference_svg
    from skewlearn.report._active import ActiveReport, AulcSection, learning_curve_svg

    records = store.records()
    if records.empty:
        raise ValueError(
            f"{store.path} holds no simulations yet: run `skewlearn active simulate` first"
        )
    config = store.config()
    if config.get("kind") != "active-simulation":
        raise ValueError(
            f"{store.path} holds `bench` results, not simulations: use `skewlearn bench report`"
        )
    order = [s for s in store.strategies()["name"] if s in set(records["strategy"])]
    sections = []
    for metric in config["metrics"]:
        table = _stats.score_table(records, f"aulc_{metric}").reindex(columns=order)
        complete = _stats.complete_blocks(table.dropna(axis=1, how="all"))
        ranks = _stats.average_ranks(complete)
        k, n = complete.shape[1], complete.shape[0]
        cd = _stats.nemenyi_critical_difference(k, n, alpha) if k >= 2 and n >= 1 else None
        sections.append(
            AulcSection(
                metric=metric,
                n_datasets=n,
                dropped_datasets=sorted(set(table.index) - set(complete.index)),
                ranks=ranks,
                means=complete.mean().reindex(ranks.index),
                friedman=_stats.friedman_test(complete) if k >= 3 and n >= 2 else None,
                critical_difference=cd,
                pairs=_stats.wilcoxon_holm(complete, alpha=alpha) if n >= 2 else pd.DataFrame(),
                per_dataset=table,
                cd_svg=critical_difference_svg(ranks, cd, f"aulc_{metric}")
                if cd is not None and n >= 2
                else None,
            )
        )
    curves = curve_table(store)
    first = config["metrics"][0]
    figures = {
        name: learning_curve_svg(frame, first, name)
        for name, frame in curves.groupby("dataset", sort=True)
    }
    ok = records[records["status"] == "ok"]
    queries = query_times(store).groupby("strategy")["seconds"]
    timing = pd.DataFrame(
        {
            "median_query": queries.median(),
            "mean_query": queries.mean(),
            "query_total": ok.groupby("strategy")["predict_time"].sum(),
            "fit_total": ok.groupby("strategy")["fit_time"].sum(),
        }
    )
    failed = records[records["status"] == "failed"]
    failures = failed.groupby(["strategy", "dataset", "error"]).size().rename("seeds").reset_index()
    versions = json.loads(records["versions"].dropna().iloc[-1])
    return ActiveReport(
        title=title or store.path.name,
        config=config,
        strategies=order,
        n_datasets=records["dataset"].nunique(),
        status_counts=records["status"].value_counts().to_dict(),
        sections=sections,
        curves=figures,
        rare=rare_labels_at(curves).reindex(order) if len(curves) else pd.DataFrame(),
        timing=timing.reindex(order),
        failures=failures,
        alpha=alpha,
        versions=versions,
    )


def write_simulation_report(store: SQLiteStore, path: str | Path, **options: Any):
    """Summarize ``store`` (see :func:`summarize_simulations`) and write the HTML report."""
    from skewlearn.report._active import write_active_report

    report = summarize_simulations(store, **options)
    return write_active_report(report, path), report
