"""What each column holds, what the target asks for, and how its classes are counted."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# A numeric target with more distinct values than this, or with fractions, is regression.
MAX_CLASSES = 20

_ID_TOKENS = {"id", "uuid", "guid"}
_ID_NAMES = {"index", "key", "row", "rownum", "row_number", "record", "record_id"}


def _looks_like_id_name(name: str) -> bool:
    # "CustomerID", "user-id" and "id_user" all split into tokens with "id" at one end.
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name)).strip().lower()
    tokens = [token for token in re.split(r"[\s_\-.]+", snake) if token]
    if not tokens:
        return False
    return (
        tokens[0] in _ID_TOKENS
        or tokens[-1] in _ID_TOKENS
        or "_".join(tokens) in _ID_NAMES
        or snake.startswith("unnamed:")
    )


def column_kind(column: pd.Series) -> str:
    """Return "constant", "id-like", "categorical" or "numeric" for one feature column.

    A column is constant when it has at most one distinct value (missing values aside).
    It is id-like when every row holds a different value, none missing, and the values are
    strings, or integers that are either named like an identifier (``id``, ``user_id``,
    ``uuid``, ``Unnamed: 0``...) or form a consecutive run (row numbers). Floats are never
    id-like: a measurement may well differ on every row. Booleans count as numeric.
    """
    distinct = column.nunique(dropna=True)
    if distinct <= 1:
        return "constant"
    numeric = pd.api.types.is_numeric_dtype(column)
    # With one or two rows every column is unique; that says nothing about identifiers.
    if distinct == len(column) > 2 and not column.isna().any():
        if not numeric:
            return "id-like"
        if pd.api.types.is_integer_dtype(column) and not pd.api.types.is_bool_dtype(column):
            consecutive = int(column.max()) - int(column.min()) + 1 == len(column)
            if consecutive or _looks_like_id_name(str(column.name)):
                return "id-like"
    return "numeric" if numeric else "categorical"


def as_class_labels(y: pd.Series) -> pd.Series:
    """Return class labels with whole-number labels as ``int64``, others unchanged.

    KEEL files write numeric classes as nominal text ("1", "2"); CSV readers give ints.
    Making both ``int64`` means ``y == 1`` works whatever the file format was.
    """
    if pd.api.types.is_bool_dtype(y):
        return y
    if pd.api.types.is_numeric_dtype(y):
        values = y.to_numpy(dtype=float)
        return y.astype("int64") if np.all(values == np.round(values)) else y
    text = y.astype(str).str.strip()
    if text.str.fullmatch(r"[+-]?\d+").all():
        return text.astype("int64").rename(y.name)
    return y


def infer_task(y: pd.Series) -> str:
    """Return "binary", "multiclass" or "regression" for a target without missing values.

    Text, categorical and boolean targets are classification. A numeric target is
    classification when its values are whole numbers and at most ``MAX_CLASSES`` distinct;
    otherwise it is regression.
    """
    distinct = y.nunique()
    numeric = pd.api.types.is_numeric_dtype(y) and not pd.api.types.is_bool_dtype(y)
    if numeric:
        values = y.to_numpy(dtype=float)
        if distinct > MAX_CLASSES or not np.all(values == np.round(values)):
            return "regression"
    return "binary" if distinct == 2 else "multiclass"


def count_classes(y: pd.Series) -> pd.Series:
    """Return the number of rows per class, largest first; ties in label order."""
    counts = y.value_counts(sort=False)
    try:
        counts = counts.sort_index()
    except TypeError:  # labels of mixed types have no order of their own
        counts = counts.iloc[np.argsort(counts.index.astype(str), kind="stable")]
    return counts.sort_values(ascending=False, kind="stable").rename("count")
