"""Weights in the selection: the user's sample weights in every fit, fold score and the refit;
``score_class_weight`` in the fold scores only; and nothing changed when neither is given."""

import numpy as np
import pandas as pd
import pytest
from imblearn import pipeline as imblearn_pipeline
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import f1_score, fbeta_score, matthews_corrcoef, precision_score

import skewlearn.select._strategy as strategy_module
from skewlearn.evaluation import (
    EvaluationData,
    EvaluationPlan,
    Objective,
    Task,
    TaskInfo,
    evaluate,
    task_seed,
)
from skewlearn.evaluation._plan import Fold
from skewlearn.select import AutoBalancedClassifier, Strategy
from skewlearn.select._selector import selection_key

SPECS = ["logreg+smote+threshold", "tree+rus+prior", "logreg+ros"]


def _data(n=180):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = ((X["a"] + 0.8 * rng.normal(size=n)) > 1.0).astype(int).to_numpy()
    return X, y, rng.uniform(0.5, 2.0, n)


def _fingerprint(auto):
    results = sorted(
        (r.strategy, r.fold, r.seed, tuple(r.metrics.items()), r.y_pred.tobytes(),
         r.y_proba.tobytes())
        for r in auto.selection_.results
    )  # fmt: skip
    board = auto.leaderboard_.drop(columns=["fit_time", "predict_time"])
    return results, board.to_csv(), auto.predict_proba(_data()[0]).tobytes()


def test_without_weights_seeds_and_scores_are_unchanged(monkeypatch):
    # The strategies used to be imbalanced-learn's Pipeline; the weight-carrying one must give
    # the very same seeds, fold predictions, scores, leaderboard and refit without weights.
    X, y, _ = _data()
    params = dict(cv=3, n_repeats=1, racing=False, prior=None)
    ours = _fingerprint(AutoBalancedClassifier(SPECS, **params).fit(X, y))
    monkeypatch.setattr(strategy_module, "Pipeline", imblearn_pipeline.Pipeline)
    theirs = AutoBalancedClassifier(SPECS, **params).fit(X, y)
    assert type(theirs.best_estimator_).__module__.startswith("imblearn")
    assert ours == _fingerprint(theirs)


def _evaluation(X, y, weights=None, score_weight=None, class_weight=None):
    folds = EvaluationPlan(3, 1, random_state=0).folds(y)
    info = TaskInfo.from_data(X, y, 3, weights is not None, class_weight)
    return EvaluationData(X, y, folds, info, weights, score_weight), folds, info


@pytest.mark.parametrize("spec", SPECS)
def test_each_fold_fits_and_scores_its_rows_with_their_weights(spec):
    X, y, w = _data()
    data, folds, info = _evaluation(X, y, w, w)
    strategy = Strategy.parse(spec)
    objective = Objective("f1", np.array([0, 1]), y)
    for fold in folds[:2]:
        seed = task_seed(0, strategy, fold)
        result = evaluate(data, Task("d", strategy, fold.index, 0, seed, (objective,)))
        assert result.status == "ok", result.error
        # By hand: the same estimator fitted on the fold's weighted rows, scored weighted.
        model = strategy.build(info, metric="f1", random_state=seed)
        model.fit(X.iloc[fold.train], y[fold.train], sample_weight=w[fold.train])
        y_pred = model.predict(X.iloc[fold.test])
        expected = objective.score(y[fold.test], y_pred, None, w[fold.test])
        assert result.metrics["f1"] == expected
        plain = evaluate(_evaluation(X, y)[0], Task("d", strategy, fold.index, 0, seed,
                                                    (objective,)))  # fmt: skip
        assert plain.metrics["f1"] != expected


