"""Where results are kept: one protocol, kept in memory or in one SQLite file.

The selector, the benchmark runner and the benchmark scripts write :class:`Result` records
through :class:`ResultStore`: ``add`` one result, read ``results`` back (of one dataset or all),
hold the ``writer`` lock for a run. :class:`MemoryStore` is for a run that need not survive its
process; :class:`SQLiteStore` commits each result as it arrives, so a killed run resumes where
it stopped.

Why SQLite: a commit is atomic and survives a killed process (WAL journal), readers (the
report) never block the writer, and the file is one portable artifact. A uniqueness key on
(dataset, strategy, fold) means a task is never counted twice: a retried task replaces its row.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from skewlearn.evaluation._trial import Result


class ResultStore(Protocol):
    """Where a run records its results."""

    def add(self, result: Result) -> None: ...

    def results(self, dataset: str | None = None) -> list[Result]: ...

    def writer(self) -> contextlib.AbstractContextManager: ...


class MemoryStore:
    """Keep results in this process, one per (dataset, strategy, fold); a repeat replaces it.

    Examples
    --------
    >>> store = MemoryStore()
    >>> store.add(Result("toy", "tree", 0, 0, 7, "ok", {"f1": 0.5}))
    >>> [(r.strategy, r.score) for r in store.results("toy")]
    [('tree', 0.5)]
    """

    def __init__(self) -> None:
        self._results: dict[tuple[str, str, int], Result] = {}

    def add(self, result: Result) -> None:
        self._results[result.key] = result

    def results(self, dataset: str | None = None) -> list[Result]:
        return [r for r in self._results.values() if dataset in (None, r.dataset)]

    def writer(self) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext(self)


_FORMAT = "skewlearn-bench"
_SCHEMA_VERSION = "1"
_SQLITE_HEADER = b"SQLite format 3\x00"
_TEXT = "__text"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS datasets (
    name TEXT PRIMARY KEY, n_samples INTEGER, n_features INTEGER, n_classes INTEGER,
    imbalance_ratio REAL
);
CREATE TABLE IF NOT EXISTS strategies (
    name TEXT PRIMARY KEY, position INTEGER NOT NULL, description TEXT
);
CREATE TABLE IF NOT EXISTS results (
    dataset TEXT NOT NULL, strategy TEXT NOT NULL, fold INTEGER NOT NULL, repeat INTEGER,
    seed INTEGER, status TEXT NOT NULL, metrics TEXT NOT NULL, fit_time REAL,
    predict_time REAL, error TEXT, traceback TEXT, versions TEXT, finished_at REAL NOT NULL,
    arrays BLOB,
    PRIMARY KEY (dataset, strategy, fold)
);
"""


class StoreError(Exception):
    """The file cannot be used as a results store (corrupt, foreign, or another run's plan)."""


class StoreLockedError(StoreError):
    """Another process is writing to the store."""


