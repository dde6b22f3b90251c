"""``LogitAdjustedClassifier``: post-hoc logit adjustment ``argmax(log p - tau · log π)``."""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._objective import positive_index, resolve_objective
from ._oof import fold_predictions, log_proba, scores_of
from ._prior import fit_with_training_prior
from ._steps import TIE_TOL
from ._sweep import counts_of
from ._wrapper import DecisionWrapper


def _middle_of_best(gains: np.ndarray) -> int:
    """Index in the middle of the longest run of maximal values on a grid."""
    optimal = np.r_[False, gains >= gains.max() - TIE_TOL, False]
    change = np.flatnonzero(np.diff(optimal.astype(np.int8)))
    starts, stops = change[::2], change[1::2]
    run = int(np.argmax(stops - starts))
    return int((starts[run] + stops[run] - 1) // 2)


class LogitAdjustedClassifier(DecisionWrapper):
    """Predict ``argmax(log p - tau · log π)`` with ``π`` the prior the model was trained on.

    ``tau = 1`` divides the probabilities by the training prior (Buda et al., 2018), which
    targets balanced accuracy; ``tau = 0`` is the plain argmax. With ``tau="cv"`` the value is
    chosen from ``tau_grid`` by out-of-fold ``scoring``. ``π`` is read from what reached the
    final step of a pipeline with a sampler, as in :class:`PriorCorrectedClassifier`.

    Parameters
    ----------
    estimator : classifier with predict_proba
    tau : float or "cv", default=1.0
    tau_grid : array-like, default=None
        Candidates for ``tau="cv"``; ``None`` means ``0, 0.1, ..., 2``.
    scoring : str or array-like, default="balanced_accuracy"
        Objective for ``tau="cv"`` (a label metric name or a cost matrix, as in
        :class:`DecisionTunedClassifier`).
    cv : int, cross-validation splitter or iterable, default=5
    n_jobs : int or None, default=None

    Attributes
    ----------
    estimator_ : classifier
    classes_ : ndarray of shape (n_classes,)
    prior_ : ndarray of shape (n_classes,)
        Training prior of the final estimator.
    tau_ : float
    cv_results_ : dict
        With ``tau="cv"``: ``"tau"``, ``"scores"`` (out-of-fold mean per candidate),
        ``"best_score"``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> model = LogitAdjustedClassifier(LogisticRegression(), tau="cv").fit(X, y)
    >>> 0.0 <= model.tau_ <= 2.0
    True
    """

    def __init__(
        self,
        estimator,
        *,
        tau=1.0,
        tau_grid=None,
        scoring="balanced_accuracy",
        cv=5,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.tau = tau
        self.tau_grid = tau_grid
        self.scoring = scoring
        self.cv = cv
        self.n_jobs = n_jobs

    def fit(self, X, y):
        """Fit the estimator, read its training prior and fix ``tau_``.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : LogitAdjustedClassifier
        """
        X, y, classes, y_index = self._check_Xy(X, y)
        if not (isinstance(self.tau, str) and self.tau == "cv"):
            if not isinstance(self.tau, (int, float)) or isinstance(self.tau, bool):
                raise ValueError(f"tau must be a number or 'cv', got {self.tau!r}.")
        self.estimator_, self.prior_ = fit_with_training_prior(self.estimator, X, y, classes)
        if isinstance(self.tau, str):
            self._tune_tau(X, y, y_index, classes)
        else:
            self.tau_ = float(self.tau)
        return self

    def _tune_tau(self, X, y, y_index, classes) -> None:
        pos = positive_index(y, classes) if len(classes) == 2 else None
        objective = resolve_objective(self.scoring, len(classes), pos)
        grid = np.linspace(0.0, 2.0, 21) if self.tau_grid is None else np.asarray(self.tau_grid)
        folds = fold_predictions(
            self.estimator, X, y, y_index, classes, self.cv, "predict_proba", self.n_jobs
        )
        log_prior = np.log(self.prior_)
        gains = np.array(
            [
                np.mean(
                    [
                        objective.gain(
                            counts_of(
                                f.y,
                                np.argmax(log_proba(f.scores) - tau * log_prior, axis=1),
                                len(classes),
                                objective.cost_matrix,
                            ),
                            pos,
                        )
                        for f in folds
                    ]
                )
                for tau in grid
            ]
        )
        best = _middle_of_best(gains)
        self.tau_ = float(grid[best])
        sign = 1.0 if objective.greater_is_better else -1.0
        self.cv_results_ = {"tau": grid, "scores": sign * gains, "best_score": sign * gains[best]}

    def decision_function(self, X):
        """Adjusted log-probabilities (binary: their difference, ``> 0`` for ``classes_[1]``).

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        check_is_fitted(self)
        proba = scores_of(self.estimator_, X, "predict_proba", self.classes_)
        adjusted = log_proba(proba) - self.tau_ * np.log(self.prior_)
        return adjusted[:, 1] - adjusted[:, 0] if len(self.classes_) == 2 else adjusted

    def predict(self, X):
        """Class with the largest adjusted log-probability.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        decision = self.decision_function(X)
        if decision.ndim == 1:
            return self.classes_[(decision > 0).astype(int)]
        return self.classes_[np.argmax(decision, axis=1)]
