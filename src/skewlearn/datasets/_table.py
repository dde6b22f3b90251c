"""Loading a user's CSV, Parquet or Excel file: reading, finding the target, typing the columns."""

from __future__ import annotations

import csv
import difflib
import gzip
import io
import os
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd

from ._dataset import Dataset
from ._errors import DataError, DataFileNotFoundError, DataWarning
from ._schema import as_class_labels, check_labels, column_kind, count_classes, infer_task

_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_EXCEL_SUFFIXES = {".xlsx"}
# Delimited text may be gzip-compressed: "data.csv.gz".
_GZIP_SUFFIX = ".gz"
_DELIMITERS = ",;\t|"
_SNIFF_BYTES = 64 * 1024
# Column names that say "this is the label", compared lower-cased with spaces and '-' as '_'.
_TARGET_NAMES = {
    "target",
    "label",
    "labels",
    "class",
    "y",
    "outcome",
    "default",
    "fraud",
    "is_fraud",
    "isfraud",
    "churn",
    "response",
}
# A last column with at most this many distinct values may be taken as the label.
_MAX_LABEL_VALUES = 20
_DROP_REASONS = {
    "empty": "empty: every value is missing",
    "constant": "constant: one distinct value, nothing to learn from",
    "id-like": "id-like: a different value on every row, which cannot generalise",
}


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")  # UTF-8, with or without a byte-order mark
    except UnicodeDecodeError as error:
        # NUL bytes mean UTF-16 or a binary file: latin-1 would turn them into garbage.
        if b"\x00" in raw:
            raise DataError(
                f"{path} is not UTF-8 text ({error.reason} at byte {error.start}); it looks "
                "like UTF-16 or a binary file. Re-save it as UTF-8 CSV."
            ) from None
        warnings.warn(
            f"{path} is not valid UTF-8 ({error.reason} at byte {error.start}); read it as "
            "latin-1. If some text looks wrong, re-save the file as UTF-8.",
            DataWarning,
            stacklevel=5,  # the caller of load_table
        )
        return raw.decode("latin-1")


def _sniff_delimiter(text: str) -> str:
    sample = text[:_SNIFF_BYTES]
    if len(text) > _SNIFF_BYTES:
        sample = sample[: sample.rfind("\n") + 1] or sample  # whole lines only
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:  # one column, or no consistent delimiter: read as plain CSV
        return ","


def _list(items: list) -> str:
    words = [str(item) for item in items]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _check_unique_names(names: list[str], path: Path) -> None:
    """Refuse a header that names a column twice, spaces at either end ignored."""
    at: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        at.setdefault(str(name).strip(), []).append(position)
    repeated = []
    for name, positions in at.items():
        if len(positions) > 1:
            spellings = [str(names[position - 1]) for position in positions]
            shown = "" if len(set(spellings)) == 1 else ": " + _list(map(repr, spellings))
            repeated.append(f"{name!r} (columns {_list(positions)}{shown})")
    if repeated:
        raise DataError(
            f"{path} has columns named more than once: {', '.join(repeated)}; "
            "rename them so each name is unique."
        )


def _read_bytes(path: Path) -> bytes:
    if path.suffix.lower() != _GZIP_SUFFIX:
        return path.read_bytes()
    try:
        return gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as error:  # gzip's BadGzipFile derives from OSError
        raise DataError(f"cannot read {path} as gzip-compressed text: {error}") from None


def _read_csv(path: Path) -> pd.DataFrame:
    text = _decode(_read_bytes(path), path)
    if not text.strip():
        raise DataError(f"{path} is empty: it has no header and no rows.")
    delimiter = _sniff_delimiter(text)
    try:
        # pandas renames a repeated name ('a' -> 'a.1'), so names are checked as written.
        header = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, nrows=1, dtype=str, na_filter=False
        ).iloc[0]
        with warnings.catch_warnings():
            # Left to itself pandas takes rows one field longer than the header to start
            # with an index: a trailing delimiter would shift every column by one. With
            # index_col=False it drops trailing empty fields, and warns before it drops values.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, index_col=False)
    except pd.errors.ParserError as error:
        raise DataError(
            f"cannot parse {path} as text separated by {delimiter!r}: {error}. "
            "Check that every row has as many fields as the header."
        ) from None
    except pd.errors.ParserWarning:
        raise DataError(
            f"cannot parse {path} as text separated by {delimiter!r}: some rows have more "
            f"fields than the header has names ({len(header)}). Give every column a name in "
            "the header (a first column of row names too), or remove the extra fields."
        ) from None
    # Blank names are numbered apart by pandas ("Unnamed: 2"); the others are kept as written.
    frame.columns = [
        name if name.strip() else column for name, column in zip(header, frame.columns)
    ]
    return frame


