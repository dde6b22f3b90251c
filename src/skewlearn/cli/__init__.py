"""The ``skewlearn`` command line.

Every command prints with rich; bad input ends with one clear line on stderr and exit code 2,
never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

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


# The commands register themselves on ``app`` when imported; this order is the order of --help.
from skewlearn.cli import _datasets, _compare, _predict, _bench  # noqa: E402, F401, I001
