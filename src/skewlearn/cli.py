"""The ``skewlearn`` command line.

Every command prints with rich; bad input ends with one clear line on stderr and exit code 2,
never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from skewlearn import __version__
from skewlearn.bench._cli import bench_app

app = typer.Typer(
    name="skewlearn",
    help="Learning from imbalanced data: datasets, profiles and method selection.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(bench_app, name="bench")
console = Console()
error_console = Console(stderr=True)

_BAR_WIDTH = 40
# A DATA argument with one of these suffixes is a file even when it does not exist (so the user
# gets "file not found", not "unknown dataset").
_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".parquet", ".pq"}


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"skewlearn {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """skewlearn: learning from imbalanced data."""


def _fail(error: Exception) -> typer.Exit:
    message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
    error_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=2)


@app.command()
def datasets(
    suite: Annotated[
        str | None,
        typer.Option(help="Only this suite: keel-binary, keel-multiclass or regression."),
    ] = None,
) -> None:
    """List the embedded datasets with their size and imbalance."""
    from skewlearn.datasets import list_datasets

    try:
        table = list_datasets(suite)
    except ValueError as error:
        raise _fail(error) from None
    console.print(
        _datasets_table(table, title=f"{len(table)} datasets" + (f" in {suite}" if suite else ""))
    )


def _datasets_table(frame: pd.DataFrame, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column, justify in [
        ("name", "left"),
        ("suite", "left"),
        ("task", "left"),
        ("samples", "right"),
        ("features", "right"),
        ("categorical", "right"),
        ("classes", "right"),
        ("imbalance ratio", "right"),
    ]:
        table.add_column(column, justify=justify)
    for row in frame.itertuples(index=False):
        ratio = "" if pd.isna(row.imbalance_ratio) else f"{row.imbalance_ratio:.1f}"
        classes = "" if pd.isna(row.n_classes) else str(int(row.n_classes))
        table.add_row(
            row.name,
            row.suite,
            row.task,
            str(row.n_samples),
            str(row.n_features),
            str(row.n_categorical),
            classes,
            ratio,
        )
    return table


@app.command()
def profile(
    data: Annotated[str, typer.Argument(help="An embedded dataset name or a CSV/Parquet file.")],
    target: Annotated[
        str | None, typer.Option(help="Target column of a file (detected when obvious).")
    ] = None,
) -> None:
    """Show class balance, column kinds and missing values of a dataset."""
    from skewlearn.datasets import profile as profile_dataset

    _print_profile(profile_dataset(_load_data(data, target)))


def _load_data(data: str, target: str | None, allow_similar_labels: bool = False):
    """An embedded dataset by name, or a CSV/Parquet file; errors end the command cleanly."""
    from skewlearn.datasets import load_dataset, load_table

    try:
        if Path(data).exists() or Path(data).suffix.lower() in _TABLE_SUFFIXES:
            return load_table(data, target=target, allow_similar_labels=allow_similar_labels)
        if target is not None:
            raise ValueError(
                f"--target applies to files only; embedded dataset '{data}' has its target set"
            )
        return load_dataset(data)
    except (ValueError, KeyError, OSError) as error:
        raise _fail(error) from None


def _print_profile(result) -> None:
    console.print(
        f"[bold]{result.name}[/]: {result.task}, {result.n_samples} samples, "
        f"{result.n_features} features"
    )
    if result.class_counts is not None:
        _print_class_bars(result.class_counts)
        console.print(
            f"imbalance ratio (majority/minority): [bold]{result.imbalance_ratio:.2f}[/]; "
            f"minority class: [bold]{result.minority_class}[/]"
        )
    if result.target_summary is not None:
        console.print("target summary:")
        console.print(result.target_summary.to_string())
    kinds = pd.Series(result.column_kinds, dtype=object)
    if len(kinds):
        counts = kinds.value_counts()
        console.print(
            "column kinds: " + ", ".join(f"{count} {kind}" for kind, count in counts.items())
        )
        for kind in ("categorical", "constant", "id-like", "empty"):
            names = kinds.index[kinds == kind].tolist()
            if names:
                console.print(f"  {kind}: {', '.join(map(str, names))}")
    if len(result.missing):
        console.print("missing values:")
        for column, count in result.missing.items():
            console.print(f"  {column}: {count} ({count / result.n_samples:.1%})")
    else:
        console.print("missing values: none")


def _print_class_bars(counts: pd.Series) -> None:
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("class")
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    table.add_column("")
    total = counts.sum()
    largest = counts.max()
    for label, count in counts.items():
        width = max(1, round(_BAR_WIDTH * count / largest))
        table.add_row(
            str(label), str(count), f"{count / total:.1%}", "[cyan]" + "█" * width + "[/]"
        )
    console.print(table)


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

    from skewlearn.compare import DEMO_DATASET, check_output_folder, run_compare
    from skewlearn.select import DEFAULT_SPECS, AutoBalancedClassifier

    specs = DEFAULT_SPECS if strategies is None else [s for s in strategies.split(",") if s.strip()]
    # Every option is checked before the data is read or anything is fitted.
    try:
        if engine not in ("local", "dask"):
            raise ValueError(f"--engine must be 'local' or 'dask', got {engine!r}")
        AutoBalancedClassifier(
            specs, metric=metric, cv=cv, budget=budget, n_jobs=n_jobs
        ).check_params()
        check_output_folder(out, force)
    except ValueError as error:
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
            )
        except (ValueError, ImportError) as error:
            raise _fail(error) from None
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


@app.command()
def predict(
    model: Annotated[Path, typer.Argument(help="A model.skops written by skewlearn compare.")],
    data: Annotated[Path, typer.Argument(help="A CSV or Parquet file with the training columns.")],
    out: Annotated[
        Path | None, typer.Option(help="Write predictions here (CSV) instead of the terminal.")
    ] = None,
) -> None:
    """Score new rows with a saved model and its decision rule."""
    from skewlearn.datasets import read_table
    from skewlearn.select import load_model

    try:
        trained = load_model(model)
        predictions = trained.predict_frame(read_table(data))
    except (ValueError, OSError) as error:
        raise _fail(error) from None
    error_console.print(
        f"model: {trained.strategy} (chosen on {trained.metric}); decision rule: {trained.decision_rule}",
        highlight=False,
    )
    if out is None:
        console.print(predictions.to_csv(index=False), end="")
    else:
        partial = out.with_suffix(out.suffix + ".partial")
        predictions.to_csv(partial, index=False)
        partial.replace(out)
        error_console.print(f"wrote {len(predictions)} predictions to {out}")
