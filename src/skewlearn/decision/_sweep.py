"""Vectorised confusion sweep: label metrics at every decision rule along a one-parameter path.

A decision rule that depends on one parameter (a binary threshold, or one class's offset in
``argmax(log p + b)``) changes the prediction of one sample at a time as the parameter crosses
that sample's *key*. Sorting the keys once and taking cumulative sums of the changes gives the
per-class counts (true positives, predicted counts, total cost) for every distinct rule in
``O(n log n)``; the metrics are then plain array formulas over those counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Counts:
    """Per-class counts for one or many decision rules.

    ``tp`` and ``pred`` have shape ``(..., n_classes)``; ``true`` has shape ``(n_classes,)``;
    ``cost`` (total cost of the predictions, when a cost matrix is given) has shape ``(...)``.
    With sample weights every count is a sum of weights (floats).
    """

    tp: np.ndarray
    pred: np.ndarray
    true: np.ndarray
    cost: np.ndarray | None = None

    @property
    def n(self) -> int | float:
        total = self.true.sum()
        return int(total) if np.issubdtype(self.true.dtype, np.integer) else float(total)


def counts_of(
    y: np.ndarray,
    y_pred: np.ndarray,
    n_classes: int,
    cost_matrix: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> Counts:
    """Counts of one prediction vector (class indices), sums of ``weight`` when given."""
    hit = y == y_pred
    hit_weight = None if weight is None else weight[hit]
    tp = np.bincount(y[hit], weights=hit_weight, minlength=n_classes)
    pred = np.bincount(y_pred, weights=weight, minlength=n_classes)
    true = np.bincount(y, weights=weight, minlength=n_classes)
    cost = None
    if cost_matrix is not None:
        costs = cost_matrix[y, y_pred]
        cost = np.asarray((costs if weight is None else costs * weight).sum())
    return Counts(tp, pred, true, cost)


def sweep(
    y: np.ndarray,
    start: np.ndarray,
    keys: np.ndarray,
    target: int,
    n_classes: int,
    cost_matrix: np.ndarray | None = None,
    weight: np.ndarray | None = None,
) -> tuple[np.ndarray, Counts]:
    """Counts along the path where sample ``i`` switches from ``start[i]`` to ``target``
    once the parameter reaches ``keys[i]``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        True class indices.
    start : ndarray of shape (n_samples,)
        Predicted class indices when the parameter is below every key.
    keys : ndarray of shape (n_samples,)
        Parameter value at which each sample's prediction becomes ``target``.
    target : int
        Class index the samples move to.
    n_classes : int
        Number of classes.
    cost_matrix : ndarray of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]`` is the cost of predicting ``j`` for a sample of class ``i``.
    weight : ndarray of shape (n_samples,), default=None
        Sample weights: each sample counts with its weight.

    Returns
    -------
    breaks : ndarray of shape (m,)
        Sorted distinct keys.
    counts : Counts
        Leading dimension ``m + 1``: entry ``j`` holds the counts when the parameter lies in
        ``[breaks[j - 1], breaks[j])`` (entry 0: below every key; entry m: above every key).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([0, 1, 1])
    >>> breaks, c = sweep(y, np.zeros(3, int), np.array([0.2, 0.5, 0.5]), 1, 2)
    >>> breaks.tolist(), c.tp[:, 1].tolist(), c.pred[:, 1].tolist()
    ([0.2, 0.5], [0, 0, 2], [0, 1, 3])
    """
    order = np.argsort(keys, kind="stable")
    y, start, keys = y[order], start[order], keys[order]
    n = len(y)
    rows = np.arange(n)
    # Unweighted counts stay integers (exact, as before weights existed).
    move = np.ones(n, dtype=np.int64) if weight is None else np.asarray(weight, float)[order]

    # Each move removes the sample from its start class and adds it to the target class.
    d_tp = np.zeros((n, n_classes), dtype=move.dtype)
    d_tp[rows, start] -= np.where(y == start, move, 0)
    d_tp[:, target] += np.where(y == target, move, 0)
    d_pred = np.zeros((n, n_classes), dtype=move.dtype)
    d_pred[rows, start] -= move
    d_pred[:, target] += move

    # Samples with equal keys move together: keep the counts after the last of each group.
    last = np.flatnonzero(np.r_[keys[1:] != keys[:-1], True])
    breaks = keys[last]

    base = counts_of(y, start, n_classes, cost_matrix, None if weight is None else move)
    tp = np.vstack([base.tp, base.tp + np.cumsum(d_tp, axis=0)[last]])
    pred = np.vstack([base.pred, base.pred + np.cumsum(d_pred, axis=0)[last]])
    cost = None
    if cost_matrix is not None:
        d_cost = (cost_matrix[y, target] - cost_matrix[y, start]) * move
        cost = np.r_[base.cost, base.cost + np.cumsum(d_cost)[last]]
    return breaks, Counts(tp, pred, base.true, cost)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    # 0/0 counts as 0, as scikit-learn's zero_division default does.
    num, den = np.broadcast_arrays(np.asarray(num, float), np.asarray(den, float))
    return np.divide(num, den, out=np.zeros(num.shape), where=den > 0)


def recall(c: Counts) -> np.ndarray:
    return _ratio(c.tp, c.true)


def fbeta(c: Counts, beta: float = 1.0) -> np.ndarray:
    b2 = beta**2
    return _ratio((1 + b2) * c.tp, b2 * c.true + c.pred)


def mcc(c: Counts) -> np.ndarray:
    s = c.n
    correct = c.tp.sum(axis=-1)
    cov_pt = correct * s - (c.pred * c.true).sum(axis=-1)
    cov_pp = s**2 - (c.pred.astype(float) ** 2).sum(axis=-1)
    cov_tt = s**2 - float((c.true.astype(float) ** 2).sum())
    return _ratio(cov_pt, np.sqrt(cov_pp * cov_tt))
