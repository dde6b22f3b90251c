"""BiasCorrectedClassifier: two parameters on a balanced held-out split, chosen classes only."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skewlearn import metrics
from skewlearn.decision import BiasCorrectedClassifier
from skewlearn.decision._bias import fit_bias


def test_fit_bias_recovers_a_known_shift():
    rng = np.random.default_rng(0)
    z_true = rng.normal(size=(4000, 3)) * 2
    y = np.array([rng.choice(3, p=np.exp(z) / np.exp(z).sum()) for z in z_true])
    biased = z_true.copy()
    biased[:, 2] = (z_true[:, 2] - 1.5) / 2.0  # the rare class's logits shrunk and lowered
    alpha, beta = fit_bias(biased, y, np.array([False, False, True]))
    assert alpha == pytest.approx(2.0, abs=0.25)
    assert beta == pytest.approx(1.5, abs=0.25)


def test_rare_classes_are_corrected_and_balanced_accuracy_improves():
    X, y = make_classification(n_samples=3000, n_classes=3, n_informative=4,
                               weights=[0.85, 0.1, 0.05], random_state=0)  # fmt: skip
    X_te, y_te = X[2000:], y[2000:]
    model = BiasCorrectedClassifier(LogisticRegression(), random_state=0).fit(X[:2000], y[:2000])
    assert model.corrected_classes_.tolist() == [1, 2]
    assert model.n_validation_ % 3 == 0  # balanced held-out split
    np.testing.assert_allclose(model.predict_proba(X_te).sum(axis=1), 1.0)
    corrected = metrics.balanced_accuracy(y_te, model.predict(X_te))
    assert corrected > metrics.balanced_accuracy(y_te, model.estimator_.predict(X_te))


def test_chosen_classes_only_and_unknown_class_error():
    X, y = make_classification(n_samples=400, n_classes=3, n_informative=4, random_state=0)
    model = BiasCorrectedClassifier(LogisticRegression(), classes=[0], random_state=0).fit(X, y)
    z = np.log(model.estimator_.predict_proba(X))
    np.testing.assert_allclose(model.decision_function(X)[:, 1:], z[:, 1:])
    with pytest.raises(ValueError, match="not in y"):
        BiasCorrectedClassifier(LogisticRegression(), classes=[7]).fit(X, y)
