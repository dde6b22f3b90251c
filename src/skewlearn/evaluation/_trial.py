"""One strategy on one fold of one dataset: the unit of work of every search and benchmark.

A :class:`Task` carries everything but the data (names, fold number, seed, metrics), so it
can run in another process or on another machine; the data travels once per worker as an
:class:`EvaluationData`. :func:`evaluate` turns a task into a :class:`Result`, which names its
own task. The selector, the benchmark runner and the benchmark scripts all use these three.

Thread policy (the same for every caller): below ``THREADED_ROWS`` training rows a fit runs
on one BLAS / OpenMP thread, where more threads cost more than they save (a 150-row gradient
boosting fit took 0.1 s on one thread and 6.5 s on two while the other core was busy); larger
fits use the libraries' defaults.
"""

from __future__ import annotations

import time
import traceback
import zlib
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from threadpoolctl import threadpool_limits

from skewlearn._versions import package_versions
from skewlearn.evaluation._objective import Objective
from skewlearn.evaluation._plan import Fold
from skewlearn.evaluation._task_info import TaskInfo

THREADED_ROWS = 20_000
# A traceback summary keeps the last frames, where the error was raised, and stays small.
_TRACEBACK_LINES = 12


class Candidate(Protocol):
    """What an evaluation needs of a strategy; :class:`skewlearn.select.Strategy` is one.

    On a ``task.weighted`` task the estimator ``build`` returns must take ``sample_weight`` in
    ``fit``, or ``unavailable`` must say why it cannot.
    """

    @property
    def name(self) -> str: ...

    def unavailable(self, task: TaskInfo) -> str | None: ...

    def build(self, task: TaskInfo, *, metric: str, random_state: int) -> BaseEstimator: ...


@dataclass(frozen=True)
class EvaluationData:
    """A dataset as every task sees it: the conformed table, the labels, the folds, a summary.

    ``sample_weight`` (one weight per row, or None) weighs the training rows of every fit;
    ``score_weight`` (the same, or None) weighs the test rows of every fold score. They differ
    when scores are corrected (e.g. to the class prior of the data a sample was drawn from)
    while fits are not.
    """

    X: pd.DataFrame
    y: np.ndarray
    folds: list[Fold]
    info: TaskInfo
    sample_weight: np.ndarray | None = None
    score_weight: np.ndarray | None = None

    @property
    def classes(self) -> np.ndarray:
        return np.asarray(list(self.info.class_counts))


@dataclass(frozen=True)
class Task:
    """One strategy on fold ``fold`` (an index into the data's folds) of dataset ``dataset``.

    ``objectives`` are scored on the test fold; the first decides what a tuned decision rule
    optimises. ``keep_predictions`` keeps the test fold's predictions in the result (the
    selector needs them for its out-of-fold report; a benchmark does not).
    """

    dataset: str
    strategy: Candidate
    fold: int
    repeat: int
    seed: int
    objectives: tuple[Objective, ...]
    keep_predictions: bool = False

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.dataset, self.strategy.name, self.fold)


@dataclass(frozen=True)
class Result:
    """The outcome of a :class:`Task`.

    ``status`` is ``"ok"``, ``"failed"`` (``error`` and ``traceback`` say why) or ``"skipped"``
    (the strategy cannot apply to the dataset; ``error`` says why). ``metrics`` maps each
    objective's name to its score, in the task's order.
    """

    dataset: str
    strategy: str
    fold: int
    repeat: int
    seed: int
    status: str
    metrics: dict[str, float] = field(default_factory=dict)
    fit_time: float = 0.0
    predict_time: float = 0.0
    error: str | None = None
    traceback: str | None = None
    versions: dict[str, str] = field(default_factory=dict)
    test_index: np.ndarray | None = None
    y_pred: np.ndarray | None = None
    y_proba: np.ndarray | None = None

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.dataset, self.strategy, self.fold)

    @property
    def failed(self) -> bool:
        return self.status != "ok"

    @property
    def score(self) -> float:
        """The first objective's score (NaN when the task produced none)."""
        return next(iter(self.metrics.values()), np.nan)

    @classmethod
    def failure(cls, task: Task, error: str, fit_time: float = np.nan) -> Result:
        """The result of a task that produced no score, with the reason."""
        return cls(
            task.dataset,
            task.strategy.name,
            task.fold,
            task.repeat,
            task.seed,
            "failed",
            fit_time=fit_time,
            error=error,
            versions=package_versions(),
        )


