"""Target-density weights: DenseWeight (against the denseweight package), LDS, MDI, inverse."""

import numpy as np
import pytest
from scipy.ndimage import gaussian_filter1d
from scipy.stats import norm

from skewlearn.regression import (
    dense_weight,
    get_weighting,
    inverse_density_weight,
    lds_kernel_window,
    lds_weight,
    mdi_weight,
)
from skewlearn.regression._density import scaled_density

Y = np.array([0.0, 0.1, 0.2, 0.2, 0.3, 0.5, 0.9, 1.4, 2.5, 6.0])
# Computed by denseweight 0.1.2 (DenseWeight(alpha).fit(Y)), from its own virtual environment.
DENSEWEIGHT_ALPHA_1 = [
    0.35426301121849785, 0.2271311466242525, 0.12383537176768686, 0.12383537176768686,
    0.05334789758622996, 0.0002456822606800708, 0.24430368829784324, 1.0454346828971024,
    3.238716739194824, 4.588886408385196,
]  # fmt: skip
DENSEWEIGHT_ALPHA_05_BW_04 = [
    0.864438234293326, 0.7985186733186088, 0.7630093234486612, 0.7630093234486612,
    0.7623029199050332, 0.8480042685370394, 1.1222536830920389, 1.3073979360164065,
    1.3840180008106109, 1.387047637129614,
]  # fmt: skip
SKEWED = np.random.default_rng(0).lognormal(size=500)


def test_dense_weight_equals_the_denseweight_package():
    np.testing.assert_allclose(dense_weight(Y, 1.0), DENSEWEIGHT_ALPHA_1, rtol=0, atol=1e-6)
    np.testing.assert_allclose(
        dense_weight(Y, 0.5, bandwidth=0.4), DENSEWEIGHT_ALPHA_05_BW_04, rtol=0, atol=1e-6
    )


def test_dense_weight_follows_the_published_definition():
    # w = max(1 - alpha * rho, eps) / mean, rho the min-max scaled Gaussian KDE (Silverman's
    # bandwidth); here with the exact KDE, so agreement is up to the grid's resolution.
    bandwidth = 1.06 * SKEWED.std() * SKEWED.size**-0.2
    density = norm.pdf(SKEWED[:, None], loc=SKEWED[None, :], scale=bandwidth).mean(axis=1)
    rho = density / density.max()  # the grid's minimum is ~0, its maximum the mode
    expected = np.maximum(1 - 0.8 * rho, 1e-6)
    expected /= expected.mean()
    np.testing.assert_allclose(dense_weight(SKEWED, 0.8), expected, atol=2e-2)


@pytest.mark.parametrize(
    "weigh",
    [
        dense_weight,
        mdi_weight,
        inverse_density_weight,
        lds_weight,
        lambda y: lds_weight(y, kernel="laplace"),
    ],
)
def test_weights_are_positive_with_mean_one_and_favour_the_rare_tail(weigh):
    w = weigh(SKEWED)
    assert np.all(w > 0) and w.mean() == pytest.approx(1.0)
    mode, tail = np.argmin(np.abs(SKEWED - np.exp(-1))), np.argmax(SKEWED)
    assert w[tail] > w[mode]


def test_zero_alpha_gives_equal_weights_and_a_constant_target_too():
    np.testing.assert_allclose(dense_weight(SKEWED, 0.0), 1.0)
    for weigh in (dense_weight, mdi_weight, inverse_density_weight, lds_weight):
        np.testing.assert_allclose(weigh(np.full(7, 3.0)), 1.0)


def test_mdi_follows_its_formula_on_the_scaled_density():
    rho = scaled_density(SKEWED) / (1 + 1e-3)
    for alpha in (0.5, 1.0, 2.0):
        expected = (1 - rho**alpha) ** (1 / alpha)
        np.testing.assert_allclose(mdi_weight(SKEWED, alpha), expected / expected.mean())
    # f(r) = (1 - r^a)^(1/a) is an involution: f(f(r)) = r.
    r = np.linspace(0, 1, 11)
    f = (1 - r**2.5) ** (1 / 2.5)
    np.testing.assert_allclose((1 - f**2.5) ** (1 / 2.5), r, atol=1e-12)


def test_inverse_density_is_the_reciprocal_of_the_density():
    w = inverse_density_weight(SKEWED)
    # 1/w is proportional to the density, so 1/w ordering follows the KDE's ordering.
    bandwidth = 1.06 * SKEWED.std() * SKEWED.size**-0.2
    density = norm.pdf(SKEWED[:, None], loc=SKEWED[None, :], scale=bandwidth).mean(axis=1)
    assert np.corrcoef(1 / w, density)[0, 1] > 0.999


def test_lds_worked_example():
    # Bins [0, 1), [1, 2), [2, 3]; counts 6, 3, 1; triangular window (0.5, 1, 0.5) of size 3:
    # smoothed counts 6 + 1.5 = 7.5, 3 + 3 + 0.5 = 6.5, 1 + 1.5 = 2.5.
    y = np.r_[np.full(6, 0.5), np.full(3, 1.5), 2.5]
    w = lds_weight(y, bins=[0, 1, 2, 3], kernel="triang", size=3, reweight="inverse")
    raw = np.r_[np.full(6, 1 / 7.5), np.full(3, 1 / 6.5), 1 / 2.5]
    np.testing.assert_allclose(w, raw / raw.mean())


def test_lds_kernel_windows():
    np.testing.assert_allclose(lds_kernel_window("triang", 3), [0.5, 1, 0.5])
    np.testing.assert_allclose(lds_kernel_window("laplace", 3, 1.0), [np.exp(-1), 1, np.exp(-1)])
    impulse = np.r_[0, 0, 1.0, 0, 0]
    gauss = gaussian_filter1d(impulse, 2.0)
    np.testing.assert_allclose(lds_kernel_window("gaussian", 5, 2.0), gauss / gauss.max())
    with pytest.raises(ValueError, match="odd"):
        lds_kernel_window("gaussian", 4)


def test_named_weightings_and_bad_parameters():
    assert get_weighting("denseweight") is dense_weight
    with pytest.raises(ValueError, match="choose one of"):
        get_weighting("dense")
    with pytest.raises(ValueError, match="alpha"):
        dense_weight(Y, -1.0)
    with pytest.raises(ValueError, match="bandwidth"):
        mdi_weight(Y, bandwidth=0.0)
