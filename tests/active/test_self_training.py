"""ClassBalancedSelfTraining: quotas follow the prior; against scikit-learn's self-training."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.semi_supervised import SelfTrainingClassifier

from skewlearn.active import ClassBalancedSelfTraining
from skewlearn.active._self_training import prior_quotas
from skewlearn.metrics import balanced_accuracy


def test_prior_quotas_sum_to_n_and_follow_the_prior():
    assert prior_quotas(10, np.array([0.5, 0.3, 0.2])).tolist() == [5, 3, 2]
    assert prior_quotas(7, np.array([0.5, 0.5])).sum() == 7
    assert prior_quotas(0, np.array([0.9, 0.1])).tolist() == [0, 0]


def _two_blobs(n_major=900, n_minor=100, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(0, 1, size=(n_major, 2)), rng.normal(3, 1, size=(n_minor, 2))])
    y = np.r_[np.zeros(n_major, int), np.ones(n_minor, int)]
    return X, y


def test_first_round_pseudo_labels_follow_the_prior():
    X, y = _two_blobs()
    y_partial = np.full_like(y, -1)
    labelled = np.r_[0:20, 900:920]  # a balanced labelled set: prior "labelled" is 50/50
    y_partial[labelled] = y[labelled]
    model = ClassBalancedSelfTraining(LogisticRegression(), threshold=0.9, max_iter=1)
    model.fit(X, y_partial)
    # The unlabelled rows the first model is confident about: N of them; each class gets
    # round(N / 2), as long as it has that many confident rows predicted as itself.
    first = LogisticRegression().fit(X[labelled], y[labelled])
    rest = np.setdiff1d(np.arange(len(y)), labelled)
    proba = first.predict_proba(X[rest])
    confident = proba.max(axis=1) >= 0.9
    n = confident.sum()
    per_class = [np.sum(confident & (proba.argmax(axis=1) == c)) for c in (0, 1)]
    # Each class gets half of n, the most both can fill: twice the rare class's confident rows.
    assert n > 2 * min(per_class)
    expected = prior_quotas(2 * min(per_class), np.array([0.5, 0.5])).tolist()
    assert model.pseudo_counts_.tolist() == expected
    assert model.pseudo_counts_[0] < per_class[0]  # the majority was held back
    assert model.n_iter_ == 1 and model.termination_condition_ == "max_iter"
    assert (model.labeled_iter_[labelled] == 0).all()
    assert np.sum(model.labeled_iter_ == 1) == sum(expected)


def test_a_given_prior_is_followed_when_every_class_has_enough():
    X, y = _two_blobs(500, 500)
    y_partial = np.full_like(y, -1)
    labelled = np.r_[0:10, 500:510]
    y_partial[labelled] = y[labelled]
    model = ClassBalancedSelfTraining(LogisticRegression(), threshold=0.5, max_iter=1,
                                      prior=[0.7, 0.3]).fit(X, y_partial)  # fmt: skip
    # threshold 0.5 makes every row confident; about 490 are predicted as class 0, which
    # limits the round to 490 / 0.7 rows: 7 of every 10 pseudo-labels are class 0.
    first = LogisticRegression().fit(X[labelled], y[labelled])
    rest = np.setdiff1d(np.arange(len(y)), labelled)
    n_zero = np.sum(first.predict(X[rest]) == 0)
    n = int(n_zero / 0.7)
    assert model.pseudo_counts_.tolist() == prior_quotas(n, np.array([0.7, 0.3])).tolist()
    assert model.prior_.tolist() == [0.7, 0.3]


def test_the_majority_does_not_swallow_the_pool():
    # Rare class with a few labels and a boundary the first model places too far into it:
    # scikit-learn's self-training labels most unlabelled rare rows as the majority.
    X, y = make_classification(n_samples=2000, weights=[0.93], class_sep=0.8, flip_y=0,
                               random_state=3)  # fmt: skip
    rng = np.random.default_rng(0)
    y_partial = np.full_like(y, -1)
    labelled = np.concatenate([rng.choice(np.flatnonzero(y == c), 15, replace=False)
                               for c in (0, 1)])  # fmt: skip
    labelled = np.r_[labelled, rng.choice(np.flatnonzero(y == 0), 185, replace=False)]
    labelled = np.unique(labelled)
    y_partial[labelled] = y[labelled]
    theirs = SelfTrainingClassifier(LogisticRegression(), threshold=0.9).fit(X, y_partial)
    ours = ClassBalancedSelfTraining(LogisticRegression(), threshold=0.9).fit(X, y_partial)
    added_theirs = theirs.transduction_[theirs.labeled_iter_ > 0]
    added_ours = ours.transduction_[ours.labeled_iter_ > 0]
    labelled_share = y[labelled].mean()
    # scikit-learn's pseudo-labels are more majority-heavy than the labelled prior; ours
    # keep the labelled prior's share of the rare class (to rounding).
    assert added_theirs.mean() < labelled_share
    assert abs(added_ours.mean() - labelled_share) < 0.02
    assert added_ours.mean() > added_theirs.mean()
    # and on held-out balanced accuracy we are not worse
    ba_ours = balanced_accuracy(y, ours.predict(X))
    ba_theirs = balanced_accuracy(y, theirs.predict(X))
    assert ba_ours >= ba_theirs - 0.01


def test_string_labels_with_object_minus_one():
    X, y = _two_blobs(200, 50)
    labels = np.where(y == 1, "rare", "common").astype(object)
    labels[np.r_[20:200, 220:250]] = -1
    model = ClassBalancedSelfTraining(LogisticRegression()).fit(X, labels)
    assert model.classes_.tolist() == ["common", "rare"]
    assert set(model.predict(X)) <= {"common", "rare"}


def test_bad_input():
    X, y = _two_blobs(50, 10)
    with pytest.raises(ValueError, match="no labelled row"):
        ClassBalancedSelfTraining(LogisticRegression()).fit(X, np.full(60, -1))
    with pytest.raises(ValueError, match="string '-1'"):
        ClassBalancedSelfTraining(LogisticRegression()).fit(X, np.array(["a", "-1"] * 30))
    with pytest.raises(ValueError, match="prior must give a positive weight to each of the 2"):
        ClassBalancedSelfTraining(LogisticRegression(), prior=[1.0]).fit(X, y)
