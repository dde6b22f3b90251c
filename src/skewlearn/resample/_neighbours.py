"""The neighbour engine shared by every neighbour-based sampler.

Samplers ask two kinds of question about a fixed data set ``X``:

* the exact k nearest neighbours of *some* rows, with the very same answer (ties included) as
  ``sklearn.neighbors.NearestNeighbors(n_neighbors=k).fit(X).kneighbors(X[rows])``, which is
  what imbalanced-learn computes for *all* rows;
* whether the ``k + 1`` nearest points of a row (the row itself included) are certainly all of
  the row's own class.  Most rows of a skewed data set sit deep inside their own class, so this
  cheap certificate lets a cleaning sampler skip the exact query for them.

The certificate is computed with blocked float32 BLAS products and a rounding margin, so it
never depends on how near-ties are broken; every row it cannot certify gets the exact query,
answered by scikit-learn itself.  That keeps results identical to imbalanced-learn while the
expensive all-rows search is done only for the few rows near another class.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

# Bytes one block of pairwise distances may take; blocks are float32.
_BLOCK_BYTES = 16 * 2**20
# Columns per block: wide enough for BLAS to run at full speed, narrow enough that a row deep
# inside its class is certified after the first block or two.
_COL_BLOCK = 8192
_FIRST_COL_BLOCK = 512
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

    def certify_own_class(self, y: np.ndarray, rows: np.ndarray, n_neighbors: int) -> np.ndarray:
        """Which rows certainly have only their own class among their nearest points.

        Row ``i`` is certified when at least ``n_neighbors + 1`` points of its class (itself
        included) are closer to it, by a rounding margin, than the nearest point of any other
        class.  Then the first ``n_neighbors + 1`` entries of the exact query hold only its
        own class, however ties are broken.  Rows that are not certified may or may not have
        another class nearby: ask :meth:`kneighbors` for them.

        Returns a boolean mask aligned with ``rows``.  Sparse data is never certified.
        """
        certified = np.zeros(len(rows), dtype=bool)
        if sp.issparse(self.X) or len(rows) == 0:
            return certified
        for label in np.unique(y[rows]):
            in_class = y[rows] == label
            queries = rows[in_class]
            others = np.flatnonzero(y != label)
            if len(others) == 0:
                certified[in_class] = True
                continue
            radius_sq = self._min_sq_distance(queries, others)
            margin = self._margin(queries)
            # Strictly inside the other class's nearest distance, rounding included.
            threshold = radius_sq - 2 * margin
            certified[in_class] = self._count_within(
                queries, np.flatnonzero(y == label), threshold, n_neighbors + 1
            )
        return certified

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

    def _min_sq_distance(self, queries: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.full(len(queries), np.inf, dtype=np.float32)
        for block in self._column_blocks(cols):
            for rs in self._row_blocks(len(queries), len(block)):
                part = (self._query_block(queries[rs]) @ block.T).min(axis=1)
                np.minimum(out[rs], part, out=out[rs])
        return out + self._sq_norms()[queries]

    def _count_within(
        self, queries: np.ndarray, cols: np.ndarray, threshold: np.ndarray, needed: int
    ) -> np.ndarray:
        """Whether at least ``needed`` of ``cols`` lie strictly within ``threshold`` (squared).

        Columns are visited block by block and a row stops being searched as soon as it has
        enough, so rows deep inside their class cost one or two blocks.
        """
        limit = threshold - self._sq_norms()[queries]
        counts = np.zeros(len(queries), dtype=np.int64)
        active = np.flatnonzero(threshold > 0)
        for block in self._column_blocks(cols):
            if len(active) == 0:
                break
            for rs in self._row_blocks(len(active), len(block)):
                rows = active[rs]
                part = self._query_block(queries[rows]) @ block.T
                counts[rows] += np.count_nonzero(part < limit[rows, None], axis=1)
            active = active[counts[active] < needed]
        return counts >= needed
