"""One-sided selection: a 1-NN condensing step followed by Tomek-link cleaning."""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
from imblearn import under_sampling as reference
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils import check_random_state

from .._sklearn_compat import Interval
from ._neighbours import NeighbourIndex
from ._sampler_base import N_JOBS, NEIGHBOURS, CleaningSampler, neighbours_size, run_reference
from ._tomek_links import tomek_link_mask


class OneSidedSelection(CleaningSampler):
    """Keep the rows a k-NN rule on (minority + one seed) misclassifies, then drop Tomek links.

    A drop-in for ``imblearn.under_sampling.OneSidedSelection`` with the same
    ``sample_indices_`` for the same ``random_state``; the Tomek step uses the fast engine.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to under-sample.
    random_state : int, RandomState instance or None, default=None
        Picks the seed rows.
    n_neighbors : int, KNeighborsClassifier or None, default=None
        Neighbours of the k-NN rule (None means 1), or the k-NN classifier itself, as in
        imbalanced-learn.
    n_seeds_S : int, default=1
        Seed rows drawn per class.
    n_jobs : int, default=None
        Threads for the neighbour queries.

    Attributes
    ----------
    sampling_strategy_ : dict
        Classes under-sampled.
    estimators_ : list of KNeighborsClassifier
        The k-NN rule fitted per class.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    CondensedNearestNeighbour, TomekLinks

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import OneSidedSelection
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = OneSidedSelection(random_state=0).fit_resample(X, y)
    >>> len(y_res) < len(y)
    True
    """

    _parameter_constraints: dict = {
        **CleaningSampler._parameter_constraints,
        "n_neighbors": [*NEIGHBOURS, None],
        "n_seeds_S": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": N_JOBS,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        n_neighbors=None,
        n_seeds_S=1,
        n_jobs=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        n_neighbors = 1 if self.n_neighbors is None else self.n_neighbors
        n_neighbors = neighbours_size(n_neighbors, kinds=(KNeighborsClassifier,))
        if n_neighbors is None:
            return run_reference(self, reference.OneSidedSelection, X, y)
        n_seeds = self.n_seeds_S
        random_state = check_random_state(self.random_state)
        counts = Counter(y)
        minority_rows = np.flatnonzero(y == min(counts, key=counts.get))
        index = NeighbourIndex(X, n_jobs=self.n_jobs)
        selected = []
        self.estimators_ = []
        for label in np.unique(y):
            in_class = np.flatnonzero(y == label)
            if label not in self.sampling_strategy_:
                selected.append(in_class)
                continue
            drawn = random_state.randint(low=0, high=counts[label], size=n_seeds)
            seeds = in_class[drawn]
            condensed = np.append(minority_rows, seeds)
            rest = np.delete(in_class, drawn)
            knn = KNeighborsClassifier(n_neighbors=n_neighbors, n_jobs=self.n_jobs)
            self.estimators_.append(knn.fit(X[condensed], y[condensed]))
            wrong = rest[index.predict(knn, y, rest, among=condensed) != y[rest]]
            selected.append(np.concatenate((seeds, wrong)))
        selected = np.concatenate(selected).astype(np.intp)

        links = tomek_link_mask(index.subset(selected), y[selected], list(self.sampling_strategy_))
        self.sample_indices_ = selected[~links]
        return X[self.sample_indices_], y[self.sample_indices_]
