"""The neighbour engine shared by every neighbour-based sampler: the questions they ask.

Samplers ask two kinds of question about a fixed data set ``X``:

* the exact k nearest neighbours of *some* rows, with the very same answer (ties included) as
  ``sklearn.neighbors.NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X[rows])``, which is
  what imbalanced-learn computes for *all* rows;
* whether the ``k + 1`` nearest points of a row (the row itself included) are certainly all of
  the row's own class, or certainly not.  Most rows of a skewed data set sit deep inside their
  own class, so this cheap certificate lets a cleaning sampler skip the exact query for them.

Both are answered by a blocked float32 scan with a rounding margin (``_neighbours_scan``),
its columns visited nearest cell first (``_neighbours_cells``), one block at a time
(``_neighbours_blocks``).  An answer the margin cannot settle is settled by exact float64
distances where they are clearly apart, and otherwise (a near tie, a duplicate row) asked of
scikit-learn itself, split as imbalanced-learn's call would be (``skewlearn._sklearn_compat``),
so results stay identical to imbalanced-learn's; where scikit-learn would use a tree (few
features), its exact queries are asked of scikit-learn directly.  The certificates and what
repeated editing keeps of them live in ``_neighbours_status``; the tuning of it all is one
:class:`EngineConfig` (``_neighbours_config``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from ._neighbours_config import (
    DEFAULT_ENGINE_CONFIG,
    EngineConfig,
    current_engine_config,
    engine_config_context,
)
from ._neighbours_scan import BlockScan
from ._neighbours_status import MIXED, OWN, UNSURE, ProofBook, neighbourhood_status

__all__ = [
    "DEFAULT_ENGINE_CONFIG",
    "MIXED",
    "OWN",
    "UNSURE",
    "EngineConfig",
    "IndexSearcher",
    "NeighbourIndex",
    "engine_config_context",
]


class NeighbourIndex:
    """Exact k-NN questions over one fixed data set, answered only for the rows that need them.

    One index is built per data set and shared by every step of a sampler (for instance the
    edited-nearest-neighbours step and the minority-neighbourhood step of
    NeighbourhoodCleaningRule).  Fitted scikit-learn searchers are cached per ``n_neighbors``,
    because scikit-learn picks its algorithm (KD-tree, ball tree or brute force) from the data
    shape and ``n_neighbors``, and equivalence with imbalanced-learn requires the same choice.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Validated data.
    n_jobs : int or None
        Passed to scikit-learn's searchers, and the threads of the blocked scans (None: as
        many as BLAS uses).
    remember : bool
        Keep, for every row certified by :meth:`neighbourhood_status`, the rows that
        certified it, and carry them into :meth:`subset`: repeated editing then re-examines
        only the rows whose witnesses were removed.
    config : EngineConfig or None
        The engine's tuning, and how scikit-learn is reached (None: the default, or the one
        set by :func:`engine_config_context` around the caller).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [3.5]])
    >>> index = NeighbourIndex(X)
    >>> index.kneighbors(np.array([0, 2]), n_neighbors=2)
    array([[0, 1],
           [2, 3]])
    """

    def __init__(
        self,
        X,
        *,
        n_jobs: int | None = None,
        remember: bool = False,
        config: EngineConfig | None = None,
    ):
        self.X = X
        self.n_jobs = n_jobs
        self.remember = remember
        self.config = current_engine_config() if config is None else config
        self.scan = BlockScan(X, n_jobs=n_jobs, config=self.config)
        # What earlier questions proved of each row: see neighbourhood_status.
        self.proof_book = ProofBook()
        self._searchers: dict[int, NearestNeighbors] = {}

    def searcher(self, n_neighbors: int) -> NearestNeighbors:
        """The scikit-learn searcher imbalanced-learn would fit for ``n_neighbors``."""
        if n_neighbors not in self._searchers:
            nn = NearestNeighbors(n_neighbors=n_neighbors, n_jobs=self.n_jobs)
            self._searchers[n_neighbors] = nn.fit(self.X)
        return self._searchers[n_neighbors]

    def kneighbors(
        self,
        rows: np.ndarray,
        n_neighbors: int,
        *,
        return_distance: bool = False,
        batch: int | None = None,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Exact neighbours of ``X[rows]`` among all of ``X`` (a row finds itself too).

        Where scikit-learn would search by brute force (many features), a blocked float32
        scan finds them instead; a row whose ``n_neighbors + 1`` nearest are not separated
        by more than the rounding margin (a near tie, a duplicate) is asked of scikit-learn,
        so every answer, order included, is the one scikit-learn gives to these rows within
        one call of ``batch`` queries (default: ``len(rows)``; see :meth:`ask`).
        """
        searcher = self.searcher(n_neighbors)
        if len(rows) == 0:
            empty = np.empty((0, n_neighbors), dtype=np.intp)
            return (empty.astype(float), empty) if return_distance else empty
        if return_distance:
            return searcher.kneighbors(self.X[rows])
        return self.kneighbors_among(rows, np.arange(self.X.shape[0]), searcher, batch=batch)

    def kneighbors_among(
        self,
        rows: np.ndarray,
        among: np.ndarray,
        searcher: NearestNeighbors,
        *,
        batch: int | None = None,
    ) -> np.ndarray:
        """``searcher.kneighbors(X[rows])`` for ``searcher`` fitted on ``X[among]``:
        positions in ``among``, found by the scan where the answer is certain."""
        batch = len(rows) if batch is None else batch
        if len(rows) == 0 or not self.scans(searcher, rows, among):
            return self.ask(searcher, rows, batch)
        positions, clear = self.scan.separated_neighbours(rows, among, searcher.n_neighbors)
        unclear = np.flatnonzero(~clear)
        if len(unclear):
            positions[unclear] = self.ask(searcher, rows[unclear], batch)
        return positions

    def is_nearest(self, rows: np.ndarray, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether ``candidates[i]`` is the nearest row to ``rows[i]`` other than itself (the
        second column of :meth:`kneighbors`), where certain: ``(certain, answer)``.

        One count of the rows within the candidate's distance, less and more the rounding
        margin, stopped at the first row found nearer than the candidate: where, as mostly,
        one is, far cheaper than the exact search.  No where a row other than ``rows[i]`` is
        nearer; yes where no row but these two is within reach; a near tie or a duplicate
        stays uncertain.  Only where a scan would answer :meth:`kneighbors` and cells bound
        the count (below that size the exact search is as cheap as the cells); otherwise
        nothing is certain.
        """
        certain = np.zeros(len(rows), dtype=bool)
        answer = np.zeros(len(rows), dtype=bool)
        everything = np.arange(self.X.shape[0])
        if (
            len(rows) == 0
            or not self.scan.bounded(len(everything))
            or not self.scans(self.searcher(2), rows, everything)
        ):
            return certain, answer
        diff = np.asarray(self.X[rows], dtype=float) - self.X[candidates]
        margin = 2 * self.scan.margin(rows)
        distance_sq = np.einsum("ij,ij->i", diff, diff)
        below, above = distance_sq - margin, distance_sq + margin
        # The row itself is within either bound; with one more row within ``below`` the
        # candidate is not the nearest.
        within, up_to = self.scan.count_within(rows, everything, below, 2, upper=above)
        nearer = within >= 2
        alone = (up_to <= 2) & (below > 0)
        return nearer | alone, alone & ~nearer

    def ask(self, searcher: NearestNeighbors, rows: np.ndarray, batch: int) -> np.ndarray:
        """``searcher.kneighbors(X[rows])`` as scikit-learn answers these rows within one call
        of ``batch`` queries.

        By brute force, scikit-learn splits the work over the queries for a large call and
        over the fitted rows for a small one, and the order of equal distances follows the
        split: rows asked again alone must be split as the whole call was.
        """
        X = self.X[rows]
        if sp.issparse(X):
            X = X.tocsr()
        return self.config.sklearn.kneighbors(searcher, X, batch)

    def predict(
        self,
        knn: KNeighborsClassifier,
        y: np.ndarray,
        rows: np.ndarray,
        among: np.ndarray | None = None,
    ) -> np.ndarray:
        """``knn.predict(X[rows])`` for ``knn`` fitted on ``X[among], y[among]`` (default: all).

        Rows whose neighbours the scan finds with certainty get scikit-learn's vote (uniform
        weights, a tie going to the smallest class); the rest are asked of ``knn`` itself.
        """
        among = np.arange(self.X.shape[0]) if among is None else among
        if len(rows) == 0 or knn.weights != "uniform" or not self.scans(knn, rows, among):
            return knn.predict(self.X[rows])
        positions, clear = self.scan.separated_neighbours(rows, among, knn.n_neighbors)
        codes = np.searchsorted(knn.classes_, y[among[positions]])
        votes = np.zeros((len(rows), len(knn.classes_)), dtype=np.intp)
        for column in codes.T:
            votes[np.arange(len(rows)), column] += 1
        labels = knn.classes_[votes.argmax(axis=1)]
        unclear = np.flatnonzero(~clear)
        if len(unclear):
            labels[unclear] = knn.predict(self.X[rows[unclear]])
        return labels

    def distance_bounds(
        self, rows: np.ndarray, among: np.ndarray, n_neighbors: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Distances from each row to its ``n_neighbors`` nearest of ``among``, ascending, by
        the float32 scan, and a bound on each one's error against the exact distance."""
        values, _ = self.scan.smallest(rows, among, n_neighbors)
        sq = np.maximum(values.astype(float) + self.scan.sq_norms()[rows, None], 0.0)
        approx = np.sqrt(sq)
        # |a - b| <= |a^2 - b^2| / a, and <= sqrt(|a^2 - b^2|), for a, b >= 0.
        margin = 2 * self.scan.margin(rows)[:, None].astype(float)
        with np.errstate(divide="ignore"):
            error = np.minimum(np.sqrt(margin), margin / approx)
        return approx, error

    def knn_classifier(self, y: np.ndarray, n_neighbors: int) -> KNeighborsClassifier:
        """A k-NN classifier on the whole index, as imbalanced-learn fits it."""
        return KNeighborsClassifier(n_neighbors=n_neighbors, n_jobs=self.n_jobs).fit(self.X, y)

    def scans(self, searcher, rows: np.ndarray, among: np.ndarray) -> bool:
        """Whether the blocked scan answers: dense data that ``searcher`` brute-forces, with
        more neighbours to choose from than it asks for (and fewer than a block's width),
        and enough work to pay for a scan."""
        return (
            not sp.issparse(self.X)
            and self.config.sklearn.fit_method(searcher) == "brute"
            and searcher.n_neighbors < min(len(among), self.config.col_block)
            and len(rows) * len(among) >= self.config.scan_min_pairs
        )

    # The certificate, and what repeated editing keeps of it, live in _neighbours_status.
    neighbourhood_status = neighbourhood_status

    def subset(self, rows: np.ndarray) -> NeighbourIndex:
        """An index of ``X[rows]`` that reuses this one's cells, squared norms and proofs.

        Repeated editing removes a few rows per pass; the cells stay a good search order.
        """
        child = NeighbourIndex(
            self.X[rows], n_jobs=self.n_jobs, remember=self.remember, config=self.config
        )
        child.scan = self.scan.subset(rows, child.X)
        child.proof_book = self.proof_book.subset(rows, self.X.shape[0])
        return child


