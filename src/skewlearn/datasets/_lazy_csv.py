"""A CSV file read lazily in blocks, as Dask collections: for tables larger than memory."""

from __future__ import annotations

import os
from pathlib import Path

from ._errors import DataError, DataFileNotFoundError
from ._parquet import split_target
from ._table import _GZIP_SUFFIX, _decode, _sniff_delimiter

# Rows are read this many bytes of text at a time; a gzip file is one block (it cannot be
# entered in the middle).
_BLOCK_BYTES = 64_000_000
_SNIFF_BYTES = 64 * 1024


def read_csv_lazy(path: str | os.PathLike[str], target: str | None = None):
    """Read a delimited text file as Dask ``(X, y)`` in blocks of about 64 MB, nothing loaded yet.

    The delimiter (',', ';', tab or '|') is sniffed from the first 64 KB, and the column
    types from the first block; whole-number columns are read as floats, so that a missing
    value further on does not change a column's type. Features must be numeric, as for
    :func:`read_parquet_lazy`, whose target rule applies.

    Raises
    ------
    DataError
        On a missing file (also a ``FileNotFoundError``), a target that is not found or not
        given when needed, or a feature column that is not numeric.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
    >>> _ = path.write_text("amount;fraud\\n1.5;0\\n2.0;1\\n3.25;0\\n")
    >>> X, y = read_csv_lazy(path)
    >>> list(X.columns), y.name, int(y.sum().compute())
    (['amount'], 'fraud', 1)
    """
    try:
        import dask.dataframe as dd
    except ImportError as error:
        raise ImportError(
            "reading a CSV lazily needs the 'dask' extra: pip install 'skewlearn[dask]'"
        ) from error

    path = Path(path)
    if not path.is_file():
        raise DataFileNotFoundError(f"no file at {path}; check the path.")
    compressed = path.suffix.lower() == _GZIP_SUFFIX
    if compressed:
        import gzip

        with gzip.open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    else:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    delimiter = _sniff_delimiter(_decode(head, path))
    try:
        frame = dd.read_csv(
            path,
            sep=delimiter,
            blocksize=None if compressed else _BLOCK_BYTES,
            compression="gzip" if compressed else None,
            assume_missing=True,
        )
    except (OSError, ValueError) as error:
        raise DataError(f"cannot read {path} as text separated by {delimiter!r}: {error}") from None
    frame.columns = [str(column).strip() for column in frame.columns]
    return split_target(frame, path, target)
