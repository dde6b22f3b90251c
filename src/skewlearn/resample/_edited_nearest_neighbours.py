"""Edited nearest neighbours and its repeated forms (RENN, AllKNN).

Each keeps exactly the rows imbalanced-learn keeps, in the same order: a row of a class being
cleaned stays when its ``n_neighbors`` nearest other rows agree with its label.  Rows whose
neighbourhood is certainly all of their own class are kept without an exact query, and under
``kind_sel='all'`` rows with another class certainly among their neighbours are dropped without
one (:meth:`NeighbourIndex.neighbourhood_status`); only the rest are queried.
"""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
from imblearn import under_sampling as reference
from imblearn.utils import check_sampling_strategy
from scipy.stats import mode
from sklearn.neighbors import NearestNeighbors

from .._sklearn_compat import Interval, StrOptions
from ._neighbours import OWN, UNSURE, NeighbourIndex
from ._sampler_base import (
    N_JOBS,
    NEIGHBOURS,
    CleaningSampler,
    neighbours_size,
    run_reference,
)

_CONSTRAINTS = {
    **CleaningSampler._parameter_constraints,
    "n_neighbors": NEIGHBOURS,
    "kind_sel": [StrOptions({"all", "mode"})],
    "n_jobs": N_JOBS,
}


def edited_indices(
    index: NeighbourIndex,
    y: np.ndarray,
    classes,
    n_neighbors: int,
    kind_sel: str,
    look_ahead: int = 0,
) -> np.ndarray:
    """Rows kept by one pass of ENN, ordered by class as imbalanced-learn orders them.

    ``look_ahead``: how many more neighbours a later pass on this index will ask for.
    """
    kept = []
    labels, codes = np.unique(y, return_inverse=True)
    decidable = _decidable(kind_sel, len(labels), n_neighbors)
    for label in labels:
        in_class = np.flatnonzero(y == label)
        if label not in classes:
            kept.append(in_class)
            continue
        status = index.neighbourhood_status(
            y, in_class, n_neighbors, look_ahead=look_ahead, **decidable
        )
        keep = status == OWN
        unsure = in_class[status == UNSURE]
        # Position 0 of the exact query is the row itself (or an identical row), as in
        # imbalanced-learn, which queries the fitted rows again, a class per call.
        neighbours = index.kneighbors(unsure, n_neighbors + 1, batch=len(in_class))[:, 1:]
        if kind_sel == "mode":
            # Codes in sorted label order give scipy's tie rule (smallest label wins) for
            # labels of any type, strings included.
            agree = mode(codes[neighbours], axis=1, keepdims=False)[0] == codes[in_class[0]]
        else:
            agree = np.all(y[neighbours] == label, axis=1)
        keep[status == UNSURE] = agree
        kept.append(in_class[keep])
    return np.concatenate(kept).astype(np.intp)


