"""Sample weights through samplers (imbalanced-learn issue 457).

``fit_resample(X, y, sample_weight=w)`` returns ``(X_res, y_res, w_res)``:

* a row that is kept (or repeated) keeps its own weight, found from ``sample_indices_``;
* a synthetic row of an over-sampler gets the weight of the original row of its class that
  lies nearest to it (Euclidean distance, the first such row on a tie).  On a SMOTE segment
  from a seed towards a neighbour that is the nearer of the two parents unless a third row
  of the class lies closer still; ADASYN's and BorderlineSMOTE's rows likewise.  Samplers
  whose rows need more (SMOTENC's and SMOTEN's distances, ClusterCentroids' centroids) give
  the ``nearest`` rule or the weights themselves: see ``_imblearn_samplers.py``.

Over-samplers return the original rows first, in order, then the new ones (imbalanced-learn's
layout); the weights follow that layout.  Without ``sample_weight`` nothing changes: the
output is ``(X_res, y_res)`` as before.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array

# For the original rows of one class and the new rows of that class (two index arrays, into
# the original and into the new rows), the position in the first of each new row's nearest.
Nearest = Callable[[NDArray[np.intp], NDArray[np.intp]], NDArray[np.intp]]


def class_labels(y) -> NDArray:
    """Class labels of a target, a one-hot target included (imbalanced-learn accepts one)."""
    y = np.asarray(y)
    return np.argmax(y, axis=1) if y.ndim == 2 else y


def euclidean_nearest(X, X_new) -> Nearest:
    """Nearest original rows by Euclidean distance (the rule of most samplers).

    >>> nearest = euclidean_nearest(np.array([[0.0], [1.0], [5.0]]), np.array([[0.6]]))
    >>> nearest(np.array([0, 1]), np.array([0]))
    array([1])
    """
    X = check_array(X, accept_sparse="csr", dtype=None, ensure_all_finite=False)
    X_new = check_array(X_new, accept_sparse="csr", dtype=None)

    def nearest(rows, new):
        search = NearestNeighbors(n_neighbors=1).fit(X[rows])
        return search.kneighbors(X_new[new], return_distance=False)[:, 0]

    return nearest


def new_rows(X_res, n: int):
    """The rows of an over-sampler's output after its first ``n`` (the original ones)."""
    return X_res.iloc[n:] if hasattr(X_res, "iloc") else X_res[n:]


def synthetic_weights(
    weights: NDArray[np.float64], y: NDArray, y_new: NDArray, nearest: Nearest
) -> NDArray[np.float64]:
    """Weight of each new row: that of the nearest original row of its class.

    >>> X, y = np.array([[0.0], [1.0], [5.0]]), np.array([0, 0, 1])
    >>> X_new, y_new = np.array([[0.4], [0.6]]), np.array([0, 0])
    >>> synthetic_weights(np.array([1.0, 2.0, 3.0]), y, y_new, euclidean_nearest(X, X_new))
    array([1., 2.])
    """
    out = np.empty(len(y_new))
    for label in np.unique(y_new):
        rows = np.flatnonzero(y == label)
        new = np.flatnonzero(y_new == label)
        out[new] = weights[rows[nearest(rows, new)]]
    return out


def over_sampled_weights(
    weights: NDArray[np.float64], y: NDArray, y_res: NDArray, nearest: Nearest
) -> NDArray[np.float64]:
    """The weights of an over-sampler's output: the original rows first, then new ones."""
    new = synthetic_weights(weights, y, y_res[len(y) :], nearest)
    return np.concatenate((weights, new))


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
        if len(y_res) == n:  # nothing was made (the classes were balanced already)
            return weights.copy()
        if np.array_equal(y_res[:n], y):
            return over_sampled_weights(weights, y, y_res, euclidean_nearest(X, new_rows(X_res, n)))
    raise TypeError(
        f"{type(sampler).__name__} neither selects rows (no sample_indices_) nor returns the "
        "original rows followed by new ones, so the weights of its rows are unknown; resample "
        "without sample_weight, or use a sampler of skewlearn.resample."
    )
