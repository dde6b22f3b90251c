"""The unit of work of a benchmark: one strategy on one fold of one dataset.

A task is a small record (names, indices, seeds): the worker that runs it loads the embedded
dataset and rebuilds the folds itself, so a task costs a few hundred bytes to send to another
process or machine, whatever the size of the data.
"""

from __future__ import annotations

import functools
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from skewlearn._versions import package_versions
from skewlearn.select import EvaluationPlan, Fold, Objective, TableSchema, TaskInfo

DEFAULT_METRICS: tuple[str, ...] = (
    "average_precision",
    "f1",
    "balanced_accuracy",
    "mcc",
    "gmean",
)
# A traceback summary keeps the last frames, where the error was raised, and stays small.
_TRACEBACK_LINES = 12


class BenchStrategy(Protocol):
    """What the benchmark needs of a strategy; :class:`skewlearn.select.Strategy` is one."""

    @property
    def name(self) -> str: ...

    def unavailable(self, task: TaskInfo) -> str | None: ...

    def build(self, task: TaskInfo, *, metric: str, random_state: int) -> BaseEstimator: ...


@dataclass(frozen=True)
class Recipe:
    """A strategy made from any estimator, for methods outside the strategy catalog.

    Parameters
    ----------
    name : str
        The name results are recorded under.
    estimator : estimator or callable
        An unfitted scikit-learn / imbalanced-learn estimator or pipeline that accepts the
        dataset's table as it is (so it usually starts with a preprocessing step), or a
        function ``make(task: TaskInfo) -> estimator`` for one that adapts to the data (a
        SMOTE whose ``k_neighbors`` fits the smallest class). Every ``random_state``
        parameter, nested ones included, is set to the task's seed.
    description : str, default=""

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> recipe = Recipe("tree", DecisionTreeClassifier())
    >>> recipe.build(None, metric="f1", random_state=7).random_state
    7
    """

    name: str
    estimator: BaseEstimator | Callable[[TaskInfo], BaseEstimator]
    description: str = ""

    def unavailable(self, task: TaskInfo) -> str | None:
        return None

    def build(self, task: TaskInfo, *, metric: str, random_state: int) -> BaseEstimator:
        if isinstance(self.estimator, BaseEstimator):
            estimator = clone(self.estimator)
        else:
            estimator = self.estimator(task)
        seeds = {k: random_state for k in estimator.get_params() if k.endswith("random_state")}
        return estimator.set_params(**seeds)


@dataclass(frozen=True)
class BenchTask:
    """One strategy on one fold of one embedded dataset.

    ``fold`` is the index of the fold in the evaluation plan (repeat-major, so
    ``repeat == fold // n_splits``); ``(dataset, strategy, fold)`` identifies the task.
    """

    dataset: str
    strategy: BenchStrategy
    repeat: int
    fold: int
    seed: int
    metrics: tuple[str, ...]
    n_splits: int
    n_repeats: int
    plan_seed: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.dataset, self.strategy.name, self.fold)


@dataclass(frozen=True)
class BenchResult:
    """The outcome of a :class:`BenchTask`.

    ``status`` is ``"ok"``, ``"failed"`` (``error`` and ``traceback`` say why) or
    ``"skipped"`` (the strategy cannot apply to the dataset; ``error`` says why).
    """

    dataset: str
    strategy: str
    repeat: int
    fold: int
    seed: int
    status: str
    metrics: dict[str, float] = field(default_factory=dict)
    fit_time: float = 0.0
    predict_time: float = 0.0
    error: str | None = None
    traceback: str | None = None
    versions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PreparedData:
    """A dataset as every task sees it: conformed table, labels, folds and task summary."""

    X: pd.DataFrame
    y: np.ndarray
    classes: np.ndarray
    folds: list[Fold]
    info: TaskInfo


