"""The profile of a table larger than memory, counted partition by partition.

Each partition reports its row count, class counts, missing values and per-column minimum
and maximum; the client adds them up. No partition's rows reach the client, so the memory
it needs grows with the number of partitions and columns, not rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._errors import DataError
from ._profile import DatasetProfile
from ._schema import MAX_CLASSES, _looks_like_id_name


@dataclass(frozen=True)
class LazyProfile:
    """What :func:`profile_lazy` found: the profile and what a stratified sample needs.

    Attributes
    ----------
    profile : DatasetProfile
        As :func:`profile` gives for a table in memory (``column_kinds`` of the features
        only; ``missing`` of every column, target included).
    partition_counts : pandas.DataFrame
        Rows per class (columns, the ``profile.class_counts`` labels) in each partition.
    dropped : dict
        Feature columns left out of learning and why (empty, constant, id-like), in the
        words of :func:`load_table`.
    """

    profile: DatasetProfile
    partition_counts: pd.DataFrame
    dropped: dict[str, str]


_DROP_REASONS = {
    "empty": "empty: every value is missing",
    "constant": "constant: one distinct value, nothing to learn from",
    "id-like": "id-like: an integer identifier (named like one, none missing)",
}


def class_labels(values: pd.Series) -> pd.Series:
    """Whole-number labels as ``int64``, as :func:`~skewlearn.datasets.as_class_labels` gives
    them in memory: a Parquet target keeps its stored type (``int8``, ``uint16``, ``float``),
    and a model file holds labels only as the types it trusts. Bool and text stay as they are.

    Only for labels already checked to be whole numbers (:func:`profile_lazy` refuses others).

    >>> class_labels(pd.Series([0, 1], dtype="int8")).dtype
    dtype('int64')
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("int64")
    return values


def _partition_stats(X_part: pd.DataFrame, y_part: pd.Series) -> dict:
    y_part = pd.Series(np.asarray(y_part))
    present = y_part.dropna()
    fractional = pd.api.types.is_float_dtype(present) and bool((present != present.round()).any())
    return {
        "rows": len(X_part),
        "classes": present.value_counts(sort=False),
        "target_missing": int(y_part.isna().sum()),
        "fractional": fractional,
        "missing": X_part.isna().sum(),
        "min": X_part.min(),
        "max": X_part.max(),
    }


def profile_lazy(X, y, name: str) -> LazyProfile:
    """Profile Dask ``X`` and ``y`` (from :func:`read_parquet_lazy`) in one pass over the data.

    Column kinds are "numeric" (the lazy reader takes numeric features only), "empty" (every
    value missing), "constant" (one distinct value) or "id-like": an integer column named
    like an identifier (``id``, ``user_id``...) with no value missing. Unlike
    :func:`load_table`, an id-like column is not recognised by its values (that would need
    every value at once): drop unnamed identifiers before profiling.

    Raises
    ------
    DataError
        When the target has missing values, a single class, or looks continuous
        (fractions, or more than 20 distinct values): a table larger than memory is
        profiled for classification.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> frame = pd.DataFrame({"amount": [1.0, 2.0, None, 4.0], "k": [1] * 4, "y": [0, 0, 1, 0]})
    >>> ddf = dd.from_pandas(frame, npartitions=2)
    >>> found = profile_lazy(ddf[["amount", "k"]], ddf["y"], "demo")
    >>> found.profile.class_counts.to_dict(), found.profile.column_kinds
    ({0: 3, 1: 1}, {'amount': 'numeric', 'k': 'constant'})
    >>> found.partition_counts.to_numpy().tolist()
    [[2, 0], [1, 1]]
    """
    import dask

    x_parts = X.to_delayed(optimize_graph=False)
    y_parts = y.to_delayed(optimize_graph=False)
    stats = dask.compute(
        *[dask.delayed(_partition_stats)(xp, yp) for xp, yp in zip(x_parts, y_parts)]
    )
    n_rows = sum(s["rows"] for s in stats)
    target = str(y.name)
    missing_target = sum(s["target_missing"] for s in stats)
    if missing_target:
        raise DataError(
            f"target column {target!r} has {missing_target} missing value(s) out of {n_rows} "
            "rows; drop or fill those rows first."
        )
    per_part = pd.DataFrame([s["classes"] for s in stats]).fillna(0).astype("int64")
    per_part = per_part.reset_index(drop=True)
    if any(s["fractional"] for s in stats) or per_part.shape[1] > MAX_CLASSES:
        raise DataError(
            f"target column {target!r} looks continuous (fractions, or more than "
            f"{MAX_CLASSES} distinct values); compare chooses among classification "
            "strategies: give a categorical target with --target."
        )
    if per_part.shape[1] < 2:
        raise DataError(
            f"target column {target!r} has only one class ({per_part.columns[0]!r}); learning "
            "needs at least two. Is this the right target column?"
        )
    per_part.columns = class_labels(pd.Series(per_part.columns)).to_numpy()
    per_part = per_part[sorted(per_part.columns)]
    counts = per_part.sum().sort_values(ascending=False, kind="stable").rename("count")
    missing = sum((s["missing"] for s in stats), start=pd.Series(0, index=X.columns))
    low = pd.concat([s["min"] for s in stats], axis=1).min(axis=1)
    high = pd.concat([s["max"] for s in stats], axis=1).max(axis=1)
    kinds = {}
    for column in X.columns:
        if missing[column] == n_rows:
            kinds[column] = "empty"
        elif low[column] == high[column]:
            kinds[column] = "constant"
        elif (
            pd.api.types.is_integer_dtype(X.dtypes[column])
            and missing[column] == 0
            and _looks_like_id_name(str(column))
        ):
            kinds[column] = "id-like"
        else:
            kinds[column] = "numeric"
    if all(kind != "numeric" for kind in kinds.values()):
        raise DataError(
            f"no usable feature column besides the target {target!r}: "
            + "; ".join(f"{c!r} is {_DROP_REASONS[kind]}" for c, kind in kinds.items())
        )
    all_missing = pd.concat([missing, pd.Series({target: 0})])
    summary = DatasetProfile(
        name=name,
        task="binary" if len(counts) == 2 else "multiclass",
        n_samples=n_rows,
        n_features=sum(kind == "numeric" for kind in kinds.values()),
        class_counts=counts,
        imbalance_ratio=float(counts.iloc[0] / counts.iloc[-1]),
        minority_class=counts.index[-1],
        column_kinds=kinds,
        missing=all_missing[all_missing > 0].astype("int64").rename("missing"),
        target_summary=None,
    )
    dropped = {c: _DROP_REASONS[kind] for c, kind in kinds.items() if kind in _DROP_REASONS}
    return LazyProfile(summary, per_part, dropped)
