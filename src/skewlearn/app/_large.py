"""``compare`` on a table larger than memory: profile, sample, select, refit on Dask.

The table is a Parquet file or folder, or a CSV read in blocks (:func:`read_lazy`).

The table stays in partitions on the Dask workers. Each step sees the rows it can afford:

1. the profile (size, classes, column kinds, missing values) counts all rows, partition by
   partition;
2. selection races the strategies on a stratified sample sized to the budget
   (:meth:`LargeTableRules.sample_rows`): each class keeps all its rows up to an equal share
   of the sample, larger classes are drawn down to theirs. In the fold scores (and the
   scores a tuned threshold optimises) each row counts 1 / its class's sampling rate
   (``AutoBalancedClassifier(score_class_weight=...)``), so F1 and AP estimate those of the
   full table's class prior; the fits themselves are unweighted;
3. the winner is refitted on all rows on the cluster when it has a Dask path
   (:func:`~skewlearn.app._refit_dask.has_dask_path`), else on the largest stratified
   sample the budget allows, drawn at the selection sample's class ratio; a tuned
   threshold or prior correction is kept as fitted on the selection sample.

A time budget runs from the start: the profile and the sample spend from it, the race gets
the rest, the refit comes after it. With ``refit="auto"`` (the default) the refit on all
rows is made when its projected time
(:func:`~skewlearn.app._refit_dask.projected_refit_seconds`) is within the time budget,
else the refit is on the largest sample projected within it, so a run takes at most about
twice its budget; ``"all"`` refits on all rows (or the largest sample the table and
:attr:`LargeTableRules.max_sample_rows` allow) whatever the projection, ``"sample"``
keeps the refit on the selection sample.

The report says which rows each step saw.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone

from skewlearn._versions import package_versions
from skewlearn.app._compare import (
    CompareOutputs,
    _report,
    check_output_folder,
    checked_selector,
    describe_decision_rule,
    race,
    staged_output,
    write_run,
)
from skewlearn.app._persist import TrainedModel, training_categories
from skewlearn.app._refit_dask import (
    factor_within,
    has_dask_path,
    projected_refit_seconds,
    refit_keeping_rule,
    refit_on_dask,
    scaled_fit_seconds,
)
from skewlearn.app._sample import StratifiedSample, draw_stratified, sample_sizes
from skewlearn.datasets import DataError, read_parquet_lazy
from skewlearn.datasets._lazy_csv import read_csv_lazy
from skewlearn.datasets._lazy_profile import profile_lazy
from skewlearn.datasets._table import _table_name
from skewlearn.evaluation import Result
from skewlearn.select import AutoBalancedClassifier
from skewlearn.select._schema import TableSchema
from skewlearn.select._selector import Budget

_PARQUET_SUFFIXES = (".parquet", ".pq")
_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
_SIZE_UNITS = {"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12}


@dataclass(frozen=True)
class LargeTableRules:
    """When a table is larger than memory, and how many rows selection samples from it.

    memory_limit : int
        Bytes. A Parquet file whose rows x columns x 8 (its size as float64 in memory), or
        a CSV whose size on disk, exceeds it takes the larger-than-memory path (a folder of
        Parquet files always does). 1 GiB by default: the in-memory compare holds a few
        copies of the table at once (the table, its conformed copy, the fold tasks).
    rows_per_budget_second, min_sample_rows, max_sample_rows, default_sample_rows : int
        The selection sample: ``rows_per_budget_second`` rows per second of a time
        budget, clipped to ``[min_sample_rows, max_sample_rows]``; ``default_sample_rows``
        without a time budget (none, or a number of fits). One fold of every default
        strategy costs about 0.012 CPU seconds per sample row (the forests and spe most), so
        50 rows a second gives each about three folds on 2 cores
        (``benchmarks/results/compare-large.md``).

    Examples
    --------
    >>> rules = LargeTableRules()
    >>> rules.sample_rows("2m"), rules.sample_rows("10m"), rules.sample_rows(None)
    (20000, 30000, 100000)
    >>> LargeTableRules.with_limit("50MB").memory_limit
    50000000
    """

    memory_limit: int = 1 << 30
    rows_per_budget_second: int = 50
    min_sample_rows: int = 20_000
    max_sample_rows: int = 1_000_000
    default_sample_rows: int = 100_000

    def sample_rows(self, budget: str | float | None) -> int:
        """Rows of the selection sample for ``budget`` (a time, a number of fits or None)."""
        seconds = Budget.parse(budget).seconds
        if seconds is None:
            return self.default_sample_rows
        rows = int(seconds * self.rows_per_budget_second)
        return min(max(rows, self.min_sample_rows), self.max_sample_rows)

    @classmethod
    def with_limit(cls, limit: int | str | None) -> LargeTableRules:
        """The default rules with ``memory_limit`` set to ``limit`` (bytes, or '500MB')."""
        rules = cls()
        return rules if limit is None else replace(rules, memory_limit=parse_size(limit))


def parse_size(size: int | str) -> int:
    """Bytes from an int or a text such as '500MB', '2GB' (powers of 1000).

    Examples
    --------
    >>> parse_size("2.5 GB"), parse_size(4096)
    (2500000000, 4096)
    """
    if isinstance(size, int) and size >= 0:
        return size
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", str(size).lower())
    if not match or match.group(2) not in _SIZE_UNITS:
        raise ValueError(f"cannot read size {size!r}: give bytes (4096) or '500MB', '2GB'")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2)])


def _parquet_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in _PARQUET_SUFFIXES)
    return [path] if path.suffix.lower() in _PARQUET_SUFFIXES else []


def _is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _gzip_size(path: Path) -> int:
    """A gzip file's size once unpacked: its trailer's count, which wraps at 4 GiB, so at least
    four times the packed size (what CSV text usually packs to)."""
    with path.open("rb") as handle:
        handle.seek(-4, os.SEEK_END)
        unpacked = int.from_bytes(handle.read(4), "little")
    return max(unpacked, 4 * path.stat().st_size)


def _is_csv(path: Path) -> bool:
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    return path.is_file() and bool(set(suffixes) & _CSV_SUFFIXES)


def estimated_memory(path: str | Path) -> int | None:
    """Bytes a table would take in memory: rows x columns x 8 for Parquet, its size on disk
    for a CSV (about what its numbers take as float64; unpacked, for a gzipped one); None for
    anything else.

    Parquet sizes are read from the files' footers: no rows are read.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if _is_csv(path):
        return _gzip_size(path) if _is_gzip(path) else path.stat().st_size
    files = _parquet_files(path)
    if not files:
        return None
    total = 0
    for file in files:
        try:
            meta = pq.read_metadata(file)
        except (OSError, ValueError):
            return None  # not readable as Parquet: the ordinary loader says why
        total += meta.num_rows * meta.num_columns * 8
    return total


