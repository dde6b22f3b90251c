"""Choose how to treat the imbalance of one dataset, with evidence.

The pieces are separate, as in a study / sampler / pruner / storage design: strategies and
their catalog, the stopping rule (racing) and its prior, the search loop, and
:class:`AutoBalancedClassifier` on top. How each strategy is scored (folds, tasks, results,
engines, stores) is :mod:`skewlearn.evaluation`; the plumbing (components, preprocessing, fit
times) stays in private modules.
"""

from skewlearn.select._auto import AutoBalancedClassifier
from skewlearn.select._catalog import default_catalog
from skewlearn.select._prior import CatalogPrior
from skewlearn.select._prior_data import DataPrior
from skewlearn.select._racing import NoStopping, PairedRacing, PriorRacing, StoppingRule
from skewlearn.select._selector import Budget, Selection, run_selection
from skewlearn.select._strategy import Strategy

__all__ = [
    "AutoBalancedClassifier",
    "Budget",
    "CatalogPrior",
    "DataPrior",
    "NoStopping",
    "PairedRacing",
    "PriorRacing",
    "Selection",
    "StoppingRule",
    "Strategy",
    "default_catalog",
    "run_selection",
]
