"""The ``skewlearn`` command line.

Every command prints with rich; bad input ends with one clear line on stderr and exit code 2,
never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from skewlearn import __version__

app = typer.Typer(
    name="skewlearn",
    help="Learning from imbalanced data: datasets, profiles and method selection.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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
    from skewlearn.datasets import load_dataset, load_table
    from skewlearn.datasets import profile as profile_dataset

    try:
        if Path(data).exists() or Path(data).suffix.lower() in _TABLE_SUFFIXES:
            dataset = load_table(data, target=target)
        else:
            if target is not None:
                raise ValueError(
                    f"--target applies to files only; embedded dataset '{data}' has its target set"
                )
            dataset = load_dataset(data)
    except (ValueError, KeyError, OSError) as error:
        raise _fail(error) from None
    _print_profile(profile_dataset(dataset))


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
    if getattr(result, "target_summary", None) is not None:
        console.print("target summary:")
        console.print(result.target_summary.to_string())
    kinds = pd.Series(result.column_kinds, dtype=object)
    if len(kinds):
        counts = kinds.value_counts()
        console.print(
            "column kinds: " + ", ".join(f"{count} {kind}" for kind, count in counts.items())
        )
        for kind in ("categorical", "constant", "id"):
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
