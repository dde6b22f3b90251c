"""A summary of a dataset for people: size, classes, imbalance, column kinds, gaps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._dataset import Dataset
from ._schema import count_classes

_QUANTILES = {
    "min": 0.0,
    "q05": 0.05,
    "q25": 0.25,
    "median": 0.5,
    "q75": 0.75,
    "q95": 0.95,
    "max": 1.0,
}


@dataclass(frozen=True)
class DatasetProfile:
    """What :func:`profile` found; plain data for a report or a terminal table.

    Attributes
    ----------
    name, task : str
        From the dataset's ``meta``.
    n_samples, n_features : int
        Rows and feature columns of ``X``.
    class_counts : pandas.Series or None
        Rows per class, largest first; None for regression.
    imbalance_ratio : float
        Rows of the largest class over rows of the smallest; NaN for regression.
    minority_class : object
        The label of the smallest class; None for regression.
    column_kinds : dict
        Column -> "numeric", "categorical", "empty", "constant" or "id-like".
    missing : pandas.Series
        Missing values per column (target included), only columns that have some. For a
        file, columns dropped while loading (see ``meta["dropped"]``) are counted too.
    target_summary : pandas.Series or None
        For regression: min, q05, q25, median, q75, q95, max, mean, std and skew of the
        target; None for classification.
    """

    name: str
    task: str
    n_samples: int
    n_features: int
    class_counts: pd.Series | None
    imbalance_ratio: float
    minority_class: Any
    column_kinds: dict[str, str]
    missing: pd.Series
    target_summary: pd.Series | None


def _target_summary(y: pd.Series) -> pd.Series:
    summary = y.quantile(list(_QUANTILES.values()))
    summary.index = list(_QUANTILES)
    extra = pd.Series({"mean": y.mean(), "std": y.std(), "skew": y.skew()})
    return pd.concat([summary, extra]).rename(y.name)


def profile(dataset: Dataset) -> DatasetProfile:
    """Summarise a dataset: size, class balance, column kinds and missing values.

    Parameters
    ----------
    dataset : Dataset
        As returned by :func:`load_dataset` or :func:`load_table`.

    Returns
    -------
    DatasetProfile

    Examples
    --------
    >>> from skewlearn.datasets import load_dataset, profile
    >>> summary = profile(load_dataset("ecoli1"))
    >>> summary.class_counts.to_dict()
    {'negative': 259, 'positive': 77}
    >>> summary.minority_class, round(summary.imbalance_ratio, 2)
    ('positive', 3.36)
    >>> float(profile(load_dataset("airfoil")).target_summary["median"])
    125.721
    """
    X, y, task = dataset.X, dataset.y, dataset.meta["task"]
    if task == "regression":
        counts, ratio, minority = None, np.nan, None
        target_summary = _target_summary(y)
    else:
        counts = count_classes(y)
        ratio = float(counts.iloc[0] / counts.iloc[-1])
        minority, target_summary = counts.index[-1], None
    if "missing" in dataset.meta:  # counted by load_table before it dropped columns
        missing = pd.Series(dataset.meta["missing"], dtype="int64")
    else:
        missing = pd.concat([X, y], axis=1).isna().sum()
    return DatasetProfile(
        name=dataset.meta["name"],
        task=task,
        n_samples=len(X),
        n_features=X.shape[1],
        class_counts=counts,
        imbalance_ratio=ratio,
        minority_class=minority,
        column_kinds=dict(dataset.meta["column_kinds"]),
        missing=missing[missing > 0].rename("missing"),
        target_summary=target_summary,
    )
