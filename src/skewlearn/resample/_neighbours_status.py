"""Whether a row's neighbourhood is certainly of its own class, or certainly not.

Most rows of a skewed data set sit deep inside their own class, so a cheap certificate (a
count of the rows of its class nearer than the nearest rows of other classes, by the blocked
scan with a rounding margin) lets a cleaning sampler skip the exact query for them.  Where
the margin cannot decide, the row's exact neighbours do, where the scan finds them with
certainty.  Repeated editing (RENN, AllKNN) keeps the rows that certified each answer
(:class:`Proofs`) and re-examines, in the next pass, only the rows whose witnesses were removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from ._neighbours import NeighbourIndex

# What neighbourhood_status can say of a row.
OWN, UNSURE, MIXED = 1, 0, -1


def neighbourhood_status(
    index: NeighbourIndex,
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
    * ``UNSURE`` otherwise: ask :meth:`NeighbourIndex.kneighbors`.

    With the index's ``remember``, rows certified OWN keep the rows that certified them (a
    few spare ones, and ``look_ahead`` more for questions with that many more neighbours to
    come), and a later question keeps their answer while enough of those are left.  Where
    their count was complete (short of the witnesses ``look_ahead`` more neighbours need), a
    later question with a larger neighbourhood finds the row MIXED from that count, with no
    scan.  Sparse data is never decided.
    """
    scan, config = index.scan, index.config
    status = np.full(len(rows), UNSURE, dtype=np.int8)
    if sp.issparse(index.X) or len(rows) == 0:
        return status
    needed = n_neighbors + 2 - min_others
    for label in np.unique(y[rows]):
        in_class = np.flatnonzero(y[rows] == label)
        own = np.flatnonzero(y == label)
        others = np.flatnonzero(y != label)
        if len(others) < min_others:
            status[in_class] = OWN
            continue
        width = needed + look_ahead + config.spare_witnesses
        proofs = index.proof_book.proofs(y, label, min_others, width) if index.remember else None
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
        nearest_sq, radius_sq = scan.nearest_sq_distances(queries, others, min_others)
        margin = 2 * scan.margin(queries)
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
        if len(queries) >= config.nearby_min_queries:
            # First the nearby cells only: settles most rows deep inside their class
            # (when remembering, with spare witnesses, cheap to find there).
            stop = needed if found is None else found.shape[1]
            count, _ = scan.count_within(
                queries, own, below, stop, max_cols=config.search_cols, witnesses=found
            )
        # The rest against every row of the class, nearest cells first; with
        # decide_mixed, counting within the upper bound in the same scan.  When
        # remembering, rows short of the witnesses later questions need are counted in
        # full too: a row that stays short then has a complete count, which settles it
        # in those questions without a scan.
        stop = needed if found is None else needed + look_ahead
        rest = np.flatnonzero(count < stop)
        found_rest = None if found is None else found[rest]
        count[rest], upper = scan.count_within(
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
        _settle_exactly(
            index, y, label, rows, in_class, status, n_neighbors, min_others, decide_mixed, proofs
        )
    return status


def _settle_exactly(
    index: NeighbourIndex,
    y: np.ndarray,
    label,
    rows: np.ndarray,
    in_class: np.ndarray,
    status: np.ndarray,
    n_neighbors: int,
    min_others: int,
    decide_mixed: bool,
    proofs: Proofs | None,
) -> None:
    """Decide the UNSURE rows of ``rows[in_class]`` by their exact neighbours, where the
    scan finds those with certainty (as :meth:`NeighbourIndex.kneighbors` would), and keep
    the rows of their class among them as the witnesses of an OWN answer.

    A row whose neighbourhood is within the rounding margin of the other class's
    nearest row is settled once, not again in every pass of repeated editing.
    """
    unsure = in_class[status[in_class] == UNSURE]
    queries, among = rows[unsure], np.arange(index.X.shape[0])
    if len(queries) == 0 or not index.scans(index.searcher(n_neighbors + 1), queries, among):
        return
    positions, clear = index.scan.separated_neighbours(queries, among, n_neighbors + 1)
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


class ProofBook:
    """What earlier questions on an index proved, per (label, min_others), for the labels
    they were asked with (asked with other labels, it starts afresh)."""

    def __init__(self):
        self._by_class: dict[tuple, Proofs] = {}
        self._labels: np.ndarray | None = None

    def proofs(self, y: np.ndarray, label, min_others: int, width: int) -> Proofs:
        """The proofs of the rows of ``label`` (``width`` witnesses each, when new)."""
        if self._labels is None or not np.array_equal(self._labels, y):
            self._by_class, self._labels = {}, np.array(y, copy=True)
        key = (label, min_others)
        if key not in self._by_class:
            self._by_class[key] = Proofs(len(y), width)
        return self._by_class[key]

    def subset(self, rows: np.ndarray, n_rows: int) -> ProofBook:
        """These proofs on ``rows`` of the ``n_rows`` rows, renumbered."""
        child = ProofBook()
        if self._labels is not None:
            new_position = np.full(n_rows + 1, -1, dtype=np.int32)
            new_position[rows] = np.arange(len(rows))
            child._labels = self._labels[rows]
            child._by_class = {
                key: proofs.subset(rows, new_position) for key, proofs in self._by_class.items()
            }
        return child


class Proofs:
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

    def subset(self, rows: np.ndarray, new_position: np.ndarray) -> Proofs:
        """These proofs on ``rows`` (``new_position``: each old row's position, -1 if gone)."""
        child = object.__new__(Proofs)
        # A witness that is gone maps to -1 (and -1 reads the last entry: -1).
        child.witnesses = new_position[self.witnesses[rows]]
        child.reach, child.band = self.reach[rows], self.band[rows]
        return child
