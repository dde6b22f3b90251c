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
        if self.params is None and logits.ndim == 2 and not target.is_floating_point():
            return self._on_logits(logits, target, per_sample)
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

    def _on_logits(self, logits: Tensor, target: Tensor, per_sample: Tensor) -> Tensor:
        """Norms on the logits of class-index targets, with no host synchronisation.

        Classes are the logits' columns, so per-class sums are fixed-size scatter-adds instead
        of ``unique`` and boolean-mask indexing, whose data-dependent shapes make the host wait
        for the device. ``sum_c L_c / (||grad L_c|| + eps)`` with the norms held constant is
        ``sum_i s_{y_i} l_i`` with ``s_c = 1 / (n_c (||grad L_c|| + eps))``: the same gradient
        as the general path, from one backward pass of the weighted per-sample losses. The
        norms still need the per-sample gradients first, so the wrapped loss is differentiated
        twice; this is the price of exact norms for an arbitrary per-sample loss.
        """
        valid = target != self.ignore_index
        safe = target.clamp(0, logits.shape[1] - 1)
        counts = per_sample.new_zeros(logits.shape[1]).index_add_(0, safe, valid.to(per_sample))
        # Empty classes have a zero sum; dividing by 1 keeps their L_c at 0 and finite.
        inv_counts = 1 / counts.clamp_min(1)
        kept = torch.where(valid, per_sample, 0.0)
        if not (torch.is_grad_enabled() and per_sample.requires_grad):
            return (kept * inv_counts[safe]).sum()
        # grad_z L_c has rows (1/n_c) d l_i / d z_i for the samples of class c, so one
        # backward pass of the summed loss gives every class's norm.
        (grad,) = torch.autograd.grad(kept.sum(), logits, retain_graph=True)
        row_sq = torch.linalg.vector_norm(grad, dim=1).square()
        norms = per_sample.new_zeros(logits.shape[1]).index_add_(0, safe, row_sq).sqrt()
        sample_scale = (inv_counts / (norms * inv_counts + self.eps))[safe]
        value = (kept.detach() * inv_counts[safe]).sum()
        scaled = (kept * sample_scale).sum()
        # Value of sum_c L_c, gradient of sum_c L_c / ||grad L_c||.
        return value + (scaled - scaled.detach())

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
