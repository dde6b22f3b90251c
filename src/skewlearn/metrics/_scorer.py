"""A registered metric bound to an estimator: the ``scoring=`` object of scikit-learn's searches."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ._labels import positive_class

if TYPE_CHECKING:
    from ._registry import Metric


def _scores_of(estimator: Any, X: Any, metric: Metric) -> tuple[np.ndarray, str]:
    """The estimator's scores for a metric that ranks or needs probabilities, and their source."""
    methods = (
        ("predict_proba",) if metric.needs == "proba" else ("predict_proba", "decision_function")
    )
    for method in methods:
        # hasattr respects available_if, e.g. SVC(probability=False) has no predict_proba.
        if hasattr(estimator, method):
            return np.asarray(getattr(estimator, method)(X)), method
    raise ValueError(
        f"Metric {metric.name!r} needs {' or '.join(methods)}, which "
        f"{type(estimator).__name__} does not provide. Use a classifier that does, or wrap it "
        "in sklearn.calibration.CalibratedClassifierCV."
    )


class MetricScorer:
    """Scores a fitted classifier with a registered metric; higher is always better.

    Usable wherever scikit-learn takes ``scoring=`` (``cross_val_score``, ``GridSearchCV``,
    ``check_scoring``). Losses are returned negated (``sign == -1``), as scikit-learn's
    ``neg_*`` scorers do; :attr:`greater_is_better` tells which. Build one with
    :func:`get_scorer` or :func:`cost_scorer`.

    The metric is given ``labels=estimator.classes_`` (so a class missing from a fold is still
    a class), and for a binary target the positive class of :func:`positive_class`, resolved
    from the ``y`` being scored; score metrics read the same class's probability column (or
    signed ``decision_function``), so label and score metrics agree on it.

    Parameters
    ----------
    metric : Metric
        The registry entry.
    pos_label : label, default=None
        Forces the positive class of binary targets.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.metrics import get_scorer
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> scorer = get_scorer("log_loss")
    >>> scorer.greater_is_better, scorer.sign
    (False, -1)
    >>> scorer(LogisticRegression().fit(X, y), X, y) < 0
    True
    """

    def __init__(self, metric: Metric, pos_label: Any = None) -> None:
        self.metric = metric
        self.pos_label = pos_label

    @property
    def greater_is_better(self) -> bool:
        return self.metric.greater_is_better

    @property
    def sign(self) -> int:
        return 1 if self.metric.greater_is_better else -1

    def __repr__(self) -> str:
        pos = "" if self.pos_label is None else f", pos_label={self.pos_label!r}"
        return f"MetricScorer({self.metric.name!r}{pos})"

    def __call__(
        self, estimator: Any, X: Any, y_true: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> float:
        metric = self.metric
        y_true = np.asarray(y_true)
        kwargs = dict(metric.params)
        classes = getattr(estimator, "classes_", None)
        if classes is not None:
            kwargs.setdefault("labels", classes)
        labels = kwargs.get("labels")
        n_classes = len(np.unique(y_true) if labels is None else labels)
        if n_classes > 2 and not metric.multiclass:
            raise ValueError(
                f"Metric {metric.name!r} is for binary targets; this one has {n_classes} "
                "classes. See list_metrics() for the multiclass ones."
            )
        positive = None
        if n_classes == 2 and metric.takes_pos_label:
            positive = positive_class(y_true, labels=labels, pos_label=self.pos_label)
            kwargs["pos_label"] = positive
        if metric.needs == "labels":
            y_out = estimator.predict(X)
        else:
            if classes is None:
                raise ValueError(
                    f"Metric {metric.name!r} needs estimator.classes_ to know which score "
                    f"column is which class; {type(estimator).__name__} has none."
                )
            y_out, method = _scores_of(estimator, X, metric)
            if positive is not None:
                column = int(np.flatnonzero(np.asarray(classes) == positive)[0])
                if y_out.ndim == 2:
                    y_out = y_out[:, column]
                elif method == "decision_function" and column == 0:
                    # A binary decision_function scores classes_[1]; flip it for classes_[0].
                    y_out = -y_out
        return self.sign * metric.func(y_true, y_out, sample_weight=sample_weight, **kwargs)
