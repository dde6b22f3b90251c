import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from skewlearn.ensemble import (
    OverBaggingClassifier,
    SMOTEBaggingClassifier,
    SMOTEBoostClassifier,
    UnderBaggingClassifier,
)
from skewlearn.ensemble._bagging import _resample
from skewlearn.resample import SMOTE

BAGGING = [UnderBaggingClassifier, OverBaggingClassifier, SMOTEBaggingClassifier]
SMOTE_ENSEMBLES = [SMOTEBaggingClassifier, SMOTEBoostClassifier]


def _tiny_minority(hard_binary):
    """50 majority rows and a minority class of 3, too few for SMOTE's usual 5 neighbours."""
    X, _, _, _ = hard_binary
    return X[:53], np.r_[np.zeros(50, dtype=int), np.ones(3, dtype=int)]


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


def test_bad_sample_weight_is_refused_in_the_words_of_every_other_estimator(hard_binary):
    X, _, y, _ = hard_binary
    model = UnderBaggingClassifier(n_estimators=2, random_state=0)
    bad = [
        (np.ones(len(y) - 1), "sample_weight has shape .* pass one weight per row"),
        (-np.ones(len(y)), "sample_weight must be finite and non-negative"),
        (np.zeros(len(y)), "sample_weight is zero on every row"),
        (np.ones(len(y), dtype=bool), "numbers, not True/False"),
    ]
    for weights, message in bad:
        with pytest.raises(ValueError, match=message):
            model.fit(X, y, sample_weight=weights)
    # One number is that weight on every row: the same model as no weights.
    weighted = clone(model).fit(X, y, sample_weight=3.0).predict_proba(X)
    np.testing.assert_allclose(weighted, clone(model).fit(X, y).predict_proba(X))


def test_clear_errors(hard_binary):
    X, _, y, _ = hard_binary
    with pytest.raises(TypeError, match="does not accept sample_weight"):
        UnderBaggingClassifier(KNeighborsClassifier()).fit(X, y, sample_weight=np.ones(len(y)))
    with pytest.raises(ValueError, match="k_neighbors=2"):
        SMOTEBaggingClassifier(k_neighbors=5).fit(*_tiny_minority(hard_binary))
    with pytest.raises(
        ValueError,
        match=r"'n_estimators' parameter of UnderBaggingClassifier must be an int in the "
        r"range \[1, inf\)\. Got 0",
    ):
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


def test_smote_members_get_imblearns_rows(hard_binary):
    # The ensembles' SMOTE is skewlearn's: on a bootstrap, with weights, a seeded draw must
    # give the training set imbalanced-learn's SMOTE gives with the same seed and k.
    X, _, y, _ = hard_binary
    rows = np.random.default_rng(0).integers(0, len(y), size=len(y))
    weights = np.linspace(1, 2, len(y))
    ours = _resample(SMOTE(k_neighbors=3, random_state=7), X, y, weights, rows)
    reference = _resample(ImbSMOTE(k_neighbors=3, random_state=7), X, y, weights, rows)
    for got, expected in zip(ours, reference, strict=True):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("cls", SMOTE_ENSEMBLES)
def test_auto_k_neighbors_is_five_when_every_class_has_more(hard_binary, cls):
    X, X_test, y, _ = hard_binary
    auto = cls(n_estimators=3, random_state=0).fit(X, y)
    five = cls(n_estimators=3, k_neighbors=5, random_state=0).fit(X, y)
    assert auto.k_neighbors_ == five.k_neighbors_ == 5
    np.testing.assert_array_equal(auto.predict_proba(X_test), five.predict_proba(X_test))


@pytest.mark.parametrize("cls", SMOTE_ENSEMBLES)
def test_auto_k_neighbors_shrinks_for_a_tiny_class_with_one_warning(hard_binary, cls):
    X, y = _tiny_minority(hard_binary)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        auto = cls(n_estimators=4, random_state=0).fit(X, y)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert messages == [
        f"class 1 has 3 samples, fewer than 6; {cls.__name__} uses k_neighbors=2 instead of 5."
    ]
    assert auto.k_neighbors_ == 2
    two = cls(n_estimators=4, k_neighbors=2, random_state=0).fit(X, y)
    np.testing.assert_array_equal(auto.predict_proba(X), two.predict_proba(X))


@pytest.mark.parametrize("cls", SMOTE_ENSEMBLES)
def test_k_neighbors_too_large_fails_before_any_member_is_fitted(hard_binary, recording_tree, cls):
    tree, log = recording_tree(max_depth=3)
    with pytest.raises(
        ValueError, match=rf"class 1 has 3 samples; {cls.__name__} needs k_neighbors < 3"
    ):
        cls(tree, k_neighbors=3).fit(*_tiny_minority(hard_binary))
    assert log == []
