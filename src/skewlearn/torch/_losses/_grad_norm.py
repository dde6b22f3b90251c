"""Per-class gradient-normalised loss (Francazi et al., ICML 2023)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import Tensor, nn


class PerClassGradNormLoss(nn.Module):
    r"""Each class present in the batch contributes a unit-norm share of the gradient.

    Francazi, Baity-Jesi and Lucchi, "A Theoretical Analysis of the Learning Dynamics under
    Class Imbalance", ICML 2023, show that with plain gradient descent the majority class's
    gradient dominates early training and minority-class loss can even rise; their per-class
    normalised gradient descent (PCNGD) follows

    ``g = sum_c grad L_c / ||grad L_c||``, ``L_c`` = mean loss over the batch samples of class ``c``.

    This wrapper returns a loss whose gradient is ``g`` and whose value is
    ``sum_c L_c`` (the norms are constants of the step, so the value stays readable). The
    norms are taken with respect to ``params`` when given (exact PCNGD, one extra backward
    pass per class in the batch) or else with respect to the logits (one pass in all; exact
    for the last layer's pre-activations and a cheap proxy for the full network). With
    gradients off (evaluation) it returns ``sum_c L_c``.

    Parameters
    ----------
    loss : callable (logits, target) -> Tensor of shape (batch,)
        A per-sample loss, e.g. ``FocalLoss(reduction="none")`` or
        ``partial(F.cross_entropy, reduction="none")``.
    params : iterable of Tensor, default=None
        Parameters the gradient norms are measured on; ``None`` measures them on the logits.
    ignore_index : int, default=-100
        Rows with this target are left out.
    eps : float, default=1e-12
        Added to each norm so a class the model already fits perfectly does not divide by 0.
    """

    def __init__(
        self,
        loss: Callable[[Tensor, Tensor], Tensor],
        params: Iterable[Tensor] | None = None,
        ignore_index: int = -100,
        eps: float = 1e-12,
    ) -> None:
        super().__init__()
        self.loss = loss
        self.params = None if params is None else list(params)
        self.ignore_index = ignore_index
        self.eps = eps

    def forward(self, logits: Tensor, target: Tensor) -> Tensor:
        per_sample = self.loss(logits, target)
        if per_sample.shape != target.shape:
            raise ValueError(
                "PerClassGradNormLoss needs a per-sample loss (reduction='none'); the wrapped "
                f"loss returned shape {tuple(per_sample.shape)} for targets {tuple(target.shape)}."
            )
        valid = target != self.ignore_index
        classes, codes = torch.unique(target[valid], return_inverse=True)
        counts = torch.bincount(codes, minlength=len(classes)).to(per_sample.dtype)
        class_loss = torch.zeros(len(classes), dtype=per_sample.dtype, device=per_sample.device)
        class_loss = class_loss.index_add(0, codes, per_sample[valid]) / counts
        value = class_loss.sum()
        if not (torch.is_grad_enabled() and per_sample.requires_grad):
            return value
        norms = self._class_grad_norms(logits, per_sample, valid, codes, counts, class_loss)
        scaled = (class_loss / (norms + self.eps)).sum()
        # Value of sum_c L_c, gradient of sum_c L_c / ||grad L_c||.
        return value.detach() + scaled - scaled.detach()

    def _class_grad_norms(
        self,
        logits: Tensor,
        per_sample: Tensor,
        valid: Tensor,
        codes: Tensor,
        counts: Tensor,
        class_loss: Tensor,
    ) -> Tensor:
        if self.params is None:
            # grad_z L_c has rows (1/n_c) d l_i / d z_i for the samples of class c, so one
            # backward pass of the summed loss gives every class's norm.
            (grad,) = torch.autograd.grad(per_sample.sum(), logits, retain_graph=True)
            row_sq = grad.reshape(len(grad), -1)[valid].pow(2).sum(dim=1)
            sq = torch.zeros_like(counts).index_add(0, codes, row_sq.to(counts))
            return sq.sqrt() / counts
        norms = []
        for loss_c in class_loss:
            grads = torch.autograd.grad(loss_c, self.params, retain_graph=True, allow_unused=True)
            square = sum((g.pow(2).sum() for g in grads if g is not None), class_loss.new_zeros(()))
            norms.append(square.sqrt())
        return torch.stack(norms).to(class_loss)
