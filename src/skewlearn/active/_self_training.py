"""Self-training that pseudo-labels each class in proportion to a class prior.

scikit-learn's ``SelfTrainingClassifier`` adds every unlabelled row whose top probability
passes the threshold. On imbalanced data those rows are mostly of the majority class, so each
round tilts the training set (and the next round's predictions) further towards it: the
majority swallows the pool. Yang & Xu ("Rethinking the Value of Labels for Improving
Class-Imbalanced Learning", NeurIPS 2020) show that unlabelled rows do help an imbalanced
learner when pseudo-labels are used with care. :class:`ClassBalancedSelfTraining` keeps the
count of confident rows of a round, ``N``, but gives class c at most ``N * prior_c`` of them
(its most confident rows), and the class with the fewest confident rows for its share limits
the round, so the pseudo-labels of every round follow the prior (to rounding). Class-balanced
self-training (Zou et al., ECCV 2018) likewise controls how many pseudo-labels each class gets
instead of letting one bar decide for all.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from skewlearn._sklearn_compat import (
    HasMethods,
    Interval,
    StrOptions,
    check_single_output,
    fit_context,
)
from skewlearn.decision._prior import as_prior

_SPARSE = ["csr", "csc"]


def _estimator_has(method: str):
    def check(self) -> bool:
        fitted = getattr(self, "estimator_", None)
        return hasattr(fitted if fitted is not None else self.estimator, method)

    return check


def prior_quotas(n: int, prior: np.ndarray) -> np.ndarray:
    """``n`` split over classes in proportion to ``prior``, in whole rows (largest remainder).

    Examples
    --------
    >>> import numpy as np
    >>> prior_quotas(10, np.array([0.75, 0.25])).tolist()
    [8, 2]
    """
    exact = n * np.asarray(prior, dtype=float)
    quotas = np.floor(exact).astype(np.int64)
    left = n - quotas.sum()
    if left > 0:
        quotas[np.argsort(-(exact - quotas), kind="stable")[:left]] += 1
    return quotas


class ClassBalancedSelfTraining(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Self-training whose pseudo-labels follow a class prior, so the majority cannot take
    over the unlabelled rows.

    Unlabelled rows are marked ``-1`` in ``y``, as in scikit-learn's
    ``SelfTrainingClassifier`` (with string labels, use an object array holding the int -1).
    Each round fits the estimator on the labelled and pseudo-labelled rows; of the unlabelled
    rows whose top probability reaches ``threshold``, class c receives ``round(n * prior_c)``
    of those predicted as c, most confident first, where ``n`` is the largest number (at most
    all confident rows) that every class can fill. A class with no confident row stops the
    rounds (``termination_condition_ = "no_change"``): lower ``threshold`` to go on.

    Parameters
    ----------
    estimator : classifier with predict_proba
        The base classifier (cloned).
    threshold : float in [0, 1), default=0.9
        Smallest top probability of a row that may be pseudo-labelled.
    max_iter : int >= 0 or None, default=10
        Rounds of pseudo-labelling; None: until no row is added.
    prior : {"labelled", "uniform"}, array-like or dict, default="labelled"
        Class shares of the pseudo-labels: those of the labelled rows, equal shares, or given
        per class (in the order of ``classes_``, or as a dict class -> weight).

    Attributes
    ----------
    estimator_ : classifier
        The estimator fitted on the labelled and all pseudo-labelled rows.
    classes_ : ndarray
        The classes of the labelled rows.
    prior_ : ndarray
        The class shares used for the quotas.
    transduction_ : ndarray
        The labels used for the final fit (-1 for rows never pseudo-labelled).
    labeled_iter_ : ndarray of int
        Round in which each row got its label (0 for labelled rows, -1 for never).
    pseudo_counts_ : ndarray of int
        Pseudo-labels added per class, in the order of ``classes_``.
    n_iter_ : int
        Rounds of pseudo-labelling run.
    termination_condition_ : {"max_iter", "no_change", "all_labeled"}
        Why the rounds stopped.

    See Also
    --------
    sklearn.semi_supervised.SelfTrainingClassifier : one threshold for every class.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import ClassBalancedSelfTraining
    >>> X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    >>> y_partial = y.copy()
    >>> y_partial[np.random.default_rng(0).random(300) < 0.8] = -1
    >>> model = ClassBalancedSelfTraining(LogisticRegression()).fit(X, y_partial)
    >>> model.termination_condition_ in {"max_iter", "no_change", "all_labeled"}
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "threshold": [Interval(Real, 0.0, 1.0, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left"), None],
        "prior": [StrOptions({"labelled", "uniform"}), list, tuple, np.ndarray, dict],
    }

    def __init__(self, estimator, threshold=0.9, max_iter=10, prior="labelled"):
        self.estimator = estimator
        self.threshold = threshold
        self.max_iter = max_iter
        self.prior = prior

    def _prior(self, labels: np.ndarray) -> np.ndarray:
        if isinstance(self.prior, str):
            if self.prior == "uniform":
                return np.full(len(self.classes_), 1.0 / len(self.classes_))
            counts = np.array([np.sum(labels == c) for c in self.classes_], dtype=float)
            return counts / counts.sum()
        return as_prior(self.prior, self.classes_, "prior")

    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y: ArrayLike, **fit_params):
        """Fit on labelled rows, then pseudo-label unlabelled ones (``y == -1``) by quota.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Labels, ``-1`` for unlabelled rows.
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self
        """
        check_single_output(y, type(self).__name__)
        X, y = validate_data(self, X, y, accept_sparse=_SPARSE, ensure_all_finite=False)
        if y.dtype.kind in "US":
            if np.any(y == "-1"):
                raise ValueError(
                    "y holds the string '-1'; unlabelled rows are marked by the int -1. Use "
                    "an object array: y = y.astype(object); y[unlabelled] = -1."
                )
            y = y.astype(object)
        has_label = np.asarray(y != -1, dtype=bool)
        if not has_label.any():
            raise ValueError(
                "y has no labelled row (every row is -1); label some rows of each class."
            )
        check_classification_targets(y[has_label])
        labels = y[has_label]
        self.classes_ = np.unique(labels)
        self.prior_ = self._prior(labels)
        transduction = y.copy()
        self.labeled_iter_ = np.where(has_label, 0, -1)
        self.pseudo_counts_ = np.zeros(len(self.classes_), dtype=np.int64)
        self.n_iter_ = 0
        self.termination_condition_ = "max_iter"
        while self.max_iter is None or self.n_iter_ < self.max_iter:
            remaining = np.flatnonzero(self.labeled_iter_ == -1)
            if len(remaining) == 0:
                self.termination_condition_ = "all_labeled"
                break
            known = np.flatnonzero(self.labeled_iter_ >= 0)
            model = clone(self.estimator).fit(
                X[known], transduction[known].astype(labels.dtype), **fit_params
            )
            self.n_iter_ += 1
            added = self._pseudo_label(model, X[remaining], remaining, transduction)
            if added == 0:
                self.termination_condition_ = "no_change"
                break
        else:
            if np.all(self.labeled_iter_ >= 0):
                self.termination_condition_ = "all_labeled"
        known = np.flatnonzero(self.labeled_iter_ >= 0)
        self.transduction_ = transduction
        self.estimator_ = clone(self.estimator).fit(
            X[known], transduction[known].astype(labels.dtype), **fit_params
        )
        return self

    def _pseudo_label(self, model, X_rest, remaining, transduction) -> int:
        """Give pseudo-labels to this round's quota of each class; return how many."""
        proba = model.predict_proba(X_rest)
        confidence = proba.max(axis=1)
        predicted = np.asarray(model.classes_)[proba.argmax(axis=1)]
        confident = confidence >= self.threshold
        candidates = [np.flatnonzero(confident & (predicted == c)) for c in self.classes_]
        # As many rows as the threshold lets through, but no more than keeps every class at
        # its prior share: the class with the fewest confident rows (for its share) limits all.
        available = np.array([len(rows) for rows in candidates], dtype=float)
        shared = self.prior_ > 0
        n = min(int(confident.sum()), int(np.min(available[shared] / self.prior_[shared])))
        quotas = prior_quotas(n, self.prior_)
        added = 0
        for j, label in enumerate(self.classes_):
            order = np.argsort(-confidence[candidates[j]], kind="stable")
            rows = remaining[candidates[j][order[: quotas[j]]]]
            transduction[rows] = label
            self.labeled_iter_[rows] = self.n_iter_
            self.pseudo_counts_[j] += len(rows)
            added += len(rows)
        return added

    def _validated(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, accept_sparse=_SPARSE, ensure_all_finite=False)

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """Predicted class of each row."""
        X = self._validated(X)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities of each row, columns in the order of ``classes_``."""
        X = self._validated(X)
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """The estimator's decision function of each row."""
        X = self._validated(X)
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = get_tags(self.estimator).input_tags.sparse
        tags.input_tags.allow_nan = get_tags(self.estimator).input_tags.allow_nan
        return tags
