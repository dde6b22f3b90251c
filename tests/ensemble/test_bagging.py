import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from skewlearn.ensemble import (
    OverBaggingClassifier,
    SMOTEBaggingClassifier,
    UnderBaggingClassifier,
)
from skewlearn.ensemble._bagging import _resample

BAGGING = [UnderBaggingClassifier, OverBaggingClassifier, SMOTEBaggingClassifier]


@pytest.mark.parametrize("cls", BAGGING)
def test_n_jobs_does_not_change_the_result(hard_binary, cls):
    X, X_test, y, _ = hard_binary
    one = cls(n_estimators=4, n_jobs=1, random_state=0).fit(X, y).predict_proba(X_test)
    two = cls(n_estimators=4, n_jobs=2, random_state=0).fit(X, y).predict_proba(X_test)
    np.testing.assert_array_equal(one, two)


def test_under_bagging_learns_beyond_a_plain_tree(hard_binary):
    X_train, X_test, y_train, y_test = hard_binary
    tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    clf = UnderBaggingClassifier(n_estimators=10, random_state=0).fit(X_train, y_train)
    tree_score = balanced_accuracy_score(y_test, tree.predict(X_test))
    assert balanced_accuracy_score(y_test, clf.predict(X_test)) > tree_score + 0.05


@pytest.mark.parametrize("cls", [OverBaggingClassifier, SMOTEBaggingClassifier])
def test_over_bagging_above_chance(hard_binary, cls):
    X_train, X_test, y_train, y_test = hard_binary
    clf = cls(n_estimators=5, random_state=0).fit(X_train, y_train)
    assert balanced_accuracy_score(y_test, clf.predict(X_test)) > 0.6


@pytest.mark.parametrize("cls", BAGGING)
def test_multiclass(three_classes, cls):
    X_train, X_test, y_train, y_test = three_classes
    clf = cls(n_estimators=4, random_state=0).fit(X_train, y_train)
    assert balanced_accuracy_score(y_test, clf.predict(X_test)) > 0.55
    np.testing.assert_allclose(clf.predict_proba(X_test).sum(axis=1), 1.0)


def test_member_training_sets(hard_binary, recording_tree):
    X, _, y, _ = hard_binary
    n_min, n_maj = np.sum(y == 1), np.sum(y == 0)
    tree, log = recording_tree()
    UnderBaggingClassifier(tree, n_estimators=2, random_state=0).fit(X, y)
    assert [entry[2].tolist() for entry in log] == [[n_min, n_min]] * 2
    tree, log = recording_tree()
    OverBaggingClassifier(tree, n_estimators=2, random_state=0).fit(X, y)
    assert [entry[2].tolist() for entry in log] == [[n_maj, n_maj]] * 2


def test_smote_sample_weight_for_synthetic_rows(hard_binary, recording_tree):
    X, _, y, _ = hard_binary
    weights = np.where(y == 1, 3.0, 1.0)
    tree, log = recording_tree()
    SMOTEBaggingClassifier(tree, n_estimators=1, bootstrap=False, random_state=0).fit(
        X, y, sample_weight=weights
    )
    ((_, n_fit, counts, fit_weights, _),) = log
    assert n_fit == 2 * np.sum(y == 0)
    # originals keep theirs; synthetic minority rows get the minority mean weight
    np.testing.assert_array_equal(fit_weights[: len(y)], weights)
    np.testing.assert_array_equal(fit_weights[len(y) :], 3.0)


def test_pandas_in(hard_binary):
    X, _, y, _ = hard_binary
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    clf = UnderBaggingClassifier(n_estimators=2, random_state=0).fit(frame, pd.Series(y))
    assert list(clf.feature_names_in_) == list(frame.columns)
    with pytest.warns(UserWarning, match="feature names"):
        clf.predict(X)


def test_clear_errors(hard_binary):
    X, _, y, _ = hard_binary
    with pytest.raises(TypeError, match="does not accept sample_weight"):
        UnderBaggingClassifier(KNeighborsClassifier()).fit(X, y, sample_weight=np.ones(len(y)))
    few = np.r_[np.zeros(50, dtype=int), np.ones(3, dtype=int)]
    with pytest.raises(ValueError, match="k_neighbors=2"):
        SMOTEBaggingClassifier().fit(X[:53], few)
    with pytest.raises(ValueError, match="n_estimators must be a positive integer"):
        UnderBaggingClassifier(n_estimators=0).fit(X, y)
    with pytest.raises(ValueError, match="1 class"):
        UnderBaggingClassifier().fit(X, np.zeros(len(y)))


@pytest.mark.parametrize(
    "sampler",
    [RandomUnderSampler(random_state=3), RandomOverSampler(random_state=3)],
    ids=["under", "over"],
)
def test_label_only_samplers_pick_the_rows_they_would_pick_from_X(hard_binary, sampler):
    # Random under/over-sampling is given row numbers instead of X, to avoid copying
    # the whole bootstrap: the training set must be the one the sampler makes from X.
    X, _, y, _ = hard_binary
    rows = np.random.default_rng(0).integers(0, len(y), size=len(y))
    weights = np.linspace(1, 2, len(y))
    X_res, y_res, w_res = _resample(clone(sampler), X, y, weights, rows)
    reference = clone(sampler)
    X_ref, y_ref = reference.fit_resample(X[rows], y[rows])
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(w_res, weights[rows[reference.sample_indices_]])
