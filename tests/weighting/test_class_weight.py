import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight

from skewlearn.weighting import class_weight_to_sample_weight, compute_class_weights

Y = np.array(["maj"] * 90 + ["mid"] * 30 + ["min"] * 5)


def test_balanced_matches_scikit_learn():
    ours = compute_class_weights(Y, "balanced")
    theirs = compute_class_weight("balanced", classes=np.unique(Y), y=Y)
    np.testing.assert_allclose(list(ours.values()), theirs)
    assert list(ours) == ["maj", "mid", "min"]


@pytest.mark.parametrize("scheme", ["balanced", "sqrt", "effective_number"])
def test_weighted_total_equals_sample_count(scheme):
    weights = class_weight_to_sample_weight(Y, scheme)
    assert weights.sum() == pytest.approx(len(Y))


def test_sqrt_known_case():
    # counts 100 and 25: raw 1/10 and 1/5; scale = 125 / (100/10 + 25/5) = 125/15
    w = compute_class_weights([0] * 100 + [1] * 25, "sqrt")
    assert w[0] == pytest.approx(0.1 * 125 / 15)
    assert w[1] == pytest.approx(0.2 * 125 / 15)


def test_effective_number_known_case_and_limits():
    y = [0] * 3 + [1]
    beta = 0.5
    # (1 - b) / (1 - b^n): n=3 -> 0.5/0.875, n=1 -> 1; then scaled to total 4
    raw = np.array([0.5 / 0.875, 1.0])
    expected = raw * 4 / (3 * raw[0] + raw[1])
    np.testing.assert_allclose(
        list(compute_class_weights(y, "effective_number", beta=beta).values()), expected
    )
    # beta = 0 gives equal weights; beta -> 1 approaches "balanced"
    np.testing.assert_allclose(
        list(compute_class_weights(Y, "effective_number", beta=0.0).values()), 1.0
    )
    near_one = compute_class_weights(Y, "effective_number", beta=1 - 1e-9)
    np.testing.assert_allclose(
        list(near_one.values()), list(compute_class_weights(Y).values()), rtol=1e-5
    )


def test_sample_weight_from_mapping():
    w = class_weight_to_sample_weight(["a", "b", "a"], {"a": 0.5, "b": 3})
    np.testing.assert_array_equal(w, [0.5, 3.0, 0.5])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: compute_class_weights(Y, "inverse"), ValueError, "Unknown class-weight scheme"),
        (lambda: compute_class_weights(Y, "effective_number", beta=1.0), ValueError, r"\[0, 1\)"),
        (lambda: compute_class_weights([], "balanced"), ValueError, "empty"),
        (lambda: compute_class_weights([[0, 1]]), ValueError, "1-dimensional"),
        (lambda: class_weight_to_sample_weight(Y, {"maj": 1.0}), ValueError, "no weight"),
        (lambda: class_weight_to_sample_weight(Y, [1, 2, 3]), TypeError, "mapping"),
        (lambda: class_weight_to_sample_weight([0, 1], {0: -1, 1: 1}), ValueError, "non-negative"),
    ],
)
def test_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
