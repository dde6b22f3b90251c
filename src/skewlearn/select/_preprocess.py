"""Preprocessing a learner needs: impute, encode categoricals, scale when the learner is linear.

Columns are chosen by dtype when the pipeline is fitted, so one recipe serves any table:
numbers are numeric, everything else (category, string, object, bool) is categorical.
"""

from __future__ import annotations

import numpy as np
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# Rare categories are pooled so that a fold never meets a one-hot column it cannot fit, and the
# width of the design matrix stays bounded on high-cardinality columns.
_MAX_CATEGORIES = 30
_MIN_FREQUENCY = 5

numeric_columns = make_column_selector(dtype_include=np.number)
categorical_columns = make_column_selector(dtype_exclude=np.number)


def make_preprocessor(*, scale: bool) -> ColumnTransformer:
    """Impute and one-hot encode; standardise numeric columns when ``scale`` is true.

    Categories seen fewer than five times (missing counts as one) share one column.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [30.0, None] * 6, "plan": ["a"] * 10 + ["b", None]})
    >>> list(make_preprocessor(scale=False).fit(X).get_feature_names_out())
    ['age', 'plan_a', 'plan_infrequent_sklearn']
    """
    numeric_steps = [SimpleImputer(strategy="median", keep_empty_features=True)]
    if scale:
        numeric_steps.append(StandardScaler())
    categorical = make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"),
        OneHotEncoder(
            handle_unknown="infrequent_if_exist",
            max_categories=_MAX_CATEGORIES,
            min_frequency=_MIN_FREQUENCY,
            sparse_output=False,
        ),
    )
    return ColumnTransformer(
        [
            ("numeric", make_pipeline(*numeric_steps), numeric_columns),
            ("categorical", categorical, categorical_columns),
        ],
        sparse_threshold=0.0,
        verbose_feature_names_out=False,
    )
