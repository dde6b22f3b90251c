"""The vectorised confusion sweep agrees with the metrics registry at every threshold."""

import numpy as np
import pytest

from skewlearn import metrics
from skewlearn.decision._objective import resolve_objective
from skewlearn.decision._steps import best_midpoint, mean_curve
from skewlearn.decision._sweep import sweep

BINARY = ["f1", "f2", "mcc", "balanced_accuracy", "gmean", "cost:FN=5,FP=1"]


@pytest.mark.parametrize("name", BINARY)
def test_binary_sweep_matches_registry_at_every_cut(name):
    rng = np.random.default_rng(0)
    y = (rng.random(60) < 0.2).astype(int)
    s = np.round(rng.random(60) + 0.3 * y, 2)  # rounding makes ties
    objective = resolve_objective(name, 2, pos=1)
    breaks, counts = sweep(y, np.zeros(60, int), -s, 1, 2, objective.cost_matrix)
    values = objective.score(counts, 1)
    scorer = metrics.get_scorer(name)
    # interval j holds thresholds t with -t in [breaks[j-1], breaks[j]); use t = -breaks[j-1].
    for j, t in enumerate(np.r_[np.inf, -breaks]):
        y_pred = (s >= t).astype(int)
        expected = scorer.metric.func(y, y_pred, labels=[0, 1], **dict(scorer.metric.params))
        assert values[j] == pytest.approx(expected, abs=1e-12), (j, t)


@pytest.mark.parametrize("name", ["f1", "mcc", "balanced_accuracy", "gmean"])
def test_multiclass_coordinate_sweep_matches_registry(name):
    rng = np.random.default_rng(1)
    y = rng.choice(3, 80, p=[0.6, 0.3, 0.1])
    start = rng.choice([0, 2], 80)
    keys = rng.random(80)
    objective = resolve_objective(name, 3)
    breaks, counts = sweep(y, start, keys, 1, 3)
    values = objective.score(counts, None)
    func = metrics.get_scorer(name).metric.func
    for j, param in enumerate(np.r_[-np.inf, breaks]):
        y_pred = np.where(keys <= param, 1, start)
        assert values[j] == pytest.approx(func(y, y_pred, labels=[0, 1, 2]), abs=1e-12)


def test_multiclass_cost_sweep_matches_expected_cost():
    rng = np.random.default_rng(2)
    y = rng.choice(3, 50)
    start = rng.choice([0, 1], 50)
    keys = rng.random(50)
    cost = rng.integers(0, 5, (3, 3)).astype(float)
    objective = resolve_objective(cost, 3)
    breaks, counts = sweep(y, start, keys, 2, 3, cost)
    for j, param in enumerate(np.r_[-np.inf, breaks]):
        y_pred = np.where(keys <= param, 2, start)
        expected = metrics.expected_cost(y, y_pred, cost, labels=[0, 1, 2])
        assert objective.score(counts, None)[j] == pytest.approx(expected)


def test_flat_optimum_resolves_to_middle_of_interval():
    # Gains peak on [1, 4): the middle is 2.5, not the first optimal break (1).
    breaks = np.array([1.0, 2.0, 3.0, 4.0])
    assert best_midpoint(breaks, np.array([0.0, 1.0, 1.0, 1.0, 0.0])) == (2.5, 1.0)
    # Of two optimal runs the wider wins.
    gains = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    assert best_midpoint(np.arange(6.0), gains)[0] == 3.5


def test_mean_curve_is_exact_average_of_step_functions():
    a = (np.array([0.2, 0.6]), np.array([0.0, 1.0, 0.5]))
    b = (np.array([0.4]), np.array([1.0, 0.0]))
    breaks, values = mean_curve([a, b])
    assert breaks.tolist() == [0.2, 0.4, 0.6]
    assert values.tolist() == [0.5, 1.0, 0.5, 0.25]
