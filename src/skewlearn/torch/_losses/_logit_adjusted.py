"""Logit-adjusted loss (Menon et al., ICLR 2021) and balanced softmax (Ren et al., NeurIPS 2020)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .._class_counts import CountsLike, class_priors
from ._reduce import check_reduction, upcast, weight_buffer


def log_prior_offsets(class_counts: CountsLike, tau: float = 1.0) -> Tensor:
    """``tau * log pi_c``, the per-class shift of the logit-adjusted loss, in float32."""
    return (tau * torch.log(class_priors(class_counts))).to(torch.float32)


def _shifted_ce(
    logits: Tensor,
    target: Tensor,
    offsets: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
) -> Tensor:
    x = upcast(logits)
    return F.cross_entropy(
        x + offsets.to(x),
        target,
        weight=None if weight is None else weight.to(x),
        ignore_index=ignore_index,
        reduction=reduction,
    )


def logit_adjusted_loss(
    logits: Tensor,
    target: Tensor,
    class_counts: CountsLike,
    tau: float = 1.0,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Logit-adjusted cross-entropy ``CE(z + tau log pi, y)``.

    Menon, Jayasumana, Rawat, Jain, Veit and Kumar, "Long-Tail Learning via Logit Adjustment",
    ICLR 2021, eq. 10: adding ``tau log pi_c`` to the logits during training makes the plain
    ``argmax z`` at test time approximate the balanced-error Bayes rule (``tau = 1``, the
    paper's choice). ``tau = 0`` is cross-entropy.

    Parameters
    ----------
    logits : Tensor of shape (batch, n_classes)
    target : Tensor of shape (batch,)
    class_counts : sequence or Tensor of shape (n_classes,)
        Training samples per class, all > 0; ``pi_c = n_c / sum n``.
    tau : float, default=1.0
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import logit_adjusted_loss
    >>> logits, target = torch.zeros(1, 2), torch.tensor([1])
    >>> round(logit_adjusted_loss(logits, target, [3, 1]).item(), 4)  # -log(1/4)
    1.3863
    """
    check_reduction(reduction)
    offsets = log_prior_offsets(class_counts, tau).to(logits.device)
    return _shifted_ce(logits, target, offsets, weight, ignore_index, reduction)


def balanced_softmax_loss(
    logits: Tensor,
    target: Tensor,
    class_counts: CountsLike,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    r"""Balanced softmax cross-entropy ``-log(n_y e^{z_y} / sum_j n_j e^{z_j})``.

    Ren, Yu, Sheng, Ma, Zhao, Yi and Li, "Balanced Meta-Softmax for Long-Tailed Visual
    Recognition", NeurIPS 2020, eq. 4. Since ``n_j e^{z_j} = e^{z_j + log n_j}`` and a common
    shift cancels in the softmax, it equals :func:`logit_adjusted_loss` with ``tau = 1``.
    Parameters as there.
    """
    return logit_adjusted_loss(logits, target, class_counts, 1.0, weight, ignore_index, reduction)


class LogitAdjustedLoss(nn.Module):
    """Logit-adjusted loss as a module; see :func:`logit_adjusted_loss`.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
    tau : float, default=1.0
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"

    Attributes
    ----------
    offsets : Tensor of shape (n_classes,)
        ``tau * log pi``.
    """

    def __init__(
        self,
        class_counts: CountsLike,
        tau: float = 1.0,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
    ) -> None:
        super().__init__()
        check_reduction(reduction)
        self.ignore_index = ignore_index
        self.reduction = reduction
        self.register_buffer("offsets", log_prior_offsets(class_counts, tau))
        self.register_buffer("weight", weight_buffer(weight))

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        return _shifted_ce(
            logits, target, self.offsets, self.weight, self.ignore_index, self.reduction
        )


class BalancedSoftmaxLoss(LogitAdjustedLoss):
    """Balanced softmax loss as a module; see :func:`balanced_softmax_loss`.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
    weight : Tensor of shape (n_classes,), default=None
    ignore_index : int, default=-100
    reduction : {"mean", "sum", "none"}, default="mean"
    """

    def __init__(
        self,
        class_counts: CountsLike,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
    ) -> None:
        super().__init__(class_counts, 1.0, weight, ignore_index, reduction)
