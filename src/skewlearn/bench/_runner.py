"""The benchmark loop: plan every (dataset, strategy, fold) task, skip the stored ones, run the
rest on an engine and commit each result the moment it comes back.

The calling process is the only writer: engines (local processes or a Dask cluster) return
results to it, so the store never sees two writers.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from skewlearn.bench._tasks import DEFAULT_METRICS, describe, evaluate_embedded, prepare_dataset
from skewlearn.evaluation import (
    Candidate,
    Engine,
    Result,
    SQLiteStore,
    Task,
    make_engine,
    objectives_for,
    task_seed,
)
from skewlearn.metrics import get_scorer
from skewlearn.select import Strategy, default_catalog


@dataclass(frozen=True)
class BenchRun:
    """What one call of :func:`run_bench` did."""

    planned: int
    already_done: int
    ran: int
    failed: int
    skipped: int
    elapsed: float


def resolve_datasets(spec: str | Sequence[str], *, max_n: int | None = None) -> list[str]:
    """Dataset names from suites and names, e.g. ``"keel-binary"`` or ``"ecoli1,yeast4"``.

    Parameters
    ----------
    spec : str or list of str
        Comma-separated suite names (``keel-binary``, ``keel-multiclass``) and dataset names.
    max_n : int, optional
        Keep only datasets with at most this many samples.

    Examples
    --------
    >>> resolve_datasets("keel-binary", max_n=200)[:3]
    ['appendicitis', 'cleveland-0_vs_4', 'ecoli_0_3_4_vs_5']
    """
    from skewlearn.datasets import SUITES, list_datasets
    from skewlearn.datasets._catalog import suite_name

    tokens = [t.strip() for t in (spec.split(",") if isinstance(spec, str) else spec)]
    catalog = list_datasets()
    # A name found in several suites (SATIMAGE) is kept with its suite so it loads unambiguously.
    shared = catalog["name"].duplicated(keep=False)
    catalog["key"] = catalog["name"].where(~shared, catalog["suite"] + "/" + catalog["name"])
    names: list[str] = []
    for token in filter(None, tokens):
        if token.lower() in SUITES:
            token = suite_name(token)
        if token == "regression":
            raise ValueError("the benchmark compares classification strategies: use a keel suite")
        if token in SUITES:
            rows = catalog[catalog["suite"] == token]
        else:
            from skewlearn.datasets import load_dataset

            meta = load_dataset(token).meta  # raises a clear error for an unknown name
            rows = catalog[(catalog["name"] == meta["name"]) & (catalog["suite"] == meta["suite"])]
        if max_n is not None:
            rows = rows[rows["n_samples"] <= max_n]
        names.extend(n for n in rows["key"] if n not in names)
    if not names:
        raise ValueError(f"no dataset matches {spec!r}" + (f" with n <= {max_n}" if max_n else ""))
    return names


def resolve_strategies(spec: str | Sequence[str | Candidate]) -> list[Candidate]:
    """Strategies from ``"catalog"``, comma-separated specs, or strategy objects.

    Examples
    --------
    >>> [s.name for s in resolve_strategies("tree,tree+smote")]
    ['tree', 'tree+smote']
    """
    if isinstance(spec, str):
        if spec.strip() == "catalog":
            return list(default_catalog())
        spec = [t for t in (part.strip() for part in spec.split(",")) if t]
    strategies = [Strategy.parse(s) if isinstance(s, str) else s for s in spec]
    names = [s.name for s in strategies]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"strategies named twice: {', '.join(repeated)}")
    if not strategies:
        raise ValueError("no strategy given: pass specs such as 'tree,tree+smote' or 'catalog'")
    return strategies


def plan_tasks(
    datasets: Sequence[str],
    strategies: Sequence[Candidate],
    *,
    cv: int = 5,
    repeats: int = 2,
    seed: int = 0,
    metrics: Sequence[str] = DEFAULT_METRICS,
) -> list[Task]:
    """Every (dataset, strategy, fold) task, dataset by dataset, in a fixed order.

    Seeds come from :func:`skewlearn.evaluation.task_seed`, so they depend on the run seed, the
    strategy and the fold only, never on the engine or on which tasks were already done.
    Binary-only metrics are left out on multiclass datasets.
    """
    tasks = []
    for name in datasets:
        data = prepare_dataset(name, cv, repeats, seed)
        objectives = objectives_for(metrics, data.classes, data.y)
        for strategy in strategies:
            for fold in data.folds:
                tasks.append(
                    Task(
                        name,
                        strategy,
                        fold.index,
                        fold.repeat,
                        task_seed(seed, strategy, fold),
                        objectives,
                    )
                )
    return tasks


def _dataset_row(name: str, cv: int, repeats: int, seed: int) -> dict:
    data = prepare_dataset(name, cv, repeats, seed)
    counts = np.array(list(data.info.class_counts.values()))
    return {
        "name": name,
        "n_samples": data.info.n_samples,
        "n_features": data.X.shape[1],
        "n_classes": len(counts),
        "imbalance_ratio": float(counts.max() / counts.min()),
    }


def run_bench(
    store: SQLiteStore,
    datasets: str | Sequence[str],
    strategies: str | Sequence[str | Candidate] = "catalog",
    *,
    cv: int = 5,
    repeats: int = 2,
    seed: int = 0,
    metrics: Sequence[str] = DEFAULT_METRICS,
    engine: str | Engine = "local",
    n_jobs: int | None = 1,
    scheduler: str | None = None,
    max_n: int | None = None,
    retry_failed: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> BenchRun:
    """Run strategies x datasets x folds into ``store``, resuming where it stopped.

    Tasks already in the store are skipped (failed ones too, unless ``retry_failed``). The
    store's writer lock is held for the whole run, so a second run on the same store is
    refused with a clear :class:`StoreLockedError`.

    Parameters
    ----------
    store : SQLiteStore
    datasets : str or list of str
        Suites and dataset names, see :func:`resolve_datasets`.
    strategies : str or list, default="catalog"
        ``"catalog"``, comma-separated specs, or strategy objects (:class:`Recipe`).
    cv, repeats, seed : int
        The evaluation plan: ``repeats`` x stratified ``cv``-fold, seeded by ``seed``.
    metrics : list of str
        Metric names of :mod:`skewlearn.metrics`; tuned-threshold strategies optimise the
        first (or F1 when the first is a score such as average precision).
    engine : "local", "dask" or an engine
        ``"dask"`` connects to ``scheduler`` or starts a local cluster.
    on_start : callable, optional
        Called once with (tasks to run, tasks already done).
    on_result : callable, optional
        Called with every result after it is committed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "results.sqlite"
    >>> with SQLiteStore(path) as store:
    ...     run = run_bench(store, "ecoli1", "tree", cv=3, repeats=1, metrics=["f1"])
    >>> run.planned, run.ran, run.failed
    (3, 3, 0)
    """
    start = time.perf_counter()
    for metric in metrics:
        get_scorer(metric)  # an unknown name fails now, not in every task
    names = resolve_datasets(datasets, max_n=max_n)
    chosen = resolve_strategies(strategies)
    with store.writer():
        store.check_config({"cv": cv, "repeats": repeats, "seed": seed, "metrics": list(metrics)})
        store.add_strategies((s.name, describe(s)) for s in chosen)
        store.add_datasets(_dataset_row(name, cv, repeats, seed) for name in names)
        tasks = plan_tasks(names, chosen, cv=cv, repeats=repeats, seed=seed, metrics=metrics)
        return run_tasks(
            store,
            tasks,
            functools.partial(evaluate_embedded, (cv, repeats, seed)),
            engine=engine,
            n_jobs=n_jobs,
            scheduler=scheduler,
            retry_failed=retry_failed,
            on_start=on_start,
            on_result=on_result,
            start=start,
        )


def run_tasks(
    store: SQLiteStore,
    tasks: Sequence[Task],
    work: Callable[[Task], Result],
    *,
    engine: str | Engine = "local",
    n_jobs: int | None = 1,
    scheduler: str | None = None,
    retry_failed: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[Result], None] | None = None,
    start: float | None = None,
) -> BenchRun:
    """Run ``work`` on the tasks ``store`` has no result for, committing each as it arrives.

    The caller holds the store's writer lock and has checked its config. Shared by
    :func:`run_bench` and the active-learning simulations (``skewlearn.app``).
    """
    start = time.perf_counter() if start is None else start
    done = store.finished(include_failed=not retry_failed)
    pending = [task for task in tasks if task.key not in done]
    if on_start is not None:
        on_start(len(pending), len(tasks) - len(pending))
    counts = {"ok": 0, "failed": 0, "skipped": 0}
    if pending:
        runner = make_engine(engine, n_jobs=n_jobs, scheduler=scheduler)
        try:
            for result in runner.map_unordered(work, pending):
                store.add(result)
                counts[result.status] += 1
                if on_result is not None:
                    on_result(result)
        finally:
            if runner is not engine:
                runner.close()
    return BenchRun(
        planned=len(tasks),
        already_done=len(tasks) - len(pending),
        ran=len(pending),
        failed=counts["failed"],
        skipped=counts["skipped"],
        elapsed=time.perf_counter() - start,
    )