class SQLiteStore:
    """Results in one SQLite file, committed one by one.

    Opening a path that does not exist creates the store; opening anything that is not a
    skewlearn results store raises :class:`StoreError` and leaves the file untouched.

    Parameters
    ----------
    path : str or Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "results.sqlite"
    >>> store = SQLiteStore(path)
    >>> store.add(Result("ecoli1", "tree", 0, 0, 7, "ok", {"f1": 0.5}))
    >>> store.add(Result("ecoli1", "tree", 0, 0, 7, "ok", {"f1": 0.5}))
    >>> store.records()[["dataset", "strategy", "fold", "f1"]]
      dataset strategy  fold   f1
    0  ecoli1     tree     0  0.5
    >>> store.close()
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._check_file()
        self._connection = self._connect()

    def _check_file(self) -> None:
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; give a file path such as results.sqlite")
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with open(self.path, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
        if header != _SQLITE_HEADER:
            raise StoreError(
                f"{self.path} is not a skewlearn results store (not an SQLite file); "
                "it was left untouched: choose another --store path"
            )

    def _connect(self) -> sqlite3.Connection:
        existed = self.path.exists() and self.path.stat().st_size > 0
        if not self.path.parent.is_dir():
            raise StoreError(f"cannot create {self.path}: folder {self.path.parent} does not exist")
        # Autocommit: every statement is its own transaction unless one is opened explicitly.
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            if existed:
                self._check_contents(connection)
            connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL loses no committed row on a process kill under WAL (only on power loss).
            connection.execute("PRAGMA synchronous=NORMAL")
            if not existed:
                with _transaction(connection):
                    # executescript would commit early; one statement at a time stays atomic.
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        connection.execute(statement)
                    connection.execute(
                        "INSERT OR IGNORE INTO meta VALUES ('format', ?), ('schema_version', ?)",
                        (_FORMAT, _SCHEMA_VERSION),
                    )
        except BaseException:
            connection.close()
            raise
        return connection

    def _check_contents(self, connection: sqlite3.Connection) -> None:
        try:
            connection.execute("PRAGMA quick_check").fetchall()
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
            meta = (
                dict(connection.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
            )
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"{self.path} is damaged and cannot be read as a results store ({error}); "
                "it was left untouched: restore a copy or choose another --store path"
            ) from None
        if meta.get("format") != _FORMAT:
            raise StoreError(
                f"{self.path} is an SQLite file but not a skewlearn results store; "
                "it was left untouched: choose another --store path"
            )
        if meta.get("schema_version") != _SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by another version of skewlearn (store schema "
                f"{meta.get('schema_version')}, this version reads {_SCHEMA_VERSION})"
            )

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def writer(self) -> Iterator[SQLiteStore]:
        """Hold the store's writer lock: a second writer is refused with the holder's pid.

        The lock is an OS file lock on ``<store>.lock``, so the operating system releases it
        when the holder dies, even by SIGKILL, and a resumed run can take it at once. A writer
        that finishes removes the file, so only a killed run leaves one behind.
        """
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".lock")
        while True:
            handle = open(lock_path, "a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                handle.close()
                raise StoreLockedError(
                    f"{self.path} is being written by {holder}; wait for that run to finish "
                    "(its results will be there) or use another --store"
                ) from None
            # A finishing writer removes the file while it still holds the lock; a lock won on
            # a file removed meanwhile guards nothing, so it is taken again on the new file.
            try:
                current = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
            except FileNotFoundError:
                current = False
            if current:
                break
            handle.close()
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {time.ctime()}")
            handle.flush()
            yield self
            # Removed while still locked, so no other writer can be using this file.
            lock_path.unlink(missing_ok=True)
        finally:
            handle.close()  # closing the file releases the lock

    # -- the run's plan --------------------------------------------------------------------

    def check_config(self, config: dict[str, Any]) -> None:
        """Record the run configuration, or refuse one that differs from the stored one.

        Results of different fold plans or metric lists cannot be pooled, so a store holds
        one configuration; datasets and strategies may be added by later runs.
        """
        text = json.dumps(config, sort_keys=True)
        with _transaction(self._connection):
            row = self._connection.execute("SELECT value FROM meta WHERE key='config'").fetchone()
            if row is None:
                self._connection.execute("INSERT INTO meta VALUES ('config', ?)", (text,))
                return
        stored = json.loads(row[0])
        if stored != json.loads(text):
            differences = ", ".join(
                f"{key} {stored.get(key)!r} (this run: {config.get(key)!r})"
                for key in sorted(set(stored) | set(config))
                if stored.get(key) != config.get(key)
            )
            raise StoreError(
                f"{self.path} holds results of another configuration: {differences}; "
                "use the stored settings to resume, or another --store for a new benchmark"
            )

    def config(self) -> dict[str, Any]:
        row = self._connection.execute("SELECT value FROM meta WHERE key='config'").fetchone()
        return {} if row is None else json.loads(row[0])

    def add_datasets(self, rows: Iterable[dict[str, Any]]) -> None:
        with _transaction(self._connection):
            self._connection.executemany(
                "INSERT OR REPLACE INTO datasets VALUES "
                "(:name, :n_samples, :n_features, :n_classes, :imbalance_ratio)",
                list(rows),
            )

    def add_strategies(self, names: Iterable[tuple[str, str]]) -> None:
        """Record strategies (name, description) in first-seen order; known ones keep theirs."""
        with _transaction(self._connection):
            start = self._connection.execute("SELECT COUNT(*) FROM strategies").fetchone()[0]
            for offset, (name, description) in enumerate(names):
                self._connection.execute(
                    "INSERT OR IGNORE INTO strategies VALUES (?, ?, ?)",
                    (name, start + offset, description),
                )

    def datasets(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM datasets ORDER BY name", self._connection)

    def strategies(self) -> pd.DataFrame:
        return pd.read_sql_query("SELECT * FROM strategies ORDER BY position", self._connection)

    # -- results ---------------------------------------------------------------------------

    def add(self, result: Result) -> None:
        """Commit one result now; a result for a task already stored replaces it."""
        self._connection.execute(
            "INSERT OR REPLACE INTO results VALUES (:dataset, :strategy, :fold, :repeat, :seed, "
            ":status, :metrics, :fit_time, :predict_time, :error, :traceback, :versions, "
            ":finished_at, :arrays)",
            _row(result),
        )

    def finished(self, *, include_failed: bool = True) -> set[tuple[str, str, int]]:
        """Keys (dataset, strategy, fold) of stored tasks; failed ones only when asked."""
        query = "SELECT dataset, strategy, fold FROM results"
        if not include_failed:
            query += " WHERE status != 'failed'"
        return {tuple(row) for row in self._connection.execute(query)}

    def records(self) -> pd.DataFrame:
        """Every stored task as one row, each metric in its own column.

        Columns: dataset, strategy, repeat, fold, seed, status, one per metric, fit_time,
        predict_time, error, traceback, versions (JSON), finished_at (Unix time).
        """
        frame = pd.read_sql_query(
            "SELECT dataset, strategy, repeat, fold, seed, status, metrics, fit_time, "
            "predict_time, error, traceback, versions, finished_at FROM results "
            "ORDER BY dataset, strategy, fold",
            self._connection,
        )
        metrics = pd.DataFrame(
            [json.loads(text) for text in frame.pop("metrics")], index=frame.index, dtype=float
        )
        position = frame.columns.get_loc("status") + 1
        return pd.concat([frame.iloc[:, :position], metrics, frame.iloc[:, position:]], axis=1)

    def export(self, path: str | Path) -> Path:
        """Write :meth:`records` to CSV or Parquet, chosen by the file suffix.

        The file is written whole and then moved into place.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".parquet", ".pq"):
            raise ValueError(f"cannot export to {path.name!r}: use a .csv or .parquet file name")
        partial = path.with_name(path.name + ".partial")
        records = self.records()
        if suffix == ".csv":
            records.to_csv(partial, index=False)
        else:
            records.to_parquet(partial, index=False)
        partial.replace(path)
        return path

    def results(self, dataset: str | None = None) -> list[Result]:
        """Stored results (of ``dataset`` only, when given) with their kept predictions."""
        query = "SELECT * FROM results"
        rows = self._connection.execute(
            query
            + (" WHERE dataset = ?" if dataset is not None else "")
            + " ORDER BY dataset, strategy, fold",
            () if dataset is None else (dataset,),
        )
        return [_result(row) for row in rows]


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so two processes never both read-then-write.
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _row(result: Result) -> dict[str, Any]:
    arrays = {"test_index": result.test_index, "y_pred": result.y_pred, "y_proba": result.y_proba}
    kept = {k: v for k, v in arrays.items() if v is not None}
    return {
        "dataset": result.dataset,
        "strategy": result.strategy,
        "fold": result.fold,
        "repeat": result.repeat,
        "seed": result.seed,
        "status": result.status,
        "metrics": json.dumps(result.metrics),
        "fit_time": result.fit_time,
        "predict_time": result.predict_time,
        "error": result.error,
        "traceback": result.traceback,
        "versions": json.dumps(result.versions),
        "finished_at": time.time(),
        "arrays": _pack(kept) if kept else None,
    }


def _result(row: tuple) -> Result:
    # The columns in table order: the task's five, status, metrics, the times, the error, its
    # traceback, versions, finished_at and the packed arrays.
    identity, status, metrics = row[:5], row[5], json.loads(row[6])
    fit_time, predict_time, error, traceback, versions, _, blob = row[7:]
    return Result(
        *identity,
        status,
        metrics,
        fit_time,
        predict_time,
        error,
        traceback,
        json.loads(versions or "{}"),
        **_unpack(blob),
    )


def _pack(arrays: dict[str, np.ndarray]) -> bytes:
    # Object arrays (string labels) are stored as fixed-width text, so that reading a store
    # never unpickles anything: a results file may come from someone else.
    packed = {}
    for key, value in arrays.items():
        value = np.asarray(value)
        packed[key if value.dtype != object else key + _TEXT] = (
            value.astype(str) if value.dtype == object else value
        )
    buffer = io.BytesIO()
    np.savez(buffer, **packed)
    return buffer.getvalue()


def _unpack(blob: bytes | None) -> dict[str, np.ndarray]:
    if not blob:
        return {}
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        return {
            key.removesuffix(_TEXT): data[key].astype(object) if key.endswith(_TEXT) else data[key]
            for key in data.files
        }
