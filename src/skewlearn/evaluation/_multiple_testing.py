"""Multiple-testing correction shared by every layer that runs a family of tests."""

from __future__ import annotations

import numpy as np


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment of p-values (family-wise error control).

    The i-th smallest p-value becomes ``max_{j<=i} (m - j) p_(j)`` (``j`` from 0), capped at 1.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    m = len(p)
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted
