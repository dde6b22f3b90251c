"""Class counts and the priors, offsets and sample sizes derived from them."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor

CountsLike = Tensor | Sequence[int] | Sequence[float]


def as_class_counts(class_counts: CountsLike, *, allow_zero: bool = False) -> Tensor:
    """``class_counts`` as a float64 vector, checked once for every method that reads it.

    float64 because counts of large datasets and ``log`` of tiny priors lose digits in float32;
    callers cast the derived quantity to the logits' dtype.
    """
    counts = torch.as_tensor(class_counts, dtype=torch.float64).detach().cpu()
    if counts.ndim != 1 or counts.numel() == 0:
        raise ValueError(
            f"class_counts must be a non-empty 1-D sequence (one count per class), "
            f"got shape {tuple(counts.shape)}."
        )
    if not torch.isfinite(counts).all() or (counts < 0).any():
        raise ValueError(f"class_counts must be finite and non-negative, got {counts.tolist()}.")
    if counts.sum() == 0:
        raise ValueError(
            "class_counts are all zero: give the number of training samples per class."
        )
    if not allow_zero and (counts == 0).any():
        empty = torch.nonzero(counts == 0).flatten().tolist()
        raise ValueError(
            f"classes {empty} have no training samples, so their prior is 0 and its log is -inf; "
            "drop those classes from the head or add one to every count (Laplace smoothing)."
        )
    return counts


def sample_total(counts: Tensor, num_samples: float | None) -> Tensor:
    """``N``, the number of training samples: the sum of the counts unless given.

    For multi-label data a sample counts towards several classes, so ``N`` must be given.
    """
    if num_samples is None:
        return counts.sum()
    total = torch.tensor(float(num_samples), dtype=torch.float64)
    if total < counts.max():
        raise ValueError(
            f"num_samples={float(total):g} is smaller than the largest class count "
            f"{float(counts.max()):g}; it must be the number of training samples."
        )
    return total


def class_priors(class_counts: CountsLike, num_samples: float | None = None) -> Tensor:
    """``pi_c = n_c / N`` in float64 (see :func:`sample_total` for ``N``)."""
    counts = as_class_counts(class_counts)
    return counts / sample_total(counts, num_samples)
