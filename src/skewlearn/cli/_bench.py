"""The ``skewlearn bench`` commands: ``run``, ``report`` and ``export``.

Bad input and unusable stores end with one clear line on stderr and exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skewlearn.cli import (
    EngineOption,
    MaxNOption,
    NJobsOption,
    SchedulerOption,
    StoreOption,
    _check_engine,
    _fail,
    _metric_names,
    app,
    console,
)

bench_app = typer.Typer(
    name="bench",
    help="Benchmark strategies over dataset suites: run, report, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help: no '<bool>' after flags, defaults wrapped rather than cut.
    rich_markup_mode=None,
)


def _open(path: Path):
    from skewlearn.evaluation import SQLiteStore, StoreError

    try:
        return SQLiteStore(path)
    except StoreError as error:
        raise _fail(error) from None


@bench_app.command()
def run(
    store: StoreOption,  # no default: required
    suite: Annotated[
        str,
        typer.Option(help="keel-binary, keel-multiclass, or comma-separated dataset names."),
    ] = "keel-binary",
    strategies: Annotated[
        str, typer.Option(help="'catalog' or comma-separated specs such as 'tree,tree+smote'.")
    ] = "catalog",
    cv: Annotated[int, typer.Option(help="Folds per repeat.")] = 5,
    repeats: Annotated[int, typer.Option(help="Repeats of the stratified K-fold split.")] = 2,
    seed: Annotated[int, typer.Option(help="Seeds folds and strategies.")] = 0,
    metrics: Annotated[
        str,
        typer.Option(
            help="Comma-separated metric names (any case); a cost keeps its own commas: "
            "'f1,cost:FN=5,FP=1'."
        ),
    ] = "average_precision,f1,balanced_accuracy,mcc,gmean",
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    n_jobs: NJobsOption = 1,
    max_n: MaxNOption = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run failed tasks again.")
    ] = False,
) -> None:
    """Run strategies x datasets x folds into STORE; re-running resumes where it stopped."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from skewlearn.bench import resolve_datasets, resolve_strategies, run_bench
    from skewlearn.evaluation import StoreError

    _check_engine(engine)
    chosen_metrics = _metric_names(metrics)
    # Names are checked before the store file is created: a typo leaves nothing behind.
    try:
        resolve_datasets(suite, max_n=max_n)
        resolve_strategies(strategies)
    except (ValueError, KeyError) as error:
        raise _fail(error) from None
    with (
        _open(store) as results,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        ) as progress,
    ):
        bar = progress.add_task("planning", total=None)

        def on_start(pending: int, done: int) -> None:
            if done:
                console.print(f"resuming: {done} tasks already in {store}, {pending} to run")
            progress.update(bar, total=pending, description="fitting")

        def on_result(result) -> None:
            progress.update(
                bar,
                advance=1,
                description=f"{result.dataset} {result.strategy} fold {result.fold}: "
                f"{result.status}",
            )

        try:
            outcome = run_bench(
                results,
                suite,
                strategies,
                cv=cv,
                repeats=repeats,
                seed=seed,
                metrics=chosen_metrics,
                engine=engine,
                scheduler=scheduler,
                n_jobs=n_jobs,
                max_n=max_n,
                retry_failed=retry_failed,
                on_start=on_start,
                on_result=on_result,
            )
        except (ValueError, KeyError, ImportError, StoreError) as error:
            raise _fail(error) from None
    console.print(
        f"{outcome.planned} tasks: {outcome.already_done} were already done, {outcome.ran} ran "
        f"({outcome.failed} failed, {outcome.skipped} skipped) in {outcome.elapsed:.1f} s; "
        f"results in {store}"
    )
    if outcome.failed:
        console.print("failed tasks are kept with their error; --retry-failed runs them again")


@bench_app.command()
def report(
    store: Annotated[Path, typer.Argument(help="A results file written by `bench run`.")],
    out: Annotated[Path, typer.Option(help="Where to write the HTML report.")] = Path(
        "bench-report.html"
    ),
    baseline: Annotated[
        str | None, typer.Option(help="Strategy for win/tie/loss (default: the first).")
    ] = None,
    metrics: Annotated[
        str | None,
        typer.Option(help="Comma-separated metric names, as for `bench run` (default: the run's)."),
    ] = None,
    alpha: Annotated[float, typer.Option(help="Significance level of the tests.")] = 0.05,
) -> None:
    """Average ranks, Friedman, Nemenyi CD diagram, Wilcoxon-Holm, tiers and times as HTML."""
    from skewlearn.bench import write_bench_report

    if not store.exists():
        raise _fail(FileNotFoundError(f"{store} does not exist: run `skewlearn bench run` first"))
    chosen = None if metrics is None else _metric_names(metrics)
    with _open(store) as results:
        try:
            path, summary = write_bench_report(
                results, out, baseline=baseline, metrics=chosen, alpha=alpha
            )
        except (ValueError, KeyError) as error:
            raise _fail(error) from None
    for section in summary.sections:
        if len(section.ranks):
            console.print(
                f"{section.metric}: best average rank {section.ranks.index[0]} "
                f"({section.ranks.iloc[0]:.2f}) over {section.n_datasets} datasets"
            )
    console.print(f"report: {path}")


@bench_app.command()
def export(
    store: Annotated[Path, typer.Argument(help="A results file written by `bench run`.")],
    out: Annotated[Path, typer.Option(help="A .csv or .parquet file.")],
) -> None:
    """Write every stored task (one row each, one column per metric) to CSV or Parquet."""
    if not store.exists():
        raise _fail(FileNotFoundError(f"{store} does not exist: run `skewlearn bench run` first"))
    with _open(store) as results:
        try:
            path = results.export(out)
        except ValueError as error:
            raise _fail(error) from None
    console.print(f"wrote {path}")


app.add_typer(bench_app, name="bench")
