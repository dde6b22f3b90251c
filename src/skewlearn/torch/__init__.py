"""Deep long-tailed learning for PyTorch: losses, samplers, optimisers and post-hoc corrections.

Needs the ``torch`` extra (``pip install "skewlearn[torch]"``); nothing else in skewlearn
imports PyTorch.
"""

try:
    # torch.nn, not torch: a folder named torch on sys.path (e.g. a tests/torch directory)
    # would satisfy a bare ``import torch`` as an empty namespace package.
    import torch.nn  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without PyTorch
    raise ImportError(
        "skewlearn.torch needs PyTorch: pip install 'skewlearn[torch]' (or torch==2.13.0)."
    ) from exc

from ._losses import (
    AsymmetricLoss,
    AsymmetricSingleLabelLoss,
    AUCMarginLoss,
    BalancedSoftmaxLoss,
    FocalLoss,
    IIFLoss,
    LDAMLoss,
    LogitAdjustedLoss,
    PerClassGradNormLoss,
    SelfAdjustingDiceLoss,
    SigmoidFocalLoss,
    asymmetric_loss,
    asymmetric_single_label_loss,
    auc_margin_loss,
    balanced_softmax_loss,
    class_balanced_weights,
    drw_weights,
    focal_loss,
    iif_loss,
    iif_weights,
    ldam_loss,
    ldam_margins,
    logit_adjusted_loss,
    self_adjusting_dice_loss,
    sigmoid_focal_loss,
)
from ._optim import SAM, ImbSAM
from ._posthoc import (
    LogitAdjustment,
    adjust_logits,
    init_prior_bias_,
    max_norm_,
    retrain_classifier,
    tau_normalize_,
)
from ._samplers import ClassPowerSampler, ProgressiveClassSampler, ProgressiveDataExpansionSampler

__all__ = [
    "SAM",
    "AUCMarginLoss",
    "AsymmetricLoss",
    "AsymmetricSingleLabelLoss",
    "BalancedSoftmaxLoss",
    "ClassPowerSampler",
    "FocalLoss",
    "IIFLoss",
    "ImbSAM",
    "LDAMLoss",
    "LogitAdjustedLoss",
    "LogitAdjustment",
    "PerClassGradNormLoss",
    "ProgressiveClassSampler",
    "ProgressiveDataExpansionSampler",
    "SelfAdjustingDiceLoss",
    "SigmoidFocalLoss",
    "adjust_logits",
    "asymmetric_loss",
    "asymmetric_single_label_loss",
    "auc_margin_loss",
    "balanced_softmax_loss",
    "class_balanced_weights",
    "drw_weights",
    "focal_loss",
    "iif_loss",
    "iif_weights",
    "init_prior_bias_",
    "ldam_loss",
    "ldam_margins",
    "logit_adjusted_loss",
    "max_norm_",
    "retrain_classifier",
    "self_adjusting_dice_loss",
    "sigmoid_focal_loss",
    "tau_normalize_",
]
