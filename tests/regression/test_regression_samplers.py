"""Relevance-driven samplers: bump sizes, reproducibility, SMOTER/SMOGN geometry, mixed types."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import check_param_validation

from skewlearn.regression import (
    SMOGN,
    SMOTER,
    RegressionRandomOverSampler,
    RegressionRandomUnderSampler,
    Relevance,
)
from skewlearn.regression._sampler_base import RegressionSampler

SAMPLERS = [RegressionRandomOverSampler, RegressionRandomUnderSampler, SMOTER, SMOGN]


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.exp(1.5 * X[:, 0]) + 0.1 * rng.normal(size=n)
    return X, y


def _rare(y):
    return Relevance().fit(y)(y) >= 0.5


def test_balance_sizes():
    X, y = _data()
    rare, n = _rare(y).sum(), y.size
    _, y_over = RegressionRandomOverSampler(random_state=0).fit_resample(X, y)
    assert y_over.size == 2 * (n - rare)
    _, y_under = RegressionRandomUnderSampler(random_state=0).fit_resample(X, y)
    assert y_under.size == 2 * rare
    for cls in (SMOTER, SMOGN):
        sampler = cls(random_state=0)
        _, y_res = sampler.fit_resample(X, y)
        assert y_res.size == n
        assert sampler.sampling_strategy_ == {"rare": n // 2, "normal": n - n // 2}


def test_factors_multiply_bump_sizes():
    X, y = _data()
    rare = _rare(y).sum()
    _, y_over = RegressionRandomOverSampler(3.0, random_state=0).fit_resample(X, y)
    assert y_over.size == y.size + 2 * rare
    sampler = SMOTER({"rare": 2.0, "normal": 0.5}, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert sampler.sampling_strategy_["rare"] == 2 * rare


def test_random_samplers_select_rows_and_keep_every_rare_one():
    X, y = _data()
    over = RegressionRandomOverSampler(random_state=0)
    X_res, y_res = over.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[over.sample_indices_])
    assert np.all(_rare(y)[over.sample_indices_[y.size :]])
    under = RegressionRandomUnderSampler(random_state=0)
    under.fit_resample(X, y)
    assert set(np.flatnonzero(_rare(y))) <= set(under.sample_indices_)


@pytest.mark.parametrize("cls", SAMPLERS)
def test_reproducible_by_seed(cls):
    X, y = _data()
    a = cls(random_state=3).fit_resample(X, y)
    b = cls(random_state=3).fit_resample(X, y)
    c = cls(random_state=4).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert a[0].shape != c[0].shape or not np.array_equal(a[0], c[0])


def test_smoter_points_lie_between_two_rare_rows_with_a_target_between_theirs():
    X, y = _data()
    rare = _rare(y)
    X_res, y_res = SMOTER(random_state=0).fit_resample(X, y)
    kept = np.isin(X_res, X).all(axis=1)
    X_rare, y_rare = X[rare], y[rare]
    for x_new, y_new in zip(X_res[~kept], y_res[~kept]):
        # some pair (i, j) of rare rows with x_new = x_i + u (x_j - x_i), u in [0, 1]
        d = X_rare - x_new
        found = False
        for i in range(len(X_rare)):
            step = X_rare - X_rare[i]
            u = step @ (x_new - X_rare[i]) / np.maximum((step**2).sum(axis=1), 1e-300)
            on = np.abs(X_rare[i] + u[:, None] * step - x_new).max(axis=1) < 1e-9
            ok = on & (u >= -1e-12) & (u <= 1 + 1e-12)
            ok &= (y_new >= np.minimum(y_rare[i], y_rare) - 1e-9) & (
                y_new <= np.maximum(y_rare[i], y_rare) + 1e-9
            )
            if ok.any():
                found = True
                break
        assert found, (x_new, d.min())


def test_smoter_target_is_the_inverse_distance_mean():
    # Two rare rows on a line: a new row at u from the seed gets y = (1-u) y_s + u y_n.
    X = np.r_[np.zeros((20, 1)), [[1.0], [2.0]]]
    X[:20, 0] = np.linspace(-1, -0.5, 20)
    y = np.r_[np.linspace(0, 1, 20), 10.0, 20.0]
    relevance = Relevance(control_points=[(5, 0), (6, 1)])
    X_res, y_res = SMOTER(relevance=relevance, random_state=0).fit_resample(X, y)
    new = X_res[:, 0] > 1.0 + 1e-12
    new &= X_res[:, 0] < 2.0 - 1e-12
    assert new.any()
    np.testing.assert_allclose(y_res[new], 10 + 10 * (X_res[new, 0] - 1.0))


def test_smogn_adds_noise_where_neighbours_are_far():
    X, y = _data()
    X_res, y_res = SMOGN(pert=0.5, random_state=0).fit_resample(X, y)
    X_smoter, _ = SMOTER(random_state=0).fit_resample(X, y)
    assert X_res.shape == X_smoter.shape and not np.allclose(X_res, X_smoter)


def test_dataframes_with_categories_keep_dtypes_and_take_parents_values():
    X, y = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["colour"] = pd.Categorical(np.where(X[:, 1] > 0, "red", "blue"))
    frame["size"] = np.where(X[:, 2] > 0, "big", "small")
    target = pd.Series(y, name="price")
    for cls in SAMPLERS:
        X_res, y_res = cls(random_state=0).fit_resample(frame, target)
        assert list(X_res.columns) == list(frame.columns)
        assert X_res["colour"].dtype == frame["colour"].dtype
        assert set(X_res["size"]) <= {"big", "small"}
        assert isinstance(y_res, pd.Series) and y_res.name == "price"
    with pytest.raises(ValueError, match="missing"):
        SMOTER().fit_resample(frame.assign(a=np.where(X[:, 0] > 2, np.nan, X[:, 0])), target)


def test_explicit_nominal_columns_of_a_numpy_array_copy_a_parent():
    X, y = _data()
    X[:, 2] = np.round(X[:, 2])
    X_res, _ = SMOTER(categorical_features=[2], random_state=0).fit_resample(X, y)
    assert set(X_res[:, 2]) <= set(X[:, 2])


def test_a_constant_target_is_returned_unchanged_with_a_warning():
    X, _ = _data(50)
    with pytest.warns(UserWarning, match="nothing to resample"):
        X_res, y_res = SMOTER().fit_resample(X, np.ones(50))
    np.testing.assert_array_equal(X_res, X)


def test_in_an_imblearn_pipeline():
    X, y = _data()
    model = Pipeline([("smoter", SMOTER(random_state=0)), ("ridge", Ridge())]).fit(X, y)
    assert model.predict(X).shape == y.shape


@pytest.mark.parametrize(
    "sampler, message",
    [
        (RegressionRandomOverSampler(0.5), r"sampling_strategy.*\[1.0, inf\)"),
        (RegressionRandomUnderSampler(2.0), r"sampling_strategy.*\(0.0, 1.0\]"),
        (SMOTER({"rare": 2, "other": 1}), "keys"),
        (SMOTER(k_neighbors=0), "k_neighbors"),
        (SMOTER(threshold=0), "threshold"),
    ],
)
def test_bad_parameters_say_what_to_pass(sampler, message):
    X, y = _data()
    with pytest.raises(ValueError, match=message):
        sampler.fit_resample(X, y)


@pytest.mark.parametrize("cls", SAMPLERS)
def test_constraints_name_every_parameter(cls, monkeypatch):
    # The shared base does not check the constraints yet (RegressionSampler._plan must call
    # _validate_params); checked here as it would, so the declarations are known complete.
    plan = RegressionSampler._plan

    def validated_plan(self, X, y):
        self._validate_params()
        return plan(self, X, y)

    monkeypatch.setattr(RegressionSampler, "_plan", validated_plan)
    check_param_validation(cls.__name__, cls(random_state=0))