# Tasks arrive dataset by dataset, so a small per-process cache loads each dataset once per
# worker instead of once per task.
@functools.lru_cache(maxsize=4)
def prepare_dataset(name: str, n_splits: int, n_repeats: int, plan_seed: int) -> PreparedData:
    """Load an embedded dataset and build its evaluation plan, the same way in every process.

    Examples
    --------
    >>> data = prepare_dataset("ecoli1", 5, 1, 0)
    >>> len(data.folds), data.info.n_samples
    (5, 336)
    """
    from skewlearn.datasets import load_dataset

    dataset = load_dataset(name)
    X = TableSchema.from_frame(dataset.X).conform(dataset.X)
    y = dataset.y.to_numpy()
    plan = EvaluationPlan(n_splits=n_splits, n_repeats=n_repeats, random_state=plan_seed)
    with warnings.catch_warnings():
        # A reduced fold count is recorded in the plan itself (fewer folds per repeat).
        warnings.simplefilter("ignore", UserWarning)
        folds = plan.folds(y)
        splits = plan.resolved_splits(y)
    info = TaskInfo.from_data(X, y, n_splits=splits)
    return PreparedData(X, y, np.unique(y), folds, info)


def objectives(metrics: Sequence[str], classes: np.ndarray, y: np.ndarray) -> list[Objective]:
    """The metrics that apply to a target, each with its positive class fixed from all of ``y``.

    Binary-only metrics are left out on multiclass targets (they are recorded as missing).
    """
    found = []
    for metric in metrics:
        try:
            found.append(Objective(metric, classes, y))
        except ValueError:
            if len(classes) <= 2:
                raise
    return found


def evaluate_task(task: BenchTask) -> BenchResult:
    """Fit the strategy on the task's training fold and compute every metric on its test fold.

    A failure is returned as a result (error text and a traceback summary), never raised, so
    one broken strategy does not stop a run.

    Examples
    --------
    >>> from skewlearn.select import Strategy
    >>> task = BenchTask("ecoli1", Strategy.parse("tree"), 0, 0, 1, ("f1",), 5, 1, 0)
    >>> result = evaluate_task(task)
    >>> result.status, sorted(result.metrics)
    ('ok', ['f1'])
    """
    data = prepare_dataset(task.dataset, task.n_splits, task.n_repeats, task.plan_seed)
    base = dict(
        dataset=task.dataset,
        strategy=task.strategy.name,
        repeat=task.repeat,
        fold=task.fold,
        seed=task.seed,
        versions=package_versions(),
    )
    reason = task.strategy.unavailable(data.info)
    if reason:
        return BenchResult(status="skipped", error=reason, **base)
    fold = data.folds[task.fold]
    start = time.perf_counter()
    try:
        scorers = objectives(task.metrics, data.classes, data.y)
        estimator = task.strategy.build(
            data.info, metric=scorers[0].decision_metric, random_state=task.seed
        )
        estimator.fit(data.X.iloc[fold.train], data.y[fold.train])
        fit_time = time.perf_counter() - start
        start = time.perf_counter()
        X_test = data.X.iloc[fold.test]
        y_pred = np.asarray(estimator.predict(X_test))
        y_proba = (
            np.asarray(estimator.predict_proba(X_test), dtype=float)
            if hasattr(estimator, "predict_proba")
            else None
        )
        predict_time = time.perf_counter() - start
        y_test = data.y[fold.test]
        metrics = {s.name: s.score(y_test, y_pred, y_proba) for s in scorers}
    except Exception as error:  # recorded with its traceback, never swallowed
        summary = traceback.format_exception_only(type(error), error)[-1].strip()
        frames = traceback.format_exception(type(error), error, error.__traceback__)
        return BenchResult(
            status="failed",
            fit_time=time.perf_counter() - start,
            error=summary,
            traceback=_tail("".join(frames)),
            **base,
        )
    return BenchResult(
        status="ok", metrics=metrics, fit_time=fit_time, predict_time=predict_time, **base
    )


def _tail(text: str) -> str:
    lines = text.rstrip().splitlines()
    return "\n".join(lines[-_TRACEBACK_LINES:])


def describe(strategy: Any) -> str:
    """One line about a strategy for the report."""
    return str(getattr(strategy, "description", "") or "")
