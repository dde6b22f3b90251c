"""SMOTE family: imbalanced-learn's points, plus a neighbourhood that adapts to tiny classes."""

import imblearn.over_sampling as imb
import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

import skewlearn.resample as ours

FAMILY = [("SMOTE", "k_neighbors"), ("BorderlineSMOTE", "k_neighbors"), ("ADASYN", "n_neighbors")]


@pytest.mark.parametrize("name, param", FAMILY)
def test_same_points_as_imbalanced_learn_when_the_class_is_large_enough(name, param, dataset):
    X, y = dataset
    X_ref, y_ref = getattr(imb, name)(random_state=0).fit_resample(X, y)
    sampler = getattr(ours, name)(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert getattr(sampler, f"{param}_") == 5
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref)


def _on_a_minority_segment(X, y, X_new, label, k):
    """Each new point lies between a row of the class and one of its k nearest class rows."""
    X_class = X[y == label]
    neighbours = NearestNeighbors(n_neighbors=k + 1).fit(X_class).kneighbors(X_class)[1][:, 1:]
    for point in X_new:
        found = False
        for i, row in enumerate(X_class):
            ends = X_class[neighbours[i]] - row
            step = point - row
            # step = t * end for some t in [0, 1]
            t = (ends @ step) / np.maximum((ends * ends).sum(axis=1), 1e-300)
            close = np.abs(ends * t[:, None] - step).max(axis=1) < 1e-9
            if np.any(close & (t >= -1e-12) & (t <= 1 + 1e-12)):
                found = True
                break
        assert found


def test_auto_adapts_to_a_tiny_class_with_a_warning():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = np.array([0] * 37 + [1] * 3)
    with pytest.warns(UserWarning, match="class 1 has 3 samples"):
        sampler = ours.SMOTE(random_state=0)
        X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.k_neighbors_ == 2
    assert np.bincount(y_res).tolist() == [37, 37]
    _on_a_minority_segment(X, y, X_res[len(X) :], 1, 2)


def test_reproducible_by_seed():
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(60, 4)), np.array([0] * 50 + [1] * 10)
    first = ours.SMOTE(random_state=3).fit_resample(X, y)[0]
    again = ours.SMOTE(random_state=3).fit_resample(X, y)[0]
    other = ours.SMOTE(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    _on_a_minority_segment(X, y, first[len(X) :], 1, 5)


@pytest.mark.parametrize("name, param", FAMILY)
def test_explicit_size_that_cannot_work_names_the_class_and_the_fix(name, param):
    X = np.arange(40.0).reshape(20, 2)
    y = np.array(["ok"] * 17 + ["fraud"] * 3)
    message = rf"class 'fraud' has 3 samples; {name} needs {param} < 3: pass {param}=2"
    with pytest.raises(ValueError, match=message):
        getattr(ours, name)(**{param: 5}).fit_resample(X, y)


def test_single_sample_class_points_to_random_over_sampling():
    X = np.arange(20.0).reshape(10, 2)
    y = np.array([0] * 9 + [1])
    with pytest.raises(ValueError, match="class 1 has 1 sample.*RandomOverSampler"):
        ours.SMOTE().fit_resample(X, y)


def test_one_namespace_holds_imbalanced_learn_samplers_too():
    for name in [
        "SMOTENC",
        "SMOTEN",
        "SVMSMOTE",
        "KMeansSMOTE",
        "RandomOverSampler",
        "RandomUnderSampler",
        "ClusterCentroids",
        "InstanceHardnessThreshold",
        "NearMiss",
    ]:
        assert name in ours.__all__ and hasattr(ours, name)
