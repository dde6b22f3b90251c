"""The EM prior estimate recovers known priors from exact and from fitted probabilities."""

import numpy as np
import pytest
from scipy.stats import norm

from skewlearn.diagnose import estimate_prior, shift


def exact_posteriors(x, means, train_prior):
    """Bayes posteriors of 1-D unit-variance Gaussians under ``train_prior``."""
    joint = np.column_stack([p * norm.pdf(x, m, 1) for m, p in zip(means, train_prior)])
    return joint / joint.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("new_prior", [[0.98, 0.02], [0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])
def test_em_recovers_a_binary_prior_from_exact_posteriors(new_prior):
    rng = np.random.default_rng(0)
    n = 20_000
    counts = rng.multinomial(n, new_prior)
    x = np.r_[rng.normal(0, 1, counts[0]), rng.normal(2.5, 1, counts[1])]
    estimate = estimate_prior(exact_posteriors(x, [0, 2.5], [0.8, 0.2]), [0.8, 0.2])
    assert estimate.converged
    np.testing.assert_allclose(estimate.prior, counts / n, atol=0.01)
    np.testing.assert_allclose(estimate.train_prior, [0.8, 0.2])


def test_em_recovers_a_three_class_prior_and_keeps_an_unchanged_one():
    rng = np.random.default_rng(1)
    means, train = [0, 3, 6], np.array([0.6, 0.3, 0.1])
    new = np.array([0.1, 0.3, 0.6])
    x = np.concatenate([rng.normal(m, 1, int(20_000 * p)) for m, p in zip(means, new)])
    np.testing.assert_allclose(
        estimate_prior(exact_posteriors(x, means, train), train).prior, new, atol=0.01
    )
    x = np.concatenate([rng.normal(m, 1, int(20_000 * p)) for m, p in zip(means, train)])
    np.testing.assert_allclose(
        estimate_prior(exact_posteriors(x, means, train), train).prior, train, atol=0.01
    )


def test_em_of_calibrated_posteriors_of_the_training_prior_is_a_fixed_point():
    proba = np.array([[0.7, 0.3], [0.9, 0.1], [0.6, 0.4], [0.8, 0.2]])
    estimate = estimate_prior(proba, proba.mean(axis=0))
    assert estimate.iterations == 1
    np.testing.assert_allclose(estimate.prior, proba.mean(axis=0))


def test_shift_estimates_the_prior_of_new_data_with_a_fitted_model():
    """Trained at 1:4, deployed at about 1:32: the estimate lands within 0.015."""
    rng = np.random.default_rng(2)

    def draw(n_negative, n_positive):
        X = np.r_[rng.normal(0, 1, (n_negative, 3)), rng.normal(1.5, 1, (n_positive, 3))]
        return X, np.r_[np.zeros(n_negative, int), np.ones(n_positive, int)]

    X_train, y_train = draw(3200, 800)
    X_new, _ = draw(3880, 120)
    found = shift(X_train, X_new, y_train)
    train, new = found.priors()
    assert train == pytest.approx({0: 0.8, 1: 0.2}, abs=0.005)
    assert new[1] == pytest.approx(120 / 4000, abs=0.015)
    assert found.prior.converged


def test_em_errors_name_the_problem():
    with pytest.raises(ValueError, match="one probability column per class"):
        estimate_prior(np.ones((3, 2)) / 2, [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="positive for every class"):
        estimate_prior(np.ones((3, 2)) / 2, [1.0, 0.0])
