"""ResampledRegressor and WeightedRegressor: leakage-safe, equal to doing it by hand."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, cross_validate
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils import get_tags

from skewlearn.regression import (
    SMOGN,
    SMOTER,
    ResampledRegressor,
    WeightedRegressor,
    lds_weight,
)


def _data(n=200):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    return X, np.exp(1.5 * X[:, 0]) + 0.1 * rng.normal(size=n)


@pytest.mark.parametrize(("bad", "named"), [(np.nan, "NaN"), (np.inf, "infinite")])
def test_resampled_regressor_refuses_nan_in_fit_and_predict_alike(bad, named):
    # The tree would take NaN at predict, but SMOTER cannot build rows from NaN at fit: the
    # model never learnt what a NaN means, so predict refuses it too (and the tags say so).
    X, y = _data()
    X_bad = X.copy()
    X_bad[3, 1] = bad
    model = ResampledRegressor(DecisionTreeRegressor(random_state=0), SMOTER(random_state=0))
    assert get_tags(model).input_tags.allow_nan is False
    message = f"X has {named} values, which ResampledRegressor cannot take: .*SimpleImputer"
    with pytest.raises(ValueError, match=f"{message}"):
        model.fit(X_bad, y)
    model.fit(X, y)
    with pytest.raises(ValueError, match=f"{message}"):
        model.predict(X_bad)


def test_resampled_regressor_names_nan_in_a_categorical_frame():
    X, y = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["kind"] = pd.Categorical(np.where(X[:, 1] > 0, "x", "y"))
    hgb = HistGradientBoostingRegressor(max_iter=5, categorical_features="from_dtype")
    model = ResampledRegressor(hgb, SMOTER(random_state=0)).fit(frame, y)
    frame.loc[2, "kind"] = np.nan
    with pytest.raises(ValueError, match="X has NaN values"):
        model.predict(frame)


class NanTolerantSampler(BaseEstimator):
    """Returns the data as is, and says (in its tags) that it takes NaN."""

    def fit_resample(self, X, y):
        return X, y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def test_resampled_regressor_takes_nan_when_sampler_and_regressor_do():
    X, y = _data()
    X[::10, 0] = np.nan
    hgb = HistGradientBoostingRegressor(max_iter=5)
    model = ResampledRegressor(hgb, NanTolerantSampler())
    assert get_tags(model).input_tags.allow_nan is True
    assert (
        get_tags(ResampledRegressor(LinearRegression(), NanTolerantSampler())).input_tags.allow_nan
        is False
    )
    assert np.isfinite(model.fit(X, y).predict(X)).all()


class SpySampler(BaseEstimator):
    """Records the targets of every fit_resample call (class-level, it survives clone)."""

    seen: list = []

    def fit_resample(self, X, y):
        SpySampler.seen.append(np.asarray(y).copy())
        return X, y


def test_resampling_sees_only_training_folds():
    X, y = _data()
    SpySampler.seen = []
    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    cross_validate(ResampledRegressor(DecisionTreeRegressor(), SpySampler()), X, y, cv=folds)
    assert len(SpySampler.seen) == 5
    for (train, _), seen in zip(folds, SpySampler.seen):
        np.testing.assert_array_equal(seen, y[train])


def test_weights_come_from_training_targets_only():
    X, y = _data()
    seen = []

    def weighting(y_fit):
        seen.append(y_fit.copy())
        return np.ones_like(y_fit)

    folds = list(KFold(4).split(X))
    cross_validate(WeightedRegressor(DecisionTreeRegressor(), weighting), X, y, cv=folds)
    for (train, _), y_fit in zip(folds, seen):
        np.testing.assert_array_equal(y_fit, y[train])


def test_resampled_regressor_equals_resampling_by_hand():
    X, y = _data()
    model = ResampledRegressor(DecisionTreeRegressor(random_state=0), SMOGN(random_state=0))
    X_res, y_res = SMOGN(random_state=0).fit_resample(X, y)
    by_hand = DecisionTreeRegressor(random_state=0).fit(X_res, y_res)
    np.testing.assert_array_equal(model.fit(X, y).predict(X), by_hand.predict(X))


def test_weighted_regressor_equals_weighting_by_hand():
    X, y = _data()
    params = {"bins": 20, "reweight": "inverse"}
    model = WeightedRegressor(DecisionTreeRegressor(random_state=0), "lds", params)
    sample_weight = np.linspace(0.5, 1.5, y.size)
    model.fit(X, y, sample_weight=sample_weight)
    weights = lds_weight(y, **params) * sample_weight
    np.testing.assert_allclose(model.sample_weight_, weights)
    by_hand = DecisionTreeRegressor(random_state=0).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(model.predict(X), by_hand.predict(X))


def test_categorical_dataframe_through_both_meta_estimators():
    X, y = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["kind"] = pd.Categorical(np.where(X[:, 1] > 0, "x", "y"))
    hgb = HistGradientBoostingRegressor(max_iter=5, categorical_features="from_dtype")
    for model in (ResampledRegressor(hgb, SMOTER(random_state=0)), WeightedRegressor(hgb)):
        assert model.fit(frame, y).predict(frame).shape == y.shape
        assert list(model.feature_names_in_) == list(frame.columns)


def test_weights_reach_the_last_step_of_a_pipeline():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = _data()
    piped = WeightedRegressor(
        make_pipeline(StandardScaler(), DecisionTreeRegressor(random_state=0))
    )
    plain = WeightedRegressor(DecisionTreeRegressor(random_state=0))
    np.testing.assert_array_equal(piped.fit(X, y).predict(X), plain.fit(X, y).predict(X))


def test_regressor_without_sample_weight_is_a_clear_error():
    from sklearn.neighbors import KNeighborsRegressor

    X, y = _data()
    with pytest.raises(TypeError, match="sample_weight"):
        WeightedRegressor(KNeighborsRegressor()).fit(X, y)


def test_resampled_regressor_seed_makes_refits_identical():
    X, y = _data()
    first = ResampledRegressor(random_state=3).fit(X, y)
    again = ResampledRegressor(random_state=3).fit(X, y)
    np.testing.assert_array_equal(first.predict(X), again.predict(X))
    assert first.sampler_.random_state == 3
    # It seeds a given sampler too; None leaves the sampler's own seed.
    assert (
        ResampledRegressor(sampler=SMOGN(random_state=1), random_state=3)
        .fit(X, y)
        .sampler_.random_state
        == 3
    )
    assert ResampledRegressor(sampler=SMOGN(random_state=1)).fit(X, y).sampler_.random_state == 1
    by_hand = LinearRegression().fit(*SMOTER(random_state=3).fit_resample(X, y))
    np.testing.assert_array_equal(first.predict(X), by_hand.predict(X))
