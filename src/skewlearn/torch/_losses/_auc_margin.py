"""AUC-margin loss for binary and multi-label AUC (Yuan et al., ICCV 2021)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn

from ._reduce import check_reduction, upcast


def _as_columns(values: Tensor) -> Tensor:
    return values[:, None] if values.ndim == 1 else values


def auc_margin_loss(
    logits: Tensor,
    target: Tensor,
    pos_fraction: float | Sequence[float] | Tensor,
    a: Tensor,
    b: Tensor,
    margin: float = 1.0,
    reduction: str = "mean",
) -> Tensor:
    r"""AUC-margin (AUC-M) square loss with its dual variable solved in closed form.

    Yuan, Yan, Sonka and Yang, "Large-scale Robust Deep AUC Maximization: A New Surrogate Loss
    and Empirical Studies on Medical Image Classification", ICCV 2021 (LibAUC's ``AUCMLoss``).
    With scores ``h = sigmoid(z)``, positive fraction ``p`` and batch means ``E``:

    ``f(a, b, alpha) = (1-p) E[(h-a)^2 1{y=1}] + p E[(h-b)^2 1{y=0}]
    + 2 alpha (p(1-p) m + E[p h 1{y=0} - (1-p) h 1{y=1}]) - p(1-p) alpha^2``

    is minimised over the model, ``a`` and ``b`` and maximised over ``alpha >= 0``. LibAUC
    takes an ascent step on ``alpha`` inside its own optimiser; here the inner maximum is
    taken exactly, ``alpha* = [m + E[h 1{y=0}]/(1-p) - E[h 1{y=1}]/p]_+``, which leaves

    ``L = (1-p) E[(h-a)^2 1{y=1}] + p E[(h-b)^2 1{y=0}] + p(1-p) alpha*^2``

    with the same gradient in the model, ``a`` and ``b`` (Danskin's theorem), so any torch
    optimiser trains it. When the batch holds classes in proportion ``p``, the last term is
    ``p(1-p) [m - (mean positive score - mean negative score)]_+^2``: the squared-hinge AUC
    margin the paper starts from.

    Parameters
    ----------
    logits : Tensor of shape (batch,) or (batch, n_tasks)
        One logit per binary task.
    target : Tensor of the same shape
        0/1 labels.
    pos_fraction : float or sequence of shape (n_tasks,)
        ``p``, the fraction of positives in the training data, in (0, 1).
    a, b : Tensor of shape (n_tasks,)
        Learnable class-mean estimates (see :class:`AUCMarginLoss`).
    margin : float, default=1.0
    reduction : {"mean", "sum", "none"}, default="mean"
        Over tasks; ``"none"`` returns one value per task.
    """
    check_reduction(reduction)
    if not isinstance(pos_fraction, Tensor) or pos_fraction.device.type == "cpu":
        # Checked on the host only: on an accelerator the check would wait for the device.
        _check_pos_fraction(torch.as_tensor(pos_fraction))
    return _auc_margin(logits, target, pos_fraction, a, b, margin, reduction)


def _check_pos_fraction(p: Tensor) -> None:
    if ((p <= 0) | (p >= 1)).any():
        raise ValueError(f"pos_fraction must lie in (0, 1), got {p.tolist()}.")


def _auc_margin(
    logits: Tensor,
    target: Tensor,
    pos_fraction: float | Sequence[float] | Tensor,
    a: Tensor,
    b: Tensor,
    margin: float,
    reduction: str,
) -> Tensor:
    h = _as_columns(torch.sigmoid(upcast(logits)))
    y = _as_columns(target).to(h.dtype)
    p = torch.as_tensor(pos_fraction, dtype=h.dtype, device=h.device).expand(h.shape[1])
    # Both square terms are linear in y, so they are one column mean of
    # y (1-p)(h-a)^2 + (1-y) p (h-b)^2, interpolated by lerp in one kernel; likewise
    # E[h (1-y)]/(1-p) - E[h y]/p = E[h c] with c = lerp(1/(1-p), -1/p, y).
    square = torch.lerp(p * (h - b.to(h)).square(), (1 - p) * (h - a.to(h)).square(), y).mean(0)
    contrast = torch.lerp(1 / (1 - p), -1 / p, y)
    alpha = (margin + (h * contrast).mean(0)).clamp_min(0)
    loss = square + p * (1 - p) * alpha**2
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.mean()


class AUCMarginLoss(nn.Module):
    """AUC-margin loss as a module; see :func:`auc_margin_loss` for the formula and paper.

    ``a`` and ``b`` are parameters of this module: give them to the optimiser with the model's
    (``list(model.parameters()) + list(criterion.parameters())``; skorch does this itself for
    a criterion with parameters).

    Parameters
    ----------
    pos_fraction : float or sequence of shape (n_tasks,)
    margin : float, default=1.0
    reduction : {"mean", "sum", "none"}, default="mean"

    Attributes
    ----------
    a, b : nn.Parameter of shape (n_tasks,)
        Start at 0, as in LibAUC.
    """

    def __init__(
        self,
        pos_fraction: float | Sequence[float] | Tensor,
        margin: float = 1.0,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        fraction = torch.as_tensor(pos_fraction, dtype=torch.float32).reshape(-1)
        _check_pos_fraction(fraction)
        self.margin = margin
        self.reduction = reduction
        self.register_buffer("pos_fraction", fraction)
        self.a = nn.Parameter(torch.zeros(len(fraction)))
        self.b = nn.Parameter(torch.zeros(len(fraction)))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return _auc_margin(
            logits, target, self.pos_fraction, self.a, self.b, self.margin, self.reduction
        )
