"""What the neighbour engine's scans do with one block: the columns read block by block, the
reused buffers, and the kernels that count a block's hits or merge its smallest values."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ._neighbours_config import EngineConfig


class Columns:
    """The columns of one search laid out cell after cell, read in blocks in the augmented
    float32 form of :meth:`BlockScan._augmented` (``augment``).  ``shared``: built
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


class Scratch:
    """One thread's reusable buffers for a block of products and its comparison mask.

    Reusing them avoids allocating (and page-faulting) megabytes for every block.
    """

    def __init__(self, block_bytes: int, col_block: int):
        size = max(block_bytes // 4, col_block)
        self._part = np.empty(size, dtype=np.float32)
        self._mask = np.empty(size, dtype=bool)

    def product(self, query: np.ndarray, aug: np.ndarray) -> np.ndarray:
        out = self._part[: len(query) * aug.shape[1]].reshape(len(query), aug.shape[1])
        return np.matmul(query, aug, out=out)

    def negative(self, part: np.ndarray) -> np.ndarray:
        """``part < 0``, the hits of a shifted product."""
        out = self._mask[: part.size].reshape(part.shape)
        return np.less(part, 0.0, out=out)


def row_counts(mask: np.ndarray) -> np.ndarray:
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


def set_positions(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-major (row, column) positions of the set entries of a boolean block: much
    faster than a 2-d ``nonzero``."""
    return np.divmod(np.flatnonzero(mask), mask.shape[1])


def below_zero(part: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's smallest entry and its column, and the rows where it is negative.

    One argmin pass: most blocks of a search have hits in few rows, and only those need
    comparing entry by entry.
    """
    smallest_at = part.argmin(axis=1)
    smallest = part[np.arange(len(part)), smallest_at]
    return smallest, smallest_at, np.flatnonzero(smallest < 0)


def record_witnesses(
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


def block_width(n_rows: int, config: EngineConfig) -> int:
    """Columns per block for ``n_rows`` queries: ``col_block`` (512 by default, where
    single-threaded BLAS runs fastest here) unless there are too few rows for a block to be
    worth a Python round trip (then up to ``block_pairs`` pairs, 16 blocks at most)."""
    col_block = config.col_block
    return (
        int(np.clip(config.block_pairs // max(n_rows, 1), col_block, 16 * col_block))
        // col_block
        * col_block
    )


def take_smallest(values: np.ndarray, m: int, passes: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``m`` smallest of each row, ascending, and their columns (``values`` is
    overwritten); m argmin passes are cheaper than a partition when m is at most ``passes``."""
    rows = np.arange(len(values))
    if m > passes:
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


def merge_smallest(
    best: np.ndarray,
    where: np.ndarray,
    at: np.ndarray,
    part: np.ndarray,
    block: np.ndarray,
    passes: int,
) -> None:
    """Merge a block into the ascending ``m`` smallest of rows ``at`` (``best``, at columns
    ``where``): ``part`` holds the block's values less each row's current ``m``-th, so only
    rows with a negative entry change.

    Those rows are found by one argmin pass (with ``m = 1`` it is the answer).  For a
    small ``m`` (at most ``passes``) their block's own ``m`` smallest, found by ``m`` argmin
    passes, merge with the ``m`` kept; for a larger one, only their negatives.  Earlier
    columns come first among equal values.
    """
    m = best.shape[1]
    lowest, lowest_at, hit = below_zero(part)
    if len(hit) == 0:
        return
    rows, shift = at[hit], best[at[hit], -1]
    if m == 1:
        best[rows, 0] = lowest[hit] + shift
        where[rows, 0] = block[lowest_at[hit]]
        return
    if m <= passes:
        if 2 * len(hit) > len(part):
            # Most rows change: in place (``part`` is scratch), not on a copy of the block.
            values, cols = take_smallest(part, m, passes)
            values, cols = values[hit], cols[hit]
        else:
            values, cols = take_smallest(part[hit], m, passes)
        merged = np.concatenate((best[rows], values + shift[:, None]), axis=1)
        merged_at = np.concatenate((where[rows], block[cols]), axis=1)
        order = np.argsort(merged, axis=1, kind="stable")[:, :m]
        best[rows] = np.take_along_axis(merged, order, axis=1)
        where[rows] = np.take_along_axis(merged_at, order, axis=1)
        return
    # Many kept: the negatives alone (few), sorted with the kept row by row.
    r, c = set_positions(part[hit] < 0)
    of_row = np.concatenate((np.repeat(np.arange(len(hit)), m), r))
    merged = np.concatenate((best[rows].ravel(), part[hit[r], c] + shift[r]))
    merged_at = np.concatenate((where[rows].ravel(), block[c]))
    order = np.lexsort((merged, of_row))
    counts = np.bincount(of_row, minlength=len(hit))
    take = order[(np.cumsum(counts) - counts)[:, None] + np.arange(m)]
    best[rows] = merged[take]
    where[rows] = merged_at[take]
