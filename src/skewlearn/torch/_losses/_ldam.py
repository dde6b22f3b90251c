"""LDAM loss and its deferred re-weighting schedule (Cao et al., NeurIPS 2019)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._class_counts import CountsLike, as_class_counts
from ._class_balanced import class_balanced_weights
from ._reduce import check_class_targets, check_reduction, index_targets, upcast, weight_buffer


def ldam_margins(class_counts: CountsLike, max_margin: float = 0.5) -> Tensor:
    """Per-class margins ``Delta_c = C / n_c^{1/4}`` with ``C`` set so the largest is ``max_margin``.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
        Training rows per class.
    max_margin : float, default=0.5
        The margin of the rarest class; must be > 0.

    Returns
    -------
    margins : Tensor of shape (n_classes,)

    Examples
    --------
    >>> from skewlearn.torch import ldam_margins
    >>> [round(m, 4) for m in ldam_margins([10000, 1], max_margin=0.5).tolist()]
    [0.05, 0.5]
    """
    if max_margin <= 0:
        raise ValueError(f"max_margin must be > 0, got {max_margin}.")
    raw = as_class_counts(class_counts).pow(-0.25)
    return (raw * (max_margin / raw.max())).to(torch.float32)


def _ldam(
    logits: Tensor,
    target: Tensor,
    margins: Tensor,
    scale: float,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
) -> Tensor:
    x = upcast(logits)
    check_class_targets(target)
    # Ignored rows may get any class's margin: cross-entropy drops them.
    safe = index_targets(target, x.shape[1])[:, None]
    # s (z - Delta_y e_y) as s z with -s Delta_y added in place at the target column: one new
    # (batch, n_classes) tensor, and the scale's backward does not need it.
    shift = (margins.to(x) * -scale)[safe]
    adjusted = (x * scale).scatter_add_(1, safe, shift)
    return F.cross_entropy(
        adjusted,
        target,
        weight=None if weight is None else weight.to(x),
        ignore_index=ignore_index,
        reduction=reduction,
    )


def ldam_loss(
    logits: Tensor,
    target: Tensor,
    class_counts: CountsLike,
    max_margin: float = 0.5,
    scale: float = 30.0,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Label-distribution-aware margin loss ``CE(s (z - Delta_y e_y), y)``.

    Cao, Wei, Gaidon, Arechiga and Ma, "Learning Imbalanced Datasets with Label-Distribution-
    Aware Margin Loss", NeurIPS 2019: the target logit is lowered by a margin
    ``Delta_y = C / n_y^{1/4}`` (``C`` such that the largest margin is ``max_margin``), so rare
    classes must be won by a wider margin; ``s`` rescales the logits. The paper uses
    ``s = 30`` with a cosine classifier (normalised features and weights, logits in [-1, 1]);
    with an ordinary linear head use ``scale=1``. Pair it with :func:`drw_weights` for LDAM-DRW.

    Parameters
    ----------
    logits : Tensor of shape (batch, n_classes)
    target : Tensor of shape (batch,)
    class_counts : sequence or Tensor of shape (n_classes,)
        Training samples per class, all > 0.
    max_margin : float, default=0.5
    scale : float, default=30.0
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"
    """
    check_reduction(reduction)
    margins = ldam_margins(class_counts, max_margin).to(logits.device)
    return _ldam(logits, target, margins, scale, weight, ignore_index, reduction)


def drw_weights(
    class_counts: CountsLike, epoch: int, *, start_epoch: int, beta: float = 0.9999
) -> Tensor:
    """Deferred re-weighting (DRW): equal weights before ``start_epoch``, then class-balanced.

    Cao et al., NeurIPS 2019, Algorithm 1: train with the unweighted loss first, so features
    are learnt from all samples, and switch to :func:`class_balanced_weights` with ``beta``
    (0.9999 in the paper) at ``start_epoch`` (160 of 200 epochs on CIFAR).

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
        Training rows per class.
    epoch : int
        The current epoch, counted from 0.
    start_epoch : int
        First epoch with class-balanced weights.
    beta : float, default=0.9999
        ``beta`` of :func:`class_balanced_weights`.

    Returns
    -------
    weights : Tensor of shape (n_classes,)

    Examples
    --------
    >>> from skewlearn.torch import LDAMLoss, drw_weights
    >>> counts = [500, 50, 5]
    >>> criterion = LDAMLoss(counts, scale=1.0)
    >>> for epoch in range(3):
    ...     criterion.weight = drw_weights(counts, epoch, start_epoch=2)
    >>> [round(w, 3) for w in criterion.weight.tolist()]
    [0.028, 0.271, 2.702]
    """
    if epoch < start_epoch:
        return torch.ones(len(as_class_counts(class_counts, allow_zero=True)))
    return class_balanced_weights(class_counts, beta)


class LDAMLoss(nn.Module):
    """LDAM loss as a module; see :func:`ldam_loss` for the formula and paper.

    Set ``weight`` each epoch from :func:`drw_weights` for the DRW schedule.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
    max_margin : float, default=0.5
    scale : float, default=30.0
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"

    Attributes
    ----------
    margins : Tensor of shape (n_classes,)
    """

    def __init__(
        self,
        class_counts: CountsLike,
        max_margin: float = 0.5,
        scale: float = 30.0,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.scale = scale
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.register_buffer("margins", ldam_margins(class_counts, max_margin))
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return _ldam(
            logits, target, self.margins, self.scale, self.weight, self.ignore_index, self.reduction
        )
