"""Dimensionality measures T2, T3 and T4 (Lorena et al., 2019), on the encoded columns."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA


def dimensionality(X: np.ndarray) -> dict[str, float]:
    """T2 = features / rows; T3 = principal components for 95% of the variance / rows;
    T4 = those components / features (in (0, 1]).  Higher: sparser, harder data; T2 and T3
    are unbounded above."""
    n, d = X.shape
    if np.ptp(X, axis=0).max(initial=0.0) == 0:
        components = 1
    else:
        components = PCA(n_components=0.95, svd_solver="full").fit(X).n_components_
    return {"T2": d / n, "T3": float(components / n), "T4": float(components / d)}
