"""DecisionTunedClassifier: known answers, fallbacks, multiclass offsets, integration."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import make_pipeline
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, TunedThresholdClassifierCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier

from skewlearn import metrics
from skewlearn.decision import DecisionTunedClassifier, bayes_threshold


def calibrated_data(n, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.beta(1, 4, n)
    return p[:, None], (rng.random(n) < p).astype(int)


def test_bayes_rule_of_calibrated_model_is_cfp_over_cfp_plus_cfn(oracle):
    X, y = calibrated_data(200)
    model = DecisionTunedClassifier(oracle, scoring="cost:FN=4,FP=1", calibrated=True)
    assert model.fit(X, y).decision_rule_ == pytest.approx(1 / (1 + 4))
    assert bayes_threshold([[0, 2], [6, 0]], pos=1) == pytest.approx(0.25)


def test_searched_cost_threshold_finds_the_bayes_threshold_on_calibrated_scores(oracle):
    X, y = calibrated_data(20000)
    model = DecisionTunedClassifier(oracle, scoring=[[0, 1], [4, 0]], cv=2).fit(X, y)
    assert model.decision_rule_ == pytest.approx(0.2, abs=0.03)


def test_flat_optimum_gives_middle_of_interval_between_scores(oracle):
    X = np.array([[0.1], [0.2], [0.7], [0.9]])
    y = np.array([0, 0, 1, 1])
    model = DecisionTunedClassifier(oracle.fit(X, y), cv="prefit").fit(X, y)
    # Every t in (0.2, 0.7] separates the classes: the rule is the middle, 0.45.
    assert model.decision_rule_ == pytest.approx(0.45)
    assert model.best_score_ == 1.0


def test_constant_folds_fall_back_to_default_and_are_recorded():
    X, y = make_classification(n_samples=100, weights=[0.8], random_state=0)
    model = DecisionTunedClassifier(DummyClassifier(), cv=3).fit(X, y)
    assert model.cv_results_["fold_fallback"].all()
    assert model.decision_rule_ == 0.5
    with pytest.raises(ValueError, match="constant predictions"):
        TunedThresholdClassifierCV(DummyClassifier(), cv=3).fit(X, y)


def test_one_constant_fold_is_left_out_of_the_search():
    X, y = make_classification(n_samples=120, weights=[0.75], random_state=1)
    idx = np.arange(120)
    # Fold 0 trains on 20 rows: a leaf needs 15, so the boosted model cannot split there.
    splits = [(idx[:20], idx[20:60]), (idx[40:], idx[:40])]
    hgb = HistGradientBoostingClassifier(max_iter=20, min_samples_leaf=15)
    model = DecisionTunedClassifier(hgb, cv=splits).fit(X, y)
    assert model.cv_results_["fold_fallback"].tolist() == [True, False]
    assert model.cv_results_["fold_thresholds"][0] == 0.5


def test_multiclass_offsets_beat_argmax_macro_f1_on_held_out_data():
    X, y = make_classification(
        n_samples=3000, n_classes=3, n_informative=4, weights=[0.85, 0.1, 0.05],
        class_sep=0.8, random_state=0,
    )  # fmt: skip
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    model = DecisionTunedClassifier(LogisticRegression(), cv=3).fit(X_tr, y_tr)
    assert model.rule_ == "offsets" and model.decision_rule_.shape == (3,)
    tuned = metrics.f1(y_te, model.predict(X_te))
    plain = metrics.f1(y_te, model.estimator_.predict(X_te))
    assert tuned > plain + 0.02
    assert model.cv_results_["best_score"] > model.cv_results_["default_score"]
    assert model.cv_results_["fold_offsets"].shape == (3, 3)


def test_multiclass_bayes_cost_rule_is_argmin_of_expected_cost():
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4, random_state=0)
    cost = np.array([[0, 1, 1], [5, 0, 1], [9, 2, 0]])
    model = DecisionTunedClassifier(LogisticRegression(), scoring=cost, calibrated=True).fit(X, y)
    expected = np.argmin(model.predict_proba(X) @ cost, axis=1)
    np.testing.assert_array_equal(model.predict(X), expected)


def test_nothing_is_fitted_on_the_rows_it_is_scored_on():
    # 1-NN reproduces its training labels exactly: scored in-sample it would be perfect.
    rng = np.random.default_rng(0)
    X, y = rng.random((200, 3)), rng.integers(0, 2, 200)
    model = DecisionTunedClassifier(KNeighborsClassifier(1), scoring="balanced_accuracy").fit(X, y)
    assert model.best_score_ < 0.7


def test_predict_matches_decision_function_and_proba_passes_through():
    X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    model = DecisionTunedClassifier(LogisticRegression(), cv=3).fit(X, y)
    np.testing.assert_array_equal(model.predict(X), (model.decision_function(X) >= 0).astype(int))
    np.testing.assert_allclose(model.predict_proba(X), model.estimator_.predict_proba(X))
    assert model.cv_results_["thresholds"].shape == model.cv_results_["scores"].shape


def test_pandas_strings_pipeline_with_sampler_clone_and_grid_search():
    X, y = make_classification(n_samples=240, weights=[0.85], random_state=0)
    X = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    y = pd.Series(np.where(y == 1, "rare", "common"))
    pipe = make_pipeline(RandomOverSampler(random_state=0), LogisticRegression())
    model = DecisionTunedClassifier(pipe, scoring="mcc", cv=3)
    grid = GridSearchCV(model, {"scoring": ["f1", "gmean"]}, cv=2, scoring="balanced_accuracy")
    grid.fit(X, y)
    fitted = grid.best_estimator_
    assert set(fitted.predict(X)) <= {"rare", "common"}
    assert list(fitted.feature_names_in_) == list(X.columns)
    assert fitted.classes_[fitted._pos] == "rare"  # minority is positive by default
    assert clone(fitted).get_params()["scoring"] == fitted.scoring


def test_decision_function_only_estimator_uses_zero_as_default():
    from sklearn.svm import LinearSVC

    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    model = DecisionTunedClassifier(LinearSVC(), cv=3).fit(X, y)
    assert model.cv_results_["default_threshold"] == 0.0
    assert not hasattr(model, "predict_proba")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"scoring": "average_precision"}, "does not depend on the decision rule"),
        ({"scoring": "f1", "calibrated": True}, "Bayes-optimal rule of a cost matrix"),
        ({"scoring": [[0, 1, 2], [1, 0, 1]]}, "shape"),
        ({"pos_label": "nope"}, "nope"),
    ],
)
def test_bad_settings_fail_early_with_a_clear_message(kwargs, message):
    X, y = make_classification(n_samples=60, random_state=0)
    with pytest.raises(ValueError, match=message):
        DecisionTunedClassifier(LogisticRegression(), **kwargs).fit(X, y)


def test_a_binary_rule_names_its_positive_class_and_threshold(oracle):
    X, y = calibrated_data(200)
    labels = np.array(["no", "yes"])[y]
    model = DecisionTunedClassifier(oracle, scoring="cost:FN=4,FP=1", calibrated=True)
    model.fit(X, labels)
    assert model.positive_class_ == "yes"  # the minority class
    assert model.describe_rule() == "predict the positive class when P(yes) >= 0.2"
    model.set_params(pos_label="no").fit(X, labels)
    assert model.positive_class_ == "no"
    assert model.describe_rule() == "predict the positive class when P(no) >= 0.2"


def test_a_multiclass_rule_lists_its_offsets_or_names_the_cost_rule():
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4, random_state=0)
    model = DecisionTunedClassifier(LogisticRegression(), cv=3).fit(X, y)
    assert model.positive_class_ is None
    b = model.decision_rule_
    assert model.describe_rule() == (
        "argmax of log-probability plus per-class offsets "
        f"(0: {b[0]:+.3f}, 1: {b[1]:+.3f}, 2: {b[2]:+.3f})"
    )
    cost = np.array([[0, 1, 1], [5, 0, 1], [9, 2, 0]])
    model = DecisionTunedClassifier(LogisticRegression(), scoring=cost, calibrated=True).fit(X, y)
    assert model.positive_class_ is None
    assert model.describe_rule() == "the class of least expected cost under the cost matrix"
