"""scikit-learn's estimator contract on every decision-layer classifier."""

from sklearn.linear_model import LogisticRegression

from estimator_checks import parametrize_estimator_checks
from skewlearn.decision import (
    BiasCorrectedClassifier,
    CalibratedClassifier,
    DecisionTunedClassifier,
    LogitAdjustedClassifier,
    PriorCorrectedClassifier,
)

ESTIMATORS = [
    DecisionTunedClassifier(LogisticRegression(), cv=2),
    PriorCorrectedClassifier(LogisticRegression()),
    LogitAdjustedClassifier(LogisticRegression(), tau="cv", cv=2),
    BiasCorrectedClassifier(LogisticRegression(), random_state=0),
    CalibratedClassifier(LogisticRegression(), cv=2),
]


@parametrize_estimator_checks(ESTIMATORS)
def test_contract(estimator, check):
    check(estimator)
