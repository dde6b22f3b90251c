"""What each column holds, what the target asks for, and how its classes are counted."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._errors import DataError

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


def is_id_like(column: pd.Series) -> bool:
    """Whether a column identifies rows rather than describing them.

    True when every row holds a different value, none missing, and the values are strings,
    or integers that are either named like an identifier (``id``, ``user_id``, ``uuid``,
    ``Unnamed: 0``...) or form a consecutive run (row numbers). Floats are never id-like: a
    measurement may well differ on every row; nor are booleans. With one or two rows every
    column is unique, which says nothing about identifiers. :func:`load_table` drops such
    columns, and so does ``AutoBalancedClassifier`` given a DataFrame: one rule for both.

    Examples
    --------
    >>> is_id_like(pd.Series(["c1", "c2", "c3"], name="customer"))
    True
    >>> ages = pd.Series([17, 4, 9], name="age")
    >>> is_id_like(ages), is_id_like(ages.rename("user_id"))
    (False, True)
    """
    if pd.api.types.is_float_dtype(column) or pd.api.types.is_bool_dtype(column):
        return False  # checked first: no need to count the values of a measurement
    if len(column) <= 2 or column.isna().any() or column.nunique() != len(column):
        return False
    if not pd.api.types.is_numeric_dtype(column):
        return True
    if not pd.api.types.is_integer_dtype(column):
        return False
    consecutive = int(column.max()) - int(column.min()) + 1 == len(column)
    return consecutive or _looks_like_id_name(str(column.name))


def id_like_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` that are id-like (see :func:`is_id_like`), in order.

    Examples
    --------
    >>> frame = pd.DataFrame({"row": [1, 2, 3], "plan": ["a", "b", "a"], "fee": [9.5, 3.0, 4.1]})
    >>> id_like_columns(frame)
    ['row']
    """
    return [column for column in frame.columns if is_id_like(frame[column])]


def find_id_column(frame: pd.DataFrame) -> str:
    """The column that names the rows of ``frame``: its one id-like column (see
    :func:`is_id_like`) or, among several, the one named like an identifier.

    Raises :class:`DataError` when no column is id-like, or several are and not exactly one of
    them is named like an identifier (``id``, ``user_id``, ``uuid``...).

    Examples
    --------
    >>> find_id_column(pd.DataFrame({"ref_id": [7, 3, 9], "x": [1.0, 2.0, 2.0]}))
    'ref_id'
    >>> find_id_column(pd.DataFrame({"code": ["a", "b", "c"], "id": [5, 1, 3]}))
    'id'
    """
    found = id_like_columns(frame)
    if len(found) == 1:
        return found[0]
    named = [column for column in found if _looks_like_id_name(str(column))]
    if len(named) == 1:
        return named[0]
    if not found:
        raise DataError("no id column: no column has a different value on every row (none missing)")
    listed = ", ".join(map(repr, found[:5]))
    if len(found) > 5:
        listed += f" and {len(found) - 5} more"
    raise DataError(
        f"several id-like columns ({listed}) and not exactly one of them named like an id "
        "(id, user_id, uuid...)"
    )


def column_differences(expected: Sequence, given: Sequence) -> str:
    """The columns ``given`` lacks and those it has beyond ``expected``, in words ("" if none).

    >>> column_differences(["age", "plan"], ["plan", "zip"])
    "missing columns: 'age'; unexpected columns: 'zip'"
    """
    expected_set, given_set = set(expected), set(given)
    missing = [column for column in expected if column not in given_set]
    extra = [column for column in given if column not in expected_set]
    said = []
    if missing:
        said.append(f"missing columns: {', '.join(map(repr, missing))}")
    if extra:
        said.append(f"unexpected columns: {', '.join(map(repr, extra))}")
    return "; ".join(said)


def column_kind(column: pd.Series) -> str:
    """Return "empty", "constant", "id-like", "categorical" or "numeric" for one feature column.

    A column is empty when every value is missing, and constant when it has one distinct
    value (missing values aside); id-like as :func:`is_id_like` says. Booleans count as
    numeric.
    """
    distinct = column.nunique(dropna=True)
    if distinct == 0:
        return "empty"
    if distinct == 1:
        return "constant"
    if is_id_like(column):
        return "id-like"
    return "numeric" if pd.api.types.is_numeric_dtype(column) else "categorical"


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


def _similar_label_groups(y: pd.Series) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for label in y.dropna().unique().tolist():
        if isinstance(label, str):
            groups.setdefault(" ".join(label.split()).casefold(), []).append(label)
    return [group for group in groups.values() if len(group) > 1]


def check_labels(y: pd.Series, *, allow_similar_labels: bool = False) -> None:
    """Raise a ``DataError`` when class labels differ only in case or spaces.

    "yes", "yes " and " Yes" are almost always one class typed three ways; learning them
    as three classes gives silently wrong results. Labels are compared with case ignored,
    spaces at either end removed and runs of spaces inside taken as one.

    Parameters
    ----------
    y : pandas.Series
        Class labels, named after the target column.
    allow_similar_labels : bool, default=False
        Keep such labels as separate classes: check nothing.

    Raises
    ------
    DataError
        Naming each group of such labels, in the order they first appear.

    Examples
    --------
    >>> import pandas as pd
    >>> check_labels(pd.Series(["no", "yes", "no"], name="churned"))
    >>> check_labels(pd.Series(["no", "yes ", "No"], name="churned"))
    Traceback (most recent call last):
    ...
    skewlearn.datasets._errors.DataError: target 'churned' has labels ... spaces: 'no', 'No'; ...
    """
    if allow_similar_labels:
        return
    groups = _similar_label_groups(y)
    if groups:
        listed = " and ".join(", ".join(map(repr, group)) for group in groups)
        raise DataError(
            f"target {y.name!r} has labels that differ only in case or spaces: {listed}; "
            "clean them, or pass allow_similar_labels=True (--allow-similar-labels) "
            "to keep them apart"
        )


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
    """Return the number of rows per class, largest first; ties in label order.

    Categories of a ``category`` target that no row holds are not classes of the data.
    """
    counts = y.value_counts(sort=False)
    counts = counts[counts > 0]
    try:
        counts = counts.sort_index()
    except TypeError:  # labels of mixed types have no order of their own
        counts = counts.iloc[np.argsort(counts.index.astype(str), kind="stable")]
    return counts.sort_values(ascending=False, kind="stable").rename("count")