def task_seed(random_state: int, strategy: Candidate, fold: Fold | int) -> int:
    """The seed of one task: fixed by the run's seed, the strategy and the fold, on any engine.

    Examples
    --------
    >>> from skewlearn.select import Strategy
    >>> task_seed(0, Strategy.parse("tree"), 3) == task_seed(0, Strategy.parse("tree"), 3)
    True
    """
    index = fold.index if isinstance(fold, Fold) else int(fold)
    key = [random_state, zlib.crc32(strategy.name.encode()), index]
    return int(np.random.SeedSequence(key).generate_state(1)[0])


def evaluate(data: EvaluationData, task: Task) -> Result:
    """Fit the task's strategy on its training fold and score every objective on its test fold.

    A failure is returned as a result (error text and a traceback summary), never raised, so
    one broken strategy never stops a run.

    Examples
    --------
    >>> from skewlearn.evaluation import EvaluationPlan, Objective, TaskInfo
    >>> from skewlearn.select import Strategy
    >>> X = pd.DataFrame({"a": np.arange(40.0)})
    >>> y = np.array([0] * 30 + [1] * 10)
    >>> folds = EvaluationPlan(4, 1, random_state=0).folds(y)
    >>> data = EvaluationData(X, y, folds, TaskInfo.from_data(X, y, n_splits=4))
    >>> task = Task("toy", Strategy.parse("tree"), 0, 0, 1, (Objective("f1", [0, 1], y),))
    >>> result = evaluate(data, task)
    >>> result.status, list(result.metrics)
    ('ok', ['f1'])
    """
    versions = package_versions()
    reason = task.strategy.unavailable(data.info)
    if reason:
        return Result(*_identity(task), "skipped", error=reason, versions=versions)
    fold = data.folds[task.fold]
    threads = 1 if len(fold.train) < THREADED_ROWS else None
    start = time.perf_counter()
    try:
        with threadpool_limits(limits=threads):
            return _fit_and_score(data, task, fold, versions)
    except Exception as error:  # recorded in the result with its traceback, never swallowed
        summary = traceback.format_exception_only(type(error), error)[-1].strip()
        frames = traceback.format_exception(type(error), error, error.__traceback__)
        lines = "".join(frames).rstrip().splitlines()
        return Result(
            *_identity(task),
            "failed",
            fit_time=time.perf_counter() - start,
            error=summary,
            traceback="\n".join(lines[-_TRACEBACK_LINES:]),
            versions=versions,
        )


def _identity(task: Task) -> tuple:
    return (task.dataset, task.strategy.name, task.fold, task.repeat, task.seed)


def _fit_and_score(data: EvaluationData, task: Task, fold: Fold, versions: dict) -> Result:
    start = time.perf_counter()
    estimator = task.strategy.build(
        data.info, metric=task.objectives[0].decision_metric, random_state=task.seed
    )
    fit_params = {}
    if data.sample_weight is not None:
        fit_params["sample_weight"] = data.sample_weight[fold.train]
    estimator.fit(data.X.iloc[fold.train], data.y[fold.train], **fit_params)
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
    weight = None if data.score_weight is None else data.score_weight[fold.test]
    metrics = {o.name: o.score(y_test, y_pred, y_proba, weight) for o in task.objectives}
    kept = {}
    if task.keep_predictions:
        kept = {"test_index": fold.test, "y_pred": y_pred, "y_proba": y_proba}
    return Result(
        *_identity(task),
        "ok",
        metrics=metrics,
        fit_time=fit_time,
        predict_time=predict_time,
        versions=versions,
        **kept,
    )
