"""SMOTE family: imbalanced-learn's points, plus a neighbourhood that adapts to tiny classes."""

import imblearn.over_sampling as imb
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

import skewlearn.resample as ours
from skewlearn.resample._neighbours import (
    DEFAULT_ENGINE_CONFIG,
    EngineConfig,
    IndexSearcher,
    NeighbourIndex,
    engine_config_context,
)
from skewlearn.resample._neighbours_scan import BlockScan

FAMILY = [("SMOTE", "k_neighbors"), ("BorderlineSMOTE", "k_neighbors"), ("ADASYN", "n_neighbors")]


VARIANTS = [
    ("SMOTE", "k_neighbors", {}),
    ("BorderlineSMOTE", "k_neighbors", {}),
    ("BorderlineSMOTE", "k_neighbors", {"kind": "borderline-2"}),
    ("ADASYN", "n_neighbors", {}),
]


@pytest.mark.parametrize("name, param, extra", VARIANTS)
def test_same_points_as_imbalanced_learn_when_the_class_is_large_enough(
    name, param, extra, dataset, engine_config
):
    X, y = dataset
    try:
        X_ref, y_ref = getattr(imb, name)(random_state=0, **extra).fit_resample(X, y)
    except RuntimeError as error:  # ADASYN: no minority row has a neighbour of another class
        with pytest.raises(RuntimeError, match=str(error)[:20]):
            getattr(ours, name)(random_state=0, **extra).fit_resample(X, y)
        return
    sampler = getattr(ours, name)(random_state=0, **extra)
    X_res, y_res = sampler.fit_resample(X, y)
    assert getattr(sampler, f"{param}_") == 5
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref)


@pytest.mark.parametrize("name, extra", [("BorderlineSMOTE", {}), ("ADASYN", {})])
def test_neighbours_over_all_rows_come_from_the_scan_on_large_data(name, extra, monkeypatch):
    scanned = []
    original = BlockScan.smallest

    def spy(self, queries, cols, m):
        scanned.append((len(queries), len(cols)))
        return original(self, queries, cols, m)

    monkeypatch.setattr(BlockScan, "smallest", spy)
    X, y = make_classification(
        n_samples=2000, n_features=20, weights=[0.95], flip_y=0.02, random_state=0
    )
    with engine_config_context(EngineConfig(scan_min_pairs=0)):
        X_res, y_res = getattr(ours, name)(random_state=0, **extra).fit_resample(X, y)
    X_ref, y_ref = getattr(imb, name)(random_state=0, **extra).fit_resample(X, y)
    assert (int((y == 1).sum()), len(X)) in scanned
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref)


def test_index_searcher_answers_as_scikit_learn_for_rows_and_for_other_queries(engine_config):
    X, y = make_classification(n_samples=500, n_features=20, weights=[0.9], random_state=1)
    rows = np.flatnonzero(y == 1)
    index = NeighbourIndex(X, config=engine_config)
    searcher = IndexSearcher(index, n_neighbors=4, rows=rows).fit(X)
    reference = NearestNeighbors(n_neighbors=4).fit(X)
    queries = [X[rows[::-1]], X[rows[:3]] + 0.5, X[rows].astype(np.float32)]
    for query in queries:
        np.testing.assert_array_equal(
            searcher.kneighbors(query, return_distance=False),
            reference.kneighbors(query, return_distance=False),
        )
    distances, positions = searcher.kneighbors(X[rows], n_neighbors=2)
    ref_distances, ref_positions = reference.kneighbors(X[rows], n_neighbors=2)
    np.testing.assert_array_equal(positions, ref_positions)
    np.testing.assert_allclose(distances, ref_distances)
    # Fitted on other data it is a plain NearestNeighbors on that data.
    other = X[rows]
    np.testing.assert_array_equal(
        searcher.fit(other).kneighbors(other, return_distance=False),
        NearestNeighbors(n_neighbors=4).fit(other).kneighbors(other, return_distance=False),
    )


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


def test_neighbourhoods_wider_than_a_scan_block_are_asked_of_scikit_learn():
    X, y = make_classification(n_samples=1500, n_features=20, weights=[0.6], random_state=0)
    k = DEFAULT_ENGINE_CONFIG.col_block + 10
    X_ref, y_ref = imb.ADASYN(n_neighbors=k, random_state=0).fit_resample(X, y)
    sampler = ours.ADASYN(n_neighbors=k, random_state=0)
    with engine_config_context(EngineConfig(scan_min_pairs=0)):
        X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_allclose(X_res, X_ref)
    # The reference sampler's parameters read as the user's.
    assert sampler.sampler_.get_params()["n_neighbors"] == k
