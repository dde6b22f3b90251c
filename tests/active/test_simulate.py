"""simulate and LearningCurve: curve shapes, counts, determinism, the initial set, errors."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skewlearn.active import LearningCurve, TailorSelector, simulate


def _data(n=600, seed=0):
    return make_classification(
        n_samples=n, n_classes=3, n_informative=4, weights=[0.8, 0.15, 0.05],
        random_state=seed,
    )  # fmt: skip


X, Y = _data()


def test_curve_shape_and_counts():
    curve = simulate(LogisticRegression(), "margin", X, Y, initial=0.02, batch_size=0.05,
                     budget=0.3, random_state=0)  # fmt: skip
    n_pool = 450  # 25% held out
    assert curve.n_pool == n_pool
    # batches of round(5% of 450) = 22 rows; the last one stops at the budget
    steps = np.diff(curve.n_labelled)
    assert (steps[:-1] == 22).all() and 0 < steps[-1] <= 22
    assert curve.n_labelled[-1] == round(0.3 * n_pool)
    n = len(curve.n_labelled)
    assert curve.class_counts.shape == (n, 3)
    assert (curve.class_counts.sum(axis=1) == curve.n_labelled).all()
    assert (curve.class_counts[0] >= 2).all()
    assert set(curve.scores) == {"macro_f1", "balanced_accuracy"}
    for values in curve.scores.values():
        assert values.shape == (n,) and ((values >= 0) & (values <= 1)).all()
    assert curve.query_seconds.shape == (n,) and curve.query_seconds[0] == 0
    assert curve.strategy_trace == [] and curve.choice_counts == {}
    assert (np.diff(curve.class_counts, axis=0) >= 0).all()


def test_initial_set_is_stratified_with_two_per_class():
    y = np.array([0] * 400 + [1] * 20 + [2] * 4)
    Xs = np.random.default_rng(0).normal(size=(len(y), 2))
    curve = simulate(LogisticRegression(), "random", Xs, y, initial=0.05, batch_size=10,
                     budget=40, random_state=0)  # fmt: skip
    counts = curve.class_counts[0]
    assert counts[2] == 2 and counts[1] == 2  # round(5% of 15) = 1 -> raised to 2
    assert counts[0] == round(0.05 * 300)


def test_deterministic_by_seed():
    def run(seed):
        return simulate(LogisticRegression(), "tailor", X, Y, initial=0.02, batch_size=0.04,
                        budget=0.2, random_state=seed)  # fmt: skip

    a, b, c = run(1), run(1), run(2)
    np.testing.assert_array_equal(a.class_counts, b.class_counts)
    np.testing.assert_array_equal(a.scores["macro_f1"], b.scores["macro_f1"])
    assert a.strategy_trace == b.strategy_trace
    assert not np.array_equal(a.class_counts, c.class_counts)


def test_meta_strategy_trace_and_choice_counts():
    curve = simulate(LogisticRegression(), TailorSelector(["margin", "coreset"]), X, Y,
                     initial=0.02, batch_size=0.04, budget=0.2, random_state=0)  # fmt: skip
    queries = len(curve.n_labelled) - 1
    assert len(curve.strategy_trace) == queries
    assert set(curve.strategy_trace) <= {"margin", "coreset"}
    total = curve.choice_counts["margin"] + curve.choice_counts["coreset"]
    np.testing.assert_array_equal(total, np.diff(curve.n_labelled))


def test_given_test_set_and_other_metrics():
    curve = simulate(LogisticRegression(), "entropy", X[:400], Y[:400], X_test=X[400:],
                     y_test=Y[400:], initial=12, batch_size=20, budget=100,
                     metrics=("macro_f1", "mcc", "log_loss"), random_state=0)  # fmt: skip
    assert curve.n_pool == 400
    assert curve.n_labelled.tolist()[-1] == 100
    assert (curve.scores["log_loss"] < 0).all()  # losses come negated, as scorers give them


def test_area_and_frame():
    curve = LearningCurve(
        n_labelled=np.array([10, 20, 40]),
        scores={"m": np.array([0.2, 0.4, 0.4])},
        class_counts=np.array([[8, 2], [15, 5], [30, 10]]),
        classes=np.array(["a", "b"]),
        query_seconds=np.array([0.0, 0.1, 0.2]),
        strategy_trace=[],
        n_pool=100,
    )
    # trapezoid over shares 0.1, 0.2, 0.4: 0.1 * 0.3 + 0.2 * 0.4 = 0.11, over the range 0.3
    assert curve.area("m") == pytest.approx(0.11 / 0.3)
    frame = curve.to_frame()
    assert list(frame.columns) == ["n_labelled", "share", "m", "query_seconds", "n_a", "n_b"]
    assert isinstance(frame, pd.DataFrame) and frame["n_b"].tolist() == [2, 5, 10]
    with pytest.raises(KeyError, match="No scores for 'x'"):
        curve.area("x")


def test_bad_input():
    with pytest.raises(ValueError, match="single class"):
        simulate(LogisticRegression(), "margin", X, np.zeros(len(X)))
    y = Y.copy()
    y[:3] = 7
    with pytest.raises(ValueError, match=r"classes \[7\] have fewer than 4 rows"):
        simulate(LogisticRegression(), "margin", X, y)
    with pytest.raises(ValueError, match="Give both X_test and y_test"):
        simulate(LogisticRegression(), "margin", X, Y, X_test=X)
    with pytest.raises(ValueError, match="budget as a share of the pool must be in"):
        simulate(LogisticRegression(), "margin", X, Y, budget=1.5)
    with pytest.raises(ValueError, match="Unknown query strategy"):
        simulate(LogisticRegression(), "nope", X, Y)
    with pytest.raises(ValueError, match="Unknown metric"):
        simulate(LogisticRegression(), "margin", X, Y, metrics=("macro_f2x",))
