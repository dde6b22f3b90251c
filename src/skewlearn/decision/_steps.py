"""Piecewise-constant objective curves: averaging folds and choosing the middle of the optimum.

A curve is ``(breaks, values)``: ``values[0]`` holds below ``breaks[0]``, ``values[j]`` on
``[breaks[j - 1], breaks[j])`` and ``values[-1]`` above ``breaks[-1]`` (see ``_sweep.sweep``).
"""

from __future__ import annotations

import numpy as np

# Metric values that differ by less than this are the same optimum (floating-point noise).
TIE_TOL = 1e-10


def mean_curve(curves: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Average step curves over folds, exactly, on the union of their breaks.

    Examples
    --------
    >>> import numpy as np
    >>> a = (np.array([1.0]), np.array([0.0, 1.0]))
    >>> b = (np.array([2.0]), np.array([0.0, 1.0]))
    >>> breaks, values = mean_curve([a, b])
    >>> breaks.tolist(), values.tolist()
    ([1.0, 2.0], [0.0, 0.5, 1.0])
    """
    breaks = np.unique(np.concatenate([b for b, _ in curves]))
    stacked = [v[np.r_[0, np.searchsorted(b, breaks, side="right")]] for b, v in curves]
    return breaks, np.mean(stacked, axis=0)


def interval_edges(breaks: np.ndarray) -> np.ndarray:
    """Edges of the curve's intervals, the two unbounded ones cut half a typical gap out.

    Cutting the outer intervals keeps the chosen rule inside the range the data cover, so that
    a rule found on one set of scores stays sensible on the next.
    """
    gaps = np.diff(breaks)
    gaps = gaps[gaps > 0]
    pad = float(np.median(gaps)) if len(gaps) else max(abs(float(breaks[0])), 1.0)
    return np.r_[breaks[0] - pad, breaks, breaks[-1] + pad]


def interval_midpoints(breaks: np.ndarray) -> np.ndarray:
    """One representative parameter per interval, for drawing the curve."""
    edges = interval_edges(breaks)
    return (edges[:-1] + edges[1:]) / 2


def best_midpoint(breaks: np.ndarray, gains: np.ndarray) -> tuple[float, float]:
    """Middle of the widest run of intervals where ``gains`` is maximal.

    Returns the parameter and its gain. Picking the middle of a flat optimum (rather than its
    first point, which sits on a sample's score) keeps the rule away from the scores the
    optimum was read from.

    Examples
    --------
    >>> import numpy as np
    >>> best_midpoint(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 1.0, 0.0]))
    (2.0, 1.0)
    """
    best = float(gains.max())
    optimal = np.r_[False, gains >= best - TIE_TOL, False]
    change = np.flatnonzero(np.diff(optimal.astype(np.int8)))
    starts, stops = change[::2], change[1::2]  # runs of optimal intervals: [start, stop)
    edges = interval_edges(breaks)
    widths = edges[stops] - edges[starts]
    run = int(np.argmax(widths))
    return float((edges[starts[run]] + edges[stops[run]]) / 2), best


def value_at(breaks: np.ndarray, values: np.ndarray, param: float) -> float:
    """The curve's value at ``param``."""
    return float(values[np.searchsorted(breaks, param, side="right")])
