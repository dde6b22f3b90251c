"""imbalanced-learn's samplers as skewlearn.resample exports them: its classes, taking weights.

Without weights each gives imbalanced-learn's output exactly (its class is the oracle, on
several seeds and data shapes, pandas in and out); with weights the output rows are the same
and their weights follow the rules of ``resample/_imblearn_samplers.py``.
"""

import inspect

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from imblearn import over_sampling, under_sampling
from imblearn.metrics.pairwise import ValueDifferenceMetric
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification
from sklearn.naive_bayes import GaussianNB

import skewlearn.resample as resample
from skewlearn.resample import _imblearn_samplers

REFERENCES = {
    "ClusterCentroids": under_sampling.ClusterCentroids,
    "InstanceHardnessThreshold": under_sampling.InstanceHardnessThreshold,
    "KMeansSMOTE": over_sampling.KMeansSMOTE,
    "RandomOverSampler": over_sampling.RandomOverSampler,
    "RandomUnderSampler": under_sampling.RandomUnderSampler,
    "SMOTEN": over_sampling.SMOTEN,
    "SMOTENC": over_sampling.SMOTENC,
    "SVMSMOTE": over_sampling.SVMSMOTE,
}
# Parameters that keep the fits small and fast, besides the seed (defaults are run too).
FAST = {
    "ClusterCentroids": {"estimator": KMeans(n_init=1, random_state=0)},
    "InstanceHardnessThreshold": {"estimator": GaussianNB()},
    "KMeansSMOTE": {"kmeans_estimator": 3, "cluster_balance_threshold": 0.05},
}


def _numeric(seed, n_classes=2):
    weights = [0.75] if n_classes == 2 else [0.6, 0.3]
    return make_classification(
        n_samples=240, n_features=5, n_informative=3, n_classes=n_classes, weights=weights,
        class_sep=1.5, random_state=seed,
    )  # fmt: skip


def _mixed(seed):
    """Two continuous and two categorical columns (one of strings, one of small ints)."""
    rng = np.random.default_rng(seed)
    X, y = _numeric(seed)
    frame = pd.DataFrame(
        {
            "a": X[:, 0],
            "colour": rng.choice(["red", "green", "blue"], len(y)),
            "b": X[:, 1],
            "size": rng.integers(0, 3, len(y)) + (X[:, 2] > 0),
        }
    )
    return frame, y


def _nominal(seed):
    rng = np.random.default_rng(seed)
    _, y = _numeric(seed)
    frame = pd.DataFrame(
        {
            "u": np.where(rng.random(len(y)) < 0.6 + 0.3 * y, "a", rng.choice(["b", "c"], len(y))),
            "v": rng.choice(["d", "e", "f"], len(y)),
        }
    )
    return frame, y


def _data(name, shape, seed):
    """(X, y, params) of one comparison."""
    if name == "SMOTENC":
        frame, y = _mixed(seed)
        if shape == "pandas":
            categorical = frame.astype({"colour": "category", "size": "category"})
            return categorical, pd.Series(y, name="target"), {"categorical_features": "auto"}
        return frame.to_numpy(dtype=object), y, {"categorical_features": [1, 3]}
    if name == "SMOTEN":
        frame, y = _nominal(seed)
        if shape == "pandas":
            return frame, pd.Series(y, name="target"), {}
        return frame.to_numpy(dtype=object), y, {}
    X, y = _numeric(seed, n_classes=3 if shape == "multiclass" else 2)
    if shape == "pandas":
        return pd.DataFrame(X, columns=list("abcde")), pd.Series(y, name="target"), {}
    return X, y, {}


def _shapes(name):
    return (
        ["array", "pandas"] if name in ("SMOTEN", "SMOTENC") else ["binary", "multiclass", "pandas"]
    )


CASES = [
    pytest.param(name, shape, seed, id=f"{name}-{shape}-{seed}")
    for name in REFERENCES
    for shape in _shapes(name)
    for seed in (0, 1, 2)
]


