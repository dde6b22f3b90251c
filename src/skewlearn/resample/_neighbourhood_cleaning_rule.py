"""Neighbourhood cleaning rule: edited nearest neighbours plus the neighbours of misclassified
minority rows, both answered from one shared neighbour index."""

from __future__ import annotations

from collections import Counter
from numbers import Real

import numpy as np
from imblearn import under_sampling as reference
from sklearn.neighbors import NearestNeighbors

from .._sklearn_compat import HasMethods, Interval
from ._edited_nearest_neighbours import EditedNearestNeighbours, edited_indices
from ._neighbours import NeighbourIndex
from ._sampler_base import N_JOBS, NEIGHBOURS, CleaningSampler, neighbours_size, run_reference


class NeighbourhoodCleaningRule(CleaningSampler):
    """Remove rows that edited nearest neighbours rejects, and the majority neighbours of
    minority rows that a k-NN vote misclassifies.

    A drop-in for ``imblearn.under_sampling.NeighbourhoodCleaningRule`` with the same
    ``sample_indices_``.  Both steps query one shared :class:`NeighbourIndex`.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean.
    edited_nearest_neighbours : sampler or None, default=None
        The editing step; None is ``EditedNearestNeighbours(kind_sel='mode')`` with this
        sampler's ``sampling_strategy``, ``n_neighbors`` and ``n_jobs``.  Another sampler is
        used as given (by imbalanced-learn's class of the same name).
    n_neighbors : int or neighbours object, default=3
        Size of the neighbourhood of both steps, or an estimator with ``kneighbors`` (the row
        itself counted), as in imbalanced-learn.
    threshold_cleaning : float, default=0.5
        A class is cleaned in the second step only if it has more than
        ``threshold_cleaning`` times as many rows as the minority.
    n_jobs : int, default=None
        Threads for the exact neighbour queries.

    Attributes
    ----------
    sampling_strategy_ : dict
        Classes cleaned.
    edited_nearest_neighbours_ : sampler
        The editing step.
    nn_ : estimator object
        The neighbours search of the second step, as imbalanced-learn builds it.
    classes_to_clean_ : list
        Classes considered in the second step.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    EditedNearestNeighbours

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import NeighbourhoodCleaningRule
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = NeighbourhoodCleaningRule().fit_resample(X, y)
    >>> len(y_res) < len(y)
    True
    """

    _parameter_constraints: dict = {
        **CleaningSampler._parameter_constraints,
        "edited_nearest_neighbours": [HasMethods(["fit_resample"]), None],
        "n_neighbors": NEIGHBOURS,
        "threshold_cleaning": [Interval(Real, 0, None, closed="neither")],
        "n_jobs": N_JOBS,
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        edited_nearest_neighbours=None,
        n_neighbors=3,
        threshold_cleaning=0.5,
        n_jobs=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        n_neighbors = neighbours_size(self.n_neighbors, additional=1)
        if n_neighbors is None or self.edited_nearest_neighbours is not None:
            return run_reference(self, reference.NeighbourhoodCleaningRule, X, y)
        self.nn_ = NearestNeighbors(n_neighbors=n_neighbors + 1, n_jobs=self.n_jobs)
        self.edited_nearest_neighbours_ = EditedNearestNeighbours(
            sampling_strategy=self.sampling_strategy,
            n_neighbors=n_neighbors,
            kind_sel="mode",
            n_jobs=self.n_jobs,
        )
        index = NeighbourIndex(X, n_jobs=self.n_jobs)
        edited = np.ones(len(y), dtype=bool)
        edited[edited_indices(index, y, self.sampling_strategy_, n_neighbors, "mode")] = False

        counts = Counter(y)
        minority = min(counts, key=counts.get)
        self.classes_to_clean_ = [
            label
            for label, n in counts.items()
            if label in self.sampling_strategy_ and n > counts[minority] * self.threshold_cleaning
        ]
        minority_rows = np.flatnonzero(y == minority)
        # The vote is scikit-learn's classifier's (its rule for tied votes), asked only of the
        # minority rows.
        predicted = index.predict(index.knn_classifier(y, n_neighbors), y, minority_rows)
        misclassified = minority_rows[predicted != y[minority_rows]]
        asked = index.kneighbors(misclassified, n_neighbors + 1, batch=len(minority_rows))
        around = np.unique(asked[:, 1:])
        around = around[np.isin(y[around], self.classes_to_clean_)]

        keep = ~edited
        keep[around] = False
        self.sample_indices_ = np.flatnonzero(keep)
        return X[self.sample_indices_], y[self.sample_indices_]
