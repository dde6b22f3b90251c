"""The ``skewlearn predict`` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skewlearn.cli import _fail, app, console, error_console


@app.command()
def predict(
    model: Annotated[Path, typer.Argument(help="A model.skops written by skewlearn compare.")],
    data: Annotated[Path, typer.Argument(help="A CSV or Parquet file with the training columns.")],
    out: Annotated[
        Path | None, typer.Option(help="Write predictions here (CSV) instead of the terminal.")
    ] = None,
) -> None:
    """Score new rows with a saved model and its decision rule."""
    from skewlearn.app import predict_file

    try:
        trained, predictions = predict_file(model, data, out)
    except (ValueError, OSError) as error:
        raise _fail(error) from None
    error_console.print(
        f"model: {trained.strategy} (chosen on {trained.metric}); decision rule: {trained.decision_rule}",
        highlight=False,
    )
    if out is None:
        console.print(predictions.to_csv(index=False), end="")
    else:
        error_console.print(f"wrote {len(predictions)} predictions to {out}")
