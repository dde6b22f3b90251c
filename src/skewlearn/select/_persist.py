"""Saving and loading the chosen model as a skops file, refusing types we do not trust."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from skewlearn.select._schema import TableSchema

# A model file written by skewlearn holds objects of these packages only. Anything else means the
# file was written by something else or altered, and loading it could run foreign code.
TRUSTED_PREFIXES = (
    "skewlearn.",
    "sklearn.",
    "imblearn.",
    "numpy.",
    "scipy.",
    "lightgbm.",
    "builtins.",
)


class TrainedModel:
    """The refitted winner with what is needed to use it safely on new data.

    Parameters
    ----------
    estimator : fitted estimator
    schema : TableSchema
        The training columns; new data is checked against them.
    ignored : list of str
        Columns of the training file the model does not use (the target, id-like and constant
        columns); a scored file may still hold them.
    strategy, metric, decision_rule : str
        What was chosen, for which metric, and how scores become labels.
    versions : dict
        Package versions at training time.
    """

    def __init__(
        self,
        estimator,
        schema: TableSchema,
        ignored: list[str],
        strategy: str,
        metric: str,
        decision_rule: str,
        versions: dict[str, str],
    ):
        self.estimator = estimator
        self.ignored = [str(column) for column in ignored]
        self.columns = list(schema.columns)
        self.kinds = [schema.kinds[c] for c in self.columns]
        self.strategy = strategy
        self.metric = metric
        self.decision_rule = decision_rule
        self.versions = dict(versions)

    @property
    def schema(self) -> TableSchema:
        return TableSchema(dict(zip(self.columns, self.kinds)))

    @property
    def classes(self) -> np.ndarray:
        return np.asarray(self.estimator.classes_)

    def predict_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        """One row per input row: the predicted class and a probability per class.

        Columns the model ignores (the target, id-like columns) may be present; they are left out.
        """
        X = self.schema.conform(X.drop(columns=self.ignored, errors="ignore"))
        out = pd.DataFrame({"prediction": self.estimator.predict(X)}, index=X.index)
        if hasattr(self.estimator, "predict_proba"):
            proba = self.estimator.predict_proba(X)
            for column, label in enumerate(self.classes):
                out[f"proba_{label}"] = proba[:, column]
        return out


def save_model(model: TrainedModel, path: str | Path) -> Path:
    """Write ``model`` to ``path`` atomically (a partial file never replaces a good one)."""
    import skops.io as sio

    path = Path(path)
    partial = path.with_suffix(path.suffix + ".partial")
    # Forests are large and compress well (about 5x).
    sio.dump(model, partial, compression=zipfile.ZIP_DEFLATED)
    partial.replace(path)
    return path


def load_model(path: str | Path) -> TrainedModel:
    """Load a model file written by skewlearn, refusing any object type outside our allowlist.

    Examples
    --------
    >>> load_model("no-such-file.skops")
    Traceback (most recent call last):
    ...
    FileNotFoundError: model file 'no-such-file.skops' does not exist
    """
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file '{path}' does not exist")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValueError(
            f"'{path}' is not a readable skewlearn model file ({error}); it may be truncated or "
            "corrupt: run `skewlearn compare` again to write a new one"
        ) from error
    foreign = [name for name in untrusted if not name.startswith(TRUSTED_PREFIXES)]
    if foreign:
        raise ValueError(
            f"'{path}' contains object types skewlearn does not trust: {', '.join(foreign)}. "
            "It was not written by skewlearn or it was altered; refusing to load it"
        )
    try:
        model = sio.load(path, trusted=untrusted)
    except Exception as error:  # skops raises many kinds on a damaged file; all mean the same
        raise ValueError(f"'{path}' could not be loaded as a skewlearn model: {error}") from error
    if not isinstance(model, TrainedModel):
        raise ValueError(
            f"'{path}' holds a {type(model).__name__}, not a skewlearn model; "
            "write model files with `skewlearn compare`"
        )
    return model
