"""Choose how to treat the imbalance of one dataset, with evidence.

The pieces are separate, as in a study / sampler / pruner / storage design: strategies and
their catalog, the evaluation plan (shared folds), the engine that runs fits, the stopping rule
(racing), the result store, the search loop, and :class:`AutoBalancedClassifier` on top.
"""

from skewlearn.select._auto import AutoBalancedClassifier
from skewlearn.select._catalog import DEFAULT_SPECS, default_catalog
from skewlearn.select._components import DECISION_RULES, LEARNERS, REBALANCES
from skewlearn.select._engine import DaskEngine, Engine, LocalEngine, make_engine
from skewlearn.select._evaluate import FoldResult, FoldTask, evaluate_fold
from skewlearn.select._objective import Objective
from skewlearn.select._plan import EvaluationPlan, Fold
from skewlearn.select._preprocess import make_preprocessor
from skewlearn.select._prior import CatalogPrior
from skewlearn.select._racing import NoStopping, PairedRacing, PriorRacing, StoppingRule
from skewlearn.select._schema import TableSchema
from skewlearn.select._selector import Budget, Selection, run_selection, task_seed
from skewlearn.select._store import MemoryStore, ResultStore
from skewlearn.select._strategy import Strategy
from skewlearn.select._task import TaskInfo

__all__ = [
    "CatalogPrior",
    "DECISION_RULES",
    "DEFAULT_SPECS",
    "LEARNERS",
    "REBALANCES",
    "AutoBalancedClassifier",
    "Budget",
    "DaskEngine",
    "Engine",
    "EvaluationPlan",
    "Fold",
    "FoldResult",
    "FoldTask",
    "LocalEngine",
    "MemoryStore",
    "NoStopping",
    "Objective",
    "PairedRacing",
    "PriorRacing",
    "ResultStore",
    "Selection",
    "StoppingRule",
    "Strategy",
    "TableSchema",
    "TaskInfo",
    "default_catalog",
    "evaluate_fold",
    "make_engine",
    "make_preprocessor",
    "run_selection",
    "task_seed",
]