def _nested_kind(field_type) -> str:
    import pyarrow as pa

    if pa.types.is_map(field_type):  # a map is also a list, so it is asked first
        return "map"
    if pa.types.is_struct(field_type):
        return "struct"
    return "union" if pa.types.is_union(field_type) else "list"


def _not_parquet(path: Path, error: Exception) -> DataError:
    return DataError(f"cannot read {path} as Parquet: {error}")


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError) as error:  # pyarrow's errors derive from these
        raise _not_parquet(path, error) from None
    index = (schema.pandas_metadata or {}).get("index_columns", [])
    fields = [field for field in schema if field.name not in index]
    # pyarrow cannot read a file that repeats a name; say so before it tries.
    _check_unique_names([field.name for field in fields], path)
    nested = [field for field in fields if pa.types.is_nested(field.type)]
    if nested:
        listed = ", ".join(f"{field.name!r} ({_nested_kind(field.type)})" for field in nested)
        raise DataError(
            f"{path} has nested columns, whose cells hold lists or records rather than single "
            f"values: {listed}. Flatten them into plain columns, or drop them."
        )
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as error:
        raise _not_parquet(path, error) from None


def _read_excel(path: Path) -> pd.DataFrame:
    """The first sheet of an Excel workbook, its first row as the header."""
    try:
        # Read without a header so that a repeated name is seen as written, not as 'a.1'.
        sheet = pd.read_excel(path, sheet_name=0, header=None, engine="openpyxl")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise DataError(f"cannot read {path} as an Excel workbook (.xlsx): {error}") from None
    if sheet.empty:
        raise DataError(f"{path} is empty: its first sheet has no header and no rows.")
    header = [
        f"Unnamed: {position}" if pd.isna(name) or not str(name).strip() else str(name)
        for position, name in enumerate(sheet.iloc[0])
    ]
    _check_unique_names(header, path)
    frame = sheet.iloc[1:].reset_index(drop=True)
    frame.columns = header
    # Cells come as objects; let each column take the type its values share.
    return frame.infer_objects()


def _file_kind(path: Path) -> str:
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    if suffixes[-1:] == [_GZIP_SUFFIX] and suffixes[0] in _CSV_SUFFIXES:
        return "csv"
    suffix = path.suffix.lower()
    for kind, known in (
        ("csv", _CSV_SUFFIXES),
        ("parquet", _PARQUET_SUFFIXES),
        ("excel", _EXCEL_SUFFIXES),
    ):
        if suffix in known:
            return kind
    supported = sorted(_CSV_SUFFIXES | _PARQUET_SUFFIXES | _EXCEL_SUFFIXES) + [".csv.gz"]
    raise DataError(
        f"cannot read {path}: unsupported file type {suffix or '(no extension)'!r}. "
        f"Save the table as CSV, Parquet or Excel ({', '.join(supported)})."
    )


_READERS = {"csv": _read_csv, "parquet": _read_parquet, "excel": _read_excel}


