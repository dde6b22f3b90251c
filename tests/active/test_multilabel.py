"""Multi-label targets (an indicator matrix): TAILOR's Beta posteriors and rewards, the
strategies' per-label scores, the loop and the simulation."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from skewlearn.active import (
    ActiveLearner,
    BadgeSampling,
    ClassBalancedSampling,
    LeastConfidence,
    MarginSampling,
    QueryStrategy,
    TailorSelector,
    simulate,
)


class FixedLabelProba:
    """A 'fitted multi-label classifier': the probability of each label, given by hand."""

    def __init__(self, positive):
        self.positive = np.asarray(positive, dtype=float)

    def predict_proba(self, X):
        return self.positive


class RowsOf(QueryStrategy):
    """A user-written candidate: rows of a known pool in a fixed order."""

    def __init__(self, rows):
        self.rows = np.asarray(rows)

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        return self.rows[:batch_size]


# Rows 0-9 are positive for label 1 only (the rare label), rows 10-29 for label 0 only.
Y_POOL = np.array([[0, 1]] * 10 + [[1, 0]] * 20)
X_POOL = np.zeros((30, 1))
LABELLED = np.array([[1, 0]] * 8 + [[0, 1]] * 2)


def test_beta_posteriors_count_positive_and_negative_answers_with_decay():
    tailor = TailorSelector({"rare": RowsOf(range(10)), "common": RowsOf(range(10, 30))})
    rows = tailor.select(None, X_POOL, 4, y_labelled=LABELLED, random_state=0)
    arms = [tailor.candidate_names.index(name) for name in tailor.last_choices_]
    tailor.update(Y_POOL[rows], [0, 1], {})
    positive, negative = np.ones((2, 2)), np.ones((2, 2))
    for arm, answer in zip(arms, Y_POOL[rows], strict=True):
        positive[arm] += answer / 0.9
        negative[arm] += (1 - answer) / 0.9
    np.testing.assert_allclose(tailor.stats_, 0.9 * positive)
    np.testing.assert_allclose(tailor.negatives_, 0.9 * negative)
    assert tailor.classes_.tolist() == [0, 1]


def test_class_diversity_prefers_the_candidate_of_the_rare_label():
    tailor = TailorSelector({"rare": RowsOf(range(10)), "common": RowsOf(range(10, 30))})
    y_labelled = np.array([[1, 0]] * 40 + [[0, 1]] * 2)
    names = []
    for round_ in range(4):
        # The pool keeps its rows (the candidates' answers repeat): only the choice matters.
        rows = tailor.select(None, X_POOL, 5, y_labelled=y_labelled, random_state=round_)
        tailor.update(Y_POOL[rows], [0, 1], {})
        y_labelled = np.vstack([y_labelled, Y_POOL[rows]])
        names += tailor.last_choices_
    # Label 0 is on more than half of the labelled rows (and stays there): its positives are
    # worth -1/n_0, the rare label's +1/n_1, so once a round is learned "rare" takes nearly
    # every row.
    assert names[5:].count("rare") / len(names[5:]) > 0.8


def test_the_positives_reward_prefers_rows_with_more_positive_labels():
    # Rows 0-9 carry both labels, rows 10-19 none.
    y_pool = np.array([[1, 1]] * 10 + [[0, 0]] * 10)
    tailor = TailorSelector({"empty": RowsOf(range(10, 20)), "full": RowsOf(range(10))},
                            reward="positives")  # fmt: skip
    names = []
    for round_ in range(4):
        rows = tailor.select(None, np.zeros((20, 1)), 5, y_labelled=[[1, 0], [0, 1]],
                             random_state=round_)  # fmt: skip
        tailor.update(y_pool[rows], [0, 1], {})
        names += tailor.last_choices_
    assert names[5:].count("full") / len(names[5:]) > 0.8


def test_reward_and_target_kind_errors():
    with pytest.raises(ValueError, match="reward='positives' counts the positive labels"):
        TailorSelector(["random"], reward="positives").select(
            None, X_POOL, 2, y_labelled=[0, 1], classes=[0, 1], random_state=0
        )
    tailor = TailorSelector(["random"])
    tailor.select(None, X_POOL, 2, y_labelled=LABELLED, random_state=0)
    with pytest.raises(ValueError, match="learned from multi-label labels and now gets single"):
        tailor.select(None, X_POOL, 2, y_labelled=[0, 1], classes=[0, 1], random_state=0)
    with pytest.raises(ValueError, match="y has 3 label columns but earlier answers had 2"):
        tailor.select(None, X_POOL, 2, y_labelled=np.eye(3, dtype=int), random_state=0)


def test_uncertainty_strategies_average_the_labels_binary_scores():
    positive = [[0.95, 0.02], [0.5, 0.9], [0.6, 0.45], [0.99, 0.99]]
    model = FixedLabelProba(positive)
    # binary 1 - max(p, 1 - p) per label, averaged: 0.035, 0.3, 0.475, 0.01
    rows = LeastConfidence().select(model, np.zeros((4, 1)), 4, y_labelled=LABELLED,
                                    random_state=0)  # fmt: skip
    assert rows.tolist() == [2, 1, 0, 3]
    rows = MarginSampling().select(model, np.zeros((4, 1)), 2, y_labelled=LABELLED,
                                   random_state=0)  # fmt: skip
    assert rows.tolist() == [2, 1]


def test_class_balanced_goes_to_the_boundary_of_the_label_with_fewest_positives():
    # Label 1 has 2 positive labelled rows, label 0 has 8: the first slot is label 1's, the
    # row whose p_1 is nearest one half (row 2); then label 1 again (3 < 8): row 0.
    positive = [[0.5, 0.3], [0.52, 0.95], [0.9, 0.48], [0.1, 0.05]]
    rows = ClassBalancedSampling().select(FixedLabelProba(positive), np.zeros((4, 1)), 2,
                                          y_labelled=LABELLED, random_state=0)  # fmt: skip
    assert rows.tolist() == [2, 0]


def test_badge_refuses_a_multi_label_target():
    with pytest.raises(TypeError, match="a multi-label target has a sigmoid per label"):
        BadgeSampling().select(FixedLabelProba([[0.5]]), np.zeros((1, 1)), 1,
                               y_labelled=LABELLED)  # fmt: skip


X, Y = make_multilabel_classification(n_samples=300, n_classes=3, n_labels=1, random_state=0)


def test_the_loop_learns_an_indicator_matrix():
    learner = ActiveLearner(OneVsRestClassifier(LogisticRegression()), "tailor", batch_size=5,
                            random_state=0)  # fmt: skip
    learner.teach(X[:30], Y[:30])
    rows = learner.query(X[30:])
    learner.teach(X[30:][rows], Y[30:][rows])
    assert learner.classes_.tolist() == [0, 1, 2]
    assert learner.label_counts_ == dict(enumerate(Y[np.r_[:30, 30 + rows]].sum(axis=0).tolist()))
    assert learner.strategy_.negatives_.shape == (5, 3)
    with pytest.raises(ValueError, match="keep one kind of target"):
        learner.teach(X[:2], Y[:2, :2])
    with pytest.raises(ValueError, match="indicator matrix of 0/1 per label; it holds \\[2\\]"):
        ActiveLearner(LogisticRegression()).teach(X[:3], np.array([[0, 1], [2, 0], [1, 1]]))


def test_simulate_a_multi_label_target():
    def run(seed):
        return simulate(OneVsRestClassifier(LogisticRegression()), "tailor", X, Y, initial=0.05,
                        batch_size=0.075, budget=0.2, random_state=seed)  # fmt: skip

    curve = run(0)
    assert curve.classes.tolist() == [0, 1, 2]
    # 225 pool rows (75 held out): 5% start (11), batches of 7.5% (17), up to 20% (45)
    assert curve.n_pool == 225
    assert curve.n_labelled.tolist() == [11, 28, 45]
    assert (curve.class_counts[0] >= 2).all()  # 2 positive rows of every label to start
    assert (np.diff(curve.class_counts, axis=0) >= 0).all()
    assert set(curve.scores) == {"macro_f1", "balanced_accuracy"}
    again = run(0)
    np.testing.assert_array_equal(again.class_counts, curve.class_counts)
    np.testing.assert_allclose(again.scores["macro_f1"], curve.scores["macro_f1"])
    with pytest.raises(ValueError, match="not defined here for a multi-label target"):
        simulate(OneVsRestClassifier(LogisticRegression()), "random", X, Y, metrics=("mcc",))
