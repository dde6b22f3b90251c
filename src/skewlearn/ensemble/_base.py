"""What every imbalance ensemble shares: validation, label encoding, sampling targets,
per-estimator random streams, sample-weight checks and probability averaging."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from imblearn.utils import check_sampling_strategy
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from skewlearn._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    check_single_output,
    check_weights,
    fit_context,
)

# Seeds handed to sub-estimators and samplers stay inside the int32 range every
# scikit-learn estimator accepts.
_MAX_SEED = np.iinfo(np.int32).max
_SPARSE_FORMATS = ["csr", "csc"]


def _is_dask_collection(obj) -> bool:
    """Whether ``obj`` is a Dask collection, without importing dask."""
    # A Dask collection can only exist once dask has been imported.
    dask = sys.modules.get("dask")
    return dask is not None and dask.is_dask_collection(obj)


def _draw_seeds(random_state, n: int) -> NDArray[np.int64]:
    """One seed per ensemble member, drawn up front so members are independent of n_jobs."""
    return check_random_state(random_state).randint(_MAX_SEED, size=n)


def _seed_estimator(estimator: BaseEstimator, seed: int) -> BaseEstimator:
    """Set every ``random_state`` parameter of ``estimator`` (nested ones too) to ``seed``."""
    keys = [
        key
        for key in estimator.get_params(deep=True)
        if key == "random_state" or key.endswith("__random_state")
    ]
    if keys:
        estimator.set_params(**dict.fromkeys(keys, int(seed)))
    return estimator


# The sampling_strategy strings imbalanced-learn accepts for each meaning of the parameter.
_STRATEGY_NAMES = {
    "under-sampling": {"auto", "majority", "not minority", "not majority", "all"},
    "over-sampling": {"auto", "minority", "not minority", "not majority", "all"},
}


def _sampling_strategy_constraint(sampling_type: str) -> list:
    """``sampling_strategy``'s accepted forms; imblearn checks them against the classes in fit."""
    return [
        Interval(Real, 0, 1, closed="right"),
        StrOptions(_STRATEGY_NAMES[sampling_type]),
        Mapping,
        callable,
    ]


_POSITIVE_INT = [Interval(Integral, 1, None, closed="left")]


class _BaseImbalanceEnsemble(ClassifierMixin, BaseEstimator):
    """Template for the ensembles: subclasses implement ``_fit_members`` only.

    ``fit`` validates the input once, encodes the labels as ``0..n_classes-1`` (members are
    fitted on the codes, so their ``classes_`` index our ``classes_``), checks
    ``sample_weight`` against the base estimator and hands plain arrays to ``_fit_members``.
    """

    _default_estimator = DecisionTreeClassifier()
    # What sampling_strategy means for this ensemble, in imblearn's terms.
    _sampling_type = "under-sampling"
    # Checked once when fit starts; subclasses add their own parameters.
    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "n_estimators": _POSITIVE_INT,
        "random_state": ["random_state"],
    }

    def _make_base(self) -> BaseEstimator:
        return self._default_estimator if self.estimator is None else self.estimator

    def _make_member(self, seed: int) -> BaseEstimator:
        return _seed_estimator(clone(self._make_base()), seed)

    # Not skipped for nested fits: each member's fit still checks the parameters the user gave it.
    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None):
        """Fit the ensemble on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data. ``SelfPacedEnsembleClassifier``, ``UnderBaggingClassifier``,
            ``EasyEnsembleClassifier`` and ``BalanceCascadeClassifier`` also take a Dask
            DataFrame or 2-D Dask array (with a Dask ``y`` split alike): the data stay in
            partitions on the workers and only the classes kept whole (gathered once) and
            each member's drawn rows reach this process; a member's training set larger than
            2 GiB as float64 is refused (``_dask.DaskFitLimits``).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the base estimator on the rows each member is fitted on; the base
            estimator's ``fit`` must accept ``sample_weight``.

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        if _is_dask_collection(X) or _is_dask_collection(y):
            return self._fit_dask(X, y, sample_weight)
        check_single_output(y, type(self).__name__)
        X, y = validate_data(self, X, y, accept_sparse=_SPARSE_FORMATS)
        check_classification_targets(y)
        self.classes_, y_codes = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        if self.n_classes_ < 2:
            raise ValueError(
                f"y contains 1 class ({self.classes_[0]!r}); an ensemble classifier needs "
                "at least two classes."
            )
        sample_weight = self._check_sample_weight(sample_weight, X.shape[0])
        self._fit_members(X, y_codes, sample_weight)
        return self

    def _fit_dask(self, X, y, sample_weight):
        raise TypeError(
            f"{type(self).__name__} cannot fit on Dask collections; SelfPacedEnsembleClassifier, "
            "UnderBaggingClassifier, EasyEnsembleClassifier and BalanceCascadeClassifier can, "
            "or compute X and y into memory first."
        )

    def _check_sample_weight(self, sample_weight, n_samples: int) -> NDArray | None:
        if sample_weight is None:
            return None
        base = self._make_base()
        if not has_fit_parameter(base, "sample_weight"):
            raise TypeError(
                f"sample_weight was given but the base estimator {type(base).__name__} does not "
                "accept sample_weight in fit; use a base estimator that does, or drop "
                "sample_weight."
            )
        return check_weights(sample_weight, n_samples)

    def _sampling_targets(self, y_codes: NDArray) -> dict[int, int]:
        """``sampling_strategy`` resolved once into {class code: target count}.

        The user's form (string, float, or dict keyed by original labels) is resolved by
        imblearn against the original labels; ``sampling_strategy_`` keeps that result.
        """
        labels = self.classes_[y_codes]
        strategy = check_sampling_strategy(self.sampling_strategy, labels, self._sampling_type)
        self.sampling_strategy_ = dict(strategy)
        code_of = {label: code for code, label in enumerate(self.classes_.tolist())}
        # Under-sampling: imblearn gives the number to keep; over-sampling: the number to add.
        counts = np.bincount(y_codes, minlength=self.n_classes_)
        return {
            code_of[label]: int(n)
            if self._sampling_type == "under-sampling"
            else int(n + counts[code_of[label]])
            for label, n in strategy.items()
        }

    def _validate_X_predict(self, X: ArrayLike):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, accept_sparse=_SPARSE_FORMATS)

    def _member_proba(self, member: BaseEstimator, X) -> NDArray[np.float64]:
        """Member's class probabilities in the columns of ``classes_`` (missing classes: 0)."""
        proba = np.zeros((X.shape[0], self.n_classes_))
        if hasattr(member, "predict_proba"):
            proba[:, member.classes_] = member.predict_proba(X)
        else:
            # Hard vote when the base estimator has no probabilities.
            proba[np.arange(X.shape[0]), member.predict(X)] = 1.0
        return proba

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities: the mean of the members' probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``. A Dask collection gives a lazy Dask array,
            computed partition by partition.
        """
        if _is_dask_collection(X):
            from skewlearn.ensemble._dask import predict_proba

            return predict_proba(self, X)
        X = self._validate_X_predict(X)
        proba = self._member_proba(self.estimators_[0], X)
        for member in self.estimators_[1:]:
            proba += self._member_proba(member, X)
        return proba / len(self.estimators_)

    def predict(self, X: ArrayLike) -> NDArray:
        """Most probable class for each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            A Dask collection gives a lazy Dask array.
        """
        if _is_dask_collection(X):
            from skewlearn.ensemble._dask import predict

            return predict(self, X)
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self._make_base()).input_tags.sparse
        return tags
