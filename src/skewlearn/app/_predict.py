"""Scoring new rows with a saved model: read the table, apply the model's rule, write the CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from skewlearn.app._atomic import write_csv_atomic
from skewlearn.app._persist import TrainedModel, load_model
from skewlearn.datasets import read_table


def predict_file(
    model: str | Path, data: str | Path, out: str | Path | None = None
) -> tuple[TrainedModel, pd.DataFrame]:
    """Score the rows of a CSV or Parquet file with a model written by ``skewlearn compare``.

    Parameters
    ----------
    model : str or Path
        A ``model.skops`` file; it is refused unless every type it holds is trusted.
    data : str or Path
        A table with the training columns (columns the model ignores may be present).
    out : str or Path, optional
        Where to write the predictions as CSV (atomically); ``None`` writes nothing.

    Returns
    -------
    model : TrainedModel
        The loaded model (strategy, metric, decision rule, versions).
    predictions : DataFrame
        One row per input row: ``prediction`` and a ``proba_<class>`` column per class.

    Examples
    --------
    >>> predict_file("no-such-file.skops", "new.csv")
    Traceback (most recent call last):
    ...
    FileNotFoundError: model file 'no-such-file.skops' does not exist
    """
    trained = load_model(model)
    predictions = trained.predict_frame(read_table(data))
    if out is not None:
        write_csv_atomic(predictions, out)
    return trained, predictions
