"""Cleaning samplers and NearMiss keep exactly imbalanced-learn's rows, in the same order."""

import imblearn.combine as imb_combine
import imblearn.under_sampling as imb
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification

import skewlearn.resample as ours

CASES = [
    ("TomekLinks", {}),
    ("TomekLinks", {"sampling_strategy": "all"}),
    ("EditedNearestNeighbours", {}),
    ("EditedNearestNeighbours", {"kind_sel": "mode", "n_neighbors": 5}),
    ("EditedNearestNeighbours", {"sampling_strategy": "all"}),
    ("RepeatedEditedNearestNeighbours", {}),
    ("RepeatedEditedNearestNeighbours", {"kind_sel": "mode", "max_iter": 2}),
    ("AllKNN", {}),
    ("AllKNN", {"allow_minority": True, "n_neighbors": 4}),
    ("NeighbourhoodCleaningRule", {}),
    ("NeighbourhoodCleaningRule", {"threshold_cleaning": 0.1, "n_neighbors": 4}),
    ("OneSidedSelection", {"random_state": 0}),
    ("OneSidedSelection", {"random_state": 3, "n_neighbors": 3, "n_seeds_S": 4}),
    ("CondensedNearestNeighbour", {"random_state": 0}),
    ("CondensedNearestNeighbour", {"random_state": 1, "n_neighbors": 3}),
    ("NearMiss", {}),
    ("NearMiss", {"version": 2}),
    ("NearMiss", {"version": 3}),
    ("NearMiss", {"version": 3, "n_neighbors": 2, "n_neighbors_ver3": 5}),
    ("NearMiss", {"sampling_strategy": "majority", "n_neighbors": 4}),
]

# Every test here runs on the small-data and the large-data paths (conftest.engine_config).
pytestmark = pytest.mark.usefixtures("engine_config")


def _ids(case):
    name, params = case
    return name + "".join(f"-{k}={v}" for k, v in params.items())


def _assert_same_rows(name, params, X, y):
    reference = getattr(imb, name)(**params)
    X_ref, y_ref = reference.fit_resample(X, y)
    sampler = getattr(ours, name)(**params)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.sample_indices_, reference.sample_indices_)
    np.testing.assert_array_equal(y_res, y_ref)
    if sp.issparse(X_res):
        X_res, X_ref = X_res.toarray(), X_ref.toarray()
    np.testing.assert_array_equal(np.asarray(X_res), np.asarray(X_ref))


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_same_rows_as_imbalanced_learn(case, dataset):
    X, y = dataset
    if case[0] == "RepeatedEditedNearestNeighbours":
        # imbalanced-learn reorders sample_indices_ twice when its first pass changes
        # nothing on unsorted labels (see the class notes); sorted labels avoid that quirk.
        order = np.argsort(y, kind="stable")
        X, y = X[order], y[order]
    _assert_same_rows(*case, X, y)


@pytest.mark.parametrize(
    "name", ["TomekLinks", "EditedNearestNeighbours", "NeighbourhoodCleaningRule"]
)
def test_same_rows_on_sparse_input(name):
    X = sp.random(300, 10, density=0.4, random_state=0, format="csr")
    y = (np.asarray(X.sum(axis=1)).ravel() > 1.5).astype(int)
    _assert_same_rows(name, {}, X, y)


def test_pandas_in_pandas_out():
    X, y = pd.DataFrame({"a": [0.0, 0.1, 1.0, 1.05, 3.0, 3.2], "b": [1, 1, 1, 1, 2, 2]}), None
    y = pd.Series([0, 0, 0, 1, 0, 0], name="target")
    X_res, y_res = ours.TomekLinks().fit_resample(X, y)
    assert list(X_res.columns) == ["a", "b"]
    assert X_res.dtypes.tolist() == X.dtypes.tolist()
    assert y_res.name == "target"


@pytest.mark.parametrize("name", ["SMOTEENN", "SMOTETomek"])
def test_composites_same_rows_as_imbalanced_learn(name, dataset):
    X, y = dataset
    X_ref, y_ref = getattr(imb_combine, name)(random_state=0).fit_resample(X, y)
    X_res, y_res = getattr(ours, name)(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(X_res, X_ref)


KEEL = ["ecoli1", "glass1", "pima", "yeast3", "vehicle0", "abalone19"]


@pytest.mark.parametrize("keel_name", KEEL)
@pytest.mark.parametrize("case", CASES[::2], ids=_ids)
def test_same_rows_on_keel(case, keel_name):
    datasets = pytest.importorskip("skewlearn.datasets")
    data = datasets.load_dataset(keel_name)
    X = pd.get_dummies(data.X, dtype=float).to_numpy()
    # Integer labels: imbalanced-learn's kind_sel="mode" cannot take string labels.
    y = np.unique(np.asarray(data.y), return_inverse=True)[1]
    _assert_same_rows(*case, X, y)


def test_mode_editing_takes_string_labels():
    X, y = make_classification(n_samples=300, weights=[0.8], flip_y=0.1, random_state=0)
    named = np.where(y == 1, "fraud", "ok")
    ints = ours.EditedNearestNeighbours(kind_sel="mode").fit(X, y)
    ints.fit_resample(X, y)
    strings = ours.EditedNearestNeighbours(kind_sel="mode")
    strings.fit_resample(X, named)
    # Rows are grouped by class in sorted label order, which differs between the two codings.
    np.testing.assert_array_equal(np.sort(strings.sample_indices_), np.sort(ints.sample_indices_))


@pytest.mark.parametrize("case", CASES + [("ADASYN", {}), ("BorderlineSMOTE", {})], ids=_ids)
def test_same_rows_when_scikit_learn_splits_large_queries_differently(case):
    # Among equal distances scikit-learn's order depends on how it splits a query's work,
    # which it chooses from the number of queries in the call: rows asked again alone must
    # be answered as within imbalanced-learn's call.  A small chunk size moves the switch
    # from thousands of queries to a few hundred.
    import imblearn.over_sampling as imb_over
    from sklearn import config_context

    name, params = case
    rng = np.random.RandomState(5)
    X = rng.randint(0, 2, size=(700, 18)).astype(float)
    y = (X[:, :6].sum(axis=1) + rng.randint(0, 3, size=700) > 6).astype(int)
    order = np.argsort(y, kind="stable")  # see test_same_rows_as_imbalanced_learn
    X, y = X[order], y[order]
    with config_context(pairwise_dist_chunk_size=20):
        if name in ("ADASYN", "BorderlineSMOTE"):
            X_ref, y_ref = getattr(imb_over, name)(random_state=0).fit_resample(X, y)
            X_res, y_res = getattr(ours, name)(random_state=0).fit_resample(X, y)
            np.testing.assert_array_equal(y_res, y_ref)
            np.testing.assert_array_equal(X_res, X_ref)
        else:
            _assert_same_rows(name, params, X, y)
