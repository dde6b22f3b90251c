"""NearMiss under-sampling (Mani and Zhang, 2003), keeping the rows imbalanced-learn keeps.

Each under-sampled class keeps the rows whose summed distance to their nearest minority rows
is smallest (version 1), whose summed distance to their farthest minority rows is smallest
(version 2), or, among the rows nearest to some minority row, those farthest from the
minority (version 3).  Ranking a million rows needs the distances of only the few near the
cut: the float32 scan bounds every row's sum, and only rows whose bounds straddle the cut
get scikit-learn's exact distances, which decide the ranking as in imbalanced-learn.
"""

from __future__ import annotations

import numbers
import warnings
from collections import Counter

import numpy as np
from imblearn import under_sampling as reference
from sklearn.neighbors import NearestNeighbors

from .._sklearn_compat import Interval
from ._neighbours import NeighbourIndex
from ._sampler_base import N_JOBS, NEIGHBOURS, UnderSampler, neighbours_size, run_reference


def _ranked(
    index: NeighbourIndex,
    nn: NearestNeighbors,
    rows: np.ndarray,
    minority: np.ndarray,
    n_keep: int,
    *,
    farthest: bool,
    n_neighbors: int | None = None,
) -> np.ndarray:
    """Positions in ``rows`` of the ``n_keep`` rows imbalanced-learn's NearMiss keeps, in its
    order: ranked by the sum of the distances to the last ``nn.n_neighbors`` of their
    ``n_neighbors`` (default ``nn.n_neighbors``) nearest minority rows (``nn`` is fitted
    on those rows); smallest sums first, or largest with ``farthest``; ties keep row order.
    """
    k = nn.n_neighbors
    asked = k if n_neighbors is None else n_neighbors
    candidates = np.arange(len(rows))
    if n_keep < len(rows) and asked == k and index.scans(nn, rows, minority):
        approx, error = index.distance_bounds(rows, minority, k)
        low, high = (approx - error).sum(axis=1), (approx + error).sum(axis=1)
        if farthest:
            cut = np.partition(low, len(rows) - n_keep)[len(rows) - n_keep]
            candidates = np.flatnonzero(high >= cut)
        else:
            cut = np.partition(high, n_keep - 1)[n_keep - 1]
            candidates = np.flatnonzero(low <= cut)
    distances = nn.kneighbors(index.X[rows[candidates]], n_neighbors=asked)[0]
    sums = np.sum(distances[:, -k:], axis=1)
    # Python's sort, as imbalanced-learn's: stable, also when reversed.
    order = sorted(range(len(sums)), key=sums.__getitem__, reverse=farthest)
    if len(order) < n_keep:
        warnings.warn(
            f"NearMiss was asked to keep {n_keep} rows of a class but only {len(order)} are "
            "eligible; all of them are kept, so the classes will not be balanced.",
            UserWarning,
            stacklevel=3,
        )
    return candidates[np.asarray(order[:n_keep], dtype=np.intp)]


class NearMiss(UnderSampler):
    """Keep the rows of the under-sampled classes that lie nearest to the minority class.

    A drop-in for ``imblearn.under_sampling.NearMiss`` with the same ``sample_indices_``
    (order included) and parameters; versions 1 and 3 are much faster on large dense data.

    Parameters
    ----------
    sampling_strategy : str, float, dict or callable, default='auto'
        Rows to keep per class, as in imbalanced-learn.
    version : {1, 2, 3}, default=1
        1: smallest mean distance to the ``n_neighbors`` nearest minority rows; 2: to the
        ``n_neighbors`` farthest; 3: among the ``n_neighbors_ver3`` nearest rows of every
        minority row, the largest mean distance to the ``n_neighbors`` nearest minority rows.
    n_neighbors : int or neighbours object, default=3
        Minority rows the distance is averaged over, or an estimator with ``kneighbors``
        fitted on the minority rows, as in imbalanced-learn.
    n_neighbors_ver3 : int or neighbours object, default=3
        Version 3's short list: this many nearest rows of each minority row.
    n_jobs : int, default=None
        Threads for the neighbour searches.

    Attributes
    ----------
    sampling_strategy_ : dict
        Rows kept per under-sampled class.
    nn_ : estimator object
        The neighbours search over the minority rows.
    nn_ver3_ : estimator object
        Version 3's search over the rows of the last class short-listed.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    RandomUnderSampler, CondensedNearestNeighbour

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import NearMiss
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = NearMiss(version=1).fit_resample(X, y)
    >>> sorted(Counter(y_res).values())
    [50, 50]
    """

    _parameter_constraints: dict = {
        **UnderSampler._parameter_constraints,
        "version": [Interval(numbers.Integral, 1, 3, closed="both")],
        "n_neighbors": NEIGHBOURS,
        "n_neighbors_ver3": NEIGHBOURS,
        "n_jobs": N_JOBS,
    }

    def __init__(
        self, *, sampling_strategy="auto", version=1, n_neighbors=3, n_neighbors_ver3=3, n_jobs=None
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        k = neighbours_size(self.n_neighbors)
        k3 = neighbours_size(self.n_neighbors_ver3)
        if k is None or (k3 is None and self.version == 3):
            return run_reference(self, reference.NearMiss, X, y)
        counts = Counter(y)
        minority_label = min(counts, key=counts.get)
        minority = np.flatnonzero(y == minority_label)
        # A plain Python value reads as the user wrote it: 1, not np.int64(1).
        minority_label = getattr(minority_label, "item", lambda: minority_label)()
        if k > len(minority):
            raise ValueError(
                f"n_neighbors={k} but the minority class {minority_label!r} has only "
                f"{len(minority)} rows: pass n_neighbors <= {len(minority)}."
            )
        index = NeighbourIndex(X, n_jobs=self.n_jobs)
        nn = NearestNeighbors(n_neighbors=k, n_jobs=self.n_jobs).fit(X[minority])
        self.nn_ = nn
        kept = []
        for label in np.unique(y):
            in_class = np.flatnonzero(y == label)
            if label in self.sampling_strategy_:
                in_class = in_class[self._chosen(index, nn, in_class, minority, label)]
            kept.append(in_class)
        self.sample_indices_ = np.concatenate(kept).astype(np.intp)
        return X[self.sample_indices_], y[self.sample_indices_]

    def _chosen(self, index, nn, in_class, minority, label) -> np.ndarray:
        n_keep = self.sampling_strategy_[label]
        if self.version == 1:
            return _ranked(index, nn, in_class, minority, n_keep, farthest=False)
        if self.version == 2:
            return _ranked(
                index, nn, in_class, minority, n_keep, farthest=False, n_neighbors=len(minority)
            )
        k3 = neighbours_size(self.n_neighbors_ver3)
        if k3 > len(in_class):
            label = getattr(label, "item", lambda: label)()
            raise ValueError(
                f"n_neighbors_ver3={k3} but class {label!r} has only {len(in_class)} rows: "
                f"pass n_neighbors_ver3 <= {len(in_class)}."
            )
        nn3 = NearestNeighbors(n_neighbors=k3, n_jobs=self.n_jobs).fit(index.X[in_class])
        self.nn_ver3_ = nn3
        short_list = np.unique(index.kneighbors_among(minority, in_class, nn3))
        chosen = _ranked(index, nn, in_class[short_list], minority, n_keep, farthest=True)
        return short_list[chosen]
