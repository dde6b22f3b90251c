"""Small estimators with known outputs, shared by the decision-layer tests."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin


class OracleClassifier(ClassifierMixin, BaseEstimator):
    """Binary classifier whose positive-class probability is the first feature, unchanged.

    Calibrated by construction when ``y ~ Bernoulli(X[:, 0])``.
    """

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict_proba(self, X):
        p = np.asarray(X, dtype=float)[:, 0]
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]


@pytest.fixture
def oracle():
    """An unfitted :class:`OracleClassifier`."""
    return OracleClassifier()
