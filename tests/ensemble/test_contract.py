"""scikit-learn's estimator contract on every ensemble (small, seeded instances)."""

import pytest
from sklearn.utils.estimator_checks import check_param_validation

from estimator_checks import parametrize_estimator_checks
from skewlearn.ensemble import (
    AdaCostClassifier,
    AdaUBoostClassifier,
    AsymBoostClassifier,
    BalanceCascadeClassifier,
    EasyEnsembleClassifier,
    OverBaggingClassifier,
    OverBoostClassifier,
    RUSBoostClassifier,
    SelfPacedEnsembleClassifier,
    SMOTEBaggingClassifier,
    SMOTEBoostClassifier,
    UnderBaggingClassifier,
)

ESTIMATORS = [
    SelfPacedEnsembleClassifier(n_estimators=4, random_state=0),
    BalanceCascadeClassifier(n_estimators=4, random_state=0),
    UnderBaggingClassifier(n_estimators=4, random_state=0),
    OverBaggingClassifier(n_estimators=4, random_state=0),
    SMOTEBaggingClassifier(n_estimators=3, random_state=0),
    RUSBoostClassifier(n_estimators=4, random_state=0),
    OverBoostClassifier(n_estimators=4, random_state=0),
    SMOTEBoostClassifier(n_estimators=3, random_state=0),
    AdaCostClassifier(n_estimators=4, random_state=0),
    AdaUBoostClassifier(n_estimators=4, random_state=0),
    AsymBoostClassifier(n_estimators=4, random_state=0),
    # re-exported from imbalanced-learn: kept only while it passes on every supported version
    EasyEnsembleClassifier(n_estimators=3, random_state=0),
]


@parametrize_estimator_checks(ESTIMATORS)
def test_estimator_contract(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    "estimator",
    [estimator for estimator in ESTIMATORS if type(estimator).__module__.startswith("skewlearn")],
    ids=lambda estimator: type(estimator).__name__,
)
def test_parameter_constraints(estimator):
    # One constraint per parameter, and a bad type or value of any of them fails in fit
    # with scikit-learn's message naming the parameter and what it accepts.
    check_param_validation(type(estimator).__name__, estimator)
