"""The metric the selector optimises, bound to the classes of one task."""

from __future__ import annotations

import numpy as np

from skewlearn.metrics import get_scorer, positive_class
from skewlearn.metrics._score_weight import corrected_minority


class Objective:
    """A registry metric with the task's classes and positive class fixed once, from all of y.

    Every fold is scored with the same positive class (the minority class of the whole target,
    unless the metric has no positive class), so fold scores are comparable. With
    ``score_class_weight`` ({class: factor} correcting the scores of a class-stratified
    sample) the minority is that of the corrected class counts.

    Examples
    --------
    >>> import numpy as np
    >>> objective = Objective("f1", np.array(["no", "yes"]), ["no"] * 8 + ["yes"] * 2)
    >>> objective.positive
    'yes'
    >>> objective.score(np.array(["no", "yes"]), np.array(["no", "yes"]), None)
    1.0
    """

    def __init__(self, metric: str, classes: np.ndarray, y, score_class_weight: dict | None = None):
        self.name = metric
        self.metric = get_scorer(metric).metric
        self.classes = np.asarray(classes)
        if len(self.classes) > 2 and not self.metric.multiclass:
            raise ValueError(
                f"metric {metric!r} is defined for binary targets only and this target has "
                f"{len(self.classes)} classes; use f1 (macro), mcc, balanced_accuracy or gmean"
            )
        self.positive = None
        if len(self.classes) == 2:
            corrected = None
            if score_class_weight is not None:
                corrected = corrected_minority(y, self.classes, score_class_weight)
            self.positive = positive_class(y, labels=self.classes, pos_label=corrected)

    @property
    def greater_is_better(self) -> bool:
        return self.metric.greater_is_better

    @property
    def decision_metric(self) -> str:
        """The metric a tuned decision rule should optimise (a label metric)."""
        return self.name if self.metric.needs == "labels" else "f1"

    @property
    def bounds(self) -> tuple[float, float]:
        """The lowest and highest value the metric can take."""
        return self.metric.bounds

    def clip(self, value):
        """``value`` (a score, or an interval end) clipped to the metric's range."""
        return np.clip(value, *self.metric.bounds)

    def utility(self, value):
        """The score oriented so that higher is always better."""
        return value if self.greater_is_better else -value

    def _kwargs(self) -> dict:
        kwargs = dict(self.metric.params, labels=self.classes)
        if self.positive is not None and self.metric.takes_pos_label:
            kwargs["pos_label"] = self.positive
        return kwargs

    def score(
        self,
        y_true: np.ndarray,
        y_pred: np.ndarray,
        y_proba: np.ndarray | None,
        sample_weight: np.ndarray | None = None,
    ) -> float:
        """The metric on one test fold, from predicted labels or class probabilities."""
        kwargs = dict(self._kwargs(), sample_weight=sample_weight)
        if self.metric.needs == "labels":
            return float(self.metric.func(y_true, y_pred, **kwargs))
        if y_proba is None:
            raise ValueError(f"metric {self.name!r} needs predict_proba, which is missing")
        scores = y_proba
        if self.positive is not None:
            scores = y_proba[:, int(np.flatnonzero(self.classes == self.positive)[0])]
        return float(self.metric.func(y_true, scores, **kwargs))

    def label_score(
        self, y_true: np.ndarray, y_pred: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> float:
        """The decision metric on predicted labels (for metric-vs-threshold curves).

        With ``sample_weight`` a whole confusion matrix can be scored from one row per cell.
        """
        metric = get_scorer(self.decision_metric).metric
        kwargs = dict(metric.params, labels=self.classes, sample_weight=sample_weight)
        if self.positive is not None and metric.takes_pos_label:
            kwargs["pos_label"] = self.positive
        return float(metric.func(y_true, y_pred, **kwargs))


def objectives_for(metrics, classes: np.ndarray, y) -> tuple[Objective, ...]:
    """The metrics that apply to a target, each bound to its classes and positive class.

    Binary-only metrics are left out on a multiclass target (they are recorded as missing).

    Examples
    --------
    >>> [o.name for o in objectives_for(["cost:FN=5,FP=1", "mcc"], [0, 1, 2], [0, 1, 2])]
    ['mcc']
    """
    found = []
    for metric in metrics:
        try:
            found.append(Objective(metric, classes, y))
        except ValueError:
            if len(classes) <= 2:
                raise
    return tuple(found)
