"""Inverse image frequency (IIF) logit re-weighting (Alexandridis et al., IEEE TIP 2023)."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._class_counts import CountsLike, as_class_counts, sample_total
from ._reduce import check_reduction, upcast, weight_buffer

# Each variant maps (n_c, N), float64, to the factor of class c's logit.
_VARIANTS: dict[str, Callable[[Tensor, Tensor], Tensor]] = {
    "raw": lambda n, total: torch.log(total / n),
    "smooth": lambda n, total: torch.log((total + 1) / (n + 1)) + 1,
    "rel": lambda n, total: torch.log((total - n) / n),
    "normit": lambda n, total: -torch.special.ndtri(n / total),
    "gombit": lambda n, total: -torch.log(-torch.log1p(-n / total)),
    "base2": lambda n, total: torch.log2(total / n),
    "base10": lambda n, total: torch.log10(total / n),
}


def iif_weights(
    class_counts: CountsLike, variant: str = "raw", num_samples: int | None = None
) -> Tensor:
    r"""Inverse image frequency of each class, the factor its logit is multiplied by.

    Alexandridis, Luo, Nguyen, Deng and Zafeiriou, "Inverse Image Frequency for Long-tailed
    Image Recognition", IEEE TIP 2023. With ``N`` samples (images) and ``n_c`` of them holding
    class ``c``:

    - ``"raw"``: ``log(N / n_c)``
    - ``"smooth"``: ``log((N + 1) / (n_c + 1)) + 1``
    - ``"rel"``: ``log((N - n_c) / n_c)``
    - ``"normit"``: ``-Phi^{-1}(n_c / N)`` (``Phi`` the standard normal CDF)
    - ``"gombit"``: ``-log(-log(1 - n_c / N))``
    - ``"base2"``, ``"base10"``: ``log_2(N / n_c)``, ``log_10(N / n_c)``

    ``"rel"`` and ``"normit"`` are negative for a class in more than half of the samples, and
    ``"rel"``/``"gombit"`` are infinite for a class in every sample.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
        Samples per class, all > 0.
    variant : str, default="raw"
    num_samples : int, default=None
        ``N``; defaults to the sum of the counts (single-label). Give it for multi-label data.

    Returns
    -------
    weights : Tensor of shape (n_classes,), float32

    Examples
    --------
    >>> from skewlearn.torch import iif_weights
    >>> [round(w, 4) for w in iif_weights([3, 1], "raw").tolist()]
    [0.2877, 1.3863]
    """
    if variant not in _VARIANTS:
        raise ValueError(f"Unknown IIF variant {variant!r}; choose one of {sorted(_VARIANTS)}.")
    counts = as_class_counts(class_counts)
    weights = _VARIANTS[variant](counts, sample_total(counts, num_samples))
    return weights.to(torch.float32)


def _iif_ce(
    logits: Tensor,
    target: Tensor,
    weights: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
) -> Tensor:
    x = upcast(logits)
    return F.cross_entropy(
        x * weights.to(x),
        target,
        weight=None if weight is None else weight.to(x),
        ignore_index=ignore_index,
        reduction=reduction,
    )


def iif_loss(
    logits: Tensor,
    target: Tensor,
    class_counts: CountsLike,
    variant: str = "raw",
    num_samples: int | None = None,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Cross-entropy on IIF-re-weighted logits, ``CE(z * iif, y)``.

    Each logit ``z_c`` is multiplied by :func:`iif_weights` of its class (Alexandridis et al.,
    IEEE TIP 2023), which enlarges the logits of rare classes. Multiply the logits by the same
    weights at prediction time so that training and prediction use one decision rule.

    Parameters
    ----------
    logits : Tensor of shape (batch, n_classes)
    target : Tensor of shape (batch,)
    class_counts : sequence or Tensor of shape (n_classes,)
    variant : {"raw", "smooth", "rel", "normit", "gombit", "base2", "base10"}, default="raw"
    num_samples : int, default=None
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"
    """
    check_reduction(reduction)
    weights = iif_weights(class_counts, variant, num_samples).to(logits.device)
    return _iif_ce(logits, target, weights, weight, ignore_index, reduction)


class IIFLoss(nn.Module):
    """IIF loss as a module; see :func:`iif_loss`.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
    variant : str, default="raw"
    num_samples : int, default=None
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"

    Attributes
    ----------
    iif : Tensor of shape (n_classes,)
        The logit weights.
    """

    def __init__(
        self,
        class_counts: CountsLike,
        variant: str = "raw",
        num_samples: int | None = None,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.register_buffer("iif", iif_weights(class_counts, variant, num_samples))
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return _iif_ce(logits, target, self.iif, self.weight, self.ignore_index, self.reduction)
