"""One place to run the scikit-learn / imbalanced-learn contract checks on our estimators.

Every estimator module's tests decorate one test with :func:`parametrize_estimator_checks`.
Each estimator gets all of scikit-learn's checks and, for samplers (anything with
``fit_resample``), imbalanced-learn's sampler checks as well.

Known failures live in :data:`KNOWN_FAILURES` only, each with its reason, so the list of checks
we cannot pass is reviewed in one file. ``xfail_strict`` is on, so an entry must be exact: a
check listed for a class must fail on every instance it applies to. Where a failure depends on
the instance's parameters, the entry is an :class:`Only` with a predicate on the instance.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pytest
from imblearn.utils.estimator_checks import (
    estimator_checks_generator as imblearn_checks_generator,
)
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import estimator_checks_generator


@dataclass(frozen=True)
class Only:
    """A known failure of the instances for which ``applies(estimator)`` is true."""

    reason: str
    applies: Callable[[BaseEstimator], bool]


# estimator class name -> {check name: why it cannot pass (every instance), or Only(...)}
KNOWN_FAILURES: dict[str, dict[str, str | Only]] = {}


def _weight_equivalence(reason: str) -> dict[str, str]:
    return {
        "check_sample_weight_equivalence_on_dense_data": reason,
        "check_sample_weight_equivalence_on_sparse_data": reason,
    }


# skewlearn.resample: SMOTENC is imbalanced-learn's, re-exported as it is (imbalanced-learn
# leaves it out of its own common checks).
KNOWN_FAILURES["SMOTENC"] = {
    "check_estimators_nan_inf": (
        "imbalanced-learn's SMOTENC skips array validation in fit (its columns may hold any "
        "category), so NaN and inf are not refused"
    ),
    "check_estimator_sparse_tag": (
        "imbalanced-learn's SMOTENC accepts sparse X while its tags say sparse=False"
    ),
    "check_samplers_string": (
        "the check's X is all strings, so every column is categorical; SMOTENC needs a "
        "numeric one (SMOTEN is the sampler for all-categorical data)"
    ),
}


# skewlearn.ensemble: members fitted on random resamples whose size and draw depend on the
# class counts; repeating a row changes the counts (and the rows drawn), a weight does not, so
# weights and repeated rows give different members (scikit-learn marks this check xfail for its
# BaggingClassifier and AdaBoostClassifier too).
_RESAMPLING = _weight_equivalence(
    "members are fitted on random resamples sized by class counts; a repeated row changes "
    "the counts and the draw, a weight does not"
)
for _name in (
    "SelfPacedEnsembleClassifier",
    "BalanceCascadeClassifier",
    "UnderBaggingClassifier",
    "OverBaggingClassifier",
    "SMOTEBaggingClassifier",
    "RUSBoostClassifier",
    "SMOTEBoostClassifier",
):
    KNOWN_FAILURES[_name] = dict(_RESAMPLING)
# AdaCost and AsymBoost draw no samples, but their default class_cost ("sqrt", "balanced")
# comes from class counts, which repeated rows change; with a class_cost mapping they pass.
for _name in ("AdaCostClassifier", "AsymBoostClassifier"):
    KNOWN_FAILURES[_name] = {
        "check_sample_weight_equivalence_on_dense_data": (
            "the default class_cost is computed from class counts, which repeated rows change "
            "and weights do not"
        )
    }


# skewlearn.select: the selector cross-validates every strategy, which needs at least two
# samples of every class; these checks fit on data with a class of a single sample, which
# AutoBalancedClassifier refuses with a clear error instead of choosing blindly.
KNOWN_FAILURES["AutoBalancedClassifier"] = dict.fromkeys(
    [
        "check_dont_overwrite_parameters",
        "check_f_contiguous_array_estimator",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_dict_unchanged",
        "check_fit2d_predict1d",
    ],
    "the check's data has a class with a single sample, which cannot be cross-validated",
)


# skewlearn.decision: predict applies the tuned rule while predict_proba passes the wrapped
# estimator's probabilities through unchanged, so predict is not their argmax by design
# (scikit-learn marks this check xfail for TunedThresholdClassifierCV for the same reason).
KNOWN_FAILURES["DecisionTunedClassifier"] = {
    "check_classifiers_train": "predict applies the tuned threshold/offsets, not argmax of "
    "the unchanged predict_proba",
}
# CalibratedClassifierCV itself refuses k-fold calibration when a class has fewer than k rows,
# which this check's 10-row data has; its error names the folds, not the single feature.
KNOWN_FAILURES["CalibratedClassifier"] = {
    "check_fit2d_1feature": "CalibratedClassifierCV needs cv rows of each class; the check's "
    "tiny data has fewer",
}


def expected_failed_checks(estimator: BaseEstimator) -> dict[str, str]:
    """Checks that ``estimator`` (this instance) is known to fail, with the reason for each."""
    expected = {}
    for check, entry in KNOWN_FAILURES.get(type(estimator).__name__, {}).items():
        if isinstance(entry, str):
            expected[check] = entry
        elif entry.applies(estimator):
            expected[check] = entry.reason
    return expected


def _check_name(check) -> str:
    while hasattr(check, "func"):
        check = check.func
    return check.__name__


def _test_id(estimator: BaseEstimator, check) -> str:
    compact = re.sub(r"\s+", "", repr(estimator))
    return f"{compact}-{_check_name(check)}"


def all_checks(estimator: BaseEstimator) -> list[tuple[BaseEstimator, object]]:
    """(estimator, check) pairs: scikit-learn's checks, plus imbalanced-learn's for samplers."""
    expected = expected_failed_checks(estimator)
    pairs = list(
        estimator_checks_generator(estimator, expected_failed_checks=expected, mark="xfail")
    )
    if hasattr(estimator, "fit_resample"):
        pairs += list(
            imblearn_checks_generator(estimator, expected_failed_checks=expected, mark="xfail")
        )
    return pairs


def parametrize_estimator_checks(estimators: Iterable[BaseEstimator]):
    """``pytest.mark.parametrize`` over every contract check of every estimator.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> @parametrize_estimator_checks([LogisticRegression()])
    ... def test_contract(estimator, check):
    ...     check(estimator)
    """
    pairs = [pair for estimator in estimators for pair in all_checks(estimator)]
    ids = [_test_id(*_unwrap(pair)) for pair in pairs]
    return pytest.mark.parametrize("estimator, check", pairs, ids=ids)


def _unwrap(pair):
    # An expected failure comes wrapped in pytest.param(estimator, check, marks=xfail).
    return pair.values if hasattr(pair, "values") else pair


# skewlearn.regression: samplers of a numeric target, so imbalanced-learn's checks written for
# class labels do not apply to them.
_REGRESSION_SAMPLER = {
    "check_target_type": (
        "the check expects a continuous target to be rejected; a regression sampler needs one"
    ),
    "check_samplers_one_label": (
        "the check expects an error for a single class; a regression target has no classes "
        "(a constant target is returned unchanged, with a warning)"
    ),
    "check_samplers_multiclass_ova": (
        "the check passes a one-hot (n, 3) class target; a regression target is one column"
    ),
    "check_samplers_pandas_sparse": (
        "sparse X is not supported: SMOTER interpolates dense rows (sparse input raises a "
        "TypeError that says so)"
    ),
}
for _name in (
    "RegressionRandomOverSampler",
    "RegressionRandomUnderSampler",
    "SMOTER",
    "SMOGN",
):
    KNOWN_FAILURES[_name] = dict(_REGRESSION_SAMPLER)
for _name in ("SMOTER", "SMOGN"):
    # With the default relevance the check's class-like targets (0, 1, 2) are all normal, so
    # nothing is synthesised and the integer dtype is kept; a relevance making some rare fails.
    KNOWN_FAILURES[_name]["check_samplers_preserve_dtype"] = Only(
        "an integer target comes back as float once rows are synthesised: their targets are "
        "interpolated (or perturbed) between integers",
        applies=lambda sampler: sampler.relevance is not None,
    )
KNOWN_FAILURES["WeightedRegressor"] = {
    "check_sample_weight_equivalence_on_sparse_data": (
        "the weights come from the density of y, which repeated rows change and weights do "
        "not (on dense data the check's exact LinearRegression fit hides this; on sparse data "
        "the lsqr solver's tolerance shows it)"
    ),
}
