"""SERA, its SER_t curve, error by relevance bin, shot metrics and their scorers."""

import numpy as np
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.model_selection import cross_val_score

from skewlearn.regression import (
    Relevance,
    error_by_relevance,
    get_regression_scorer,
    list_regression_metrics,
    rare_rmse,
    ser_curve,
    sera,
    shot_metrics,
)

# Worked example (Ribeiro & Moniz, 2020): phi = (0, 0.25, 0.5, 1), squared errors (1, 4, 9, 16).
Y_TRUE = np.array([0.0, 1.0, 2.0, 3.0])
Y_PRED = np.array([1.0, 3.0, 5.0, 7.0])
PHI = np.array([0.0, 0.25, 0.5, 1.0])


def test_ser_curve_worked_example():
    t, ser = ser_curve(Y_TRUE, Y_PRED, relevance=PHI, thresholds=[0, 0.25, 0.3, 0.5, 0.75, 1])
    # SER_t sums the errors of points with phi >= t.
    np.testing.assert_array_equal(ser, [30, 29, 25, 25, 16, 16])


def test_sera_worked_example_equals_the_integral_of_the_ser_curve():
    # 0 * 1 + 0.25 * 4 + 0.5 * 9 + 1 * 16 = 21.5
    assert sera(Y_TRUE, Y_PRED, relevance=PHI) == 21.5
    t, ser = ser_curve(Y_TRUE, Y_PRED, relevance=PHI, thresholds=200_001)
    assert np.trapezoid(ser, t) == pytest.approx(21.5, abs=1e-3)


def test_sera_with_the_automatic_relevance_on_random_data():
    rng = np.random.default_rng(0)
    y = rng.lognormal(size=300)
    pred = y + rng.normal(size=300)
    phi = Relevance().fit(y)(y)
    assert sera(y, pred) == pytest.approx(np.sum(phi * (pred - y) ** 2))
    t, ser = ser_curve(y, pred, thresholds=20_001)
    assert np.trapezoid(ser, t) == pytest.approx(sera(y, pred), rel=1e-3)
    assert ser[0] == pytest.approx(np.sum((pred - y) ** 2))  # SER_0 is the plain SSE


def test_sera_ignores_errors_on_irrelevant_points():
    assert sera([0.0, 3.0], [100.0, 3.0], relevance=[0.0, 1.0]) == 0.0


def test_rare_rmse_worked_example():
    # rare: phi >= 0.5 -> errors 3 and 4
    assert rare_rmse(Y_TRUE, Y_PRED, relevance=PHI) == pytest.approx(np.sqrt(12.5))
    assert np.isnan(rare_rmse(Y_TRUE, Y_PRED, relevance=np.zeros(4)))


def test_error_by_relevance_bins():
    table = error_by_relevance(Y_TRUE, Y_PRED, relevance=PHI)
    assert table["n"].tolist() == [1, 1, 1, 1]
    assert table["mae"].tolist() == [1, 2, 3, 4]
    assert table["rmse"].tolist() == [1, 2, 3, 4]


def test_shot_metrics_regions():
    y_train = np.r_[np.full(150, 0.5), np.full(50, 1.5), np.full(5, 2.5)]
    table = shot_metrics([0.2, 1.2, 2.2, 2.8], [0.2, 1.0, 3.2, 1.8], y_train, bins=[0, 1, 2, 3])
    assert table.loc["many", "n"] == 1 and table.loc["medium", "n"] == 1
    assert table.loc["few", "n"] == 2
    assert table.loc["few", "mae"] == pytest.approx(1.0)
    assert table.loc["all", "rmse"] == pytest.approx(np.sqrt((0.04 + 1 + 1) / 4))


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="different lengths"):
        sera([1.0, 2.0], [1.0])


def test_scorers_are_negated_errors_and_work_in_cross_validation():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2))
    y = np.exp(2 * X[:, 0])
    model = DummyRegressor().fit(X, y)
    relevance = Relevance().fit(y)
    scorer = get_regression_scorer("sera", relevance=relevance)
    assert scorer(model, X, y) == pytest.approx(-sera(y, model.predict(X), relevance=relevance))
    scores = cross_val_score(DummyRegressor(), X, y, cv=3, scoring=scorer)
    assert np.all(scores <= 0)
    shot = get_regression_scorer("few_shot_mae", y_train=y, bins=5)
    assert shot(model, X, y) <= 0


def test_scorer_registry_names_and_errors():
    assert {"sera", "rare_rmse", "rmse", "mae", "few_shot_rmse"} <= set(list_regression_metrics())
    with pytest.raises(ValueError, match="y_train"):
        get_regression_scorer("few_shot_mae")
    with pytest.raises(ValueError, match="choose one of"):
        get_regression_scorer("serra")
