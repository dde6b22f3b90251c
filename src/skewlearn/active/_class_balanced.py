"""A query strategy that spends the batch on the classes with the fewest labels.

BASE (Emam et al., "Active Learning at the ImageNet Scale", 2021) queries, for each class, the
rows closest to that class's decision boundary, an equal share of the batch per class. Here
the shares are not equal but fill up the classes with the fewest labels first: each slot of
the batch goes to the class whose labels (counted so far plus already allotted) are fewest,
so a batch on balanced labels is BASE's round robin, and on skewed labels it goes to the rare
classes. The distance of row x to the boundary of class c is
``|p_c(x) - max_{j != c} p_j(x)|``, from the model's probabilities. For a multi-label target
the classes are the labels, counted by their positive rows, and the boundary of label c is
where its probability is one half: the distance is ``|2 p_c(x) - 1|``.
"""

from __future__ import annotations

import numpy as np

from ._strategies import (
    QueryStrategy,
    is_multilabel,
    label_probabilities,
    n_to_select,
    predicted_proba,
    top_rows,
)


def boundary_distance(proba: np.ndarray) -> np.ndarray:
    """``|p_c - max_{j != c} p_j|`` for every row and class, shape (n_rows, n_classes)."""
    n, n_classes = proba.shape
    if n_classes < 2:
        return np.zeros_like(proba)
    best = proba.argmax(axis=1)
    top2 = np.sort(proba, axis=1)[:, -2:]
    # The strongest rival of class c is the best class, or the runner-up where c is the best.
    rival = np.repeat(top2[:, 1:2], n_classes, axis=1)
    rival[np.arange(n), best] = top2[:, 0]
    return np.abs(proba - rival)


def fill_fewest(counts: np.ndarray, k: int) -> list[int]:
    """Class of each of ``k`` slots: each goes to the class with the fewest labels so far
    (counted plus allotted), ties to the first such class."""
    current = np.asarray(counts, dtype=float).copy()
    slots = []
    for _ in range(k):
        c = int(np.argmin(current))
        slots.append(c)
        current[c] += 1
    return slots


class ClassBalancedSampling(QueryStrategy):
    """Rows closest to the decision boundary of the classes with the fewest labels.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import ClassBalancedSampling
    >>> X = np.arange(30.0).reshape(-1, 1)
    >>> y = (X.ravel() >= 25).astype(int)
    >>> model = LogisticRegression().fit(X, y)
    >>> rows = ClassBalancedSampling().select(model, X, 2, X_labelled=X, y_labelled=y,
    ...                                       random_state=0)
    >>> len(rows)
    2
    """

    _name = "class_balanced"

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        k = n_to_select(X_pool, batch_size)
        who = type(self).__name__
        if is_multilabel(y_labelled):
            distance = np.abs(2.0 * label_probabilities(estimator, X_pool, who) - 1.0)
            counts = np.asarray(y_labelled).sum(axis=0)
        else:
            proba = predicted_proba(estimator, X_pool, who)
            y_labelled = np.asarray([] if y_labelled is None else y_labelled)
            counts = np.array([np.sum(y_labelled == c) for c in estimator.classes_])
            distance = boundary_distance(proba)
        rng = self._rng(random_state)
        # k rows per class suffice: fewer than k are taken by the other classes' slots.
        ranked = [top_rows(-distance[:, c], k, rng) for c in range(distance.shape[1])]
        taken: set[int] = set()
        chosen = []
        position = [0] * distance.shape[1]
        for c in fill_fewest(counts, k):
            while int(ranked[c][position[c]]) in taken:
                position[c] += 1
            row = int(ranked[c][position[c]])
            taken.add(row)
            chosen.append(row)
        return np.asarray(chosen, dtype=np.intp)
