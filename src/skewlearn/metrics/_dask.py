"""Metrics on Dask collections, exact: counts aggregated over partitions, one call on the client.

A label metric depends on the data only through the confusion matrix, and average precision
and ROC-AUC only through how many rows of each class share each distinct score. Each
partition counts its distinct (true, predicted) or (true, score) pairs; the client sums the
counts and calls the in-memory metric once with the counts as sample weights, which gives
the value the metric has on all rows (up to floating-point summation order).

dask is imported inside the functions: :mod:`skewlearn.metrics` imports without it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._labels import _minority_index


def _parts_1d(y, name: str) -> list:
    """One Delayed per partition of a Dask Series or 1-D Dask array."""
    import dask.array as da
    import dask.dataframe as dd

    if isinstance(y, dd.Series):
        # Unoptimised graphs keep the partitions of their frame: the optimiser may fuse a
        # column's partitions differently from another column's of the same frame.
        return list(y.to_delayed(optimize_graph=False))
    if isinstance(y, da.Array) and y.ndim == 1:
        return list(y.to_delayed())
    raise TypeError(f"{name} must be a Dask Series or a 1-D Dask array; got {type(y).__name__}.")


def _aligned_parts(y_true, other, name: str) -> list[tuple]:
    true_parts, other_parts = _parts_1d(y_true, "y_true"), _parts_1d(other, name)
    if len(true_parts) != len(other_parts):
        raise ValueError(
            f"y_true has {len(true_parts)} partitions and {name} has {len(other_parts)}; "
            "predict on X partitioned like y_true."
        )
    return list(zip(true_parts, other_parts))


def _pair_counts(y_true, y_pred) -> tuple[NDArray, NDArray]:
    """Distinct (true, predicted) pairs of one partition and how often each occurs."""
    pairs = pd.DataFrame({"t": np.asarray(y_true), "p": np.asarray(y_pred)})
    counts = pairs.value_counts(sort=False)
    return counts.index.to_frame(index=False).to_numpy(), counts.to_numpy()


def dask_label_score(
    metric: Callable[..., float], y_true, y_pred, *, scheduler: str | None = None, **kwargs
) -> float:
    """A label metric on Dask ``y_true`` and ``y_pred``, exact, from confusion counts.

    Each partition counts its (true, predicted) pairs; the client sums them and calls
    ``metric`` once on the distinct pairs weighted by their counts: the confusion matrix the
    metric would build from all rows. ``metric`` must accept ``labels`` and
    ``sample_weight``, as every label metric of :mod:`skewlearn.metrics` does (F1/F-beta,
    MCC, balanced accuracy, G-mean, expected cost). A binary metric's positive class
    defaults, as in memory, to the minority of ``y_true`` (ties: the larger label).

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred, *, labels, sample_weight, **kwargs)``, e.g.
        :func:`skewlearn.metrics.f1`.
    y_true, y_pred : dask Series or 1-D dask array
        Partitioned alike (``y_pred`` from ``model.predict`` on the ``X`` of ``y_true``).
    scheduler : str, optional
        Dask scheduler for the computation (default: the current one).
    **kwargs
        Passed to ``metric`` (``pos_label``, ``labels``, ``cost_matrix``...).

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> from skewlearn.metrics import f1
    >>> y_true = da.from_array(np.array([0, 0, 0, 1, 1, 0]), chunks=3)
    >>> y_pred = da.from_array(np.array([0, 1, 0, 1, 0, 0]), chunks=3)
    >>> dask_label_score(f1, y_true, y_pred, scheduler="sync")
    0.5
    """
    import dask

    pieces = dask.compute(
        *[dask.delayed(_pair_counts)(t, p) for t, p in _aligned_parts(y_true, y_pred, "y_pred")],
        scheduler=scheduler,
    )
    pairs = pd.DataFrame(np.concatenate([p[0] for p in pieces]), columns=["t", "p"])
    counts = pairs.assign(n=np.concatenate([p[1] for p in pieces])).groupby(["t", "p"])["n"].sum()
    cell_true = counts.index.get_level_values("t").to_numpy()
    cell_pred = counts.index.get_level_values("p").to_numpy()
    labels = kwargs.pop("labels", None)
    if labels is None:
        labels = np.union1d(cell_true, cell_pred)
    binary = len(labels) == 2 and "pos_label" in set(inspect.signature(metric).parameters)
    if binary and "pos_label" not in kwargs:
        totals = np.array([counts[cell_true == label].sum() for label in labels])
        kwargs["pos_label"] = labels[_minority_index(totals, labels)]
    return metric(cell_true, cell_pred, labels=labels, sample_weight=counts.to_numpy(), **kwargs)


def _score_counts(y_true, y_score) -> pd.Series:
    """Distinct (label, score) pairs of one partition and how often each occurs."""
    pairs = pd.DataFrame({"t": np.asarray(y_true), "s": np.asarray(y_score, dtype=np.float64)})
    return pairs.value_counts(sort=False)


def dask_ranking_score(
    metric: Callable[..., float],
    y_true,
    y_score,
    *,
    pos_label: Any = None,
    max_pairs: int = 20_000_000,
    scheduler: str | None = None,
) -> float:
    """Average precision or ROC-AUC on Dask ``y_true`` and scores, exact.

    Both areas depend on the data only through how many rows of each class share each
    distinct score (the curves have one point per distinct score, ties included). Each
    partition counts its distinct (label, score) pairs; the client sums the counts and
    calls ``metric`` once with the counts as sample weights: the same curve points and the
    same area as on all rows, up to floating-point summation order. Binary targets.

    Parameters
    ----------
    metric : callable
        :func:`skewlearn.metrics.average_precision` or :func:`skewlearn.metrics.roc_auc`
        (any ``metric(y_true, y_score, *, labels, pos_label, sample_weight)``).
    y_true, y_score : dask Series or 1-D dask array
        Partitioned alike; ``y_score`` is the score of ``pos_label``.
    pos_label : label, optional
        The positive class; by default, as in memory, the minority of ``y_true`` (ties:
        the larger label).
    max_pairs : int, default=20_000_000
        The client holds the distinct pairs: few for tree ensembles, up to one per row for
        continuous scores. Above ``max_pairs`` (summed over partitions, before merging) the
        call is refused; rounding the scores first (``y_score.round(4)``) gives the exact
        area of the rounded scores.
    scheduler : str, optional
        Dask scheduler for the computation (default: the current one).

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> from skewlearn.metrics import average_precision
    >>> y_true = da.from_array(np.array([0, 0, 1, 1, 0, 1]), chunks=3)
    >>> y_score = da.from_array(np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9]), chunks=3)
    >>> round(dask_ranking_score(average_precision, y_true, y_score, scheduler="sync"), 4)
    0.9167
    """
    import dask

    pieces = dask.persist(
        *[dask.delayed(_score_counts)(t, s) for t, s in _aligned_parts(y_true, y_score, "y_score")],
        scheduler=scheduler,
    )
    n_pairs = sum(dask.compute(*[dask.delayed(len)(p) for p in pieces], scheduler=scheduler))
    if n_pairs > max_pairs:
        raise MemoryError(
            f"the scores have up to {n_pairs:,} distinct (label, score) pairs, above "
            f"max_pairs={max_pairs:,}; round them first (e.g. y_score.round(4)) for the exact "
            "area of the rounded scores, or raise max_pairs if the client has the memory."
        )
    counts = pd.concat(dask.compute(*pieces, scheduler=scheduler)).groupby(level=["t", "s"]).sum()
    cell_true = counts.index.get_level_values("t").to_numpy()
    cell_score = counts.index.get_level_values("s").to_numpy()
    labels = np.unique(cell_true)
    if len(labels) != 2:
        raise ValueError(
            f"y_true has {len(labels)} classes; the Dask ranking metrics take binary targets."
        )
    if pos_label is None:
        totals = np.array([counts[cell_true == label].sum() for label in labels])
        pos_label = labels[_minority_index(totals, labels)]
    return metric(
        cell_true, cell_score, labels=labels, pos_label=pos_label, sample_weight=counts.to_numpy()
    )
