import pandas as pd
import pytest

from skewlearn.evaluation import DaskEngine, LocalEngine, make_engine
from skewlearn.select import AutoBalancedClassifier


def test_local_engine_runs_every_task_in_processes():
    # A builtin: functions of test modules are not importable by worker processes.
    assert sorted(LocalEngine(n_jobs=2).map_unordered(abs, range(-3, 3))) == [0, 1, 1, 2, 2, 3]


def test_unknown_engine_name():
    with pytest.raises(ValueError, match="'local' or 'dask'"):
        make_engine("spark")


def test_dask_engine_gives_the_same_choice_and_scores_as_local():
    pytest.importorskip("distributed")
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=300, n_features=5, weights=[0.9], random_state=2)
    specs = ["logreg", "logreg+balanced", "tree+balanced"]
    local = AutoBalancedClassifier(specs, n_repeats=1, random_state=5).fit(X, y)
    with DaskEngine(n_workers=2) as engine:
        assert sorted(engine.map_unordered(abs, [-2, 1])) == [1, 2]
        distributed = AutoBalancedClassifier(specs, n_repeats=1, random_state=5, engine=engine).fit(
            X, y
        )
    assert distributed.best_strategy_ == local.best_strategy_
    pd.testing.assert_frame_equal(
        distributed.selection_.fold_scores(), local.selection_.fold_scores()
    )


def test_local_engine_stops_waiting_and_kills_fits_at_the_deadline():
    import time

    engine = LocalEngine(n_jobs=1)
    # Start the worker first (no deadline), so a slow process start on a busy machine is not
    # what the deadline measures; the same pool then runs the timed tasks.
    assert list(engine.run(abs, [-1], shared=None, deadline=time.monotonic() + 600)) == [1]
    start = time.monotonic()
    results = list(engine.run(time.sleep, [0.1, 60], deadline=start + 3))
    assert results == [None]
    assert time.monotonic() - start < 10


def test_a_worker_still_starting_does_not_hold_the_caller_past_the_deadline(tmp_path, monkeypatch):
    import tempfile
    import time

    import numpy as np

    # 40 MB of shared data: written into a starting worker's pipe, it would make the caller
    # wait for the new process to boot, before any deadline applies.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    shared = np.zeros(5_000_000)
    engine = LocalEngine(n_jobs=1)
    start = time.monotonic()
    results = list(engine.run(np.add, [1.0], shared=shared, deadline=start + 0.2))
    assert time.monotonic() - start < 2.0
    assert len(results) <= 1
    engine.close()
    # The file that carried the data to the workers is gone with the pool.
    assert list(tmp_path.iterdir()) == []


def test_local_engine_sends_shared_data_once_and_draws_tasks_lazily():
    drawn = []

    def tasks():
        for i in range(1, 5):
            drawn.append(i)
            yield i

    out = LocalEngine(n_jobs=2).run(divmod, tasks(), shared=10)
    first = next(out)
    # Two workers: only two tasks were handed out before the first result came back.
    assert drawn == [1, 2]
    assert sorted([first, *out]) == sorted(divmod(10, i) for i in range(1, 5))


def test_dask_engine_sends_the_data_once_and_tasks_without_it():
    distributed = pytest.importorskip("distributed")
    import cloudpickle
    import numpy as np
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=2000, n_features=50, weights=[0.9], random_state=0)
    data_bytes = len(cloudpickle.dumps((X, y)))
    specs = ["logreg", "logreg+balanced"]
    local = AutoBalancedClassifier(specs, n_repeats=1, random_state=3).fit(X, y)
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    with distributed.Client(cluster) as client, DaskEngine(client) as engine:
        submitted, scattered = [], []
        submit, scatter = client.submit, client.scatter

        def record_submit(fn, *args, **kwargs):
            submitted.append(len(cloudpickle.dumps((fn, args))))
            return submit(fn, *args, **kwargs)

        def record_scatter(data, **kwargs):
            scattered.append(len(cloudpickle.dumps(data)))
            return scatter(data, **kwargs)

        client.submit, client.scatter = record_submit, record_scatter
        on_dask = AutoBalancedClassifier(specs, n_repeats=1, random_state=3, engine=engine)
        on_dask.fit(X, y)
    cluster.close()
    # One scatter of the data for the whole selection; each task a few kB, no data.
    assert len(scattered) == 1 and scattered[0] > data_bytes
    assert len(submitted) >= 5 and max(submitted) < data_bytes / 50
    pd.testing.assert_frame_equal(on_dask.selection_.fold_scores(), local.selection_.fold_scores())
    np.testing.assert_array_equal(on_dask.predict_proba(X[:50]), local.predict_proba(X[:50]))
