"""Sample weights through every sampler (imbalanced-learn issue 457).

A kept row keeps its own weight exactly; a row a classification over-sampler makes gets the
weight of the nearest original row of its class; a row a regression sampler makes gets its
seed row's weight.  Without weights every sampler returns what it returned before.
"""

import inspect

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from imblearn.base import SamplerMixin
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

import skewlearn.resample as resample
from skewlearn.regression import (
    SMOGN,
    SMOTER,
    RegressionRandomOverSampler,
    RegressionRandomUnderSampler,
)

OURS = [
    "ADASYN",
    "AllKNN",
    "BorderlineSMOTE",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RepeatedEditedNearestNeighbours",
    "SMOTE",
    "SMOTEENN",
    "SMOTETomek",
    "TomekLinks",
]


def _sampler(name):
    cls = getattr(resample, name)
    return cls(random_state=0) if "random_state" in cls().get_params() else cls()


def _data():
    X, y = make_classification(
        n_samples=300, n_classes=3, n_informative=4, weights=[0.7, 0.2], flip_y=0.05,
        random_state=0,
    )  # fmt: skip
    # Distinct weights, so a weight names the row it came from.
    return X, y, 1.0 + np.arange(len(y)) / len(y)


# imbalanced-learn's own classes, as skewlearn.resample exports them: test_imblearn_samplers.py
DROP_INS = [
    "ClusterCentroids",
    "InstanceHardnessThreshold",
    "KMeansSMOTE",
    "RandomOverSampler",
    "RandomUnderSampler",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
]


def test_every_sampler_is_covered():
    samplers = {
        name
        for name in resample.__all__
        if isinstance(getattr(resample, name), type)
        and issubclass(getattr(resample, name), SamplerMixin)
    }
    assert samplers == set(OURS) | set(DROP_INS)
    for name in samplers:
        assert "sample_weight" in inspect.signature(getattr(resample, name).fit_resample).parameters


@pytest.mark.parametrize("name", OURS)
def test_kept_rows_keep_their_weight_and_new_rows_take_the_nearest(name):
    X, y, w = _data()
    X_plain, y_plain = _sampler(name).fit_resample(X, y)
    X_res, y_res, w_res = _sampler(name).fit_resample(X, y, sample_weight=w)
    # Unweighted output is unchanged, and the weights change nothing else.
    np.testing.assert_array_equal(X_res, X_plain)
    np.testing.assert_array_equal(y_res, y_plain)
    assert w_res.shape == y_res.shape
    original = {row.tobytes(): i for i, row in enumerate(X)}
    for row, label, weight in zip(X_res, y_res, w_res):
        i = original.get(row.tobytes())
        if i is not None:
            assert weight == w[i]
        else:
            same_class = np.flatnonzero(y == label)
            nearest = same_class[np.argmin(((X[same_class] - row) ** 2).sum(axis=1))]
            assert weight == w[nearest]


@pytest.mark.parametrize("name", ["SMOTE", "EditedNearestNeighbours", "SMOTEENN"])
def test_weights_follow_pandas_and_sparse_input(name):
    X, y, w = _data()
    _, _, expected = _sampler(name).fit_resample(X, y, sample_weight=w)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    X_res, _, w_frame = _sampler(name).fit_resample(frame, pd.Series(y), sample_weight=w)
    assert isinstance(X_res, pd.DataFrame)
    np.testing.assert_array_equal(w_frame, expected)
    if name != "SMOTEENN":  # its sparse and dense rows differ (float rounding), not the rule
        _, _, w_sparse = _sampler(name).fit_resample(sp.csr_matrix(X), y, sample_weight=w)
        np.testing.assert_array_equal(w_sparse, expected)