def _assert_same(ours, theirs):
    if isinstance(theirs, (pd.DataFrame, pd.Series)):
        assert type(ours) is type(theirs)
        equal = pd.testing.assert_frame_equal if ours.ndim == 2 else pd.testing.assert_series_equal
        equal(ours, theirs)
    else:
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name, shape, seed", CASES)
def test_same_output_as_imbalanced_learn(name, shape, seed):
    X, y, params = _data(name, shape, seed)
    params = {**params, **FAST.get(name, {}), "random_state": seed}
    ours = getattr(resample, name)(**params)
    theirs = REFERENCES[name](**params)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    X_ours, y_ours = ours.fit_resample(X, y)
    _assert_same(X_ours, X_theirs)
    _assert_same(y_ours, y_theirs)
    if hasattr(theirs, "sample_indices_"):
        np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    # With weights: the same rows, and one weight each.
    X_w, y_w, w_res = clone(ours).fit_resample(X, y, sample_weight=np.linspace(1, 2, len(y)))
    _assert_same(X_w, X_theirs)
    _assert_same(y_w, y_theirs)
    assert w_res.shape == (len(y_theirs),) and np.all((w_res >= 1) & (w_res <= 2))


@pytest.mark.parametrize("name", ["ClusterCentroids", "RandomUnderSampler", "SVMSMOTE"])
def test_defaults_give_imbalanced_learns_output(name):
    X, y = _numeric(0)
    X_ours, y_ours = getattr(resample, name)(random_state=0).fit_resample(X, y)
    X_theirs, y_theirs = REFERENCES[name](random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)


@pytest.mark.parametrize("name", REFERENCES)
def test_a_user_swapping_the_import_sees_the_same_class(name):
    ours, theirs = getattr(resample, name), REFERENCES[name]
    assert issubclass(ours, theirs) and ours.__name__ == theirs.__name__
    assert inspect.signature(ours) == inspect.signature(theirs)
    required = {"categorical_features": [0]} if name == "SMOTENC" else {}
    assert ours(**required).get_params() == theirs(**required).get_params()
    assert repr(ours(**required, random_state=3)) == repr(theirs(**required, random_state=3))
    assert ours._parameter_constraints == theirs._parameter_constraints
    # The documentation is theirs, but for an example that imports ours and shows weights.
    head = theirs.__doc__[: theirs.__doc__.index("    Examples\n")]
    assert ours.__doc__.startswith(head)
    assert f"from skewlearn.resample import {name}" in ours.__doc__
    assert "sample_weight" in inspect.getdoc(ours.fit_resample)


def _distinct_weights(n):
    return 1.0 + np.arange(n) / n  # a weight names its row


@pytest.mark.parametrize(
    "sampler",
    [
        resample.RandomOverSampler(random_state=0),
        resample.RandomOverSampler(shrinkage=1.0, random_state=0),
        resample.RandomUnderSampler(random_state=0),
        resample.InstanceHardnessThreshold(estimator=GaussianNB(), random_state=0),
    ],
    ids=["RandomOverSampler", "RandomOverSampler-shrinkage", "RandomUnderSampler", "IHT"],
)
def test_selected_and_smoothed_rows_take_their_source_rows_weight(sampler):
    X, y = _numeric(0, n_classes=3)
    w = _distinct_weights(len(y))
    X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
    np.testing.assert_array_equal(w_res, w[sampler.sample_indices_])
    np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])
    if sampler.get_params().get("shrinkage") is None:
        np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])


def _nearest_by(distances, y, label):
    rows = np.flatnonzero(y == label)
    return rows[np.argmin(distances[:, rows], axis=1)]


