"""Deep imbalanced regression for PyTorch: Balanced MSE, ConR, FDS, classification over bins.

The tabular side (relevance, SERA, samplers, weights, stratified batches) lives in
:mod:`skewlearn.regression` and needs no PyTorch; its :class:`StratifiedBatchSampler` is a
``batch_sampler`` for ``torch.utils.data.DataLoader`` as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from skewlearn.regression import lds_kernel_window

__all__ = [
    "BalancedMSELoss",
    "BinnedRegressionLoss",
    "FeatureDistributionSmoothing",
    "balanced_mse_loss",
    "bin_targets",
    "conr_loss",
    "target_bin_edges",
]


def _column(x: Tensor, name: str) -> Tensor:
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"{name} must have shape (batch,) or (batch, 1), got {tuple(x.shape)}.")
    return x


def balanced_mse_loss(pred: Tensor, target: Tensor, noise_var: Tensor | float) -> Tensor:
    r"""Balanced MSE, batch-based Monte Carlo (BMC) form.

    Each prediction is scored against every target of the batch as a Gaussian likelihood, and
    the loss is the cross-entropy of picking its own target:
    ``L = -(2 sigma^2) / B sum_i log softmax_j(-(pred_i - y_j)^2 / (2 sigma^2))_i``.
    The batch's targets stand in for the training label distribution, which Balanced MSE
    divides out, so frequent targets stop pulling predictions towards them. The factor
    ``2 sigma^2`` (not differentiated) keeps the gradient scale of an MSE.

    Parameters
    ----------
    pred, target : Tensor of shape (batch,) or (batch, 1)
    noise_var : Tensor or float
        ``sigma^2``, the label noise variance (a learnable parameter in
        :class:`BalancedMSELoss`).

    Returns
    -------
    Tensor
        The scalar loss.

    References
    ----------
    J. Ren, M. Zhang, C. Yu, Z. Liu, "Balanced MSE for imbalanced visual regression",
    CVPR 2022.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch.regression import balanced_mse_loss
    >>> loss = balanced_mse_loss(torch.tensor([0.0, 1.0]), torch.tensor([0.0, 1.0]), 0.5)
    >>> round(float(loss), 4)  # -log(1 / (1 + e^-1)) * 2 * 0.5
    0.3133
    """
    pred, target = _column(pred, "pred"), _column(target, "target")
    noise_var = torch.as_tensor(noise_var, dtype=pred.dtype, device=pred.device)
    logits = -((pred[:, None] - target[None, :]) ** 2) / (2 * noise_var)
    labels = torch.arange(pred.shape[0], device=pred.device)
    return F.cross_entropy(logits, labels) * (2 * noise_var).detach()


class BalancedMSELoss(nn.Module):
    """Balanced MSE (BMC) with a learnable noise scale sigma.

    Add the module's parameters to the optimiser (the paper gives sigma its own learning
    rate) so sigma is learnt with the model.

    Parameters
    ----------
    init_noise_sigma : float, default=1.0
        Starting value of sigma, in target units.
    learn_noise : bool, default=True
        Whether sigma is a trainable parameter.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch.regression import BalancedMSELoss
    >>> criterion = BalancedMSELoss(init_noise_sigma=1.0)
    >>> pred = torch.zeros(4, requires_grad=True)
    >>> criterion(pred, torch.tensor([0.0, 1.0, 2.0, 8.0])).backward()
    >>> pred.grad.shape
    torch.Size([4])
    """

    def __init__(self, init_noise_sigma: float = 1.0, learn_noise: bool = True):
        super().__init__()
        if not init_noise_sigma > 0:
            raise ValueError(f"init_noise_sigma must be positive, got {init_noise_sigma!r}.")
        sigma = torch.tensor(float(init_noise_sigma))
        if learn_noise:
            self.noise_sigma = nn.Parameter(sigma)
        else:
            self.register_buffer("noise_sigma", sigma)

    def forward(self, pred: Tensor, target: Tensor) -> Tensor:
        return balanced_mse_loss(pred, target, self.noise_sigma**2)


def conr_loss(
    features: Tensor,
    target: Tensor,
    pred: Tensor,
    *,
    window: float = 1.0,
    temperature: float = 0.2,
    pushing: float = 0.01,
    weights: Tensor | None = None,
) -> Tensor:
    r"""ConR: contrastive regularisation of features for imbalanced regression.

    With normalised features ``q`` and ``s_ij = q_i . q_j / temperature``, anchor ``i`` has
    positives ``P(i) = {j != i : |y_i - y_j| <= window}`` and negatives
    ``N(i) = {k : |y_i - y_k| > window and |pred_i - pred_k| <= window}`` (samples the model
    confuses with the anchor although their labels differ). Negatives are pushed harder the
    farther their labels: ``omega_ik = exp(pushing * |y_i - y_k|)``. Then
    ``L_i = -1/|P(i)| sum_{j in P(i)} log(exp(s_ij) / (sum_{p in P(i)} exp(s_ip) +
    sum_{k in N(i)} omega_ik exp(s_ik)))``; anchors without positives or negatives add 0 and
    ``L`` is the (weighted) mean over the batch. Add ``lambda * L`` to the regression loss.

    Parameters
    ----------
    features : Tensor of shape (batch, dim)
        The encoder's features.
    target, pred : Tensor of shape (batch,) or (batch, 1)
        Labels and current predictions (predictions are only compared, not differentiated).
    window : float, default=1.0
        Label (and prediction) similarity window, in target units.
    temperature : float, default=0.2
    pushing : float, default=0.01
        ``e`` of the pushing weight.
    weights : Tensor of shape (batch,), default=None
        Per-anchor weights (e.g. :func:`skewlearn.regression.lds_weight`); they also scale the
        pushing weights, as in the paper.

    Returns
    -------
    Tensor
        The scalar regulariser.

    References
    ----------
    M. Keramati, L. Meng, R. D. Evans, "ConR: Contrastive regularizer for deep imbalanced
    regression", ICLR 2024.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch.regression import conr_loss
    >>> features = torch.randn(8, 4, requires_grad=True)
    >>> y = torch.tensor([0.0, 0.2, 0.4, 5.0, 5.1, 9.0, 9.2, 9.4])
    >>> conr_loss(features, y, torch.full((8,), 5.0), window=0.5).backward()
    >>> features.grad.shape
    torch.Size([8, 4])
    """
    target, pred = _column(target, "target"), _column(pred, "pred").detach()
    q = F.normalize(features, dim=1)
    logits = q @ q.T / temperature
    label_gap = (target[:, None] - target[None, :]).abs()
    eye = torch.eye(len(target), dtype=torch.bool, device=features.device)
    positive = (label_gap <= window) & ~eye
    negative = (label_gap > window) & ((pred[:, None] - pred[None, :]).abs() <= window)
    anchor_weight = torch.ones_like(target) if weights is None else _column(weights, "weights")
    push = anchor_weight[:, None] * torch.exp(pushing * label_gap)
    # Masked log-sum-exp of the denominator, stable for large similarities.
    shift = logits.max(dim=1, keepdim=True).values.detach()
    exp = torch.exp(logits - shift)
    denominator = (exp * positive).sum(1) + (push * exp * negative).sum(1)
    active = positive.any(1) & negative.any(1)
    log_prob = (logits - shift) - torch.log(denominator.clamp_min(1e-30))[:, None]
    per_anchor = -(log_prob * positive).sum(1) / positive.sum(1).clamp_min(1)
    return (anchor_weight * per_anchor * active).mean()


def target_bin_edges(
    target: Tensor | np.ndarray | Sequence[float], n_bins: int, strategy: str = "uniform"
) -> Tensor:
    """Edges of ``n_bins`` target bins: equal width (``"uniform"``) or equal count
    (``"quantile"``).

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch.regression import target_bin_edges
    >>> target_bin_edges(torch.tensor([0.0, 10.0]), 5).tolist()
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    """
    values = torch.as_tensor(np.asarray(target, dtype=np.float64)).flatten()
    if not isinstance(n_bins, int) or n_bins < 1:
        raise ValueError(f"n_bins must be an int >= 1, got {n_bins!r}.")
    if strategy == "uniform":
        return torch.linspace(float(values.min()), float(values.max()), n_bins + 1)
    if strategy == "quantile":
        return torch.unique(torch.quantile(values, torch.linspace(0, 1, n_bins + 1).double()))
    raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}.")


def bin_targets(target: Tensor, edges: Tensor) -> Tensor:
    """Bin index of each target (values beyond the ends go to the end bins)."""
    edges = edges.to(target.device, target.dtype)
    inner = edges[1:-1].contiguous()
    return torch.bucketize(_column(target, "target").contiguous(), inner, right=True)


class BinnedRegressionLoss(nn.Module):
    """Regression loss plus a classification loss over target bins.

    ``L = L_reg(pred, y) + cls_weight * CE(logits, bin(y))`` for a network with a regression
    head and a classification head over the bins. Pintea et al. show why the extra
    classification task helps most when the data are imbalanced: it keeps the features
    informative about rare target ranges.

    Parameters
    ----------
    edges : Tensor of shape (n_bins + 1,)
        Bin edges, e.g. from :func:`target_bin_edges`.
    cls_weight : float, default=1.0
        Weight of the classification term.
    regression_loss : callable, default=torch.nn.functional.mse_loss
        ``(pred, target) -> scalar``.

    References
    ----------
    S. L. Pintea, Y. Lin, J. Dijkstra, J. C. van Gemert, "A step towards understanding why
    classification helps regression", ICCV 2023.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch.regression import BinnedRegressionLoss, target_bin_edges
    >>> y = torch.tensor([0.1, 0.5, 2.5, 9.0])
    >>> criterion = BinnedRegressionLoss(target_bin_edges(y, 3))
    >>> loss = criterion(y.clone(), torch.zeros(4, 3), y)  # perfect regression
    >>> round(float(loss), 4)  # CE of uniform logits over 3 bins = log 3
    1.0986
    """

    def __init__(
        self,
        edges: Tensor,
        cls_weight: float = 1.0,
        regression_loss: Callable[[Tensor, Tensor], Tensor] = F.mse_loss,
    ):
        super().__init__()
        edges = torch.as_tensor(edges, dtype=torch.float64)
        if edges.ndim != 1 or edges.numel() < 2 or not bool((edges.diff() > 0).all()):
            raise ValueError("edges must be at least two increasing values.")
        self.register_buffer("edges", edges)
        self.cls_weight = cls_weight
        self.regression_loss = regression_loss

    @property
    def n_bins(self) -> int:
        return self.edges.numel() - 1

    def forward(self, pred: Tensor, logits: Tensor, target: Tensor) -> Tensor:
        if logits.ndim != 2 or logits.shape[1] != self.n_bins:
            raise ValueError(
                f"logits must have shape (batch, {self.n_bins}), got {tuple(logits.shape)}."
            )
        target = _column(target, "target")
        regression = self.regression_loss(_column(pred, "pred"), target)
        return regression + self.cls_weight * F.cross_entropy(
            logits, bin_targets(target, self.edges)
        )


class FeatureDistributionSmoothing(nn.Module):
    """Feature distribution smoothing (FDS): calibrate features with smoothed bin statistics.

    During an epoch, :meth:`update` accumulates the mean and variance of the features of each
    target bin; :meth:`end_epoch` blends them into running statistics (``momentum``; the first
    epoch is taken as is), then smooths those across neighbouring bins with the LDS kernel
    (normalised to sum 1, edges reflected). In training mode, :meth:`forward` re-scales each
    feature to its bin's smoothed statistics,
    ``z~ = (z - mu_b) * clip(sqrt((var~_b + eps) / (var_b + eps)), 1/clip, clip) + mu~_b``,
    so rare bins borrow statistics from their neighbours; in eval mode it is the identity.

    Parameters
    ----------
    num_features : int
        Feature dimension.
    edges : Tensor of shape (n_bins + 1,)
        Target bin edges.
    kernel : {"gaussian", "triang", "laplace"}, default="gaussian"
    size : int, default=5
    sigma : float, default=2.0
        The smoothing window, see :func:`skewlearn.regression.lds_kernel_window`.
    momentum : float, default=0.9
        Weight of the old running statistics.
    clip : float, default=10.0
        Bound on the scale factor (and its inverse).
    eps : float, default=1e-6

    References
    ----------
    Y. Yang, K. Zha, Y.-C. Chen, H. Wang, D. Katabi, "Delving into deep imbalanced
    regression", ICML 2021.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch.regression import FeatureDistributionSmoothing
    >>> fds = FeatureDistributionSmoothing(4, torch.linspace(0, 10, 6))
    >>> z, y = torch.randn(32, 4), torch.rand(32) * 10
    >>> fds.update(z, y)
    >>> fds.end_epoch()
    >>> fds(z, y).shape
    torch.Size([32, 4])
    """

    def __init__(
        self,
        num_features: int,
        edges: Tensor,
        kernel: str = "gaussian",
        size: int = 5,
        sigma: float = 2.0,
        momentum: float = 0.9,
        clip: float = 10.0,
        eps: float = 1e-6,
    ):
        super().__init__()
        edges = torch.as_tensor(edges, dtype=torch.float64)
        if edges.ndim != 1 or edges.numel() < 2 or not bool((edges.diff() > 0).all()):
            raise ValueError("edges must be at least two increasing values.")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}.")
        window = torch.as_tensor(lds_kernel_window(kernel, size, sigma), dtype=torch.float32)
        n_bins = edges.numel() - 1
        self.momentum, self.clip, self.eps = momentum, clip, eps
        self.register_buffer("edges", edges)
        self.register_buffer("window", window / window.sum())
        for name in ("running_mean", "smoothed_mean", "_sum", "_sum_sq"):
            self.register_buffer(name, torch.zeros(n_bins, num_features))
        for name in ("running_var", "smoothed_var"):
            self.register_buffer(name, torch.ones(n_bins, num_features))
        self.register_buffer("_count", torch.zeros(n_bins))
        self.register_buffer("epochs", torch.zeros((), dtype=torch.long))

    @torch.no_grad()
    def update(self, features: Tensor, target: Tensor) -> None:
        """Add a batch's features to the current epoch's per-bin sums."""
        bins = bin_targets(target.to(torch.float64), self.edges)
        z = features.detach().to(self._sum.dtype)
        self._sum.index_add_(0, bins, z)
        self._sum_sq.index_add_(0, bins, z * z)
        self._count.index_add_(0, bins, torch.ones_like(bins, dtype=self._count.dtype))

    @torch.no_grad()
    def end_epoch(self) -> None:
        """Fold the epoch's statistics into the running ones and smooth them across bins."""
        seen = self._count > 0
        n = self._count[seen, None]
        mean = self._sum[seen] / n
        var = (self._sum_sq[seen] / n - mean**2).clamp_min(0) * n / (n - 1).clamp_min(1)
        keep = self.momentum if int(self.epochs) > 0 else 0.0
        self.running_mean[seen] = keep * self.running_mean[seen] + (1 - keep) * mean
        self.running_var[seen] = keep * self.running_var[seen] + (1 - keep) * var
        self.smoothed_mean.copy_(self._smooth(self.running_mean))
        self.smoothed_var.copy_(self._smooth(self.running_var))
        for buffer in (self._sum, self._sum_sq, self._count):
            buffer.zero_()
        self.epochs += 1

    def _smooth(self, stats: Tensor) -> Tensor:
        half = self.window.numel() // 2
        columns = stats.T[:, None, :]  # (features, 1, bins): one 1-D signal per feature
        if half:
            mode = "reflect" if stats.shape[0] > half else "replicate"
            columns = F.pad(columns, (half, half), mode=mode)
        return F.conv1d(columns, self.window.view(1, 1, -1))[:, 0, :].T

    def forward(self, features: Tensor, target: Tensor) -> Tensor:
        """Calibrated features in training mode (after the first epoch), else unchanged."""
        if not self.training or int(self.epochs) == 0:
            return features
        bins = bin_targets(target.to(torch.float64), self.edges)
        scale = torch.sqrt(
            (self.smoothed_var[bins] + self.eps) / (self.running_var[bins] + self.eps)
        )
        scale = scale.clamp(1 / self.clip, self.clip)
        return (features - self.running_mean[bins]) * scale + self.smoothed_mean[bins]
