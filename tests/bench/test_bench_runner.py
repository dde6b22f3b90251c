"""The runner: resume, failures, skips, multiclass, Dask equivalence, SIGKILL and a second writer."""

import os
import subprocess
import sys

import pandas as pd
import pytest
from sklearn.tree import DecisionTreeClassifier

from skewlearn.bench import Recipe, plan_tasks, run_bench
from skewlearn.bench._runner import resolve_datasets
from skewlearn.evaluation import SQLiteStore
from skewlearn.select import Strategy
from stored_results import count_stored_results, kill_after_results

# Columns that differ between two runs of the same tasks.
_CLOCK = ["fit_time", "predict_time", "finished_at"]


def _same_results(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.drop(columns=_CLOCK), b.drop(columns=_CLOCK))


def test_one_row_per_task_with_every_metric(finished_store, small):
    with SQLiteStore(finished_store) as store:
        records = store.records()
        datasets = store.datasets().set_index("name")
    assert len(records) == len(small.datasets) * len(small.strategies) * 3
    assert not records.duplicated(["dataset", "strategy", "fold"]).any()
    assert (records["status"] == "ok").all()
    assert records[small.plan["metrics"]].notna().all().all()
    assert set(records["repeat"]) == {0} and set(records["fold"]) == {0, 1, 2}
    assert records["versions"].str.contains('"scikit-learn"').all()
    assert datasets.loc["ecoli1", "imbalance_ratio"] == pytest.approx(259 / 77)


def test_rerunning_resumes_and_runs_nothing_twice(finished_store, small):
    with SQLiteStore(finished_store) as store:
        before = store.records()
        run = run_bench(store, small.datasets, small.strategies, **small.plan)
        after = store.records()
    assert (run.planned, run.already_done, run.ran) == (18, 18, 0)
    pd.testing.assert_frame_equal(before, after)


def test_a_different_plan_on_the_same_store_is_refused(finished_store, small):
    with SQLiteStore(finished_store) as store, pytest.raises(match="cv 3"):
        run_bench(store, small.datasets, small.strategies, **{**small.plan, "cv": 5})


def test_failures_are_recorded_do_not_stop_the_run_and_can_be_retried(tmp_path, small):
    broken = Recipe("broken", DecisionTreeClassifier(max_depth=-1))
    seen = []
    with SQLiteStore(tmp_path / "r.sqlite") as store:
        run = run_bench(store, "ecoli1", ["tree", broken], **small.plan, on_result=seen.append)
        assert (run.ran, run.failed) == (6, 3)
        records = store.records().set_index("strategy")
        assert (records.loc["tree", "status"] == "ok").all()
        failed = records.loc["broken"]
        assert (failed["status"] == "failed").all()
        assert failed["error"].str.contains("max_depth").all()
        assert failed["traceback"].str.contains("Traceback|File", regex=True).all()
        assert len(seen) == 6
        assert run_bench(store, "ecoli1", ["tree", broken], **small.plan).ran == 0
        retried = run_bench(store, "ecoli1", ["tree", broken], **small.plan, retry_failed=True)
        assert (retried.ran, retried.failed) == (3, 3)
        assert len(store.records()) == 6


def test_a_strategy_that_cannot_apply_is_recorded_as_skipped(tmp_path, small):
    # zoo-3 has only categorical columns: SMOTE has nothing to interpolate.
    with SQLiteStore(tmp_path / "r.sqlite") as store:
        run = run_bench(store, "zoo-3", ["tree+smote"], **small.plan)
        records = store.records()
    assert run.skipped == 3
    assert records["error"].str.contains("categorical").all()


def test_multiclass_data_and_binary_only_metrics(tmp_path, small):
    plan = {**small.plan, "metrics": ["f1", "average_precision", "cost:FN=5,FP=1"]}
    with SQLiteStore(tmp_path / "r.sqlite") as store:
        run_bench(store, "tae", ["tree"], **plan)
        records = store.records()
    assert (records["status"] == "ok").all()
    assert records[["f1", "average_precision"]].notna().all().all()
    assert "cost:FN=5,FP=1" not in records.columns  # binary-only: recorded as missing


