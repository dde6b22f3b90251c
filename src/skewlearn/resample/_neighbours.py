"""The neighbour engine shared by every neighbour-based sampler.

Samplers ask two kinds of question about a fixed data set ``X``:

* the exact k nearest neighbours of *some* rows, with the very same answer (ties included) as
  ``sklearn.neighbors.NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X[rows])``, which is
  what imbalanced-learn computes for *all* rows;
* whether the ``k + 1`` nearest points of a row (the row itself included) are certainly all of
  the row's own class, or certainly not.  Most rows of a skewed data set sit deep inside their own class, so this
  cheap certificate lets a cleaning sampler skip the exact query for them.

The certificate is computed with blocked float32 BLAS products and a rounding margin, so it
never depends on how near-ties are broken; every row it cannot certify gets the exact query,
answered by scikit-learn itself.  That keeps results identical to imbalanced-learn while the
expensive all-rows search is done only for the few rows near another class.

To certify a row cheaply its own class's rows are visited nearest region first: the rows are
split once into compact cells (a few k-means steps on a sample), and a row's own cell and the
cells around it usually hold enough close rows to settle it.  The cells decide only the order
of the search, never an answer.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

# Bytes one block of pairwise distances may take; blocks are float32.
_BLOCK_BYTES = 8 * 2**20
# Columns per block: wide enough for BLAS to run at full speed, narrow enough that a row deep
# inside its class is certified after the first block or two.
_COL_BLOCK = 8192
_FIRST_COL_BLOCK = 512
# What neighbourhood_status can say of a row.
OWN, UNSURE, MIXED = 1, 0, -1
# Rows per cell of the search order, and the most cells (k-means cost grows with their number).
_ROWS_PER_CELL = 1024
_MAX_CELLS = 256
# Columns a nearby-only count visits per cell of queries (the nearest cells' rows).
_SEARCH_COLS = 16384
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
        Passed to scikit-learn's searchers.
    block_bytes : int
        Memory budget of one block of pairwise distances.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [3.0], [3.5]])
    >>> index = NeighbourIndex(X)
    >>> index.kneighbors(np.array([0, 2]), n_neighbors=2)
    array([[0, 1],
           [2, 3]])
    """

    def __init__(self, X, *, n_jobs: int | None = None, block_bytes: int = _BLOCK_BYTES):
        self.X = X
        self.n_jobs = n_jobs
        self.block_bytes = block_bytes
        self._searchers: dict[int, NearestNeighbors] = {}
        self._sq: np.ndarray | None = None
        self._cells: _Cells | None = None

    def searcher(self, n_neighbors: int) -> NearestNeighbors:
        """The scikit-learn searcher imbalanced-learn would fit for ``n_neighbors``."""
        if n_neighbors not in self._searchers:
            nn = NearestNeighbors(n_neighbors=n_neighbors, n_jobs=self.n_jobs)
            self._searchers[n_neighbors] = nn.fit(self.X)
        return self._searchers[n_neighbors]

    def kneighbors(
        self, rows: np.ndarray, n_neighbors: int, *, return_distance: bool = False
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Exact neighbours of ``X[rows]`` among all of ``X`` (a row finds itself too)."""
        searcher = self.searcher(n_neighbors)
        if len(rows) == 0:
            empty = np.empty((0, n_neighbors), dtype=np.intp)
            return (empty.astype(float), empty) if return_distance else empty
        return searcher.kneighbors(self.X[rows], return_distance=return_distance)

    def knn_classifier(self, y: np.ndarray, n_neighbors: int) -> KNeighborsClassifier:
        """A k-NN classifier on the whole index, as imbalanced-learn fits it."""
        return KNeighborsClassifier(n_neighbors=n_neighbors, n_jobs=self.n_jobs).fit(self.X, y)

    def neighbourhood_status(
        self,
        y: np.ndarray,
        rows: np.ndarray,
        n_neighbors: int,
        *,
        min_others: int = 1,
        decide_mixed: bool = False,
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

        Sparse data is never decided.
        """
        status = np.full(len(rows), UNSURE, dtype=np.int8)
        if sp.issparse(self.X) or len(rows) == 0:
            return status
        needed = n_neighbors + 2 - min_others
        for label in np.unique(y[rows]):
            in_class = np.flatnonzero(y[rows] == label)
            queries = rows[in_class]
            own = np.flatnonzero(y == label)
            others = np.flatnonzero(y != label)
            if len(others) < min_others:
                status[in_class] = OWN
                continue
            nearest_sq, radius_sq = self._nearest_sq_distances(queries, others, min_others)
            margin = 2 * self._margin(queries)
            below, above = radius_sq - margin, radius_sq + margin
            # First the nearby cells only: settles most rows deep inside their class.
            count = self._count_within(queries, own, below, needed, nearby_only=True)
            status[in_class[count >= needed]] = OWN
            rest = np.flatnonzero(count < needed)
            if decide_mixed:
                # Rows whose class is too thin even up to the upper bound have enough other
                # rows among their neighbours (unless one could be at distance zero and
                # take the row's own first place).
                count = self._count_within(queries[rest], own, above[rest], needed)
                mixed = (count < needed) & (nearest_sq[rest] - margin[rest] > 0)
                status[in_class[rest[mixed]]] = MIXED
                rest = rest[~mixed]
            # The rest against every row of the class (the first pass saw only nearby cells).
            count = self._count_within(queries[rest], own, below[rest], needed)
            status[in_class[rest[count >= needed]]] = OWN
        return status

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

    def _column_blocks(self, cols: np.ndarray) -> Iterator[np.ndarray]:
        """Blocks of ``[-2 x_c, ||x_c||^2]`` in float32, growing from small to _COL_BLOCK.

        Multiplied by ``[x_q, 1]`` a block gives ``||x_c||^2 - 2 x_q . x_c`` (the squared
        distance less ``||x_q||^2``) in one BLAS call.  Small first blocks let the many rows
        that are easy to settle leave before the wide blocks are paid for.
        """
        sq = self._sq_norms()
        start, width = 0, _FIRST_COL_BLOCK
        while start < len(cols):
            block = cols[start : start + width]
            aug = np.empty((len(block), self.X.shape[1] + 1), dtype=np.float32)
            np.multiply(self.X[block], -2, out=aug[:, :-1], casting="unsafe")
            aug[:, -1] = sq[block]
            yield aug
            start += width
            width = min(2 * width, _COL_BLOCK)

    def _query_block(self, queries: np.ndarray) -> np.ndarray:
        aug = np.ones((len(queries), self.X.shape[1] + 1), dtype=np.float32)
        aug[:, :-1] = self.X[queries]
        return aug

    def _nearest_sq_distances(
        self, queries: np.ndarray, cols: np.ndarray, m: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Squared distances from each query to its nearest and ``m``-th nearest of ``cols``."""
        best = np.full((len(queries), m), np.inf, dtype=np.float32)
        for block in self._column_blocks(cols):
            for rs in self._row_blocks(len(queries), len(block)):
                part = self._query_block(queries[rs]) @ block.T
                if m == 1:
                    np.minimum(best[rs, 0], part.min(axis=1), out=best[rs, 0])
                    continue
                merged = np.concatenate((best[rs], _take_smallest(part, m)), axis=1)
                best[rs] = np.sort(merged, axis=1)[:, :m]
        sq = self._sq_norms()[queries]
        return best.min(axis=1) + sq, best.max(axis=1) + sq

    def _count_within(
        self,
        queries: np.ndarray,
        cols: np.ndarray,
        bound: np.ndarray,
        needed: int,
        *,
        nearby_only: bool = False,
    ) -> np.ndarray:
        """How many of ``cols`` lie strictly within squared distance ``bound`` of each query.

        A query stops being searched once its count reaches ``needed``, so counts are exact
        only below that; queries with ``bound <= 0`` are not searched.  With
        ``nearby_only`` the queries are taken cell by cell and only the columns of the
        nearest cells (about ``_SEARCH_COLS``) are visited, nearest first: enough to settle
        the rows deep inside their class cheaply.
        """
        limit = bound - self._sq_norms()[queries]
        counts = np.zeros(len(queries), dtype=np.int64)
        if nearby_only:
            cells = self._cell_partition()
            col_groups = cells.group(cols)
            searches = (
                (members, cells.nearest_first(cell, col_groups, _SEARCH_COLS))
                for cell, members in cells.group(np.arange(len(queries)), of=queries).items()
            )
        else:
            searches = [(np.arange(len(queries)), cols)]
        for members, searched in searches:
            active = members[bound[members] > 0]
            for block in self._column_blocks(searched):
                if len(active) == 0:
                    break
                for rs in self._row_blocks(len(active), len(block)):
                    rows = active[rs]
                    part = self._query_block(queries[rows]) @ block.T
                    counts[rows] += np.count_nonzero(part < limit[rows, None], axis=1)
                active = active[counts[active] < needed]
        return counts

    def _cell_partition(self) -> _Cells:
        if self._cells is None:
            self._cells = _Cells.fit(self.X)
        return self._cells

    def subset(self, rows: np.ndarray) -> NeighbourIndex:
        """An index of ``X[rows]`` that reuses this one's cells and squared norms.

        Repeated editing removes a few rows per pass; the cells stay a good search order.
        """
        child = NeighbourIndex(self.X[rows], n_jobs=self.n_jobs, block_bytes=self.block_bytes)
        if self._sq is not None:
            child._sq = self._sq[rows]
        if self._cells is not None:
            child._cells = self._cells.subset(rows)
        return child


def _take_smallest(values: np.ndarray, m: int) -> np.ndarray:
    """The ``m`` smallest of each row (overwriting them in ``values``); m argmin passes are
    cheaper than a partition when m is small."""
    out = np.empty((len(values), m), dtype=values.dtype)
    rows = np.arange(len(values))
    for j in range(m):
        at = values.argmin(axis=1)
        out[:, j] = values[rows, at]
        values[rows, at] = np.inf
    return out


class _Cells:
    """A partition of the rows into compact cells, and the cells' order of nearness.

    Only the order in which certificates visit rows depends on it, so an approximate
    partition (k-means fitted on a sample, a few iterations) is all that is needed.
    """

    def __init__(self, labels: np.ndarray, centre_order: np.ndarray):
        self.labels = labels
        self.centre_order = centre_order  # row c: cells sorted by distance to cell c

    @classmethod
    def fit(cls, X) -> _Cells:
        n_cells = int(np.clip(X.shape[0] // _ROWS_PER_CELL, 1, _MAX_CELLS))
        if n_cells == 1:
            return cls(np.zeros(X.shape[0], dtype=np.intp), np.zeros((1, 1), dtype=np.intp))
        rng = np.random.default_rng(0)
        sample = rng.choice(X.shape[0], min(X.shape[0], 32 * n_cells), replace=False)
        kmeans = KMeans(n_cells, init="random", n_init=1, max_iter=10, random_state=0)
        with warnings.catch_warnings():
            # Duplicated rows may leave fewer distinct cells than asked: harmless here.
            warnings.simplefilter("ignore", ConvergenceWarning)
            kmeans.fit(np.asarray(X[sample], dtype=np.float32))
        labels = kmeans.predict(np.asarray(X, dtype=np.float32)).astype(np.intp)
        centres = kmeans.cluster_centers_
        sq = np.einsum("ij,ij->i", centres, centres)
        between = sq[:, None] - 2 * centres @ centres.T + sq[None, :]
        return cls(labels, np.argsort(between, axis=1, kind="stable"))

    def subset(self, rows: np.ndarray) -> _Cells:
        return _Cells(self.labels[rows], self.centre_order)

    def group(self, positions: np.ndarray, of: np.ndarray | None = None) -> dict[int, np.ndarray]:
        """``positions`` split by the cell of row ``of[positions]`` (of: the rows themselves)."""
        if len(positions) == 0:
            return {}
        cell = self.labels[positions if of is None else of[positions]]
        order = np.argsort(cell, kind="stable")
        cut = np.flatnonzero(np.diff(cell[order])) + 1
        return {int(cell[part[0]]): positions[part] for part in np.split(order, cut)}

    def nearest_first(
        self, cell: int, groups: dict[int, np.ndarray], limit: int | None = None
    ) -> np.ndarray:
        """The grouped rows, the given cell's first and then by nearness of their cell.

        With ``limit``, only the first ``limit`` or so (whole cells, up to the one that
        reaches it).
        """
        parts, total = [], 0
        for c in self.centre_order[cell]:
            if c in groups:
                parts.append(groups[c])
                total += len(groups[c])
                if limit is not None and total >= limit:
                    break
        return np.concatenate(parts)
