"""Self-adjusting Dice loss (Li et al., ACL 2020)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ._reduce import (
    check_class_targets,
    check_reduction,
    index_targets,
    pow_clamped,
    upcast,
    weight_buffer,
)


def self_adjusting_dice_loss(
    logits: Tensor,
    target: Tensor,
    alpha: float = 1.0,
    gamma: float = 1.0,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Self-adjusting Dice loss, pooled per class over the batch.

    Li, Sun, Meng, Liang, Wu and Li, "Dice Loss for Data-imbalanced NLP Tasks", ACL 2020.
    Each probability is replaced by ``q = (1 - p)^alpha p``, which fades out easy examples,
    and each class ``c`` gets a smoothed soft Dice over the batch:

    ``L_c = 1 - (2 sum_i q_ic y_ic + gamma) / (sum_i q_ic + sum_i y_ic + gamma)``.

    ``alpha = 0`` is the plain soft Dice loss, ``gamma -> inf`` drives every ``L_c`` to 0, and
    a class with neither predictions nor targets in the batch has ``L_c = 0`` even at
    ``gamma = 0``. Because the loss is pooled over the batch, ``"none"`` returns one value per
    class, not per sample.

    Class-index targets of shape (batch,) use ``p = softmax(z)``; targets of the logits'
    shape (binary (batch,) or multi-label (batch, n_classes), 0/1) use ``p = sigmoid(z)``.

    Parameters
    ----------
    logits : Tensor of shape (batch, n_classes) or (batch,)
    target : Tensor
        Class indices, or 0/1 targets of the logits' shape.
    alpha : float, default=1.0
    gamma : float, default=1.0
        Smoothing added to numerator and denominator, ``>= 0``.
    weight : Tensor of shape (n_classes,), default=None
        Per-class weights; ``"mean"`` is ``sum_c w_c L_c / sum_c w_c``.
    ignore_index : int, default=-100
        For class-index targets.
    reduction : {"mean", "sum", "none"}, default="mean"
    """
    if alpha < 0 or gamma < 0:
        raise ValueError(f"alpha and gamma must be >= 0, got {alpha}, {gamma}.")
    check_reduction(reduction)
    x = upcast(logits)
    if target.shape == x.shape and x.ndim in (1, 2):
        p = torch.sigmoid(x).reshape(x.shape[0], -1)
        y = target.to(x.dtype).reshape(p.shape)
        q = _focus(p, alpha)
        numerator = 2 * (q * y).sum(dim=0) + gamma
        denominator = q.sum(dim=0) + y.sum(dim=0) + gamma
    else:
        check_class_targets(target)
        valid = target != ignore_index
        n_classes = x.shape[1]
        # Ignored rows are zeroed in p, hence in q; the one-hot targets are never built: the
        # overlap sum_i q_ic y_ic adds each row's target column into its class's bin.
        p = F.softmax(x, dim=1) * valid[:, None]
        q = _focus(p, alpha)
        safe = index_targets(target, n_classes)
        q_target = q.gather(1, safe[:, None]).squeeze(1)
        overlap = q.new_zeros(n_classes).index_add(0, safe, q_target)
        support = q.new_zeros(n_classes).index_add_(0, safe, valid.to(q.dtype))
        numerator = 2 * overlap + gamma
        denominator = q.sum(dim=0) + support + gamma
    # 0/0 means an empty class predicted nowhere: a perfect score, and a safe division keeps
    # the unused branch's gradient finite.
    empty = denominator == 0
    dice = torch.where(empty, 1.0, numerator / torch.where(empty, 1.0, denominator))
    loss = 1 - dice
    if weight is not None:
        loss = loss * weight.to(loss)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / (weight.to(loss).sum() if weight is not None else loss.numel())


def _focus(p: Tensor, alpha: float) -> Tensor:
    """``(1 - p)^alpha p``; for ``alpha = 1``, ``p - p p`` in one kernel."""
    if alpha == 1:
        return torch.addcmul(p, p, p, value=-1)
    return pow_clamped(1 - p, alpha) * p


class SelfAdjustingDiceLoss(nn.Module):
    """Self-adjusting Dice loss as a module; see :func:`self_adjusting_dice_loss`.

    Parameters
    ----------
    alpha : float, default=1.0
    gamma : float, default=1.0
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"
    """

    def __init__(
        self,
        alpha: float = 1.0,
        gamma: float = 1.0,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.alpha = alpha
        self.gamma = gamma
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return self_adjusting_dice_loss(
            logits, target, self.alpha, self.gamma, self.weight, self.ignore_index, self.reduction
        )
