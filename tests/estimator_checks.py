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
import sklearn
from imblearn.utils.estimator_checks import (
    estimator_checks_generator as imblearn_checks_generator,
)
from sklearn.base import BaseEstimator, is_classifier
from sklearn.utils.estimator_checks import estimator_checks_generator
from sklearn.utils.fixes import parse_version


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


# skewlearn.resample: ClusterCentroids and KMeansSMOTE are imbalanced-learn's, re-exported as
# they are; with their default k-means (several random starts, "auto" clusters) imbalanced-learn's
# own checks do not run them either: its test settings pass a one-start KMeans and 12 clusters.
KNOWN_FAILURES["ClusterCentroids"] = {
    check: Only(
        "the default KMeans finds other centroids on sparse input than on the same dense "
        "rows (imbalanced-learn's own checks pass KMeans(n_init=1))",
        applies=lambda estimator: estimator.estimator is None,
    )
    for check in ("check_samplers_sparse", "check_samplers_pandas_sparse")
}
KNOWN_FAILURES["KMeansSMOTE"] = {
    "check_samplers_sampling_strategy_fit_resample": Only(
        "with the default number of clusters no cluster of the check's small classes passes "
        "the balance threshold (imbalanced-learn's own checks pass kmeans_estimator=12)",
        applies=lambda estimator: estimator.kmeans_estimator is None,
    )
}


# skewlearn.resample: NearMiss is a BaseUnderSampler, as imbalanced-learn's is, so the check
# expects every under-sampled class to reach its target count; version 3 keeps only the rows
# on its short list, which may be fewer (imbalanced-learn marks this check of its own
# NearMiss as a known failure; ours warns when it happens).
KNOWN_FAILURES["NearMiss"] = {
    "check_samplers_fit_resample": Only(
        "version 3 keeps only its short-listed rows, which may be fewer than the target "
        "count (a known failure of imbalanced-learn's own NearMiss too)",
        applies=lambda sampler: sampler.version == 3,
    )
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
    "EasyEnsembleClassifier",
    "OverBaggingClassifier",
    "SMOTEBaggingClassifier",
    "RUSBoostClassifier",
    "SMOTEBoostClassifier",
):
    KNOWN_FAILURES[_name] = dict(_RESAMPLING)
# AdaCost and AsymBoost draw no samples, and their class costs read the weighted class sizes,
# so a weight and a repeated row start them alike; but over the rounds, sums of weights and of
# repeated rows differ in the last bit, and a member's tree meets near-tied splits that this
# breaks differently (scikit-learn marks both checks xfail for its AdaBoostClassifier).
_BOOSTING_TIES = _weight_equivalence(
    "over the rounds, float sums of weights and of repeated rows differ in the last bit and a "
    "member's tree breaks near-tied splits differently"
)
KNOWN_FAILURES["AdaCostClassifier"] = dict(_BOOSTING_TIES)
# With a few rounds AsymBoost's members meet no such tie on the checks' data; with more they do.
KNOWN_FAILURES["AsymBoostClassifier"] = {
    check: Only(reason, applies=lambda boost: boost.n_estimators > 4)
    for check, reason in _BOOSTING_TIES.items()
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

# The weight-equivalence checks pass cv as a list of splits (so that a row's copies share a
# fold); AutoBalancedClassifier's cv is a number of stratified folds, which its evaluation plan
# repeats. scikit-learn 1.6 runs the sparse variant whatever the estimator's input tags say
# (its issue 30139; later releases run it only on estimators that take sparse input).
_CV_IS_A_FOLD_COUNT = (
    "the check passes cv as a list of splits; AutoBalancedClassifier's cv is a number of "
    "stratified folds (its evaluation plan repeats them), and a list is refused"
)
KNOWN_FAILURES["AutoBalancedClassifier"]["check_sample_weight_equivalence_on_dense_data"] = (
    _CV_IS_A_FOLD_COUNT
)
if parse_version(sklearn.__version__) < parse_version("1.7"):
    KNOWN_FAILURES["AutoBalancedClassifier"]["check_sample_weight_equivalence_on_sparse_data"] = (
        _CV_IS_A_FOLD_COUNT
    )
KNOWN_FAILURES["Pipeline"] = {
    "check_estimators_overwrite_params": (
        "a pipeline fits the estimators in its steps parameter in place (scikit-learn lists the "
        "same failure for its own Pipeline)"
    ),
    "check_dont_overwrite_parameters": (
        "a pipeline stores its fitted steps in steps (scikit-learn lists the same failure for "
        "its own Pipeline)"
    ),
    "check_classifier_on_multilabel_or_multioutput_targets": (
        "a pipeline answers a multilabel y with its final step's own error (LogisticRegression: "
        "'y should be a 1d array')"
    ),
}


# skewlearn.decision: predict applies the tuned rule while predict_proba passes the wrapped
# estimator's probabilities through unchanged, so predict is not their argmax by design
# (scikit-learn marks this check xfail for TunedThresholdClassifierCV for the same reason).
KNOWN_FAILURES["DecisionTunedClassifier"] = {
    "check_classifiers_train": "predict applies the tuned threshold/offsets, not argmax of "
    "the unchanged predict_proba",
}
# CalibratedClassifier lowers its folds to the smallest class (the default 5 becomes 3 on this
# check's 10 rows, a class of 3); with cv=2 a training fold holds a single row of that class,
# too few to calibrate, and CalibratedClassifierCV's error names the folds, not the feature.
KNOWN_FAILURES["CalibratedClassifier"] = {
    "check_fit2d_1feature": Only(
        "with cv=2 a training fold holds one row of the check's 3-row class, too few to "
        "calibrate (the default cv passes)",
        applies=lambda model: model.cv == 2,
    ),
    # Measured on six draws of the check's (unseeded) imbalanced iris: 0 of 6 pass with the
    # default cv=5, 6 of 6 with cv=2.
    "check_classifiers_with_encoded_labels": Only(
        "with 5-fold sigmoid calibration of a LogisticRegression on unscaled iris, the middle "
        "class (versicolor) is never the most probable, so not every class is predicted",
        applies=lambda model: model.cv == 5,
    ),
}


# skewlearn.active: -1 marks unlabelled rows, as in scikit-learn's SelfTrainingClassifier.
KNOWN_FAILURES["ClassBalancedSelfTraining"] = {
    "check_classifiers_classes": (
        "the check's labels [-1, 1] use -1, which marks unlabelled rows (scikit-learn exempts "
        "its own SelfTrainingClassifier from this check by name)"
    ),
    "check_non_transformer_estimators_n_iter": (
        "n_iter_ counts pseudo-labelling rounds: 0 when y has no unlabelled row (scikit-learn "
        "lists the same failure for SelfTrainingClassifier)"
    ),
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
    """(estimator, check) pairs: scikit-learn's checks, plus imbalanced-learn's for samplers
    and classifiers (a multilabel target refused in its words, encoded labels kept)."""
    expected = expected_failed_checks(estimator)
    pairs = list(
        estimator_checks_generator(estimator, expected_failed_checks=expected, mark="xfail")
    )
    if hasattr(estimator, "fit_resample") or is_classifier(estimator):
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
