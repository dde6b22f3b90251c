"""A worker process killed in the middle of a Dask fit: the same model, or a clear error."""

import os
import signal

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

from skewlearn.ensemble import (  # noqa: E402
    BalanceCascadeClassifier,
    SelfPacedEnsembleClassifier,
    _dask,
)


@pytest.fixture(scope="module")
def client():
    # Process workers under nannies, as on a real cluster: a killed one is restarted.
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = distributed.Client(cluster, set_as_default=False)
    with client.as_current():
        yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(10_000, 6, weights=[0.98], class_sep=2.0, random_state=0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)]).assign(target=y)
    ddf = dd.from_pandas(frame, npartitions=4)
    return ddf.drop(columns="target"), ddf["target"], X[:1000]


@pytest.mark.parametrize(
    "make",
    [
        lambda: SelfPacedEnsembleClassifier(n_estimators=3, random_state=0),
        lambda: BalanceCascadeClassifier(n_estimators=3, random_state=0),
    ],
    ids=["self_paced", "cascade"],
)
def test_killed_worker_gives_the_same_model(client, data, monkeypatch, make):
    X, y, X_test = data
    expected = make().fit(X, y).predict_proba(X_test)
    fit_member = _dask._fit_member
    killed = []

    def fit_then_kill(ensemble, seed, whole, drawn):
        member = fit_member(ensemble, seed, whole, drawn)
        if len(ensemble.estimators_) == 1:
            # After round 1's member: the running probabilities (and the cascade's pool)
            # live on the workers; one of them dies with its share.
            pids = client.run(os.getpid)
            victim = sorted(pids)[0]
            os.kill(pids[victim], signal.SIGKILL)
            killed.append((victim, pids[victim]))
        return member

    monkeypatch.setattr(_dask, "_fit_member", fit_then_kill)
    got = make().fit(X, y).predict_proba(X_test)
    assert len(killed) == 1
    assert killed[0][1] not in client.run(os.getpid).values()  # it did die
    np.testing.assert_array_equal(got, expected)
