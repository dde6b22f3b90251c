import numpy as np
import pytest

from skewlearn.metrics import expected_cost
from skewlearn.metrics._cost import _binary_cost


def test_matrix_rows_are_truth_columns_predictions():
    y_true = ["a", "a", "b", "c"]
    y_pred = ["b", "a", "c", "c"]
    cost = np.array([[0, 2, 3], [4, 0, 5], [6, 7, 0]])
    # costs: a->b 2, a->a 0, b->c 5, c->c 0
    assert expected_cost(y_true, y_pred, cost) == pytest.approx(7 / 4)


def test_labels_give_the_matrix_order():
    cost = np.array([[0, 1], [5, 0]])
    y_true, y_pred = ["pos", "neg", "pos"], ["neg", "neg", "pos"]
    assert expected_cost(y_true, y_pred, cost, labels=["neg", "pos"]) == pytest.approx(5 / 3)
    assert expected_cost(y_true, y_pred, cost, labels=["pos", "neg"]) == pytest.approx(1 / 3)
    assert expected_cost(y_true, y_pred, cost.T, labels=["pos", "neg"]) == pytest.approx(5 / 3)


def test_sample_weight_is_a_weighted_average():
    cost = [[0, 1], [5, 0]]
    value = expected_cost([0, 1, 1], [1, 0, 1], cost, sample_weight=[1, 2, 1])
    assert value == pytest.approx((1 * 1 + 2 * 5) / 4)


def test_binary_cost_follows_the_positive_class():
    # minority "fraud" is positive: a missed fraud costs FN=10, a false alarm FP=1
    y_true = ["ok", "ok", "ok", "fraud"]
    y_pred = ["fraud", "ok", "ok", "ok"]
    assert _binary_cost(y_true, y_pred, fn=10, fp=1) == pytest.approx(11 / 4)
    assert _binary_cost(y_true, y_pred, fn=10, fp=1, pos_label="ok") == pytest.approx(11 / 4)
    assert _binary_cost(y_true, ["fraud"] * 4, fn=10, fp=1, tp=-2) == pytest.approx((3 - 2) / 4)


def test_errors():
    with pytest.raises(ValueError, match=r"must be \(2, 2\)"):
        expected_cost([0, 1], [0, 1], np.zeros((3, 3)))
    with pytest.raises(ValueError, match="NaN"):
        expected_cost([0, 1], [0, 1], [[0, np.nan], [1, 0]])
    with pytest.raises(ValueError, match="cost_scorer"):
        _binary_cost([0, 1, 2], [0, 1, 2], fn=1, fp=1)
