"""Compact cells of the rows: the neighbour engine's order of search, and bounds to skip by."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning

from ._neighbours_config import EngineConfig


class Cells:
    """A partition of the rows into compact cells: an order of search, and bounds to skip by.

    Each row belongs to its nearest centre (float64), so all rows of cell ``b`` lie on ``b``'s
    side of the plane halfway between centres ``a`` and ``b``, and a query is at least its
    distance to that plane from each of them: whole cells can be skipped.  The centres come
    from k-means fitted on a sample, a few iterations; they decide only the order of the
    search and which cells are certainly too far, never an answer.
    """

    def __init__(self, labels: np.ndarray, centres: np.ndarray, slack: float, config: EngineConfig):
        self.labels = labels
        self.centres = centres
        # How much nearer than its own centre a row may seem to another (float64 rounding).
        self.slack = slack
        self.config = config
        sq = np.einsum("ij,ij->i", centres, centres)
        between = np.maximum(sq[:, None] - 2 * centres @ centres.T + sq[None, :], 0.0)
        self.centre_order = np.argsort(between, axis=1, kind="stable")  # by nearness to c
        self.separation = np.sqrt(between)

    @staticmethod
    def count(n_rows: int, config: EngineConfig) -> int:
        """Cells for ``n_rows`` rows."""
        return int(np.clip(n_rows // config.rows_per_cell, 1, config.max_cells))

    @classmethod
    def fit(cls, X, config: EngineConfig) -> Cells:
        n_cells = cls.count(X.shape[0], config)
        if n_cells == 1:
            centres = np.asarray(X.mean(axis=0), dtype=float).reshape(1, -1)
            return cls(np.zeros(X.shape[0], dtype=np.intp), centres, 0.0, config)
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
        chunk_rows = config.bound_chunk
        for start in range(0, X.shape[0], chunk_rows):
            chunk = np.asarray(X[start : start + chunk_rows], dtype=float)
            labels[start : start + len(chunk)] = (centre_sq - 2 * chunk @ centres.T).argmin(axis=1)
            largest = max(largest, float(np.einsum("ij,ij->i", chunk, chunk).max()))
        # Far above the float64 rounding of the squared distances compared.
        return cls(labels, centres, 1e-9 * (largest + centre_sq.max()), config)

    def subset(self, rows: np.ndarray) -> Cells:
        child = object.__new__(Cells)
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
        chunk_rows, n_planes = self.config.bound_chunk, self.config.plane_centres
        for start in range(0, len(queries), chunk_rows):
            rows = slice(start, start + chunk_rows)
            q = queries[rows]
            to_cells = np.einsum("ij,ij->i", q, q)[:, None] - 2 * q @ centres.T + centre_sq
            for near in self.centre_order[of_cell[rows], :n_planes].T:
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
