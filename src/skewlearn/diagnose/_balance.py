"""Class-balance measures C1 and C2 (Lorena et al., 2019), higher = more imbalanced."""

from __future__ import annotations

import numpy as np


def balance(counts) -> dict[str, float]:
    """C1 and C2 from the class counts.

    C1 = 1 - entropy of the class shares / log(classes): 0 for balanced classes, towards 1
    as one class dominates (Lorena et al. report the entropy itself, 1 - C1; problexity
    reports this C1).  C2 = 1 - 1/IR with ``IR = (C - 1)/C * sum_c n_c / (n - n_c)``:
    0 for balanced classes, towards 1 as they grow skewed.

    Examples
    --------
    >>> balance([90, 10])
    {'C1': 0.5310044064107189, 'C2': 0.7804878048780488}
    """
    counts = np.asarray(counts, dtype=float)
    counts = counts[counts > 0]
    n, k = counts.sum(), len(counts)
    share = counts / n
    entropy = -(share * np.log(share)).sum() / np.log(k)
    ratio = (k - 1) / k * (counts / (n - counts)).sum()
    return {"C1": float(1.0 - entropy), "C2": float(1.0 - 1.0 / ratio)}
