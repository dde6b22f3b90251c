"""What a benchmark adds to the evaluation vocabulary: embedded datasets and recipes.

A benchmark task is an ordinary :class:`skewlearn.evaluation.Task` named by its dataset: the
worker that runs it loads the embedded dataset and rebuilds the folds itself
(:func:`evaluate_embedded`), so a task costs a few hundred bytes to send to another process or
machine, whatever the size of the data.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sklearn.base import BaseEstimator, clone

from skewlearn.evaluation import (
    EvaluationData,
    EvaluationPlan,
    Result,
    Task,
    TaskInfo,
    evaluate,
)
from skewlearn.select._schema import TableSchema

DEFAULT_METRICS: tuple[str, ...] = (
    "average_precision",
    "f1",
    "balanced_accuracy",
    "mcc",
    "gmean",
)


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


# Tasks arrive dataset by dataset, so a small per-process cache loads each dataset once per
# worker instead of once per task.
@functools.lru_cache(maxsize=4)
def prepare_dataset(name: str, n_splits: int, n_repeats: int, plan_seed: int) -> EvaluationData:
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
    return EvaluationData(X, y, folds, info)


def evaluate_embedded(plan: tuple[int, int, int], task: Task) -> Result:
    """:func:`skewlearn.evaluation.evaluate` on an embedded dataset, loaded in this process.

    ``plan`` is the run's ``(cv, repeats, seed)``.

    Examples
    --------
    >>> from skewlearn.evaluation import Objective
    >>> from skewlearn.select import Strategy
    >>> data = prepare_dataset("ecoli1", 5, 1, 0)
    >>> objective = Objective("f1", data.classes, data.y)
    >>> task = Task("ecoli1", Strategy.parse("tree"), 0, 0, 1, (objective,))
    >>> result = evaluate_embedded((5, 1, 0), task)
    >>> result.status, sorted(result.metrics)
    ('ok', ['f1'])
    """
    return evaluate(prepare_dataset(task.dataset, *plan), task)


def describe(strategy: Any) -> str:
    """One line about a strategy for the report."""
    return str(getattr(strategy, "description", "") or "")
