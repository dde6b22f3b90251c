"""Losses for long-tailed and imbalanced deep learning, each as a function and a module."""

from ._asymmetric import (
    AsymmetricLoss,
    AsymmetricSingleLabelLoss,
    asymmetric_loss,
    asymmetric_single_label_loss,
)
from ._auc_margin import AUCMarginLoss, auc_margin_loss
from ._class_balanced import class_balanced_weights
from ._dice import SelfAdjustingDiceLoss, self_adjusting_dice_loss
from ._focal import FocalLoss, SigmoidFocalLoss, focal_loss, sigmoid_focal_loss
from ._grad_norm import PerClassGradNormLoss
from ._iif import IIFLoss, iif_loss, iif_weights
from ._ldam import LDAMLoss, drw_weights, ldam_loss, ldam_margins
from ._logit_adjusted import (
    BalancedSoftmaxLoss,
    LogitAdjustedLoss,
    balanced_softmax_loss,
    logit_adjusted_loss,
)

__all__ = [
    "AUCMarginLoss",
    "AsymmetricLoss",
    "AsymmetricSingleLabelLoss",
    "BalancedSoftmaxLoss",
    "FocalLoss",
    "IIFLoss",
    "LDAMLoss",
    "LogitAdjustedLoss",
    "PerClassGradNormLoss",
    "SelfAdjustingDiceLoss",
    "SigmoidFocalLoss",
    "asymmetric_loss",
    "asymmetric_single_label_loss",
    "auc_margin_loss",
    "balanced_softmax_loss",
    "class_balanced_weights",
    "drw_weights",
    "focal_loss",
    "iif_loss",
    "iif_weights",
    "ldam_loss",
    "ldam_margins",
    "logit_adjusted_loss",
    "self_adjusting_dice_loss",
    "sigmoid_focal_loss",
]
