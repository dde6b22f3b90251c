"""How the neighbour engine cuts its work: one frozen record, passed down to every part that
reads it.

No field changes an answer (every one is exact and equal to scikit-learn's); they set only
speed and memory, and which of the engine's paths a data set of a given size takes.  Tests
narrow them to run the large-data paths on small data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields

from .._sklearn_compat import SKLEARN, NeighboursCompat


@dataclass(frozen=True)
class EngineConfig:
    """The tuning of the neighbour engine (:class:`~._neighbours.NeighbourIndex`).

    Attributes
    ----------
    block_bytes : int, default=4 MiB
        Bytes one block of pairwise distances may take (blocks are float32): small enough to
        stay in a core's cache between the product and the comparison that reads it.
    col_block : int, default=512
        Columns per block: wide enough for BLAS to run at full speed, narrow enough that a
        row deep inside its class is certified after the first block or two.  Also the most
        neighbours a scan finds (more are asked of scikit-learn).
    block_pairs : int, default=2**20
        Query x column pairs a block of few rows widens to (up to ``16 * col_block`` columns).
    scan_min_pairs : int, default=2**24
        Below this many query x column pairs scikit-learn's own search is as fast as a scan.
    spare_witnesses : int, default=2
        Witnesses of an OWN answer kept beyond those needed, so that they survive the
        removal of a few rows in repeated editing.
    settle_spare : int, default=3
        Candidates found beyond the ``n_neighbors + 1`` an exact answer compares, so that
        the float64 settling step can tell them from every row the scan left out.
    argmin_passes : int, default=8
        Most smallest values of a row found by repeated argmin passes (a partition beyond).
    plane_centres : int, default=8
        Centres nearest a query's own whose planes bound its distance to other cells.
    bounded_cell_cols : int, default=2048
        Fewest columns per cell, on average, for which bounds on the distance to a cell are
        worth computing and ordering the columns by cell pays (measured: not at 100k rows,
        1k per cell).
    bound_chunk : int, default=512
        Queries whose cell bounds are computed at once (their temporaries stay small).
    piece_rows : int, default=4096
        Most queries searched together (their bounds to every cell are held at once).
    nearby_min_queries : int, default=4096
        Fewer queries than this go straight to the full count: a pass over nearby cells pays
        off only when many rows share each cell.
    rows_per_cell : int, default=1024
        Rows per cell of the search order.
    max_cells : int, default=256
        Most cells (k-means cost grows with their number).
    search_cols : int, default=65536
        Columns a nearby-only count visits per cell of queries (the nearest cells' rows).
    margin_factor : float, default=8.0
        The rounding margin of a float32 certificate, in units of the bound on the rounding
        of ``||a||^2 - 2ab + ||b||^2`` (a few float32 epsilons per feature times the squared
        norms): 8 keeps certificates safe; larger leaves more rows to exact checks.
    sklearn : NeighboursCompat, default=SKLEARN
        How scikit-learn's searches are reached (its private names where the version guard
        allows, or its public API alone).

    Examples
    --------
    >>> narrow = EngineConfig(col_block=32, block_pairs=2**11)
    >>> narrow.col_block, EngineConfig().col_block
    (32, 512)
    """

    block_bytes: int = 4 * 2**20
    col_block: int = 512
    block_pairs: int = 2**20
    scan_min_pairs: int = 2**24
    spare_witnesses: int = 2
    settle_spare: int = 3
    argmin_passes: int = 8
    plane_centres: int = 8
    bounded_cell_cols: int = 2048
    bound_chunk: int = 512
    piece_rows: int = 4096
    nearby_min_queries: int = 4096
    rows_per_cell: int = 1024
    max_cells: int = 256
    search_cols: int = 65536
    margin_factor: float = 8.0
    sklearn: NeighboursCompat = SKLEARN

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type == "int" and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{field.name} must be a whole number >= 0, got {value!r}")
        for name in ("block_bytes", "col_block", "bound_chunk", "piece_rows", "rows_per_cell"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.margin_factor < 8:
            raise ValueError(
                f"margin_factor={self.margin_factor} may certify wrong neighbours: "
                "keep it at 8 or above (larger only leaves more rows to exact checks)"
            )


DEFAULT_ENGINE_CONFIG = EngineConfig()

# The configuration an index takes when none is passed: the default, or the one a caller
# set around code that builds indexes itself (a sampler's fit) with engine_config_context.
_CURRENT: ContextVar[EngineConfig] = ContextVar(
    "skewlearn_engine_config", default=DEFAULT_ENGINE_CONFIG
)


def current_engine_config() -> EngineConfig:
    """The configuration a :class:`~._neighbours.NeighbourIndex` built now takes by default."""
    return _CURRENT.get()


@contextmanager
def engine_config_context(config: EngineConfig) -> Iterator[EngineConfig]:
    """Indexes built within take ``config`` (unless given another), in this thread only.

    For code that builds its indexes itself, such as a sampler's ``fit_resample``:

    >>> import numpy as np
    >>> from skewlearn.resample import TomekLinks
    >>> X, y = np.array([[0.0], [1.0], [2.0], [2.1], [5.0]]), np.array([0, 0, 0, 1, 0])
    >>> with engine_config_context(EngineConfig(scan_min_pairs=0)):
    ...     TomekLinks().fit_resample(X, y)[1].tolist()
    [0, 0, 1, 0]
    """
    token = _CURRENT.set(config)
    try:
        yield config
    finally:
        _CURRENT.reset(token)
