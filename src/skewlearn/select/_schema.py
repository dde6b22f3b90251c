"""The training table's schema, and the one way new tables are made to match it.

Training and prediction both pass their table through :meth:`TableSchema.conform`, so a column
read as integers from one CSV and as strings from another reaches the model with the same dtype.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from skewlearn.datasets._schema import column_differences


@dataclass(frozen=True)
class TableSchema:
    """Column names in order and the kind of each: ``"numeric"`` or ``"categorical"``.

    Examples
    --------
    >>> train = pd.DataFrame({"age": [30, 40], "plan": ["a", "b"]})
    >>> schema = TableSchema.from_frame(train)
    >>> schema.kinds
    {'age': 'numeric', 'plan': 'categorical'}
    >>> schema.conform(pd.DataFrame({"plan": ["b"], "age": ["51"]})).dtypes.astype(str).tolist()
    ['float64', 'category']
    """

    kinds: dict[str, str]

    @classmethod
    def from_frame(cls, X: pd.DataFrame) -> TableSchema:
        return cls(
            {
                str(column): "numeric"
                if pd.api.types.is_numeric_dtype(X[column])
                and not isinstance(X[column].dtype, pd.CategoricalDtype)
                else "categorical"
                for column in X.columns
            }
        )

    @property
    def columns(self) -> list[str]:
        return list(self.kinds)

    def conform(self, X: pd.DataFrame) -> pd.DataFrame:
        """``X`` with the training columns, in order, numeric as float, the rest as category.

        Raises a ValueError naming missing or unexpected columns, and numeric columns holding
        values that are not numbers.
        """
        X = X.rename(columns=str)
        differences = column_differences(self.columns, list(X.columns))
        if differences:
            raise ValueError(
                f"the table does not match the model's training columns ({differences}). "
                f"Expected exactly: {', '.join(map(repr, self.columns))}"
            )
        out = {}
        for column, kind in self.kinds.items():
            values = X[column]
            if kind == "numeric":
                numbers = pd.to_numeric(values, errors="coerce")
                bad = numbers.isna() & values.notna()
                if bad.any():
                    examples = ", ".join(repr(v) for v in values[bad].unique()[:3])
                    raise ValueError(
                        f"column {column!r} was numeric in training but holds {int(bad.sum())} "
                        f"non-numeric values (e.g. {examples}); fix or blank those cells"
                    )
                out[column] = numbers.astype(float)
            else:
                text = values.astype(object).where(values.isna(), values.astype(str))
                out[column] = text.astype("category")
        return pd.DataFrame(out, index=X.index)
