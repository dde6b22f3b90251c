"""PriorCorrectedClassifier: the training prior is read, and the real prior comes back."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skewlearn.decision import PriorCorrectedClassifier, correct_prior


def test_correction_restores_the_true_prior_mean_probability():
    X, y = make_classification(n_samples=6000, weights=[0.9], class_sep=0.5, random_state=0)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    pipe = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    model = PriorCorrectedClassifier(pipe).fit(X_tr, y_tr)
    assert model.train_prior_ == pytest.approx([0.5, 0.5])
    raw = model.estimator_.predict_proba(X_te)[:, 1].mean()
    corrected = model.predict_proba(X_te)[:, 1].mean()
    assert raw > 0.3  # the under-sampled model believes in a 50:50 world
    assert corrected == pytest.approx(y_te.mean(), abs=0.02)


def test_binary_correction_is_dal_pozzolo_formula():
    p_s = np.linspace(0.01, 0.99, 50)
    beta = 100 / 900  # negatives kept by balancing 100 positives against 900 negatives
    expected = beta * p_s / (beta * p_s - p_s + 1)
    got = correct_prior(np.column_stack([1 - p_s, p_s]), np.array([0.5, 0.5]), np.array([0.9, 0.1]))
    np.testing.assert_allclose(got[:, 1], expected)


def test_prior_is_read_from_what_reached_the_final_step_not_guessed():
    X, y = make_classification(n_samples=400, n_classes=3, n_informative=4, weights=[0.6, 0.3],
                               random_state=0)  # fmt: skip
    # Under-sample only class 0, to 50 rows; classes 1 and 2 pass unchanged.
    sampler = RandomUnderSampler(sampling_strategy={0: 50}, random_state=0)
    counts = np.bincount(y).astype(float)
    counts[0] = 50
    model = PriorCorrectedClassifier(make_pipeline(sampler, LogisticRegression())).fit(X, y)
    np.testing.assert_allclose(model.train_prior_, counts / counts.sum())
    assert type(model.estimator_.steps[-1][1]) is LogisticRegression


def test_user_priors_and_pandas():
    X, y = make_classification(n_samples=200, random_state=0)
    X = pd.DataFrame(X)
    model = PriorCorrectedClassifier(LogisticRegression(), target_prior={0: 0.99, 1: 0.01})
    model.fit(X, pd.Series(y))
    assert model.train_prior_ == pytest.approx(np.bincount(y) / len(y))
    assert model.predict(X).mean() < 0.2
    with pytest.raises(ValueError, match="positive weight"):
        PriorCorrectedClassifier(LogisticRegression(), train_prior=[1, 0]).fit(X, y)


def test_the_rule_is_said_in_words():
    X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    pipe = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    model = PriorCorrectedClassifier(pipe).fit(X, y)
    assert model.describe_rule() == (
        "the most probable class after correcting probabilities to the true class prior"
    )
