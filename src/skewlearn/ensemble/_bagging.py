"""Bagging with a sampler per member: under-, over- and SMOTE bagging."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import AdaBoostClassifier

from skewlearn._sklearn_compat import Interval, StrOptions
from skewlearn.ensemble._base import (
    _BaseImbalanceEnsemble,
    _draw_seeds,
    _sampling_strategy_constraint,
    _seed_estimator,
)
from skewlearn.resample import SMOTE, RandomOverSampler, RandomUnderSampler
from skewlearn.resample._smote import resolve_neighbours

_K_NEIGHBORS_CONSTRAINT = [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})]


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

    _parameter_constraints: dict = {
        **_BaseImbalanceEnsemble._parameter_constraints,
        "n_jobs": [None, Integral],
    }

    def _make_sampler(self, targets: dict[int, int], y_codes: NDArray) -> BaseEstimator:
        raise NotImplementedError

    def _bootstrap(self) -> bool:
        return self.bootstrap

    def _fit_members(self, X, y_codes: NDArray, sample_weight: NDArray | None) -> None:
        sampler = self._make_sampler(self._sampling_targets(y_codes), y_codes)
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

    _parameter_constraints: dict = {
        **_BaseSamplerBagging._parameter_constraints,
        "sampling_strategy": _sampling_strategy_constraint("under-sampling"),
        "replacement": ["boolean"],
    }

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

    def _fit_dask(self, X, y, sample_weight):
        from skewlearn.ensemble._dask import fit_under_bagging

        return fit_under_bagging(self, X, y, sample_weight)

    def _make_sampler(self, targets, y_codes):
        return RandomUnderSampler(sampling_strategy=targets, replacement=self.replacement)


class EasyEnsembleClassifier(UnderBaggingClassifier):
    """EasyEnsemble: AdaBoost members, each fitted on an independent random under-sample.

    Under-bagging with AdaBoost as the default member (Liu, Wu & Zhou 2009), the sampling
    and defaults of imbalanced-learn's ``EasyEnsembleClassifier``: every member sees all
    samples of the smallest class and a fresh random draw of the others. Being ours, it
    fits on Dask collections like :class:`UnderBaggingClassifier`.

    Parameters
    ----------
    estimator : classifier, default=None
        Base estimator. ``None`` means ``AdaBoostClassifier()`` (50 decision stumps).
    n_estimators : int, default=10
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
    UnderBaggingClassifier : The same sampling, a decision tree by default.

    References
    ----------
    X.-Y. Liu, J. Wu, Z.-H. Zhou. "Exploratory Undersampling for Class-Imbalance Learning."
    IEEE Trans. SMC-B 39(2), 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.ensemble import EasyEnsembleClassifier
    >>> X, y = make_classification(n_samples=2000, weights=[0.95], random_state=0)
    >>> clf = EasyEnsembleClassifier(n_estimators=3, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _default_estimator = AdaBoostClassifier()

    def __init__(
        self,
        estimator=None,
        n_estimators: int = 10,
        *,
        sampling_strategy="auto",
        replacement: bool = False,
        n_jobs: int | None = None,
        random_state=None,
    ):
        super().__init__(
            estimator,
            n_estimators,
            sampling_strategy=sampling_strategy,
            replacement=replacement,
            n_jobs=n_jobs,
            random_state=random_state,
        )


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
    _parameter_constraints: dict = {
        **_BaseSamplerBagging._parameter_constraints,
        "sampling_strategy": _sampling_strategy_constraint("over-sampling"),
        "bootstrap": ["boolean"],
    }

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

    def _make_sampler(self, targets, y_codes):
        return RandomOverSampler(sampling_strategy=targets)


class SMOTEBaggingClassifier(_BaseSamplerBagging):
    """Bagging of members each fitted on a bootstrap whose small classes get SMOTE samples.

    Each member draws a class-stratified bootstrap, then :class:`skewlearn.resample.SMOTE`
    interpolates new samples of the smaller classes up to the target size (SMOTEBagging,
    Wang & Yao 2009). With ``sample_weight``, a synthetic sample gets the mean weight of its
    class.

    Parameters
    ----------
    estimator : classifier, default=None
        Base estimator. ``None`` means ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members.
    sampling_strategy : str, float or dict, default="auto"
        Target of the over-sampling, in imbalanced-learn's over-sampling sense.
    k_neighbors : int or "auto", default="auto"
        Neighbours SMOTE interpolates between. ``"auto"`` is 5, or one less than the size of
        the smallest over-sampled class when it has 5 samples or fewer (with a warning), the
        rule of :class:`skewlearn.resample.SMOTE`. An int must be smaller than the size of
        every over-sampled class. Resolved once per fit, so every member uses the same size.
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
    k_neighbors_ : int
        Neighbourhood size SMOTE used.
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
    _parameter_constraints: dict = {
        **OverBaggingClassifier._parameter_constraints,
        "k_neighbors": _K_NEIGHBORS_CONSTRAINT,
    }

    def __init__(
        self,
        estimator=None,
        n_estimators: int = 50,
        *,
        sampling_strategy="auto",
        k_neighbors: int | str = "auto",
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

    def _make_sampler(self, targets, y_codes):
        sampler = _smote_for(self, targets, y_codes)
        self.k_neighbors_ = sampler.k_neighbors
        return sampler


def _smote_for(ensemble, targets: dict[int, int], y_codes: NDArray) -> SMOTE:
    """The SMOTE every member clones, with ``k_neighbors`` resolved by SMOTE's own rule.

    Every member over-samples classes of the same sizes (the bootstrap keeps them), so the
    size is resolved once, from the whole training set: ``"auto"`` warns once rather than
    once per member, and an int too large for a class fails before any member is fitted.
    """
    k = resolve_neighbours(
        ensemble.k_neighbors,
        "k_neighbors",
        ensemble.classes_[y_codes],
        ensemble.sampling_strategy_,
        type(ensemble).__name__,
    )
    return SMOTE(sampling_strategy=targets, k_neighbors=k)
