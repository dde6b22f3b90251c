"""A Parquet file or folder read lazily, as Dask collections: for tables larger than memory."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ._errors import DataError, DataFileNotFoundError
from ._table import _find_target


def read_parquet_lazy(path: str | os.PathLike[str], target: str | None = None):
    """Read a Parquet file or a folder of Parquet files as Dask ``(X, y)``, nothing loaded yet.

    Only the schema is read now; the rows stay on disk until a computation needs them, one
    partition (a file's row group) at a time. ``X`` and ``y`` come from one Dask DataFrame,
    so they are partitioned alike, as the ensembles' Dask fit requires.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.parquet`` file, or a folder of them (a partitioned dataset).
    target : str, optional
        The target column; matched exactly, else ignoring case. By default the one column
        named like a target (``target``, ``label``, ``class``, ``y``, ...; see
        :func:`load_table`).

    Returns
    -------
    X : dask.dataframe.DataFrame
        Every column but the target; they must be numeric (the Dask fit does not encode).
    y : dask.dataframe.Series
        The target column.

    Raises
    ------
    DataError
        On a missing path (also a ``FileNotFoundError``), a folder without Parquet files,
        a target that is not found (with close matches) or not given when needed, or a
        feature column that is not numeric.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for i in range(2):
    ...     part = pd.DataFrame({"amount": [1.0, 2.0, 3.0], "fraud": [0, 0, i]})
    ...     part.to_parquet(folder / f"part-{i}.parquet", index=False)
    >>> X, y = read_parquet_lazy(folder)
    >>> list(X.columns), y.name, X.npartitions
    (['amount'], 'fraud', 2)
    >>> int(y.sum().compute())
    1
    """
    try:
        import dask.dataframe as dd
    except ImportError as error:
        raise ImportError(
            "reading Parquet lazily needs the 'dask' extra: pip install 'skewlearn[dask]'"
        ) from error

    path = Path(path)
    if not path.exists():
        raise DataFileNotFoundError(
            f"no Parquet file or folder at {path}; check the path (a partitioned dataset is "
            "the folder that holds the .parquet files)."
        )
    if path.is_dir() and not any(path.rglob("*.parquet")) and not any(path.rglob("*.pq")):
        raise DataError(
            f"{path} is a folder without .parquet files; point to the folder that holds them."
        )
    try:
        frame = dd.read_parquet(path)
    except (OSError, ValueError) as error:  # pyarrow's errors derive from these
        raise DataError(f"cannot read {path} as Parquet: {error}") from None
    return split_target(frame, path, target)


def split_target(frame, path: Path, target: str | None):
    """``(X, y)`` of a lazily read Dask DataFrame: the target found, the features numeric."""
    # The target rule of load_table, applied to the column names only (no rows are read).
    column = _find_target(pd.DataFrame(columns=[str(c) for c in frame.columns]), target)
    X = frame.drop(columns=column)
    bad = [name for name, dtype in X.dtypes.items() if not pd.api.types.is_numeric_dtype(dtype)]
    if bad:
        listed = ", ".join(f"{name!r} ({X.dtypes[name]})" for name in bad)
        raise DataError(
            f"{path} has columns that are not numeric: {listed}. The lazy path takes numeric "
            "features only: encode them (e.g. one-hot or integer codes) or drop them first."
        )
    return X, frame[column]
