"""Data shared by the resample tests: generated sets of several shapes, some full of ties."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from skewlearn.resample._neighbours import (
    DEFAULT_ENGINE_CONFIG,
    EngineConfig,
    engine_config_context,
)


def _binary(n=600, n_features=5, weight=0.9, seed=0):
    return make_classification(
        n_samples=n, n_features=n_features, weights=[weight], flip_y=0.05, random_state=seed
    )


def _multiclass():
    return make_classification(
        n_samples=700,
        n_features=6,
        n_informative=4,
        n_classes=3,
        weights=[0.6, 0.3, 0.1],
        flip_y=0.05,
        random_state=1,
    )


def _ties():
    # Small integer features: many rows at equal distance, exact duplicates with both labels.
    rng = np.random.RandomState(2)
    X = rng.randint(0, 3, size=(500, 4)).astype(float)
    y = (X.sum(axis=1) + rng.randint(0, 3, size=500) > 5).astype(int)
    return X, y


def _ties_brute_force():
    # Binary features, enough of them for scikit-learn to search by brute force: distances
    # are small integers, so most neighbourhoods are tied.
    rng = np.random.RandomState(3)
    X = rng.randint(0, 2, size=(400, 18)).astype(float)
    y = (X[:, :6].sum(axis=1) + rng.randint(0, 2, size=400) > 5).astype(int)
    return X, y


DATASETS = {
    "binary-low-dim": lambda: _binary(),
    "binary-brute-force": lambda: _binary(n=800, n_features=20, weight=0.85),
    "multiclass": _multiclass,
    "ties": _ties,
    "ties-brute-force": _ties_brute_force,
}


@pytest.fixture(params=sorted(DATASETS))
def dataset(request):
    return DATASETS[request.param]()


# The large-data paths on a few hundred rows: many small cells (the nearest-cell-first search
# order, cells skipped by their bounds), exact queries answered by the blocked scan, in narrow
# blocks, so that scans visit many blocks, as they do on large data.
LARGE_DATA_PATHS = EngineConfig(
    rows_per_cell=24,
    nearby_min_queries=0,
    scan_min_pairs=0,
    bounded_cell_cols=0,
    col_block=32,
    block_pairs=2**11,
)


@pytest.fixture(params=["small-data-paths", "large-data-paths"])
def engine_config(request):
    """Run a test as the engine runs small data, and again as it runs large data.

    The test sets hold a few hundred rows: one cell, and scikit-learn answering the exact
    queries.  The large-data paths (``LARGE_DATA_PATHS``) split them into many small cells and
    answer exact queries by the blocked scan.  Tests pass the configuration to the indexes
    they build; samplers, which build their own, take it from the context set here.
    """
    config = DEFAULT_ENGINE_CONFIG if request.param == "small-data-paths" else LARGE_DATA_PATHS
    with engine_config_context(config):
        yield config
