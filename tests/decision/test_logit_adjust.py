"""LogitAdjustedClassifier: tau = 1 divides by the prior, tau = 0 is argmax, tau by CV."""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skewlearn import metrics
from skewlearn.decision import LogitAdjustedClassifier


def data():
    return make_classification(n_samples=900, n_classes=3, n_informative=4,
                               weights=[0.8, 0.15, 0.05], random_state=0)  # fmt: skip


def test_tau_one_is_division_by_training_prior_and_tau_zero_is_argmax():
    X, y = data()
    one = LogitAdjustedClassifier(LogisticRegression(), tau=1.0).fit(X, y)
    proba = one.estimator_.predict_proba(X)
    np.testing.assert_array_equal(one.predict(X), np.argmax(proba / one.prior_, axis=1))
    zero = LogitAdjustedClassifier(LogisticRegression(), tau=0.0).fit(X, y)
    np.testing.assert_array_equal(zero.predict(X), zero.estimator_.predict(X))


def test_tau_by_cv_is_on_the_grid_and_raises_balanced_accuracy():
    X, y = data()
    model = LogitAdjustedClassifier(LogisticRegression(), tau="cv", cv=3).fit(X, y)
    assert model.tau_ in model.cv_results_["tau"]
    assert model.tau_ > 0
    adjusted = metrics.balanced_accuracy(y, model.predict(X))
    assert adjusted > metrics.balanced_accuracy(y, model.estimator_.predict(X))


def test_binary_decision_function_sign_gives_prediction():
    X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    model = LogitAdjustedClassifier(LogisticRegression()).fit(X, y)
    np.testing.assert_array_equal(model.predict(X), (model.decision_function(X) > 0).astype(int))
