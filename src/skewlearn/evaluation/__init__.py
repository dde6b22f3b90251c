"""How a strategy is scored on the folds of a dataset, where the work runs, where results go.

One vocabulary for every search and benchmark: an :class:`EvaluationPlan` of shared folds, an
:class:`Objective` bound to the task's classes, a :class:`Task` (one strategy on one fold) that
:func:`evaluate` turns into a :class:`Result`, an :class:`Engine` that runs tasks in this
process, in worker processes or on Dask, and a :class:`ResultStore` (in memory or SQLite) that
keeps results so a stopped run resumes.
"""

from skewlearn.evaluation._engine import DaskEngine, Engine, LocalEngine, make_engine
from skewlearn.evaluation._multiple_testing import holm
from skewlearn.evaluation._objective import Objective, objectives_for
from skewlearn.evaluation._plan import EvaluationPlan, Fold
from skewlearn.evaluation._store import (
    MemoryStore,
    ResultStore,
    SQLiteStore,
    StoreError,
    StoreLockedError,
)
from skewlearn.evaluation._task_info import TaskInfo
from skewlearn.evaluation._trial import (
    THREADED_ROWS,
    Candidate,
    EvaluationData,
    Result,
    Task,
    evaluate,
    task_seed,
)

__all__ = [
    "THREADED_ROWS",
    "Candidate",
    "DaskEngine",
    "Engine",
    "EvaluationData",
    "EvaluationPlan",
    "Fold",
    "LocalEngine",
    "MemoryStore",
    "Objective",
    "objectives_for",
    "Result",
    "ResultStore",
    "SQLiteStore",
    "StoreError",
    "StoreLockedError",
    "Task",
    "TaskInfo",
    "evaluate",
    "holm",
    "make_engine",
    "task_seed",
]
