"""Sample weights through samplers (imbalanced-learn issue 457).

``fit_resample(X, y, sample_weight=w)`` returns ``(X_res, y_res, w_res)``:

* a row that is kept (or repeated) keeps its own weight, found from ``sample_indices_``;
* a synthetic row of an over-sampler gets the weight of the original row of its class that
  lies nearest to it (Euclidean distance, the first such row on a tie).  On a SMOTE segment
  from a seed towards a neighbour that is the nearer of the two parents unless a third row
  of the class lies closer still; ADASYN's and BorderlineSMOTE's rows likewise.

Over-samplers return the original rows first, in order, then the new ones (imbalanced-learn's
layout); the weights follow that layout.  Without ``sample_weight`` nothing changes: the
output is ``(X_res, y_res)`` as before.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import NDArray
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array


def check_weights(sample_weight, n_samples: int) -> NDArray[np.float64]:
    """``sample_weight`` as a float array of ``n_samples`` finite, non-negative values.

    >>> check_weights([1, 2], 2)
    array([1., 2.])
    """
    if isinstance(sample_weight, numbers.Number):
        return np.full(n_samples, float(sample_weight))
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {weights.shape} but X has {n_samples} rows: pass one "
            "weight per row."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("sample_weight must be finite and non-negative.")
    return weights


def class_labels(y) -> NDArray:
    """Class labels of a target, a one-hot target included (imbalanced-learn accepts one)."""
    y = np.asarray(y)
    return np.argmax(y, axis=1) if y.ndim == 2 else y


def synthetic_weights(
    weights: NDArray[np.float64], X, y: NDArray, X_new, y_new: NDArray
) -> NDArray[np.float64]:
    """Weight of each new row: that of the nearest original row of its class.

    >>> X = np.array([[0.0], [1.0], [5.0]])
    >>> synthetic_weights(np.array([1.0, 2.0, 3.0]), X, np.array([0, 0, 1]),
    ...                   np.array([[0.4], [0.6]]), np.array([0, 0]))
    array([1., 2.])
    """
    out = np.empty(len(y_new))
    X_new = check_array(X_new, accept_sparse="csr", dtype=None)
    for label in np.unique(y_new):
        rows = np.flatnonzero(y == label)
        new = np.flatnonzero(y_new == label)
        nearest = NearestNeighbors(n_neighbors=1).fit(X[rows]).kneighbors(X_new[new])[1][:, 0]
        out[new] = weights[rows[nearest]]
    return out


def resampled_weights(
    sampler, weights: NDArray[np.float64], X, y: NDArray, X_res, y_res
) -> NDArray[np.float64]:
    """The weights of the rows ``sampler`` returned, by the rules of this module.

    ``X`` and ``y`` are the validated arrays the sampler was fitted on.
    """
    indices = getattr(sampler, "sample_indices_", None)
    if indices is not None:
        return weights[indices]
    y_res = np.asarray(y_res)
    if getattr(sampler, "_sampling_type", None) == "over-sampling" and len(y_res) >= len(y):
        n = len(y)
        if np.array_equal(y_res[:n], y):
            X_new = X_res[n:] if not hasattr(X_res, "iloc") else X_res.iloc[n:].to_numpy()
            return np.concatenate(
                (weights, synthetic_weights(weights, X, y, X_new, y_res[n:]))
            )
    raise TypeError(
        f"{type(sampler).__name__} neither selects rows (no sample_indices_) nor returns the "
        "original rows followed by new ones, so the weights of its rows are unknown; resample "
        "without sample_weight, or use a sampler of skewlearn.resample."
    )
