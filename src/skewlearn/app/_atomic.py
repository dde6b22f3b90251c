"""Writing a table so that a partial file never replaces a good one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_csv_atomic(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` (without its index) to ``path`` through a ``.partial`` file and a rename.

    Examples
    --------
    >>> import pandas as pd
    >>> write_csv_atomic(pd.DataFrame({"a": [1]}), "scores.csv")  # doctest: +SKIP
    PosixPath('scores.csv')
    """
    path = Path(path)
    partial = path.with_suffix(path.suffix + ".partial")
    frame.to_csv(partial, index=False)
    partial.replace(path)
    return path
