"""The shared contract-check helper itself: it must find real failures and run sampler checks."""

import numpy as np
import pytest
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from estimator_checks import (
    KNOWN_FAILURES,
    Only,
    _check_name,
    _unwrap,
    all_checks,
    expected_failed_checks,
)


class _ForgetfulClassifier(ClassifierMixin, BaseEstimator):
    """Breaks the contract on purpose: ``fit`` does not return ``self``."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _names(estimator) -> set[str]:
    return {_check_name(_unwrap(pair)[1]) for pair in all_checks(estimator)}


def test_sampler_gets_both_check_suites():
    names = _names(RandomUnderSampler(random_state=0))
    assert "check_samplers_fit_resample" in names
    assert "check_estimators_dtypes" in names


def test_classifier_gets_no_sampler_checks():
    names = _names(LogisticRegression())
    assert "check_classifiers_train" in names
    assert not any(name.startswith("check_samplers") for name in names)


def test_classifier_gets_imblearn_classifier_checks():
    names = _names(LogisticRegression())
    assert "check_classifier_on_multilabel_or_multioutput_targets" in names
    assert "check_classifiers_with_encoded_labels" in names


def test_contract_violation_is_caught():
    failing = set()
    for estimator, check in all_checks(_ForgetfulClassifier()):
        try:
            check(estimator)
        except Exception:  # every failing check is collected on purpose
            failing.add(_check_name(check))
    assert "check_estimators_fit_returns_self" in failing


def test_known_failure_becomes_xfail_with_its_reason(monkeypatch):
    monkeypatch.setitem(
        KNOWN_FAILURES, "LogisticRegression", {"check_classifiers_train": "a reason"}
    )
    marked = [pair for pair in all_checks(LogisticRegression()) if hasattr(pair, "marks")]
    assert {_check_name(pair.values[1]) for pair in marked} == {"check_classifiers_train"}
    assert marked[0].marks[0].kwargs["reason"] == "a reason"


def test_known_failure_can_depend_on_the_instance(monkeypatch):
    only_lbfgs = Only("a reason", applies=lambda estimator: estimator.solver == "lbfgs")
    monkeypatch.setitem(KNOWN_FAILURES, "LogisticRegression", {"check_fit2d_1sample": only_lbfgs})
    assert expected_failed_checks(LogisticRegression()) == {"check_fit2d_1sample": "a reason"}
    assert expected_failed_checks(LogisticRegression(solver="newton-cg")) == {}


def test_every_known_failure_has_a_reason():
    for entries in KNOWN_FAILURES.values():
        for entry in entries.values():
            reason = entry if isinstance(entry, str) else entry.reason
            assert reason.strip()
            assert isinstance(entry, str) or callable(entry.applies)


def test_an_expected_failure_that_passes_fails_the_run(request):
    # strict: a known failure that no longer fails must be taken off the list
    assert request.config.getini("xfail_strict") is True


# scikit-learn's own classifiers answer a multilabel y with column_or_1d's "y should be a 1d
# array", not imbalanced-learn's standard message: that one check is not theirs to pass.
_REFERENCE_PAIRS = [
    pair
    for estimator in (LogisticRegression(max_iter=500), RandomUnderSampler(random_state=0))
    for pair in all_checks(estimator)
    if _check_name(_unwrap(pair)[1]) != "check_classifier_on_multilabel_or_multioutput_targets"
]


@pytest.mark.parametrize("estimator, check", _REFERENCE_PAIRS)
def test_reference_estimators_pass(estimator, check):
    check(estimator)
