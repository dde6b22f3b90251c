"""The tuning of the diagnosis: sample sizes, folds and permutations, in one frozen object."""

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
    noise_folds : int
        Stratified folds of the out-of-fold probabilities behind the label-noise suspects
        (fewer when a class has fewer rows).
    noise_rows : int
        Each fold's model of the noise suspects is fitted on a stratified sample of at most
        this many rows; it still predicts every row of its fold.
    shift_rows : int
        The shift test's domain classifier sees at most this many rows of each table (a
        uniform sample), and the prior estimate's model at most this many training rows.
    shift_folds : int
        Folds of the domain classifier's cross-validated ROC-AUC and of the isotonic
        calibration of the prior estimate's model.
    permutations : int
        Permutations of the domain labels behind the shift test's p-value.
    alpha : float
        Family-wise error rate of the per-feature drift tests (Holm) and level of the
        domain-classifier test.
    """

    n_neighbors: int = 5
    exact_rows: int = 4000
    linear_rows: int = 10_000
    noise_folds: int = 5
    noise_rows: int = 20_000
    shift_rows: int = 20_000
    shift_folds: int = 5
    permutations: int = 1000
    alpha: float = 0.05


DEFAULT_CONFIG = DiagnoseConfig()
