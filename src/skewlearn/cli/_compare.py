"""The ``skewlearn compare`` command: options checked, the race shown, the outcome printed."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from skewlearn.cli import _fail, _load_data, _metric_name, _table, app, console, error_console

# Rows of the leaderboard printed; the rest are in leaderboard.csv (the whole default catalog
# would not fit a terminal window).
_SHOWN_ROWS = 12
# Parts of a strategy name longer than this are abbreviated when the table is too wide.
_SHORT_PART = 7
# The metric help is written from the registry when `compare` runs (see `describe_metrics`):
# importing the registry here would slow down every command, `--version` included.
_METRIC_HELP = "A registered metric name (any case), e.g. f1, mcc or cost:FN=5,FP=1."


@app.command()
def compare(
    data: Annotated[
        str | None,
        typer.Argument(
            help="An embedded dataset name or a CSV, Parquet or Excel file (default: a demo set)."
        ),
    ] = None,
    target: Annotated[str | None, typer.Option(help="Target column of a file.")] = None,
    weight: Annotated[
        str | None,
        typer.Option(
            help="Column of row weights: every fit and fold score uses them; not a feature."
        ),
    ] = None,
    metric: Annotated[str, typer.Option(help=_METRIC_HELP)] = "f1",
    budget: Annotated[
        str | None, typer.Option(help="Time ('10m', '90s') or fits ('200 fits'); none by default.")
    ] = None,
    cv: Annotated[int, typer.Option(help="Folds per repeat.")] = 5,
    strategies: Annotated[
        str | None,
        typer.Option(help="Comma-separated strategy specs, e.g. 'logreg+threshold,hgb+smote'."),
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Folder for report.html, model.skops, leaderboard.csv.")
    ] = Path("skewlearn-out"),
    engine: Annotated[
        str | None,
        typer.Option(help="local or dask (default: local; dask for a table larger than memory)."),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: a local cluster).")
    ] = None,
    n_jobs: Annotated[
        int,
        typer.Option(
            help="Worker processes of the local engine, and of the local Dask cluster for a "
            "table read partition by partition (-1: every core)."
        ),
    ] = -1,
    seed: Annotated[int, typer.Option(help="Seeds folds and strategies.")] = 0,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace an earlier run in --out (only when it succeeds)."),
    ] = False,
    store: Annotated[
        Path | None,
        typer.Option(
            help="An SQLite file that keeps every fold result as it finishes; run the same "
            "command again to resume a stopped run from it."
        ),
    ] = None,
    large_above: Annotated[
        str | None,
        typer.Option(
            help="A Parquet file whose rows x columns x 8 bytes exceed this ('500MB', '2GB'; "
            "default 1GiB), a CSV larger than this on disk, or a folder of Parquet files, is "
            "read partition by partition: "
            "profiled on Dask, selected on a stratified sample, refitted on all rows where "
            "the winner can be."
        ),
    ] = None,
    sample_rows: Annotated[
        int | None,
        typer.Option(
            help="Rows of the selection sample of a table read partition by partition "
            "(default: 200 per second of --budget, 20,000 to 1,000,000; 100,000 without a time "
            "budget)."
        ),
    ] = None,
    refit: Annotated[
        str,
        typer.Option(
            help="Where the winner of a table read partition by partition is refitted: auto "
            "(on all rows on the cluster when the projected time is within --budget, else on "
            "the largest sample projected within it), all (on all rows, or the largest "
            "sample, whatever the projection), sample (on the selection sample).",
        ),
    ] = "auto",
    allow_similar_labels: Annotated[
        bool,
        typer.Option(
            "--allow-similar-labels",
            help="Keep labels that differ only in case or spaces ('yes', 'Yes ') as separate classes.",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress: print only the outcome lines.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print one JSON object (choice, metric, leaderboard, output paths) and "
            "nothing else on stdout.",
        ),
    ] = False,
) -> None:
    """Find the imbalance strategy that works best on DATA, with evidence."""
    import sys

    from skewlearn.app import DEMO_DATASET, check_output_folder, run_compare
    from skewlearn.app._large import (
        REFIT_CHOICES,
        LargeTableRules,
        estimated_memory,
        read_lazy,
        reads_lazily,
    )
    from skewlearn.evaluation import SQLiteStore, StoreError
    from skewlearn.select import AutoBalancedClassifier
    from skewlearn.select._catalog import DEFAULT_SPECS

    metric = _metric_name(metric)
    specs = DEFAULT_SPECS if strategies is None else [s for s in strategies.split(",") if s.strip()]
    # Every option is checked before the data is read or anything is fitted.
    try:
        if engine not in (None, "local", "dask"):
            raise ValueError(f"--engine must be 'local' or 'dask', got {engine!r}")
        if refit not in REFIT_CHOICES:
            raise ValueError(f"--refit must be one of {', '.join(REFIT_CHOICES)}; got {refit!r}")
        AutoBalancedClassifier(
            specs, metric=metric, cv=cv, budget=budget, n_jobs=n_jobs
        ).check_params()
        check_output_folder(out, force)
        if store is not None and store.exists():
            # A file that is not a results store is refused now; a new one is created by the
            # run, so that bad data leaves no empty store behind.
            SQLiteStore(store).close()
        rules = LargeTableRules.with_limit(large_above)
    except (ValueError, StoreError) as error:
        raise _fail(_as_option_error(error)) from None
    shown = not (quiet or as_json)
    if data is not None and reads_lazily(data, rules):
        # The path goes to run_compare, which reads it partition by partition; its columns
        # and target are checked now (no rows are read).
        try:
            read_lazy(data, target)
        except (ValueError, ImportError) as error:
            raise _fail(error) from None
        dataset, most_fits = Path(data), None
        if shown:
            console.print(
                f"[bold]{dataset.name}[/]: a table of about "
                f"{estimated_memory(data) / 1e6:,.0f} MB as float64, read partition by "
                f"partition on Dask; {len(specs)} strategies raced on {metric} on a "
                "stratified sample",
                soft_wrap=True,
            )
    else:
        dataset = _load_data(data or DEMO_DATASET, target, allow_similar_labels)
        most_fits = _most_fits(dataset.y, len(specs), cv, seed)
        if shown:
            console.print(
                f"[bold]{dataset.meta.get('name')}[/]: {len(dataset.X)} samples, "
                f"{dataset.X.shape[1]} features; racing {len(specs)} strategies on {metric}"
            )
    with _progress(most_fits if shown else None) as on_result:
        try:
            outputs = run_compare(
                dataset,
                out,
                metric=metric,
                budget=budget,
                cv=cv,
                strategies=specs,
                engine=engine,
                scheduler=scheduler,
                n_jobs=n_jobs,
                seed=seed,
                command=" ".join(["skewlearn", *sys.argv[1:]]),
                on_result=on_result,
                force=force,
                store=store,
                target=target,
                large_above=rules.memory_limit,
                sample_rows=sample_rows,
                weight=weight,
                refit=refit,
            )
        except (ValueError, ImportError, StoreError) as error:
            raise _fail(error) from None
    reused = outputs.selector.selection_.reused
    if as_json:
        _print_json(outputs, metric)
        return
    if reused:
        console.print(
            f"resumed: {reused} fold results taken from {store}, not fitted again", soft_wrap=True
        )
    _print_outcome(outputs, metric, table=not quiet)


def describe_metrics(command) -> None:
    """Write the registry's metric names into the help of ``command``'s ``--metric`` option."""
    from skewlearn.metrics import list_metrics

    names = ", ".join(list_metrics().index)
    for param in command.params:
        if param.name == "metric":
            param.help = f"One of: {names} (any case)."


def _most_fits(y, n_strategies: int, cv: int, seed: int) -> int | None:
    """The fits of a race in which no strategy is dropped: every strategy on every fold.

    None when the data cannot be split into folds: the run itself says why.
    """
    import warnings

    from skewlearn.evaluation import EvaluationPlan

    plan = EvaluationPlan(cv, "auto", seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the run itself warns about fewer folds
        try:
            return n_strategies * plan.resolved_splits(y) * plan.resolved_repeats(y)
        except ValueError:
            return None


@contextmanager
def _progress(most_fits: int | None):
    """A transient progress bar out of ``most_fits``, or nothing when None.

    Yields the callback that advances it. Racing drops strategies, so a run usually ends
    before the bar is full; the bar says "at most".
    """
    if most_fits is None:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} of at most {task.total} fits"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        bar = progress.add_task("fitting", total=most_fits)

        def on_result(result) -> None:
            shown = "failed" if result.failed else f"{result.score:.3f}"
            progress.update(
                bar, advance=1, description=f"{result.strategy} fold {result.fold + 1}: {shown}"
            )

        yield on_result


def _print_json(outputs, metric: str) -> None:
    """The outcome as one JSON object on stdout, for scripts."""
    import json

    selector = outputs.selector
    selection = selector.selection_
    record = {
        "selected": selector.best_strategy_.name,
        "metric": metric,
        "fits": selection.n_fits,
        "stop_reason": selection.stop_reason,
        "reused": selection.reused,
        "leaderboard": json.loads(selector.leaderboard_.to_json(orient="records")),
        "report": str(outputs.report),
        "model": str(outputs.model),
        "leaderboard_csv": str(outputs.leaderboard),
        "warnings": list(outputs.warnings),
    }
    if outputs.rows_seen:
        record["rows_seen"] = dict(outputs.rows_seen)
        record["step_seconds"] = outputs.step_seconds
        record["projected_refit_seconds"] = outputs.projected_refit_seconds
    # Plain print: rich would wrap long lines and colour the text.
    print(json.dumps(record))


def _as_option_error(error: ValueError) -> ValueError:
    """The library's parameter names as the command line spells them."""
    text = str(error)
    for name in ("cv", "n_jobs"):
        text = text.replace(f"{name}=", f"--{name.replace('_', '-')} ", 1)
    return ValueError(text.replace("pass cv=5", "pass --cv 5"))


