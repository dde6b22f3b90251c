"""Expected fit times: whether the budget can still afford a strategy's next fit.

A strategy's next fit is expected to take what its earlier fits took. Before it has run, its
time is scaled from the strategies that have: each strategy has a size in work units (the
training rows its learner sees, times the learner's relative time per row, times the fits its
decision rule makes, plus the rows every strategy preprocesses and scores), and the run's
seconds per unit are measured on the fits done so far, on this machine, at its present load.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from skewlearn.evaluation._task_info import TaskInfo
from skewlearn.evaluation._trial import Result
from skewlearn.select._components import DECISION_RULES, LEARNERS, REBALANCES
from skewlearn.select._strategy import Strategy

# Every fit costs about this much beyond its rows (building the pipeline, encoding, scoring):
# measured as about 0.05s, the time logistic regression takes on 10,000 rows.
_OVERHEAD_UNITS = 10_000
# Imputing, scaling and encoding a row, and scoring it: about two logistic-regression rows
# (measured at 1,000,000 rows, where under-sampled logistic regression took 6.4s and plain
# logistic regression 4.9s).
_PER_ROW_UNITS = 2.0


def work_units(strategy: Strategy, task: TaskInfo) -> float:
    """The relative size of one fit of ``strategy`` on ``task`` (logistic regression on one
    row is 1).

    Examples
    --------
    >>> task = TaskInfo(1000, {0: 900, 1: 100}, 5, 0, 80)
    >>> work_units(Strategy("rf"), task) > work_units(Strategy("logreg"), task)
    True
    """
    learner = LEARNERS[strategy.learner]
    rebalance = REBALANCES[strategy.rebalance]
    if rebalance.to_smallest_class or learner.rebalances_itself:
        rows = task.n_classes * task.smallest_class
    elif rebalance.make_sampler is not None:  # over-sampling to the largest class
        rows = task.n_classes * max(task.class_counts.values())
    else:
        rows = task.n_samples
    fit = rows * learner.relative_time + _OVERHEAD_UNITS
    # Preprocessing sees every row before any sampler, and every test row is scored: on
    # large data this is most of an under-sampling strategy's time.
    return fit * DECISION_RULES[strategy.decision].fits + _PER_ROW_UNITS * task.n_samples


class FitTimes:
    """Seconds the fits of a run took, and the seconds expected of the next one.

    Examples
    --------
    >>> task = TaskInfo(1000, {0: 900, 1: 100}, 5, 0, 80)
    >>> times = FitTimes(task)
    >>> times.expected(Strategy("rf")) is None  # nothing measured yet
    True
    """

    def __init__(self, task: TaskInfo):
        self.task = task
        self._seconds: dict[Strategy, list[float]] = defaultdict(list)

    def add(self, strategy: Strategy, result: Result) -> None:
        if not result.failed:
            self._seconds[strategy].append(result.fit_time + result.predict_time)

    def expected(self, strategy: Strategy) -> float | None:
        """Expected seconds of ``strategy``'s next fit; None before any fit has finished."""
        own = self._seconds.get(strategy)
        if own:
            return float(np.mean(own))
        rates = [
            np.mean(seconds) / work_units(measured, self.task)
            for measured, seconds in self._seconds.items()
        ]
        if not rates:
            return None
        return float(np.median(rates)) * work_units(strategy, self.task)
