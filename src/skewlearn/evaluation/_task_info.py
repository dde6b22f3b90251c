"""What the selector needs to know about a task before choosing strategies for it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class TaskInfo:
    """Sizes and column kinds that decide which strategies can apply.

    ``smallest_train_class`` is the size of the smallest class inside one training fold, which is
    what a k-NN sampler or an inner cross-validation actually sees.  ``weighted``: the rows carry
    sample weights, which every fit must honour (a strategy that cannot is unavailable).
    ``score_class_weight``: {class: factor} on each test row's weight in scores only, a tuned
    decision rule's included (never in fits); None when scores are not corrected.
    """

    n_samples: int
    class_counts: dict
    n_numeric: int
    n_categorical: int
    smallest_train_class: int
    weighted: bool = False
    score_class_weight: dict | None = None

    @property
    def smallest_class(self) -> int:
        """Rows of the smallest class in all of the data."""
        return min(self.class_counts.values())

    @property
    def n_classes(self) -> int:
        return len(self.class_counts)

    @property
    def is_binary(self) -> bool:
        return self.n_classes == 2

    @classmethod
    def from_data(
        cls,
        X: pd.DataFrame,
        y,
        n_splits: int,
        weighted: bool = False,
        score_class_weight: dict | None = None,
    ) -> TaskInfo:
        """Describe ``X``, ``y`` as seen through ``n_splits``-fold cross-validation.

        Examples
        --------
        >>> X = pd.DataFrame({"a": range(12), "b": list("xy") * 6})
        >>> info = TaskInfo.from_data(X, [0] * 9 + [1] * 3, n_splits=3)
        >>> info.n_numeric, info.n_categorical, info.smallest_train_class
        (1, 1, 2)
        """
        labels, counts = np.unique(np.asarray(y), return_counts=True)
        n_numeric = sum(pd.api.types.is_numeric_dtype(dtype) for dtype in X.dtypes)
        smallest = int(counts.min())
        return cls(
            n_samples=len(X),
            class_counts={label: int(count) for label, count in zip(labels, counts)},
            n_numeric=int(n_numeric),
            n_categorical=X.shape[1] - int(n_numeric),
            smallest_train_class=smallest - int(np.ceil(smallest / n_splits)),
            weighted=weighted,
            score_class_weight=score_class_weight,
        )
