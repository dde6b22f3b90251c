"""Input preparation and the ``reduction`` rules shared by every loss."""

from __future__ import annotations

import torch
from torch import Tensor

REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}.")


def upcast(logits: Tensor) -> Tensor:
    """Half-precision logits in float32: the logs, powers and sums of the losses below lose
    too many digits in float16/bfloat16, as autocast does for PyTorch's own losses."""
    if logits.dtype in (torch.float16, torch.bfloat16):
        return logits.float()
    return logits


def pow_clamped(base: Tensor, exponent: float) -> Tensor:
    """``base ** exponent`` for ``base`` in [0, 1] with a finite gradient at ``base = 0``.

    For ``exponent < 1`` the derivative of ``x ** exponent`` is infinite at 0, and 0 is reached
    in floating point by saturated logits; clamping to the smallest normal number keeps the
    value (tiny ** exponent is ~0) and stops that gradient. For ``exponent >= 1`` the gradient
    at 0 is finite already, so the clamp (a kernel and its backward) is skipped: the value
    differs from the clamped one by at most ``tiny``.
    """
    if exponent == 0:
        return torch.ones_like(base)
    if exponent == 1:
        return base
    if exponent < 1:
        base = base.clamp_min(torch.finfo(base.dtype).tiny)
    return base**exponent


def check_class_targets(target: Tensor) -> None:
    if target.ndim != 1 or target.is_floating_point():
        raise ValueError(
            "single-label losses take class indices of shape (batch,) and integer dtype, got "
            f"shape {tuple(target.shape)} and dtype {target.dtype}."
        )


def index_targets(target: Tensor, n_classes: int) -> Tensor:
    """Class indices safe to index with, in one kernel: ignored rows get an arbitrary class.

    Only for callers that zero ignored rows by other means (``F.nll_loss``'s ``ignore_index``
    or a mask).
    """
    return target.clamp(0, n_classes - 1)


def reduce_rows(
    loss: Tensor,
    target: Tensor,
    weight: Tensor | None,
    ignore_index: int,
    reduction: str,
) -> Tensor:
    """Reduce per-sample losses, already 0 on ignored rows, as ``F.cross_entropy`` does.

    Sample ``i`` counts with weight ``w_{y_i}`` (1 without ``weight``, 0 when ignored);
    ``"mean"`` is ``sum_i w_{y_i} l_i / sum_i w_{y_i}``, so an unweighted loss with no ignored
    rows is the plain batch mean and weighted losses match PyTorch's convention. Without
    ``weight`` no per-row weight vector or mask is built (fewer kernels).
    """
    if weight is None:
        if reduction == "none":
            return loss
        if reduction == "sum":
            return loss.sum()
        return loss.sum() / (target != ignore_index).sum()
    valid = target != ignore_index
    w = torch.where(valid, weight.to(loss)[index_targets(target, len(weight))], 0.0)
    weighted = loss * w
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / w.sum()


def reduce_elements(loss: Tensor, weight: Tensor | None, reduction: str) -> Tensor:
    """Reduce element-wise (multi-label or binary) losses as ``F.binary_cross_entropy`` does:
    per-class ``weight`` broadcast over the last dimension, ``"mean"`` over all elements."""
    if weight is not None:
        loss = loss * weight.to(loss)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean()


def weight_buffer(weight: Tensor | None) -> Tensor | None:
    """Per-class weights as a float tensor, registered as a buffer so ``.to(device)`` moves it."""
    return None if weight is None else torch.as_tensor(weight, dtype=torch.float32)
