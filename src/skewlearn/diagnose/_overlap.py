"""Feature-overlap measures F1, F1v, F2, F3 and F4 (Lorena et al., 2019).

All five lie in [0, 1] and are higher where the classes overlap more in feature space.
F1 is computed over all classes at once; the others are computed for every pair of classes
and averaged over the pairs.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np


def class_pairs(codes: np.ndarray):
    """Every pair of classes present, as ``(a, b)`` codes with ``a < b``."""
    return combinations(np.unique(codes).tolist(), 2)


def mean_over_pairs(measure, X: np.ndarray, codes: np.ndarray) -> float:
    """``measure(X_a, X_b)`` averaged over all pairs of classes."""
    return float(np.mean([measure(X[codes == a], X[codes == b]) for a, b in class_pairs(codes)]))


def f1(X: np.ndarray, codes: np.ndarray) -> float:
    """Maximum Fisher's discriminant ratio, as ``1 / (1 + max_f r_f)``.

    ``r_f = sum_c n_c (mu_cf - mu_f)^2 / sum_c sum_{i in c} (x_if - mu_cf)^2``: between-class
    over within-class scatter of feature ``f``.  Near 0 when one feature separates the
    classes, 1 when no feature's class means differ.  (problexity's binary formula has an
    extra factor of 2 in ``r_f``.)
    """
    mean = X.mean(axis=0)
    between = np.zeros(X.shape[1])
    within = np.zeros(X.shape[1])
    for code in np.unique(codes):
        members = X[codes == code]
        centre = members.mean(axis=0)
        between += len(members) * (centre - mean) ** 2
        within += ((members - centre) ** 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(within > 0, between / within, np.where(between > 0, np.inf, 0.0))
    return float(1.0 / (1.0 + ratio.max()))


def _f1v_pair(A: np.ndarray, B: np.ndarray) -> float:
    n = len(A) + len(B)
    gap = A.mean(axis=0) - B.mean(axis=0)
    scatter = len(A) / n * np.cov(A.T, bias=True).reshape(len(gap), -1)
    scatter = scatter + len(B) / n * np.cov(B.T, bias=True).reshape(len(gap), -1)
    direction = np.linalg.pinv(scatter) @ gap
    spread = direction @ scatter @ direction
    if spread <= 1e-12 * max(1.0, direction @ direction):
        return 0.0 if np.any(gap) else 1.0
    return float(1.0 / (1.0 + (direction @ gap) ** 2 / spread))


def f1v(X: np.ndarray, codes: np.ndarray) -> float:
    """Directional-vector Fisher ratio, ``1 / (1 + dF)`` along ``d = W^+ (mu_a - mu_b)``
    (``W`` the share-weighted within-class covariance), averaged over class pairs."""
    return mean_over_pairs(_f1v_pair, X, codes)


def _overlap_bounds(A: np.ndarray, B: np.ndarray):
    """Per feature: the overlap interval ``[max of mins, min of maxes]`` and the full range."""
    low = np.maximum(A.min(axis=0), B.min(axis=0))
    high = np.minimum(A.max(axis=0), B.max(axis=0))
    span = np.maximum(A.max(axis=0), B.max(axis=0)) - np.minimum(A.min(axis=0), B.min(axis=0))
    return low, high, span


def _f2_pair(A: np.ndarray, B: np.ndarray) -> float:
    low, high, span = _overlap_bounds(A, B)
    # A feature constant over both classes cannot separate them: it overlaps fully.
    share = np.where(span > 0, np.maximum(0.0, high - low) / np.where(span > 0, span, 1), 1.0)
    return float(np.prod(share))


def f2(X: np.ndarray, codes: np.ndarray) -> float:
    """Volume of the overlapping region: the product over features of overlap / range,
    averaged over class pairs."""
    return mean_over_pairs(_f2_pair, X, codes)


def _inside(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    # Inclusive bounds, as problexity: all rows overlapping gives 1, not less.
    return (values >= low) & (values <= high)


def _f3_pair(A: np.ndarray, B: np.ndarray) -> float:
    low, high, _ = _overlap_bounds(A, B)
    inside = _inside(np.vstack([A, B]), low, high)
    return float(inside.sum(axis=0).min() / len(inside))


def f3(X: np.ndarray, codes: np.ndarray) -> float:
    """Maximum individual feature efficiency: the smallest share of rows, over features,
    inside that feature's overlap interval, averaged over class pairs."""
    return mean_over_pairs(_f3_pair, X, codes)


def _f4_pair(A: np.ndarray, B: np.ndarray) -> float:
    rows = np.vstack([A, B])
    is_a = np.r_[np.ones(len(A), bool), np.zeros(len(B), bool)]
    left = np.ones(len(rows), bool)
    unused = np.ones(rows.shape[1], bool)
    while unused.any() and is_a[left].any() and (~is_a[left]).any():
        low, high, _ = _overlap_bounds(rows[left & is_a], rows[left & ~is_a])
        inside = _inside(rows, low, high) | ~left[:, None]
        counts = np.where(unused, inside.sum(axis=0), np.inf)
        best = int(np.argmin(counts))
        unused[best] = False
        left &= inside[:, best]
    return float(left.sum() / len(rows))


def f4(X: np.ndarray, codes: np.ndarray) -> float:
    """Collective feature efficiency: repeatedly drop the rows the most separating unused
    feature puts outside its overlap interval; the share of rows left at the end, averaged
    over class pairs."""
    return mean_over_pairs(_f4_pair, X, codes)
