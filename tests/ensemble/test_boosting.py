import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from skewlearn.ensemble import (
    AdaCostClassifier,
    AdaUBoostClassifier,
    AsymBoostClassifier,
    OverBoostClassifier,
    RUSBoostClassifier,
    SMOTEBoostClassifier,
)

SAMPLING = [RUSBoostClassifier, OverBoostClassifier, SMOTEBoostClassifier]
COST = [AdaCostClassifier, AdaUBoostClassifier, AsymBoostClassifier]


@pytest.mark.parametrize("cls", SAMPLING + COST)
def test_learns_beyond_chance_and_reproduces(hard_binary, cls):
    X_train, X_test, y_train, y_test = hard_binary
    a = cls(n_estimators=20, random_state=0).fit(X_train, y_train)
    b = cls(n_estimators=20, random_state=0).fit(X_train, y_train)
    np.testing.assert_array_equal(a.decision_function(X_test), b.decision_function(X_test))
    assert balanced_accuracy_score(y_test, a.predict(X_test)) > 0.55  # chance: 0.5


@pytest.mark.parametrize("cls", [RUSBoostClassifier, SMOTEBoostClassifier])
def test_sampling_boosts_beat_a_plain_tree(hard_binary, cls):
    X_train, X_test, y_train, y_test = hard_binary
    tree = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    clf = cls(n_estimators=30, random_state=0).fit(X_train, y_train)
    tree_score = balanced_accuracy_score(y_test, tree.predict(X_test))
    assert balanced_accuracy_score(y_test, clf.predict(X_test)) > tree_score + 0.05


@pytest.mark.parametrize("cls", SAMPLING + COST)
def test_multiclass(three_classes, cls):
    X_train, X_test, y_train, y_test = three_classes
    clf = cls(n_estimators=10, random_state=0).fit(X_train, y_train)
    score = clf.decision_function(X_test)
    assert score.shape == (len(X_test), 3)
    np.testing.assert_array_equal(clf.classes_[score.argmax(axis=1)], clf.predict(X_test))
    np.testing.assert_allclose(clf.predict_proba(X_test).sum(axis=1), 1.0)
    assert balanced_accuracy_score(y_test, clf.predict(X_test)) > 0.55


def test_binary_decision_sign_matches_prediction(hard_binary):
    X, X_test, y, _ = hard_binary
    clf = RUSBoostClassifier(n_estimators=5, random_state=0).fit(X, y)
    np.testing.assert_array_equal(
        clf.classes_[(clf.decision_function(X_test) > 0).astype(int)], clf.predict(X_test)
    )


def test_rus_boost_fits_members_on_balanced_weighted_samples(hard_binary, recording_tree):
    X, _, y, _ = hard_binary
    tree, log = recording_tree(max_depth=3)
    clf = RUSBoostClassifier(tree, n_estimators=3, random_state=0).fit(X, y)
    fits = [entry for entry in log if entry[0] == "fit"]
    n_min = np.sum(y == 1)
    assert all(counts.tolist() == [n_min, n_min] for _, _, counts, _, _ in fits)
    # Later rounds carry the boosting weights: no longer uniform.
    assert np.ptp(fits[-1][3]) > 0
    assert len(clf.estimator_weights_) == len(clf.estimators_) == 3


def test_cost_parameterisation(hard_binary):
    X, _, y, _ = hard_binary
    uboost = AdaUBoostClassifier(n_estimators=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(
        uboost.class_costs_ / uboost.class_costs_.min(), [1, np.sum(y == 0) / np.sum(y == 1)]
    )
    custom = AdaCostClassifier(n_estimators=3, class_cost={0: 1.0, 1: 5.0}, random_state=0).fit(
        X, y
    )
    np.testing.assert_array_equal(custom.class_costs_, [1.0, 5.0])
    # A costlier minority makes the model predict it more often.
    low = AsymBoostClassifier(n_estimators=10, class_cost={0: 1, 1: 1}, random_state=0).fit(X, y)
    high = AsymBoostClassifier(n_estimators=10, class_cost={0: 1, 1: 100}, random_state=0).fit(X, y)
    assert high.predict(X).sum() > low.predict(X).sum()


def test_equal_costs_adauboost_is_samme(hard_binary):
    X, X_test, y, _ = hard_binary
    even = AdaUBoostClassifier(n_estimators=5, class_cost={0: 2, 1: 2}, random_state=0).fit(X, y)
    asym = AsymBoostClassifier(n_estimators=5, class_cost={0: 2, 1: 2}, random_state=0).fit(X, y)
    np.testing.assert_allclose(even.decision_function(X_test), asym.decision_function(X_test))


def test_clear_errors(hard_binary):
    X, _, y, _ = hard_binary
    with pytest.raises(TypeError, match="does not accept sample_weight"):
        RUSBoostClassifier(KNeighborsClassifier()).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"'learning_rate' parameter of AdaCostClassifier must be a float in the range "
        r"\(0\.0, inf\)\. Got 0",
    ):
        AdaCostClassifier(learning_rate=0).fit(X, y)
    with pytest.raises(ValueError, match="no cost for classes"):
        AdaCostClassifier(class_cost={0: 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="finite and positive"):
        AsymBoostClassifier(class_cost={0: 1.0, 1: 0.0}).fit(X, y)
    with pytest.raises(
        ValueError,
        match=r"'class_cost' parameter of AdaUBoostClassifier must be a str among "
        r"\{.*'sqrt'.*\} or an instance of '.*Mapping'\. "
        "Got 'inverse'",
    ):
        AdaUBoostClassifier(class_cost="inverse").fit(X, y)
    noise = np.random.default_rng(0).integers(0, 3, size=len(y))
    with pytest.raises(ValueError, match="better than chance"):
        RUSBoostClassifier(DecisionTreeClassifier(max_depth=1)).fit(np.zeros((len(y), 2)), noise)


def test_class_costs_read_weighted_class_sizes():
    # A weight of 2 and a repeated row give the same costs; without weights they are
    # compute_class_weights' (scikit-learn's "balanced").
    from skewlearn.weighting import compute_class_weights

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (rng.uniform(size=60) < 0.25).astype(int)
    weights = np.where(np.arange(60) % 3 == 0, 2.0, 1.0)
    repeated = np.repeat(np.arange(60), weights.astype(int))
    for cls in (AdaCostClassifier, AsymBoostClassifier):
        model = cls(n_estimators=2, class_cost="balanced", random_state=0)
        weighted = model.fit(X, y, sample_weight=weights).class_costs_
        np.testing.assert_allclose(model.fit(X[repeated], y[repeated]).class_costs_, weighted)
        plain = model.fit(X, y).class_costs_
        np.testing.assert_allclose(plain, list(compute_class_weights(y, "balanced").values()))
    with pytest.raises(ValueError, match=r"classes \[1\] have zero total sample_weight"):
        AsymBoostClassifier(n_estimators=2).fit(X, y, sample_weight=(y == 0).astype(float))
