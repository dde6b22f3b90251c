"""The ``skewlearn compare`` command: options checked, the race shown, the outcome printed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.table import Table

from skewlearn.cli import _fail, _load_data, app, console, error_console


@app.command()
def compare(
    data: Annotated[
        str | None,
        typer.Argument(
            help="An embedded dataset name or a CSV/Parquet file (default: a demo set)."
        ),
    ] = None,
    target: Annotated[str | None, typer.Option(help="Target column of a file.")] = None,
    metric: Annotated[
        str,
        typer.Option(
            help="f1 (minority class; macro for multiclass), mcc, balanced_accuracy, gmean, "
            "average_precision or cost:FN=5,FP=1."
        ),
    ] = "f1",
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
    engine: Annotated[str, typer.Option(help="local or dask.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: a local cluster).")
    ] = None,
    n_jobs: Annotated[
        int, typer.Option(help="Worker processes of the local engine (-1: every core).")
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
    allow_similar_labels: Annotated[
        bool,
        typer.Option(
            "--allow-similar-labels",
            help="Keep labels that differ only in case or spaces ('yes', 'Yes ') as separate classes.",
        ),
    ] = False,
) -> None:
    """Find the imbalance strategy that works best on DATA, with evidence."""
    import sys

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from skewlearn.app import DEMO_DATASET, check_output_folder, run_compare
    from skewlearn.evaluation import SQLiteStore, StoreError
    from skewlearn.select import AutoBalancedClassifier
    from skewlearn.select._catalog import DEFAULT_SPECS

    specs = DEFAULT_SPECS if strategies is None else [s for s in strategies.split(",") if s.strip()]
    # Every option is checked before the data is read or anything is fitted.
    try:
        if engine not in ("local", "dask"):
            raise ValueError(f"--engine must be 'local' or 'dask', got {engine!r}")
        AutoBalancedClassifier(
            specs, metric=metric, cv=cv, budget=budget, n_jobs=n_jobs
        ).check_params()
        check_output_folder(out, force)
        if store is not None:
            SQLiteStore(store).close()
    except (ValueError, StoreError) as error:
        raise _fail(_as_option_error(error)) from None
    dataset = _load_data(data or DEMO_DATASET, target, allow_similar_labels)
    console.print(
        f"[bold]{dataset.meta.get('name')}[/]: {len(dataset.X)} samples, "
        f"{dataset.X.shape[1]} features; racing {len(specs)} strategies on {metric}"
    )
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        bar = progress.add_task("fitting", total=None)

        def on_result(result) -> None:
            shown = "failed" if result.failed else f"{result.score:.3f}"
            progress.update(
                bar, advance=1, description=f"{result.strategy} fold {result.fold + 1}: {shown}"
            )

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
            )
        except (ValueError, ImportError, StoreError) as error:
            raise _fail(error) from None
    reused = outputs.selector.selection_.reused
    if reused:
        console.print(f"resumed: {reused} fold results taken from {store}, not fitted again")
    _print_outcome(outputs, metric)


def _as_option_error(error: ValueError) -> ValueError:
    """The library's parameter names as the command line spells them."""
    text = str(error)
    for name in ("cv", "n_jobs"):
        text = text.replace(f"{name}=", f"--{name.replace('_', '-')} ", 1)
    return ValueError(text.replace("pass cv=5", "pass --cv 5"))


def _print_outcome(outputs, metric: str) -> None:
    selector = outputs.selector
    board = selector.leaderboard_
    table = Table(title=f"leaderboard ({metric}, mean over held-out folds)", title_justify="left")
    prior_used = not np.allclose(board["adjusted"], board["mean"], equal_nan=True)
    for column, justify in [
        ("rank", "right"),
        ("strategy", "left"),
        (metric, "right"),
        *([("with prior", "right"), ("pull", "right")] if prior_used else []),
        ("95% interval", "right"),
        ("folds", "right"),
        ("fit s", "right"),
        ("status", "left"),
    ]:
        table.add_column(column, justify=justify)
    for row in board.head(12).itertuples(index=False):
        interval = "" if pd.isna(row.ci_low) else f"{row.ci_low:.3f} to {row.ci_high:.3f}"
        style = "bold red" if row.status == "selected" else None
        mean = "" if pd.isna(row.mean) else f"{row.mean:.3f}"
        adjusted = (
            ["" if pd.isna(row.adjusted) else f"{row.adjusted:.3f}",
             "" if pd.isna(row.pull) else f"{row.pull:+.3f}"]
            if prior_used
            else []
        )  # fmt: skip
        fit = "" if pd.isna(row.fit_time) else f"{row.fit_time:.2f}"
        table.add_row(
            str(row.rank),
            row.strategy,
            mean,
            *adjusted,
            interval,
            str(row.folds),
            fit,
            row.status,
            style=style,
        )
    console.print(table)
    if len(board) > 12:
        console.print(f"... and {len(board) - 12} more in {outputs.leaderboard}")
    selection = selector.selection_
    console.print(f"[dim]{selection.ranking_rule} Intervals need at least 3 folds.[/]")
    for note in selection.notes:
        console.print(f"[dim]{note}[/]")
    console.print(
        f"selected [bold]{selector.best_strategy_.name}[/]; "
        f"{selection.n_fits} fits, {selection.stop_reason}"
    )
    for gain in selection.gains:
        console.print(
            f"  {gain.winner_mean - gain.baseline_mean:+.3f} over {gain.description}: "
            f"{gain.winner_mean:.3f} against {gain.baseline_mean:.3f} on {gain.folds} folds"
        )
    for warning in outputs.warnings:
        error_console.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
    console.print(
        f"report: {outputs.report}\nmodel: {outputs.model}\nleaderboard: {outputs.leaderboard}"
    )
