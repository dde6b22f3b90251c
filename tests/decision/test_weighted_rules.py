"""Decision rules on weighted rows: a tuned rule counts each held-out row with its weight (an
integer weight is that many copies of the row), and the prior correction reads shares of
weight; ``score_class_weight`` weighs the tuning only, never a fit."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from skewlearn.decision import DecisionTunedClassifier, PriorCorrectedClassifier
from skewlearn.decision._objective import resolve_objective
from skewlearn.decision._offsets import search_offsets
from skewlearn.decision._oof import Fold
from skewlearn.decision._threshold import search_threshold
from skewlearn.resample import RandomUnderSampler, make_pipeline


def _fold(seed: int, n_classes: int = 2):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, 60)
    scores = rng.dirichlet(np.ones(n_classes), 60)
    scores[np.arange(60), y] += 0.3 * rng.random(60)
    return y, scores / scores.sum(axis=1, keepdims=True), rng.integers(1, 4, 60)


@pytest.mark.parametrize("metric", ["f1", "mcc", "balanced_accuracy", "cost:FN=5,FP=1"])
def test_an_integer_weight_is_that_many_copies_of_the_row(metric):
    folds, copies = [], []
    for seed in range(3):
        y, scores, counts = _fold(seed)
        folds.append(Fold(np.arange(len(y)), y, scores, counts.astype(float)))
        copies.append(Fold(np.arange(counts.sum()), np.repeat(y, counts),
                           np.repeat(scores, counts, axis=0)))  # fmt: skip
    objective = resolve_objective(metric, 2, pos=1)
    weighted = search_threshold(folds, 1, objective, 0.5)
    repeated = search_threshold(copies, 1, objective, 0.5)
    assert weighted.threshold == repeated.threshold
    np.testing.assert_allclose(weighted.score, repeated.score, rtol=1e-12)
    np.testing.assert_allclose(weighted.fold_scores, repeated.fold_scores, rtol=1e-12)


def test_multiclass_offsets_count_weights_as_copies():
    y, scores, counts = _fold(0, n_classes=3)
    weighted = search_offsets([Fold(np.arange(60), y, scores, counts.astype(float))],
                              resolve_objective("f1", 3), 3)  # fmt: skip
    repeated = search_offsets(
        [Fold(np.arange(counts.sum()), np.repeat(y, counts), np.repeat(scores, counts, axis=0))],
        resolve_objective("f1", 3),
        3,
    )
    np.testing.assert_allclose(weighted.offsets, repeated.offsets, atol=1e-12)
    np.testing.assert_allclose(weighted.score, repeated.score, rtol=1e-12)


def _data():
    X, y = make_classification(n_samples=300, weights=[0.85], flip_y=0.05, random_state=0)
    return X, y, np.random.default_rng(0).uniform(0.5, 2.0, len(y))


def test_tuned_rule_fits_every_fold_and_the_refit_on_the_weights():
    X, y, w = _data()
    cv = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    model = DecisionTunedClassifier(LogisticRegression(), cv=cv).fit(X, y, sample_weight=w)
    refit = LogisticRegression().fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(model.estimator_.coef_, refit.coef_)
    # The same tuning by hand: weighted fold fits, weighted held-out counts.
    folds = []
    for train, val in cv:
        inner = LogisticRegression().fit(X[train], y[train], sample_weight=w[train])
        folds.append(Fold(val, y[val], inner.predict_proba(X[val]), w[val]))
    expected = search_threshold(folds, 1, resolve_objective("f1", 2, pos=1), 0.5)
    assert model.decision_rule_ == expected.threshold
    unweighted = DecisionTunedClassifier(LogisticRegression(), cv=cv).fit(X, y)
    assert unweighted.best_score_ != model.best_score_


def test_score_class_weight_weighs_the_tuning_not_the_fits():
    X, y, _ = _data()
    cv = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    model = DecisionTunedClassifier(LogisticRegression(), cv=cv, score_class_weight={0: 4.0})
    model.fit(X, y)
    plain = DecisionTunedClassifier(LogisticRegression(), cv=cv).fit(X, y)
    np.testing.assert_array_equal(model.estimator_.coef_, plain.estimator_.coef_)
    folds = []
    for train, val in cv:
        inner = LogisticRegression().fit(X[train], y[train])
        folds.append(Fold(val, y[val], inner.predict_proba(X[val]), np.where(y[val] == 0, 4.0, 1)))
    expected = search_threshold(folds, 1, resolve_objective("f1", 2, pos=1), 0.5)
    assert model.decision_rule_ == expected.threshold != plain.decision_rule_
    with pytest.raises(ValueError, match="names classes that are not in y: \\[7\\]"):
        DecisionTunedClassifier(LogisticRegression(), score_class_weight={7: 2.0}).fit(X, y)


def test_prior_correction_reads_shares_of_weight():
    X, y, w = _data()
    pipe = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    model = PriorCorrectedClassifier(pipe).fit(X, y, sample_weight=w)
    kept = model.estimator_[0].sample_indices_
    mass = np.bincount(y[kept], weights=w[kept])
    np.testing.assert_allclose(model.train_prior_, mass / mass.sum())
    full = np.bincount(y, weights=w)
    np.testing.assert_allclose(model.target_prior_, full / full.sum())
    refit = LogisticRegression().fit(X[kept], y[kept], sample_weight=w[kept])
    np.testing.assert_allclose(model.estimator_[-1].coef_, refit.coef_)