@pytest.mark.parametrize("name", ["SVMSMOTE", "KMeansSMOTE"])
@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_new_rows_take_the_weight_of_the_nearest_original_row(name, sparse):
    X, y = _numeric(1, n_classes=3)
    w = _distinct_weights(len(y))
    sampler = getattr(resample, name)(**FAST.get(name, {}), random_state=0)
    X_res, y_res, w_res = sampler.fit_resample(
        sp.csr_matrix(X) if sparse else X, y, sample_weight=w
    )
    X_res = X_res.toarray() if sparse else X_res
    n = len(y)
    np.testing.assert_array_equal(X_res[:n], X)
    np.testing.assert_array_equal(w_res[:n], w)
    assert len(y_res) > n
    distances = ((X_res[n:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    for label in np.unique(y_res[n:]):
        new = np.flatnonzero(y_res[n:] == label)
        np.testing.assert_array_equal(w_res[n + new], w[_nearest_by(distances[new], y, label)])


def test_smotenc_new_rows_take_the_weight_of_the_nearest_row_by_its_own_distance():
    frame, y = _mixed(0)
    X = frame.to_numpy(dtype=object)
    w = _distinct_weights(len(y))
    sampler = resample.SMOTENC(categorical_features=[1, 3], random_state=0)
    X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
    n = len(y)
    np.testing.assert_array_equal(w_res[:n], w)
    # Squared distance: continuous columns, plus the class's median std squared per differing
    # categorical column.
    new = X_res[n:]
    label = y_res[n]
    assert np.all(y_res[n:] == label)
    continuous = ((new[:, None, [0, 2]] - X[None, :, [0, 2]]) ** 2).sum(axis=2).astype(float)
    differing = (new[:, None, [1, 3]] != X[None, :, [1, 3]]).sum(axis=2)
    distances = continuous + sampler.median_std_[label] ** 2 * differing
    np.testing.assert_array_equal(w_res[n:], w[_nearest_by(distances, y, label)])


def test_smoten_new_rows_take_the_weight_of_the_nearest_row_by_value_difference(monkeypatch):
    # Blocks of a few rows: the search over blocks gives the answer of one search over all.
    monkeypatch.setattr(_imblearn_samplers, "_BLOCK", 50)
    frame, y = _nominal(0)
    X = frame.to_numpy(dtype=object)
    w = _distinct_weights(len(y))
    sampler = resample.SMOTEN(random_state=0)
    X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
    n = len(y)
    np.testing.assert_array_equal(w_res[:n], w)
    codes = sampler.categorical_encoder_.transform(X_res)
    n_categories = [len(c) for c in sampler.categorical_encoder_.categories_]
    metric = ValueDifferenceMetric(n_categories=n_categories).fit(codes[:n], y)
    distances = metric.pairwise(codes[n:], codes[:n])
    label = y_res[n]
    np.testing.assert_array_equal(w_res[n:], w[_nearest_by(distances, y, label)])


def test_soft_centroids_take_the_mean_weight_of_their_cluster():
    X, y = _numeric(2)
    w = _distinct_weights(len(y))
    sampler = resample.ClusterCentroids(
        estimator=KMeans(n_init=1, random_state=0), voting="soft", random_state=0
    )
    X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
    majority, minority = np.argmax(np.bincount(y)), np.argmin(np.bincount(y))
    np.testing.assert_array_equal(w_res[y_res == minority], w[y == minority])
    # One class was clustered, so the fitted k-means is that class's: its labels_ are the
    # clusters.
    clusters = sampler.estimator_.labels_
    expected = [w[y == majority][clusters == c].mean() for c in range(clusters.max() + 1)]
    np.testing.assert_allclose(w_res[y_res == majority], expected, rtol=1e-12)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense-hard", "sparse-auto"])
def test_hard_centroids_are_rows_and_keep_their_weight(sparse):
    X, y = _numeric(2)
    w = _distinct_weights(len(y))
    voting = "auto" if sparse else "hard"
    sampler = resample.ClusterCentroids(
        estimator=KMeans(n_init=1, random_state=0), voting=voting, random_state=0
    )
    X_res, y_res, w_res = sampler.fit_resample(
        sp.csr_matrix(X) if sparse else X, y, sample_weight=w
    )
    assert sampler.voting_ == "hard"
    X_res = X_res.toarray() if sparse else X_res
    row_of = {row.tobytes(): i for i, row in enumerate(X)}
    sources = np.array([row_of[row.tobytes()] for row in X_res])
    np.testing.assert_array_equal(y[sources], y_res)
    np.testing.assert_array_equal(w_res, w[sources])


def test_bad_weights_are_refused_with_the_fix():
    X, y = _numeric(0)
    with pytest.raises(ValueError, match="pass one weight per row"):
        resample.RandomUnderSampler().fit_resample(X, y, sample_weight=np.ones(len(y) - 1))
