"""A small finished benchmark shared by the bench tests (a few seconds of fitting, once)."""

from types import SimpleNamespace

import pytest

from skewlearn.bench import run_bench
from skewlearn.evaluation import SQLiteStore


@pytest.fixture(scope="session")
def small():
    """The small benchmark's plan: 2 datasets x 3 strategies x 3 folds."""
    return SimpleNamespace(
        datasets=["ecoli1", "glass1"],
        strategies=["tree", "tree+balanced", "tree+rus"],
        plan={"cv": 3, "repeats": 1, "seed": 0, "metrics": ["average_precision", "f1"]},
    )


@pytest.fixture(scope="session")
def finished_store(tmp_path_factory, small):
    path = tmp_path_factory.mktemp("bench") / "results.sqlite"
    with SQLiteStore(path) as store:
        run_bench(store, small.datasets, small.strategies, **small.plan)
    return path
