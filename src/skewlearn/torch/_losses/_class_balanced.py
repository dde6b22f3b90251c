"""Class-balanced weights from the effective number of samples (Cui et al., CVPR 2019)."""

from __future__ import annotations

import torch
from torch import Tensor

from .._class_counts import CountsLike, as_class_counts


def class_balanced_weights(class_counts: CountsLike, beta: float = 0.9999) -> Tensor:
    r"""Per-class weights ``w_c ∝ (1 - beta) / (1 - beta^{n_c})``, for any loss's ``weight``.

    Cui, Jia, Lin, Song and Belongie, "Class-Balanced Loss Based on Effective Number of
    Samples", CVPR 2019: a class of ``n_c`` samples is worth ``E_{n_c} = (1 - beta^{n_c}) /
    (1 - beta)`` effective samples and is weighted by ``1 / E_{n_c}``. As in the paper the
    weights are scaled to sum to the number of classes. ``beta = 0`` gives equal weights and
    ``beta -> 1`` inverse class frequency. Classes with no samples get weight 0 (they never
    appear as a target) and are left out of the scaling.

    Pass the result as ``weight=`` to any loss here or to ``F.cross_entropy``,
    ``F.binary_cross_entropy_with_logits`` and the like. Their ``"mean"`` divides by the
    batch's summed weights (PyTorch's rule); the paper averages ``w_y l`` over the batch, i.e.
    ``(loss(..., reduction="none") * w[y]).mean()``, which is steadier when a batch holds a
    single tail sample with a large weight.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
        Training samples per class.
    beta : float, default=0.9999
        In [0, 1); the paper uses 0.9, 0.99, 0.999 or 0.9999 (larger for larger datasets).

    Returns
    -------
    weights : Tensor of shape (n_classes,), float32

    Examples
    --------
    >>> from skewlearn.torch import class_balanced_weights
    >>> [round(w, 4) for w in class_balanced_weights([100, 10, 1], beta=0.9).tolist()]
    [0.2393, 0.3674, 2.3932]
    """
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must lie in [0, 1), got {beta}.")
    counts = as_class_counts(class_counts, allow_zero=True)
    present = counts > 0
    if beta == 0.0:
        raw = present.to(torch.float64)
    else:
        # -expm1(n log beta) is 1 - beta^n without cancellation when beta is close to 1.
        effective = -torch.expm1(counts * torch.log(torch.tensor(beta, dtype=torch.float64)))
        raw = torch.where(present, (1.0 - beta) / effective.clamp_min(1e-300), 0.0)
    return (raw * present.sum() / raw.sum()).to(torch.float32)
