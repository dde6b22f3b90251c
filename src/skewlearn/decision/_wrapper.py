"""What every decision-layer classifier shares: it wraps a fitted ``estimator_`` and re-decides.

The wrapped estimator validates ``X`` itself (it may be a pipeline taking a DataFrame with
text columns), so the wrapper only checks the target and delegates the input description.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

from skewlearn._sklearn_compat import check_single_output


def _estimator_has(method: str):
    def check(self) -> bool:
        fitted = getattr(self, "estimator_", None)
        return hasattr(fitted if fitted is not None else self.estimator, method)

    return check


class DecisionWrapper(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Base of the decision-layer meta-estimators (not public)."""

    def _check_Xy(self, X, y):
        """Return ``X`` (lists made arrays, sparse made CSR so rows can be taken), ``y`` as a
        1d array, its classes and class indices."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        if sparse.issparse(X):
            X = X.tocsr()
        elif not (hasattr(X, "iloc") or isinstance(X, np.ndarray)):
            X = np.asarray(X)
        check_single_output(y, type(self).__name__)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        classes, y_index = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 classes in y; got 1 class "
                f"({classes.tolist()})."
            )
        if len(y) != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {len(y)} values.")
        self.classes_ = classes
        return X, y, classes, y_index

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of the wrapped estimator, unchanged.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the wrapped estimator."""
        return self.estimator_.n_features_in_

    @property
    def feature_names_in_(self) -> np.ndarray:
        """Feature names seen by the wrapped estimator (when fitted on a DataFrame)."""
        return self.estimator_.feature_names_in_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.string = inner.input_tags.string
        tags.input_tags.categorical = inner.input_tags.categorical
        return tags
