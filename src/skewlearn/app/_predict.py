"""Scoring new rows with a saved model: read the table, apply the model's rule, write the CSV."""

from __future__ import annotations

import difflib
import warnings
from pathlib import Path

import pandas as pd

from skewlearn.app._atomic import write_csv_atomic
from skewlearn.app._persist import TrainedModel, load_model
from skewlearn.datasets import DataWarning, read_table
from skewlearn.datasets._schema import column_kind

# Unseen values named in a warning; the rest are counted.
_SHOWN_VALUES = 5


def predict_file(
    model: str | Path,
    data: str | Path,
    out: str | Path | None = None,
    *,
    id_column: str | None = None,
) -> tuple[TrainedModel, pd.DataFrame]:
    """Score the rows of a CSV or Parquet file with a model written by ``skewlearn compare``.

    Parameters
    ----------
    model : str or Path
        A ``model.skops`` file; it is refused unless every type it holds is trusted.
    data : str or Path
        A table with the training columns. Columns the model ignores may be present; other
        extra columns are left out with a ``DataWarning`` that names them.
    out : str or Path, optional
        Where to write the predictions as CSV (atomically); ``None`` writes nothing.
    id_column : str, optional
        A column copied unchanged to the predictions, first, so that each row can be told
        apart; matched exactly, else ignoring case. By default the first column outside the model's features that is id-like
        (a different value on every row: see :func:`skewlearn.datasets.load_table`), if any.

    Returns
    -------
    model : TrainedModel
        The loaded model (strategy, metric, decision rule, versions).
    predictions : DataFrame
        One row per input row: the id column if any, ``prediction`` and a ``proba_<class>``
        column per class.

    Warns
    -----
    DataWarning
        For columns the model was not trained on, and for values of a categorical column
        that training never saw (they are scored as an unknown category).

    Examples
    --------
    >>> predict_file("no-such-file.skops", "new.csv")
    Traceback (most recent call last):
    ...
    FileNotFoundError: model file 'no-such-file.skops' does not exist
    """
    trained = load_model(model)
    table = read_table(data)
    ids = _id_column(table, trained, id_column)
    known = {*trained.columns, *trained.ignored}
    extra = [column for column in table.columns if column not in known and column != ids]
    if extra:
        warnings.warn(
            f"columns the model was not trained on are ignored: {', '.join(extra)}",
            DataWarning,
            stacklevel=2,
        )
    passed = [ids] if ids is not None and ids not in trained.columns else []
    features = table.drop(columns=[*extra, *passed])
    _warn_unseen_categories(trained, features)
    predictions = trained.predict_frame(features)
    if ids is not None:
        predictions.insert(0, ids, table[ids])
    if out is not None:
        write_csv_atomic(predictions, out)
    return trained, predictions


def _id_column(table: pd.DataFrame, trained: TrainedModel, id_column: str | None) -> str | None:
    """The column to pass through: the one asked for, else an id-like one the model ignores."""
    if id_column is not None:
        if id_column in table.columns:
            return id_column
        # The case rule of the target column: exact first, else the one match ignoring case.
        folded = [column for column in table.columns if column.lower() == id_column.lower()]
        if len(folded) == 1:
            return folded[0]
        close = difflib.get_close_matches(id_column, list(table.columns), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
        raise ValueError(
            f"id column {id_column!r} is not in the table; {hint}columns are: "
            f"{', '.join(map(repr, table.columns))}"
        )
    # Columns dropped in training come first: they are the ones the loader called id-like.
    candidates = sorted(
        (column for column in table.columns if column not in trained.columns),
        key=lambda column: column not in trained.ignored,
    )
    return next((c for c in candidates if column_kind(table[c]) == "id-like"), None)


def _warn_unseen_categories(trained: TrainedModel, table: pd.DataFrame) -> None:
    # Model files written before the categories were recorded hold none: nothing to compare.
    for column, categories in getattr(trained, "categories", {}).items():
        if column not in table.columns:
            continue
        values = table[column].dropna().astype(str)
        unseen = sorted(set(values) - set(categories))
        if unseen:
            shown = ", ".join(map(repr, unseen[:_SHOWN_VALUES]))
            more = f" and {len(unseen) - _SHOWN_VALUES} more" if len(unseen) > _SHOWN_VALUES else ""
            rows = int(values.isin(unseen).sum())
            warnings.warn(
                f"column {column!r} holds values never seen in training: {shown}{more} "
                f"({rows} rows); the model scores them as an unknown category. "
                f"Training saw: {', '.join(map(repr, categories))}",
                DataWarning,
                stacklevel=3,
            )
