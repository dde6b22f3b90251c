"""Misclassification cost: the average, per sample, of a cost matrix over the predictions."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._classification import _confusion
from ._labels import _positive_index


def _cost_of(matrix: np.ndarray, cost: np.ndarray) -> float:
    return float((matrix * cost).sum() / matrix.sum())


def expected_cost(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    cost_matrix: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Average misclassification cost per sample (lower is better).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    cost_matrix : array-like of shape (n_classes, n_classes)
        ``cost_matrix[i, j]`` is the cost of predicting class ``j`` when the truth is class
        ``i`` (rows truth, columns prediction), classes in ``labels`` order.
    labels : array-like of shape (n_classes,), default=None
        The classes of the matrix rows and columns; sorted observed labels when None.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights; the result is then a weighted average.

    Returns
    -------
    float
        With the 0-1 matrix (``1 - identity``) this is the error rate.

    Examples
    --------
    >>> from skewlearn.metrics import expected_cost
    >>> # a missed positive (truth 1, predicted 0) costs 5, a false alarm 1
    >>> expected_cost([0, 0, 1, 1], [0, 1, 0, 1], [[0, 1], [5, 0]])
    1.5
    """
    classes, _, matrix = _confusion(y_true, y_pred, labels, sample_weight)
    cost = np.asarray(cost_matrix, dtype=np.float64)
    if cost.shape != matrix.shape:
        raise ValueError(
            f"cost_matrix must be {matrix.shape} for the classes {list(classes)}; got shape "
            f"{cost.shape}. Pass labels= in the order of the matrix rows."
        )
    if not np.all(np.isfinite(cost)):
        raise ValueError("cost_matrix contains NaN or infinite values.")
    return _cost_of(matrix, cost)


def _binary_cost(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    fn: float,
    fp: float,
    tp: float = 0.0,
    tn: float = 0.0,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Expected cost given per-outcome costs of a binary problem, named from the positive class.

    Backs the ``"cost:FN=5,FP=1"`` scorer: the positive class is resolved per call with
    :func:`positive_class`, so the matrix follows the data rather than the label order.
    """
    classes, t, matrix = _confusion(y_true, y_pred, labels, sample_weight)
    if len(classes) != 2:
        raise ValueError(
            f"An FN/FP cost needs a binary target; this one has {len(classes)} classes. "
            "Use cost_scorer(cost_matrix, labels) with a full matrix."
        )
    positive = _positive_index(t, classes, pos_label)
    cost = np.empty((2, 2))
    cost[positive, positive], cost[positive, 1 - positive] = tp, fn
    cost[1 - positive, 1 - positive], cost[1 - positive, positive] = tn, fp
    return _cost_of(matrix, cost)
