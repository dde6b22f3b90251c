"""Properties that hold for any targets, checked on generated ones."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import UndefinedMetricWarning

from skewlearn.metrics import (
    average_precision,
    balanced_accuracy,
    brier,
    expected_cost,
    f1,
    fbeta,
    get_scorer,
    gmean,
    log_loss,
    mcc,
    per_class_scores,
    roc_auc,
)
from skewlearn.metrics._registry import _METRICS

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def targets(draw, min_classes=2, max_classes=4):
    """``(k, y_true codes, y_pred codes, proba)`` with at least two classes in y_true."""
    k = draw(st.integers(min_classes, max_classes))
    n = draw(st.integers(4, 30))
    codes = st.lists(st.integers(0, k - 1), min_size=n, max_size=n)
    y_true = np.array(draw(codes))
    assume(len(np.unique(y_true)) >= 2)
    y_pred = np.array(draw(codes))
    raw = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n * k, max_size=n * k)))
    proba = raw.reshape(n, k) / raw.reshape(n, k).sum(axis=1, keepdims=True)
    return k, y_true, y_pred, proba


def _scores(k, proba):
    return proba[:, 1] if k == 2 else proba


@FAST
@given(targets())
def test_metrics_stay_in_their_documented_range(data):
    k, y_true, y_pred, proba = data
    labels = np.arange(k)
    for metric in (f1, balanced_accuracy, gmean):
        assert 0.0 <= metric(y_true, y_pred, labels=labels) <= 1.0
    assert 0.0 <= fbeta(y_true, y_pred, beta=2, labels=labels) <= 1.0
    assert -1.0 - 1e-12 <= mcc(y_true, y_pred, labels=labels) <= 1.0 + 1e-12
    table = per_class_scores(y_true, y_pred, labels=labels)
    assert (
        (table[["precision", "recall", "f1"]] >= 0) & (table[["precision", "recall", "f1"]] <= 1)
    ).all(axis=None)
    score = _scores(k, proba)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)  # binary positive may be absent
        for metric in (average_precision, roc_auc):
            value = metric(y_true, score, labels=labels, pos_label=1 if k == 2 else None)
            assert np.isnan(value) or 0.0 <= value <= 1.0
    assert (
        0.0
        <= brier(y_true, score, labels=labels, pos_label=1 if k == 2 else None)
        <= (1.0 if k == 2 else 2.0)
    )
    assert log_loss(y_true, score, labels=labels, pos_label=1 if k == 2 else None) >= 0.0


@FAST
@given(targets(), st.randoms(use_true_random=False))
def test_label_metrics_ignore_class_names(data, rnd):
    k, y_true, y_pred, proba = data
    names = np.array([f"c{i}" for i in rnd.sample(range(100), k)])
    renamed = {"y_true": names[y_true], "y_pred": names[y_pred]}
    for metric in (mcc, balanced_accuracy, gmean):
        assert metric(**renamed, labels=names) == pytest.approx(
            metric(y_true, y_pred, labels=np.arange(k)), abs=1e-12
        )
    counts = np.bincount(y_true, minlength=k)
    # Binary F picks the minority class; with tied counts the tie-break on the label can
    # legitimately differ after renaming, so compare only untied targets.
    if k > 2 or counts[0] != counts[1]:
        assert f1(**renamed, labels=names) == pytest.approx(
            f1(y_true, y_pred, labels=np.arange(k)), abs=1e-12
        )
    if k > 2:
        # score columns travel with their class names
        assert roc_auc(names[y_true], proba, labels=names) == pytest.approx(
            roc_auc(y_true, proba, labels=np.arange(k)), abs=1e-12
        )


@FAST
@given(targets())
def test_gmean_is_zero_exactly_when_a_present_class_is_never_recalled(data):
    k, y_true, y_pred, _ = data
    recall = per_class_scores(y_true, y_pred, labels=np.arange(k))["recall"]
    present = np.bincount(y_true, minlength=k) > 0
    assert (gmean(y_true, y_pred, labels=np.arange(k)) == 0.0) == bool((recall[present] == 0).any())


@FAST
@given(targets())
def test_zero_one_cost_is_the_error_rate(data):
    k, y_true, y_pred, _ = data
    zero_one = 1 - np.eye(k)
    assert expected_cost(y_true, y_pred, zero_one, labels=np.arange(k)) == pytest.approx(
        np.mean(y_true != y_pred), abs=1e-12
    )


class _Oracle:
    """A fitted-looking classifier reading its answers from X: column 0 is the prediction,
    the remaining columns are predict_proba."""

    def __init__(self, k):
        self.classes_ = np.arange(k)

    def predict(self, X):
        return X[:, 0].astype(int)

    def predict_proba(self, X):
        return X[:, 1:]


SCORER_NAMES = [*_METRICS, "f2", "cost:FN=5,FP=1"]


@settings(max_examples=25, deadline=None)
@given(targets(), st.integers(0, 2**31 - 1))
def test_every_scorer_prefers_a_perfect_classifier(data, seed):
    k, y_true, _, _ = data
    rng = np.random.default_rng(seed)
    n = len(y_true)
    perfect = np.column_stack([y_true, np.eye(k)[y_true]])
    noise = rng.dirichlet(np.ones(k), size=n)
    random = np.column_stack([rng.integers(0, k, size=n), noise])
    oracle = _Oracle(k)
    for name in SCORER_NAMES:
        if name.startswith("cost") and k > 2:
            continue
        scorer = get_scorer(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            best, other = scorer(oracle, perfect, y_true), scorer(oracle, random, y_true)
        assert best >= other - 1e-12, name
