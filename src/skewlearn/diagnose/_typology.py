"""Minority example typology: safe, borderline, rare and outlier rows (Napierala & Stefanowski)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..resample._neighbours import NeighbourIndex
from ._data import check_target, encode_features, plain

TYPES = ("safe", "borderline", "rare", "outlier")


@dataclass(frozen=True)
class MinorityTypology:
    """The type of every minority row, from its nearest neighbours.

    Attributes
    ----------
    counts : dict
        ``{class: {"safe": int, "borderline": int, "rare": int, "outlier": int}}`` for every
        minority class.
    rows : dict
        ``{class: {type: ndarray of row positions}}``: positions in the ``X`` and ``y`` given.
    neighbours : ndarray of shape (n_minority_rows, n_neighbors)
        The neighbours (row positions, the row itself excluded) of every minority row, in
        the order of ``minority_rows``.
    minority_rows : ndarray
        Positions of all minority rows, ascending.
    """

    counts: dict
    rows: dict
    neighbours: np.ndarray = field(repr=False)
    minority_rows: np.ndarray = field(repr=False)

    def shares(self) -> dict:
        """``{class: {type: share of that class's rows}}``."""
        return {
            label: {kind: count / max(1, sum(by_type.values())) for kind, count in by_type.items()}
            for label, by_type in self.counts.items()
        }


def minority_classes(codes: np.ndarray) -> np.ndarray:
    """Codes of the minority classes: every class but the largest (the first of equals)."""
    sizes = np.bincount(codes)
    return np.delete(np.arange(len(sizes)), np.argmax(sizes))


def neighbours_without_self(index: NeighbourIndex, rows: np.ndarray, n_neighbors: int):
    """The ``n_neighbors`` nearest rows of each of ``rows``, the row itself left out (where a
    duplicate displaces it from the list, the farthest neighbour is dropped instead)."""
    found = np.asarray(index.kneighbors(rows, n_neighbors + 1))
    is_self = found == rows[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    is_self &= np.cumsum(is_self, axis=1) == 1
    return found[~is_self].reshape(len(rows), n_neighbors)


def type_of(same_class: np.ndarray, n_neighbors: int) -> np.ndarray:
    """Type names from the number of same-class neighbours out of ``n_neighbors``: for five,
    5-4 safe, 3-2 borderline, 1 rare, 0 outlier (other sizes scale these bands)."""
    share = same_class / n_neighbors
    return np.select(
        [share >= 0.7, share >= 0.3, same_class >= 1], ["safe", "borderline", "rare"], "outlier"
    )


def typology_from_codes(
    X: np.ndarray, codes: np.ndarray, classes: np.ndarray, n_neighbors: int = 5, index=None
) -> MinorityTypology:
    """The typology of encoded data with class codes (see :func:`minority_typology`)."""
    if len(codes) <= n_neighbors:
        raise ValueError(
            f"the typology needs more than n_neighbors={n_neighbors} rows, got {len(codes)}."
        )
    index = NeighbourIndex(X) if index is None else index
    minority = np.flatnonzero(np.isin(codes, minority_classes(codes)))
    neighbours = neighbours_without_self(index, minority, n_neighbors)
    same = (codes[neighbours] == codes[minority, None]).sum(axis=1)
    kinds = type_of(same, n_neighbors)
    counts, rows = {}, {}
    for code in minority_classes(codes):
        mine = codes[minority] == code
        label = plain(classes[code])
        rows[label] = {kind: minority[mine & (kinds == kind)] for kind in TYPES}
        counts[label] = {kind: len(found) for kind, found in rows[label].items()}
    return MinorityTypology(counts, rows, neighbours, minority)


def minority_typology(X, y, *, n_neighbors: int = 5) -> MinorityTypology:
    """Label each minority row safe, borderline, rare or outlier by its nearest neighbours.

    Of a minority row's ``n_neighbors`` nearest rows (itself excluded; Euclidean distance
    on the encoding of :func:`diagnose`: numeric columns min-max scaled, others one-hot),
    5 or 4 of its own class make it *safe*, 3 or 2 *borderline*, 1 *rare* and 0 an
    *outlier* (Napierala & Stefanowski, 2016).  Every class but the largest is a minority
    class; in a multiclass problem a neighbour of any other class counts against the row.
    Neighbours come from the exact engine shared with the samplers.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    n_neighbors : int, default=5

    Returns
    -------
    MinorityTypology

    Examples
    --------
    >>> import numpy as np
    >>> X = np.r_[np.arange(10) / 10, 5 + np.arange(5) / 10, [0.45]].reshape(-1, 1)
    >>> y = np.array(["no"] * 10 + ["yes"] * 6)
    >>> result = minority_typology(X, y)
    >>> result.counts
    {'yes': {'safe': 5, 'borderline': 0, 'rare': 0, 'outlier': 1}}
    >>> result.rows["yes"]["outlier"]
    array([15])
    """
    classes, codes = check_target(X, y)
    return typology_from_codes(encode_features(X), codes, classes, n_neighbors)