class IndexSearcher:
    """A ``NearestNeighbors`` stand-in that asks a :class:`NeighbourIndex` where it can.

    Fitted on the index's own data, it answers a query made of rows of that data (among
    ``rows``, say the class being oversampled) by the index, so by the scan where scikit-learn
    would brute-force; anything else goes to a plain ``NearestNeighbors``.  Either way the
    answer is scikit-learn's.  imbalanced-learn's over-samplers take it as their neighbours
    estimator, so their generation code, random draws included, runs unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [3.5]])
    >>> searcher = IndexSearcher(NeighbourIndex(X), n_neighbors=2, rows=np.array([2, 3]))
    >>> searcher.fit(X).kneighbors(X[[3, 2]], return_distance=False)
    array([[3, 2],
           [2, 3]])
    """

    def __init__(self, index: NeighbourIndex, n_neighbors: int, rows: np.ndarray):
        self.index = index
        self.n_neighbors = n_neighbors
        self.rows = rows

    def __sklearn_clone__(self) -> IndexSearcher:
        # An unfitted copy that shares the (read-only) index instead of copying its data.
        return IndexSearcher(self.index, self.n_neighbors, self.rows)

    def fit(self, X) -> IndexSearcher:
        self._on_index = X is self.index.X
        self._fallback = None if self._on_index else NearestNeighbors(n_neighbors=self.n_neighbors)
        if self._fallback is not None:
            self._fallback.fit(X)
        return self

    def kneighbors(self, X, n_neighbors: int | None = None, return_distance: bool = True):
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        rows = self._rows_of(X) if self._on_index and not return_distance else None
        if rows is not None:
            return self.index.kneighbors(rows, k)
        searcher = self._fallback or self.index.searcher(k)
        return searcher.kneighbors(X, k, return_distance=return_distance)

    def _rows_of(self, X) -> np.ndarray | None:
        """Rows of the index's data equal to the rows of ``X`` (any one of equal rows), or
        None if some row of ``X`` is not among ``self.rows``."""
        if sp.issparse(X) or sp.issparse(self.index.X):
            return None
        known = getattr(self, "_known", None)
        if known is None:
            data = np.ascontiguousarray(self.index.X[self.rows])
            known = self._known = {data[i].tobytes(): row for i, row in enumerate(self.rows)}
        if X.dtype != self.index.X.dtype:
            return None
        X = np.ascontiguousarray(X)
        found = [known.get(x.tobytes()) for x in X]
        return None if None in found else np.array(found, dtype=np.intp)
