"""The evaluation plan: the same repeated stratified folds for every strategy.

Scores of two strategies on one fold are paired observations, which is what lets the racing rule
use paired tests. Folds are ordered repeat by repeat, so the first ``n_splits`` folds already
cover every sample once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedKFold


@dataclass(frozen=True)
class Fold:
    """One train/test split of the plan."""

    index: int
    repeat: int
    train: np.ndarray
    test: np.ndarray


@dataclass(frozen=True)
class EvaluationPlan:
    """Repeated stratified K-fold with a fold count adapted to the smallest class.

    Parameters
    ----------
    n_splits : int, default=5
        Folds per repeat. Reduced (with a warning) when the smallest class has fewer samples,
        so that every test fold holds at least one sample of every class.
    n_repeats : int or "auto", default="auto"
        Repeats of the K-fold split. ``"auto"`` uses more repeats on small or very imbalanced
        data, where one K-fold split gives noisy means: 3 when there are fewer than 300 samples
        or fewer than 20 samples of the smallest class, 2 below 2,000 samples, else 1.
    random_state : int, default=0

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> folds = EvaluationPlan(n_splits=5, n_repeats=2).folds(y)
    >>> len(folds), np.bincount(y[folds[0].test]).tolist()
    (10, [18, 2])
    """

    n_splits: int = 5
    n_repeats: int | str = "auto"
    random_state: int = 0

    def resolved_repeats(self, y: np.ndarray) -> int:
        """The number of repeats used for targets ``y``."""
        if self.n_repeats != "auto":
            return int(self.n_repeats)
        smallest = int(np.unique(y, return_counts=True)[1].min())
        if len(y) < 300 or smallest < 20:
            return 3
        return 2 if len(y) < 2000 else 1

    def resolved_splits(self, y: np.ndarray) -> int:
        """Folds per repeat for targets ``y``: at most the size of the smallest class."""
        labels, counts = np.unique(y, return_counts=True)
        smallest = int(counts.min())
        if smallest < 2:
            label = labels[int(counts.argmin())]
            if isinstance(label, np.generic):  # object arrays hold plain values already
                label = label.item()  # prints as users wrote it: 'yes', not np.str_('yes')
            raise ValueError(
                f"class {label!r} has {smallest} sample; cross-validation needs at least 2 "
                "samples of every class: collect more data or drop that class"
            )
        if smallest < self.n_splits:
            warnings.warn(
                f"the smallest class has {smallest} samples: using {smallest}-fold instead of "
                f"{self.n_splits}-fold cross-validation",
                UserWarning,
                stacklevel=3,
            )
            return smallest
        return self.n_splits

    def folds(self, y) -> list[Fold]:
        """The ordered folds for targets ``y`` (labels are not changed, only counted)."""
        y = np.asarray(y)
        n_splits = self.resolved_splits(y)
        folds = []
        for repeat in range(self.resolved_repeats(y)):
            splitter = StratifiedKFold(
                n_splits=n_splits, shuffle=True, random_state=self.random_state + repeat
            )
            for train, test in splitter.split(np.zeros(len(y)), y):
                folds.append(Fold(len(folds), repeat, train, test))
        return folds