def _decidable(kind_sel: str, n_classes: int, n_neighbors: int) -> dict:
    """What the neighbourhood certificate can settle for this rule, without a query.

    ``'all'`` drops a row as soon as one neighbour is of another class.  ``'mode'`` with two
    classes and an odd number of neighbours (no tied vote) drops it when at least half of
    them are; otherwise only rows whose neighbours are all of their class are settled.
    """
    if kind_sel == "all":
        return {"min_others": 1, "decide_mixed": True}
    if n_classes == 2 and n_neighbors % 2 == 1:
        return {"min_others": (n_neighbors + 1) // 2, "decide_mixed": True}
    return {"min_others": 1, "decide_mixed": False}


def _search(n_neighbors: int, n_jobs) -> NearestNeighbors:
    """The neighbours search imbalanced-learn builds from the int form (the row included)."""
    return NearestNeighbors(n_neighbors=n_neighbors + 1, n_jobs=n_jobs)


class EditedNearestNeighbours(CleaningSampler):
    """Remove rows whose nearest neighbours disagree with their class (Wilson's editing).

    A drop-in for ``imblearn.under_sampling.EditedNearestNeighbours`` that keeps the same
    ``sample_indices_`` and is much faster on skewed data, because only rows near another
    class get an exact neighbour query.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean, as in imbalanced-learn (``'auto'`` cleans all but the minority).
    n_neighbors : int or neighbours object, default=3
        Size of the neighbourhood, or an estimator with ``kneighbors`` asked for the
        neighbourhood of each row (the row itself first), as in imbalanced-learn.
    kind_sel : {'all', 'mode'}, default='all'
        ``'all'`` keeps a row only if all neighbours share its class; ``'mode'`` if most do.
    n_jobs : int, default=None
        Threads for the exact neighbour queries.

    Attributes
    ----------
    sampling_strategy_ : dict
        Classes cleaned.
    nn_ : estimator object
        The neighbours search, as imbalanced-learn builds it from ``n_neighbors``.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    RepeatedEditedNearestNeighbours, AllKNN, NeighbourhoodCleaningRule

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import EditedNearestNeighbours
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = EditedNearestNeighbours().fit_resample(X, y)
    >>> Counter(y_res)[1] == Counter(y)[1]
    True
    """

    _parameter_constraints: dict = _CONSTRAINTS

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        n_neighbors = neighbours_size(self.n_neighbors, additional=1)
        if n_neighbors is None:
            return run_reference(self, reference.EditedNearestNeighbours, X, y)
        self.nn_ = _search(n_neighbors, self.n_jobs)
        index = NeighbourIndex(X, n_jobs=self.n_jobs)
        self.sample_indices_ = edited_indices(
            index, y, self.sampling_strategy_, n_neighbors, self.kind_sel
        )
        return X[self.sample_indices_], y[self.sample_indices_]


def _class_vanished_or_flipped(y_kept: np.ndarray, counts: Counter, minority) -> tuple[bool, bool]:
    """imbalanced-learn's two stopping tests for repeated editing.

    A class other than the minority fell below the original minority count, or a class
    disappeared altogether.
    """
    kept = Counter(y_kept)
    flipped = any(n < counts[minority] for label, n in kept.items() if label != minority)
    return flipped, len(kept) < len(counts)


class _RepeatedEditing(CleaningSampler):
    def _set_searches(self, n_neighbors: int) -> None:
        # The fitted attributes imbalanced-learn exposes; the passes themselves use the engine.
        self.nn_ = _search(n_neighbors, self.n_jobs)
        self.enn_ = EditedNearestNeighbours(
            sampling_strategy=self.sampling_strategy,
            n_neighbors=self.nn_,
            kind_sel=self.kind_sel,
            n_jobs=self.n_jobs,
        )

    def _edit(self, index: NeighbourIndex, y, n_neighbors, kind_sel, look_ahead=0):
        # Like imbalanced-learn, each pass reads sampling_strategy against the rows left, so
        # 'majority' or 'not minority' may name another class once rows are gone.
        classes = check_sampling_strategy(self.sampling_strategy, y, self._sampling_type)
        return edited_indices(index, y, classes, n_neighbors, kind_sel, look_ahead)


class RepeatedEditedNearestNeighbours(_RepeatedEditing):
    """Apply edited nearest neighbours again and again until nothing changes.

    A drop-in for ``imblearn.under_sampling.RepeatedEditedNearestNeighbours`` with the same
    ``sample_indices_``, parameters and stopping rules.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean.
    n_neighbors : int or neighbours object, default=3
        Size of the neighbourhood, or an estimator with ``kneighbors`` asked for the
        neighbourhood of each row (the row itself first), as in imbalanced-learn.
    max_iter : int, default=100
        Most editing passes.
    kind_sel : {'all', 'mode'}, default='all'
        Selection rule, as in :class:`EditedNearestNeighbours`.
    n_jobs : int, default=None
        Threads for the exact neighbour queries.

    Attributes
    ----------
    sampling_strategy_ : dict
        Classes cleaned.
    nn_ : estimator object
        The neighbours search, as imbalanced-learn builds it from ``n_neighbors``.
    enn_ : EditedNearestNeighbours
        The editing step repeated.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_iter_ : int
        Passes run.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    EditedNearestNeighbours, AllKNN

    Notes
    -----
    When the first pass removes nothing and the labels are not sorted, imbalanced-learn applies
    the class reordering to ``sample_indices_`` twice, so its indices no longer point at the
    rows it returns.  Here ``X[sample_indices_]`` is always the returned ``X``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import RepeatedEditedNearestNeighbours
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05, random_state=0)
    >>> renn = RepeatedEditedNearestNeighbours().fit(X, y)
    >>> X_res, y_res = renn.fit_resample(X, y)
    >>> bool((X_res == X[renn.sample_indices_]).all())
    True
    """

    _parameter_constraints: dict = {
        **_CONSTRAINTS,
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(
        self, *, sampling_strategy="auto", n_neighbors=3, max_iter=100, kind_sel="all", n_jobs=None
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        n_neighbors = neighbours_size(self.n_neighbors, additional=1)
        if n_neighbors is None:
            return run_reference(self, reference.RepeatedEditedNearestNeighbours, X, y)
        self._set_searches(n_neighbors)
        kind_sel = self.kind_sel
        counts = Counter(y)
        minority = min(counts, key=counts.get)
        indices = np.arange(len(y))
        index = NeighbourIndex(X, n_jobs=self.n_jobs, remember=True)
        for n_iter in range(1, self.max_iter + 1):
            self.n_iter_ = n_iter
            # Each pass works on the rows kept so far, in imbalanced-learn's order, so that
            # ties between equally distant rows are broken the same way; the index of those
            # rows carries what the last pass certified.
            kept = self._edit(index, y[indices], n_neighbors, kind_sel)
            converged = len(kept) == len(indices)
            indices = indices[kept]
            index = index.subset(kept)
            flipped, vanished = _class_vanished_or_flipped(y[indices], counts, minority)
            if converged or flipped or vanished:
                break
        self.sample_indices_ = indices
        return X[indices], y[indices]


class AllKNN(_RepeatedEditing):
    """Apply edited nearest neighbours with neighbourhoods of size 1, 2, ... ``n_neighbors``.

    A drop-in for ``imblearn.under_sampling.AllKNN`` with the same ``sample_indices_``.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to clean.
    n_neighbors : int or neighbours object, default=3
        Largest neighbourhood; passes use 1 to ``n_neighbors`` neighbours (an object with
        ``kneighbors`` counts the row itself, as in imbalanced-learn).
    kind_sel : {'all', 'mode'}, default='all'
        Selection rule, as in :class:`EditedNearestNeighbours`.
    allow_minority : bool, default=False
        Keep going even when a class falls below the original minority count.
    n_jobs : int, default=None
        Threads for the exact neighbour queries.

    Attributes
    ----------
    sampling_strategy_ : dict
        Classes cleaned.
    nn_ : estimator object
        The neighbours search, as imbalanced-learn builds it from ``n_neighbors``.
    enn_ : EditedNearestNeighbours
        The editing step, with the largest neighbourhood.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    EditedNearestNeighbours, RepeatedEditedNearestNeighbours

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import AllKNN
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = AllKNN().fit_resample(X, y)
    >>> len(y_res) < len(y)
    True
    """

    _parameter_constraints: dict = {**_CONSTRAINTS, "allow_minority": ["boolean"]}

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        n_neighbors=3,
        kind_sel="all",
        allow_minority=False,
        n_jobs=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y):
        n_neighbors = neighbours_size(self.n_neighbors, additional=1)
        if n_neighbors is None:
            return run_reference(self, reference.AllKNN, X, y)
        self._set_searches(n_neighbors)
        kind_sel = self.kind_sel
        counts = Counter(y)
        minority = min(counts, key=counts.get)
        indices = np.arange(len(y))
        index = NeighbourIndex(X, n_jobs=self.n_jobs, remember=True)
        for size in range(1, n_neighbors + 1):
            kept = self._edit(index, y[indices], size, kind_sel, n_neighbors - size)
            indices = indices[kept]
            index = index.subset(kept)
            flipped, vanished = _class_vanished_or_flipped(y[indices], counts, minority)
            if (flipped and not self.allow_minority) or vanished:
                break
        self.sample_indices_ = indices
        return X[indices], y[indices]
