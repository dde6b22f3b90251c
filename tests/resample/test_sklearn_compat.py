"""scikit-learn's private names behind one guard: the public fallback gives the same answers."""

from collections.abc import Mapping
from dataclasses import replace
from numbers import Integral, Real

import imblearn.over_sampling as imb_over
import imblearn.under_sampling as imb_under
import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from threadpoolctl import threadpool_limits

import skewlearn.resample as ours
from skewlearn._sklearn_compat import (
    SKLEARN,
    NeighboursCompat,
    documented_fit_method,
    supported,
    validation_tools,
)
from skewlearn.resample._neighbours import (
    DEFAULT_ENGINE_CONFIG,
    NeighbourIndex,
    engine_config_context,
)

PUBLIC = NeighboursCompat(private=False)
private_path = pytest.mark.skipif(
    not SKLEARN.uses_private, reason="the private path is off on this scikit-learn"
)


def _ties(n=3000, n_features=18, seed=3):
    # Binary features, brute force (more than 15 of them): most neighbourhoods are tied.
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 2, size=(n, n_features)).astype(float)
    y = (X[:, :6].sum(axis=1) + rng.randint(0, 2, size=n) > 5).astype(int)
    return X, y


def test_the_private_path_is_read_on_the_tested_versions_only():
    assert supported("1.6.0") and supported("1.9.1") and supported("1.9rc1")
    assert not supported("1.5.2") and not supported("1.10.0") and not supported("2.0")
    assert not supported("nightly")
    assert SKLEARN.uses_private == supported(sklearn.__version__)
    assert not PUBLIC.uses_private


@private_path
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"n_neighbors": 3},
        {"n_neighbors": 30},  # k >= n / 2: brute force
        {"metric": "manhattan"},
        {"metric": "cosine"},  # no tree takes it
        {"metric": "minkowski", "p": 3},
        {"metric": "minkowski", "p": 2, "metric_params": {"w": np.ones(5)}},
        {"algorithm": "ball_tree"},
    ],
)
@pytest.mark.parametrize("n_features", [5, 16])
def test_the_documented_rule_names_the_algorithm_scikit_learn_chose(params, n_features):
    params = dict(params)
    if "metric_params" in params and n_features != 5:
        params["metric_params"] = {"w": np.ones(n_features)}
    X = np.random.RandomState(0).normal(size=(60, n_features))
    for estimator in (NearestNeighbors(**params), KNeighborsClassifier(**params)):
        fitted = estimator.fit(X, np.arange(60) % 2)
        assert documented_fit_method(fitted) == SKLEARN.fit_method(fitted)
        assert PUBLIC.fit_method(fitted) == SKLEARN.fit_method(fitted)


@private_path
@pytest.mark.parametrize("limit", [None, 1])
def test_the_public_thread_count_is_scikit_learns(limit):
    with threadpool_limits(limit, user_api="openmp"):
        assert PUBLIC.openmp_threads() == SKLEARN.openmp_threads()


@pytest.mark.parametrize("compat", [SKLEARN, PUBLIC], ids=["private", "public"])
@pytest.mark.parametrize("n_fitted", [200, 2999])
def test_a_few_queries_of_a_large_call_are_answered_as_within_it(compat, n_fitted):
    # A large call is split over the queries, a small one over the fitted rows, and tied
    # neighbours come in the order of the split: asked alone, the few must be split as the
    # whole call was.
    X, _ = _ties()
    searcher = NearestNeighbors(n_neighbors=5).fit(X[:n_fitted])
    whole = searcher.kneighbors(X, return_distance=False)
    few = np.arange(0, len(X), 37)
    split = compat.brute_force_split
    assert (
        split(len(X), n_fitted) == "parallel_on_X" and split(len(few), n_fitted) == "parallel_on_Y"
    )
    alone = searcher.kneighbors(X[few], return_distance=False)
    if compat.openmp_threads() > 1:
        assert (alone != whole[few]).any()  # the order differs: the test has teeth
    np.testing.assert_array_equal(compat.kneighbors(searcher, X[few], batch=len(X)), whole[few])
    # A call split the same way whole or in part is asked as it is.
    np.testing.assert_array_equal(compat.kneighbors(searcher, X, batch=len(X)), whole)


@pytest.mark.parametrize("n_neighbors", [1, 4])
def test_the_engine_on_the_public_path_gives_public_kneighbors(dataset, engine_config, n_neighbors):
    X, y = dataset
    index = NeighbourIndex(X, config=replace(engine_config, sklearn=PUBLIC))
    expected = NearestNeighbors(n_neighbors=n_neighbors).fit(X).kneighbors(X)[1]
    rows = np.arange(0, len(X), 3)
    np.testing.assert_array_equal(index.kneighbors(rows, n_neighbors, batch=len(X)), expected[rows])
    among = np.arange(0, len(X), 2)
    searcher = NearestNeighbors(n_neighbors=n_neighbors).fit(X[among])
    np.testing.assert_array_equal(
        index.kneighbors_among(rows, among, searcher, batch=len(X)),
        searcher.kneighbors(X, return_distance=False)[rows],
    )
    knn = KNeighborsClassifier(n_neighbors=n_neighbors).fit(X[among], y[among])
    np.testing.assert_array_equal(index.predict(knn, y, rows, among=among), knn.predict(X[rows]))


