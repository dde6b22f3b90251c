"""scikit-learn's and imbalanced-learn's contract checks on every sampler of ours."""

import skewlearn.resample as ours
from estimator_checks import parametrize_estimator_checks

SAMPLERS = [
    ours.TomekLinks(),
    ours.EditedNearestNeighbours(),
    ours.RepeatedEditedNearestNeighbours(),
    ours.AllKNN(),
    ours.NeighbourhoodCleaningRule(),
    ours.OneSidedSelection(random_state=0),
    ours.CondensedNearestNeighbour(random_state=0),
    ours.NearMiss(),
    ours.NearMiss(version=3),
    ours.SMOTE(random_state=0),
    ours.BorderlineSMOTE(random_state=0),
    ours.ADASYN(random_state=0),
    ours.SMOTEENN(random_state=0),
    ours.SMOTETomek(random_state=0),
]


@parametrize_estimator_checks(SAMPLERS)
def test_contract(estimator, check):
    check(estimator)
