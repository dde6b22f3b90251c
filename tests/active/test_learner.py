"""ActiveLearner: teach / query, state, new classes, and bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from skewlearn.active import ActiveLearner, MarginSampling, TailorSelector


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.where(X[:, 0] > 1.2, "rare", "common")
    return X, y


def _first(y, per_class=3):
    return np.concatenate([np.flatnonzero(y == c)[:per_class] for c in np.unique(y)])


def test_teach_and_query_round_trip():
    X, y = _data()
    first = _first(y)
    learner = ActiveLearner(LogisticRegression(), "tailor", batch_size=8, random_state=0)
    assert learner.teach(X[first], y[first]) is learner
    pool = np.setdiff1d(np.arange(len(y)), first)
    rows = learner.query(X[pool])
    assert rows.shape == (8,) and len(set(rows.tolist())) == 8
    learner.teach(X[pool][rows], y[pool][rows])
    counts = learner.label_counts_
    assert sum(counts.values()) == 14 == len(learner.y_labelled_) == len(learner.X_labelled_)
    assert set(learner.classes_) == {"common", "rare"}
    # TAILOR saw the 8 answers: its statistics moved from the prior of 1.
    assert not np.allclose(learner.strategy_.stats_, 1.0)
    # the estimator was refitted on every labelled row
    assert learner.estimator_.coef_.shape == (1, 3)


def test_the_strategy_passed_is_not_changed():
    X, y = _data()
    tailor = TailorSelector(["margin", "coreset"])
    learner = ActiveLearner(LogisticRegression(), tailor, batch_size=5, random_state=0)
    learner.teach(X[_first(y)], y[_first(y)])
    rows = learner.query(X)
    learner.teach(X[rows], y[rows])
    assert tailor.stats_.shape == (2, 0) and learner.strategy_ is not tailor


def test_same_seed_same_queries():
    X, y = _data()
    first = _first(y)

    def batches(seed):
        learner = ActiveLearner(LogisticRegression(), "tailor", batch_size=6, random_state=seed)
        learner.teach(X[first], y[first])
        out = []
        for _ in range(3):
            rows = learner.query(X)
            out.append(rows.tolist())
            learner.teach(X[rows], y[rows])
        return out

    assert batches(4) == batches(4)
    assert batches(4) != batches(5)


def test_a_label_never_seen_before_is_a_new_class():
    X, y = _data()
    first = _first(y)
    learner = ActiveLearner(LogisticRegression(), "tailor", batch_size=4, random_state=0)
    learner.teach(X[first], y[first])
    rows = learner.query(X)
    learner.teach(X[rows], ["new", "rare", "common", "new"])
    assert learner.classes_.tolist() == ["common", "new", "rare"]
    assert learner.label_counts_["new"] == 2
    assert learner.estimator_.classes_.tolist() == ["common", "new", "rare"]
    assert learner.strategy_.classes_.tolist() == ["common", "new", "rare"]
    assert len(learner.query(X)) == 4


def test_data_frames_stay_data_frames():
    X, y = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    first = _first(y)
    learner = ActiveLearner(LogisticRegression(), "margin", batch_size=3, random_state=0)
    learner.teach(frame.iloc[first], y[first])
    rows = learner.query(frame)
    learner.teach(frame.iloc[rows], y[rows])
    assert isinstance(learner.X_labelled_, pd.DataFrame) and len(learner.X_labelled_) == 9


def test_teaching_other_rows_than_the_query_warns_and_keeps_them():
    X, y = _data()
    learner = ActiveLearner(LogisticRegression(), "tailor", batch_size=4, random_state=0)
    learner.teach(X[_first(y)], y[_first(y)])
    rows = learner.query(X)
    with pytest.warns(UserWarning, match="strategy is not updated"):
        learner.teach(X[rows[:2]], y[rows[:2]])
    assert sum(learner.label_counts_.values()) == 8


def test_bad_input():
    X, y = _data()
    learner = ActiveLearner(LogisticRegression(), "margin", batch_size=5)
    with pytest.raises(NotFittedError, match="call teach"):
        learner.query(X)
    common = np.flatnonzero(y == "common")[:5]
    with pytest.raises(ValueError, match=r"single class \(\['common'\]\).*at least two"):
        learner.teach(X[common], y[common])
    with pytest.raises(ValueError, match="X has 6 rows but y has 5"):
        learner.teach(X[_first(y)], y[_first(y)][:5])
    with pytest.raises(ValueError, match=r"no label at rows \[1\]"):
        learner.teach(X[:3], np.array(["a", None, "b"], dtype=object))
    learner.teach(X[_first(y)], y[_first(y)])
    # a batch larger than the pool: the whole pool
    assert sorted(learner.query(X[:3]).tolist()) == [0, 1, 2]
    with pytest.raises(ValueError, match="The pool is empty"):
        learner.query(X[:0])
    with pytest.raises(ValueError, match="must be 2-D"):
        learner.query(X[:, 0])


def test_a_strategy_that_breaks_the_contract_is_caught():
    class Repeats(MarginSampling):
        def select(self, *args, **kwargs):
            return np.array([0, 0, 1])

    X, y = _data()
    learner = ActiveLearner(LogisticRegression(), Repeats(), batch_size=3)
    learner.teach(X[_first(y)], y[_first(y)])
    with pytest.raises(ValueError, match="must return 3 distinct row numbers"):
        learner.query(X)
