"""The ``skewlearn datasets`` and ``skewlearn profile`` commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from skewlearn.cli import DataArgument, TargetOption, _fail, _load_data, _table, app, console

if TYPE_CHECKING:  # imported when a command runs, so that `skewlearn --version` stays fast
    import pandas as pd
    from rich.table import Table

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
    """One row per dataset; fits 80 columns with whole names (headers abbreviated, legend below)."""
    import pandas as pd

    table = _table(
        title,
        padding=(0, 0),  # the box's blank column separates the columns
        caption="n: samples, feat: features, cat: categorical features, cls: classes, "
        "IR: imbalance ratio (majority/minority); the suite says the task",
        caption_justify="left",
    )
    for column in ("name", "suite"):
        longest = max([len(column), *frame[column].str.len()])
        table.add_column(column, no_wrap=True, min_width=longest)
    for column in ("n", "feat", "cat", "cls", "IR"):
        table.add_column(column, justify="right", no_wrap=True, min_width=len(column))
    for row in frame.itertuples(index=False):
        ratio = "" if pd.isna(row.imbalance_ratio) else f"{row.imbalance_ratio:.1f}"
        classes = "" if pd.isna(row.n_classes) else str(int(row.n_classes))
        table.add_row(
            row.name,
            row.suite,
            str(row.n_samples),
            str(row.n_features),
            str(row.n_categorical),
            classes,
            ratio,
        )
    return table


@app.command()
def profile(
    data: DataArgument,
    target: TargetOption = None,
) -> None:
    """Show class balance, column kinds and missing values of a dataset."""
    from skewlearn.datasets import profile as profile_dataset

    _print_profile(profile_dataset(_load_data(data, target)))


def _print_profile(result) -> None:
    import pandas as pd

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
    from rich.table import Table

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
