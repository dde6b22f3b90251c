"""Linearity measures L1, L2 and L3 (Lorena et al., 2019), per class pair, averaged over pairs.

Each pair is fitted with scikit-learn's ``LinearSVC`` (default C=1, squared hinge) on the
encoded data, on a stratified sample of at most ``linear_rows`` rows of the pair.  All lie in
[0, 1]; higher means a linear boundary fits worse.  L2 and L3 are plain error rates, so on
skewed data they cannot exceed the minority share by much.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC

from ._data import stratified_rows
from ._neighbourhood import interpolated
from ._overlap import class_pairs


def _pair_measures(X: np.ndarray, binary: np.ndarray, rng: np.random.Generator) -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        svm = LinearSVC(random_state=0).fit(X, binary)
    wrong = svm.predict(X) != binary
    distance = np.abs(svm.decision_function(X)) / max(np.linalg.norm(svm.coef_), 1e-300)
    error_distance = distance[wrong].sum() / len(binary)
    points, labels = interpolated(X, binary, np.bincount(binary), rng)
    return (
        error_distance / (1.0 + error_distance),
        float(wrong.mean()),
        float(np.mean(svm.predict(points) != labels)),
    )


def linearity(
    X: np.ndarray, codes: np.ndarray, max_rows: int, rng: np.random.Generator
) -> dict[str, float]:
    """L1 (summed distance of misclassified rows to the hyperplane, ``s / (1 + s)``),
    L2 (training error) and L3 (error on points interpolated within each class)."""
    results = []
    for a, b in class_pairs(codes):
        rows = np.flatnonzero((codes == a) | (codes == b))
        binary = (codes[rows] == b).astype(int)
        rows = rows[stratified_rows(binary, max_rows, rng)]
        results.append(_pair_measures(X[rows], (codes[rows] == b).astype(int), rng))
    l1, l2, l3 = np.mean(results, axis=0)
    return {"L1": float(l1), "L2": float(l2), "L3": float(l3)}
