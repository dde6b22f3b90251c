"""Active learning as a user runs it: suites of simulations into a results store, and the next
batch of rows for a person to label.

A simulation (one query strategy, one learner, one embedded dataset, one seed) is one
:class:`skewlearn.evaluation.Task`: its ``fold`` is the seed's number, so the store's key
(dataset, strategy, fold) names it and a killed suite resumes without redoing any. The strategy
is recorded as ``"<query strategy>/<learner>"`` (``"tailor/lr"``).

A :class:`~skewlearn.evaluation.Result` holds a dict of floats, so the learning curve is stored
in ``metrics`` under this key scheme (read back by :func:`curve_from_metrics`):

- ``aulc_<metric>``: the normalised area under the curve (the first is the result's ``score``);
- ``curve/n_labelled/<i>``, ``curve/score/<metric>/<i>``, ``curve/query_seconds/<i>``: the
  curve's arrays, ``<i>`` the position in the array;
- ``curve/count/<class>/<i>``: labels of each class after round ``<i>``, in class order;
- ``curve/trace/<candidate>/<i>``: 1.0 where ``<candidate>`` chose most rows of a
  meta-strategy's query ``<i>``, and ``curve/choice/<candidate>/<i>`` the rows it chose
  (both absent for other strategies);
- ``n_pool``: the rows of the pool.

Labels read back from a store are strings (the keys of a JSON object).

The labelling flow (:func:`next_batch`) keeps no state of its own: the labels file is the
whole state, it is only ever read, and the same files and seed give the same batch.
"""

from __future__ import annotations

