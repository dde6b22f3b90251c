"""The ``skewlearn datasets`` and ``skewlearn profile`` commands."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from skewlearn.cli import _fail, _load_data, app, console

_BAR_WIDTH = 40


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
