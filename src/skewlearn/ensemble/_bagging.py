"""Bagging with a sampler per member: under-, over- and SMOTE bagging."""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from joblib import Parallel, delayed
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, clone

from skewlearn.ensemble._base import (
    _BaseImbalanceEnsemble,
    _check_positive_int,
    _draw_seeds,
    _seed_estimator,
)


def _stratified_bootstrap(y_codes: NDArray, n_classes: int, rng) -> NDArray[np.intp]:
    """Bootstrap rows class by class, so every class keeps its size and none vanishes."""
    parts = []
    for c in range(n_classes):
        rows = np.flatnonzero(y_codes == c)
        parts.append(rows[rng.integers(0, len(rows), size=len(rows))])
    return np.concatenate(parts)


def _picks_rows_by_label(sampler) -> bool:
    """Whether ``sampler`` chooses rows from the labels alone, never looking at X."""
    if isinstance(sampler, RandomOverSampler):
        return sampler.shrinkage is None
    return isinstance(sampler, RandomUnderSampler)


def _resample(sampler, X, y_codes, sample_weight, rows):
    """Apply ``sampler`` to ``rows``; return the training set with weights carried along.

    Samplers that select rows expose ``sample_indices_``; SMOTE instead returns the input
    rows first, in order, followed by synthetic rows, which get the mean weight of their
    class in the input.  Random under- and over-sampling see only the row numbers, so only
    the rows they keep are copied (a member of an under-bagging ensemble on a large, skewed
    set is small, and copying the whole bootstrap first would dominate its cost).
    """
    if _picks_rows_by_label(sampler):
        sampler.fit_resample(rows[:, None], y_codes[rows])
        picked = rows[sampler.sample_indices_]
        weights = None if sample_weight is None else sample_weight[picked]
        return X[picked], y_codes[picked], weights
    X_res, y_res = sampler.fit_resample(X[rows], y_codes[rows])
    if hasattr(sampler, "sample_indices_"):
        picked = rows[sampler.sample_indices_]
        weights = None if sample_weight is None else sample_weight[picked]
        return X_res, y_res, weights
    if sample_weight is None:
        return X_res, y_res, None
    w_in, y_in = sample_weight[rows], y_codes[rows]
    class_mean = np.bincount(y_in, weights=w_in) / np.maximum(np.bincount(y_in), 1)
    return X_res, y_res, np.concatenate([w_in, class_mean[y_res[len(rows) :]]])


def _fit_member(base, sampler, X, y_codes, sample_weight, seed, bootstrap, n_classes):
    rng = np.random.default_rng(seed)
    rows = _stratified_bootstrap(y_codes, n_classes, rng) if bootstrap else np.arange(len(y_codes))
    X_fit, y_fit, w_fit = _resample(
        _seed_estimator(clone(sampler), seed), X, y_codes, sample_weight, rows
    )
    member = _seed_estimator(base, seed)
    if w_fit is None:
        return member.fit(X_fit, y_fit)
    return member.fit(X_fit, y_fit, sample_weight=w_fit)


class _BaseSamplerBagging(_BaseImbalanceEnsemble):
    """Members fitted independently (in parallel with joblib) on resampled data."""

    def _make_sampler(self, targets: dict[int, int], counts: NDArray) -> BaseEstimator:
        raise NotImplementedError

    def _bootstrap(self) -> bool:
        return self.bootstrap

    def _fit_members(self, X, y_codes: NDArray, sample_weight: NDArray | None) -> None:
        counts = np.bincount(y_codes, minlength=self.n_classes_)
        sampler = self._make_sampler(self._sampling_targets(y_codes), counts)
        seeds = _draw_seeds(self.random_state, self.n_estimators)
        # Threads by default: tree fitting releases the GIL and X is shared without copies;
        # joblib.parallel_config(backend=...) overrides this (e.g. "loky" or "dask").
        self.estimators_ = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_fit_member)(
                self._make_member(seed),
                sampler,
                X,
                y_codes,
                sample_weight,
                seed,
                self._bootstrap(),
                self.n_classes_,
            )
            for seed in seeds
        )


