"""``CalibratedClassifier``: scikit-learn's ``CalibratedClassifierCV`` plus honest evidence.

Calibration helps some models and hurts others, so each outer fold fits the model with and
without calibration on the training rows and scores both on the held-out rows (Brier score and
log-loss), before the calibrated model is refitted on all rows.
"""

from __future__ import annotations

import numbers
import re

import numpy as np
import sklearn
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import log_loss
from sklearn.model_selection import check_cv
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import HasMethods, Interval, StrOptions, check_single_output, fit_context
from ._oof import PROBA_FLOOR, scores_of, take
from ._wrapper import DecisionWrapper


def brier(y_index: np.ndarray, proba: np.ndarray) -> float:
    """Brier score: positive-class form for two classes, sum over classes otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> round(brier(np.array([0, 1]), np.array([[0.8, 0.2], [0.4, 0.6]])), 6)
    0.1
    """
    if proba.shape[1] == 2:
        return float(np.mean((proba[:, 1] - y_index) ** 2))
    onehot = np.eye(proba.shape[1])[y_index]
    return float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))


def _sklearn_minor() -> tuple[int, int]:
    major, minor = re.match(r"(\d+)\.(\d+)", sklearn.__version__).groups()
    return int(major), int(minor)


def fold_count(cv, y_index: np.ndarray, estimator: str):
    """``cv`` as the calibration folds for rows of class indices ``y_index``: an int is
    lowered to the smallest class's row count (stratified folds need a row of each class in
    each fold), as long as two folds remain; a splitter is used as given.

    >>> fold_count(5, np.array([0, 0, 0, 1, 1, 1, 1]), "CalibratedClassifier")
    3
    """
    if not isinstance(cv, numbers.Integral):
        return cv
    counts = np.bincount(y_index)
    smallest = int(counts[counts > 0].min())
    if smallest < 2:
        raise ValueError(
            f"{estimator} cross-validates the calibration, which needs at least 2 rows of "
            f"each class in every training fold; a class has {smallest} there. Give each "
            "class at least 3 rows, or pass cv as a splitter of your own."
        )
    return min(int(cv), smallest)


def _before_after(estimator, calibrated, X, y, y_index, classes, train, val) -> list[float]:
    out = []
    calibrated = clone(calibrated).set_params(
        cv=fold_count(calibrated.cv, y_index[train], "CalibratedClassifier")
    )
    for model in (clone(estimator), clone(calibrated)):
        model.fit(take(X, train), take(y, train))
        proba = scores_of(model, take(X, val), "predict_proba", classes)
        proba = np.clip(proba, PROBA_FLOOR, 1.0)
        proba /= proba.sum(axis=1, keepdims=True)
        out += [
            brier(y_index[val], proba),
            log_loss(y_index[val], proba, labels=np.arange(len(classes))),
        ]
    return out


class CalibratedClassifier(DecisionWrapper):
    """``CalibratedClassifierCV`` with Brier score and log-loss before/after, out of fold.

    Parameters
    ----------
    estimator : classifier
    method : {"sigmoid", "isotonic", "temperature"}, default="sigmoid"
        Passed to ``CalibratedClassifierCV``. "temperature" (scikit-learn 1.8 or newer)
        divides the log-probabilities by one learned factor, so each fold model keeps its
        order of classes; it is the usual choice with more than two classes.
    cv : int, cross-validation splitter or None, default=5
        Outer folds of the before/after comparison, and the calibration folds (None: 5;
        not an iterable of splits, whose indices cannot serve both). An int is
        lowered to the row count of the smallest class (of the training rows, for the
        calibration folds), so small classes are calibrated with fewer folds instead of
        failing; each class then needs at least 3 rows.
    n_jobs : int or None, default=None

    Attributes
    ----------
    estimator_ : CalibratedClassifierCV
        Fitted on all rows.
    classes_ : ndarray of shape (n_classes,)
    cv_results_ : dict
        Per outer fold: ``"brier_before"``, ``"brier_after"``, ``"log_loss_before"``,
        ``"log_loss_after"``; and their means under ``"mean_<name>"``.
    improves_ : bool
        Whether calibration lowered the mean out-of-fold log-loss.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.naive_bayes import GaussianNB
    >>> X, y = make_classification(n_samples=400, weights=[0.8], random_state=0)
    >>> model = CalibratedClassifier(GaussianNB(), cv=3).fit(X, y)
    >>> sorted(model.cv_results_)[:2]
    ['brier_after', 'brier_before']
    """

    _parameter_constraints: dict = {
        "estimator": [
            HasMethods(["fit", "predict_proba"]),
            HasMethods(["fit", "decision_function"]),
        ],
        "method": [StrOptions({"sigmoid", "isotonic", "temperature"})],
        # scikit-learn's "cv_object" but for an iterable of splits: its indices would name
        # the rows of all of X in the outer folds and of a training fold in the inner ones.
        "cv": [
            Interval(numbers.Integral, 2, None, closed="left"),
            HasMethods(["split", "get_n_splits"]),
            None,
        ],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, estimator, *, method="sigmoid", cv=5, n_jobs=None):
        self.estimator = estimator
        self.method = method
        self.cv = cv
        self.n_jobs = n_jobs

    # Not skipped for nested fits: the wrapped estimator still checks its own parameters.
    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Compare calibrated and uncalibrated out of fold, then fit the calibrated model.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : CalibratedClassifier
        """
        check_single_output(y, type(self).__name__)
        if self.method == "temperature" and _sklearn_minor() < (1, 8):
            raise ValueError(
                "method='temperature' needs scikit-learn 1.8 or newer; this is "
                f"{sklearn.__version__}. Use method='sigmoid', or upgrade scikit-learn."
            )
        X, y, classes, y_index = self._check_Xy(X, y)
        cv = 5 if self.cv is None else self.cv
        calibrated = CalibratedClassifierCV(self.estimator, method=self.method, cv=cv)
        folds = fold_count(cv, y_index, type(self).__name__)
        splitter = check_cv(folds, y, classifier=True)
        rows = Parallel(n_jobs=self.n_jobs)(
            delayed(_before_after)(self.estimator, calibrated, X, y, y_index, classes, tr, va)
            for tr, va in splitter.split(X, y)
        )
        names = ["brier_before", "log_loss_before", "brier_after", "log_loss_after"]
        table = np.array(rows)
        self.cv_results_ = {name: table[:, i] for i, name in enumerate(names)}
        self.cv_results_.update(
            {f"mean_{n}": float(table[:, i].mean()) for i, n in enumerate(names)}
        )
        self.improves_ = bool(
            self.cv_results_["mean_log_loss_after"] < self.cv_results_["mean_log_loss_before"]
        )
        self.estimator_ = clone(calibrated).set_params(cv=folds).fit(X, y)
        return self

    def predict_proba(self, X):
        """Calibrated class probabilities.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        """Most probable class under the calibrated probabilities.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
