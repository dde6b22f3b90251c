"""Imbalance-aware metrics, the scorers named after them, and one report.

Conventions shared by every function (each is documented where it applies):

* Positive class of a binary target: ``pos_label`` if given, else the minority class of
  ``y_true``, ties to the larger label (:func:`positive_class`). A 1-D ``y_score`` is the
  score of that class.
* ``labels=`` lists every class of the problem (a class may be absent from the data; a value
  outside ``labels`` is an error) and fixes the column order of a 2-D ``y_score``.
* Zero division: precision, recall and F of an empty denominator are 0, without warnings.
  Balanced accuracy, G-mean and the macro ranking metrics average over the classes present in
  ``y_true``.
* Multiclass Brier sums over classes (range [0, 2]); binary Brier is of the positive class.
"""

from ._classification import balanced_accuracy, f1, fbeta, gmean, mcc, per_class_scores
from ._cost import expected_cost
from ._dask import dask_label_score, dask_ranking_score
from ._labels import positive_class
from ._registry import Metric, cost_scorer, get_scorer, list_metrics
from ._report import ImbalanceReport, imbalance_report
from ._scorer import MetricScorer
from ._scores import average_precision, brier, log_loss, roc_auc

__all__ = [
    "ImbalanceReport",
    "Metric",
    "MetricScorer",
    "average_precision",
    "balanced_accuracy",
    "brier",
    "cost_scorer",
    "dask_label_score",
    "dask_ranking_score",
    "expected_cost",
    "f1",
    "fbeta",
    "get_scorer",
    "gmean",
    "imbalance_report",
    "list_metrics",
    "log_loss",
    "mcc",
    "per_class_scores",
    "positive_class",
    "roc_auc",
]
