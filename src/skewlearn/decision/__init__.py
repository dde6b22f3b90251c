"""Decide: decision rules on top of any probabilistic classifier.

Threshold and per-class offset tuning for a metric or a cost matrix, prior correction after
resampling, logit adjustment, BiC-style bias correction, and calibration with a before/after
report.
"""

from ._bias import BiasCorrectedClassifier
from ._calibration import CalibratedClassifier
from ._logit_adjust import LogitAdjustedClassifier
from ._prior import PriorCorrectedClassifier, correct_prior
from ._tuned import DecisionTunedClassifier, bayes_threshold

__all__ = [
    "BiasCorrectedClassifier",
    "CalibratedClassifier",
    "DecisionTunedClassifier",
    "LogitAdjustedClassifier",
    "PriorCorrectedClassifier",
    "bayes_threshold",
    "correct_prior",
]
