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
    # Click's plain help: no '<bool>' after flags, defaults wrapped rather than cut.
    rich_markup_mode=None,
)
console = Console()
error_console = Console(stderr=True)

# A DATA argument with one of these suffixes is a file even when it does not exist (so the user
# gets "file not found", not "unknown dataset").
_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".gz"}


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"skewlearn {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """skewlearn: learning from imbalanced data."""
    if ctx.invoked_subcommand == "compare":
        # Runs before the command parses its options, so `compare --help` shows the names.
        from skewlearn.cli._compare import describe_metrics

        describe_metrics(ctx.command.get_command(ctx, "compare"))


def _fail(error: Exception) -> typer.Exit:
    message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
    # One line however wide the terminal: the terminal wraps it, and a script can grep it.
    error_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def _metric_name(name: str) -> str:
    """The registered spelling of a metric name given in any case ('F1' is 'f1')."""
    from skewlearn.metrics._registry import _lookup

    try:
        return _lookup(name).name
    except ValueError as error:
        raise _fail(error) from None


def _metric_names(text: str) -> list[str]:
    """The registered spellings of a comma-separated list of metric names.

    A family's parameters keep their own commas: a piece like ``FP=1`` (a parameter, no
    family name) continues the metric before it, so 'f1,cost:FN=5,FP=1' names two metrics.
    """
    names: list[str] = []
    for piece in (piece.strip() for piece in text.split(",")):
        if not piece:
            continue
        if names and ":" in names[-1] and "=" in piece and ":" not in piece:
            names[-1] += "," + piece
        else:
            names.append(piece)
    return [_metric_name(name) for name in names]


# The DATA argument and --target option of the commands that read one dataset.
DataArgument = Annotated[
    str, typer.Argument(help="An embedded dataset name or a CSV, Parquet or Excel file.")
]
TargetOption = Annotated[
    str | None, typer.Option(help="Target column of a file (detected when obvious).")
]


# The options of the commands that run many fits into a results store (bench run, active
# simulate).
StoreOption = Annotated[
    Path | None,
    typer.Option(help="The results file (SQLite): created if missing, resumed if not."),
]
EngineOption = Annotated[str, typer.Option(help="local or dask.")]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Dask scheduler address (default: a local cluster).")
]
NJobsOption = Annotated[int, typer.Option(help="Worker processes of the local engine.")]
MaxNOption = Annotated[
    int | None, typer.Option(help="Only datasets with at most this many samples.")
]


def _check_engine(engine: str) -> None:
    """End the command unless ``engine`` is one of the engines of :data:`EngineOption`."""
    if engine not in ("local", "dask"):
        raise _fail(ValueError(f"--engine must be 'local' or 'dask', got {engine!r}"))


def _table(title: str, **options):
    """A table as every command prints one: title on the left, a rule under the header."""
    from rich import box
    from rich.table import Table

    return Table(title=title, **{"title_justify": "left", "box": box.SIMPLE_HEAD, **options})


def _load_data(data: str, target: str | None, allow_similar_labels: bool = False):
    """An embedded dataset by name, or a table file; errors end the command cleanly."""
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
from skewlearn.cli import _datasets, _diagnose, _compare, _predict, _bench, _active  # noqa: E402, F401, I001
