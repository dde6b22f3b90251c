"""Imbalance ensembles: self-paced, cascade, sampler bagging and boosting, cost-sensitive boosting.

``EasyEnsembleClassifier`` is imbalanced-learn's, re-exported because it passes our contract
checks on the oldest and newest scikit-learn we support. imbalanced-learn's
``BalancedRandomForestClassifier`` is not: it fails the sample-weight equivalence checks.
"""

from imblearn.ensemble import EasyEnsembleClassifier

from skewlearn.ensemble._bagging import (
    OverBaggingClassifier,
    SMOTEBaggingClassifier,
    UnderBaggingClassifier,
)
from skewlearn.ensemble._boosting import (
    OverBoostClassifier,
    RUSBoostClassifier,
    SMOTEBoostClassifier,
)
from skewlearn.ensemble._cascade import BalanceCascadeClassifier
from skewlearn.ensemble._cost_boosting import (
    AdaCostClassifier,
    AdaUBoostClassifier,
    AsymBoostClassifier,
)
from skewlearn.ensemble._self_paced import SelfPacedEnsembleClassifier

__all__ = [
    "AdaCostClassifier",
    "AdaUBoostClassifier",
    "AsymBoostClassifier",
    "BalanceCascadeClassifier",
    "EasyEnsembleClassifier",
    "OverBaggingClassifier",
    "OverBoostClassifier",
    "RUSBoostClassifier",
    "SMOTEBaggingClassifier",
    "SMOTEBoostClassifier",
    "SelfPacedEnsembleClassifier",
    "UnderBaggingClassifier",
]
