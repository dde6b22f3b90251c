"""The table of named metrics and the scorers built from their names.

A name is either a plain entry (``"mcc"``) or a family with parameters (``"fbeta:beta=2"``,
its shorthand ``"f2"``, ``"cost:FN=5,FP=1"``). Both are lookups in the tables below.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from ._classification import balanced_accuracy, f1, fbeta, gmean, mcc
from ._cost import _binary_cost, expected_cost
from ._scorer import MetricScorer
from ._scores import average_precision, brier, log_loss, roc_auc


@dataclass(frozen=True)
class Metric:
    """One registry entry: a metric function and what it needs from an estimator.

    Attributes
    ----------
    name : str
        The name it is looked up by.
    func : callable
        ``func(y_true, y_pred_or_score, *, labels, sample_weight, **params) -> float``.
    needs : {"labels", "scores", "proba"}
        ``predict`` output, ranking scores (``predict_proba``, else ``decision_function``), or
        probabilities (``predict_proba`` only).
    greater_is_better : bool
        False for losses and costs.
    multiclass : bool
        Whether it is defined for more than two classes.
    takes_pos_label : bool
        Whether its binary value depends on which class is positive.
    description : str
        One line for :func:`list_metrics`.
    params : tuple of (str, object)
        Fixed keyword arguments of ``func`` (e.g. ``beta``).
    bounds : tuple of (float, float)
        The lowest and highest value it can take (intervals and adjusted means are clipped
        to them).
    """

    name: str
    func: Callable[..., float]
    needs: Literal["labels", "scores", "proba"]
    greater_is_better: bool
    multiclass: bool
    takes_pos_label: bool
    description: str
    params: tuple[tuple[str, Any], ...] = ()
    bounds: tuple[float, float] = (0.0, 1.0)


_METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "average_precision", average_precision, needs="scores", greater_is_better=True,
            multiclass=True, takes_pos_label=True,
            description="area under the precision-recall curve; multiclass: macro one-vs-rest",
        ),
        Metric(
            "roc_auc", roc_auc, needs="scores", greater_is_better=True, multiclass=True,
            takes_pos_label=True,
            description="area under the ROC curve; multiclass: macro one-vs-rest",
        ),
        Metric(
            "f1", f1, needs="labels", greater_is_better=True, multiclass=True,
            takes_pos_label=True, description="F1 of the positive class; multiclass: macro",
        ),
        Metric(
            "mcc", mcc, needs="labels", greater_is_better=True, multiclass=True,
            takes_pos_label=False, description="Matthews correlation coefficient",
            bounds=(-1.0, 1.0),
        ),
        Metric(
            "balanced_accuracy", balanced_accuracy, needs="labels", greater_is_better=True,
            multiclass=True, takes_pos_label=False, description="mean per-class recall",
        ),
        Metric(
            "gmean", gmean, needs="labels", greater_is_better=True, multiclass=True,
            takes_pos_label=False, description="geometric mean of per-class recall",
        ),
        Metric(
            "brier", brier, needs="proba", greater_is_better=False, multiclass=True,
            takes_pos_label=True, description="Brier score; multiclass: summed over classes",
            bounds=(0.0, 2.0),
        ),
        Metric(
            "log_loss", log_loss, needs="proba", greater_is_better=False, multiclass=True,
            takes_pos_label=True, description="mean negative log-likelihood",
            bounds=(0.0, float("inf")),
        ),
    )
}  # fmt: skip


def _fbeta_metric(name: str, params: dict[str, float]) -> Metric:
    beta = params["beta"]
    if not beta > 0:
        raise ValueError(f"Metric {name!r}: beta must be > 0; got {beta:g}.")
    return Metric(
        name, fbeta, needs="labels", greater_is_better=True, multiclass=True,
        takes_pos_label=True,
        description=f"F-beta (beta={beta:g}) of the positive class; multiclass: macro",
        params=(("beta", beta),),
    )  # fmt: skip


def _cost_metric(name: str, params: dict[str, float]) -> Metric:
    costs = {key.lower(): value for key, value in params.items()}
    return Metric(
        name, _binary_cost, needs="labels", greater_is_better=False, multiclass=False,
        takes_pos_label=True, description="expected cost per sample from FN/FP (and TP/TN) costs",
        params=tuple(sorted(costs.items())),
        # A per-sample average of cell costs (TP and TN cost 0 unless given).
        bounds=(min(0.0, *costs.values()), max(0.0, *costs.values())),
    )  # fmt: skip


@dataclass(frozen=True)
class _Family:
    """A parametrised metric name ``prefix:key=value,...``."""

    template: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    build: Callable[[str, dict[str, float]], Metric]
    description: str
    needs: str
    greater_is_better: bool
    multiclass: bool


_FAMILIES: dict[str, _Family] = {
    "fbeta": _Family(
        "fbeta:beta=<B>", required=("beta",), optional=(), build=_fbeta_metric,
        description="F-beta of the positive class (shorthand f<B>, e.g. f2); multiclass: macro",
        needs="labels", greater_is_better=True, multiclass=True,
    ),
    "cost": _Family(
        "cost:FN=<c>,FP=<c>[,TP=<c>,TN=<c>]", required=("FN", "FP"), optional=("TP", "TN"),
        build=_cost_metric, description="expected cost per sample of a binary decision",
        needs="labels", greater_is_better=False, multiclass=False,
    ),
}  # fmt: skip

_SHORT_FBETA = re.compile(r"f(\d+(?:\.\d+)?)")


def _valid_names() -> list[str]:
    return [*_METRICS, *(family.template for family in _FAMILIES.values())]


def _parse_params(name: str, family: _Family, body: str) -> dict[str, float]:
    allowed = {key.upper(): key for key in (*family.required, *family.optional)}
    params: dict[str, float] = {}
    for item in body.split(","):
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not key:
            raise ValueError(
                f"Metric {name!r}: expected key=value pairs separated by commas, got "
                f"{item.strip()!r}. Example: {family.template}."
            )
        canonical = allowed.get(key.upper())
        if canonical is None:
            raise ValueError(
                f"Metric {name!r}: unknown parameter {key!r}; allowed: {sorted(allowed.values())}."
            )
        if canonical in params:
            raise ValueError(f"Metric {name!r}: parameter {canonical!r} is given twice.")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"Metric {name!r}: {canonical}={value!r} is not a number.") from None
        if not np.isfinite(number):
            raise ValueError(f"Metric {name!r}: {canonical}={value!r} must be finite.")
        params[canonical] = number
    missing = [key for key in family.required if key not in params]
    if missing:
        raise ValueError(
            f"Metric {name!r} is missing {', '.join(missing)}. Example: {family.template}."
        )
    return params


def _lookup(name: str) -> Metric:
    if not isinstance(name, str):
        raise TypeError(f"A metric name must be a string; got {type(name).__name__}.")
    # Names match whatever their case, as dataset names and target columns do ("F1" is "f1").
    key = name.strip()
    lowered = key.lower()
    if lowered in _METRICS:
        return _METRICS[lowered]
    short = _SHORT_FBETA.fullmatch(lowered)
    if short:
        return _fbeta_metric(lowered, {"beta": float(short.group(1))})
    prefix, sep, body = key.partition(":")
    family = _FAMILIES.get(prefix.strip().lower())
    if family is not None and sep:
        return family.build(key, _parse_params(key, family, body))
    if family is not None:
        raise ValueError(f"Metric {name!r} needs parameters: {family.template}.")
    close = difflib.get_close_matches(lowered, [*_METRICS, *_FAMILIES], n=3, cutoff=0.5)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"Unknown metric {name!r}.{hint} Valid names: {', '.join(_valid_names())}.")


def get_scorer(name: str, *, pos_label: Any = None) -> MetricScorer:
    """A scikit-learn scorer for a registered metric name; higher is always better.

    Parameters
    ----------
    name : str
        A name of :func:`list_metrics`: ``"average_precision"``, ``"roc_auc"``, ``"f1"``,
        ``"fbeta:beta=2"`` (or ``"f2"``), ``"mcc"``, ``"balanced_accuracy"``, ``"gmean"``,
        ``"brier"``, ``"log_loss"``, ``"cost:FN=5,FP=1"`` (binary; also ``TP=``/``TN=``).
        Case is ignored: ``"F1"`` is ``"f1"``.
    pos_label : label, default=None
        Forces the positive class of binary targets; default :func:`positive_class`.

    Returns
    -------
    MetricScorer
        ``scorer(estimator, X, y, sample_weight=None) -> float``; losses come negated.

    Raises
    ------
    ValueError
        For an unknown name (listing valid ones, with close matches) or bad parameters.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from skewlearn.metrics import get_scorer
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> scores = cross_val_score(LogisticRegression(), X, y, cv=3, scoring=get_scorer("f2"))
    >>> scores.shape
    (3,)
    >>> get_scorer("cost:FN=5,FP=1").sign
    -1
    """
    return MetricScorer(_lookup(name), pos_label=pos_label)


def cost_scorer(cost_matrix: ArrayLike, labels: ArrayLike | None = None) -> MetricScorer:
    """A scorer of :func:`expected_cost` with a full cost matrix (binary or multiclass).

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes)
        ``cost_matrix[i, j]``: cost of predicting class ``j`` when the truth is class ``i``.
    labels : array-like of shape (n_classes,), default=None
        The classes of the rows and columns; the estimator's ``classes_`` when None.

    Returns
    -------
    MetricScorer
        Returns the negated expected cost (``greater_is_better`` is False).

    Examples
    --------
    >>> from skewlearn.metrics import cost_scorer
    >>> scorer = cost_scorer([[0, 1, 1], [4, 0, 1], [9, 2, 0]], labels=["low", "mid", "high"])
    >>> scorer.greater_is_better
    False
    """
    cost = np.asarray(cost_matrix, dtype=np.float64)
    if cost.ndim != 2 or cost.shape[0] != cost.shape[1] or not np.all(np.isfinite(cost)):
        raise ValueError(f"cost_matrix must be a finite square matrix; got shape {cost.shape}.")
    # Tuples keep the frozen Metric hashable and comparable.
    params: tuple[tuple[str, Any], ...] = (("cost_matrix", tuple(map(tuple, cost.tolist()))),)
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (cost.shape[0],):
            raise ValueError(
                f"labels must name the {cost.shape[0]} rows of cost_matrix; got {list(labels)}."
            )
        params += (("labels", tuple(labels.tolist())),)
    metric = Metric(
        "cost_matrix", expected_cost, needs="labels", greater_is_better=False, multiclass=True,
        takes_pos_label=False, description="expected cost per sample from a full cost matrix",
        params=params,
        bounds=(float(cost.min()), float(cost.max())),
    )  # fmt: skip
    return MetricScorer(metric)


def list_metrics() -> pd.DataFrame:
    """The registered metric names and what each needs.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``; columns ``needs``, ``greater_is_better``, ``multiclass``,
        ``description``. Parametrised families appear with their template.

    Examples
    --------
    >>> from skewlearn.metrics import list_metrics
    >>> table = list_metrics()
    >>> bool(table.loc["brier", "greater_is_better"])
    False
    >>> "mcc" in table.index
    True
    """
    rows = [
        (m.name, m.needs, m.greater_is_better, m.multiclass, m.description)
        for m in _METRICS.values()
    ] + [
        (f.template, f.needs, f.greater_is_better, f.multiclass, f.description)
        for f in _FAMILIES.values()
    ]
    columns = ["name", "needs", "greater_is_better", "multiclass", "description"]
    return pd.DataFrame(rows, columns=columns).set_index("name")