class UnderBaggingClassifier(_BaseSamplerBagging):
    """Bagging of members each fitted on an independent random under-sample.

    Every member sees all samples of the smallest class and a fresh random draw of the
    others (EasyEnsemble's sampling with any base estimator). Members are fitted in
    parallel; the result does not depend on ``n_jobs``.

    Parameters
    ----------
    estimator : classifier, default=None
        Base estimator. ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    sampling_strategy : str, float or dict, default="auto"
        Samples of each class per member, in imbalanced-learn's under-sampling sense.
    replacement : bool, default=False
        Draw the under-sample with replacement.
    n_jobs : int, default=None
        Members fitted in parallel (joblib; ``-1`` uses all cores).
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling and the members.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    sampling_strategy_ : dict
        The resolved ``sampling_strategy`` (imbalanced-learn's meaning for this sampler).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    SelfPacedEnsembleClassifier : Under-sampling guided by hardness.

    References
    ----------
    X.-Y. Liu, J. Wu, Z.-H. Zhou. "Exploratory Undersampling for Class-Imbalance Learning."
    IEEE Trans. SMC-B 39(2), 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.ensemble import UnderBaggingClassifier
    >>> X, y = make_classification(n_samples=2000, weights=[0.95], random_state=0)
    >>> clf = UnderBaggingClassifier(n_estimators=5, n_jobs=2, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        estimator=None,
        n_estimators: int = 50,
        *,
        sampling_strategy="auto",
        replacement: bool = False,
        n_jobs: int | None = None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _bootstrap(self) -> bool:
        return False

    def _make_sampler(self, targets, counts):
        return RandomUnderSampler(sampling_strategy=targets, replacement=self.replacement)


class OverBaggingClassifier(_BaseSamplerBagging):
    """Bagging of members each fitted on a bootstrap whose small classes are over-sampled.

    Each member draws a class-stratified bootstrap of the data, then randomly duplicates
    samples of the smaller classes up to the target size (OverBagging, Wang & Yao 2009).

    Parameters
    ----------
    estimator : classifier, default=None
        Base estimator. ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    sampling_strategy : str, float or dict, default="auto"
        Target of the over-sampling, in imbalanced-learn's over-sampling sense.
    bootstrap : bool, default=True
        Bootstrap each class before over-sampling; without it the members differ only by
        which minority samples are duplicated.
    n_jobs : int, default=None
        Members fitted in parallel (joblib; ``-1`` uses all cores).
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling and the members.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    sampling_strategy_ : dict
        The resolved ``sampling_strategy`` (imbalanced-learn's meaning for this sampler).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    SMOTEBaggingClassifier : Synthetic instead of duplicated minority samples.

    References
    ----------
    S. Wang, X. Yao. "Diversity analysis on imbalanced data sets by using ensemble models."
    IEEE CIDM 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.ensemble import OverBaggingClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> OverBaggingClassifier(n_estimators=5, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _sampling_type = "over-sampling"

    def __init__(
        self,
        estimator=None,
        n_estimators: int = 50,
        *,
        sampling_strategy="auto",
        bootstrap: bool = True,
        n_jobs: int | None = None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.sampling_strategy = sampling_strategy
        self.bootstrap = bootstrap
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _make_sampler(self, targets, counts):
        return RandomOverSampler(sampling_strategy=targets)


class SMOTEBaggingClassifier(_BaseSamplerBagging):
    """Bagging of members each fitted on a bootstrap whose small classes get SMOTE samples.

    Each member draws a class-stratified bootstrap, then SMOTE interpolates new samples of
    the smaller classes up to the target size (SMOTEBagging, Wang & Yao 2009). With
    ``sample_weight``, a synthetic sample gets the mean weight of its class.

    Parameters
    ----------
    estimator : classifier, default=None
        Base estimator. ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    sampling_strategy : str, float or dict, default="auto"
        Target of the over-sampling, in imbalanced-learn's over-sampling sense.
    k_neighbors : int, default=5
        Neighbours SMOTE interpolates between; each over-sampled class needs more samples.
    bootstrap : bool, default=True
        Bootstrap each class before SMOTE.
    n_jobs : int, default=None
        Members fitted in parallel (joblib; ``-1`` uses all cores).
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling and the members.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    sampling_strategy_ : dict
        The resolved ``sampling_strategy`` (imbalanced-learn's meaning for this sampler).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    OverBaggingClassifier : Duplicates instead of synthetic samples.

    References
    ----------
    S. Wang, X. Yao. "Diversity analysis on imbalanced data sets by using ensemble models."
    IEEE CIDM 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.ensemble import SMOTEBaggingClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> SMOTEBaggingClassifier(n_estimators=5, random_state=0).fit(X, y).predict(X[:3]).shape
    (3,)
    """

    _sampling_type = "over-sampling"

    def __init__(
        self,
        estimator=None,
        n_estimators: int = 50,
        *,
        sampling_strategy="auto",
        k_neighbors: int = 5,
        bootstrap: bool = True,
        n_jobs: int | None = None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.sampling_strategy = sampling_strategy
        self.k_neighbors = k_neighbors
        self.bootstrap = bootstrap
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _validate_params(self) -> None:
        super()._validate_params()
        _check_positive_int(self.k_neighbors, "k_neighbors")

    def _make_sampler(self, targets, counts):
        return _smote_for(targets, self.k_neighbors, self.classes_, counts)


def _smote_for(targets: dict[int, int], k_neighbors: int, classes, counts) -> SMOTE:
    """SMOTE for ``targets``, with a clear error when a class is too small to interpolate."""
    for c, n_target in targets.items():
        if n_target > counts[c] and counts[c] <= k_neighbors:
            raise ValueError(
                f"class {classes[c]!r} has {counts[c]} samples; SMOTE needs "
                f"k_neighbors < {counts[c]}: pass k_neighbors={max(counts[c] - 1, 1)} "
                "or use the random over-sampling variant."
            )
    return SMOTE(sampling_strategy=targets, k_neighbors=k_neighbors)
