import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import balanced_accuracy_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skewlearn.ensemble import SelfPacedEnsembleClassifier
from skewlearn.ensemble._self_paced import self_paced_alpha, self_paced_bin_quota


def test_alpha_schedule():
    alphas = [self_paced_alpha(i, 5) for i in range(5)]
    np.testing.assert_allclose(alphas[:4], [0.0, np.tan(np.pi / 8), 1.0, np.tan(3 * np.pi / 8)])
    assert alphas[4] > 1e15  # tan(pi/2) in floating point: every bin weighs the same
    assert self_paced_alpha(0, 1) == 0.0


def test_bin_quota_known_case():
    # weights 1/(h + alpha) = 1/0.5, 1/1.0, 1/2.0 = 2, 1, 0.5 -> shares 4/7, 2/7, 1/7 of 14
    quota = self_paced_bin_quota(
        np.array([0.0, 0.5, 1.5]), np.array([50, 30, 20]), 0.5, 14, replacement=True
    )
    np.testing.assert_array_equal(quota, [8, 4, 2])


def test_bin_quota_skips_empty_bins_and_sums_to_target():
    quota = self_paced_bin_quota(
        np.array([0.1, 0.0, 0.9]), np.array([10, 0, 10]), 1.0, 7, replacement=True
    )
    assert quota[1] == 0 and quota.sum() == 7


def test_bin_quota_without_replacement_moves_excess():
    # the easy bin would take 10 of 12 but holds 4: its excess goes to the others
    quota = self_paced_bin_quota(
        np.array([0.0, 0.9, 1.0]), np.array([4, 50, 50]), 0.1, 12, replacement=False
    )
    assert quota[0] == 4 and quota.sum() == 12
    assert np.all(quota <= [4, 50, 50])


def test_last_round_spreads_evenly():
    quota = self_paced_bin_quota(
        np.array([0.1, 0.5, 0.9]),
        np.array([90, 5, 5]),
        self_paced_alpha(9, 10),
        30,
        replacement=True,
    )
    np.testing.assert_array_equal(quota, [10, 10, 10])


def test_learns_beyond_a_plain_tree(hard_binary):
    X_train, X_test, y_train, y_test = hard_binary
    tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    spe = SelfPacedEnsembleClassifier(n_estimators=20, random_state=0).fit(X_train, y_train)
    tree_score = balanced_accuracy_score(y_test, tree.predict(X_test))
    spe_score = balanced_accuracy_score(y_test, spe.predict(X_test))
    assert spe_score > tree_score + 0.08, (spe_score, tree_score)


def test_balanced_rounds_and_incremental_scoring(hard_binary, recording_tree):
    X, _, y, _ = hard_binary
    tree, log = recording_tree()
    n = 6
    SelfPacedEnsembleClassifier(tree, n_estimators=n, random_state=0).fit(X, y)
    fits = [entry for entry in log if entry[0] == "fit"]
    assert len(fits) == n
    for _, _, counts, _, _ in fits:
        assert counts[0] == counts[1] == np.sum(y == 1)
    # The running probability is updated with the newest member only: one full pass each,
    # none after the last member.
    scored = [entry[1] for entry in log if entry[0] == "predict_proba"]
    assert scored == [len(y)] * (n - 1)


def test_multiclass_each_class_by_its_own_hardness(three_classes, recording_tree):
    X_train, X_test, y_train, y_test = three_classes
    tree, log = recording_tree()
    spe = SelfPacedEnsembleClassifier(tree, n_estimators=5, random_state=0)
    spe.fit(X_train, y_train)
    smallest = pd.Series(y_train).value_counts().min()
    fits = [entry for entry in log if entry[0] == "fit"]
    assert len(fits) == 5
    for _, _, counts, _, _ in fits:
        np.testing.assert_array_equal(counts, smallest)
    assert set(spe.predict(X_test)) <= set(spe.classes_)
    assert spe.predict_proba(X_test).shape == (len(X_test), 3)
    assert balanced_accuracy_score(y_test, spe.predict(X_test)) > 0.6


@pytest.mark.parametrize("hardness", ["absolute_error", "squared_error", "cross_entropy"])
def test_seeds_reproduce(hard_binary, hardness):
    X, X_test, y, _ = hard_binary
    make = lambda seed: SelfPacedEnsembleClassifier(  # noqa: E731
        n_estimators=5, hardness=hardness, random_state=seed
    ).fit(X, y)
    np.testing.assert_array_equal(make(1).predict_proba(X_test), make(1).predict_proba(X_test))
    assert not np.array_equal(make(1).predict_proba(X_test), make(2).predict_proba(X_test))


def test_callable_hardness_gets_codes_and_probabilities(hard_binary):
    X, _, y, _ = hard_binary
    seen = []

    def hardness(y_true, proba):
        seen.append((set(np.unique(y_true)), proba.shape[1]))
        return 1.0 - proba[np.arange(len(y_true)), y_true]

    custom = SelfPacedEnsembleClassifier(n_estimators=4, hardness=hardness, random_state=0)
    default = SelfPacedEnsembleClassifier(n_estimators=4, random_state=0)
    np.testing.assert_array_equal(
        custom.fit(X, y).predict_proba(X), default.fit(X, y).predict_proba(X)
    )
    assert seen == [({0}, 2)] * 3


def test_without_replacement_draws_distinct_rows(hard_binary):
    X, _, y, _ = hard_binary
    spe = SelfPacedEnsembleClassifier(n_estimators=3, replacement=False, random_state=0)
    assert balanced_accuracy_score(y, spe.fit(X, y).predict(X)) > 0.5


def test_pandas_and_sample_weight(hard_binary, recording_tree):
    X, _, y, _ = hard_binary
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    tree, log = recording_tree()
    weights = np.linspace(0.5, 1.5, len(y))
    spe = SelfPacedEnsembleClassifier(tree, n_estimators=2, random_state=0)
    spe.fit(frame, y, sample_weight=weights)
    assert list(spe.feature_names_in_) == list(frame.columns)
    fits = [entry for entry in log if entry[0] == "fit"]
    assert len(fits) == 2 and all(entry[3] is not None for entry in fits)
    assert spe.predict(frame).shape == (len(y),)


def test_clear_errors(hard_binary):
    X, _, y, _ = hard_binary
    with pytest.raises(
        ValueError,
        match=r"'hardness' parameter of SelfPacedEnsembleClassifier must be a str among "
        r"\{.*'squared_error'.*\} or a callable\. Got 'margin'",
    ):
        SelfPacedEnsembleClassifier(hardness="margin").fit(X, y)
    with pytest.raises(
        TypeError,
        match="'estimator' parameter .* must be an object implementing 'fit' and "
        "'predict_proba' or None. Got LinearSVC",
    ):
        SelfPacedEnsembleClassifier(LinearSVC()).fit(X, y)
    with pytest.raises(TypeError, match="does not accept sample_weight"):
        SelfPacedEnsembleClassifier(KNeighborsClassifier()).fit(X, y, sample_weight=np.ones(len(y)))
    with pytest.raises(
        ValueError,
        match=r"'k_bins' parameter of SelfPacedEnsembleClassifier must be an int in the range "
        r"\[1, inf\)\. Got 0",
    ):
        SelfPacedEnsembleClassifier(k_bins=0).fit(X, y)
    with pytest.raises(ValueError, match="one value per sample"):
        SelfPacedEnsembleClassifier(n_estimators=2, hardness=lambda y, p: p).fit(X, y)