def _leaderboard_table(board, metric: str, width: int):
    """The leaderboard's first rows in ``width`` columns: one line per strategy.

    When the full names do not fit, their long parts are abbreviated ('hgb+bal+thr') and the
    caption says what each short form stands for; distinct names stay distinct.
    """
    from rich.measure import Measurement

    rows = board.head(_SHOWN_ROWS)
    table = _build_leaderboard_table(rows, metric, {})
    # Measured without a limit: a measurement is clamped to the width it is given.
    unlimited = console.options.update_width(10 * width)
    if Measurement.get(console, unlimited, table).maximum > width:
        table = _build_leaderboard_table(rows, metric, _abbreviations(rows["strategy"]))
    return table


def _abbreviations(names) -> dict[str, str]:
    """Short forms of the long parts of strategy names, each unique and no other part's name.

    Examples
    --------
    >>> _abbreviations(["hgb+balanced+threshold", "logreg+balanced"])
    {'balanced': 'bal', 'threshold': 'thr'}
    >>> _abbreviations(["underbag", "underbagging"])
    {'underbag': 'und', 'underbagging': 'unde'}
    """
    parts = sorted({part for name in names for part in name.split("+")})
    taken, short = set(parts), {}
    for part in parts:
        if len(part) <= _SHORT_PART:
            continue
        prefixes = (part[:n] for n in range(3, len(part)) if part[:n] not in taken)
        candidate = next(prefixes, None)
        if candidate is not None:
            short[part] = candidate
            taken.add(candidate)
    return short


