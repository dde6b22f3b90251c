"""Relevance: box-plot control points as R's boxplot.stats gives them, PCHIP as Ribeiro defines it."""

import numpy as np
import pytest
from scipy.interpolate import CubicHermiteSpline

from skewlearn.regression import Relevance, box_plot_control_points, pchip_relevance

# 1..9 and 30: fivenum = (1, 3, 5.5, 8, 30); IQR 5; upper fence 15.5, so 30 is an outlier and
# the upper adjacent value is 9; no low outlier, so the low point is the minimum with phi 0.
Y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 30.0])


def test_box_plot_control_points_worked_example():
    np.testing.assert_array_equal(box_plot_control_points(Y), [[1, 0, 0], [5.5, 0, 0], [9, 1, 0]])


def test_hinges_are_tukeys_not_interpolated_quantiles():
    # n = 11: fivenum = (0, 2.5, 5, 7.5, 100): hinges average two order statistics.
    y = np.r_[np.arange(10.0), 100.0]
    points = box_plot_control_points(y, coef=1.5)
    # fences 2.5 - 7.5 = -5 and 7.5 + 7.5 = 15: 100 is the only outlier, adjacent value 9.
    np.testing.assert_array_equal(points, [[0, 0, 0], [5, 0, 0], [9, 1, 0]])


def test_both_tails_and_one_sided_extremes():
    y = np.r_[-40.0, np.arange(20.0), 70.0]
    both = box_plot_control_points(y, "both")
    assert both[0].tolist() == [0, 1, 0] and both[-1].tolist() == [19, 1, 0]
    high = box_plot_control_points(y, "high")
    assert high[0].tolist() == [-40, 0, 0] and high[-1].tolist() == [19, 1, 0]
    low = box_plot_control_points(y, "low")
    assert low[0].tolist() == [0, 1, 0] and low[-1].tolist() == [70, 0, 0]


def test_zero_slopes_give_the_smoothstep_between_median_and_adjacent_value():
    phi = Relevance().fit(Y)
    t = np.linspace(0, 1, 11)
    y = 5.5 + t * (9 - 5.5)
    np.testing.assert_allclose(phi(y), 3 * t**2 - 2 * t**3, atol=1e-15)
    # Constant beyond the end points, 0 on the flat low side.
    np.testing.assert_array_equal(phi([-100, 1, 3, 5.5, 9, 30, 1e9]), [0, 0, 0, 0, 1, 1, 1])


def test_pchip_equals_scipy_hermite_spline_when_slopes_are_already_monotone():
    points = np.array([[0, 0, 0.05], [10, 0.3, 0.02], [20, 1, 0.0]])
    y = np.linspace(0, 20, 201)
    oracle = CubicHermiteSpline(points[:, 0], points[:, 1], points[:, 2])(y)
    np.testing.assert_allclose(pchip_relevance(y, points), oracle, atol=1e-12)


def test_fritsch_carlson_keeps_relevance_monotone_and_in_range():
    # Steep given slopes would overshoot 1; the monotone rule rescales them.
    points = [(0, 0, 1.0), (1, 1, 1.0), (2, 1, 0.0)]
    phi = pchip_relevance(np.linspace(-1, 3, 401), points)
    assert np.all(np.diff(phi) >= -1e-12) and phi.min() >= 0 and phi.max() <= 1


def test_user_control_points_without_slopes():
    phi = Relevance(control_points=[(0, 0), (10, 1)]).fit(Y)
    assert phi.control_points_.shape == (2, 3)
    np.testing.assert_allclose(phi([0, 5, 10]), [0, 0.5, 1])


def test_many_zeros_merge_the_minimum_into_the_median():
    y = np.r_[np.zeros(60), np.linspace(1, 5, 35), 50, 60, 80, 90, 100]
    points = box_plot_control_points(y)
    assert points[0].tolist() == [0, 0, 0] and points[-1, 1] == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"control_points": [(1, 0), (0, 1)]}, "strictly increasing"),
        ({"control_points": [(0, 0), (1, 2)]}, r"\[0, 1\]"),
        ({"control_points": [0, 1]}, "rows"),
        ({"extremes": "up"}, "extremes"),
    ],
)
def test_bad_parameters_say_what_to_pass(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Relevance(**kwargs).fit(Y)


def test_unfitted_relevance_is_an_error():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        Relevance()(Y)
