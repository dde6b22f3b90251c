"""What the regression samplers share: validation, relevance, bumps, mixed-type rows, output.

imbalanced-learn's ``BaseSampler`` checks for class labels, so regression samplers have their
own small template: ``fit_resample`` validates ``X`` and a numeric ``y``, computes relevance and
bumps, asks the subclass for (rows to keep, new rows), and returns the container it was given
(a DataFrame keeps its column dtypes, categories included). Any object with ``fit_resample``
drops into ``imblearn.pipeline.Pipeline``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from imblearn.base import BaseSampler
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, column_or_1d, validate_data

from .._sklearn_compat import check_weights
from ._bumps import Bump, find_bumps, target_sizes
from ._relevance import Relevance, resolve_relevance


@dataclass
class Rows:
    """Validated training rows, split into numeric and nominal columns.

    ``numeric`` is float; ``codes`` holds nominal columns as integer codes; ``embedding`` is the
    space whose Euclidean distance is HEOM (numeric columns divided by their range, nominal
    columns one-hot scaled so that a mismatch adds 1 to the squared distance).
    """

    X: object
    y: NDArray[np.float64]
    numeric: NDArray[np.float64]
    codes: NDArray[np.intp]
    numeric_columns: NDArray[np.intp]
    nominal_columns: NDArray[np.intp]

    def embedding(self, rows: NDArray[np.intp]) -> NDArray[np.float64]:
        num = self.numeric[rows]
        span = np.ptp(self.numeric, axis=0) if self.numeric.size else np.ones(0)
        parts = [(num - self.numeric.min(axis=0)) / np.where(span > 0, span, 1.0)]
        for j in range(self.codes.shape[1]):
            parts.append(np.eye(self.codes[:, j].max() + 1)[self.codes[rows, j]] / np.sqrt(2.0))
        return np.hstack(parts) if parts else np.zeros((rows.size, 0))


@dataclass
class NewRows:
    """Synthetic rows: numeric values, for each nominal column the row that lends it, and the
    seed row each was made from (interpolated from, perturbed or copied)."""

    numeric: NDArray[np.float64]
    lenders: NDArray[np.intp]
    y: NDArray[np.float64]
    seeds: NDArray[np.intp]


def _nominal_mask(X, categorical_features) -> NDArray[np.bool_]:
    n_features = X.shape[1]
    if categorical_features is None:
        return np.zeros(n_features, dtype=bool)
    if isinstance(categorical_features, str):  # "auto", the only string the constraints let in
        if not isinstance(X, pd.DataFrame):
            return np.zeros(n_features, dtype=bool)
        return np.array(
            [not pd.api.types.is_numeric_dtype(X[c]) or X[c].dtype == bool for c in X.columns]
        )
    chosen = np.asarray(categorical_features)
    if chosen.dtype == bool:
        if chosen.shape != (n_features,):
            raise ValueError(f"a categorical_features mask needs {n_features} entries.")
        return chosen
    mask = np.zeros(n_features, dtype=bool)
    if chosen.dtype.kind in "iu":
        mask[chosen] = True
    elif isinstance(X, pd.DataFrame):
        mask[X.columns.get_indexer(chosen)] = True
    else:
        raise ValueError("categorical_features names need a DataFrame X; pass column indices.")
    return mask


class RegressionSampler(BaseSampler):
    """Base of the relevance-driven regression samplers (not for direct use).

    It takes imbalanced-learn's sampler tags from ``BaseSampler`` and replaces its
    ``fit``/``fit_resample`` (which require class labels); ``_fit_resample`` holds the
    algorithm.
    """

    _grows_rare = False
    _shrinks_normal = False

    def _validate(self, X, y, *, reset: bool = True) -> Rows:
        if isinstance(X, pd.DataFrame):
            X, y = validate_data(self, X, y, reset=reset, skip_check_array=True)
            y = column_or_1d(check_array(y, ensure_2d=False, dtype=np.float64, input_name="y"))
            if X.shape[0] != y.shape[0] or X.shape[0] < 2:
                raise ValueError(
                    f"X has {X.shape[0]} rows and y {y.shape[0]} values; both need the same "
                    "number, at least 2."
                )
            if X.isna().to_numpy().any():
                raise ValueError(
                    "X has missing values: impute them first (new rows are built from the "
                    "values of existing ones)."
                )
        else:
            X, y = validate_data(
                self, X, y, dtype=[np.float64, np.float32], y_numeric=True, ensure_min_samples=2
            )
            y = column_or_1d(y)
        y_float = np.asarray(y, dtype=np.float64)
        if not np.all(np.isfinite(y_float)):
            raise ValueError("y has NaN or infinite values; drop those rows first.")
        nominal = _nominal_mask(X, self.categorical_features)
        numeric_columns, nominal_columns = np.flatnonzero(~nominal), np.flatnonzero(nominal)
        if isinstance(X, pd.DataFrame):
            numeric = check_array(
                X.iloc[:, numeric_columns], dtype=np.float64, ensure_min_features=0
            )
            codes = np.column_stack(
                [pd.factorize(X.iloc[:, j])[0] for j in nominal_columns]
                or [np.zeros((X.shape[0], 0), dtype=np.intp)]
            )
        else:
            numeric = np.asarray(X[:, numeric_columns], dtype=np.float64)
            codes = np.column_stack(
                [np.unique(X[:, j], return_inverse=True)[1] for j in nominal_columns]
                or [np.zeros((X.shape[0], 0), dtype=np.intp)]
            )
        return Rows(X, y_float, numeric, codes.astype(np.intp), numeric_columns, nominal_columns)

    def _relevance(self, y: NDArray[np.float64]) -> NDArray[np.float64]:
        relevance = self.relevance
        if isinstance(relevance, Relevance):
            relevance = clone(relevance)
        return resolve_relevance(relevance, y)

    def _plan(self, X, y) -> tuple[Rows, list[Bump], list[int] | None]:
        self._validate_params()  # every parameter, once, before the data are looked at
        rows = self._validate(X, y)
        self.relevance_ = self._relevance(rows.y)
        bumps = find_bumps(rows.y, self.relevance_, self.threshold)
        if all(b.rare == bumps[0].rare for b in bumps):
            warnings.warn(
                f"all targets are {'rare' if bumps[0].rare else 'normal'} at relevance "
                f"threshold {self.threshold}: nothing to resample, the data is returned as is.",
                UserWarning,
                stacklevel=3,
            )
            sizes = None
        else:
            sizes = target_sizes(
                bumps,
                self.sampling_strategy,
                grow_rare=self._grows_rare,
                shrink_normal=self._shrinks_normal,
            )
        group = [b.rare for b in bumps]
        final = [b.rows.size for b in bumps] if sizes is None else sizes
        self.sampling_strategy_ = {
            "rare": sum(n for n, rare in zip(final, group) if rare),
            "normal": sum(n for n, rare in zip(final, group) if not rare),
        }
        return rows, bumps, sizes

    def fit(self, X, y):
        """Check the data and parameters and work out the new group sizes.

        Returns
        -------
        self
        """
        self._plan(X, y)
        return self

    def fit_resample(self, X, y, sample_weight=None):
        """Resample the dataset, and the sample weights with it when they are given.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Numeric targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows: a kept (or repeated) row keeps its weight, a new row gets
            the weight of its seed row (the row it was interpolated from, perturbed or
            copied).

        Returns
        -------
        X_resampled : {ndarray, DataFrame, list} of shape (n_samples_new, n_features)
            Same container as ``X``.
        y_resampled : {ndarray, Series, DataFrame, list} of shape (n_samples_new,)
            Same container as ``y``.
        sample_weight_resampled : ndarray of shape (n_samples_new,)
            Only when ``sample_weight`` is given.
        """
        rows, bumps, sizes = self._plan(X, y)
        weights = None if sample_weight is None else check_weights(sample_weight, rows.y.size)
        if sizes is None:
            kept, new = np.arange(rows.y.size), None
        else:
            rng = check_random_state(self.random_state)
            kept, new = self._fit_resample(rows, bumps, sizes, rng)
        X_out, y_out = _assemble(rows, kept, new, X, y)
        if weights is None:
            return X_out, y_out
        sources = kept if new is None else np.r_[kept, new.seeds]
        return X_out, y_out, weights[sources]

    def _fit_resample(
        self, rows: Rows, bumps: list[Bump], sizes: list[int], rng: np.random.RandomState
    ) -> tuple[NDArray[np.intp], NewRows | None]:
        """Rows of X to keep (repeats allowed) and new rows, for these bump sizes."""
        raise NotImplementedError

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


def _assemble(rows: Rows, kept: NDArray[np.intp], new: NewRows | None, X_in, y_in):
    X, y = rows.X, rows.y
    y_array = column_or_1d(np.asarray(y_in))
    if new is None:
        y_out = y_array[kept]
    else:
        y_out = np.r_[y[kept], new.y].astype(np.result_type(y_array.dtype, np.float32))
    if isinstance(X, pd.DataFrame):
        X_out = X.iloc[kept].reset_index(drop=True)
        if new is not None and new.y.size:
            X_out = pd.concat([X_out, _new_frame(X, rows, new)], ignore_index=True)
    else:
        X_out = X[kept]
        if new is not None and new.y.size:
            X_new = np.empty((new.y.size, X.shape[1]), dtype=X.dtype)
            X_new[:, rows.numeric_columns] = new.numeric
            for k, j in enumerate(rows.nominal_columns):
                X_new[:, j] = X[new.lenders[:, k], j]
            X_out = np.vstack([X_out, X_new])
        if isinstance(X_in, list):
            X_out = X_out.tolist()
    if isinstance(y_in, pd.Series):
        return X_out, pd.Series(y_out, name=y_in.name)
    if isinstance(y_in, pd.DataFrame):
        return X_out, pd.DataFrame(y_out[:, None], columns=y_in.columns)
    if isinstance(y_in, list):
        return X_out, y_out.tolist()
    return X_out, y_out


def _new_frame(X: pd.DataFrame, rows: Rows, new: NewRows) -> pd.DataFrame:
    columns = {}
    for k, j in enumerate(rows.numeric_columns):
        values = new.numeric[:, k]
        dtype = X.dtypes.iloc[j]
        columns[X.columns[j]] = values.astype(dtype) if dtype.kind == "f" else values
    for k, j in enumerate(rows.nominal_columns):
        columns[X.columns[j]] = X.iloc[new.lenders[:, k], j].reset_index(drop=True)
    return pd.DataFrame(columns, columns=X.columns)
