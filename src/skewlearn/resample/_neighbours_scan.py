"""The neighbour engine's blocked float32 scan over one data set.

Both of its questions are answered by blocked float32 BLAS products (``[x_q, 1, -t_q] @ [-2 x_c,
||x_c||^2, 1]``, the query's threshold ``t_q`` folded in) with a rounding margin, spread over
threads, each thread with its own reused buffers: the ``m`` nearest columns of each query
(:meth:`BlockScan.smallest`), and how many columns lie within a bound of each query
(:meth:`BlockScan.count_within`).  Columns are visited nearest cell first (:class:`Cells`), and
a cell certainly beyond a query's reach is skipped.  Where the margin cannot order a query's
nearest, their exact float64 distances settle it (:meth:`BlockScan.separated_neighbours`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from ._neighbours_blocks import (
    Columns,
    Scratch,
    below_zero,
    block_width,
    merge_smallest,
    record_witnesses,
    row_counts,
    set_positions,
    take_smallest,
)
from ._neighbours_cells import Cells
from ._neighbours_config import EngineConfig

# Rounding of ||a||^2 - 2ab + ||b||^2 in float32 is bounded by a few units of float32 epsilon
# per feature times the squared norms involved; EngineConfig.margin_factor times that bound
# keeps certificates safe.
_F32_EPS = float(np.finfo(np.float32).eps)


class BlockScan:
    """Blocked float32 scans over the rows of one dense data set ``X``.

    Norms, cells and the thread count are worked out once, when first needed, and carried
    into :meth:`subset`.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Validated dense data (kept row-major: a column-major array is copied).
    n_jobs : int or None
        Threads of the scans (None: as many as BLAS uses).
    config : EngineConfig
        The engine's tuning.
    """

    def __init__(self, X, *, n_jobs: int | None, config: EngineConfig):
        # Row-major, copied once if need be: the blocks gather rows, and gathering rows of a
        # column-major array (what pandas hands back) copies the whole array every time.
        self.X = np.ascontiguousarray(X)
        self.n_jobs = n_jobs
        self.config = config
        self._sq: np.ndarray | None = None
        self._cells: Cells | None = None
        self._n_threads: int | None = None

    def subset(self, rows: np.ndarray, X) -> BlockScan:
        """The scan of ``X`` (``self.X[rows]``), reusing this one's cells and squared norms.

        Repeated editing removes a few rows per pass; the cells stay a good search order.
        """
        child = BlockScan(X, n_jobs=self.n_jobs, config=self.config)
        if self._sq is not None:
            child._sq = self._sq[rows]
        if self._cells is not None:
            child._cells = self._cells.subset(rows)
        child._n_threads = self._n_threads
        return child

    def separated_neighbours(
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
        values, positions = self.smallest(rows, among, width)
        margin = self.margin(rows)
        clear = np.all(np.diff(values, axis=1) > 2 * margin[:, None], axis=1)
        unclear = np.flatnonzero(~clear)
        if len(unclear) == 0:
            return positions[:, :n_neighbors], clear
        # The few rows too close to call: their candidates again, with spares.
        spares = min(width + self.config.settle_spare, len(among), self.config.col_block)
        values, candidates = self.smallest(rows[unclear], among, spares)
        # Chunks of rows whose float64 differences to their candidates fit the block budget.
        per_row = 8 * spares * self.X.shape[1]
        step = max(1, self.config.block_bytes // per_row)
        sq_norms = self.sq_norms()
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
            tolerance = 1e-9 * (sq_norms[rows[unclear[chunk]]] + sq_norms.max())
            apart = np.all(np.diff(exact[:, :width], axis=1) > tolerance[:, None], axis=1)
            # A row the scan left out is at least the largest float32 value less the margin.
            sq = np.einsum("ij,ij->i", query, query)
            left_out = values[chunk, -1] - margin[unclear[chunk]]
            nearer = exact[:, n_neighbors - 1] - sq + tolerance < left_out
            clear[unclear[chunk]] = apart & nearer
        return positions[:, :n_neighbors], clear

    def sq_norms(self) -> np.ndarray:
        """Squared norms of the rows, in float32."""
        if self._sq is None:
            self._sq = np.einsum("ij,ij->i", self.X, self.X).astype(np.float32)
        return self._sq

    def margin(self, queries: np.ndarray) -> np.ndarray:
        """Each query's rounding margin on a float32 value of the scan."""
        sq = self.sq_norms()
        bound = self.config.margin_factor * (self.X.shape[1] + 2) * _F32_EPS
        return bound * (sq[queries] + sq.max())

    def _row_blocks(self, n_rows: int, n_cols: int) -> Iterator[slice]:
        """Row slices such that a block of rows x ``n_cols`` fits the memory budget."""
        step = max(1, self.config.block_bytes // (4 * max(n_cols, 1)))
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
        aug[:, -2] = self.sq_norms().take(cols)
        aug[:, -1] = 1
        return aug.T

    def _columns(
        self, groups: dict[int, np.ndarray], n_queries: int, rows: np.ndarray | None = None
    ) -> Columns:
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

        return Columns(ids, spans, augment, shared=n_queries >= len(ids))

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
        that threads finish together, of at most ``config.piece_rows`` queries each."""
        n = len(queries)
        count = max(1, min(n // 512, 4 * self._threads()), -(-n // self.config.piece_rows))
        if not by_cell:
            return np.array_split(np.arange(n), count)
        order = np.argsort(self.cells().labels[queries], kind="stable")
        return np.array_split(order, count)

    def _visits(
        self, queries: np.ndarray, col_groups: dict, max_cols: int | None = None
    ) -> list[tuple[int, np.ndarray]]:
        """The column cells a piece of queries visits: the piece's main cell first, then by
        nearness."""
        cells = self.cells()
        cell = int(np.bincount(cells.labels[queries]).argmax())
        return cells.visits(cell, col_groups, max_cols)

    def bounded(self, n_cols: int) -> bool:
        """Whether a search among ``n_cols`` rows has enough per cell, on average, for the
        bounds on the distance to a cell to pay."""
        return n_cols >= self.config.bounded_cell_cols * Cells.count(self.X.shape[0], self.config)

    def _far_sq(self, queries: np.ndarray, visits: list) -> np.ndarray | None:
        """Each query's squared lower bound on its distance to each visited cell, or None
        where the cells hold too few columns for skipping one to pay for its bound."""
        if sum(len(group) for _, group in visits) < self.config.bounded_cell_cols * len(visits):
            return None
        cells = self.cells()
        return cells.far_sq(
            np.asarray(self.X[queries], dtype=float),
            cells.labels[queries],
            np.array([c for c, _ in visits], dtype=np.intp),
        )

    def smallest(
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
        if m > min(len(cols), self.config.col_block):
            raise ValueError(f"asked for the {m} nearest of {len(cols)} rows")
        values = np.full((len(queries), m), np.inf, dtype=np.float32)
        positions = np.zeros((len(queries), m), dtype=np.intp)
        config = self.config
        bounded = self.bounded(len(cols))
        positions_all = np.arange(len(cols))
        # Unbounded: one group, searched in order (its key is not a cell).
        groups = self.cells().group(positions_all, of=cols) if bounded else {0: positions_all}
        columns = self._columns(groups, len(queries), cols)
        sq = self.sq_norms()[queries].astype(float)

        def work(piece: np.ndarray) -> None:
            scratch = Scratch(config.block_bytes, config.col_block)
            query = self._query_block(queries[piece])
            best, where = values[piece], positions[piece]
            visits = self._visits(queries[piece], groups) if bounded else list(groups.items())
            far = self._far_sq(queries[piece], visits) if bounded else None
            width = block_width(len(piece), config)
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
                        best[at], found_at = take_smallest(part, m, config.argmin_passes)
                        where[at] = block[found_at]
                    else:
                        merge_smallest(best, where, at, part, block, config.argmin_passes)
                    query[at, -1] = -best[at, -1]
            values[piece], positions[piece] = best, where

        self._run(work, self._pieces(queries, by_cell=bounded))
        return values, positions

    def nearest_sq_distances(
        self, queries: np.ndarray, cols: np.ndarray, m: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Squared distances from each query to its nearest and ``m``-th nearest of ``cols``."""
        values, _ = self.smallest(queries, cols, m)
        sq = self.sq_norms()[queries]
        return values[:, 0] + sq, values[:, -1] + sq

    def count_within(
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
        also counts within those, returned second (zeros without ``upper``).  With
        ``witnesses`` (one row per query, filled with -1) the first columns found within
        ``bound`` are written there.
        """
        sq = self.sq_norms()[queries]
        # Within a bound: ||x_c||^2 - 2 x_q . x_c - limit < 0, the shift folded into the
        # product (a hit with bound <= 0 is as certain as any: the margin is in the bound).
        # With ``upper`` the product is shifted by the upper bound, so that a block with no
        # hit is skipped after one ``min``; hits within ``bound`` are those of its sparse
        # hits that are also below -gap.
        limit = ((bound if upper is None else upper) - sq).astype(np.float32)
        counts = np.zeros(len(queries), dtype=np.int64)
        gap = None if upper is None else (upper - bound).astype(np.float32)
        counts_up = np.zeros(len(queries), dtype=np.int64)
        cells = self.cells()
        col_groups = cells.group(cols)
        columns = self._columns(col_groups, len(queries))
        if max_cols is None:
            # Pieces of rows of a few neighbouring cells each: big enough for full-speed
            # blocks, searched in the order of the cell most of their rows are in.
            pieces = self._pieces(queries)
        else:
            pieces = list(cells.group(np.arange(len(queries)), of=queries).values())

        def work(members: np.ndarray) -> None:
            scratch = Scratch(self.config.block_bytes, self.config.col_block)
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
                return block_width(n_going, self.config)

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
        scratch: Scratch,
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
        ``block`` (augmented: ``aug``) to their counts (see :meth:`count_within`)."""
        for rs in self._row_blocks(len(rows), aug.shape[1]):
            part = scratch.product(query[rs], aug)
            at = rows[rs]
            if gap is None:
                hit = scratch.negative(part)
                per_row = row_counts(hit)
                if witnesses is not None:
                    want = np.flatnonzero((per_row > 0) & (counts[at] < witnesses.shape[1]))
                    i, c = set_positions(hit[want])
                    r = want[i]
                    record_witnesses(witnesses, counts, at, r, block[c])
                counts[at] += per_row
            else:
                hit = below_zero(part)[2]
                if not len(hit):
                    continue
                i, c = set_positions(part[hit] < 0)
                r = hit[i]
                counts_up[at] += np.bincount(r, minlength=len(at))
                inner = part[r, c] < -gap[at[r]]
                r, c = r[inner], c[inner]
                if witnesses is not None:
                    record_witnesses(witnesses, counts, at, r, block[c])
                counts[at] += np.bincount(r, minlength=len(at))

    def cells(self) -> Cells:
        """The cells of the rows (fitted when first asked)."""
        if self._cells is None:
            self._cells = Cells.fit(self.X, self.config)
        return self._cells
