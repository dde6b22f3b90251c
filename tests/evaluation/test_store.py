"""The results store: one row per task, durable commits, and files it must refuse to touch."""

import sqlite3

import numpy as np
import pandas as pd
import pytest

from skewlearn.evaluation import MemoryStore, Result, SQLiteStore, StoreError, StoreLockedError


def _result(fold=0, status="ok", f1=0.5, **kwargs):
    return Result("ecoli1", "tree", fold, 0, 11, status, {"f1": f1}, 0.1, 0.01, **kwargs)


def test_a_task_is_stored_once_and_a_retry_replaces_it(tmp_path):
    with SQLiteStore(tmp_path / "r.sqlite") as store:
        store.add(_result(status="failed", f1=np.nan, error="ValueError: boom"))
        store.add(_result(fold=1))
        assert store.finished() == {("ecoli1", "tree", 0), ("ecoli1", "tree", 1)}
        assert store.finished(include_failed=False) == {("ecoli1", "tree", 1)}
        store.add(_result(f1=0.75))
        records = store.records()
    assert len(records) == 2
    assert records.set_index("fold").loc[0, ["status", "f1"]].tolist() == ["ok", 0.75]
    assert records.loc[0, "error"] is None


def test_every_commit_is_visible_to_another_connection_at_once(tmp_path):
    path = tmp_path / "r.sqlite"
    with SQLiteStore(path) as store:
        store.add(_result())
        reader = sqlite3.connect(path)
        assert reader.execute("SELECT COUNT(*) FROM results").fetchone() == (1,)
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        reader.close()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"dataset,strategy\necoli1,tree\n", "not an SQLite file"),
        (b"SQLite format 3\x00" + b"\x00\x10\x01\x01" + b"garbage" * 200, "damaged"),
    ],
    ids=["text", "corrupt"],
)
def test_a_corrupt_or_foreign_file_is_refused_and_left_untouched(tmp_path, content, message):
    path = tmp_path / "r.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        SQLiteStore(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.sqlite"]


def test_another_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE people (name TEXT)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a skewlearn results store"):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_a_store_keeps_one_configuration(tmp_path):
    with SQLiteStore(tmp_path / "r.sqlite") as store:
        store.check_config({"cv": 5, "seed": 0})
        store.check_config({"cv": 5, "seed": 0})
        with pytest.raises(StoreError, match=r"cv 5 \(this run: 3\)"):
            store.check_config({"cv": 3, "seed": 0})


def test_a_second_writer_is_refused_with_the_holders_pid(tmp_path):
    import os

    path = tmp_path / "r.sqlite"
    with SQLiteStore(path) as first, SQLiteStore(path) as second, first.writer():
        with pytest.raises(StoreLockedError, match=f"pid {os.getpid()}"):
            with second.writer():
                pass
    with SQLiteStore(path) as third, third.writer():
        pass  # released when the first writer is done


def test_export_csv_and_parquet_round_trip(tmp_path):
    with SQLiteStore(tmp_path / "r.sqlite") as store:
        store.add(_result())
        store.add(_result(fold=1, f1=0.25))
        expected = store.records()
        csv = store.export(tmp_path / "r.csv")
        parquet = store.export(tmp_path / "r.parquet")
        with pytest.raises(ValueError, match=".csv or .parquet"):
            store.export(tmp_path / "r.xlsx")
    assert pd.read_csv(csv)["f1"].tolist() == [0.5, 0.25]
    pd.testing.assert_frame_equal(pd.read_parquet(parquet), expected)


def test_sqlite_and_memory_stores_give_back_the_same_results(tmp_path):
    results = [
        Result(
            "mydata", "logreg", 0, 0, 5, "ok", {"f1": 0.5}, 0.2, 0.01,
            test_index=np.array([3, 1]), y_pred=np.array(["no", "yes"], dtype=object),
            y_proba=np.array([[0.9, 0.1], [0.2, 0.8]]),
        ),
        Result("mydata", "tree", 0, 0, 6, "failed", fit_time=0.1, error="ValueError: bad"),
        Result("other", "tree", 0, 0, 6, "ok", {"f1": 0.25}),
    ]  # fmt: skip
    memory = MemoryStore()
    with SQLiteStore(tmp_path / "r.sqlite") as store:
        for result in results:
            store.add(result)
            memory.add(result)
        stored = store.results("mydata")
        assert len(store.results()) == 3
    assert len(stored) == len(memory.results("mydata")) == 2
    for got, want in zip(stored, memory.results("mydata")):
        assert (got.key, got.status, got.error, got.metrics) == (
            want.key, want.status, want.error, want.metrics,
        )  # fmt: skip
        if want.y_pred is not None:
            assert got.score == want.score == 0.5
            assert got.y_pred.tolist() == want.y_pred.tolist()
            np.testing.assert_array_equal(got.test_index, want.test_index)
            np.testing.assert_array_equal(got.y_proba, want.y_proba)
        else:
            assert got.y_pred is None and np.isnan(got.score)
