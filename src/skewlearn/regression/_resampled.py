"""A regressor fitted on a resampled copy of its training data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.linear_model import LinearRegression
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import HasMethods, fit_context
from ._smoter import SMOTER
from ._weighted import _check_y


class ResampledRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Resample the training data with a regression sampler, then fit a regressor.

    ``fit`` runs ``sampler.fit_resample(X, y)`` on a clone of the sampler and fits a clone of
    the regressor on the result (with ``sample_weight``, on the resampled weights too);
    ``predict`` only calls the fitted regressor, so the rows it scores are never resampled.
    Inside ``cross_validate`` or a grid search, resampling thus happens on training folds only.

    Missing or infinite values in ``X`` are refused, in ``fit`` and in ``predict`` alike, when
    the sampler does not accept them (none of ours does: new rows are built from the values of
    existing ones); impute them first, e.g. ``make_pipeline(SimpleImputer(),
    ResampledRegressor(...))``.

    Parameters
    ----------
    regressor : estimator, default=None
        Any regressor; None for ``LinearRegression()``.
    sampler : object with ``fit_resample``, default=None
        A regression sampler; None for ``SMOTER()``.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampler: its clone gets ``random_state`` when this is not None and it has
        that parameter (the default ``SMOTER()`` does); None leaves the sampler's own seed.

    Attributes
    ----------
    sampler_ : object
        The fitted clone of ``sampler``.
    regressor_ : estimator
        The fitted clone of ``regressor``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skewlearn.regression import SMOGN, ResampledRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2))
    >>> y = np.exp(2 * X[:, 0])
    >>> model = ResampledRegressor(DecisionTreeRegressor(max_depth=4), SMOGN(random_state=0))
    >>> cross_val_score(model, X, y, cv=3).shape
    (3,)
    """

    _parameter_constraints: dict = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "sampler": [HasMethods(["fit_resample"]), None],
        "random_state": ["random_state"],
    }

    def __init__(self, regressor=None, sampler=None, *, random_state=None):
        self.regressor = regressor
        self.sampler = sampler
        self.random_state = random_state

    # Not skipped for nested fits: the sampler and regressor check the parameters given them.
    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Resample ``(X, y)`` and fit the regressor on the result.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Resampled with the rows (``sampler.fit_resample(X, y, sample_weight=...)``: kept
            rows keep theirs, new rows take their seed row's) and passed to the regressor's
            ``fit``.

        Returns
        -------
        self
        """
        y = _check_y(self, y)
        sampler = SMOTER() if self.sampler is None else clone(self.sampler)
        if self.random_state is not None and "random_state" in sampler.get_params(deep=False):
            sampler.set_params(random_state=self.random_state)
        if not _allows_nan(sampler):
            _check_finite(X, f"{type(sampler).__name__} cannot resample rows that hold them")
        regressor = LinearRegression() if self.regressor is None else clone(self.regressor)
        if sample_weight is None:
            X_res, y_res = sampler.fit_resample(X, y)
            self.regressor_ = regressor.fit(X_res, y_res)
        else:
            X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=sample_weight)
            self.regressor_ = regressor.fit(X_res, y_res, sample_weight=w_res)
        self.sampler_ = sampler
        return self

    def predict(self, X):
        """Predictions of the fitted regressor."""
        check_is_fitted(self, "regressor_")
        if not _allows_nan(self.sampler_):
            # fit refused them, so the regressor never learnt what they mean
            _check_finite(
                X, f"the model was fitted without any ({type(self.sampler_).__name__} refuses them)"
            )
        return self.regressor_.predict(X)

    @property
    def n_features_in_(self) -> int:
        """Number of features seen by the fitted regressor."""
        check_is_fitted(self, "regressor_")
        return self.regressor_.n_features_in_

    @property
    def feature_names_in_(self) -> np.ndarray:
        """Feature names seen by the fitted regressor (only for DataFrames with str names)."""
        check_is_fitted(self, "regressor_")
        return self.regressor_.feature_names_in_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        sampler = SMOTER() if self.sampler is None else self.sampler
        regressor = LinearRegression() if self.regressor is None else self.regressor
        tags.input_tags.allow_nan = _allows_nan(sampler) and _allows_nan(regressor)
        return tags


def _allows_nan(estimator) -> bool:
    # An object without scikit-learn tags makes no promise about NaN: assume it refuses them.
    try:
        return get_tags(estimator).input_tags.allow_nan
    except AttributeError:
        return False


def _non_finite(X) -> str | None:
    """``"NaN"`` or ``"infinite"`` when ``X`` holds such values, else None."""
    if isinstance(X, pd.DataFrame):
        if X.isna().to_numpy().any():
            return "NaN"
        numeric = X.select_dtypes("number").to_numpy(dtype=np.float64)
        return "infinite" if np.isinf(numeric).any() else None
    values = X.tocoo().data if sp.issparse(X) else np.asarray(X)
    if values.dtype.kind in "fc":
        if np.isnan(values).any():
            return "NaN"
        return "infinite" if np.isinf(values).any() else None
    if values.dtype == object and pd.isna(values).any():
        return "NaN"
    return None


def _check_finite(X, why: str) -> None:
    kind = _non_finite(X)
    if kind is not None:
        raise ValueError(
            f"X has {kind} values, which ResampledRegressor cannot take: {why}. Impute them "
            "first, e.g. make_pipeline(SimpleImputer(), ResampledRegressor(...))."
        )
