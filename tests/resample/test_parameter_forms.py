"""Every parameter form imbalanced-learn documents, with its output and fitted attributes.

Run on two data sets of ``conftest.py``, one full of ties.  A neighbour parameter may be an
int or a neighbours object; an object that asks what the int
asks runs on our engine, any other runs as given.  Either way the rows are imbalanced-learn's.
"""

import imblearn.over_sampling as imb_over
import imblearn.under_sampling as imb_under
import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from skewlearn import resample
from skewlearn.resample._sampler_base import neighbours_size


def _manhattan(n_neighbors):
    return NearestNeighbors(n_neighbors=n_neighbors, metric="manhattan")


# (class name, parameters, fitted attributes imbalanced-learn documents)
CASES = [
    ("EditedNearestNeighbours", {"n_neighbors": NearestNeighbors(n_neighbors=4)}, ["nn_"]),
    ("EditedNearestNeighbours", {"n_neighbors": _manhattan(4)}, ["nn_"]),
    ("RepeatedEditedNearestNeighbours", {"n_neighbors": NearestNeighbors(n_neighbors=4)}, ["nn_", "enn_"]),
    ("RepeatedEditedNearestNeighbours", {"n_neighbors": _manhattan(3)}, ["nn_", "enn_"]),
    ("AllKNN", {"n_neighbors": NearestNeighbors(n_neighbors=4)}, ["nn_", "enn_"]),
    ("AllKNN", {"n_neighbors": _manhattan(4), "kind_sel": "mode"}, ["nn_", "enn_"]),
    ("CondensedNearestNeighbour", {"n_neighbors": KNeighborsClassifier(n_neighbors=3)}, ["estimators_"]),
    ("CondensedNearestNeighbour", {"n_neighbors": KNeighborsClassifier(1, metric="manhattan")}, ["estimators_"]),
    ("OneSidedSelection", {"n_neighbors": KNeighborsClassifier(n_neighbors=1)}, ["estimators_"]),
    ("OneSidedSelection", {"n_neighbors": KNeighborsClassifier(3, weights="distance")}, ["estimators_"]),
    ("NeighbourhoodCleaningRule", {"n_neighbors": NearestNeighbors(n_neighbors=4)}, ["nn_", "edited_nearest_neighbours_", "classes_to_clean_"]),
    ("NeighbourhoodCleaningRule", {"n_neighbors": _manhattan(4)}, ["nn_", "edited_nearest_neighbours_"]),
    ("NeighbourhoodCleaningRule", {"edited_nearest_neighbours": resample.EditedNearestNeighbours()}, ["edited_nearest_neighbours_"]),
    ("NeighbourhoodCleaningRule", {"edited_nearest_neighbours": imb_under.EditedNearestNeighbours(n_neighbors=5)}, ["edited_nearest_neighbours_"]),
    ("NearMiss", {"n_neighbors": NearestNeighbors(n_neighbors=3)}, ["nn_"]),
    ("NearMiss", {"version": 2, "n_neighbors": _manhattan(3)}, ["nn_"]),
    ("NearMiss", {"version": 3, "n_neighbors_ver3": NearestNeighbors(n_neighbors=3)}, ["nn_", "nn_ver3_"]),
    ("NearMiss", {"version": 3, "n_neighbors_ver3": _manhattan(3)}, ["nn_", "nn_ver3_"]),
    ("SMOTE", {"k_neighbors": NearestNeighbors(n_neighbors=6)}, ["nn_k_"]),
    ("SMOTE", {"k_neighbors": _manhattan(4)}, ["nn_k_"]),
    ("ADASYN", {"n_neighbors": NearestNeighbors(n_neighbors=6)}, ["nn_"]),
    ("ADASYN", {"n_neighbors": _manhattan(4)}, ["nn_"]),
    ("BorderlineSMOTE", {"m_neighbors": NearestNeighbors(n_neighbors=11)}, ["nn_k_", "nn_m_", "in_danger_indices"]),
    ("BorderlineSMOTE", {"k_neighbors": _manhattan(4), "m_neighbors": _manhattan(8), "kind": "borderline-2"}, ["nn_k_", "nn_m_", "in_danger_indices"]),
]  # fmt: skip
_SEEDED = {"CondensedNearestNeighbour", "OneSidedSelection", "SMOTE", "ADASYN", "BorderlineSMOTE"}


def _reference(name):
    return getattr(imb_under, name, None) or getattr(imb_over, name)


@pytest.mark.parametrize("dataset", ["multiclass", "ties"], indirect=True)
@pytest.mark.parametrize(
    "name, params, attributes", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_same_output_as_imbalanced_learn(dataset, name, params, attributes):
    X, y = dataset
    if name in _SEEDED:
        params = {**params, "random_state": 0}
    ours = getattr(resample, name)(**params)
    theirs = _reference(name)(**params)
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)
    if hasattr(theirs, "sample_indices_"):
        np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    for attribute in attributes:
        assert hasattr(ours, attribute), attribute
    # The parameters are stored unchanged.
    assert all(ours.get_params()[key] is value for key, value in params.items())


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, 3),
        (NearestNeighbors(n_neighbors=4, n_jobs=2), 3),
        (KNeighborsClassifier(n_neighbors=4), 3),
        (NearestNeighbors(n_neighbors=4, algorithm="ball_tree"), None),
        (NearestNeighbors(n_neighbors=1), None),
        (KNeighborsClassifier(n_neighbors=4, weights="distance"), None),
    ],
)
def test_engine_answers_only_objects_that_ask_what_the_int_asks(value, expected):
    assert neighbours_size(value, additional=1) == expected


@pytest.mark.parametrize(
    "sampler, parameter",
    [
        (resample.BorderlineSMOTE(kind="foo"), "kind"),
        (resample.BorderlineSMOTE(m_neighbors=0), "m_neighbors"),
        (resample.AllKNN(allow_minority="yes"), "allow_minority"),
        (resample.CondensedNearestNeighbour(n_jobs="x"), "n_jobs"),
        (resample.EditedNearestNeighbours(n_neighbors="3"), "n_neighbors"),
        (resample.NearMiss(version=4), "version"),
    ],
)
def test_bad_values_are_refused_with_scikit_learns_message(sampler, parameter):
    X, y = make_classification(n_samples=100, weights=[0.8], random_state=0)
    with pytest.raises(
        ValueError, match=f"The '{parameter}' parameter of {type(sampler).__name__}"
    ):
        sampler.fit_resample(X, y)


def test_an_object_that_asks_what_the_int_asks_runs_on_the_engine(monkeypatch):
    from skewlearn.resample import _edited_nearest_neighbours

    def refuse(*args):
        raise AssertionError("imbalanced-learn's class was run for an equivalent object")

    monkeypatch.setattr(_edited_nearest_neighbours, "run_reference", refuse)
    X, y = make_classification(n_samples=100, weights=[0.8], random_state=0)
    enn = resample.EditedNearestNeighbours(n_neighbors=NearestNeighbors(n_neighbors=4))
    expected = resample.EditedNearestNeighbours(n_neighbors=3)
    expected.fit_resample(X, y)
    enn.fit_resample(X, y)
    np.testing.assert_array_equal(enn.sample_indices_, expected.sample_indices_)
