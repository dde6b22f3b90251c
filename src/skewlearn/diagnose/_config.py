"""The tuning of the diagnosis: sizes above which the quadratic measures are estimated."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DiagnoseConfig:
    """Sizes and neighbourhoods used by :func:`diagnose` and its measures.

    Parameters
    ----------
    n_neighbors : int
        Neighbours of the minority typology and the small-disjunct graph (5, as in
        Napierala & Stefanowski).
    exact_rows : int
        Up to this many rows, every measure is exact.  Above it, N1, T1 and LSC (which need
        all pairwise distances) are computed exactly on one stratified sample of this many
        rows, and N2, N3 and N4 ask the exact neighbours, among *all* rows, of a stratified
        sample of this many query rows (unbiased estimates).
    linear_rows : int
        The linear measures L1-L3 fit their linear SVMs on a stratified sample of at most
        this many rows (per class pair).
    """

    n_neighbors: int = 5
    exact_rows: int = 4000
    linear_rows: int = 10_000


DEFAULT_CONFIG = DiagnoseConfig()