def _table_name(path: str | os.PathLike[str]) -> str:
    """The name of a table file without its extensions: 'churn' for 'churn.csv.gz'."""
    path = Path(path)
    if path.suffix.lower() == _GZIP_SUFFIX:
        path = path.with_suffix("")
    return path.stem


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read a CSV, Parquet or Excel file as it is: no target, no typing, no dropped columns.

    The same reader as :func:`load_table` (delimiter sniffing, encoding checks, clear errors),
    for tables that are scored rather than learned from.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "new.csv"
    >>> _ = path.write_text("age;plan\n31;basic\n")
    >>> read_table(path).to_dict("list")
    {'age': [31], 'plan': ['basic']}
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFoundError(
            f"no file at {path}"
            + (" (it is a folder)" if path.is_dir() else "")
            + "; check the path, or pass an embedded dataset name instead"
        )
    frame = _READERS[_file_kind(path)](path)
    if frame.shape[1] == 0:
        raise DataError(f"{path} has no columns.")
    _check_unique_names(list(frame.columns), path)
    # Parquet allows non-text names; CSV headers often pad them with spaces.
    frame.columns = [str(column).strip() for column in frame.columns]
    if frame.shape[0] == 0:
        raise DataError(f"{path} has a header but no data rows.")
    return frame


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _columns_hint(frame: pd.DataFrame) -> str:
    return f"columns are: {', '.join(repr(column) for column in frame.columns)}"


def _looks_like_label(column: pd.Series) -> bool:
    """Whether a column may be a class label: few values, and no fractions."""
    distinct = column.nunique(dropna=True)
    if distinct < 2 or distinct > min(_MAX_LABEL_VALUES, len(column) // 2):
        return False
    if pd.api.types.is_float_dtype(column):
        values = column.dropna()
        return bool((values == values.round()).all())
    return True


def _find_target(frame: pd.DataFrame, target: str | None) -> str:
    if target is not None:
        if target in frame.columns:
            return target
        folded = [column for column in frame.columns if column.lower() == target.lower()]
        if len(folded) == 1:
            return folded[0]
        by_key = {str(column).lower(): column for column in frame.columns}
        close = difflib.get_close_matches(target.lower(), list(by_key), n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(by_key[key]) for key in close)}? " if close else ""
        raise DataError(
            f"target column {target!r} not found; {hint}{_columns_hint(frame)}. "
            "Pass one of them as target=... (--target on the command line)."
        )
    named = [column for column in frame.columns if _normalise(column) in _TARGET_NAMES]
    if len(named) == 1:
        return named[0]
    if not named and _looks_like_label(frame.iloc[:, -1]):
        return frame.columns[-1]
    if named:
        found = f"several columns look like a target ({', '.join(map(repr, named))})"
    else:
        found = "no column is named like a target and the last column does not look like a label"
    raise DataError(
        f"cannot tell which column is the target: {found}; {_columns_hint(frame)}. "
        "Pass target=... (--target on the command line)."
    )


def _check_target(y: pd.Series) -> None:
    missing = int(y.isna().sum())
    if missing == len(y):
        raise DataError(
            f"target column {y.name!r} is empty: every value is missing. "
            "Is this the right target column? Pass another as target=... (--target)."
        )
    if missing:
        raise DataError(
            f"target column {y.name!r} has {missing} missing value(s) out of {len(y)} rows; "
            f"drop or fill those rows first, e.g. df.dropna(subset=[{y.name!r}])."
        )
    if y.nunique() < 2:
        raise DataError(
            f"target column {y.name!r} has only one class ({y.unique().tolist()[0]!r}); "
            "learning needs at least two. Is this the right target column?"
        )


def _warn_single_row_classes(y: pd.Series) -> None:
    counts = count_classes(y)
    lonely = counts[counts == 1].index.tolist()
    if lonely:
        warnings.warn(
            f"class(es) {', '.join(map(repr, lonely))} of {y.name!r} have a single row: "
            "stratified cross-validation needs at least as many rows per class as folds. "
            "Collect more rows, merge the class into another, or drop it.",
            DataWarning,
            stacklevel=3,
        )