def test_a_name_in_two_suites_is_kept_with_its_suite():
    # SATIMAGE is in both KEEL suites: a whole-suite run must still load the right one.
    binary = resolve_datasets("keel-binary")
    assert len(binary) == 119 and "keel-binary/SATIMAGE" in binary and "SATIMAGE" not in binary
    assert resolve_datasets("keel-multiclass/satimage,ecoli1") == [
        "keel-multiclass/SATIMAGE",
        "ecoli1",
    ]
    assert resolve_datasets("keel-binary", max_n=200)[:3] == [
        "appendicitis",
        "cleveland-0_vs_4",
        "ecoli_0_3_4_vs_5",
    ]


def test_task_seeds_depend_on_seed_strategy_and_fold_only():
    tree = Strategy.parse("tree")
    first = plan_tasks(["ecoli1", "glass1"], [tree], cv=3, repeats=2, seed=4)
    alone = plan_tasks(["glass1"], [tree], cv=3, repeats=2, seed=4)
    assert [t.seed for t in first[6:]] == [t.seed for t in alone]
    assert len({t.seed for t in alone}) == 6
    assert [t.repeat for t in alone] == [0, 0, 0, 1, 1, 1]


@pytest.mark.slow
def test_dask_cluster_gives_the_same_results_as_local(tmp_path, finished_store, small):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with SQLiteStore(tmp_path / "dask.sqlite") as store:
            run = run_bench(
                store, "ecoli1", small.strategies, **small.plan, engine="dask",
                scheduler=cluster.scheduler_address,
            )  # fmt: skip
            remote = store.records()
    assert run.ran == 9
    with SQLiteStore(finished_store) as store:
        local = store.records()
    _same_results(remote, local[local["dataset"] == "ecoli1"].reset_index(drop=True))


_RUN = """
import sys
from skewlearn.bench import run_bench
from skewlearn.evaluation import SQLiteStore
with SQLiteStore(sys.argv[1]) as store:
    run_bench(store, ["ecoli1"], ["rf", "tree"], cv=3, repeats=1, seed=0, metrics=["f1"])
"""


@pytest.mark.slow
def test_a_run_killed_with_sigkill_resumes_to_the_uninterrupted_result(tmp_path):
    path = tmp_path / "killed.sqlite"
    child = subprocess.Popen([sys.executable, "-c", _RUN, str(path)])
    committed = kill_after_results(child, path, 1)
    assert 1 <= committed < 6, "the run was not killed mid-way"
    with SQLiteStore(path) as store:
        run = run_bench(store, ["ecoli1"], ["rf", "tree"], cv=3, repeats=1, metrics=["f1"])
        resumed = store.records()
    assert (run.already_done, run.ran) == (committed, 6 - committed)
    with SQLiteStore(tmp_path / "whole.sqlite") as store:
        run_bench(store, ["ecoli1"], ["rf", "tree"], cv=3, repeats=1, metrics=["f1"])
        whole = store.records()
    assert len(resumed) == 6 and not resumed.duplicated(["strategy", "fold"]).any()
    _same_results(resumed, whole)


@pytest.mark.slow
def test_a_second_run_on_a_store_being_written_is_refused_clearly(tmp_path):
    path = tmp_path / "busy.sqlite"
    with SQLiteStore(path) as store, store.writer():
        second = subprocess.run(
            [sys.executable, "-c", _RUN, str(path)], capture_output=True, text=True, timeout=120
        )
    assert second.returncode != 0
    assert f"is being written by pid {os.getpid()}" in second.stderr
    assert count_stored_results(path) == 0


def test_suites_are_named_in_any_case():
    assert resolve_datasets("KEEL-Binary,ECOLI1") == resolve_datasets("keel-binary")
    with pytest.raises(ValueError, match="classification strategies"):
        resolve_datasets("Regression")