def test_bad_weights_are_refused_with_the_fix():
    X, y, w = _data()
    with pytest.raises(ValueError, match="pass one weight per row"):
        resample.SMOTE().fit_resample(X, y, sample_weight=w[:-1])
    with pytest.raises(ValueError, match="finite and non-negative"):
        resample.TomekLinks().fit_resample(X, y, sample_weight=-w)
    with pytest.raises(ValueError, match="zero on every row: give some rows a positive weight"):
        resample.SMOTE().fit_resample(X, y, sample_weight=0 * w)
    with pytest.raises(ValueError, match="numbers, not True/False"):
        resample.NearMiss().fit_resample(X, y, sample_weight=w > 1.5)


REGRESSION = [SMOTER, SMOGN, RegressionRandomOverSampler, RegressionRandomUnderSampler]


@pytest.mark.parametrize("cls", REGRESSION, ids=lambda c: c.__name__)
def test_regression_new_rows_take_their_seed_rows_weight(cls):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = np.exp(X[:, 0] + 0.1 * rng.normal(size=200))
    w = 1.0 + np.arange(200.0)  # weight - 1 is the row's index
    X_plain, y_plain = cls(random_state=0).fit_resample(X, y)
    X_res, y_res, w_res = cls(random_state=0).fit_resample(X, y, sample_weight=w)
    np.testing.assert_array_equal(X_res, X_plain)
    np.testing.assert_array_equal(y_res, y_plain)
    seeds = (w_res - 1).astype(int)
    np.testing.assert_array_equal(w_res, w[seeds])
    copied = (X_res == X[seeds]).all(axis=1)
    if cls is SMOTER:
        # A new row lies on the segment from its seed towards another row.
        for row, seed in zip(X_res[~copied], seeds[~copied]):
            gap, towards = row - X[seed], X - X[seed]
            u = towards @ gap / np.maximum((towards**2).sum(axis=1), 1e-300)
            residual = np.abs(gap - u[:, None] * towards).max(axis=1)
            assert np.any((residual < 1e-9) & (u >= 0) & (u <= 1))
    elif cls is SMOGN:
        assert (~copied).any()
    else:
        assert copied.all()


def test_imblearn_pipeline_cannot_carry_weights():
    # What happens to weights inside imbalanced-learn's Pipeline (no metadata routing): a
    # sampler's weights are filed under its fit, which a sampler never calls, so they are
    # dropped without a word; the learner's weights keep the original length and are refused
    # after resampling. Resample by hand (or use ResampledRegressor) to carry them.
    X, y, w = _data()
    steps = [("sampler", resample.SMOTE(random_state=0)), ("learner", LogisticRegression())]
    dropped = Pipeline(steps).fit(X, y, sampler__sample_weight=w * 0 + 1e-9)
    plain = Pipeline(steps).fit(X, y)
    np.testing.assert_array_equal(
        dropped.named_steps["learner"].coef_, plain.named_steps["learner"].coef_
    )
    with pytest.raises(ValueError, match="sample_weight.shape"):
        Pipeline(steps).fit(X, y, learner__sample_weight=w)
    X_res, y_res, w_res = resample.SMOTE(random_state=0).fit_resample(X, y, sample_weight=w)
    LogisticRegression().fit(X_res, y_res, sample_weight=w_res)


@pytest.mark.parametrize(
    "name", ["ADASYN", "BorderlineSMOTE", "KMeansSMOTE", "RandomOverSampler", "SMOTE", "SMOTEN",
             "SVMSMOTE"],
)  # fmt: skip
def test_an_over_sampler_with_nothing_to_make_returns_the_weights_unchanged(name):
    # Balanced classes (e.g. after random under-sampling in a pipeline): no new row.
    X, y = make_classification(n_samples=80, weights=[0.5], random_state=0)
    if name == "SMOTEN":
        X = (X > 0).astype(int).astype(str)
    weights = 1.0 + np.arange(len(y))
    sampler = _sampler(name).set_params(sampling_strategy={0: np.sum(y == 0), 1: np.sum(y == 1)})
    _, y_res, w_res = sampler.fit_resample(X, y, sample_weight=weights)
    assert len(y_res) == len(y)
    np.testing.assert_array_equal(w_res, weights)
