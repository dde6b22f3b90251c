"""One table of every imbalance-aware metric: per class, macro-averaged and overall."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import average_precision_score, roc_auc_score

from ._classification import balanced_accuracy, f1, gmean, mcc, per_class_scores
from ._labels import _as_python, _encode_targets, positive_class
from ._scores import (
    _class_columns,
    _per_class_ranking,
    _read_scores,
    average_precision,
    brier,
    log_loss,
    roc_auc,
)

_COLUMNS = [
    "support",
    "precision",
    "recall",
    "f1",
    "average_precision",
    "roc_auc",
    "balanced_accuracy",
    "mcc",
    "gmean",
    "brier",
    "log_loss",
]


class ImbalanceReport(pd.DataFrame):
    """The frame :func:`imbalance_report` returns: a plain DataFrame that prints rounded.

    Undefined or not-applicable cells are NaN and print blank. Anything derived from it
    (a slice, a copy) is a plain DataFrame.
    """

    def _formatted(self) -> dict[str, Any]:
        return {"float_format": "{:.4f}".format, "na_rep": ""}

    def __repr__(self) -> str:
        # to_string pads blank cells; trailing spaces only get in the way of copy and diff.
        text = "\n".join(line.rstrip() for line in self.to_string(**self._formatted()).splitlines())
        positive = self.attrs.get("positive_class")
        if positive is not None:
            text += f"\n(positive class: {positive!r})"
        return text

    def _repr_html_(self) -> str:
        return self.to_html(**self._formatted())


def _nanmean(values: np.ndarray) -> float:
    defined = values[~np.isnan(values)]
    return float(defined.mean()) if len(defined) else float("nan")


def imbalance_report(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    y_score: ArrayLike | None = None,
    *,
    labels: ArrayLike | None = None,
    pos_label: Any = None,
) -> ImbalanceReport:
    """Per-class and summary metrics of one set of predictions, in one tidy frame.

    Rows, in order: one per class; ``"macro"``, the unweighted mean of the class rows (AP and
    ROC-AUC over the classes present in ``y_true``); ``"overall"``, the value of each headline
    function of this package (:func:`f1`, :func:`average_precision`, :func:`roc_auc`,
    :func:`balanced_accuracy`, :func:`mcc`, :func:`gmean`, :func:`brier`, :func:`log_loss`),
    which for a binary target are those of the positive class. Columns: ``support``,
    ``precision``, ``recall``, ``f1``, then ``average_precision``, ``roc_auc`` when
    ``y_score`` is given, then ``balanced_accuracy``, ``mcc``, ``gmean``, then ``brier``,
    ``log_loss`` when ``y_score`` is given. A cell that does not apply is NaN.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes), default=None
        Predicted probabilities, read as in :func:`average_precision`; Brier and log-loss
        need probabilities in [0, 1].
    labels : array-like, default=None
        Every class of the problem, in row order (and ``y_score`` column order); sorted
        union of ``y_true`` and ``y_pred`` when None.
    pos_label : label, default=None
        Binary only. Default: the minority class of ``y_true``, see :func:`positive_class`;
        recorded in ``report.attrs["positive_class"]``.

    Returns
    -------
    ImbalanceReport
        A :class:`pandas.DataFrame` indexed by class label, then ``"macro"``, ``"overall"``.

    Examples
    --------
    >>> from skewlearn.metrics import imbalance_report
    >>> report = imbalance_report([0, 0, 0, 1], [0, 0, 1, 1], [0.1, 0.2, 0.6, 0.9])
    >>> report.loc["overall", ["balanced_accuracy", "mcc", "gmean"]].round(4).tolist()
    [0.8333, 0.5774, 0.8165]
    >>> float(report.loc[1, "recall"])
    1.0
    >>> report.attrs["positive_class"]
    1
    """
    classes = _encode_targets(y_true, y_pred, labels)[0]
    binary = len(classes) == 2
    positive = positive_class(y_true, labels=classes, pos_label=pos_label) if binary else None
    if not binary and pos_label is not None:
        raise ValueError(f"pos_label applies to binary targets only; got {len(classes)} classes.")
    common = {"labels": classes, "pos_label": positive}

    table = per_class_scores(y_true, y_pred, labels=classes)
    rows = {"macro": table.mean().to_dict(), "overall": {}}
    rows["macro"]["support"] = rows["overall"]["support"] = table["support"].sum()
    rows["overall"]["f1"] = f1(y_true, y_pred, **common)
    if y_score is not None:
        _, t, pos_index, scores = _read_scores(y_true, y_score, classes, positive)
        columns = _class_columns(scores, pos_index)
        for name, metric, needs_negatives in (
            ("average_precision", average_precision_score, False),
            ("roc_auc", roc_auc_score, True),
        ):
            table[name] = _per_class_ranking(metric, needs_negatives, t, columns, None)
            rows["macro"][name] = _nanmean(table[name].to_numpy())
        rows["overall"]["average_precision"] = average_precision(y_true, y_score, **common)
        rows["overall"]["roc_auc"] = roc_auc(y_true, y_score, **common)
    rows["overall"]["balanced_accuracy"] = balanced_accuracy(y_true, y_pred, labels=classes)
    rows["overall"]["mcc"] = mcc(y_true, y_pred, labels=classes)
    rows["overall"]["gmean"] = gmean(y_true, y_pred, labels=classes)
    if y_score is not None:
        rows["overall"]["brier"] = brier(y_true, y_score, **common)
        rows["overall"]["log_loss"] = log_loss(y_true, y_score, **common)

    summary = pd.DataFrame.from_dict(rows, orient="index")
    frame = pd.concat([table, summary])
    frame = frame[[c for c in _COLUMNS if c in frame.columns]]
    frame["support"] = frame["support"].astype(table["support"].dtype)
    frame.index = pd.Index([_as_python(c) for c in classes] + ["macro", "overall"], name="row")
    report = ImbalanceReport(frame)
    report.attrs["positive_class"] = positive
    return report
