"""Out-of-fold predictions: each fold's scores come from a model that never saw that fold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import check_cv
from sklearn.utils.validation import check_is_fitted

# Probabilities are clipped before taking logs so that a hard 0 stays a finite, very low score.
PROBA_FLOOR = 1e-15


@dataclass(frozen=True)
class Fold:
    """Held-out rows of one split and the scores a model fitted on the other rows gave them.

    ``scores`` is ``(n_val, n_classes)`` for ``predict_proba`` (columns in the global class
    order) and ``(n_val,)`` for a binary ``decision_function``; ``weight`` holds the held-out
    rows' sample weights (None: each row counts once).
    """

    index: np.ndarray
    y: np.ndarray
    scores: np.ndarray
    weight: np.ndarray | None = None

    @property
    def constant(self) -> bool:
        """True when the model gave every held-out row the same score (nothing to tune)."""
        return bool(np.all(np.ptp(self.scores, axis=0) == 0))


def take(X, index: np.ndarray):
    """Rows of an array, sparse matrix or DataFrame."""
    return X.iloc[index] if hasattr(X, "iloc") else X[index]


def response_method(estimator, binary: bool) -> str:
    """``predict_proba`` when the estimator has it; a binary task may use ``decision_function``."""
    if hasattr(estimator, "predict_proba"):
        return "predict_proba"
    if binary and hasattr(estimator, "decision_function"):
        return "decision_function"
    needs = "predict_proba or decision_function" if binary else "predict_proba"
    raise TypeError(f"{type(estimator).__name__} has no {needs}; tuning a decision rule needs it.")


def scores_of(estimator, X, method: str, classes: np.ndarray) -> np.ndarray:
    """The estimator's scores, probabilities aligned to ``classes`` (absent classes get 0)."""
    raw = getattr(estimator, method)(X)
    if method != "predict_proba":
        return np.asarray(raw, dtype=float)
    proba = np.zeros((raw.shape[0], len(classes)))
    proba[:, np.searchsorted(classes, estimator.classes_)] = raw
    return proba


def _fit_and_score(
    estimator, X, y, train, val, method, classes, y_index, weight, score_weight
) -> Fold:
    if weight is None:
        estimator.fit(take(X, train), take(y, train))
    else:
        estimator.fit(take(X, train), take(y, train), sample_weight=weight[train])
    scores = scores_of(estimator, take(X, val), method, classes)
    return Fold(val, y_index[val], scores, None if score_weight is None else score_weight[val])


def fold_predictions(
    estimator,
    X,
    y,
    y_index: np.ndarray,
    classes: np.ndarray,
    cv,
    method: str,
    n_jobs=None,
    sample_weight: np.ndarray | None = None,
    score_weight: np.ndarray | None = None,
) -> list[Fold]:
    """Out-of-fold scores for ``cv`` (an int, a splitter, an iterable of splits or "prefit").

    With ``cv="prefit"`` the already fitted ``estimator`` scores all of ``X``, which must then
    be data it was not fitted on. With ``sample_weight`` each fold's model is fitted on its
    rows' weights; each fold keeps its held-out rows' ``score_weight`` (their weights in the
    objective; None: each row counts once).
    """
    if isinstance(cv, str) and cv == "prefit":
        check_is_fitted(estimator)
        scores = scores_of(estimator, X, method, classes)
        return [Fold(np.arange(len(y_index)), y_index, scores, score_weight)]
    splitter = check_cv(cv, y, classifier=True)
    return Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_score)(
            clone(estimator),
            X,
            y,
            train,
            val,
            method,
            classes,
            y_index,
            sample_weight,
            score_weight,
        )  # fmt: skip
        for train, val in splitter.split(X, y)
    )


def log_proba(proba: np.ndarray) -> np.ndarray:
    return np.log(np.clip(proba, PROBA_FLOOR, None))
