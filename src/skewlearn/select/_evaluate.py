"""Evaluating one strategy on one fold: the unit of work every engine runs.

A task carries everything but the data (strategy, fold, seed), so it can run in another process
or on another machine; the data travels once per worker as the engine's shared payload. A
result names its own task.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from skewlearn.select._objective import Objective
from skewlearn.select._plan import Fold
from skewlearn.select._strategy import Strategy
from skewlearn.select._task import TaskInfo

# Below this many training rows a fit is single-threaded: OpenMP/BLAS threads then cost more
# than they save (measured: a 150-row gradient boosting fit took 0.1 s on one thread and 6.5 s
# on two while the other core was busy).
_THREADED_ROWS = 20_000


@dataclass(frozen=True)
class FoldTask:
    strategy: Strategy
    fold: Fold
    task: TaskInfo
    objective: Objective
    seed: int


@dataclass(frozen=True)
class FoldResult:
    """The outcome of one (strategy, fold) fit: its score, times and test-fold predictions."""

    strategy: str
    fold: int
    score: float
    fit_time: float
    predict_time: float
    test_index: np.ndarray
    y_pred: np.ndarray | None = None
    y_proba: np.ndarray | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


def evaluate_fold(data: tuple[pd.DataFrame, np.ndarray], task: FoldTask) -> FoldResult:
    """Fit the strategy on the training fold of ``data = (X, y)`` and score it on the test fold.

    A failure is returned as a result (with the error text) rather than raised, so one broken
    strategy never stops a run.
    """
    X, y = data
    fold = task.fold
    X_train, y_train = X.iloc[fold.train], y[fold.train]
    X_test, y_test = X.iloc[fold.test], y[fold.test]
    start = time.perf_counter()
    threads = 1 if len(fold.train) < _THREADED_ROWS else None
    try:
        with threadpool_limits(limits=threads):
            return _fit_and_score(task, X_train, y_train, X_test, y_test, start)
    except Exception as error:  # recorded in the result and reported, never swallowed
        summary = traceback.format_exception_only(type(error), error)[-1].strip()
        return failed_result(task, summary, time.perf_counter() - start)


def failed_result(task: FoldTask, error: str, fit_time: float = np.nan) -> FoldResult:
    """The result of a task that produced no score, with the reason."""
    return FoldResult(
        task.strategy.name, task.fold.index, np.nan, fit_time, 0.0, task.fold.test, error=error
    )


def _fit_and_score(task: FoldTask, X_train, y_train, X_test, y_test, start: float) -> FoldResult:
    fold = task.fold
    estimator = task.strategy.build(
        task.task, metric=task.objective.decision_metric, random_state=task.seed
    )
    estimator.fit(X_train, y_train)
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    y_pred = np.asarray(estimator.predict(X_test))
    y_proba = _probabilities(estimator, X_test)
    predict_time = time.perf_counter() - start
    score = task.objective.score(y_test, y_pred, y_proba)
    return FoldResult(
        task.strategy.name, fold.index, score, fit_time, predict_time, fold.test, y_pred, y_proba
    )


def _probabilities(estimator, X) -> np.ndarray | None:
    if not hasattr(estimator, "predict_proba"):
        return None
    return np.asarray(estimator.predict_proba(X), dtype=float)
