"""Post-hoc and two-stage corrections of a classifier head."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader, TensorDataset

from ._class_counts import CountsLike, class_priors
from ._losses._logit_adjusted import log_prior_offsets
from ._samplers import ClassPowerSampler


def adjust_logits(logits: Tensor, class_counts: CountsLike, tau: float = 1.0) -> Tensor:
    r"""Post-hoc logit adjustment ``z - tau log pi`` of a model trained with plain cross-entropy.

    Menon et al., "Long-Tail Learning via Logit Adjustment", ICLR 2021, eq. 8: ``argmax``
    of the adjusted logits estimates the balanced-error Bayes rule (``tau = 1``).

    Parameters
    ----------
    logits : Tensor of shape (n_samples, n_classes)
    class_counts : sequence or Tensor of shape (n_classes,)
        Training rows per class; their proportions are the prior ``pi``.
    tau : float, default=1.0
        Strength of the adjustment; 0 leaves the logits as they are.

    Returns
    -------
    adjusted : Tensor of shape (n_samples, n_classes)

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import adjust_logits
    >>> adjust_logits(torch.zeros(1, 2), [3, 1]).argmax(1).item()
    1
    """
    return logits - log_prior_offsets(class_counts, tau).to(logits)


class LogitAdjustment(nn.Module):
    """Layer applying :func:`adjust_logits`, to append to a trained model.

    ``nn.Sequential(model, LogitAdjustment(class_counts))`` predicts with the adjusted rule.

    Parameters
    ----------
    class_counts : sequence or Tensor of shape (n_classes,)
    tau : float, default=1.0
    """

    def __init__(self, class_counts: CountsLike, tau: float = 1.0) -> None:
        super().__init__()
        self.register_buffer("offsets", log_prior_offsets(class_counts, tau))

    def forward(self, logits: Tensor) -> Tensor:
        return logits - self.offsets.to(logits)


def _classifier_weight(layer: nn.Module) -> Tensor:
    weight = getattr(layer, "weight", None)
    if not isinstance(weight, Tensor) or weight.ndim != 2:
        raise TypeError(
            "expected a linear classifier with a 2-D weight of shape (n_classes, n_features), "
            f"got {type(layer).__name__}."
        )
    return weight


@torch.no_grad()
def tau_normalize_(layer: nn.Module, tau: float = 1.0) -> nn.Module:
    r"""Rescale each class's weight vector in place, ``w_c <- w_c / ||w_c||^tau``.

    Kang et al., "Decoupling Representation and Classifier for Long-Tailed Recognition",
    ICLR 2020, sec. 4.2: after instance-balanced training head classes have larger weight
    norms; ``tau = 1`` equalises them, ``tau = 0`` changes nothing. Kang et al. use a
    classifier without bias; a bias, if any, is left as is.

    Parameters
    ----------
    layer : torch.nn.Module
        The classifier layer (e.g. ``nn.Linear``), one weight row per class.
    tau : float, default=1.0
        Exponent of the norm the rows are divided by.

    Returns
    -------
    layer : torch.nn.Module
        The same layer, changed in place.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import tau_normalize_
    >>> layer = torch.nn.Linear(2, 2, bias=False)
    >>> with torch.no_grad():
    ...     _ = layer.weight.copy_(torch.tensor([[3.0, 4.0], [0.6, 0.8]]))
    >>> tau_normalize_(layer).weight.norm(dim=1).tolist()
    [1.0, 1.0]
    """
    weight = _classifier_weight(layer)
    norms = torch.linalg.vector_norm(weight, dim=1, keepdim=True)
    weight.div_(norms.clamp_min(torch.finfo(weight.dtype).tiny) ** tau)
    return layer


@torch.no_grad()
def max_norm_(layer: nn.Module, max_norm: float) -> nn.Module:
    r"""Project each class's weight vector onto the ball ``||w_c|| <= max_norm``, in place.

    MaxNorm of Alshammari, Wang, Ramanan and Kong, "Long-Tailed Recognition via Weight
    Balancing", CVPR 2022: call it after every optimiser step (projected gradient descent);
    with weight decay it keeps the per-class norms, and so the head's bias towards frequent
    classes, in check.

    Parameters
    ----------
    layer : torch.nn.Module
        The classifier layer (e.g. ``nn.Linear``), one weight row per class.
    max_norm : float
        Largest norm a class's weight row may keep; must be > 0.

    Returns
    -------
    layer : torch.nn.Module
        The same layer, changed in place.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import max_norm_
    >>> layer = torch.nn.Linear(2, 2, bias=False)
    >>> with torch.no_grad():
    ...     _ = layer.weight.copy_(torch.tensor([[3.0, 4.0], [0.6, 0.8]]))
    >>> [round(n, 4) for n in max_norm_(layer, 2.0).weight.norm(dim=1).tolist()]
    [2.0, 1.0]
    """
    if max_norm <= 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}.")
    weight = _classifier_weight(layer)
    weight.copy_(torch.renorm(weight, p=2, dim=0, maxnorm=max_norm))
    return layer


@torch.no_grad()
def init_prior_bias_(
    layer: nn.Module,
    class_counts: CountsLike,
    activation: str = "softmax",
    num_samples: int | None = None,
) -> nn.Module:
    r"""Set the last layer's bias to the class prior, in place.

    Softmax heads get ``b_c = log pi_c`` so the untrained model predicts the prior; sigmoid
    heads get ``b_c = -log((1 - pi_c) / pi_c)`` (Lin et al., ICCV 2017, sec. 4.1; Chen et al.,
    "Is Sampling Heuristics Necessary in Training Deep Object Detectors?" (Sampling-Free),
    IEEE TIP 2021). Early gradients then are not spent learning the prior, and with sigmoid
    heads the many negatives do not swamp the first steps.

    Parameters
    ----------
    layer : nn.Module with a ``bias`` of shape (n_classes,)
    class_counts : sequence or Tensor of shape (n_classes,)
    activation : {"softmax", "sigmoid"}, default="softmax"
    num_samples : int, default=None
        Number of training samples, for multi-label sigmoid heads where ``pi_c = n_c / N``
        does not sum to 1; defaults to the sum of the counts.

    Returns the layer.

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import init_prior_bias_
    >>> layer = init_prior_bias_(torch.nn.Linear(4, 2), [3, 1])
    >>> [round(p, 4) for p in torch.softmax(layer.bias, 0).tolist()]
    [0.75, 0.25]
    """
    if activation not in ("softmax", "sigmoid"):
        raise ValueError(f"activation must be 'softmax' or 'sigmoid', got {activation!r}.")
    bias = getattr(layer, "bias", None)
    if not isinstance(bias, Tensor):
        raise TypeError(f"{type(layer).__name__} has no bias to initialise.")
    priors = class_priors(class_counts, num_samples)
    if len(priors) != len(bias):
        raise ValueError(f"{len(priors)} class counts for a bias of {len(bias)} classes.")
    values = torch.log(priors) if activation == "softmax" else torch.logit(priors)
    bias.copy_(values.to(bias))
    return layer


def retrain_classifier(
    classifier: nn.Module,
    features: Tensor,
    labels: Tensor,
    *,
    epochs: int = 10,
    batch_size: int = 128,
    lr: float = 0.1,
    momentum: float = 0.9,
    weight_decay: float = 5e-4,
    q: float = 0.0,
    loss: Callable[[Tensor, Tensor], Tensor] = F.cross_entropy,
    reset: bool = True,
    generator: torch.Generator | None = None,
) -> nn.Module:
    r"""Classifier re-training (cRT) on frozen features with class-balanced sampling.

    Kang et al., "Decoupling Representation and Classifier for Long-Tailed Recognition",
    ICLR 2020, sec. 4.1: learn the representation with ordinary instance-balanced training,
    then re-initialise the classifier and train only it, on the frozen features, with
    class-balanced sampling (:class:`ClassPowerSampler` with ``q = 0``). SGD with momentum and
    a cosine learning-rate schedule, as in the paper.

    Parameters
    ----------
    classifier : nn.Module
        The head, e.g. the model's last ``nn.Linear``; trained in place.
    features : Tensor of shape (n_samples, ...)
        The backbone's outputs on the training set, computed once with gradients off.
    labels : Tensor of shape (n_samples,)
    epochs, batch_size, lr, momentum, weight_decay : training settings
    q : float, default=0.0
        Sampling exponent (0 class-balanced, 1/2 square-root).
    loss : callable, default=F.cross_entropy
    reset : bool, default=True
        Re-initialise the classifier first (``reset_parameters``), as the paper does.
    generator : torch.Generator, default=None
        Fixes the sampling order.

    Returns the classifier.
    """
    if reset:
        if not hasattr(classifier, "reset_parameters"):
            raise TypeError(
                f"{type(classifier).__name__} has no reset_parameters(); pass reset=False to "
                "fine-tune it as it is."
            )
        classifier.reset_parameters()
    features = features.detach()
    sampler = ClassPowerSampler(labels, q=q, generator=generator)
    loader = DataLoader(TensorDataset(features, labels), batch_size=batch_size, sampler=sampler)
    optimizer = torch.optim.SGD(
        classifier.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay
    )
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(loader))
    classifier.train()
    for _ in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss(classifier(x), y).backward()
            optimizer.step()
            schedule.step()
    return classifier
