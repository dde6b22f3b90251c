"""Errors broken down by relevance bin and by how often a target region was seen in training."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ._relevance import RelevanceLike, _check_target, resolve_relevance
from ._sera import _check_pair


def _errors(y_true: NDArray, y_pred: NDArray, mask: NDArray) -> tuple[int, float, float]:
    n = int(mask.sum())
    if n == 0:
        return 0, float("nan"), float("nan")
    err = y_pred[mask] - y_true[mask]
    return n, float(np.mean(np.abs(err))), float(np.sqrt(np.mean(err**2)))


def error_by_relevance(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    relevance: RelevanceLike = None,
    bins: ArrayLike = (0.0, 0.25, 0.5, 0.75, 1.0),
) -> pd.DataFrame:
    """MAE and RMSE of the points in each relevance bin.

    Bins are ``[b_0, b_1), [b_1, b_2), ..., [b_{m-1}, b_m]`` (the last one closed), so with
    the default bins the last two rows are the rare points (``phi >= 0.5``).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    relevance : Relevance, callable, array-like or None, default=None
        phi of ``y_true``, as in :func:`sera`.
    bins : array-like, default=(0, 0.25, 0.5, 0.75, 1)
        Increasing bin edges in [0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``low``, ``high``, ``n``, ``mae``, ``rmse`` (NaN for an empty bin).

    Examples
    --------
    >>> from skewlearn.regression import error_by_relevance
    >>> table = error_by_relevance([0, 1, 2], [1, 1, 4], relevance=[0.0, 0.5, 1.0],
    ...                            bins=[0, 0.5, 1])
    >>> table[["n", "mae"]].to_dict("list")
    {'n': [1, 2], 'mae': [1.0, 1.0]}
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    phi = resolve_relevance(relevance, y_true)
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"bins must be at least two increasing edges, got {bins!r}.")
    rows = []
    for i, (low, high) in enumerate(zip(edges[:-1], edges[1:])):
        last = i == edges.size - 2
        mask = (phi >= low) & ((phi <= high) if last else (phi < high))
        n, mae, rmse = _errors(y_true, y_pred, mask)
        rows.append({"low": low, "high": high, "n": n, "mae": mae, "rmse": rmse})
    return pd.DataFrame(rows)


def shot_metrics(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    y_train: ArrayLike,
    *,
    bins: int | ArrayLike = 10,
    many: int = 100,
    few: int = 20,
) -> pd.DataFrame:
    """MAE and RMSE on many-, medium- and few-shot target regions.

    The deep imbalanced regression benchmarks (Yang et al., 2021) split the target range into
    bins and call a bin *many-shot* when it holds more than ``many`` training targets,
    *few-shot* when it holds fewer than ``few``, and *medium-shot* otherwise; a test point
    takes the region of its bin. Test points outside the bins belong to the nearest end bin.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    y_train : array-like
        The training targets that define how often each region was seen.
    bins : int or array-like, default=10
        Number of equal-width bins over the range of ``y_train``, or the bin edges.
        The benchmarks use unit-width bins (one year of age), i.e. edges.
    many, few : int, default=100 and 20
        The shot thresholds.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``"all"``, ``"many"``, ``"medium"``, ``"few"``; columns ``n``, ``mae``,
        ``rmse``.

    References
    ----------
    Y. Yang, K. Zha, Y.-C. Chen, H. Wang, D. Katabi, "Delving into deep imbalanced
    regression", ICML 2021.

    Examples
    --------
    >>> from skewlearn.regression import shot_metrics
    >>> y_train = [0.5] * 150 + [1.5] * 50 + [2.5] * 5
    >>> table = shot_metrics([0.2, 1.2, 2.2], [0.2, 1.0, 3.2], y_train, bins=[0, 1, 2, 3])
    >>> table["mae"].round(3).to_dict()
    {'all': 0.4, 'many': 0.0, 'medium': 0.2, 'few': 1.0}
    """
    y_true, y_pred = _check_pair(y_true, y_pred)
    y_train = _check_target(y_train, "y_train")
    if few > many:
        raise ValueError(f"few ({few}) must not exceed many ({many}).")
    if np.isscalar(bins):
        edges = np.histogram_bin_edges(y_train, bins=int(bins))
    else:
        edges = np.asarray(bins, dtype=np.float64)
    counts = np.histogram(y_train, bins=edges)[0]
    test_bin = np.clip(np.searchsorted(edges, y_true, side="right") - 1, 0, counts.size - 1)
    seen = counts[test_bin]
    regions = {
        "all": np.ones_like(seen, dtype=bool),
        "many": seen > many,
        "medium": (seen >= few) & (seen <= many),
        "few": seen < few,
    }
    table = {name: _errors(y_true, y_pred, mask) for name, mask in regions.items()}
    return pd.DataFrame.from_dict(table, orient="index", columns=["n", "mae", "rmse"])
