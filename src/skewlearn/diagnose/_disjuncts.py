"""Small disjuncts: the separate sub-concepts each minority class forms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class SmallDisjuncts:
    """The groups (sub-concepts) of every minority class.

    Two rows of a minority class belong to one group when one is among the other's
    ``n_neighbors`` nearest rows of the whole data (the typology's neighbourhoods), directly
    or through a chain of such rows: rows that other classes separate fall into different
    groups, and an outlier is a group of one.

    Attributes
    ----------
    sizes : dict
        ``{class: ndarray}``: group sizes, largest first.
    labels : dict
        ``{class: ndarray}``: the group of each of the class's rows (0 = largest group), in
        the order of ``rows``.
    rows : dict
        ``{class: ndarray}``: positions of the class's rows.
    """

    sizes: dict
    labels: dict
    rows: dict

    def count(self, min_size: int = 1) -> dict:
        """``{class: number of groups of at least min_size rows}``."""
        return {label: int((sizes >= min_size).sum()) for label, sizes in self.sizes.items()}


def disjuncts_from_typology(typology, codes: np.ndarray, classes: np.ndarray) -> SmallDisjuncts:
    """Group each minority class's rows by the neighbourhoods a typology found."""
    sizes, labels, rows = {}, {}, {}
    minority = typology.minority_rows
    position = np.full(len(codes), -1)
    position[minority] = np.arange(len(minority))
    for label, by_type in typology.rows.items():
        members = np.sort(np.concatenate(list(by_type.values())))
        where = position[members]
        source = np.repeat(np.arange(len(members)), typology.neighbours.shape[1])
        target = typology.neighbours[where].ravel()
        local = np.full(len(codes), -1)
        local[members] = np.arange(len(members))
        keep = local[target] >= 0
        graph = coo_matrix(
            (np.ones(keep.sum()), (source[keep], local[target[keep]])),
            shape=(len(members), len(members)),
        )
        _, group = connected_components(graph, directed=True, connection="weak")
        counts = np.bincount(group)
        order = np.argsort(-counts, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        sizes[label], labels[label], rows[label] = counts[order], rank[group], members
    return SmallDisjuncts(sizes, labels, rows)
