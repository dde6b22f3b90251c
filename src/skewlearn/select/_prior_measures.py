"""Cheap measures of a data set that say which strategies tend to help on it.

They place a data set among the benchmark's data sets for :class:`DataPrior`: its size, its
smallest class, its imbalance, its width, how much of it is categorical, and how its minority
rows sit among their neighbours (the safe / borderline / rare / outlier typology of
:func:`skewlearn.diagnose.minority_typology`, on a stratified sample of large data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skewlearn.diagnose import minority_typology

# Names and order of the measures; DataPrior's evidence is recorded under these names.
MEASURES = (
    "log_rows",
    "log_minority",
    "log_imbalance",
    "log_features",
    "categorical_share",
    "safe",
    "borderline",
    "rare",
    "outlier",
)
# Above this many rows the typology runs on a stratified sample of this size (0.2 s on 10k
# rows x 20 features).
TYPOLOGY_ROWS = 5000


def _stratified_sample(y: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Rows of a sample of ``size`` rows that keeps each class's share, at least 6 rows of each
    class that has them (the typology asks 5 neighbours of each minority row)."""
    picked = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        take = min(len(members), max(6, round(size * len(members) / len(y))))
        picked.append(rng.choice(members, take, replace=False))
    return np.sort(np.concatenate(picked))


def data_measures(X, y, *, random_state: int = 0) -> dict[str, float]:
    """The measures of ``MEASURES`` for a classification data set.

    Sizes are base-10 logarithms: rows, rows of the smallest class, largest over smallest
    class, columns.  ``categorical_share`` is the share of columns that are not numeric.
    ``safe`` ... ``outlier`` are the shares of minority rows (every class but the largest) of
    each type among their 5 nearest neighbours; above ``TYPOLOGY_ROWS`` rows they are
    estimated on a stratified sample of that many rows.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    random_state : int, default=0
        Seeds the sample of large data.

    Returns
    -------
    dict of str to float

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(1000, 5, weights=[0.9], random_state=0)
    >>> measures = data_measures(X, y)
    >>> round(measures["log_imbalance"], 2), measures["categorical_share"]
    (0.94, 0.0)
    >>> round(sum(measures[k] for k in ("safe", "borderline", "rare", "outlier")), 6)
    1.0
    """
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
    y = np.asarray(y)
    if len(frame) != len(y):
        raise ValueError(f"X has {len(frame)} rows but y has {len(y)}: pass one label per row.")
    counts = np.unique(y, return_counts=True)[1]
    if len(counts) < 2:
        raise ValueError("y has a single class: the measures compare classes; pass two or more.")
    if frame.shape[1] == 0:
        raise ValueError("X has no columns: the measures need at least one feature.")
    rows = np.arange(len(y))
    if len(y) > TYPOLOGY_ROWS:
        rows = _stratified_sample(y, TYPOLOGY_ROWS, np.random.default_rng(random_state))
    typology = minority_typology(frame.iloc[rows], y[rows])
    by_type = pd.DataFrame(typology.counts).sum(axis=1)
    shares = by_type / max(1, by_type.sum())
    numeric = frame.select_dtypes(include=np.number).shape[1]
    return {
        "log_rows": float(np.log10(len(y))),
        "log_minority": float(np.log10(counts.min())),
        "log_imbalance": float(np.log10(counts.max() / counts.min())),
        "log_features": float(np.log10(frame.shape[1])),
        "categorical_share": 1 - numeric / frame.shape[1],
        **{kind: float(shares[kind]) for kind in ("safe", "borderline", "rare", "outlier")},
    }
