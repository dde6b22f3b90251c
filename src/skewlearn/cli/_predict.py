"""The ``skewlearn predict`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skewlearn.cli import _fail, app, console, error_console


@app.command()
def predict(
    model: Annotated[Path, typer.Argument(help="A model.skops written by skewlearn compare.")],
    data: Annotated[
        Path, typer.Argument(help="A CSV, Parquet or Excel file with the training columns.")
    ],
    out: Annotated[
        Path | None, typer.Option(help="Write predictions here (CSV) instead of the terminal.")
    ] = None,
    id_column: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="A column copied to the predictions (default: an id-like column, if any).",
        ),
    ] = None,
) -> None:
    """Score new rows with a saved model and its decision rule."""
    import warnings

    from skewlearn.app import predict_file
    from skewlearn.datasets import DataWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            trained, predictions = predict_file(model, data, out, id_column=id_column)
        except (ValueError, OSError) as error:
            raise _fail(error) from None
    error_console.print(
        f"model: {trained.strategy} (chosen on {trained.metric}); decision rule: {trained.decision_rule}",
        highlight=False,
        soft_wrap=True,
    )
    for warning in caught:
        if issubclass(warning.category, DataWarning):
            error_console.print(
                f"[bold yellow]warning:[/] {warning.message}", highlight=False, soft_wrap=True
            )
        else:
            warnings.showwarning(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    if out is None:
        console.print(
            predictions.to_csv(index=False), end="", soft_wrap=True, markup=False, highlight=False
        )
    else:
        error_console.print(f"wrote {len(predictions)} predictions to {out}", soft_wrap=True)
