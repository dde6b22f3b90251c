import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skewlearn.ensemble import BalanceCascadeClassifier
from skewlearn.ensemble._cascade import cascade_pool_sizes


def test_pool_sizes_follow_the_keep_ratio():
    # r = (10/1000)^(1/4) = 10^(-1/2)
    np.testing.assert_array_equal(cascade_pool_sizes(1000, 10, 4), [1000, 316, 100, 31])
    np.testing.assert_array_equal(cascade_pool_sizes(50, 50, 3), [50, 50, 50])


def test_learns_beyond_a_plain_tree(hard_binary):
    X_train, X_test, y_train, y_test = hard_binary
    tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    clf = BalanceCascadeClassifier(n_estimators=10, random_state=0).fit(X_train, y_train)
    tree_score = balanced_accuracy_score(y_test, tree.predict(X_test))
    assert balanced_accuracy_score(y_test, clf.predict(X_test)) > tree_score + 0.05


def test_drops_what_the_ensemble_gets_right(hard_binary, recording_tree):
    X, _, y, _ = hard_binary
    tree, log = recording_tree()
    clf = BalanceCascadeClassifier(tree, n_estimators=2, random_state=0).fit(X, y)
    fits = [entry for entry in log if entry[0] == "fit"]
    n_min, n_maj = np.sum(y == 1), np.sum(y == 0)
    assert [counts.tolist() for _, _, counts, _, _ in fits] == [[n_min, n_min]] * 2
    # Round 1 draws only from the pool of majority rows the first member found hardest.
    keep = cascade_pool_sizes(n_maj, n_min, 2)[1]
    p_majority = clf.estimators_[0].predict_proba(X[y == 0])[:, 0]
    threshold = np.sort(p_majority)[keep - 1]
    X_round1 = fits[1][4]
    drawn = clf.estimators_[0].predict_proba(X_round1)[:, 0][: len(X_round1) - n_min]
    assert np.all(drawn <= threshold)
    assert np.sum(p_majority <= threshold) < n_maj


def test_multiclass_and_seeds(three_classes):
    X_train, X_test, y_train, y_test = three_classes
    a = BalanceCascadeClassifier(n_estimators=5, random_state=3).fit(X_train, y_train)
    b = BalanceCascadeClassifier(n_estimators=5, random_state=3).fit(X_train, y_train)
    np.testing.assert_array_equal(a.predict_proba(X_test), b.predict_proba(X_test))
    assert balanced_accuracy_score(y_test, a.predict(X_test)) > 0.6


def test_needs_probabilities(hard_binary):
    X, _, y, _ = hard_binary
    with pytest.raises(TypeError, match="predict_proba"):
        BalanceCascadeClassifier(LinearSVC()).fit(X, y)
