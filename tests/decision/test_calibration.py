"""CalibratedClassifier: out-of-fold Brier and log-loss before and after calibration."""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.naive_bayes import GaussianNB

from skewlearn.decision import CalibratedClassifier
from skewlearn.decision._calibration import brier


def test_calibrating_naive_bayes_lowers_log_loss_out_of_fold():
    X, y = make_classification(n_samples=1500, n_informative=3, n_redundant=6, weights=[0.8],
                               random_state=0)  # fmt: skip
    model = CalibratedClassifier(GaussianNB(), cv=3).fit(X, y)
    results = model.cv_results_
    assert results["brier_before"].shape == (3,)
    assert results["mean_log_loss_after"] < results["mean_log_loss_before"]
    assert results["mean_brier_after"] < results["mean_brier_before"]
    assert model.improves_
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)


def test_brier_matches_registry_binary_and_multiclass():
    from skewlearn import metrics

    rng = np.random.default_rng(0)
    for k in (2, 3):
        proba = rng.dirichlet(np.ones(k), 50)
        y = rng.integers(0, k, 50)
        expected = metrics.brier(y, proba, labels=np.arange(k))
        assert np.isclose(brier(y, proba), expected)
