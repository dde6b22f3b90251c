"""A regressor fitted with sample weights computed from its training targets."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted, column_or_1d, has_fit_parameter

from ._density_weights import dense_weight, inverse_density_weight, mdi_weight
from ._lds import lds_weight

_WEIGHTINGS: dict[str, Callable[..., np.ndarray]] = {
    "denseweight": dense_weight,
    "lds": lds_weight,
    "mdi": mdi_weight,
    "inverse_density": inverse_density_weight,
}


def get_weighting(name: str) -> Callable[..., np.ndarray]:
    """The weighting function of a name: ``"denseweight"``, ``"lds"``, ``"mdi"`` or
    ``"inverse_density"``.

    Examples
    --------
    >>> from skewlearn.regression import get_weighting
    >>> get_weighting("lds").__name__
    'lds_weight'
    """
    if name not in _WEIGHTINGS:
        raise ValueError(f"unknown weighting {name!r}; choose one of {sorted(_WEIGHTINGS)}.")
    return _WEIGHTINGS[name]


def _check_y(estimator, y) -> np.ndarray:
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None."
        )
    return column_or_1d(np.asarray(y, dtype=np.float64), warn=True)


class WeightedRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """Fit a regressor with sample weights that favour rare targets.

    ``fit`` computes ``w = weighting(y, **weighting_params)`` from the training targets only
    (times ``sample_weight`` when given) and fits a clone of ``regressor`` with it; ``predict``
    is the fitted regressor's. Inside cross-validation the weights therefore never see a test
    target.

    Parameters
    ----------
    regressor : estimator, default=None
        Any regressor whose ``fit`` takes ``sample_weight``, or a ``Pipeline`` whose last step
        does (the weights go to that step); None for ``LinearRegression()``.
    weighting : str or callable, default="denseweight"
        ``"denseweight"`` (:func:`dense_weight`), ``"lds"`` (:func:`lds_weight`), ``"mdi"``
        (:func:`mdi_weight`), ``"inverse_density"`` (:func:`inverse_density_weight`), or a
        callable ``y -> sample_weight``.
    weighting_params : dict, default=None
        Keyword arguments of the weighting, e.g. ``{"alpha": 0.5}``.

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    sample_weight_ : ndarray of shape (n_samples,)
        The weights it was fitted with.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skewlearn.regression import WeightedRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2))
    >>> y = np.exp(2 * X[:, 0])
    >>> model = WeightedRegressor(DecisionTreeRegressor(max_depth=3), "lds").fit(X, y)
    >>> model.predict(X[:2]).shape
    (2,)
    """

    def __init__(self, regressor=None, weighting="denseweight", weighting_params=None):
        self.regressor = regressor
        self.weighting = weighting
        self.weighting_params = weighting_params

    def fit(self, X, y, sample_weight=None):
        """Compute the weights from ``y`` and fit the regressor with them.

        Returns
        -------
        self
        """
        y = _check_y(self, y)
        weighting = self.weighting if callable(self.weighting) else get_weighting(self.weighting)
        regressor = LinearRegression() if self.regressor is None else clone(self.regressor)
        # A Pipeline routes the weights to its last step.
        name, final = (
            (f"{regressor.steps[-1][0]}__", regressor.steps[-1][1])
            if isinstance(regressor, Pipeline)
            else ("", regressor)
        )
        if not has_fit_parameter(final, "sample_weight"):
            raise TypeError(
                f"{type(final).__name__}.fit takes no sample_weight: choose a regressor "
                "that does, or use ResampledRegressor with a sampler instead."
            )
        weights = np.asarray(weighting(y, **(self.weighting_params or {})), dtype=np.float64)
        if sample_weight is not None:
            weights = weights * np.asarray(sample_weight, dtype=np.float64)
        self.sample_weight_ = weights
        self.regressor_ = regressor.fit(X, y, **{f"{name}sample_weight": weights})
        return self

    def predict(self, X):
        """Predictions of the fitted regressor."""
        check_is_fitted(self, "regressor_")
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
        regressor = LinearRegression() if self.regressor is None else self.regressor
        inner = regressor.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        return tags
