"""Asymmetric loss, ASL (Ridnik et al., ICCV 2021), multi-label and single-label."""

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


def _check_gammas(gamma_pos: float, gamma_neg: float) -> None:
    if gamma_pos < 0 or gamma_neg < 0:
        raise ValueError(f"gamma_pos and gamma_neg must be >= 0, got {gamma_pos}, {gamma_neg}.")


def asymmetric_loss(
    logits: Tensor,
    target: Tensor,
    gamma_pos: float = 0.0,
    gamma_neg: float = 4.0,
    clip: float = 0.05,
    weight: Tensor | None = None,
    reduction: str = "mean",
) -> Tensor:
    r"""Asymmetric loss for multi-label heads.

    Ridnik, Ben-Baruch, Zamir, Noy, Friedman, Protter and Zelnik-Manor, "Asymmetric Loss For
    Multi-Label Classification", ICCV 2021, eq. 7. With ``p = sigmoid(z)`` and the shifted
    probability ``p_m = max(p - m, 0)`` (``m = clip``):

    ``L = -y (1 - p)^{gamma+} log p - (1 - y) p_m^{gamma-} log(1 - p_m)``.

    Easy negatives are down-weighted harder than positives (``gamma- > gamma+``) and negatives
    with ``p < m`` are discarded. ``gamma+ = gamma- = 0, m = 0`` is binary cross-entropy.
    The reference implementation sums over the batch; ``reduction="sum"`` gives that.

    Parameters
    ----------
    logits : Tensor of shape (batch, n_classes)
    target : Tensor of the same shape
        Multi-hot 0/1 targets.
    gamma_pos, gamma_neg : float, default=0.0, 4.0
    clip : float, default=0.05
        Probability margin ``m`` in [0, 1).
    weight : Tensor of shape (n_classes,), default=None
    reduction : {"mean", "sum", "none"}, default="mean"
        ``"mean"`` averages over all elements.
    """
    _check_gammas(gamma_pos, gamma_neg)
    if not 0 <= clip < 1:
        raise ValueError(f"clip must lie in [0, 1), got {clip}.")
    check_reduction(reduction)
    x = upcast(logits)
    t = target.to(x.dtype)
    if clip > 0:
        p_neg = (torch.sigmoid(x) - clip).clamp_min(0)
        # 1 - p_m >= clip > 0, so this log cannot reach -inf.
        log_not_neg = torch.log1p(-p_neg)
    else:
        p_neg = torch.sigmoid(x)
        log_not_neg = F.logsigmoid(-x)
    pos = F.logsigmoid(x)
    if gamma_pos:
        pos = pow_clamped(torch.sigmoid(-x), gamma_pos) * pos
    neg = pow_clamped(p_neg, gamma_neg) * log_not_neg if gamma_neg else log_not_neg
    # t pos + (1 - t) neg in one kernel, exactly pos or neg for t in {0, 1}.
    return reduce_elements(-torch.lerp(neg, pos, t), weight, reduction)


def asymmetric_single_label_loss(
    logits: Tensor,
    target: Tensor,
    gamma_pos: float = 0.0,
    gamma_neg: float = 4.0,
    label_smoothing: float = 0.1,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Single-label (softmax) variant of ASL, as in the authors' ``ASLSingleLabel``.

    Ridnik et al., ICCV 2021. With ``p = softmax(z)`` and label-smoothed targets
    ``t = (1 - eps) e_y + eps / C``:

    ``L = -sum_c t_c a_c log p_c``, ``a_y = (1 - p_y)^{gamma+}``, ``a_c = p_c^{gamma-}`` (c != y).

    The target term is focal loss with ``gamma+``; the smoothed mass on the other classes is
    kept only where the model is confident in them. ``gamma+ = 0, eps = 0`` is cross-entropy.

    Parameters
    ----------
    logits : Tensor of shape (batch, n_classes)
    target : Tensor of shape (batch,)
    gamma_pos, gamma_neg : float, default=0.0, 4.0
    label_smoothing : float, default=0.1
        ``eps`` in [0, 1].
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"
    """
    _check_gammas(gamma_pos, gamma_neg)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing must lie in [0, 1], got {label_smoothing}.")
    check_reduction(reduction)
    check_class_targets(target)
    log_p = F.log_softmax(upcast(logits), dim=1)
    n_classes = log_p.shape[1]
    # -log p_y, 0 on ignored rows; the target term needs only this column.
    ce = F.nll_loss(log_p, target, ignore_index=ignore_index, reduction="none")
    a_pos = pow_clamped(-torch.expm1(-ce), gamma_pos) if gamma_pos else 1.0
    loss = (1 - label_smoothing + label_smoothing / n_classes) * a_pos * ce
    if label_smoothing:
        # sum_{c != y} p_c^{gamma-} log p_c as the row sum minus the target column, so no
        # one-hot mask is built. p^gamma as exp(gamma log p): exact and with a finite gradient
        # where p underflows to 0. The terms share one sign, so the difference is exact to
        # rounding of the row sum.
        if gamma_neg:
            row = (torch.exp(gamma_neg * log_p) * log_p).sum(dim=1)
            target_term = torch.exp(-gamma_neg * ce) * ce
        else:
            row, target_term = log_p.sum(dim=1), ce
        off_target = row + target_term
        loss = torch.where(
            target != ignore_index, loss - label_smoothing / n_classes * off_target, 0.0
        )
    return reduce_rows(loss, target, weight, ignore_index, reduction)


class AsymmetricLoss(nn.Module):
    """Multi-label ASL as a module; see :func:`asymmetric_loss`.

    Parameters
    ----------
    gamma_pos, gamma_neg : float, default=0.0, 4.0
    clip : float, default=0.05
    weight : Tensor of shape (n_classes,), default=None
    reduction : {"mean", "sum", "none"}, default="mean"
    """

    def __init__(
        self,
        gamma_pos: float = 0.0,
        gamma_neg: float = 4.0,
        clip: float = 0.05,
        weight: Tensor | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.gamma_pos = gamma_pos
        self.gamma_neg = gamma_neg
        self.clip = clip
        self.reduction = reduction
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return asymmetric_loss(
            logits, target, self.gamma_pos, self.gamma_neg, self.clip, self.weight, self.reduction
        )


class AsymmetricSingleLabelLoss(nn.Module):
    """Single-label ASL as a module; see :func:`asymmetric_single_label_loss`.

    Parameters
    ----------
    gamma_pos, gamma_neg : float, default=0.0, 4.0
    label_smoothing : float, default=0.1
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"
    """

    def __init__(
        self,
        gamma_pos: float = 0.0,
        gamma_neg: float = 4.0,
        label_smoothing: float = 0.1,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.gamma_pos = gamma_pos
        self.gamma_neg = gamma_neg
        self.label_smoothing = label_smoothing
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return asymmetric_single_label_loss(
            logits,
            target,
            self.gamma_pos,
            self.gamma_neg,
            self.label_smoothing,
            self.weight,
            self.ignore_index,
            self.reduction,
        )