import functools
import json
import time
import traceback
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
# Until two classes are labelled no classifier can be fitted; the batch is then chosen for
# diversity in feature space, which needs no model.
FALLBACK_STRATEGY = "coreset"
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
        out.update({f"curve/count/{label}/{i}": float(v) for i, v in enumerate(counts[:, column])})
    for i, name in enumerate(curve.strategy_trace):
        out[f"curve/trace/{name}/{i}"] = 1.0
    for name, values in curve.choice_counts.items():
        out.update({f"curve/choice/{name}/{i}": float(v) for i, v in enumerate(values)})
    return out


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

    classes = [name[len("count/") :] for name in arrays if name.startswith("count/")]
    trace: dict[int, str] = {}
    for name, values in arrays.items():
        if name.startswith("trace/"):
            trace.update({i: name[len("trace/") :] for i in values})
    scores = {name[len("score/") :]: ordered(name) for name in arrays if name.startswith("score/")}
    counts = np.column_stack([ordered(f"count/{c}") for c in classes]).astype(int)
    return LearningCurve(
        n_labelled=ordered("n_labelled").astype(int),
        scores=scores,
        class_counts=counts,
        classes=np.array(classes, dtype=object),
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


# -- the labelling flow -------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelBatch:
    """The rows a person should label next, and where the labelling stands.

    Attributes
    ----------
    rows : pandas.DataFrame
        The chosen pool rows, id column first, in the order the strategy ranked them.
    id_column : str
    counts : pandas.Series
        Labels per class so far, most frequent first (empty before any label).
    new_classes : list
        Classes with a single label: accepted as classes, shown so a typo is noticed.
    strategy : str
        The strategy that chose the batch (the fallback when fewer than two classes).
    notes : list of str
        What the flow decided on its own (a fallback, a batch cut to the pool, duplicates
        counted once, imputed values, dropped columns).
    n_pool, n_labelled : int
    """

    rows: pd.DataFrame
    id_column: str
    counts: pd.Series
    new_classes: list[Any]
    strategy: str
    notes: list[str] = field(default_factory=list)
    n_pool: int = 0
    n_labelled: int = 0


def _listed(values: Sequence[Any], limit: int = 5) -> str:
    shown = ", ".join(map(repr, list(values)[:limit]))
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def detect_id_column(pool: pd.DataFrame) -> str:
    """The pool's id column: the id-like column (unique on every row), named like an id
    when there are several.

    Examples
    --------
    >>> detect_id_column(pd.DataFrame({"ref_id": [7, 3, 9], "x": [1.0, 2.0, 2.0]}))
    'ref_id'
    """
    from skewlearn.datasets._schema import _looks_like_id_name, column_kind

    found = [c for c in pool.columns if column_kind(pool[c]) == "id-like"]
    named = [c for c in found if _looks_like_id_name(c)]
    if len(named) == 1:
        return named[0]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValueError(
            "the pool has no id column (a column with a different value on every row); "
            "add one, or name it with --id COL"
        )
    raise ValueError(
        f"the pool has several id-like columns ({_listed(found)}): choose one with --id"
    )


def _pool_ids(pool: pd.DataFrame, id_column: str) -> pd.Series:
    if id_column not in pool.columns:
        raise ValueError(
            f"id column {id_column!r} is not in the pool; "
            f"its columns are {_listed(pool.columns, 10)}"
        )
    ids = pool[id_column]
    if ids.isna().any():
        raise ValueError(
            f"id column {id_column!r} is empty on {int(ids.isna().sum())} pool rows; "
            "every row needs an id"
        )
    ids = ids.astype(str).str.strip()
    repeated = ids[ids.duplicated()].unique()
    if len(repeated):
        raise ValueError(
            f"id column {id_column!r} repeats ids in the pool ({_listed(repeated)}); "
            "ids must be unique: choose another column with --id"
        )
    return ids


def read_labels(path: str | Path, id_column: str) -> tuple[pd.Series, int]:
    """The labels file as a series indexed by id (as text), and how many repeated rows it had.

    The file has an id column (named like the pool's id column, or ``id``) and a ``label``
    column; a file of exactly two columns may name them otherwise (id first). An id listed
    twice with the same label counts once; with different labels it is an error. The file is
    only read, never written.
    """
    from skewlearn.datasets import check_labels, read_table

    table = read_table(path)
    lower = {str(c).lower(): c for c in table.columns}
    id_name = lower.get(id_column.lower(), lower.get("id"))
    label_name = lower.get("label")
    if (id_name is None or label_name is None) and table.shape[1] == 2:
        id_name, label_name = table.columns
    if id_name is None or label_name is None or id_name == label_name:
        raise ValueError(
            f"{path} needs an id column ({id_column!r} or 'id') and a 'label' column; "
            f"it has {_listed(table.columns, 10)}"
        )
    ids = table[id_name].astype(str).str.strip()
    labels = table[label_name]
    empty = ids[labels.isna().to_numpy() | table[id_name].isna().to_numpy()]
    if len(empty):
        raise ValueError(
            f"{path} has rows without an id or a label (ids {_listed(empty.tolist())}); "
            "fill or remove them"
        )
    labels = pd.Series(labels.to_numpy(), index=ids.to_numpy(), name="label")
    check_labels(labels.astype(str))
    conflicts = labels.groupby(level=0).nunique()
    conflicts = conflicts[conflicts > 1]
    if len(conflicts):
        first = conflicts.index[0]
        raise ValueError(
            f"{path} gives conflicting labels to {len(conflicts)} id(s) "
            f"({_listed(conflicts.index)}); "
            f"id {first!r} is labelled {_listed(sorted(map(str, labels[first].unique())))}: "
            "keep one label per id"
        )
    repeated = labels.index.duplicated()
    return labels[~repeated], int(repeated.sum())


def next_batch(
    pool: str | Path,
    labels: str | Path | None = None,
    *,
    batch: int = 20,
    id_column: str | None = None,
    strategy: str = "tailor",
    learner: str = "lr",
    seed: int = 0,
) -> LabelBatch:
    """Choose the next ``batch`` pool rows to label, from the pool and the labels so far.

    The labels file is the whole state: nothing else is read or kept, and the same files and
    seed give the same batch (the order of rows in the labels file does not matter).
    Well-defined cases rather than errors:

    - no labels file, or fewer than two classes labelled: no classifier can be fitted, so the
      batch is chosen by ``coreset`` (diversity in feature space) until two classes are;
    - a label seen once is a new class (listed in ``new_classes``);
    - a batch larger than the unlabelled rows is cut to them;
    - missing values are imputed (median, or a ``missing`` category), and every category is
      known because the encoding is fitted on the whole pool (it sees no label).

    Errors: ids not in the pool, an id with conflicting labels, labels that differ only in
    case or spaces, a pool without a unique id column, a fully labelled pool, ``batch < 1``.

    Because nothing but the labels is kept, a stateful strategy starts afresh each batch:
    ``tailor`` draws from its prior over candidates every time (its posterior needs the order
    in which batches were labelled, which a labels file does not record).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> rng = np.random.default_rng(0)
    >>> pd.DataFrame({"id": range(60), "x": rng.normal(size=60)}).to_csv(folder / "pool.csv",
    ...                                                                  index=False)
    >>> pd.DataFrame({"id": [0, 1, 2], "label": ["a", "b", "a"]}).to_csv(folder / "labels.csv",
    ...                                                                   index=False)
    >>> chosen = next_batch(folder / "pool.csv", folder / "labels.csv", batch=5, strategy="margin")
    >>> len(chosen.rows), chosen.counts.to_dict()
    (5, {'a': 2, 'b': 1})
    """
    from skewlearn.active import ActiveLearner, make_strategy
    from skewlearn.datasets import read_table
    from skewlearn.datasets._schema import column_kind
    from skewlearn.select._preprocess import make_preprocessor
    from skewlearn.select._schema import TableSchema

    if batch < 1:
        raise ValueError(f"--batch must be at least 1, got {batch}")
    make_strategy(strategy)  # an unknown name fails before any file is read
    make_learner(learner)
    table = read_table(pool)
    id_column = id_column or detect_id_column(table)
    ids = _pool_ids(table, id_column)
    notes: list[str] = []
    given, repeated = (
        (pd.Series([], dtype=object), 0) if labels is None else read_labels(labels, id_column)
    )
    if repeated:
        notes.append(
            f"{repeated} repeated row(s) of {Path(labels).name} (same id, same label) counted once"
        )
    unknown = given.index[~given.index.isin(ids)]
    if len(unknown):
        raise ValueError(
            f"{len(unknown)} id(s) of {labels} are not in the pool's {id_column!r} column "
            f"({_listed(unknown.tolist())}); check the files and --id"
        )
    labelled = ids.isin(given.index).to_numpy()
    unlabelled = np.flatnonzero(~labelled)
    if len(unlabelled) == 0:
        raise ValueError(f"every row of the pool ({len(ids)}) is labelled; there is nothing to ask")
    if batch > len(unlabelled):
        notes.append(f"batch cut from {batch} to the {len(unlabelled)} unlabelled rows left")
        batch = len(unlabelled)

    features = table.drop(columns=[id_column])
    kinds = {c: column_kind(features[c]) for c in features.columns}
    dropped = [c for c, kind in kinds.items() if kind in ("empty", "constant", "id-like")]
    if dropped:
        notes.append(
            f"columns not used as features (empty, constant or id-like): {_listed(dropped)}"
        )
    features = features.drop(columns=dropped)
    if features.shape[1] == 0:
        raise ValueError("the pool has no feature column besides its id: nothing to learn from")
    missing = int(features.isna().sum().sum())
    if missing:
        notes.append(f"{missing} missing value(s) in the pool imputed (median, or 'missing')")
    features = TableSchema.from_frame(features).conform(features)
    X = make_preprocessor(scale=True).fit_transform(features).astype(float)

    # Labelled rows in pool order, so the labels file's row order changes nothing.
    positions = np.flatnonzero(labelled)
    y = given.reindex(ids.iloc[positions]).to_numpy()
    counts = pd.Series(y, dtype=object).value_counts() if len(y) else pd.Series([], dtype=int)
    counts = counts.rename_axis("class").rename("labels")
    classes = np.array(sorted(counts.index, key=str), dtype=object)
    if len(classes) < 2:
        seen = "no class" if not len(classes) else f"one class ({classes[0]!r})"
        notes.append(
            f"{seen} labelled so far: this batch is chosen by {FALLBACK_STRATEGY} (diversity) "
            f"instead of {strategy} until two classes are labelled"
        )
        chosen = make_strategy(FALLBACK_STRATEGY, random_state=seed).select(
            None,
            X[unlabelled],
            batch,
            X_labelled=X[positions],
            y_labelled=y,
            classes=classes,
            random_state=seed,
        )
        used = FALLBACK_STRATEGY
    else:
        active = ActiveLearner(
            make_learner(learner, seed),
            strategy=make_strategy(strategy, random_state=seed),
            batch_size=batch,
            random_state=seed,
        )
        chosen = active.teach(X[positions], y).query(X[unlabelled])
        used = strategy
    rows = table.iloc[unlabelled[np.asarray(chosen, dtype=int)]]
    rows = rows[[id_column, *[c for c in table.columns if c != id_column]]]
    return LabelBatch(
        rows=rows.reset_index(drop=True),
        id_column=id_column,
        counts=counts,
        new_classes=[c for c, n in counts.items() if n == 1],
        strategy=used,
        notes=notes,
        n_pool=len(ids),
        n_labelled=int(labelled.sum()),
    )


def write_batch(batch: LabelBatch, out: str | Path, *, protect: Sequence[str | Path] = ()) -> Path:
    """Write the batch's rows to ``out`` (CSV, whole or not at all), refusing to overwrite
    any ``protect`` file (the pool and the labels: a label is never lost)."""
    from skewlearn.app._atomic import write_csv_atomic

    out = Path(out)
    for path in protect:
        if path is not None and Path(path).exists() and out.exists() and out.samefile(path):
            raise ValueError(
                f"--out {out} is an input file; choose another name such as to_label.csv"
            )
    if out.suffix.lower() != ".csv":
        raise ValueError(f"--out must be a .csv file, got {out.name!r}")
    if not out.parent.is_dir():
        raise ValueError(f"cannot write {out}: folder {out.parent} does not exist")
    return write_csv_atomic(batch.rows, out)


# -- reading a suite back -----------------------------------------------------------------------


def curve_table(store: SQLiteStore) -> pd.DataFrame:
    """Every finished simulation's learning curve, one row per round.

    Columns: dataset, strategy, seed (the simulation's number), round, n_labelled, share (of
    the pool labelled), one column per metric, and ``rare_labels`` (labels of the dataset's
    rarest class so far).
    """
    frames = []
    for result in store.results():
        if result.status != "ok":
            continue
        curve = curve_from_metrics(result.metrics)
        frame = pd.DataFrame(
            {
                "dataset": result.dataset,
                "strategy": result.strategy,
                "seed": result.fold,
                "round": np.arange(len(curve.n_labelled)),
                "n_labelled": curve.n_labelled,
                "share": curve.n_labelled / curve.n_pool,
                **{metric: values for metric, values in curve.scores.items()},
            }
        )
        rarest = str(_rarest_class(result.dataset))
        counts = pd.DataFrame(curve.class_counts, columns=[str(c) for c in curve.classes])
        frame["rare_labels"] = counts[rarest].to_numpy() if rarest in counts else np.nan
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def query_times(store: SQLiteStore) -> pd.DataFrame:
    """Seconds of every query (not the initial set) of every finished simulation: columns
    strategy, seconds."""
    frames = [
        pd.DataFrame(
            {"strategy": r.strategy, "seconds": curve_from_metrics(r.metrics).query_seconds[1:]}
        )
        for r in store.results()
        if r.status == "ok"
    ]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["strategy", "seconds"])
    )


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
