"""``DecisionTunedClassifier``: learn the decision rule that maximises a metric out of fold."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from skewlearn.metrics._score_weight import (
    check_score_class_weight,
    corrected_minority,
    score_weights,
)

from .._sklearn_compat import check_weights
from ._objective import COST, positive_index, resolve_objective
from ._offsets import search_offsets
from ._oof import fold_predictions, log_proba, response_method, scores_of
from ._threshold import positive_scores, search_threshold
from ._wrapper import DecisionWrapper


def bayes_threshold(cost_matrix: np.ndarray, pos: int) -> float:
    """Cost-optimal threshold on a calibrated probability of the positive class.

    Predicting positive costs less in expectation exactly when
    ``p >= c_FP / (c_FP + c_FN)``, where ``c_FP`` and ``c_FN`` are the extra costs of a false
    positive and a false negative over the correct decision.

    Parameters
    ----------
    cost_matrix : array-like of shape (2, 2)
        ``cost_matrix[i, j]`` is the cost of predicting class ``j`` for a sample of class ``i``.
    pos : {0, 1}
        Row and column of the positive class.

    Returns
    -------
    threshold : float
        Predict positive when the positive-class probability is at least this.

    Examples
    --------
    >>> bayes_threshold([[0, 1], [4, 0]], pos=1)
    0.2
    """
    cost = np.asarray(cost_matrix, dtype=float)
    neg = 1 - pos
    c_fp = cost[neg, pos] - cost[neg, neg]
    c_fn = cost[pos, neg] - cost[pos, pos]
    if c_fp + c_fn <= 0:
        raise ValueError(
            "the cost matrix must make mistakes costlier than correct decisions "
            f"(c_FP + c_FN > 0); got c_FP={c_fp}, c_FN={c_fn}."
        )
    return float(c_fp / (c_fp + c_fn))


class DecisionTunedClassifier(DecisionWrapper):
    """Learn the decision rule that maximises a metric on out-of-fold predictions.

    Binary targets get one threshold on the positive-class score; multiclass targets get
    per-class offsets ``b`` and predict ``argmax(log p + b)``. Candidate rules are read from
    the held-out scores themselves (every distinct score is a candidate cut), fold curves are
    averaged exactly, and a flat optimum resolves to the middle of its interval. A fold whose
    model predicts a constant score cannot be tuned: it keeps the default rule and is flagged in
    ``cv_results_["fold_fallback"]``.

    Parameters
    ----------
    estimator : classifier
        Any classifier with ``predict_proba`` (binary: or ``decision_function``), including an
        ``imblearn.pipeline.Pipeline`` with a sampler.
    scoring : str or array-like of shape (n_classes, n_classes), default="f1"
        The objective: a label metric of :func:`skewlearn.metrics.get_scorer` (``"f1"``,
        ``"fbeta:beta=2"`` or ``"f2"``, ``"mcc"``, ``"balanced_accuracy"``, ``"gmean"``; binary
        F-scores are of the positive class, multiclass ones macro averages), a binary cost
        ``"cost:FN=5,FP=1"``, or a cost matrix whose entry ``[i, j]`` is the cost of predicting
        class ``j`` (order of ``classes_``) for a sample of class ``i``; costs are minimised.
    cv : int, cross-validation splitter, iterable or "prefit", default=5
        Splits that give the out-of-fold scores. With ``"prefit"`` the ``estimator`` must be
        fitted already and ``fit(X, y)`` must receive data it was *not* fitted on.
    calibrated : bool, default=False
        Only with a cost matrix: trust the probabilities and use the Bayes-optimal rule
        (binary: threshold ``c_FP / (c_FP + c_FN)``; multiclass: ``argmin_j sum_i p_i C[i, j]``)
        instead of searching. No cross-validation is run.
    pos_label : int, str or None, default=None
        Positive class of a binary target; ``None`` means the minority class (ties: the
        larger label), the rule of :func:`skewlearn.metrics.positive_class`.
    max_rounds : int, default=20
        Most rounds of the multiclass coordinate search (each round visits every class).
    n_jobs : int or None, default=None
        Folds fitted in parallel (joblib).
    score_class_weight : dict or None, default=None
        {class label: weight > 0} multiplying each held-out row's weight in the objective
        (a class left out gets 1); fits never see it. For tuning on a class-stratified
        sample at the class prior of the data it was drawn from: a class kept at rate ``r``
        gets ``1 / r``.

    Attributes
    ----------
    estimator_ : classifier
        The estimator refitted on all of ``X`` (or ``estimator`` itself with ``cv="prefit"``).
    classes_ : ndarray of shape (n_classes,)
    positive_class_ : label or None
        The class the threshold is on (binary targets: ``pos_label``, or the minority class);
        ``None`` for a multiclass target.
    rule_ : {"threshold", "offsets", "bayes_cost"}
        What kind of rule ``decision_rule_`` holds.
    decision_rule_ : float or ndarray
        The threshold on the positive-class score, the offsets ``b`` of shape
        ``(n_classes,)``, or (``calibrated=True``, multiclass) the cost matrix.
    best_score_ : float
        The objective of the learned rule, averaged over folds (``nan`` when
        ``calibrated=True``).
    cv_results_ : dict
        ``"metric"``, ``"best_score"``, ``"default_score"`` (the default rule's score on the
        same folds), ``"fold_fallback"``, ``"fold_scores"`` (each fold's own optimum) and, for a
        threshold, ``"thresholds"`` / ``"scores"`` (the metric-vs-threshold curve),
        ``"fold_thresholds"``, ``"threshold_std"``; for offsets, ``"fold_offsets"``,
        ``"offsets_std"`` and ``"history"`` (score after each accepted coordinate move).

    See Also
    --------
    sklearn.model_selection.TunedThresholdClassifierCV : binary threshold tuning on a grid.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> model = DecisionTunedClassifier(LogisticRegression(), scoring="f1").fit(X, y)
    >>> model.rule_, 0.0 < model.decision_rule_ < 1.0
    ('threshold', True)
    >>> model.predict(X[:3]).shape
    (3,)
    >>> print(model.positive_class_)
    1
    """

    def __init__(
        self,
        estimator,
        *,
        scoring="f1",
        cv=5,
        calibrated: bool = False,
        pos_label=None,
        max_rounds: int = 20,
        n_jobs=None,
        score_class_weight=None,
    ):
        self.estimator = estimator
        self.scoring = scoring
        self.cv = cv
        self.calibrated = calibrated
        self.pos_label = pos_label
        self.max_rounds = max_rounds
        self.n_jobs = n_jobs
        self.score_class_weight = score_class_weight

    def fit(self, X, y, sample_weight=None):
        """Find the decision rule out of fold, then refit the estimator on all of ``X``.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows: every fit (each fold's and the refit) gets them, and the
            objective counts each held-out row with its weight. The estimator's ``fit`` must
            take ``sample_weight``.

        Returns
        -------
        self : DecisionTunedClassifier
        """
        X, y, classes, y_index = self._check_Xy(X, y)
        weight = None if sample_weight is None else check_weights(sample_weight, len(y))
        fit_params = {} if weight is None else {"sample_weight": weight}
        class_weight = check_score_class_weight(self.score_class_weight, classes)
        score_weight = score_weights(y, weight, class_weight)
        n_classes = len(classes)
        binary = n_classes == 2
        pos_label = self.pos_label
        if binary and pos_label is None and class_weight is not None:
            pos_label = corrected_minority(y, classes, class_weight)
        self._pos = positive_index(y, classes, pos_label) if binary else None
        self.positive_class_ = classes[self._pos] if binary else None
        objective = resolve_objective(self.scoring, n_classes, self._pos)
        if not (isinstance(self.max_rounds, int) and self.max_rounds >= 1):
            raise ValueError(f"max_rounds must be a positive int, got {self.max_rounds!r}.")
        self._method = response_method(self.estimator, binary)
        prefit = isinstance(self.cv, str) and self.cv == "prefit"

        if self.calibrated:
            self._fit_bayes(X, y, objective, binary, prefit, fit_params)
            return self

        folds = fold_predictions(
            self.estimator, X, y, y_index, classes, self.cv, self._method, self.n_jobs, weight,
            score_weight,
        )  # fmt: skip
        self.estimator_ = (
            self.estimator if prefit else clone(self.estimator).fit(X, y, **fit_params)
        )
        results = {"metric": objective.name}
        if binary:
            default = 0.5 if self._method == "predict_proba" else 0.0
            found = search_threshold(folds, self._pos, objective, default)
            self.rule_, self.decision_rule_ = "threshold", found.threshold
            live = ~found.fold_fallback
            results.update(
                thresholds=found.curve_thresholds,
                scores=found.curve_scores,
                fold_thresholds=found.fold_thresholds,
                threshold_std=float(np.std(found.fold_thresholds[live])) if live.any() else 0.0,
                default_threshold=default,
            )
        else:
            found = search_offsets(folds, objective, n_classes, self.max_rounds)
            self.rule_, self.decision_rule_ = "offsets", found.offsets
            live = ~found.fold_fallback
            results.update(
                fold_offsets=found.fold_offsets,
                offsets_std=found.fold_offsets[live].std(axis=0)
                if live.any()
                else np.zeros(n_classes),
                history=found.history,
            )
        self.best_score_ = found.score
        results.update(
            best_score=found.score,
            default_score=found.default_score,
            fold_scores=found.fold_scores,
            fold_fallback=found.fold_fallback,
        )
        self.cv_results_ = results
        return self

    def _fit_bayes(self, X, y, objective, binary: bool, prefit: bool, fit_params: dict) -> None:
        if objective.name != COST:
            raise ValueError(
                "calibrated=True gives the Bayes-optimal rule of a cost matrix; pass a cost "
                f"matrix as scoring (got scoring={self.scoring!r}) or set calibrated=False."
            )
        if self._method != "predict_proba":
            raise TypeError("calibrated=True needs an estimator with predict_proba.")
        self.estimator_ = (
            self.estimator if prefit else clone(self.estimator).fit(X, y, **fit_params)
        )
        if binary:
            self.rule_ = "threshold"
            self.decision_rule_ = bayes_threshold(objective.cost_matrix, self._pos)
        else:
            self.rule_, self.decision_rule_ = "bayes_cost", objective.cost_matrix
        self.best_score_ = float("nan")
        self.cv_results_ = {"metric": objective.name, "rule": "bayes", "best_score": np.nan}

    def describe_rule(self) -> str:
        """How the fitted model turns scores into labels, in words (for reports and model files).

        Returns
        -------
        str

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
        >>> model = DecisionTunedClassifier(LogisticRegression(), scoring="cost:FN=4,FP=1",
        ...                                 calibrated=True).fit(X, y)
        >>> model.describe_rule()
        'predict the positive class when P(1) >= 0.2'
        """
        check_is_fitted(self)
        if self.rule_ == "threshold":
            return (
                f"predict the positive class when P({self.positive_class_}) >= "
                f"{float(self.decision_rule_):.4g}"
            )
        if self.rule_ == "offsets":
            offsets = ", ".join(
                f"{c}: {b:+.3f}" for c, b in zip(self.classes_, np.ravel(self.decision_rule_))
            )
            return f"argmax of log-probability plus per-class offsets ({offsets})"
        return "the class of least expected cost under the cost matrix"

    def _scores(self, X) -> np.ndarray:
        return scores_of(self.estimator_, X, self._method, self.classes_)

    def decision_function(self, X):
        """Scores whose sign (binary) or argmax (multiclass) is the tuned decision.

        Binary: positive-class score minus the threshold, signed so that ``> 0`` means
        ``classes_[1]``. Multiclass: ``log p + b`` (offsets) or minus the expected cost of each
        class (cost rule).

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        check_is_fitted(self)
        scores = self._scores(X)
        if self.rule_ == "threshold":
            margin = positive_scores(scores, self._pos) - self.decision_rule_
            return margin if self._pos == 1 else -margin
        if self.rule_ == "offsets":
            return log_proba(scores) + self.decision_rule_
        return -(scores @ self.decision_rule_)

    def predict(self, X):
        """Classes chosen by the tuned decision rule.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        decision = self.decision_function(X)
        if decision.ndim == 1:
            # s >= t is positive; the decision is 0 exactly at the threshold.
            at_or_above = decision >= 0 if self._pos == 1 else decision <= 0
            return np.where(at_or_above, self.classes_[self._pos], self.classes_[1 - self._pos])
        return self.classes_[np.argmax(decision, axis=1)]
