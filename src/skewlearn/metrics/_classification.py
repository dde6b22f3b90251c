"""Metrics of predicted labels, all computed from one weighted confusion matrix.

Zero-division convention (scikit-learn's ``zero_division=0``, without its warnings): the
precision of a class that is never predicted is 0, the recall of a class absent from ``y_true``
is 0, and an F-score whose denominator is 0 is 0. Balanced accuracy and G-mean are different:
they average the recall of the classes *present* in ``y_true`` only, because a class with no
samples has no recall to average (scikit-learn's ``balanced_accuracy_score`` does the same).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._labels import _binary_positive, _check_sample_weight, _encode_targets


def _confusion(
    y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None, sample_weight: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(classes, true codes, confusion matrix)``; rows are truth, columns are predictions."""
    classes, t, p = _encode_targets(y_true, y_pred, labels)
    weights = _check_sample_weight(sample_weight, len(t))
    k = len(classes)
    matrix = np.bincount(t * k + p, weights=weights, minlength=k * k).reshape(k, k)
    return classes, t, matrix.astype(np.float64)


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Elementwise ratio that is 0 where the denominator is 0 (the zero-division convention)."""
    out = np.zeros_like(numerator, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _prf(matrix: np.ndarray, beta: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp = np.diag(matrix)
    true_sum = matrix.sum(axis=1)
    pred_sum = matrix.sum(axis=0)
    beta2 = beta**2
    # (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp), written as scikit-learn does so the two
    # agree to the last bits.
    fscore = _divide((1 + beta2) * tp, beta2 * true_sum + pred_sum)
    return _divide(tp, pred_sum), _divide(tp, true_sum), fscore


def _present_recall(matrix: np.ndarray) -> np.ndarray:
    true_sum = matrix.sum(axis=1)
    present = true_sum > 0
    return np.diag(matrix)[present] / true_sum[present]


def fbeta(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    beta: float,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """F-beta score: of the positive class (binary) or the macro average (multiclass).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    beta : float
        Weight of recall relative to precision; must be > 0.
    labels : array-like, default=None
        Every class of the problem, e.g. to include one absent from the data. Sorted union of
        ``y_true`` and ``y_pred`` when None.
    pos_label : label, default=None
        Binary only. Default: the minority class of ``y_true``, see :func:`positive_class`.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float
        In [0, 1]; 0 for a class that is neither predicted nor present.

    Examples
    --------
    >>> from skewlearn.metrics import fbeta
    >>> round(fbeta([0, 0, 0, 1, 1], [0, 0, 1, 1, 0], beta=2), 4)
    0.5
    """
    if not beta > 0:
        raise ValueError(f"beta must be > 0; got {beta!r}.")
    classes, t, matrix = _confusion(y_true, y_pred, labels, sample_weight)
    scores = _prf(matrix, beta)[2]
    positive = _binary_positive(t, classes, pos_label)
    return float(scores.mean() if positive is None else scores[positive])


def f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """F1 score: of the positive class (binary) or the macro average (multiclass).

    The same as :func:`fbeta` with ``beta=1``; see it for the parameters.

    Examples
    --------
    >>> from skewlearn.metrics import f1
    >>> f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.8
    """
    return fbeta(
        y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label, sample_weight=sample_weight
    )


def mcc(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Matthews correlation coefficient (multiclass: Gorodkin's R_K), in [-1, 1].

    0 when every sample is predicted as one class or ``y_true`` holds one class, where the
    correlation is undefined (as in scikit-learn).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Every class of the problem; classes absent from both targets change nothing.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from skewlearn.metrics import mcc
    >>> round(mcc([0, 0, 1, 1], [0, 1, 1, 1]), 4)
    0.5774
    """
    matrix = _confusion(y_true, y_pred, labels, sample_weight)[2]
    t_sum = matrix.sum(axis=1)
    p_sum = matrix.sum(axis=0)
    n = p_sum.sum()
    cov_tp = np.trace(matrix) * n - np.dot(t_sum, p_sum)
    cov_pp = n**2 - np.dot(p_sum, p_sum)
    cov_tt = n**2 - np.dot(t_sum, t_sum)
    if cov_pp * cov_tt == 0:
        return 0.0
    return float(cov_tp / np.sqrt(cov_pp * cov_tt))


def balanced_accuracy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Mean recall over the classes present in ``y_true``, in [0, 1].

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Every class of the problem. A class absent from ``y_true`` has no recall and is left
        out of the mean.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from skewlearn.metrics import balanced_accuracy
    >>> balanced_accuracy([0, 0, 0, 1], [0, 0, 1, 1])
    0.8333333333333333
    """
    return float(_present_recall(_confusion(y_true, y_pred, labels, sample_weight)[2]).mean())


def gmean(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Geometric mean of the recall of the classes present in ``y_true``, in [0, 1].

    Equal to imbalanced-learn's ``geometric_mean_score`` (``average="multiclass"``), except
    that a class named in ``labels`` but absent from ``y_true`` is left out rather than counted
    as a recall of 0, so that G-mean and :func:`balanced_accuracy` average the same recalls.
    It is 0 exactly when some present class has recall 0.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Every class of the problem.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from skewlearn.metrics import gmean
    >>> round(gmean([0, 0, 0, 1], [0, 0, 1, 1]), 4)
    0.8165
    """
    recall = _present_recall(_confusion(y_true, y_pred, labels, sample_weight)[2])
    if np.any(recall == 0):
        return 0.0
    return float(np.exp(np.log(recall).mean()))


def per_class_scores(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
) -> pd.DataFrame:
    """Precision, recall, F1 and support of every class, one row per class.

    Values agree with scikit-learn's ``precision_recall_fscore_support(average=None,
    zero_division=0)``: a never-predicted class has precision 0, a class absent from
    ``y_true`` has recall 0.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Every class of the problem, in the row order wanted; sorted observed labels when None.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights; support is then the summed weight.

    Returns
    -------
    pandas.DataFrame
        Indexed by class (index name ``"class"``), columns ``precision``, ``recall``, ``f1``,
        ``support``.

    Examples
    --------
    >>> from skewlearn.metrics import per_class_scores
    >>> table = per_class_scores(["a", "a", "b"], ["a", "b", "b"])
    >>> table["recall"].tolist(), table["precision"].tolist()
    ([0.5, 1.0], [1.0, 0.5])
    >>> int(table.loc["a", "support"])
    2
    """
    classes, _, matrix = _confusion(y_true, y_pred, labels, sample_weight)
    precision, recall, score = _prf(matrix, 1.0)
    support = matrix.sum(axis=1)
    return pd.DataFrame(
        {
            "precision": precision,
            "recall": recall,
            "f1": score,
            "support": support.astype(np.int64) if sample_weight is None else support,
        },
        index=pd.Index(classes, name="class"),
    )
