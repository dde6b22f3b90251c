"""The exact metrics on Dask collections against the in-memory metrics on the same rows."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from skewlearn.metrics import (  # noqa: E402
    average_precision,
    balanced_accuracy,
    dask_label_score,
    dask_ranking_score,
    expected_cost,
    f1,
    gmean,
    mcc,
    roc_auc,
)


@pytest.fixture(scope="module")
def held_out():
    """A tree's labels and (heavily tied) scores on 20k held-out rows of a 1:50 problem."""
    X, y = make_classification(
        30_000, 6, n_informative=4, n_redundant=0, weights=[0.98], random_state=0
    )
    tree = DecisionTreeClassifier(max_depth=5, random_state=0).fit(X[:10_000], y[:10_000])
    return y[10_000:], tree.predict(X[10_000:]), tree.predict_proba(X[10_000:])[:, 1]


def _series(values, npartitions=3):
    return dd.from_pandas(pd.Series(values), npartitions=npartitions)


@pytest.mark.parametrize(
    ("metric", "kwargs"),
    [
        (f1, {}),
        (mcc, {}),
        (balanced_accuracy, {}),
        (gmean, {}),
        (expected_cost, {"cost_matrix": [[0, 1], [5, 0]]}),
    ],
    ids=["f1", "mcc", "balanced_accuracy", "gmean", "cost"],
)
def test_label_metrics_are_exact_from_confusion_counts(held_out, metric, kwargs):
    y_true, y_pred, _ = held_out
    # y_true is 0/1 with 1 the minority, so the default positive class must be found as 1.
    expected = metric(y_true, y_pred, **kwargs)
    got = dask_label_score(metric, _series(y_true), _series(y_pred), **kwargs)
    assert got == pytest.approx(expected, rel=1e-12)


def test_label_metrics_default_positive_is_the_minority():
    y_true = np.array([0] * 6 + [1] * 4)
    y_pred = np.array([0, 0, 0, 1, 1, 1, 1, 1, 0, 0])
    parts = [da.from_array(y, chunks=5) for y in (y_true, y_pred)]
    assert dask_label_score(f1, *parts) == pytest.approx(f1(y_true, y_pred))
    assert dask_label_score(f1, *parts, pos_label=0) == pytest.approx(
        f1(y_true, y_pred, pos_label=0)
    )


def test_partitions_must_match():
    y = da.from_array(np.arange(10) % 2, chunks=5)
    with pytest.raises(ValueError, match="y_true has 2 partitions and y_pred has 1"):
        dask_label_score(f1, y, da.from_array(np.arange(10) % 2, chunks=10))
    with pytest.raises(TypeError, match="y_score must be a Dask Series or a 1-D Dask array"):
        dask_ranking_score(roc_auc, y, np.arange(10))


@pytest.mark.parametrize(
    ("metric", "reference"),
    [(average_precision, average_precision_score), (roc_auc, roc_auc_score)],
    ids=["average_precision", "roc_auc"],
)
def test_ranking_metrics_are_exact(held_out, metric, reference):
    y_true, _, scores = held_out
    # Tree scores tie many rows: the exactness at ties is what is tested.
    assert len(np.unique(scores)) < len(scores) / 10
    expected = reference(y_true, scores)
    assert dask_ranking_score(metric, _series(y_true), _series(scores)) == pytest.approx(
        expected, rel=1e-12
    )
    # Continuous scores (no ties) and an explicit positive class.
    noisy = scores + np.random.default_rng(0).uniform(0, 1e-3, len(scores))
    expected = reference(1 - y_true, -noisy)
    got = dask_ranking_score(metric, _series(y_true), _series(-noisy), pos_label=0)
    assert got == pytest.approx(expected, rel=1e-12)


def test_ranking_metrics_refuse_too_many_distinct_scores():
    y = da.from_array(np.arange(100) % 2, chunks=50)
    scores = da.from_array(np.linspace(0, 1, 100), chunks=50)
    with pytest.raises(MemoryError, match=r"up to 100 distinct .* round them first"):
        dask_ranking_score(average_precision, y, scores, max_pairs=99)
    assert dask_ranking_score(roc_auc, y, scores, max_pairs=100) == pytest.approx(
        roc_auc_score(np.arange(100) % 2, np.linspace(0, 1, 100))
    )


def test_metrics_import_without_dask():
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['dask'] = None\n"
        "import skewlearn.metrics as m\n"
        "assert callable(m.dask_label_score)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
