"""SERA: squared error summed over relevance thresholds (Ribeiro & Moniz, 2020)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._relevance import RelevanceLike, _check_target, resolve_relevance


def _check_pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[NDArray, NDArray]:
    y_true = _check_target(y_true, "y_true")
    y_pred = _check_target(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred have different lengths ({y_true.size} and {y_pred.size})."
        )
    return y_true, y_pred


def ser_curve(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    relevance: RelevanceLike = None,
    thresholds: ArrayLike | int = 101,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Squared error on the relevant points, as a function of the relevance threshold.

    ``SER_t = sum_{i : phi(y_i) >= t} (yhat_i - y_i)^2`` for thresholds ``t`` in [0, 1].

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    relevance : Relevance, callable, array-like or None, default=None
        phi of ``y_true``: a :class:`Relevance` (fitted on ``y_true`` if not fitted), a
        callable ``y -> phi``, the values themselves, or None for the box-plot relevance
        of ``y_true``.
    thresholds : int or array-like, default=101
        The thresholds, or how many evenly spaced ones in [0, 1].

    Returns
    -------
    thresholds : ndarray of shape (n_thresholds,)
    ser : ndarray of shape (n_thresholds,)

    Examples
    --------
    >>> from skewlearn.regression import ser_curve
    >>> t, ser = ser_curve([0, 1, 2], [1, 1, 4], relevance=[0.0, 0.5, 1.0], thresholds=3)
    >>> ser.tolist()
    [5.0, 4.0, 4.0]
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    phi = resolve_relevance(relevance, y_true)
    t = np.linspace(0.0, 1.0, thresholds) if np.isscalar(thresholds) else np.asarray(thresholds)
    sq = (y_pred - y_true) ** 2
    order = np.argsort(phi)
    # Errors of the points with phi >= t: a suffix of the points sorted by phi.
    suffix = np.concatenate([np.cumsum(sq[order][::-1])[::-1], [0.0]])
    return t.astype(np.float64), suffix[np.searchsorted(phi[order], t, side="left")]


def sera(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    relevance: RelevanceLike = None,
) -> float:
    """Squared Error-Relevance Area: the area under the SER_t curve.

    ``SERA = integral_0^1 SER_t dt``. A point counts in ``SER_t`` for every
    ``t <= phi(y_i)``, so the integral is exactly ``sum_i phi(y_i) (yhat_i - y_i)^2``; it is
    computed that way (the R package IRon uses a trapezoid rule on a grid of step 0.001,
    which approaches the same value). Lower is better; 0 for a perfect model, and errors on
    irrelevant points (``phi = 0``) do not count.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    relevance : Relevance, callable, array-like or None, default=None
        See :func:`ser_curve`.

    Returns
    -------
    float

    References
    ----------
    R. P. Ribeiro, N. Moniz, "Imbalanced regression and extreme value prediction",
    Machine Learning 109, 1803-1835, 2020.

    Examples
    --------
    >>> from skewlearn.regression import sera
    >>> sera([0, 1, 2], [1, 1, 4], relevance=[0.0, 0.5, 1.0])
    4.0
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    phi = resolve_relevance(relevance, y_true)
    return float(np.dot(phi, (y_pred - y_true) ** 2))


def rare_rmse(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    relevance: RelevanceLike = None,
    threshold: float = 0.5,
) -> float:
    """Root mean squared error on the rare points, those with ``phi(y) >= threshold``.

    Returns NaN when no point is rare.

    Examples
    --------
    >>> from skewlearn.regression import rare_rmse
    >>> rare_rmse([0, 1, 2], [1, 1, 4], relevance=[0.0, 0.5, 1.0])
    1.4142135623730951
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    rare = resolve_relevance(relevance, y_true) >= threshold
    if not rare.any():
        return float("nan")
    return float(np.sqrt(np.mean((y_pred[rare] - y_true[rare]) ** 2)))
