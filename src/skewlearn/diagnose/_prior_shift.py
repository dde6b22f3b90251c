"""The class prior of unlabelled new data, from a model's probabilities (EM of Saerens et al.).

Saerens, Latinne & Decaestecker (2002), "Adjusting the outputs of a classifier to new a
priori probabilities": with ``p(k|x)`` calibrated under the training prior ``π_t``, the new
prior ``π`` is the fixed point of ``π_k = mean_x p_π(k|x)``, where
``p_π(k|x) ∝ p(k|x) π_k / π_t,k`` (the correction ``PriorCorrectedClassifier`` applies).
It assumes the classes' feature distributions did not change (label shift), only their shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PriorEstimate:
    """The estimated prior of new data and how the EM got there.

    Attributes
    ----------
    prior : ndarray of shape (n_classes,)
        Estimated class shares of the new data, in the classes' order.
    train_prior : ndarray of shape (n_classes,)
        The prior the probabilities were calibrated under.
    iterations : int
    converged : bool
        Whether the largest change of a share fell below ``tol``.
    """

    prior: np.ndarray
    train_prior: np.ndarray
    iterations: int
    converged: bool


def estimate_prior(
    proba: np.ndarray, train_prior, *, max_iter: int = 1000, tol: float = 1e-6
) -> PriorEstimate:
    """The class prior of new rows from their probabilities (EM, Saerens et al. 2002).

    Parameters
    ----------
    proba : ndarray of shape (n_new, n_classes)
        Calibrated probabilities of the new rows, from a model trained under ``train_prior``.
    train_prior : array-like of shape (n_classes,)
        Class shares of the model's training data.
    max_iter : int
    tol : float
        Stop when no share moves by more than this.

    Returns
    -------
    PriorEstimate

    Examples
    --------
    Two classes at N(0, 1) and N(2, 1), trained at 50:50; the new rows are 10% class 1:

    >>> import numpy as np
    >>> from scipy.stats import norm
    >>> rng = np.random.default_rng(0)
    >>> x = np.r_[rng.normal(0, 1, 9000), rng.normal(2, 1, 1000)]
    >>> likelihood = np.c_[norm.pdf(x, 0, 1), norm.pdf(x, 2, 1)]
    >>> proba = likelihood / likelihood.sum(axis=1, keepdims=True)
    >>> estimate_prior(proba, [0.5, 0.5]).prior.round(2).tolist()
    [0.9, 0.1]
    """
    proba = np.asarray(proba, dtype=float)
    train_prior = np.asarray(train_prior, dtype=float)
    if proba.ndim != 2 or proba.shape[1] != len(train_prior):
        raise ValueError(
            f"proba has shape {proba.shape} but train_prior has {len(train_prior)} classes: "
            "pass one probability column per class of the training prior."
        )
    if np.any(train_prior <= 0):
        raise ValueError(f"train_prior must be positive for every class, got {train_prior}.")
    train_prior = train_prior / train_prior.sum()
    prior = train_prior.copy()
    for iteration in range(1, max_iter + 1):
        weighted = proba * (prior / train_prior)
        weighted /= weighted.sum(axis=1, keepdims=True)
        updated = weighted.mean(axis=0)
        moved = np.abs(updated - prior).max()
        prior = updated
        if moved < tol:
            return PriorEstimate(prior, train_prior, iteration, True)
    return PriorEstimate(prior, train_prior, max_iter, False)
