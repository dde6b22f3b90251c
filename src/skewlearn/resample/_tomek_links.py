"""Tomek links: pairs of rows of different classes that are each other's nearest neighbour."""

from __future__ import annotations

import numpy as np

from ._neighbours import NeighbourIndex
from ._sampler_base import N_JOBS, CleaningSampler


def tomek_link_mask(index: NeighbourIndex, y: np.ndarray, classes) -> np.ndarray:
    """Rows of ``classes`` that belong to a Tomek link, as imbalanced-learn finds them.

    A link joins two classes, so one of its ends is outside the largest class: the exact
    nearest neighbour is asked only for the rows of the other classes, and of each row they
    point at only whether one of them is its nearest, not for every row.
    """
    labels, counts = np.unique(y, return_counts=True)
    ends = np.flatnonzero(y != labels[np.argmax(counts)])
    nearest = np.full(len(y), -1, dtype=np.intp)
    # imbalanced-learn asks for every row in one call (see NeighbourIndex.ask).
    nearest[ends] = index.kneighbors(ends, 2, batch=len(y))[:, 1]
    partners = np.unique(nearest[ends])
    partners = partners[nearest[partners] < 0]
    # A partner matters only if one of the rows pointing at it is its nearest: asked first
    # by a count that mostly stops at a nearer row, then, if unsure, exactly.
    pointing = ends[np.isin(nearest[ends], partners)]
    certain, answer = index.is_nearest(nearest[pointing], pointing)
    nearest[nearest[pointing[answer]]] = pointing[answer]
    unsure = np.unique(nearest[pointing[~certain]])
    nearest[unsure] = index.kneighbors(unsure, 2, batch=len(y))[:, 1]
    rows = np.flatnonzero(nearest >= 0)
    linked = (y[nearest[rows]] != y[rows]) & (nearest[nearest[rows]] == rows)
    links = np.zeros(len(y), dtype=bool)
    links[rows[linked]] = True
    return links & np.isin(y, list(classes))


class TomekLinks(CleaningSampler):
    """Remove the rows of the cleaned classes that are in a Tomek link.

    A drop-in for ``imblearn.under_sampling.TomekLinks`` with the same ``sample_indices_``;
    the nearest-neighbour search is done only for the rows outside the largest class and
    their nearest rows.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean (``'auto'``: all but the minority).
    n_jobs : int, default=None
        Threads for the exact neighbour queries.

    Attributes
    ----------
    sampling_strategy_ : dict
        Classes cleaned.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    OneSidedSelection, SMOTETomek

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.resample import TomekLinks
    >>> X = np.array([[0.0], [0.1], [1.0], [1.05], [3.0]])
    >>> y = np.array([0, 0, 0, 1, 0])
    >>> TomekLinks().fit(X, y).fit_resample(X, y)[1]
    array([0, 0, 1, 0])
    """

    _parameter_constraints: dict = {**CleaningSampler._parameter_constraints, "n_jobs": N_JOBS}

    def __init__(self, *, sampling_strategy="auto", n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        index = NeighbourIndex(X, n_jobs=self.n_jobs)
        links = tomek_link_mask(index, y, self.sampling_strategy_)
        self.sample_indices_ = np.flatnonzero(~links)
        return X[self.sample_indices_], y[self.sample_indices_]