def reads_lazily(path: str | Path, rules: LargeTableRules = LargeTableRules()) -> bool:
    """Whether ``compare`` takes the larger-than-memory path for ``path``.

    It does for a Parquet or CSV file whose size in memory (:func:`estimated_memory`) is
    above ``rules.memory_limit``, and for a folder of Parquet files (a partitioned table)
    of any size: it is read partition by partition either way.
    """
    size = estimated_memory(path)
    if size is None:
        return False
    return Path(path).is_dir() or size > rules.memory_limit


def read_lazy(path: str | Path, target: str | None = None):
    """Dask ``(X, y)`` of a Parquet file or folder, or of a CSV read in blocks."""
    if _is_csv(Path(path)):
        if _is_gzip(Path(path)):
            raise DataError(
                f"{path} is a gzipped CSV too large for memory, and gzip cannot be read in "
                "blocks: decompress it (gunzip) or convert it to Parquet, then run again"
            )
        return read_csv_lazy(path, target)
    return read_parquet_lazy(path, target)


@contextmanager
def _dask_client(scheduler: str | None, n_jobs: int) -> Iterator:
    """A client of the cluster at ``scheduler``, or of a LocalCluster started (and closed) here."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ImportError(
            "a table larger than memory needs the 'dask' extra: pip install 'skewlearn[dask]'"
        ) from error
    if scheduler is not None:
        client = Client(scheduler, set_as_default=False)
        try:
            yield client
        finally:
            client.close()
        return
    workers = (os.cpu_count() or 1) if n_jobs is None or n_jobs < 0 else n_jobs
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def _budget_left(budget: str | float | None, spent: float) -> Budget:
    """``budget`` less the ``spent`` seconds, for its time part (a number of fits is kept).

    Examples
    --------
    >>> _budget_left("10m", 45.0)
    Budget(seconds=555.0, fits=None)
    >>> _budget_left("1m", 90.0), _budget_left("200 fits", 90.0)
    (Budget(seconds=0.0, fits=None), Budget(seconds=None, fits=200))
    """
    total = Budget.parse(budget)
    if total.seconds is None:
        return total
    return replace(total, seconds=max(total.seconds - spent, 0.0))


def _rows_seen(
    n_rows: int,
    n_partitions: int,
    sample: StratifiedSample,
    refit: str,
    spent: float,
    race_budget: Budget,
) -> list[tuple[str, str]]:
    classes = ", ".join(
        f"{label}: {sample.drawn[label]:,} of {sample.population[label]:,} "
        f"({sample.rates[label]:.2%})"
        for label in sample.population.index
    )
    weights = (
        "fold scores weigh each row by 1 / its class's rate, so they estimate the full "
        "table's class prior (fits unweighted)"
    )
    profile = (
        f"all {n_rows:,} rows, counted partition by partition ({n_partitions} partitions); "
        f"starting the cluster, the profile and drawing the sample took {spent:.0f} s"
    )
    selection = f"a stratified sample of {len(sample.y):,} rows ({classes}); {weights}"
    if race_budget.seconds is not None:
        selection += (
            f"; the race had the {race_budget.seconds:.0f} s of the time budget left after "
            "them (the refit comes after the budget)"
        )
    return [("profile", profile), ("selection", selection), ("refit", refit)]


REFIT_CHOICES = ("auto", "all", "sample")
# A refit on a larger sample is made when it would be at least this many times the size.
MIN_LARGER_SAMPLE = 2.0


@dataclass(frozen=True)
class _RefitPlan:
    """Where the winner is refitted, and why, in words for the report.

    ``sizes`` (rows per class) is set when it is refitted on a sample larger than the
    selection sample.
    """

    on_dask: bool
    projected_seconds: float | None
    why: str
    sizes: pd.Series | None = None


def _plan_refit(
    selector: AutoBalancedClassifier,
    refit: str,
    budget: Budget,
    sample: StratifiedSample,
    n_rows: int,
    pass_seconds: float,
    max_rows: int,
) -> _RefitPlan:
    strategy = selector.best_strategy_
    # --refit all: the largest sample is bounded by the table and the cap, not the time.
    within = budget if refit == "auto" else Budget.parse(None)
    if refit == "sample":
        return _RefitPlan(
            False, None, f"the selection sample ({len(sample.y):,} rows), as --refit sample asks"
        )
    if not has_dask_path(strategy):
        why_not = (
            f"{strategy.name} has no Dask path (those are spe, underbag, easy and a learner "
            "with rus)"
        )
        return _plan_larger_sample(selector, within, sample, pass_seconds, max_rows, why_not)
    projected = projected_refit_seconds(
        strategy,
        selector.best_estimator_,
        selector.refit_time_,
        sample.drawn,
        sample.population,
        pass_seconds,
    )
    estimate = f"projected at about {projected / 60:.1f} min"
    if refit == "auto" and budget.seconds is not None and projected > budget.seconds:
        why_not = (
            f"refitting {strategy.name} on all {n_rows:,} rows was {estimate}, more than the "
            f"time budget of {budget.seconds / 60:.1f} min (--refit all refits on every row "
            "whatever the projection)"
        )
        return _plan_larger_sample(selector, within, sample, pass_seconds, max_rows, why_not)
    rule = (
        ""
        if strategy.decision == "default"
        else f"; its decision rule ({strategy.decision}) is the one fitted on the sample"
    )
    return _RefitPlan(
        True,
        projected,
        f"all {n_rows:,} rows, on the Dask cluster (each member fitted on rows drawn from the "
        f"whole table; {estimate}){rule}",
    )


def _plan_larger_sample(
    selector: AutoBalancedClassifier,
    budget: Budget,
    sample: StratifiedSample,
    pass_seconds: float,
    max_rows: int,
    why_not: str,
) -> _RefitPlan:
    """The largest sample the budget allows, for a winner not refitted on all rows.

    Every class is drawn ``factor`` times as often as in the selection sample, so the class
    ratio the winner was tuned at (its threshold or prior correction) holds. The factor is
    the smallest of: the table's rows of a class over its drawn rows, ``max_rows`` over the
    sample's rows, and (with a time budget) the factor whose refit is projected within it,
    as :func:`~skewlearn.app._refit_dask.projected_refit_seconds` scales fits.
    """
    drawn = sample.drawn[sample.drawn > 0]
    on_sample = f"the selection sample ({len(sample.y):,} rows)"
    factor, limit = float((sample.population[drawn.index] / drawn).min()), "the table's rows"
    if max_rows / drawn.sum() < factor:
        factor, limit = max_rows / drawn.sum(), f"the cap of {max_rows:,} sample rows"
    if budget.seconds is not None:
        within = factor_within(selector.refit_time_, budget.seconds - pass_seconds)
        if within < factor:
            factor, limit = within, "the time budget"
    if factor < MIN_LARGER_SAMPLE:
        return _RefitPlan(
            False, None, f"{on_sample}: {why_not}; no sample twice its size fits within {limit}"
        )
    sizes = (drawn * factor).astype("int64").reindex(sample.population.index, fill_value=0)
    projected = scaled_fit_seconds(selector.refit_time_, factor) + pass_seconds
    return _RefitPlan(
        False,
        projected,
        f"a stratified sample of {sizes.sum():,} rows ({factor:.1f}x the selection sample, "
        f"at its class ratio; the largest within {limit}, projected at about "
        f"{projected / 60:.1f} min): {why_not}",
        sizes,
    )


def _refit_on_rows(fitted, X: pd.DataFrame, y: np.ndarray):
    """``fitted`` refitted on ``X, y``; a decision rule is kept as fitted on the selection
    sample (the rows are drawn at its class ratio, so the rule holds)."""
    return refit_keeping_rule(fitted, lambda model: clone(model).fit(X, y))


def run_compare_large(
    path: str | Path,
    out: str | Path,
    *,
    target: str | None = None,
    metric: str = "f1",
    budget: str | float | None = None,
    cv: int = 5,
    strategies: str | Sequence[str] = "default",
    engine: str = "dask",
    scheduler: str | None = None,
    n_jobs: int = 1,
    seed: int = 0,
    command: str = "",
    on_result: Callable[[Result], None] | None = None,
    force: bool = False,
    store: str | Path | None = None,
    rules: LargeTableRules = LargeTableRules(),
    sample_rows: int | None = None,
    refit: str = "auto",
) -> CompareOutputs:
    """:func:`~skewlearn.app.run_compare` on a Parquet table or CSV larger than memory.

    The steps are in the module docstring. ``scheduler`` is a Dask scheduler address; by
    default a LocalCluster of ``n_jobs`` single-thread worker processes (every core for -1)
    is started and closed. ``engine`` runs the selection's fits: "dask" on the same cluster,
    "local" in processes of this machine. A time budget is wall-clock time from the call:
    starting the cluster, the profile and the sample spend from it, the race gets the rest
    (at least one fit), and the refit on all rows comes after it: ``refit`` ("auto", "all"
    or "sample") says when it is made (module docstring). ``sample_rows`` sets the size of
    the selection sample (default: from the budget, see :meth:`LargeTableRules.sample_rows`).
    Output is written as :func:`run_compare` writes it.
    """
    started = time.monotonic()
    out = check_output_folder(out, force)
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', got {engine!r}")
    if refit not in REFIT_CHOICES:
        raise ValueError(f"refit must be one of {', '.join(REFIT_CHOICES)}; got {refit!r}")
    if sample_rows is None:
        sample_rows = rules.sample_rows(budget)
    elif sample_rows < 100:
        raise ValueError(
            f"sample_rows={sample_rows} is too few rows to select a strategy on; pass 100 or "
            "more (a few thousand for a stable choice), or leave it out (the budget sets it)"
        )
    selector = checked_selector(
        store,
        strategies=strategies,
        metric=metric,
        cv=cv,
        budget=budget,
        n_jobs=n_jobs,
        random_state=seed,
        on_result=on_result,
    )
    X, y = read_lazy(path, target)
    name = _table_name(path)
    with _dask_client(scheduler, n_jobs) as client, client.as_current():
        profile_started = time.monotonic()
        found = profile_lazy(X, y, name)
        # One read of every partition: what each pass of a Dask refit is projected to take.
        pass_seconds = time.monotonic() - profile_started
        X = X.drop(columns=list(found.dropped))
        sizes = sample_sizes(found.profile.class_counts, sample_rows)
        sample = draw_stratified(X, y, found.partition_counts, sizes, seed)
        schema = TableSchema.from_frame(sample.X)
        X_sample = schema.conform(sample.X)
        y_sample = sample.y.to_numpy()
        # The budget is wall-clock time from the start: the race gets what the cluster,
        # the profile and the sample left of it.
        spent = time.monotonic() - started
        race_budget = _budget_left(budget, spent)
        # Fold scores (not fits) count each row 1 / its class's sampling rate.
        selector.set_params(score_class_weight=sample.weights, budget=race_budget)
        with staged_output(out) as staging:
            race_started = time.monotonic()
            race(selector, X_sample, y_sample, engine=engine, scheduler=client)
            refit_started = time.monotonic()
            strategy = selector.best_strategy_
            plan = _plan_refit(
                selector,
                refit,
                Budget.parse(budget),
                sample,
                found.profile.n_samples,
                pass_seconds,
                rules.max_sample_rows,
            )
            X_refit = X_sample
            if plan.on_dask:
                model = refit_on_dask(strategy, selector.best_estimator_, X, y, schema, seed)
            elif plan.sizes is not None:
                larger = draw_stratified(X, y, found.partition_counts, plan.sizes, seed)
                X_refit = schema.conform(larger.X)
                model = _refit_on_rows(selector.best_estimator_, X_refit, larger.y.to_numpy())
            else:
                model = selector.best_estimator_
            seconds = {
                "profile and sample": spent,
                "race": refit_started - race_started - selector.refit_time_,
                # The winner's refit on the selection sample, then on more rows where it is.
                "refit": time.monotonic() - refit_started + selector.refit_time_,
            }
            rows_seen = _rows_seen(
                found.profile.n_samples, X.npartitions, sample, plan.why, spent, race_budget
            )
            versions = package_versions()
            rule = describe_decision_rule(model)
            trained = TrainedModel(
                model,
                schema,
                [str(y.name), *found.dropped],
                strategy.name,
                metric,
                rule,
                versions,
                categories=training_categories(X_refit),
            )
            report = _report(
                name, found.profile, selector, metric, y_sample, command, versions, rule
            )
            report.budget = budget
            report.rows_seen = rows_seen
            report.coverage = f"the selection sample, at its own class prior ({report.coverage})"
            report.difficulty_error = (
                "the table was read partition by partition, not into memory; run skewlearn "
                "diagnose on a sample of it"
            )
            write_run(staging, selector.leaderboard_, trained, report)
    return CompareOutputs(
        out / "report.html",
        out / "model.skops",
        out / "leaderboard.csv",
        selector,
        report.warnings,
        rows_seen,
        {step: round(value, 1) for step, value in seconds.items()},
        None if plan.projected_seconds is None else round(plan.projected_seconds, 1),
    )
