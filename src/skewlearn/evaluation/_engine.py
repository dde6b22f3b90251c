"""Where independent fits run: one small interface, a local and a Dask implementation.

An engine takes a picklable function and an iterable of tasks and yields the results as they
finish, in any order. Results must therefore identify their own task. Randomness never depends
on the engine: every task carries its own seed.

Two promises make a time budget a wall-clock limit:

- tasks are drawn from the iterable only when a worker is free, so the caller decides at that
  moment whether the next fit is still affordable;
- at the ``deadline`` (a :func:`time.monotonic` value) the engine stops waiting: fits still
  running in local worker processes are killed, Dask futures are cancelled, and the iteration
  ends. The caller sees which tasks it handed out and which came back.

Data every task needs (``shared``) is sent to each worker once, not pickled with every task.
Local workers read it from a file: passed to a starting worker directly, it would be written into
the worker's start-up pipe, and the caller would wait for the new process to boot (seconds on a busy
machine) outside any deadline.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

_END = object()


class Engine(Protocol):
    """Runs ``fn(task)`` (or ``fn(shared, task)``) for every task, yielding results as they finish."""

    def run(
        self,
        fn: Callable[..., Any],
        tasks: Iterable[Any],
        *,
        shared: Any = None,
        deadline: float | None = None,
        failed: Callable[[Any, str], Any] | None = None,
    ) -> Iterator[Any]: ...

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...


def _call(fn: Callable[..., Any], shared: Any, task: Any) -> Any:
    return fn(task) if shared is None else fn(shared, task)


# The worker's copy of the shared data, installed once per process by the pool's initializer.
_WORKER_SHARED: dict[str, Any] = {}


def _install_shared(path: str) -> None:
    import joblib

    _WORKER_SHARED["data"] = joblib.load(path)


def _remove_file(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _call_in_worker(fn: Callable[..., Any], has_shared: bool, task: Any) -> Any:
    return _call(fn, _WORKER_SHARED["data"] if has_shared else None, task)


def _error_text(error: BaseException) -> str:
    return traceback.format_exception_only(type(error), error)[-1].strip()


class LocalEngine:
    """Run tasks in this process (``n_jobs=1`` and no deadline) or in worker processes.

    Worker processes are a ``loky`` pool (robust to a worker that dies, and killable): with a
    deadline even ``n_jobs=1`` runs its fits in one worker process, so that a fit still running
    when the budget ends can be stopped.

    Parameters
    ----------
    n_jobs : int or None, default=1
        Worker processes; -1 uses every core, None means 1.

    Examples
    --------
    >>> engine = LocalEngine(n_jobs=1)
    >>> sorted(engine.map_unordered(abs, [-2, 1, -3]))
    [1, 2, 3]
    """

    def __init__(self, n_jobs: int | None = 1):
        self.n_jobs = n_jobs
        self._pool = None
        self._pool_shared = None
        self._shared_file = None

    @property
    def n_workers(self) -> int:
        if self.n_jobs is None:
            return 1
        if self.n_jobs == 0:
            raise ValueError(
                "n_jobs=0 runs nothing: use 1, a number of processes, or -1 (every core)"
            )
        cores = os.cpu_count() or 1
        return max(1, cores + 1 + self.n_jobs) if self.n_jobs < 0 else self.n_jobs

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """``fn(task)`` for every task, results in the order they finish."""
        return self.run(fn, tasks)

    def run(self, fn, tasks, *, shared=None, deadline=None, failed=None) -> Iterator[Any]:
        """See the module docstring; ``failed(task, text)`` makes a result for a dead worker."""
        if self.n_workers == 1 and deadline is None:
            for task in tasks:
                yield _call(fn, shared, task)
            return
        yield from self._run_in_pool(fn, iter(tasks), shared, deadline, failed)

    def _pool_for(self, shared: Any):
        """A worker pool holding ``shared``; kept between runs on the same shared data."""
        import joblib
        from loky import ProcessPoolExecutor

        if self._pool is None or self._pool_shared is not shared:
            self.close()
            handle, self._shared_file = tempfile.mkstemp(prefix="skewlearn-shared-", suffix=".pkl")
            os.close(handle)
            joblib.dump(shared, self._shared_file)
            self._pool = ProcessPoolExecutor(
                self.n_workers, initializer=_install_shared, initargs=(self._shared_file,)
            )
            # An engine never closed still leaves no file behind when its pool goes or at exit.
            weakref.finalize(self._pool, _remove_file, self._shared_file)
            self._pool_shared = shared
        return self._pool

    def _run_in_pool(self, fn, tasks, shared, deadline, failed) -> Iterator[Any]:
        from loky import FIRST_COMPLETED, BrokenProcessPool, wait

        pool = self._pool_for(shared)
        pending: dict[Any, Any] = {}
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < self.n_workers:
                    task = next(tasks, _END)
                    if task is _END:
                        exhausted = True
                    else:
                        future = pool.submit(_call_in_worker, fn, shared is not None, task)
                        pending[future] = task
                if not pending:
                    return
                timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
                done, _ = wait(list(pending), timeout=timeout, return_when=FIRST_COMPLETED)
                if not done:
                    return  # the deadline passed with fits still running; finally kills them
                broken = False
                for future in done:
                    task = pending.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool as error:
                        if failed is None:
                            raise
                        broken = True
                        result = failed(task, f"the worker process died ({_error_text(error)})")
                    yield result
                if broken:
                    self.close()
                    pool = self._pool_for(shared)
        finally:
            if pending:  # fits still running at the deadline, or the caller stopped early
                self.close(kill=True)

    def close(self, kill: bool = False) -> None:
        """Shut down the worker pool, killing fits still running when ``kill``."""
        if self._pool is not None:
            self._pool.shutdown(wait=not kill, kill_workers=kill)
        if self._shared_file is not None:
            # Workers that are still starting have read it or been killed: shutdown waits for
            # them, or kills them, before it returns.
            _remove_file(self._shared_file)
        self._pool = self._pool_shared = self._shared_file = None


class DaskEngine:
    """Submit tasks to a Dask ``distributed`` scheduler.

    The shared data is scattered to every worker once. A fit that is running when the deadline
    passes is cancelled; Dask cannot interrupt a running Python function, so its worker thread
    may finish the fit in the background, but the caller no longer waits for it.

    Parameters
    ----------
    scheduler : str or distributed.Client, optional
        Address of a running scheduler (``tcp://host:8786``) or a client. When omitted, a
        ``LocalCluster`` of process workers is started and closed with the engine.
    n_workers : int, default=2
        Workers of the local cluster (ignored when ``scheduler`` is given).
    """

    def __init__(self, scheduler: Any = None, *, n_workers: int = 2):
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:
            raise ImportError(
                "the dask engine needs the 'dask' extra: pip install 'skewlearn[dask]'"
            ) from error
        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = Client(self._cluster)
        elif isinstance(scheduler, str):
            self.client = Client(scheduler)
        else:
            self.client = scheduler
        self._owns_client = not isinstance(scheduler, Client)
        self._shared = self._data = None

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """``fn(task)`` for every task, results in the order they finish."""
        return self.run(fn, tasks)

    def run(self, fn, tasks, *, shared=None, deadline=None, failed=None) -> Iterator[Any]:
        """See the module docstring; ``failed(task, text)`` makes a result for a lost task."""
        from distributed import wait

        slots = max(1, sum(self.client.nthreads().values()))
        data = None if shared is None else self._scattered(shared)
        tasks = iter(tasks)
        pending: dict[Any, Any] = {}
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < slots:
                    task = next(tasks, _END)
                    if task is _END:
                        exhausted = True
                    else:
                        future = self.client.submit(_call, fn, data, task, pure=False)
                        pending[future] = task
                if not pending:
                    return
                timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
                try:
                    done = wait(list(pending), timeout=timeout, return_when="FIRST_COMPLETED").done
                except TimeoutError:
                    return
                for future in done:
                    task = pending.pop(future)
                    if future.status == "error" and failed is not None:
                        yield failed(task, _error_text(future.exception()))
                    else:
                        yield future.result()
        finally:
            if pending:
                self.client.cancel(list(pending))

    def _scattered(self, shared: Any):
        """``shared`` on every worker, scattered once and kept while runs share it.

        A run's future must outlive the run: released, the data would be forgotten by the
        cluster while the next run's tasks still need it.
        """
        if self._shared is not shared:
            self._data = self.client.scatter(shared, broadcast=True, hash=False)
            self._shared = shared
        return self._data

    def close(self) -> None:
        """Close the client and the local cluster this engine started, if any."""
        self._shared = self._data = None
        if self._owns_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def make_engine(
    engine: str | Engine = "local", *, n_jobs: int | None = 1, scheduler=None
) -> Engine:
    """An engine from its name (``"local"`` or ``"dask"``) or an engine object passed through."""
    if not isinstance(engine, str):
        return engine
    if engine == "local":
        return LocalEngine(n_jobs=n_jobs)
    if engine == "dask":
        return DaskEngine(scheduler)
    raise ValueError(f"unknown engine {engine!r}; use 'local' or 'dask'")