def test_weighted_selection_refits_the_winner_on_the_weights():
    X, y, w = _data()
    auto = AutoBalancedClassifier(["logreg+ros", "easy"], cv=3, n_repeats=1, prior=None)
    auto.fit(X, y, sample_weight=w)
    board = auto.leaderboard_.set_index("strategy")
    assert board.loc["easy", "status"] == "skipped"
    assert "cannot honour sample weights" in board.loc["easy", "reason"]
    assert auto.weighted_ and auto.selection_.weighted and board.attrs["weighted"]
    assert any("sample weights" in note for note in auto.selection_.notes)
    info = TaskInfo.from_data(X, y, 3, weighted=True)
    expected = Strategy.parse("logreg+ros").build(info, metric="f1", random_state=0)
    expected.fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(auto.predict_proba(X), expected.predict_proba(X))
    # Without weights the ensemble that cannot take them races as before.
    assert Strategy.parse("easy").unavailable(TaskInfo.from_data(X, y, 3)) is None


def test_weights_and_class_weights_change_the_stored_selection_key():
    X, y, w = _data()
    folds = EvaluationPlan(3, 1).folds(y)
    objective = Objective("f1", np.array([0, 1]), y)
    plain = selection_key(X, y, folds, objective, 0)
    assert plain == selection_key(X, y, folds, objective, 0, None, None)
    assert plain != selection_key(X, y, folds, objective, 0, w)
    assert plain != selection_key(X, y, folds, objective, 0, None, {0: 5.0, 1: 1.0})


def test_bad_sample_weight_is_refused():
    X, y, w = _data()
    with pytest.raises(ValueError, match="sample_weight has shape"):
        AutoBalancedClassifier(["logreg"], cv=3, n_repeats=1).fit(X, y, sample_weight=w[:-1])


class _Fixed(ClassifierMixin, BaseEstimator):
    """A fixed rule: positive when column "a" is above 0; fitting learns nothing."""

    def fit(self, X, y, sample_weight=None):
        self.classes_ = np.array([0, 1])
        self.fitted_with_ = sample_weight
        return self

    def predict(self, X):
        return (np.asarray(X["a"]) > 0).astype(int)


class _FixedCandidate:
    name = "fixed"

    def unavailable(self, task):
        return None

    def build(self, task, *, metric, random_state):
        return _Fixed()


def test_class_weights_on_a_down_sampled_majority_give_the_full_datas_scores():
    # Full data: 15 true positives, 5 false negatives, 20 false positives, 100 true negatives.
    # A sample keeps every positive and the majority at rate r = 1/10: 2 false positives and
    # 10 true negatives. Weight 10 on the majority gives back the full data's counts exactly.
    def table(tp, fn, fp, tn):
        a = np.r_[np.ones(tp), -np.ones(fn), np.ones(fp), -np.ones(tn)]
        y = np.r_[np.ones(tp + fn, int), np.zeros(fp + tn, int)]
        return pd.DataFrame({"a": a}), y

    X_full, y_full = table(15, 5, 20, 100)
    X, y = table(15, 5, 2, 10)
    fold = Fold(0, 0, np.arange(len(y)), np.arange(len(y)))
    class_weight = {0: 10.0, 1: 1.0}
    factor = np.where(y == 0, 10.0, 1.0)
    info = TaskInfo.from_data(X, y, 2, score_class_weight=class_weight)
    data = EvaluationData(X, y, [fold], info, None, factor)
    metrics = {"f1": f1_score, "fbeta:beta=0.5": lambda t, p: fbeta_score(t, p, beta=0.5),
               "mcc": matthews_corrcoef}  # fmt: skip
    objectives = tuple(Objective(m, np.array([0, 1]), y, class_weight) for m in metrics)
    # The sample's minority is the majority (12 of 32 rows are negatives); the corrected
    # counts make class 1 the positive class again, as it is in the full data.
    assert Objective("f1", np.array([0, 1]), y).positive == 0
    assert objectives[0].positive == 1
    result = evaluate(data, Task("s", _FixedCandidate(), 0, 0, 0, objectives))
    full_pred = (X_full["a"] > 0).astype(int)
    for name, full_score in metrics.items():
        assert result.metrics[name] == pytest.approx(full_score(y_full, full_pred), rel=1e-12)
    assert result.metrics["f1"] == pytest.approx(2 * 15 / (2 * 15 + 5 + 20))  # precision 15/35
    assert precision_score(y, (X["a"] > 0).astype(int), sample_weight=factor) == 15 / 35
    unweighted = evaluate(EvaluationData(X, y, [fold], info), Task("s", _FixedCandidate(), 0,
                                                                    0, 0, objectives))  # fmt: skip
    assert unweighted.metrics["f1"] == pytest.approx(2 * 15 / (2 * 15 + 5 + 2))


