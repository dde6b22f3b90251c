"""Condensed nearest neighbour (Hart's rule) without refitting a classifier per row.

imbalanced-learn refits a k-NN classifier on the growing condensed set after every addition and
re-predicts every row, one Python step at a time.  Here each row keeps its few nearest
condensed prototypes; an addition updates them with one vectorised distance computation.  A
prediction whose outcome hinges on a near-tie is asked of scikit-learn's classifier on the
condensed set, in imbalanced-learn's order, so the result is the same row for row.
"""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
import scipy.sparse as sp
from imblearn import under_sampling as reference
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils import check_random_state

from .._sklearn_compat import Interval
from ._sampler_base import N_JOBS, NEIGHBOURS, CleaningSampler, neighbours_size, run_reference

_F64_EPS = float(np.finfo(np.float64).eps)
_INIT_BLOCK_BYTES = 16 * 2**20


class _NearestPrototypes:
    """For each candidate row, its ``k + 1`` nearest prototypes (squared distance, label)."""

    def __init__(self, X, y, rows, prototypes, n_neighbors, n_jobs):
        self.X, self.y, self.rows, self.k, self.n_jobs = X, y, rows, n_neighbors, n_jobs
        self.X_rows = X[rows]
        self.sq_rows = np.einsum("ij,ij->i", self.X_rows, self.X_rows)
        self.prototypes = list(prototypes)
        depth = n_neighbors + 1
        self.dist = np.full((len(rows), depth), np.inf)
        self.label = np.zeros((len(rows), depth), dtype=y.dtype)
        self.sq_max = 0.0
        step = max(1, _INIT_BLOCK_BYTES // (8 * max(len(rows), 1)))
        for start in range(0, len(self.prototypes), step):
            block = np.asarray(self.prototypes[start : start + step])
            X_block = X[block]
            sq_block = np.einsum("ij,ij->i", X_block, X_block)
            d2 = self.sq_rows[:, None] - 2 * self.X_rows @ X_block.T + sq_block
            labels = np.broadcast_to(y[block], d2.shape)
            self.dist, self.label = self._merged(self.dist, self.label, d2, labels)
            self.sq_max = max(self.sq_max, float(sq_block.max()))

    @staticmethod
    def _merged(dist, label, new_dist, new_label):
        depth = dist.shape[1]
        dist = np.concatenate((dist, new_dist), axis=1)
        label = np.concatenate((label, new_label), axis=1)
        # Stable, so an earlier prototype stays first at equal distance, as in scikit-learn.
        order = np.argsort(dist, axis=1, kind="stable")[:, :depth]
        return np.take_along_axis(dist, order, axis=1), np.take_along_axis(label, order, axis=1)

    def add(self, row: int) -> np.ndarray:
        """Make ``row`` a prototype; return the positions whose nearest prototypes changed."""
        self.prototypes.append(row)
        x = self.X[row]
        self.sq_max = max(self.sq_max, float(x @ x))
        diff = self.X_rows - x
        d2 = np.einsum("ij,ij->i", diff, diff)
        sub = np.flatnonzero(d2 <= self.dist[:, -1])
        new_label = np.full((len(sub), 1), self.y[row])
        self.dist[sub], self.label[sub] = self._merged(
            self.dist[sub], self.label[sub], d2[sub, None], new_label
        )
        return sub

    def near_ties(self, positions: np.ndarray) -> np.ndarray:
        """Which of ``positions`` have a near-tie across the k-th place (a boolean mask).

        Which prototypes are their k nearest is then in doubt; scikit-learn settles it on the
        condensed set in its own order, and its answer may change with any addition.
        """
        tol = 64 * (self.X.shape[1] + 2) * _F64_EPS * (self.sq_rows[positions] + self.sq_max)
        boundary = self.dist[positions, self.k] - self.dist[positions, self.k - 1]
        return boundary <= tol

    def predict(self, positions: np.ndarray) -> np.ndarray:
        """scikit-learn's k-NN vote for the rows at ``positions`` (indices into ``rows``)."""
        labels = self.label[positions, : self.k]
        classes = np.unique(self.y[self.prototypes])
        votes = (labels[:, :, None] == classes).sum(axis=1)
        predicted = classes[np.argmax(votes, axis=1)]
        unsure = np.flatnonzero(self.near_ties(positions))
        if len(unsure):
            knn = KNeighborsClassifier(n_neighbors=self.k, n_jobs=self.n_jobs)
            knn.fit(self.X[self.prototypes], self.y[self.prototypes])
            predicted[unsure] = knn.predict(self.X_rows[positions[unsure]])
        return predicted


class CondensedNearestNeighbour(CleaningSampler):
    """Keep a condensed subset of each cleaned class that a k-NN rule needs (Hart's rule).

    A drop-in for ``imblearn.under_sampling.CondensedNearestNeighbour`` with the same
    ``sample_indices_`` for the same ``random_state``, orders of magnitude faster because the
    classifier is never refitted.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        Classes to condense.
    random_state : int, RandomState instance or None, default=None
        Picks the seed rows.
    n_neighbors : int, KNeighborsClassifier or None, default=None
        Neighbours of the k-NN rule (None means 1), or the k-NN classifier itself, as in
        imbalanced-learn.
    n_seeds_S : int, default=1
        Seed rows drawn per class.
    n_jobs : int, default=None
        Threads for the few scikit-learn predictions that settle near-ties.

    Attributes
    ----------
    sampling_strategy_ : dict
        Classes condensed.
    estimators_ : list of KNeighborsClassifier
        The k-NN rule on the final condensed set of each class.
    sample_indices_ : ndarray of shape (n_kept,)
        Indices of the rows kept.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    OneSidedSelection

    Notes
    -----
    Like imbalanced-learn, a row is skipped when its position within its class equals a seed's
    or an added row's index in the whole data set; this quirk is kept so the rows match.

    Sparse input is densified and gives the rows of the same data dense, which are
    imbalanced-learn's dense rows.  imbalanced-learn's own sparse answer can differ from its
    dense one (digits, 9 against the rest: one row fewer for seeds 0 to 5): scikit-learn's
    brute-force search orders equally distant rows differently on sparse input than on
    dense input (the distances are the same), and a tied vote can then go the other way.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import CondensedNearestNeighbour
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = CondensedNearestNeighbour(random_state=0).fit_resample(X, y)
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
            return run_reference(self, reference.CondensedNearestNeighbour, X, y)
        n_seeds = self.n_seeds_S
        random_state = check_random_state(self.random_state)
        counts = Counter(y)
        minority_rows = np.flatnonzero(y == min(counts, key=counts.get))
        if len(minority_rows) + n_seeds < n_neighbors:
            raise ValueError(
                f"n_neighbors={n_neighbors} is more than the {len(minority_rows) + n_seeds} rows "
                f"the condensed set starts with; pass n_neighbors <= {len(minority_rows)}."
            )
        dense = X.toarray() if sp.issparse(X) else X
        selected = []
        self.estimators_ = []
        for label in np.unique(y):
            in_class = np.flatnonzero(y == label)
            if label not in self.sampling_strategy_:
                selected.append(in_class)
                continue
            seeds = in_class[random_state.randint(low=0, high=counts[label], size=n_seeds)]
            kept = self._condense(dense, y, label, in_class, minority_rows, seeds, n_neighbors)
            knn = KNeighborsClassifier(n_neighbors=n_neighbors, n_jobs=self.n_jobs)
            condensed = np.append(minority_rows, kept)
            self.estimators_.append(knn.fit(X[condensed], y[condensed]))
            selected.append(kept)
        self.sample_indices_ = np.concatenate(selected).astype(np.intp)
        return X[self.sample_indices_], y[self.sample_indices_]

    def _condense(self, X, y, label, in_class, minority_rows, seeds, n_neighbors):
        state = _NearestPrototypes(
            X, y, in_class, np.append(minority_rows, seeds), n_neighbors, self.n_jobs
        )
        kept = list(seeds)
        # imbalanced-learn mixes whole-data indices (the kept rows) with positions in the class
        # (the well-classified rows) in one skip list; the same mix keeps the same rows.
        kept_index = np.zeros(len(in_class), dtype=bool)
        kept_index[seeds[seeds < len(in_class)]] = True
        # Before the first addition only the kept rows are skipped; after it, every row the
        # condensed set classifies right.  An addition changes the vote only of the rows whose
        # nearest prototypes it changed, or that scikit-learn settles (near-ties): only those
        # are asked again.
        right = np.zeros(len(in_class), dtype=bool)
        everyone = np.arange(len(in_class))
        added = False
        for position in range(len(in_class)):
            if kept_index[position] or right[position]:
                continue
            if state.predict(np.array([position]))[0] == label:
                continue
            row = in_class[position]
            kept.append(row)
            if row < len(in_class):
                kept_index[row] = True
            changed = state.add(row)
            if not added:
                changed, added = everyone, True
            asked = np.union1d(changed, everyone[state.near_ties(everyone)])
            right[asked] = state.predict(asked) == label
        return np.asarray(kept, dtype=np.intp)
