"""Label distribution smoothing (LDS): a binned label histogram convolved with a kernel."""

from __future__ import annotations

import numbers
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.ndimage import convolve1d, gaussian_filter1d
from scipy.signal.windows import triang

from ._relevance import _check_target

Kernel = Literal["gaussian", "triang", "laplace"]


def _gaussian(size: int, sigma: float) -> NDArray[np.float64]:
    impulse = np.zeros(size)
    impulse[size // 2] = 1.0
    return gaussian_filter1d(impulse, sigma=sigma)


def _triang(size: int, sigma: float) -> NDArray[np.float64]:
    return triang(size)


def _laplace(size: int, sigma: float) -> NDArray[np.float64]:
    half = size // 2
    return np.exp(-np.abs(np.arange(-half, half + 1)) / sigma) / (2.0 * sigma)


_KERNELS = {"gaussian": _gaussian, "triang": _triang, "laplace": _laplace}


def lds_kernel_window(
    kernel: Kernel = "gaussian", size: int = 5, sigma: float = 2.0
) -> NDArray[np.float64]:
    """The symmetric smoothing window of LDS and FDS, scaled so its peak is 1.

    Parameters
    ----------
    kernel : {"gaussian", "triang", "laplace"}, default="gaussian"
        Gaussian (an impulse smoothed by a Gaussian filter of ``sigma`` bins), triangular, or
        Laplace ``exp(-|k| / sigma)``.
    size : int, default=5
        Window length in bins, odd.
    sigma : float, default=2.0
        Spread in bins (unused by the triangular kernel).

    Returns
    -------
    window : ndarray of shape (size,)

    Examples
    --------
    >>> from skewlearn.regression import lds_kernel_window
    >>> lds_kernel_window("triang", size=5).tolist()
    [0.3333333333333333, 0.6666666666666666, 1.0, 0.6666666666666666, 0.3333333333333333]
    """
    if kernel not in _KERNELS:
        raise ValueError(f"kernel must be one of {sorted(_KERNELS)}, got {kernel!r}.")
    if (
        isinstance(size, bool)
        or not isinstance(size, numbers.Integral)
        or size < 1
        or size % 2 == 0
    ):
        raise ValueError(f"size must be an odd int >= 1 (bins), got {size!r}; 5 is usual.")
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not sigma > 0:
        raise ValueError(f"sigma must be a positive number of bins, got {sigma!r}.")
    window = _KERNELS[kernel](int(size), float(sigma))
    return window / window.max()


def lds_weight(
    y: ArrayLike,
    *,
    bins: int | ArrayLike = 50,
    kernel: Kernel = "gaussian",
    size: int = 5,
    sigma: float = 2.0,
    reweight: Literal["inverse", "sqrt_inverse"] = "sqrt_inverse",
) -> NDArray[np.float64]:
    """LDS weights: the inverse of the smoothed label density of each target's bin, mean 1.

    With bin counts ``n_b`` (or ``sqrt(n_b)`` for ``"sqrt_inverse"``) and the window ``k``,
    the effective density is ``n~_b = sum_j k_j n_{b-j}`` (zero outside the range) and
    ``w_i = 1 / n~_{b(i)}``, scaled so the weights average 1. A target's own bin is never
    empty, so every weight is finite and positive.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Training targets.
    bins : int or array-like, default=50
        Number of equal-width bins over the range of ``y``, or the edges.
    kernel, size, sigma
        The window, see :func:`lds_kernel_window`.
    reweight : {"inverse", "sqrt_inverse"}, default="sqrt_inverse"
        Inverse of the smoothed counts, or of the smoothed square-root counts (milder, the
        paper's usual choice).

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,), positive, mean 1

    References
    ----------
    Y. Yang, K. Zha, Y.-C. Chen, H. Wang, D. Katabi, "Delving into deep imbalanced
    regression", ICML 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import lds_weight
    >>> y = np.r_[np.zeros(90), np.ones(10)]
    >>> w = lds_weight(y, bins=2, size=1, reweight="inverse")
    >>> w[0].round(4), w[-1].round(4)
    (np.float64(0.5556), np.float64(5.0))
    """
    y = _check_target(y)
    if reweight not in ("inverse", "sqrt_inverse"):
        raise ValueError(f"reweight must be 'inverse' or 'sqrt_inverse', got {reweight!r}.")
    window = lds_kernel_window(kernel, size, sigma)
    edges = np.histogram_bin_edges(y, bins=bins) if np.isscalar(bins) else np.asarray(bins)
    counts = np.histogram(y, bins=edges)[0].astype(np.float64)
    if counts.sum() < y.size:
        raise ValueError("bins must cover every target: some fall outside the given edges.")
    if reweight == "sqrt_inverse":
        counts = np.sqrt(counts)
    smoothed = convolve1d(counts, window, mode="constant")
    index = np.clip(np.searchsorted(edges, y, side="right") - 1, 0, counts.size - 1)
    weights = 1.0 / smoothed[index]
    return weights / weights.mean()
