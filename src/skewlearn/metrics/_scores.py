"""Metrics of predicted scores: ranking quality (AP, ROC-AUC) and probability quality (Brier,
log-loss).

``y_score`` is read the same way by every function here:

* 1-D, binary target only: the score of the positive class (see :func:`positive_class`);
* 2-D ``(n_samples, n_classes)``: one column per class, in ``labels`` order when given, else
  in sorted label order (the order of a scikit-learn classifier's ``classes_``). For a binary
  target only the positive class's column is used.

A ranking metric is undefined for a class with no positive samples (ROC-AUC also for one
with no negatives). Such a class is left out of the multiclass macro average; when nothing is
left, or the binary positive class is absent, the result is ``nan`` with one
``UndefinedMetricWarning``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.metrics import log_loss as _sklearn_log_loss

from ._labels import _binary_positive, _check_sample_weight, _encode_y_true


def _read_scores(
    y_true: ArrayLike, y_score: ArrayLike, labels: ArrayLike | None, pos_label: Any
) -> tuple[np.ndarray, np.ndarray, int | None, np.ndarray]:
    """``(classes, true codes, positive index or None, scores)``.

    Scores are the positive class's 1-D scores for a binary target and the full
    ``(n_samples, n_classes)`` matrix for a multiclass one.
    """
    classes, t = _encode_y_true(y_true, labels)
    scores = np.asarray(y_score, dtype=np.float64)
    if scores.ndim not in (1, 2) or len(scores) != len(t):
        raise ValueError(
            f"y_score must have shape ({len(t)},) or ({len(t)}, n_classes); got {scores.shape}."
        )
    if not np.all(np.isfinite(scores)):
        raise ValueError("y_score contains NaN or infinite values.")
    positive = _binary_positive(t, classes, pos_label)
    if scores.ndim == 1:
        if positive is None:
            raise ValueError(
                f"A 1-D y_score needs a binary target; this one has {len(classes)} classes. "
                "Pass a (n_samples, n_classes) matrix such as predict_proba's output."
            )
        return classes, t, positive, scores
    if scores.shape[1] != len(classes):
        raise ValueError(
            f"y_score has {scores.shape[1]} columns but there are {len(classes)} classes "
            f"{list(classes)}. Pass labels= naming the class of each column."
        )
    return classes, t, positive, scores if positive is None else scores[:, positive]


def _class_columns(scores: np.ndarray, positive: int | None) -> np.ndarray:
    """One ranking column per class; a binary negative class ranks by the negated score."""
    if positive is None:
        return scores
    columns = np.column_stack([scores, scores])
    columns[:, 1 - positive] *= -1
    return columns


def _per_class_ranking(
    metric: Callable[..., float],
    needs_negatives: bool,
    t: np.ndarray,
    columns: np.ndarray,
    weights: np.ndarray | None,
) -> np.ndarray:
    values = np.full(columns.shape[1], np.nan)
    for k in range(columns.shape[1]):
        is_k = t == k
        n_pos = int(is_k.sum())
        if n_pos == 0 or (needs_negatives and n_pos == len(t)):
            continue
        values[k] = metric(is_k, columns[:, k], sample_weight=weights)
    return values


def _ranking(
    metric: Callable[..., float],
    needs_negatives: bool,
    y_true: ArrayLike,
    y_score: ArrayLike,
    labels: ArrayLike | None,
    pos_label: Any,
    sample_weight: ArrayLike | None,
) -> float:
    _, t, positive, scores = _read_scores(y_true, y_score, labels, pos_label)
    weights = _check_sample_weight(sample_weight, len(t))
    values = _per_class_ranking(
        metric, needs_negatives, t, _class_columns(scores, positive), weights
    )
    defined = values[~np.isnan(values)] if positive is None else values[[positive]]
    if len(defined) == 0 or np.isnan(defined).all():
        warnings.warn(
            f"{metric.__name__} is undefined: no class has both positive and negative samples "
            "in y_true (for a binary target: the positive class is absent). Returning nan.",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        return float("nan")
    return float(defined.mean())


def average_precision(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Average precision (area under the step PR curve), in [0, 1].

    Binary: of the positive class. Multiclass: macro average of one-vs-rest AP over the
    classes present in ``y_true``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Positive-class scores (binary) or one column per class; see the module notes.
    labels : array-like, default=None
        Every class of the problem, in the column order of ``y_score``.
    pos_label : label, default=None
        Binary only. Default: the minority class of ``y_true``, see :func:`positive_class`.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float
        ``nan`` (with a warning) when no class it averages is present in ``y_true``.

    Examples
    --------
    >>> from skewlearn.metrics import average_precision
    >>> round(average_precision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    return _ranking(
        average_precision_score, False, y_true, y_score, labels, pos_label, sample_weight
    )


def roc_auc(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Area under the ROC curve, in [0, 1].

    Binary: of the positive-class score. Multiclass: macro average of one-vs-rest AUC over the
    classes present in ``y_true`` (scikit-learn's ``multi_class="ovr", average="macro"``); the
    columns need not be probabilities, so ``decision_function`` output works too.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Positive-class scores (binary) or one column per class; see the module notes.
    labels : array-like, default=None
        Every class of the problem, in the column order of ``y_score``.
    pos_label : label, default=None
        Binary only: the class that ``y_score`` scores. Default: the minority class of
        ``y_true``, see :func:`positive_class`.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float
        ``nan`` (with a warning) when undefined.

    Examples
    --------
    >>> from skewlearn.metrics import roc_auc
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    return _ranking(roc_auc_score, True, y_true, y_score, labels, pos_label, sample_weight)


def _check_probabilities(scores: np.ndarray, metric: str) -> None:
    if scores.min() < 0 or scores.max() > 1:
        raise ValueError(
            f"{metric} needs probabilities in [0, 1]; y_score spans "
            f"[{scores.min():.3g}, {scores.max():.3g}]. Pass predict_proba's output, not "
            "decision_function's."
        )


def _probability_matrix(scores: np.ndarray, positive: int | None) -> np.ndarray:
    if positive is None:
        return scores
    matrix = np.column_stack([1 - scores, 1 - scores])
    matrix[:, positive] = scores
    return matrix


def brier(
    y_true: ArrayLike,
    y_proba: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Brier score (lower is better).

    Binary: mean squared difference between the positive-class probability and the 0/1
    outcome, in [0, 1]. Multiclass: mean over samples of the summed squared differences
    between the probability row and the one-hot truth, in [0, 2]. This is scikit-learn's
    ``brier_score_loss`` with ``scale_by_half="auto"`` (1.7+; 1.6 has the binary form only).
    The binary value is half the multiclass formula applied to the two columns.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Positive-class probabilities (binary) or one probability column per class.
    labels : array-like, default=None
        Every class of the problem, in the column order of ``y_proba``.
    pos_label : label, default=None
        Binary only: the class whose probability a 1-D ``y_proba`` holds. Default: the
        minority class of ``y_true``, see :func:`positive_class`.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from skewlearn.metrics import brier
    >>> round(brier([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.1581
    >>> round(brier([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8]]), 4)
    0.12
    """
    _, t, positive, scores = _read_scores(y_true, y_proba, labels, pos_label)
    _check_probabilities(scores, "brier")
    weights = _check_sample_weight(sample_weight, len(t))
    if positive is not None:
        return float(np.average(((t == positive) - scores) ** 2, weights=weights))
    one_hot = t[:, None] == np.arange(scores.shape[1])
    return float(np.average(((one_hot - scores) ** 2).sum(axis=1), weights=weights))


def log_loss(
    y_true: ArrayLike,
    y_proba: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Mean negative log-likelihood of the true class (lower is better), >= 0.

    Computed by scikit-learn's ``log_loss``, so probabilities are clipped to
    ``[eps, 1 - eps]`` and rows that do not sum to one are renormalised (with its warning).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Positive-class probabilities (binary) or one probability column per class.
    labels : array-like, default=None
        Every class of the problem, in the column order of ``y_proba``.
    pos_label : label, default=None
        Binary only: the class whose probability a 1-D ``y_proba`` holds. Default: the
        minority class of ``y_true``, see :func:`positive_class`.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from skewlearn.metrics import log_loss
    >>> round(log_loss([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.4723
    """
    _, t, positive, scores = _read_scores(y_true, y_proba, labels, pos_label)
    _check_probabilities(scores, "log_loss")
    matrix = _probability_matrix(scores, positive)
    weights = _check_sample_weight(sample_weight, len(t))
    # Codes 0..k-1 as labels make scikit-learn's sorted column order our column order.
    return float(
        _sklearn_log_loss(t, matrix, labels=np.arange(matrix.shape[1]), sample_weight=weights)
    )
