"""Relevance phi(y): how much a target value matters, interpolated between control points.

Ribeiro (2011) and Torgo & Ribeiro define relevance with a few control points
``(y_k, phi_k, phi'_k)`` and a piecewise cubic Hermite interpolant (PCHIP) through them, its
slopes made monotone by the Fritsch-Carlson rule. With no domain knowledge, control points come
from the box plot of ``y``: relevance 0 at the median and 1 at each adjacent value (the most
extreme value inside the whiskers) on a side that has outliers.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

Extremes = Literal["both", "high", "low"]
_EXTREMES = ("both", "high", "low")


def _check_target(y: ArrayLike, name: str = "y") -> NDArray[np.float64]:
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got shape {y.shape}.")
    if y.size == 0:
        raise ValueError(f"{name} is empty: relevance needs at least one target value.")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} has NaN or infinite values; drop or impute them first.")
    return y


def _five_numbers(y_sorted: NDArray[np.float64]) -> NDArray[np.float64]:
    # Tukey's five-number summary (R's fivenum): hinges, not interpolated quantiles.
    n = y_sorted.size
    n4 = np.floor((n + 3) / 2) / 2
    d = np.array([1.0, n4, (n + 1) / 2, n + 1 - n4, n]) - 1.0
    return 0.5 * (y_sorted[np.floor(d).astype(int)] + y_sorted[np.ceil(d).astype(int)])


def box_plot_control_points(
    y: ArrayLike, extremes: Extremes = "both", coef: float = 1.5
) -> NDArray[np.float64]:
    """Control points of the automatic relevance function (Ribeiro, 2011).

    With Tukey's hinges ``H1 <= median <= H3`` and ``IQR = H3 - H1``, values outside
    ``[H1 - coef * IQR, H3 + coef * IQR]`` are outliers and the adjacent values are the most
    extreme values that are not. The points are ``(median, 0, 0)`` and, per side, the adjacent
    value with relevance 1 when ``extremes`` includes that side and it has outliers, else the
    minimum (or maximum) of ``y`` with relevance 0. All slopes are 0.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values.
    extremes : {"both", "high", "low"}, default="both"
        Which tails are relevant.
    coef : float, default=1.5
        Whisker length in IQRs (R's ``boxplot.stats`` coefficient).

    Returns
    -------
    control_points : ndarray of shape (n_points, 3)
        Rows ``(y_k, phi_k, slope_k)`` with strictly increasing ``y_k``.

    Examples
    --------
    >>> from skewlearn.regression import box_plot_control_points
    >>> box_plot_control_points([1, 2, 3, 4, 5, 6, 7, 8, 9, 30]).tolist()
    [[1.0, 0.0, 0.0], [5.5, 0.0, 0.0], [9.0, 1.0, 0.0]]
    """
    y = np.sort(_check_target(y))
    if extremes not in _EXTREMES:
        raise ValueError(f"extremes must be one of {_EXTREMES}, got {extremes!r}.")
    if not isinstance(coef, numbers.Real) or coef < 0:
        raise ValueError(f"coef must be a non-negative number, got {coef!r}.")
    low_hinge, median, high_hinge = _five_numbers(y)[1:4]
    iqr = high_hinge - low_hinge
    inside = y[(y >= low_hinge - coef * iqr) & (y <= high_hinge + coef * iqr)]
    points = []
    if extremes in ("both", "low") and inside[0] > y[0]:
        points.append((inside[0], 1.0, 0.0))
    else:
        points.append((y[0], 0.0, 0.0))
    points.append((median, 0.0, 0.0))
    if extremes in ("both", "high") and inside[-1] < y[-1]:
        points.append((inside[-1], 1.0, 0.0))
    else:
        points.append((y[-1], 0.0, 0.0))
    return _merge_ties(np.array(points, dtype=np.float64))


def _merge_ties(points: NDArray[np.float64]) -> NDArray[np.float64]:
    # The minimum can equal the median (many zeros); equal points with equal relevance are one.
    keep = np.ones(len(points), dtype=bool)
    for i in range(1, len(points)):
        if points[i, 0] == points[i - 1, 0]:
            if points[i, 1] != points[i - 1, 1]:
                raise ValueError(
                    "the box plot of y puts relevance 0 and 1 at the same value "
                    f"{points[i, 0]:g} (more than half of y is one value): pass "
                    "control_points=[(y_1, phi_1), ...] to Relevance instead."
                )
            keep[i] = False
    return points[keep]


def _check_control_points(control_points: ArrayLike) -> NDArray[np.float64]:
    points = np.asarray(control_points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] not in (2, 3) or points.shape[0] < 1:
        raise ValueError(
            "control_points must be rows (y, phi) or (y, phi, slope), e.g. "
            f"[(0, 0), (10, 1)]; got shape {points.shape}."
        )
    if points.shape[1] == 2:
        points = np.column_stack([points, np.zeros(len(points))])
    if not np.all(np.isfinite(points)):
        raise ValueError("control_points must be finite.")
    if np.any(np.diff(points[:, 0]) <= 0):
        raise ValueError("control_points must have strictly increasing y values.")
    if np.any((points[:, 1] < 0) | (points[:, 1] > 1)):
        raise ValueError("control point relevances must lie in [0, 1].")
    return points


def _monotone_slopes(points: NDArray[np.float64]) -> NDArray[np.float64]:
    # Fritsch & Carlson (1980): keep each cubic monotone between its two control points.
    x, phi, slopes = points[:, 0], points[:, 1], points[:, 2].copy()
    secants = np.diff(phi) / np.diff(x)
    for k, delta in enumerate(secants):
        if delta == 0.0:
            slopes[k] = slopes[k + 1] = 0.0
            continue
        a, b = slopes[k] / delta, slopes[k + 1] / delta
        if a < 0:
            slopes[k], a = 0.0, 0.0
        if b < 0:
            slopes[k + 1], b = 0.0, 0.0
        if a * a + b * b > 9.0:
            tau = 3.0 / np.hypot(a, b)
            slopes[k], slopes[k + 1] = tau * a * delta, tau * b * delta
    return slopes


def pchip_relevance(y: ArrayLike, control_points: ArrayLike) -> NDArray[np.float64]:
    """Relevance of ``y`` under control points, by monotone cubic Hermite interpolation.

    On a segment ``[y_k, y_{k+1}]`` with width ``h``, ``t = (y - y_k) / h`` and slopes
    ``m_k`` (made monotone by the Fritsch-Carlson rule),
    ``phi(y) = h00(t) phi_k + h h10(t) m_k + h01(t) phi_{k+1} + h h11(t) m_{k+1}`` with the
    Hermite basis ``h00 = 2t^3 - 3t^2 + 1``, ``h10 = t^3 - 2t^2 + t``, ``h01 = 3t^2 - 2t^3``,
    ``h11 = t^3 - t^2``. Outside the control points relevance is constant (the end values).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    control_points : array-like of shape (n_points, 2) or (n_points, 3)
        Rows ``(y_k, phi_k)`` or ``(y_k, phi_k, slope_k)``; missing slopes are 0.

    Returns
    -------
    phi : ndarray of shape (n_samples,), values in [0, 1]

    Examples
    --------
    >>> from skewlearn.regression import pchip_relevance
    >>> pchip_relevance([0, 5, 10, 20], [(0, 0), (10, 1)]).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """
    y = _check_target(y)
    points = _check_control_points(control_points)
    x, phi = points[:, 0], points[:, 1]
    if len(points) == 1:
        return np.full(y.shape, phi[0])
    slopes = _monotone_slopes(points)
    k = np.clip(np.searchsorted(x, y, side="right") - 1, 0, len(x) - 2)
    h = x[k + 1] - x[k]
    t = np.clip((y - x[k]) / h, 0.0, 1.0)
    t2, t3 = t * t, t * t * t
    out = (
        (2 * t3 - 3 * t2 + 1) * phi[k]
        + (t3 - 2 * t2 + t) * h * slopes[k]
        + (3 * t2 - 2 * t3) * phi[k + 1]
        + (t3 - t2) * h * slopes[k + 1]
    )
    return np.clip(out, 0.0, 1.0)


class Relevance(BaseEstimator):
    """Relevance function phi: target value -> importance in [0, 1].

    ``fit(y)`` fixes the control points (from the box plot of ``y`` unless given);
    calling the fitted object evaluates phi with :func:`pchip_relevance`. Values with
    ``phi >= 0.5`` are conventionally the rare, relevant ones.

    Parameters
    ----------
    extremes : {"both", "high", "low"}, default="both"
        Relevant tails for the automatic (box-plot) control points.
    coef : float, default=1.5
        Whisker length of the box plot, in IQRs.
    control_points : array-like of shape (n_points, 2) or (n_points, 3), default=None
        User-given ``(y, phi[, slope])`` rows; ``extremes`` and ``coef`` are then unused.

    Attributes
    ----------
    control_points_ : ndarray of shape (n_points, 3)
        The control points in use, ``(y, phi, slope)``.

    See Also
    --------
    box_plot_control_points : The automatic control points.
    sera : Squared error weighted by relevance.

    References
    ----------
    R. P. Ribeiro, "Utility-based regression", PhD thesis, University of Porto, 2011.
    L. Torgo, R. P. Ribeiro, "Utility-based regression", PKDD 2007.

    Examples
    --------
    >>> from skewlearn.regression import Relevance
    >>> y = [1, 2, 3, 4, 5, 6, 7, 8, 9, 30]
    >>> phi = Relevance().fit(y)
    >>> phi([5.5, 7.25, 9, 30]).tolist()
    [0.0, 0.5, 1.0, 1.0]
    """

    def __init__(
        self,
        extremes: Extremes = "both",
        coef: float = 1.5,
        control_points: ArrayLike | None = None,
    ):
        self.extremes = extremes
        self.coef = coef
        self.control_points = control_points

    def fit(self, y: ArrayLike) -> Relevance:
        """Fix the control points from ``y`` (or check the given ones)."""
        if self.control_points is None:
            self.control_points_ = box_plot_control_points(y, self.extremes, self.coef)
        else:
            self.control_points_ = _check_control_points(self.control_points)
        return self

    def __call__(self, y: ArrayLike) -> NDArray[np.float64]:
        """phi(y) for each value of ``y``."""
        check_is_fitted(self, "control_points_")
        return pchip_relevance(y, self.control_points_)


RelevanceLike = Relevance | Callable[[NDArray[np.float64]], ArrayLike] | ArrayLike | None


def resolve_relevance(relevance: RelevanceLike, y: NDArray[np.float64]) -> NDArray[np.float64]:
    """phi(y) from any accepted form: None (box plot of ``y``), a Relevance (fitted on ``y``
    if it is not fitted yet), a callable, or the relevance values themselves."""
    if relevance is None:
        return Relevance().fit(y)(y)
    if isinstance(relevance, Relevance):
        if not hasattr(relevance, "control_points_"):
            relevance = Relevance(**relevance.get_params()).fit(y)
        return relevance(y)
    phi = np.asarray(relevance(y) if callable(relevance) else relevance, dtype=np.float64)
    if phi.shape != y.shape:
        raise ValueError(
            f"relevance gives {phi.shape[0] if phi.ndim else 0} values for {y.shape[0]} targets; "
            "pass one relevance value per target, a callable, or a Relevance."
        )
    if not np.all((phi >= 0) & (phi <= 1)):
        raise ValueError("relevance values must lie in [0, 1].")
    return phi