def load_table(
    path: str | os.PathLike[str], target: str | None = None, *, allow_similar_labels: bool = False
) -> Dataset:
    """Load a CSV, Parquet or Excel file as a dataset, ready for learning.

    CSV files may be separated by ',', ';', tab or '|' (sniffed) and should be UTF-8; other
    text is read as latin-1 with a ``DataWarning``. Columns are typed: text columns become
    ``category``; empty columns (every value missing), constant columns (one distinct value)
    and id-like columns (a different string, or integer row number or identifier, on every
    row) are dropped, and the reason is recorded in ``meta["dropped"]``.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.csv``, ``.tsv`` or ``.txt`` (delimited text, also gzip-compressed as
        ``.csv.gz``), ``.parquet``/``.pq`` or ``.xlsx`` (the first sheet) file.
    target : str, optional
        The target column; matched exactly, else ignoring case. By default a column named
        like a target (``target``, ``label``, ``class``, ``y``, ``outcome``, ``default``,
        ``fraud``, ``is_fraud``, ``churn``, ``response``; case, spaces and '-' ignored) is
        used if there is exactly one; if there is none, the last column is used when it
        looks like a class label (2 to 20 distinct values, at most one per two rows, no
        fractions). Otherwise a ``DataError`` asks for ``target``.
    allow_similar_labels : bool, default=False
        Keep class labels that differ only in case or spaces ("yes", "Yes ") as separate
        classes. By default they raise a ``DataError``: see :func:`check_labels`.

    Returns
    -------
    Dataset
        ``meta["task"]`` is "regression" when the target is numeric with fractions or more
        than 20 distinct values, else "binary" or "multiclass"; ``meta["column_kinds"]``
        maps every feature column to "numeric", "categorical", "empty", "constant" or
        "id-like"; ``meta["missing"]`` counts the missing values of every column of the file
        that has some, dropped columns and target included.

    Raises
    ------
    DataError
        On a missing file (also a ``FileNotFoundError``), an unsupported extension, an
        empty file, a file that is not text, rows longer than the header, a column name
        used twice, nested Parquet columns (lists, structs, maps), a target column that is
        not found or not given when needed, a target with missing values or with a single
        class, class labels that differ only in case or spaces, or no usable feature column.

    Warns
    -----
    DataWarning
        When the file is not UTF-8, or a class has a single row.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skewlearn.datasets import load_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "loans.csv"
    >>> _ = path.write_text(
    ...     "loan_id;income;region;default\\n1;52.0;north;no\\n2;31.5;south;yes\\n"
    ...     "3;47.2;north;no\\n4;28.9;east;no\\n5;35.1;east;yes\\n6;61.7;south;no\\n"
    ... )
    >>> data = load_table(path)
    >>> data.meta["target"], data.meta["task"], data.target_names
    ('default', 'binary', ['no', 'yes'])
    >>> data.meta["column_kinds"]
    {'loan_id': 'id-like', 'income': 'numeric', 'region': 'categorical'}
    >>> list(data.X.columns), str(data.X["region"].dtype)
    (['income', 'region'], 'category')
    """
    path = Path(path)
    frame = read_table(path)
    target_column = _find_target(frame, target)
    y = frame[target_column]
    _check_target(y)
    task = infer_task(y)
    if task == "regression":
        y = y.astype("float64")
    else:
        y = as_class_labels(y)
        check_labels(y, allow_similar_labels=allow_similar_labels)
        _warn_single_row_classes(y)

    features = frame.drop(columns=target_column)
    if features.shape[1] == 0:
        raise DataError(
            f"{path} has no column besides the target {target_column!r}: nothing to learn "
            "from. Add feature columns, or check that the file is separated by ',', ';', "
            "tab or '|'."
        )
    kinds = {column: column_kind(features[column]) for column in features.columns}
    dropped = {
        column: _DROP_REASONS[kind] for column, kind in kinds.items() if kind in _DROP_REASONS
    }
    if len(dropped) == len(kinds):
        raise DataError(
            f"{path} has no usable feature column besides the target {target_column!r}: "
            + "; ".join(f"{column!r} is {reason}" for column, reason in dropped.items())
        )
    X = features.drop(columns=list(dropped))
    # Counted on the whole file: dropped columns, empty ones above all, are not in X.
    missing = frame.isna().sum().astype(int).to_dict()
    for column, kind in kinds.items():
        if kind == "categorical":
            X[column] = X[column].astype("category")
    meta = {
        "name": _table_name(path),
        "suite": None,
        "task": task,
        "source": str(path),
        "citation": None,
        "target": target_column,
        "column_kinds": kinds,
        "dropped": dropped,
        "missing": {column: count for column, count in missing.items() if count},
    }
    classes = [] if task == "regression" else sorted(y.unique().tolist())
    return Dataset(X=X, y=y, target_names=classes, meta=meta)
