"""The neighbour engine shared by every neighbour-based sampler.

Samplers ask two kinds of question about a fixed data set ``X``:

* the exact k nearest neighbours of *some* rows, with the very same answer (ties included) as
  ``sklearn.neighbors.NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X[rows])``, which is
  what imbalanced-learn computes for *all* rows;
* whether the ``k + 1`` nearest points of a row (the row itself included) are certainly all of
  the row's own class, or certainly not.  Most rows of a skewed data set sit deep inside their
  own class, so this cheap certificate lets a cleaning sampler skip the exact query for them.

Both are answered by blocked float32 BLAS products (``[x_q, 1, -t_q] @ [-2 x_c, ||x_c||^2,
1]``, the query's threshold ``t_q`` folded in) with a rounding margin, spread over threads, each
thread with its own reused buffers.  An answer the margin cannot settle is settled by exact
float64 distances where they are clearly apart, and otherwise (a near tie, a duplicate row)
asked of scikit-learn itself, split as imbalanced-learn's call would be, so results stay
identical to imbalanced-learn's; where scikit-learn would use a tree (few features), its exact
queries are asked of scikit-learn directly.

To certify a row cheaply its own class's rows are visited nearest region first: the rows are
split once into compact cells (a few k-means steps on a sample), and a row's own cell and the
cells around it usually hold enough close rows to settle it.  A cell certainly beyond a
row's search radius (by the planes between cell centres) is skipped.  The cells decide only
the order and the extent of the search, never an answer.  Repeated editing (RENN, AllKNN)
keeps the rows that certified each answer and re-examines, in the next pass, only the rows
whose witnesses were removed.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics._pairwise_distances_reduction import ArgKmin
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
from threadpoolctl import threadpool_info, threadpool_limits

# Bytes one block of pairwise distances may take; blocks are float32.  Small enough to stay in
# a core's cache between the product and the comparison that reads it.
_BLOCK_BYTES = 4 * 2**20
# Columns per block: wide enough for BLAS to run at full speed, narrow enough that a row deep
# inside its class is certified after the first block or two.
_COL_BLOCK = 512
# Query x column pairs a block of few rows widens to (up to 16 x _COL_BLOCK columns).
_BLOCK_PAIRS = 2**20
# Below this many query x column pairs scikit-learn's own search is as fast as a scan.
_SCAN_MIN_PAIRS = 2**24
# Witnesses of an OWN answer kept beyond those needed (see _Proofs).
_SPARE_WITNESSES = 2
# Candidates found beyond the n_neighbors + 1 an exact answer compares, so that the float64
# settle step can tell them from every row the scan left out (_separated_neighbours).
_SETTLE_SPARE = 3
# Most smallest values of a row found by repeated argmin passes (a partition beyond).
_ARGMIN_PASSES = 8
# Centres nearest a query's own whose planes bound its distance to other cells (_Cells.far_sq).
_PLANE_CENTRES = 8
# Fewest columns per cell, on average, for which bounds on the distance to a cell are worth
# computing and ordering the columns by cell pays (measured: not at 100k rows, 1k per cell).
_BOUNDED_CELL_COLS = 2048
# Queries whose cell bounds are computed at once (their temporaries stay small).
_BOUND_CHUNK = 512
# Most queries searched together (their bounds to every cell are held at once).
_PIECE_ROWS = 4096
# Fewer queries than this go straight to the full count: a pass over nearby cells pays off
# only when many rows share each cell.
_NEARBY_MIN_QUERIES = 4096
# What neighbourhood_status can say of a row.
OWN, UNSURE, MIXED = 1, 0, -1
# Rows per cell of the search order, and the most cells (k-means cost grows with their number).
_ROWS_PER_CELL = 1024
_MAX_CELLS = 256
# Columns a nearby-only count visits per cell of queries (the nearest cells' rows).
_SEARCH_COLS = 65536
# Rounding of ||a||^2 - 2ab + ||b||^2 in float32 is bounded by a few units of float32 epsilon
# per feature times the squared norms involved; 8x that bound keeps certificates safe.
_F32_EPS = float(np.finfo(np.float32).eps)


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
    block_bytes : int
        Memory budget of one block of pairwise distances.
    remember : bool
        Keep, for every row certified by :meth:`neighbourhood_status`, the rows that
        certified it, and carry them into :meth:`subset`: repeated editing then re-examines
        only the rows whose witnesses were removed.

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
        block_bytes: int = _BLOCK_BYTES,
        remember: bool = False,
    ):
        self.X = X
        self.n_jobs = n_jobs
        self.block_bytes = block_bytes
        self.remember = remember
        self._searchers: dict[int, NearestNeighbors] = {}
        self._sq: np.ndarray | None = None
        self._cells: _Cells | None = None
        self._n_threads: int | None = None
        # What earlier questions proved of each row, per (label, min_others), for the labels
        # in _proof_labels: see neighbourhood_status.
        self._proofs_by_class: dict[tuple, _Proofs] = {}
        self._proof_labels: np.ndarray | None = None

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
        positions, clear = self._separated_neighbours(rows, among, searcher.n_neighbors)
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
            or not self._bounded(len(everything))
            or not self.scans(self.searcher(2), rows, everything)
        ):
            return certain, answer
        diff = np.asarray(self.X[rows], dtype=float) - self.X[candidates]
        margin = 2 * self._margin(rows)
        distance_sq = np.einsum("ij,ij->i", diff, diff)
        below, above = distance_sq - margin, distance_sq + margin
        # The row itself is within either bound; with one more row within ``below`` the
        # candidate is not the nearest.
        within, up_to = self._count_within(rows, everything, below, 2, upper=above)
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
        fit_X = getattr(searcher, "_fit_X", None)
        if getattr(searcher, "_fit_method", None) != "brute" or not ArgKmin.is_usable_for(
            X, fit_X, searcher.effective_metric_
        ):
            return searcher.kneighbors(X, return_distance=False)
        return ArgKmin.compute(
            X=X,
            Y=fit_X,
            k=searcher.n_neighbors,
            metric=searcher.effective_metric_,
            metric_kwargs=searcher.effective_metric_params_,
            strategy=_brute_force_split(batch, searcher.n_samples_fit_),
            return_distance=False,
        )

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
        positions, clear = self._separated_neighbours(rows, among, knn.n_neighbors)
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
        values, _ = self._smallest(rows, among, n_neighbors)
        sq = np.maximum(values.astype(float) + self._sq_norms()[rows, None], 0.0)
        approx = np.sqrt(sq)
        # |a - b| <= |a^2 - b^2| / a, and <= sqrt(|a^2 - b^2|), for a, b >= 0.
        margin = 2 * self._margin(rows)[:, None].astype(float)
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
            and getattr(searcher, "_fit_method", None) == "brute"
            and searcher.n_neighbors < min(len(among), _COL_BLOCK)
            and len(rows) * len(among) >= _SCAN_MIN_PAIRS
        )

    def _separated_neighbours(
        self, rows: np.ndarray, among: np.ndarray, n_neighbors: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions in ``among`` of each row's ``n_neighbors`` nearest, and whether certain.

        The scan finds each row's ``n_neighbors + 1`` nearest in float32.  Certain when they
        are each further than the one before by more than twice the rounding margin: then
        set and order are those of the exact distances.  Otherwise a second scan finds a few
        spare candidates, and their exact (float64) distances settle the order, if the first
        ``n_neighbors + 1`` are clearly apart and the ``n_neighbors``-th is nearer than any
        row the scan left out could be (the spares make that margin wide).
        """
        width = n_neighbors + 1
        values, positions = self._smallest(rows, among, width)
        margin = self._margin(rows)
        clear = np.all(np.diff(values, axis=1) > 2 * margin[:, None], axis=1)
        unclear = np.flatnonzero(~clear)
        if len(unclear) == 0:
            return positions[:, :n_neighbors], clear
        # The few rows too close to call: their candidates again, with spares.
        spares = min(width + _SETTLE_SPARE, len(among), _COL_BLOCK)
        values, candidates = self._smallest(rows[unclear], among, spares)
        # Chunks of rows whose float64 differences to their candidates fit the block budget.
        per_row = 8 * spares * self.X.shape[1]
        step = max(1, self.block_bytes // per_row)
        for start in range(0, len(unclear), step):
            chunk = slice(start, start + step)
            query = self.X[rows[unclear[chunk]]].astype(float)
            exact = ((self.X[among[candidates[chunk]]] - query[:, None, :]) ** 2).sum(axis=2)
            order = np.argsort(exact, axis=1, kind="stable")
            exact = np.take_along_axis(exact, order, axis=1)
            positions[unclear[chunk]] = np.take_along_axis(candidates[chunk], order, axis=1)[
                :, :width
            ]
            # Far above the float64 rounding of any exact method, scikit-learn's included.
            tolerance = 1e-9 * (self._sq_norms()[rows[unclear[chunk]]] + self._sq_norms().max())
            apart = np.all(np.diff(exact[:, :width], axis=1) > tolerance[:, None], axis=1)
            # A row the scan left out is at least the largest float32 value less the margin.
            sq = np.einsum("ij,ij->i", query, query)
            left_out = values[chunk, -1] - margin[unclear[chunk]]
            nearer = exact[:, n_neighbors - 1] - sq + tolerance < left_out
            clear[unclear[chunk]] = apart & nearer
        return positions[:, :n_neighbors], clear

    def neighbourhood_status(
        self,
        y: np.ndarray,
        rows: np.ndarray,
        n_neighbors: int,
        *,
        min_others: int = 1,
        decide_mixed: bool = False,
        look_ahead: int = 0,
    ) -> np.ndarray:
        """Whether each row certainly has ``min_others`` rows of other classes as neighbours.

        For row ``i`` the exact query gives ``n_neighbors + 1`` rows, the first being ``i``
        itself (or an identical row); its neighbours are the others.  With ``o`` the
        distance to its ``min_others``-th nearest row of another class, returns (aligned
        with ``rows``):

        * ``OWN`` when at least ``n_neighbors + 2 - min_others`` rows of its class (itself
          included) are closer than ``o`` by a rounding margin: fewer than ``min_others``
          neighbours are of other classes, however ties are broken (with ``min_others=1``:
          none);
        * ``MIXED`` (only with ``decide_mixed``) when fewer than that many are within ``o``
          plus the margin, and no row of another class could be at distance zero: at least
          ``min_others`` neighbours are of other classes;
        * ``UNSURE`` otherwise: ask :meth:`kneighbors`.

        With ``remember``, rows certified OWN keep the rows that certified them (a few spare
        ones, and ``look_ahead`` more for questions with that many more neighbours to come),
        and a later question keeps their answer while enough of those are left.  Where their
        count was complete (short of the witnesses ``look_ahead`` more neighbours need), a
        later question with a larger neighbourhood finds the row MIXED from that count, with
        no scan.  Sparse data is never decided.
        """
        status = np.full(len(rows), UNSURE, dtype=np.int8)
        if sp.issparse(self.X) or len(rows) == 0:
            return status
        needed = n_neighbors + 2 - min_others
        for label in np.unique(y[rows]):
            in_class = np.flatnonzero(y[rows] == label)
            own = np.flatnonzero(y == label)
            others = np.flatnonzero(y != label)
            if len(others) < min_others:
                status[in_class] = OWN
                continue
            proofs = (
                self._proofs(y, label, min_others, needed + look_ahead) if self.remember else None
            )
            if proofs is not None:
                # Rows certified by an earlier question on this index or a superset of it
                # keep their answer while enough of the rows that certified them are left:
                # rows of other classes can only have gone, so the radius only grew.
                known = proofs.held(rows[in_class]) >= needed
                status[in_class[known]] = OWN
                in_class = in_class[~known]
            queries = rows[in_class]
            if len(queries) == 0:
                continue
            nearest_sq, radius_sq = self._nearest_sq_distances(queries, others, min_others)
            margin = 2 * self._margin(queries)
            below, above = radius_sq - margin, radius_sq + margin
            # Rows no row of another class could reach at distance zero (and take the row's
            # own first place).
            apart = nearest_sq - margin > 0
            if decide_mixed and proofs is not None:
                # Rows whose class an earlier complete count found too thin stay so.
                thin = (proofs.most_within(queries, above) < needed) & apart
                status[in_class[thin]] = MIXED
                in_class, queries = in_class[~thin], queries[~thin]
                below, above, apart = below[~thin], above[~thin], apart[~thin]
            found = None if proofs is None else proofs.blank(len(queries))
            count = np.zeros(len(queries), dtype=np.int64)
            if len(queries) >= _NEARBY_MIN_QUERIES:
                # First the nearby cells only: settles most rows deep inside their class
                # (when remembering, with spare witnesses, cheap to find there).
                stop = needed if found is None else found.shape[1]
                count, _ = self._count_within(
                    queries, own, below, stop, max_cols=_SEARCH_COLS, witnesses=found
                )
            # The rest against every row of the class, nearest cells first; with
            # decide_mixed, counting within the upper bound in the same scan.  When
            # remembering, rows short of the witnesses later questions need are counted in
            # full too: a row that stays short then has a complete count, which settles it
            # in those questions without a scan.
            stop = needed if found is None else needed + look_ahead
            rest = np.flatnonzero(count < stop)
            found_rest = None if found is None else found[rest]
            count[rest], upper = self._count_within(
                queries[rest],
                own,
                below[rest],
                stop,
                upper=above[rest] if decide_mixed else None,
                witnesses=found_rest,
            )
            certified = count >= needed
            status[in_class[certified]] = OWN
            if proofs is not None:
                found[rest] = found_rest
                proofs.record(queries, np.where(certified[:, None], found, -1))
                if decide_mixed:
                    done = certified[rest] & (count[rest] < stop)
                    complete = rest[done]
                    proofs.record_complete(
                        queries[complete], above[complete], (upper - count[rest])[done]
                    )
            if decide_mixed:
                # Rows whose class is too thin even up to the upper bound have enough other
                # rows among their neighbours.
                mixed = (upper < needed) & apart[rest]
                status[in_class[rest[mixed]]] = MIXED
            self._settle_exactly(
                y, label, rows, in_class, status, n_neighbors, min_others, decide_mixed, proofs
            )
        return status

    def _settle_exactly(
        self,
        y: np.ndarray,
        label,
        rows: np.ndarray,
        in_class: np.ndarray,
        status: np.ndarray,
        n_neighbors: int,
        min_others: int,
        decide_mixed: bool,
        proofs: _Proofs | None,
    ) -> None:
        """Decide the UNSURE rows of ``rows[in_class]`` by their exact neighbours, where the
        scan finds those with certainty (as :meth:`kneighbors` would), and keep the rows of
        their class among them as the witnesses of an OWN answer.

        A row whose neighbourhood is within the rounding margin of the other class's
        nearest row is settled once, not again in every pass of repeated editing.
        """
        unsure = in_class[status[in_class] == UNSURE]
        queries, among = rows[unsure], np.arange(self.X.shape[0])
        if len(queries) == 0 or not self.scans(self.searcher(n_neighbors + 1), queries, among):
            return
        positions, clear = self._separated_neighbours(queries, among, n_neighbors + 1)
        is_own = y[positions] == label
        # Position 0 is the row itself (with clear answers, no identical row ties with it).
        others = np.count_nonzero(~is_own[:, 1:], axis=1)
        own = clear & (others < min_others)
        status[unsure[own]] = OWN
        if decide_mixed:
            status[unsure[clear & (others >= min_others)]] = MIXED
        if proofs is not None and own.any():
            # Each OWN row's own-class neighbours (itself included), nearest first.
            order = np.argsort(~is_own[own], axis=1, kind="stable")
            found = np.take_along_axis(np.where(is_own[own], positions[own], -1), order, axis=1)
            proofs.record(queries[own], found)

    def _proofs(self, y: np.ndarray, label, min_others: int, needed: int) -> _Proofs:
        """What earlier questions proved of the rows of ``label``, for these labels."""
        if self._proof_labels is None or not np.array_equal(self._proof_labels, y):
            self._proofs_by_class, self._proof_labels = {}, np.array(y, copy=True)
        key = (label, min_others)
        if key not in self._proofs_by_class:
            self._proofs_by_class[key] = _Proofs(len(y), needed + _SPARE_WITNESSES)
        return self._proofs_by_class[key]

    def _sq_norms(self) -> np.ndarray:
        if self._sq is None:
            self._sq = np.einsum("ij,ij->i", self.X, self.X).astype(np.float32)
        return self._sq

    def _margin(self, queries: np.ndarray) -> np.ndarray:
        sq = self._sq_norms()
        bound = 8 * (self.X.shape[1] + 2) * _F32_EPS
        return bound * (sq[queries] + sq.max())

    def _row_blocks(self, n_rows: int, n_cols: int) -> Iterator[slice]:
        """Row slices such that a block of rows x ``n_cols`` fits the memory budget."""
        step = max(1, self.block_bytes // (4 * max(n_cols, 1)))
        for start in range(0, n_rows, step):
            yield slice(start, min(start + step, n_rows))

    def _augmented(self, cols: np.ndarray) -> np.ndarray:
        """``[-2 x_c, ||x_c||^2, 1]`` of ``cols``, transposed, in float32.

        Multiplied by a query block ``[x_q, 1, -t_q]`` it gives ``||x_c||^2 - 2 x_q . x_c -
        t_q`` (the squared distance less ``||x_q||^2``, less a per-query shift) in one BLAS
        call; the shift turns a per-query comparison into a comparison with zero.  Built row
        by row (a gather of whole rows) and returned as a transposed view, which BLAS takes
        as it is.
        """
        aug = np.empty((len(cols), self.X.shape[1] + 2), dtype=np.float32)
        for rows in self._row_blocks(len(cols), 2 * self.X.shape[1]):
            np.multiply(self.X.take(cols[rows], axis=0), -2, out=aug[rows, :-2], casting="unsafe")
        aug[:, -2] = self._sq_norms().take(cols)
        aug[:, -1] = 1
        return aug.T

    def _columns(
        self, groups: dict[int, np.ndarray], n_queries: int, rows: np.ndarray | None = None
    ) -> _Columns:
        """The columns ``groups`` (ids by cell: the ids are rows, or positions in ``rows``)
        laid out cell after cell, for a search of ``n_queries``.

        Augmented once for all the pieces of queries where there are at least as many
        queries as columns: then many pieces read every column, and the copy is small
        beside the work.  Otherwise each block is gathered when read, and memory stays
        that of a block (a copy of a million columns is about 90 MB).
        """
        ids = np.concatenate(list(groups.values()))
        ends = np.cumsum([len(group) for group in groups.values()])
        spans = {cell: slice(end - len(groups[cell]), end) for cell, end in zip(groups, ends)}

        def augment(positions: np.ndarray) -> np.ndarray:
            return self._augmented(positions if rows is None else rows[positions])

        return _Columns(ids, spans, augment, shared=n_queries >= len(ids))

    def _query_block(self, queries: np.ndarray) -> np.ndarray:
        """``[x_q, 1, 0]`` of ``queries`` in float32 (the last column is the shift, -t_q)."""
        aug = np.zeros((len(queries), self.X.shape[1] + 2), dtype=np.float32)
        aug[:, :-2] = self.X[queries]
        aug[:, -2] = 1
        return aug

    def _threads(self) -> int:
        """Threads for the scans: ``n_jobs`` if given, else as many as BLAS would use."""
        if self._n_threads is None:
            if self.n_jobs is not None:
                self._n_threads = self.n_jobs if self.n_jobs > 0 else os.cpu_count() or 1
            else:
                info = threadpool_info()
                self._n_threads = max(
                    (pool["num_threads"] for pool in info if pool["user_api"] == "blas"), default=1
                )
        return max(1, self._n_threads)

    def _run(self, work: Callable[[np.ndarray], None], pieces: Sequence[np.ndarray]) -> None:
        """``work`` on each piece (disjoint query positions), spread over the threads.

        Each thread runs single-threaded BLAS on its own blocks, which keeps the product and
        the comparison that follows it on the same core's cache.
        """
        pieces = [piece for piece in pieces if len(piece)]
        threads = min(self._threads(), len(pieces))
        if threads <= 1:
            for piece in pieces:
                work(piece)
            return
        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, pieces))

    def _pieces(self, queries: np.ndarray, by_cell: bool = True) -> list[np.ndarray]:
        """Positions of ``queries`` (ordered by cell) cut into pieces: a few per thread, so
        that threads finish together, of at most ``_PIECE_ROWS`` queries each."""
        n = len(queries)
        count = max(1, min(n // 512, 4 * self._threads()), -(-n // _PIECE_ROWS))
        if not by_cell:
            return np.array_split(np.arange(n), count)
        order = np.argsort(self._cell_partition().labels[queries], kind="stable")
        return np.array_split(order, count)

    def _visits(
        self, queries: np.ndarray, col_groups: dict, max_cols: int | None = None
    ) -> list[tuple[int, np.ndarray]]:
        """The column cells a piece of queries visits: the piece's main cell first, then by
        nearness."""
        cells = self._cell_partition()
        cell = int(np.bincount(cells.labels[queries]).argmax())
        return cells.visits(cell, col_groups, max_cols)

    def _bounded(self, n_cols: int) -> bool:
        """Whether a search among ``n_cols`` rows has enough per cell, on average, for the
        bounds on the distance to a cell to pay."""
        return n_cols >= _BOUNDED_CELL_COLS * _Cells.count(self.X.shape[0])

    def _far_sq(self, queries: np.ndarray, visits: list) -> np.ndarray | None:
        """Each query's squared lower bound on its distance to each visited cell, or None
        where the cells hold too few columns for skipping one to pay for its bound."""
        if sum(len(group) for _, group in visits) < _BOUNDED_CELL_COLS * len(visits):
            return None
        cells = self._cell_partition()
        return cells.far_sq(
            np.asarray(self.X[queries], dtype=float),
            cells.labels[queries],
            np.array([c for c, _ in visits], dtype=np.intp),
        )

    def _smallest(
        self, queries: np.ndarray, cols: np.ndarray, m: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each query the ``m`` smallest ``||x_c||^2 - 2 x_q . x_c`` over ``cols``
        (float32, ascending) and their positions in ``cols``.

        After a first block has given every query ``m`` candidates, a block only touches
        the entries below a query's current ``m``-th value (few, once a few thousand columns
        have been seen).  Where cells hold many columns, columns are visited nearest cell
        first and a block skips the queries whose ``m``-th value is nearer than the block's
        cells can be; every skipped column is truly further than the ``m``-th value returned.
        """
        if m > min(len(cols), _COL_BLOCK):
            raise ValueError(f"asked for the {m} nearest of {len(cols)} rows")
        values = np.full((len(queries), m), np.inf, dtype=np.float32)
        positions = np.zeros((len(queries), m), dtype=np.intp)
        bounded = self._bounded(len(cols))
        positions_all = np.arange(len(cols))
        # Unbounded: one group, searched in order (its key is not a cell).
        groups = (
            self._cell_partition().group(positions_all, of=cols) if bounded else {0: positions_all}
        )
        columns = self._columns(groups, len(queries), cols)
        sq = self._sq_norms()[queries].astype(float)

        def work(piece: np.ndarray) -> None:
            scratch = _Scratch(self.block_bytes)
            query = self._query_block(queries[piece])
            best, where = values[piece], positions[piece]
            visits = self._visits(queries[piece], groups) if bounded else list(groups.items())
            far = self._far_sq(queries[piece], visits) if bounded else None
            width = _block_width(len(piece))
            for first, (span, block, aug) in enumerate(columns.blocks(visits, lambda: width)):
                if first == 0 or far is None:
                    rows = np.arange(len(piece))
                else:
                    reach = far[:, span].min(axis=1) <= best[:, -1] + sq[piece]
                    rows = np.flatnonzero(reach)
                block_query = query if len(rows) == len(piece) else query[rows]
                for rs in self._row_blocks(len(rows), aug.shape[1]):
                    # Shifted by each query's current m-th value: the hits are the negatives.
                    part = scratch.product(block_query[rs], aug)
                    at = rows[rs]
                    if first == 0:
                        best[at], found_at = _take_smallest(part, m)
                        where[at] = block[found_at]
                    else:
                        _merge_smallest(best, where, at, part, block)
                    query[at, -1] = -best[at, -1]
            values[piece], positions[piece] = best, where

        self._run(work, self._pieces(queries, by_cell=bounded))
        return values, positions

    def _nearest_sq_distances(
        self, queries: np.ndarray, cols: np.ndarray, m: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Squared distances from each query to its nearest and ``m``-th nearest of ``cols``."""
        values, _ = self._smallest(queries, cols, m)
        sq = self._sq_norms()[queries]
        return values[:, 0] + sq, values[:, -1] + sq

    def _count_within(
        self,
        queries: np.ndarray,
        cols: np.ndarray,
        bound: np.ndarray,
        needed: int,
        *,
        max_cols: int | None = None,
        upper: np.ndarray | None = None,
        witnesses: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """How many of ``cols`` lie strictly within squared distance ``bound`` of each query.

        Columns are visited nearest cell first, and a query stops being searched once its
        count reaches ``needed``, so counts are exact only below that; without ``upper`` a
        query with ``bound <= 0`` is not searched (counts nothing).  With ``max_cols`` only
        the nearest cells' columns (about that many) are visited: enough to settle the rows
        deep inside their class cheaply.  With ``upper`` (bounds >= ``bound``) the same scan
        also counts within those, returned second (zeros without ``upper``).  With ``witnesses`` (one row per
        query, filled with -1) the first columns found within ``bound`` are written there.
        """
        sq = self._sq_norms()[queries]
        # Within a bound: ||x_c||^2 - 2 x_q . x_c - limit < 0, the shift folded into the
        # product (a hit with bound <= 0 is as certain as any: the margin is in the bound).
        # With ``upper`` the product is shifted by the upper bound, so that a block with no
        # hit is skipped after one ``min``; hits within ``bound`` are those of its sparse
        # hits that are also below -gap.
        limit = ((bound if upper is None else upper) - sq).astype(np.float32)
        counts = np.zeros(len(queries), dtype=np.int64)
        gap = None if upper is None else (upper - bound).astype(np.float32)
        counts_up = np.zeros(len(queries), dtype=np.int64)
        cells = self._cell_partition()
        col_groups = cells.group(cols)
        columns = self._columns(col_groups, len(queries))
        if max_cols is None:
            # Pieces of rows of a few neighbouring cells each: big enough for full-speed
            # blocks, searched in the order of the cell most of their rows are in.
            pieces = self._pieces(queries)
        else:
            pieces = list(cells.group(np.arange(len(queries)), of=queries).values())

        def work(members: np.ndarray) -> None:
            scratch = _Scratch(self.block_bytes)
            active = members if upper is not None else members[bound[members] > 0]
            if not len(active):
                return
            query = self._query_block(queries[active])
            query[:, -1] = -limit[active]
            visits = self._visits(queries[active], col_groups, max_cols)
            reach = (bound if upper is None else upper)[active]
            far, bounded = None, False
            # Rows that reached ``needed`` stop being searched; the arrays are compacted
            # only once half of their rows have stopped (compacting copies them).
            going = np.ones(len(active), dtype=bool)
            n_going = len(active)

            def width() -> int:
                return _block_width(n_going)

            for span, block, aug in columns.blocks(visits, width):
                if not n_going:
                    break
                if not bounded and span.start > 0:
                    # Which cells each query may find anything in (the rest are skipped),
                    # bounded only for the queries their first cell left unsettled.
                    far, bounded = self._far_sq(queries[active], visits), True
                if far is None:
                    near = going
                else:
                    near = going & (far[:, span].min(axis=1) <= reach)
                if n_going == len(active) and near is going:
                    rows, block_query = active, query
                else:
                    near = np.flatnonzero(near)
                    rows, block_query = active[near], query[near]
                if not len(rows):
                    continue
                self._count_block(
                    scratch, block_query, rows, block, aug, gap, counts, counts_up, witnesses
                )
                done = counts[rows] >= needed
                if done.any():
                    going[near if rows is not active else slice(None)] &= ~done
                    n_going = int(np.count_nonzero(going))
                    if n_going <= len(active) // 2:
                        active, query, reach = active[going], query[going], reach[going]
                        far = None if far is None else far[going]
                        going = np.ones(n_going, dtype=bool)

        self._run(work, pieces)
        return counts, counts_up

    def _count_block(
        self,
        scratch: _Scratch,
        query: np.ndarray,
        rows: np.ndarray,
        block: np.ndarray,
        aug: np.ndarray,
        gap: np.ndarray | None,
        counts: np.ndarray,
        counts_up: np.ndarray,
        witnesses: np.ndarray | None,
    ) -> None:
        """Add the hits of ``rows`` (shifted query block ``query``) among the columns
        ``block`` (augmented: ``aug``) to their counts (see :meth:`_count_within`)."""
        for rs in self._row_blocks(len(rows), aug.shape[1]):
            part = scratch.product(query[rs], aug)
            at = rows[rs]
            if gap is None:
                hit = scratch.negative(part)
                per_row = _row_counts(hit)
                if witnesses is not None:
                    want = np.flatnonzero((per_row > 0) & (counts[at] < witnesses.shape[1]))
                    i, c = _set_positions(hit[want])
                    r = want[i]
                    _record_witnesses(witnesses, counts, at, r, block[c])
                counts[at] += per_row
            else:
                hit = _below_zero(part)[2]
                if not len(hit):
                    continue
                i, c = _set_positions(part[hit] < 0)
                r = hit[i]
                counts_up[at] += np.bincount(r, minlength=len(at))
                inner = part[r, c] < -gap[at[r]]
                r, c = r[inner], c[inner]
                if witnesses is not None:
                    _record_witnesses(witnesses, counts, at, r, block[c])
                counts[at] += np.bincount(r, minlength=len(at))

    def _cell_partition(self) -> _Cells:
        if self._cells is None:
            self._cells = _Cells.fit(self.X)
        return self._cells

    def subset(self, rows: np.ndarray) -> NeighbourIndex:
        """An index of ``X[rows]`` that reuses this one's cells and squared norms.

        Repeated editing removes a few rows per pass; the cells stay a good search order.
        """
        child = NeighbourIndex(
            self.X[rows], n_jobs=self.n_jobs, block_bytes=self.block_bytes, remember=self.remember
        )
        if self._sq is not None:
            child._sq = self._sq[rows]
        if self._cells is not None:
            child._cells = self._cells.subset(rows)
        child._n_threads = self._n_threads
        if self._proof_labels is not None:
            new_position = np.full(self.X.shape[0] + 1, -1, dtype=np.int32)
            new_position[rows] = np.arange(len(rows))
            child._proof_labels = self._proof_labels[rows]
            child._proofs_by_class = {
                key: proofs.subset(rows, new_position)
                for key, proofs in self._proofs_by_class.items()
            }
        return child


class _Proofs:
    """What earlier questions proved of each row of one class (see
    :meth:`NeighbourIndex.neighbourhood_status`), carried into subsets of the index.

    ``witnesses``: rows of the class within the row's radius (-1: none), a few more than the
    question needed so that they survive the removal of some.  Where the count was complete
    (every such row is a witness), ``reach`` is the squared upper radius it also counted
    within and ``band`` how many rows lay between the two radii; ``reach`` is -inf elsewhere.
    """

    def __init__(self, n_rows: int, width: int):
        self.witnesses = np.full((n_rows, width), -1, dtype=np.int32)
        self.reach = np.full(n_rows, -np.inf)
        self.band = np.zeros(n_rows, dtype=np.int32)

    def blank(self, n_rows: int) -> np.ndarray:
        """Witness rows for ``n_rows`` queries, none found yet."""
        return np.full((n_rows, self.witnesses.shape[1]), -1, dtype=np.int32)

    def held(self, rows: np.ndarray) -> np.ndarray:
        """How many witnesses of each row are left."""
        return np.count_nonzero(self.witnesses[rows] >= 0, axis=1)

    def most_within(self, rows: np.ndarray, upper: np.ndarray) -> np.ndarray:
        """At most how many rows of the class lie within squared distance ``upper`` of each
        row: known where a complete count reached at least that far (rows are only removed),
        unbounded (the largest int32) elsewhere."""
        known = upper <= self.reach[rows]
        return np.where(known, self.held(rows) + self.band[rows], np.iinfo(np.int32).max)

    def record(self, rows: np.ndarray, found: np.ndarray) -> None:
        """New witnesses for ``rows`` (their earlier ones and counts are forgotten)."""
        width = min(self.witnesses.shape[1], found.shape[1])
        self.witnesses[rows] = -1
        self.witnesses[rows, :width] = found[:, :width]
        self.reach[rows] = -np.inf

    def record_complete(self, rows: np.ndarray, upper: np.ndarray, band: np.ndarray) -> None:
        """Mark the witnesses just recorded for ``rows`` as all the rows within their
        radius, with ``band`` more up to squared distance ``upper``."""
        self.reach[rows] = upper
        self.band[rows] = band

    def subset(self, rows: np.ndarray, new_position: np.ndarray) -> _Proofs:
        """These proofs on ``rows`` (``new_position``: each old row's position, -1 if gone)."""
        child = object.__new__(_Proofs)
        # A witness that is gone maps to -1 (and -1 reads the last entry: -1).
        child.witnesses = new_position[self.witnesses[rows]]
        child.reach, child.band = self.reach[rows], self.band[rows]
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


class _Columns:
    """The columns of one search laid out cell after cell, read in blocks in the augmented
    float32 form of :meth:`NeighbourIndex._augmented` (``augment``).  ``shared``: built
    once for every piece of queries that searches them, so that a block is a slice, not a
    gather.

    ``ids``: each column's id (a row, or a position in the columns asked about); ``spans``:
    where each cell's columns lie.
    """

    def __init__(
        self,
        ids: np.ndarray,
        spans: dict[int, slice],
        augment: Callable[[np.ndarray], np.ndarray],
        shared: bool,
    ):
        self.ids, self.spans, self._augment = ids, spans, augment
        self._shared = augment(ids) if shared else None

    def augmented(self, part: slice) -> np.ndarray:
        """The augmented columns ``part`` of the layout."""
        if self._shared is None:
            return self._augment(self.ids[part])
        return self._shared[:, part]

    def blocks(
        self, visits: list[tuple[int, np.ndarray]], width: Callable[[], int]
    ) -> Iterator[tuple[slice, np.ndarray, np.ndarray]]:
        """The columns of the visited cells, in order, in blocks of ``width()`` columns at
        most: (the visited cells the block holds columns of, their ids, augmented).

        A block lies within one cell, except the first: it takes columns from as many cells
        as it needs to fill it, so that a search's first block gives every query enough
        candidates.
        """
        cell, taken = 0, 0
        want, parts = width(), []
        while cell < len(visits) and taken < want:
            span = self.spans[visits[cell][0]]
            stop = min(span.stop, span.start + want - taken)
            parts.append(slice(span.start, stop))
            taken += stop - span.start
            cell += 1
        offset = parts[-1].stop - self.spans[visits[cell - 1][0]].start
        if offset < len(visits[cell - 1][1]):
            cell -= 1
        else:
            offset = 0
        yield (
            slice(0, len(parts)),
            np.concatenate([self.ids[part] for part in parts]),
            np.concatenate([self.augmented(part) for part in parts], axis=1),
        )
        for j in range(cell, len(visits)):
            span = self.spans[visits[j][0]]
            start = span.start + offset
            while start < span.stop:
                block = slice(start, min(start + width(), span.stop))
                yield slice(j, j + 1), self.ids[block], self.augmented(block)
                start = block.stop
            offset = 0


class _Scratch:
    """One thread's reusable buffers for a block of products and its comparison mask.

    Reusing them avoids allocating (and page-faulting) megabytes for every block.
    """

    def __init__(self, block_bytes: int):
        size = max(block_bytes // 4, _COL_BLOCK)
        self._part = np.empty(size, dtype=np.float32)
        self._mask = np.empty(size, dtype=bool)

    def product(self, query: np.ndarray, aug: np.ndarray) -> np.ndarray:
        out = self._part[: len(query) * aug.shape[1]].reshape(len(query), aug.shape[1])
        return np.matmul(query, aug, out=out)

    def negative(self, part: np.ndarray) -> np.ndarray:
        """``part < 0``, the hits of a shifted product."""
        out = self._mask[: part.size].reshape(part.shape)
        return np.less(part, 0.0, out=out)


def _row_counts(mask: np.ndarray) -> np.ndarray:
    """Per row, how many entries of a C-contiguous boolean block are set.

    Summed eight at a time as the bytes of uint64 words (each byte lane adds up at most 255
    ones, so lanes never carry into each other), then the eight lanes: twice as fast as a
    plain sum of the bytes.
    """
    width = mask.shape[1]
    if width % 8 or width > 8 * 255 or not mask.flags.c_contiguous:
        return mask.view(np.uint8).sum(axis=1, dtype=np.int32)
    lanes = mask.view(np.uint64).sum(axis=1, dtype=np.uint64)
    return lanes.view(np.uint8).reshape(-1, 8).sum(axis=1, dtype=np.int32)


def _set_positions(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-major (row, column) positions of the set entries of a boolean block: much
    faster than a 2-d ``nonzero``."""
    return np.divmod(np.flatnonzero(mask), mask.shape[1])


def _below_zero(part: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's smallest entry and its column, and the rows where it is negative.

    One argmin pass: most blocks of a search have hits in few rows, and only those need
    comparing entry by entry.
    """
    smallest_at = part.argmin(axis=1)
    smallest = part[np.arange(len(part)), smallest_at]
    return smallest, smallest_at, np.flatnonzero(smallest < 0)


def _record_witnesses(
    witnesses: np.ndarray, counts: np.ndarray, rows: np.ndarray, r: np.ndarray, found: np.ndarray
) -> None:
    """Append ``found[i]`` to the witnesses of ``rows[r[i]]`` (``r`` ascending, each row's
    entries in the order found), up to the table's width.

    ``counts`` are the rows' hits before these: the next free slot of each row.
    """
    if len(r) == 0:
        return
    slot = counts[rows[r]] + np.arange(len(r)) - np.searchsorted(r, r)
    keep = slot < witnesses.shape[1]
    witnesses[rows[r[keep]], slot[keep]] = found[keep]


def _brute_force_split(n_queries: int, n_fitted: int) -> str:
    """How scikit-learn's brute-force k-NN splits a call of ``n_queries`` over its threads
    (its own rule for ``strategy="auto"``, scikit-learn 1.6 to 1.9)."""
    chunk = max(get_config().get("pairwise_dist_chunk_size", 256), 20)
    if n_fitted < n_queries or 4 * chunk * _openmp_effective_n_threads() < n_queries:
        return "parallel_on_X"
    return "parallel_on_Y"


def _block_width(n_rows: int) -> int:
    """Columns per block for ``n_rows`` queries: 512 (where single-threaded BLAS runs fastest
    here) unless there are too few rows for a block to be worth a Python round trip."""
    return (
        int(np.clip(_BLOCK_PAIRS // max(n_rows, 1), _COL_BLOCK, 16 * _COL_BLOCK))
        // _COL_BLOCK
        * _COL_BLOCK
    )


def _take_smallest(values: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``m`` smallest of each row, ascending, and their columns (``values`` is
    overwritten); m argmin passes are cheaper than a partition when m is small."""
    rows = np.arange(len(values))
    if m > _ARGMIN_PASSES:
        # A partition by slices of rows: its index array is as large as its input.
        where = np.empty((len(values), m), dtype=np.intp)
        for start in range(0, len(values), 64):
            part = values[start : start + 64]
            where[start : start + 64] = np.argpartition(part, m - 1, axis=1)[:, :m]
        order = np.argsort(values[rows[:, None], where], axis=1, kind="stable")
        where = np.take_along_axis(where, order, axis=1)
        return values[rows[:, None], where], where
    smallest = np.empty((len(values), m), dtype=values.dtype)
    where = np.empty((len(values), m), dtype=np.intp)
    for j in range(m):
        where[:, j] = values.argmin(axis=1)
        smallest[:, j] = values[rows, where[:, j]]
        values[rows, where[:, j]] = np.inf
    return smallest, where


def _merge_smallest(
    best: np.ndarray, where: np.ndarray, at: np.ndarray, part: np.ndarray, block: np.ndarray
) -> None:
    """Merge a block into the ascending ``m`` smallest of rows ``at`` (``best``, at columns
    ``where``): ``part`` holds the block's values less each row's current ``m``-th, so only
    rows with a negative entry change.

    Those rows are found by one argmin pass (with ``m = 1`` it is the answer).  For a
    small ``m`` their block's own ``m`` smallest, found by ``m`` argmin passes, merge with
    the ``m`` kept; for a larger one, only their negatives.  Earlier columns come first
    among equal values.
    """
    m = best.shape[1]
    lowest, lowest_at, hit = _below_zero(part)
    if len(hit) == 0:
        return
    rows, shift = at[hit], best[at[hit], -1]
    if m == 1:
        best[rows, 0] = lowest[hit] + shift
        where[rows, 0] = block[lowest_at[hit]]
        return
    if m <= _ARGMIN_PASSES:
        if 2 * len(hit) > len(part):
            # Most rows change: in place (``part`` is scratch), not on a copy of the block.
            values, cols = _take_smallest(part, m)
            values, cols = values[hit], cols[hit]
        else:
            values, cols = _take_smallest(part[hit], m)
        merged = np.concatenate((best[rows], values + shift[:, None]), axis=1)
        merged_at = np.concatenate((where[rows], block[cols]), axis=1)
        order = np.argsort(merged, axis=1, kind="stable")[:, :m]
        best[rows] = np.take_along_axis(merged, order, axis=1)
        where[rows] = np.take_along_axis(merged_at, order, axis=1)
        return
    # Many kept: the negatives alone (few), sorted with the kept row by row.
    r, c = _set_positions(part[hit] < 0)
    of_row = np.concatenate((np.repeat(np.arange(len(hit)), m), r))
    merged = np.concatenate((best[rows].ravel(), part[hit[r], c] + shift[r]))
    merged_at = np.concatenate((where[rows].ravel(), block[c]))
    order = np.lexsort((merged, of_row))
    counts = np.bincount(of_row, minlength=len(hit))
    take = order[(np.cumsum(counts) - counts)[:, None] + np.arange(m)]
    best[rows] = merged[take]
    where[rows] = merged_at[take]


class _Cells:
    """A partition of the rows into compact cells: an order of search, and bounds to skip by.

    Each row belongs to its nearest centre (float64), so all rows of cell ``b`` lie on ``b``'s
    side of the plane halfway between centres ``a`` and ``b``, and a query is at least its
    distance to that plane from each of them: whole cells can be skipped.  The centres come
    from k-means fitted on a sample, a few iterations; they decide only the order of the
    search and which cells are certainly too far, never an answer.
    """

    def __init__(self, labels: np.ndarray, centres: np.ndarray, slack: float):
        self.labels = labels
        self.centres = centres
        # How much nearer than its own centre a row may seem to another (float64 rounding).
        self.slack = slack
        sq = np.einsum("ij,ij->i", centres, centres)
        between = np.maximum(sq[:, None] - 2 * centres @ centres.T + sq[None, :], 0.0)
        self.centre_order = np.argsort(between, axis=1, kind="stable")  # by nearness to c
        self.separation = np.sqrt(between)

    @staticmethod
    def count(n_rows: int) -> int:
        """Cells for ``n_rows`` rows."""
        return int(np.clip(n_rows // _ROWS_PER_CELL, 1, _MAX_CELLS))

    @classmethod
    def fit(cls, X) -> _Cells:
        n_cells = cls.count(X.shape[0])
        if n_cells == 1:
            centres = np.asarray(X.mean(axis=0), dtype=float).reshape(1, -1)
            return cls(np.zeros(X.shape[0], dtype=np.intp), centres, 0.0)
        rng = np.random.default_rng(0)
        sample = rng.choice(X.shape[0], min(X.shape[0], 32 * n_cells), replace=False)
        kmeans = KMeans(n_cells, init="random", n_init=1, max_iter=10, random_state=0)
        with warnings.catch_warnings():
            # Duplicated rows may leave fewer distinct cells than asked: harmless here.
            warnings.simplefilter("ignore", ConvergenceWarning)
            kmeans.fit(np.asarray(X[sample], dtype=np.float32))
        centres = kmeans.cluster_centers_.astype(float)
        centre_sq = np.einsum("ij,ij->i", centres, centres)
        labels = np.empty(X.shape[0], dtype=np.intp)
        largest = 0.0
        for start in range(0, X.shape[0], _BOUND_CHUNK):
            chunk = np.asarray(X[start : start + _BOUND_CHUNK], dtype=float)
            labels[start : start + len(chunk)] = (centre_sq - 2 * chunk @ centres.T).argmin(axis=1)
            largest = max(largest, float(np.einsum("ij,ij->i", chunk, chunk).max()))
        # Far above the float64 rounding of the squared distances compared.
        return cls(labels, centres, 1e-9 * (largest + centre_sq.max()))

    def subset(self, rows: np.ndarray) -> _Cells:
        child = object.__new__(_Cells)
        child.__dict__.update(self.__dict__, labels=self.labels[rows])
        return child

    def far_sq(self, queries: np.ndarray, of_cell: np.ndarray, cells: np.ndarray) -> np.ndarray:
        """Squared lower bounds on the distance from each query (rows of float64 data, in
        cells ``of_cell``) to every row of each of ``cells``.

        The largest of the bounds given by the planes between each cell and the centres
        nearest the query's own (its own centre included).
        """
        far = np.zeros((len(queries), len(cells)))
        centres = self.centres[cells]
        centre_sq = np.einsum("ij,ij->i", centres, centres)
        for start in range(0, len(queries), _BOUND_CHUNK):
            rows = slice(start, start + _BOUND_CHUNK)
            q = queries[rows]
            to_cells = np.einsum("ij,ij->i", q, q)[:, None] - 2 * q @ centres.T + centre_sq
            for near in self.centre_order[of_cell[rows], :_PLANE_CENTRES].T:
                diff = q - self.centres[near]
                to_near = np.einsum("ij,ij->i", diff, diff)
                separation = self.separation[near[:, None], cells[None, :]]
                with np.errstate(divide="ignore", invalid="ignore"):
                    plane = (to_cells - to_near[:, None] - 2 * self.slack) / (2 * separation)
                plane[~(separation > 0)] = 0.0
                np.maximum(far[rows], plane, out=far[rows])
        return np.square(far, out=far)

    def group(self, positions: np.ndarray, of: np.ndarray | None = None) -> dict[int, np.ndarray]:
        """``positions`` split by the cell of row ``of[positions]`` (of: the rows themselves)."""
        if len(positions) == 0:
            return {}
        cell = self.labels[positions if of is None else of[positions]]
        order = np.argsort(cell, kind="stable")
        cut = np.flatnonzero(np.diff(cell[order])) + 1
        return {int(cell[part[0]]): positions[part] for part in np.split(order, cut)}

    def visits(
        self, cell: int, groups: dict[int, np.ndarray], limit: int | None = None
    ) -> list[tuple[int, np.ndarray]]:
        """The grouped rows by cell, the given cell first and then by nearness of the cells.

        With ``limit``, only the first ``limit`` rows or so (whole cells, up to the one that
        reaches it).
        """
        parts, total = [], 0
        for c in self.centre_order[cell]:
            if c in groups:
                parts.append((int(c), groups[c]))
                total += len(groups[c])
                if limit is not None and total >= limit:
                    break
        return parts
