"""Sample weights that fall with the density of the target: DenseWeight, MDI, inverse density.

All three start from the Gaussian kernel density of ``y`` (Silverman bandwidth unless given),
min-max scaled to ``rho(y)`` in [0, 1] (1 at the mode), and return weights of mean 1.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._density import scaled_density
from ._relevance import _check_target


def _check_positive(value: float, name: str, hint: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}; {hint}")
    return float(value)


def _check_bandwidth(bandwidth: float | None) -> float | None:
    if bandwidth is None:
        return None
    return _check_positive(bandwidth, "bandwidth", "pass None for Silverman's rule.")


def dense_weight(
    y: ArrayLike, alpha: float = 1.0, *, bandwidth: float | None = None, eps: float = 1e-6
) -> NDArray[np.float64]:
    """DenseWeight: ``w(y) = max(1 - alpha * rho(y), eps)``, scaled to mean 1.

    ``rho`` is the kernel density of ``y`` min-max scaled to [0, 1]. ``alpha = 0`` gives
    equal weights; larger ``alpha`` moves weight to rare targets (at ``alpha = 1`` the mode
    gets ``eps``). The numbers equal those of the ``denseweight`` package (same KDE grid).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Training targets.
    alpha : float, default=1.0
        Strength of the re-weighting, >= 0.
    bandwidth : float, default=None
        Standard deviation of the Gaussian kernel; None for ``1.06 * std(y) * n^(-1/5)``.
    eps : float, default=1e-6
        Smallest weight before scaling, > 0.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,), positive, mean 1

    References
    ----------
    M. Steininger, K. Kobs, P. Davidson, A. Krause, A. Hotho, "Density-based weighting for
    imbalanced regression", Machine Learning 110, 2187-2211, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import dense_weight
    >>> y = np.r_[np.zeros(50), 0.1 * np.arange(10), 5.0]
    >>> w = dense_weight(y)
    >>> bool(w[-1] > w[0]), round(float(w.mean()), 12)
    (True, 1.0)
    """
    y = _check_target(y)
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or alpha < 0:
        raise ValueError(f"alpha must be a number >= 0, got {alpha!r}.")
    eps = _check_positive(eps, "eps", "it is the smallest weight, e.g. 1e-6.")
    weights = np.maximum(1.0 - alpha * scaled_density(y, _check_bandwidth(bandwidth)), eps)
    return weights / weights.mean()


def mdi_weight(
    y: ArrayLike, alpha: float = 2.0, *, bandwidth: float | None = None, eps: float = 1e-3
) -> NDArray[np.float64]:
    """Monotonically Decreasing Involution importance: ``w = (1 - rho^alpha)^(1/alpha)``.

    ``rho = p(y) / (max p + eps)`` is the kernel density scaled to [0, 1); ``f(r) =
    (1 - r^alpha)^(1/alpha)`` decreases from 1 to 0 and is its own inverse (its graph is
    symmetric about ``w = rho``). ``alpha = 1`` is linear, ``alpha > 1`` concave (mild on
    common targets, steep near the mode), ``alpha < 1`` convex. Weights are scaled to mean 1.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Training targets.
    alpha : float, default=2.0
        Shape, > 0 (2 is a quarter of the unit circle).
    bandwidth : float, default=None
        Gaussian kernel standard deviation; None for Silverman's rule.
    eps : float, default=1e-3
        Added to the peak density, so the mode keeps a positive weight.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,), positive, mean 1

    References
    ----------
    J. K. Moukpe, P. K. Chan, M. Zhang, "Highly imbalanced regression with tabular data in
    SEP and other applications" (CISIR), arXiv:2509.16339, 2025.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import mdi_weight
    >>> y = np.r_[np.zeros(50), 0.1 * np.arange(10), 5.0]
    >>> w = mdi_weight(y)
    >>> bool(w[-1] > w[0] > 0), round(float(w.mean()), 12)
    (True, 1.0)
    """
    y = _check_target(y)
    alpha = _check_positive(alpha, "alpha", "2 is the quarter circle of the paper.")
    eps = _check_positive(eps, "eps", "it keeps the mode's weight positive, e.g. 1e-3.")
    rho = _peak_scaled_density(y, _check_bandwidth(bandwidth), eps)
    weights = np.power(1.0 - np.power(rho, alpha), 1.0 / alpha)
    return weights / weights.mean()


def inverse_density_weight(
    y: ArrayLike, *, bandwidth: float | None = None, eps: float = 1e-3
) -> NDArray[np.float64]:
    """Inverse density: ``w(y) = 1 / rho(y)`` with ``rho = p(y) / (max p + eps)``, mean 1.

    The plainest re-weighting and the most extreme: a target in a region ``k`` times sparser
    gets ``k`` times the weight.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    bandwidth : float, default=None
        Gaussian kernel standard deviation; None for Silverman's rule.
    eps : float, default=1e-3
        Added to the peak density, as in :func:`mdi_weight`.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,), positive, mean 1

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import inverse_density_weight
    >>> w = inverse_density_weight(np.r_[np.zeros(50), 5.0])
    >>> bool(w[-1] > 10 * w[0])
    True
    """
    y = _check_target(y)
    eps = _check_positive(eps, "eps", "it is added to the peak density, e.g. 1e-3.")
    weights = 1.0 / _peak_scaled_density(y, _check_bandwidth(bandwidth), eps)
    return weights / weights.mean()


def _peak_scaled_density(
    y: NDArray[np.float64], bandwidth: float | None, eps: float
) -> NDArray[np.float64]:
    rho = scaled_density(y, bandwidth)
    # scaled_density is 1 at the mode and > 0 on the data (the grid extends past it).
    return rho / (1.0 + eps)
