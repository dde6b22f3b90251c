"""The container every loader returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Dataset:
    """A table split into features and target, with what is known about it.

    Attributes
    ----------
    X : pandas.DataFrame
        The features: nominal columns as ``category`` dtype, the others numeric.
    y : pandas.Series
        The target, named after its column: the class labels as written in the file for
        classification (labels that are all whole numbers become ``int``), floats for
        regression.
    target_names : list
        The sorted class labels; empty for regression.
    meta : dict
        ``name``, ``suite``, ``task`` ("binary", "multiclass" or "regression"), ``source``,
        ``citation``, ``target``, ``column_kinds`` (column -> "numeric", "categorical",
        "empty", "constant" or "id-like"), ``dropped`` (column -> why it is not in ``X``)
        and, from :func:`load_table`, ``missing`` (column -> missing values in the file).
    """

    X: pd.DataFrame
    y: pd.Series
    target_names: list[Any]
    meta: dict[str, Any]

    # The default repr would print both tables in full.
    def __repr__(self) -> str:
        return (
            f"Dataset(name={self.meta.get('name')!r}, task={self.meta.get('task')!r}, "
            f"n_samples={len(self.X)}, n_features={self.X.shape[1]})"
        )
