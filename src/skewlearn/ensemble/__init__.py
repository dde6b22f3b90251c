"""Imbalance ensembles: self-paced, cascade, sampler bagging and boosting, cost-sensitive boosting.

``EasyEnsembleClassifier`` is ours (imbalanced-learn's sampling and defaults, AdaBoost members),
so that it fits on Dask collections like the other under-sampling ensembles; it has no
``warm_start`` or ``verbose``. imbalanced-learn's ``BalancedRandomForestClassifier`` is not
re-exported: it fails the sample-weight equivalence checks.
"""

from skewlearn.ensemble._bagging import (
    EasyEnsembleClassifier,
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