def test_score_class_weight_weighs_fold_scores_and_never_fits():
    X, y, _ = _data()
    params = dict(cv=3, n_repeats=1, racing=False, prior=None)
    specs = ["logreg", "logreg+threshold"]
    plain = AutoBalancedClassifier(specs, **params).fit(X, y)
    corrected = AutoBalancedClassifier(specs, score_class_weight={0: 5}, **params).fit(X, y)
    by_key = {(r.strategy, r.fold): r for r in plain.selection_.results}
    folds = corrected.selection_.folds
    objective = Objective("f1", np.array([0, 1]), y)
    moved = 0
    for r in corrected.selection_.results:
        twin = by_key[(r.strategy, r.fold)]
        test = folds[r.fold].test
        expected = objective.score(y[test], r.y_pred, None, np.where(y[test] == 0, 5.0, 1.0))
        assert r.metrics["f1"] == pytest.approx(expected, rel=1e-12)
        # Fits never see the class weights: the same models give the same probabilities ...
        np.testing.assert_array_equal(r.y_proba, twin.y_proba)
        # ... and only the tuned rule, tuned on corrected scores, decides otherwise.
        if r.strategy == "logreg":
            np.testing.assert_array_equal(r.y_pred, twin.y_pred)
        else:
            moved += not np.array_equal(r.y_pred, twin.y_pred)
    assert moved > 0
    assert corrected.selection_.score_class_weight == {0: 5.0, 1: 1.0}
    assert corrected.leaderboard_.attrs["score_class_weight"] == {0: 5.0, 1: 1.0}
    assert any("score_class_weight" in note for note in corrected.selection_.notes)
    assert "score_class_weight" not in plain.leaderboard_.attrs


def test_the_threshold_strategy_tunes_on_corrected_scores():
    X, y, _ = _data()
    info = TaskInfo.from_data(X, y, 3, score_class_weight={0: 5.0, 1: 1.0})
    model = Strategy.parse("logreg+threshold").build(info, metric="f1", random_state=0)
    assert model.score_class_weight == {0: 5.0, 1: 1.0}
    plain = Strategy.parse("logreg+threshold").build(TaskInfo.from_data(X, y, 3), metric="f1",
                                                     random_state=0)  # fmt: skip
    assert plain.score_class_weight is None


@pytest.mark.parametrize(
    ("score_class_weight", "message"),
    [
        ({2: 1.0}, "names classes that are not in y: \\[2\\]"),
        ({0: 0.0}, "must give each class a finite weight > 0"),
        ({0: -1.0}, "must give each class a finite weight > 0"),
        ([5.0, 1.0], "must be a dict"),
    ],
)
def test_bad_score_class_weight_is_refused(score_class_weight, message):
    X, y, _ = _data()
    auto = AutoBalancedClassifier(
        ["logreg"], cv=3, n_repeats=1, score_class_weight=score_class_weight
    )
    with pytest.raises(ValueError, match=message):
        auto.fit(X, y)


def test_a_prior_correction_maps_back_to_the_prior_the_sample_stands_for():
    # A sample whose "ok" rows were kept at 1 in 20: the prior to map back to is the full
    # data's (1 fraud in 21), not the sample's even split.
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(400, 3)))
    y = np.where(X[0] + rng.normal(scale=0.5, size=400) > 0, "fraud", "ok").astype(object)
    selector = AutoBalancedClassifier(
        ["logreg+rus+prior"], cv=2, n_repeats=1, random_state=0, score_class_weight={"ok": 20}
    ).fit(X, y)
    fraud, ok = np.sum(y == "fraud"), np.sum(y == "ok")
    expected = np.array([fraud, 20 * ok]) / (fraud + 20 * ok)
    np.testing.assert_allclose(selector.best_estimator_.target_prior_, expected)
