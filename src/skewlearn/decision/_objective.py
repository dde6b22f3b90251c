"""The objective a decision rule is tuned for: a label metric by name, or a cost matrix.

Each objective is evaluated from :class:`~skewlearn.decision._sweep.Counts`, so one formula
serves a single prediction and a whole sweep of candidate rules at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import metrics
from ._sweep import Counts, fbeta, mcc, recall

COST = "expected_cost"


def _present(c: Counts) -> np.ndarray:
    # Macro averages run over the classes that occur in y_true or y_pred (scikit-learn's rule).
    return (c.true > 0) | (c.pred > 0)


def _macro(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    mask = np.broadcast_to(mask, values.shape)
    return (values * mask).sum(axis=-1) / np.maximum(mask.sum(axis=-1), 1)


def _per_class(formula: Callable[[Counts], np.ndarray]):
    """A per-class formula read for the positive class (binary) or macro-averaged."""

    def metric(c: Counts, pos: int | None) -> np.ndarray:
        values = formula(c)
        return values[..., pos] if pos is not None else _macro(values, _present(c))

    return metric


def _balanced_accuracy(c: Counts, pos: int | None) -> np.ndarray:
    return _macro(recall(c), c.true > 0)


def _gmean(c: Counts, pos: int | None) -> np.ndarray:
    r = recall(c)[..., c.true > 0]
    return np.prod(r, axis=-1) ** (1.0 / r.shape[-1])


def _fbeta_of(beta: float):
    return _per_class(lambda c: fbeta(c, beta))


# Registry metric function -> its formula on confusion counts (given the registry's params).
_FORMULAS: dict[Callable, Callable[..., Callable[[Counts, int | None], np.ndarray]]] = {
    metrics.f1: lambda: _fbeta_of(1.0),
    metrics.fbeta: lambda beta: _fbeta_of(beta),
    metrics.mcc: lambda: lambda c, pos: mcc(c),
    metrics.balanced_accuracy: lambda: _balanced_accuracy,
    metrics.gmean: lambda: _gmean,
}


@dataclass(frozen=True)
class Objective:
    """A label metric (or expected cost) computable from confusion counts."""

    name: str
    greater_is_better: bool
    metric: Callable[[Counts, int | None], np.ndarray]
    cost_matrix: np.ndarray | None = None

    def score(self, counts: Counts, pos: int | None) -> np.ndarray:
        """The metric in its own units (a cost stays a cost)."""
        return self.metric(counts, pos)

    def gain(self, counts: Counts, pos: int | None) -> np.ndarray:
        """The metric oriented so that larger is better."""
        value = self.metric(counts, pos)
        return value if self.greater_is_better else -value


def _expected_cost(c: Counts, pos: int | None) -> np.ndarray:
    return c.cost / c.n


def positive_index(y, classes: np.ndarray, pos_label=None) -> int:
    """Index in ``classes`` of the positive class, by the metrics layer's rule (minority)."""
    return int(
        np.searchsorted(classes, metrics.positive_class(y, labels=classes, pos_label=pos_label))
    )


def binary_cost_matrix(fn: float, fp: float, tp: float, tn: float, pos: int) -> np.ndarray:
    """The 2x2 cost matrix (rows: truth, columns: prediction) of per-outcome costs."""
    cost = np.empty((2, 2))
    cost[pos, pos], cost[pos, 1 - pos] = tp, fn
    cost[1 - pos, 1 - pos], cost[1 - pos, pos] = tn, fp
    return cost


def resolve_objective(scoring, n_classes: int, pos: int | None = None) -> Objective:
    """Turn ``scoring`` (a name from the metrics registry, or a cost matrix) into an Objective.

    ``pos`` is the positive class index of a binary target (for ``"cost:FN=..,FP=.."``).

    Examples
    --------
    >>> resolve_objective("mcc", 2).name
    'mcc'
    >>> resolve_objective([[0, 1], [5, 0]], 2).greater_is_better
    False
    >>> resolve_objective("cost:FN=5,FP=1", 2, pos=1).cost_matrix.tolist()
    [[0.0, 1.0], [5.0, 0.0]]
    """
    if not isinstance(scoring, str):
        cost = np.asarray(scoring, dtype=float)
        if cost.shape != (n_classes, n_classes) or not np.all(np.isfinite(cost)):
            raise ValueError(
                f"a cost matrix must be finite with shape (n_classes, n_classes) = ({n_classes}, "
                f"{n_classes}), got shape {cost.shape}; cost[i, j] is the cost of predicting "
                "class j for a sample of class i, both in the order of classes_."
            )
        return Objective(COST, False, _expected_cost, cost)
    metric = metrics.get_scorer(scoring).metric  # unknown names fail here, with suggestions
    params = dict(metric.params)
    if metric.needs != "labels":
        raise ValueError(
            f"scoring={scoring!r} scores {metric.needs}, so it does not depend on the decision "
            "rule; tune for a label metric (f1, f<beta>, mcc, balanced_accuracy, gmean) or a "
            "cost (cost:FN=..,FP=.. or a cost matrix)."
        )
    if metric.name.lower().startswith("cost:"):
        if n_classes != 2:
            raise ValueError(f"{scoring!r} is binary; pass a cost matrix for {n_classes} classes.")
        cost = binary_cost_matrix(params["fn"], params["fp"], params.get("tp", 0.0),
                                  params.get("tn", 0.0), pos)  # fmt: skip
        return Objective(COST, False, _expected_cost, cost)
    if metric.func not in _FORMULAS:
        raise ValueError(f"scoring={scoring!r} has no confusion-count formula here.")
    return Objective(metric.name, True, _FORMULAS[metric.func](**params))
