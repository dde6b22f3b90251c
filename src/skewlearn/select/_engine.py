"""Where independent fits run: one small interface, a local and a Dask implementation.

An engine takes a picklable function and an iterable of tasks and yields the results as they
finish, in any order. Results must therefore identify their own task. Randomness never depends
on the engine: every task carries its own seed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol


class Engine(Protocol):
    """Runs ``fn(task)`` for every task and yields the results as they finish."""

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]: ...

    def close(self) -> None: ...


class LocalEngine:
    """Run tasks in this process (``n_jobs=1``) or in joblib worker processes.

    Examples
    --------
    >>> engine = LocalEngine(n_jobs=1)
    >>> sorted(engine.map_unordered(abs, [-2, 1, -3]))
    [1, 2, 3]
    """

    def __init__(self, n_jobs: int | None = 1):
        self.n_jobs = n_jobs

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        tasks = list(tasks)
        if self.n_jobs in (None, 1) or len(tasks) <= 1:
            yield from map(fn, tasks)
            return
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=self.n_jobs, return_as="generator_unordered")
        yield from parallel(delayed(fn)(task) for task in tasks)

    def close(self) -> None:
        """Nothing to release: joblib manages its own worker pool."""


class DaskEngine:
    """Submit tasks to a Dask ``distributed`` scheduler.

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

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        futures = self.client.map(fn, list(tasks), pure=False)
        for future in as_completed(futures):
            yield future.result()

    def close(self) -> None:
        """Close the client and the local cluster this engine started, if any."""
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