def _build_leaderboard_table(rows, metric: str, short: dict[str, str]):
    import numpy as np
    import pandas as pd

    prior_used = not np.allclose(rows["adjusted"], rows["mean"], equal_nan=True)
    legend = "mean: over held-out folds; 95% interval: low..high"
    if short:
        legend += "; " + ", ".join(f"{abbr}: {part}" for part, abbr in short.items())
    table = _table(
        f"leaderboard ({metric})",
        caption=legend,
        caption_justify="left",
        padding=(0, 0),  # the box's blank column separates the columns
    )
    table.add_column("#", justify="right", no_wrap=True)
    # Folded only when even the short names do not fit: a cut name could read as another.
    table.add_column("strategy", overflow="fold", ratio=1, min_width=8)
    numbers = [
        "mean",
        *(["with prior", "pull"] if prior_used else []),
        "95% interval",
        "folds",
        "fit s",
    ]
    for column in numbers:
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    table.add_column("status", no_wrap=True)

    def shown(value, spec: str = ".3f") -> str:
        return "" if pd.isna(value) else format(value, spec)

    for row in rows.itertuples(index=False):
        interval = "" if pd.isna(row.ci_low) else f"{row.ci_low:.3f}..{row.ci_high:.3f}"
        adjusted = [shown(row.adjusted), shown(row.pull, "+.3f")] if prior_used else []
        table.add_row(
            str(row.rank),
            "+".join(short.get(part, part) for part in row.strategy.split("+")),
            shown(row.mean),
            *adjusted,
            interval,
            str(row.folds),
            shown(row.fit_time, ".2f"),
            row.status,
            style="bold red" if row.status == "selected" else None,
        )
    return table


def _print_outcome(outputs, metric: str, table: bool = True) -> None:
    selector = outputs.selector
    board = selector.leaderboard_
    selection = selector.selection_
    if table:
        console.print(_leaderboard_table(board, metric, console.width))
        if len(board) > _SHOWN_ROWS:
            console.print(f"... and {len(board) - _SHOWN_ROWS} more in {outputs.leaderboard}")
        console.print(f"[dim]{selection.ranking_rule} Intervals need at least 3 folds.[/]")
        for note in selection.notes:
            console.print(f"[dim]{note}[/]")
    # Outcome lines are not wrapped by us: scripts grep them, terminals wrap them.
    console.print(
        f"selected [bold]{selector.best_strategy_.name}[/]; "
        f"{selection.n_fits} fits, {selection.stop_reason}",
        soft_wrap=True,
    )
    for gain in selection.gains:
        console.print(
            f"  {gain.winner_mean - gain.baseline_mean:+.3f} over {gain.description}: "
            f"{gain.winner_mean:.3f} against {gain.baseline_mean:.3f} on {gain.folds} folds",
            soft_wrap=True,
        )
    for step, rows in outputs.rows_seen:
        console.print(f"  {step} saw {rows}", soft_wrap=True, highlight=False)
    for warning in outputs.warnings:
        error_console.print(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    console.print(
        f"report: {outputs.report}\nmodel: {outputs.model}\nleaderboard: {outputs.leaderboard}",
        soft_wrap=True,
    )
