"""Focal loss (Lin et al., ICCV 2017) for softmax and sigmoid heads."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ._reduce import (
    check_class_targets,
    check_reduction,
    pow_clamped,
    reduce_elements,
    reduce_rows,
    upcast,
    weight_buffer,
)


def focal_loss(
    logits: Tensor,
    target: Tensor,
    gamma: float = 2.0,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Softmax focal loss ``-w_y (1 - p_y)^gamma log p_y``.

    Lin, Goyal, Girshick, He and Dollár, "Focal Loss for Dense Object Detection", ICCV 2017,
    in its multi-class softmax form: ``p = softmax(z)``; the factor ``(1 - p_y)^gamma``
    down-weights samples the model already classifies well. ``gamma = 0`` is cross-entropy.
    Per-class ``weight`` plays the role of the paper's ``alpha``.

    Parameters
    ----------
    logits : Tensor of shape (batch, n_classes)
    target : Tensor of shape (batch,)
        Class indices.
    gamma : float, default=2.0
        Focusing parameter, ``>= 0``.
    weight : Tensor of shape (n_classes,), default=None
        Per-class weights, e.g. from :func:`class_balanced_weights`.
    ignore_index : int, default=-100
        Target value whose rows are left out.
    reduction : {"mean", "sum", "none"}, default="mean"
        As in ``F.cross_entropy``: ``"mean"`` divides by the summed weights of the rows.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import focal_loss
    >>> logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    >>> round(focal_loss(logits, torch.tensor([0, 1]), gamma=2.0).item(), 4)
    0.0122
    """
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}.")
    check_reduction(reduction)
    check_class_targets(target)
    # Only the target column matters: -log p_y is one fused cross-entropy kernel (0 on ignored
    # rows), and the focal factor is a function of it, so no (batch, n_classes) tensor is built
    # beyond cross-entropy's own log-softmax.
    ce = F.cross_entropy(upcast(logits), target, ignore_index=ignore_index, reduction="none")
    # 1 - p_y = -expm1(log p_y), without cancellation when p_y is close to 1.
    loss = pow_clamped(-torch.expm1(-ce), gamma) * ce if gamma else ce
    return reduce_rows(loss, target, weight, ignore_index, reduction)


def sigmoid_focal_loss(
    logits: Tensor,
    target: Tensor,
    gamma: float = 2.0,
    alpha: float | None = 0.25,
    weight: Tensor | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Sigmoid focal loss ``-alpha_t (1 - p_t)^gamma log p_t`` for binary and multi-label heads.

    Lin et al., ICCV 2017, eq. 5: ``p = sigmoid(z)``, ``p_t = p`` for a positive target and
    ``1 - p`` for a negative one, ``alpha_t = alpha`` for positives and ``1 - alpha`` for
    negatives (``alpha=None`` turns it off). ``gamma = 0, alpha = None`` is binary
    cross-entropy with logits. Soft targets in [0, 1] are accepted.

    Parameters
    ----------
    logits : Tensor of shape (batch,) or (batch, n_classes)
    target : Tensor of the same shape
        0/1 (or soft) targets.
    gamma : float, default=2.0
    alpha : float or None, default=0.25
        The paper's balance between positives and negatives.
    weight : Tensor of shape (n_classes,), default=None
        Per-class weights, broadcast over the last dimension.
    reduction : {"mean", "sum", "none"}, default="mean"
        ``"mean"`` averages over all elements, as ``F.binary_cross_entropy_with_logits``.
    """
    if gamma < 0:
        raise ValueError(f"gamma must be >= 0, got {gamma}.")
    if alpha is not None and not 0 <= alpha <= 1:
        raise ValueError(f"alpha must lie in [0, 1] or be None, got {alpha}.")
    check_reduction(reduction)
    x = upcast(logits)
    t = target.to(x.dtype)
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    if gamma:
        # 1 - p_t = sigmoid(z) (1 - t) + sigmoid(-z) t, each sigmoid exact in its own tail; lerp
        # is that interpolation in one kernel and returns an end point exactly for t in {0, 1}.
        one_minus_pt = torch.lerp(torch.sigmoid(x), torch.sigmoid(-x), t)
        loss = loss * pow_clamped(one_minus_pt, gamma)
    if alpha is not None:
        # alpha t + (1 - alpha)(1 - t) in one kernel: a 0-dim CPU tensor is a scalar operand
        # on any device, so this launches nothing for it and copies nothing to the device.
        alpha_t = torch.add(torch.tensor(1 - alpha, dtype=x.dtype), t, alpha=2 * alpha - 1)
        loss = loss * alpha_t
    return reduce_elements(loss, weight, reduction)


class FocalLoss(nn.Module):
    """Softmax focal loss as a module; see :func:`focal_loss` for the formula and paper.

    Parameters
    ----------
    gamma : float, default=2.0
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"
    """

    def __init__(
        self,
        gamma: float = 2.0,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.gamma = gamma
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return focal_loss(
            logits, target, self.gamma, self.weight, self.ignore_index, self.reduction
        )


class SigmoidFocalLoss(nn.Module):
    """Sigmoid focal loss as a module; see :func:`sigmoid_focal_loss`.

    Parameters
    ----------
    gamma : float, default=2.0
    alpha : float or None, default=0.25
    weight : Tensor of shape (n_classes,), default=None
    reduction : {"mean", "sum", "none"}, default="mean"
    """

    def __init__(
        self,
        gamma: float = 2.0,
        alpha: float | None = 0.25,
        weight: Tensor | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.gamma = gamma
        self.alpha = alpha
        self.reduction = reduction
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return sigmoid_focal_loss(
            logits, target, self.gamma, self.alpha, self.weight, self.reduction
        )