def test_the_engine_on_the_public_path_asks_few_queries_as_a_large_call():
    X, y = _ties()
    index = NeighbourIndex(X, config=replace(DEFAULT_ENGINE_CONFIG, sklearn=PUBLIC))
    expected = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X)[1]
    rows = np.flatnonzero(y == 1)[::5]
    np.testing.assert_array_equal(index.kneighbors(rows, 3, batch=len(X)), expected[rows])


@pytest.mark.parametrize(
    ("module", "name", "params"),
    [
        (imb_under, "TomekLinks", {}),
        (imb_under, "EditedNearestNeighbours", {}),
        (imb_under, "AllKNN", {}),
        (imb_under, "NeighbourhoodCleaningRule", {}),
        (imb_under, "NearMiss", {"version": 3}),
        (imb_over, "ADASYN", {"random_state": 0}),
        (imb_over, "BorderlineSMOTE", {"random_state": 0}),
    ],
)
def test_samplers_on_the_public_path_equal_imbalanced_learn(
    module, name, params, dataset, engine_config
):
    X, y = dataset
    sampler = getattr(ours, name)(**params)
    try:
        X_ref, y_ref = getattr(module, name)(**params).fit_resample(X, y)
    except RuntimeError as error:  # ADASYN: no minority row has a neighbour of another class
        X_ref, y_ref = error, None
    with engine_config_context(replace(engine_config, sklearn=PUBLIC)):
        if y_ref is None:
            with pytest.raises(RuntimeError, match=str(X_ref)[:20]):
                sampler.fit_resample(X, y)
            return
        X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref)


# Each constraint list (built from one set of tools) with values it accepts or refuses.
CONSTRAINTS = {
    "positive-int": (
        lambda t: [t.Interval(Integral, 1, None, closed="left")],
        [0, 1, 5, np.int64(3), 2.5, True, "a", None],
    ),
    "fraction": (
        lambda t: [t.Interval(Real, 0, 1, closed="right")],
        [0, 0.0, 0.5, 1, 1.5, np.nan, "0.5"],
    ),
    "positive-real": (lambda t: [t.Interval(Real, 0, None, closed="neither")], [0, 1e-9, -1, 3]),
    "options": (lambda t: [t.StrOptions({"auto", "all"}), Mapping], ["auto", "x", 3, {}]),
    "estimator": (
        lambda t: [t.HasMethods(["fit", "predict"]), None],
        [LogisticRegression(), object(), None, "fit"],
    ),
    "keywords": (lambda t: ["boolean"], [True, np.bool_(False), 1, "yes", None]),
    "random-state": (
        lambda t: ["random_state"],
        [None, 0, -1, 2**32, np.random.RandomState(0), "x", 1.0],
    ),
    "types": (lambda t: [callable, None, Integral], [len, None, 2, 2.0, "x"]),
}


def _checked_estimator(tools, constraints):
    class Checked(BaseEstimator):
        _parameter_constraints = {"value": constraints}

        def __init__(self, value=None):
            self.value = value

        @tools.fit_context(prefer_skip_nested_validation=True)
        def fit(self, X=None, y=None):
            return self

    return Checked


def _accepts(tools, constraints, value) -> bool:
    try:
        _checked_estimator(tools, constraints)(value=value).fit()
    except ValueError as error:
        assert isinstance(error, TypeError)  # as scikit-learn's own error
        assert "'value' parameter of Checked must be" in str(error)
        return False
    return True


@pytest.mark.parametrize("kind", sorted(CONSTRAINTS))
def test_the_public_parameter_check_accepts_and_refuses_as_scikit_learns(kind):
    make, values = CONSTRAINTS[kind]
    public = validation_tools(private=False)
    verdicts = [_accepts(public, make(public), value) for value in values]
    assert any(verdicts) and not all(verdicts)
    if SKLEARN.uses_private:
        private = validation_tools()
        assert [_accepts(private, make(private), value) for value in values] == verdicts


def test_samplers_and_ensembles_get_scikit_learns_own_constraint_types_on_any_version(
    monkeypatch,
):
    # imbalanced-learn's samplers validate with scikit-learn's own validator, which knows only
    # scikit-learn's constraint types: they must be used even off the engine's tested versions.
    from sklearn.utils._param_validation import validate_parameter_constraints

    from skewlearn import _sklearn_compat as compat

    tools = validation_tools()
    assert (compat.Interval, compat.StrOptions, compat.HasMethods) == tools[:3]
    assert compat.fit_context is tools.fit_context
    assert tools.Interval.__module__ == "sklearn.utils._param_validation"
    monkeypatch.setattr(sklearn, "__version__", "1.99.0")
    compat._private.cache_clear()
    compat._private_validation.cache_clear()
    try:
        assert compat._private() is None  # the engine falls back ...
        newer = validation_tools()  # ... the constraint types do not
        assert newer.Interval is tools.Interval
        constraints = {"k": [newer.Interval(Integral, 1, None, closed="left")]}
        validate_parameter_constraints(constraints, {"k": 3}, caller_name="probe")
    finally:
        compat._private.cache_clear()
        compat._private_validation.cache_clear()
