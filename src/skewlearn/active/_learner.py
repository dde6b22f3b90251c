"""The pool-based active-learning loop: :class:`ActiveLearner` (teach, query, repeat)."""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state

from ._registry import make_strategy
from ._strategies import QueryStrategy, n_rows, n_to_select


def _stack(old: Any, new: Any) -> Any:
    if old is None:
        return new
    if isinstance(old, pd.DataFrame):
        return pd.concat([old, new], ignore_index=True)
    if sp.issparse(old):
        return sp.vstack([old, new], format="csr")
    return np.concatenate([old, new])


def _rows(X: Any) -> Any:
    """``X`` as a 2-D container that keeps its kind (data frame, sparse, array)."""
    if isinstance(X, pd.DataFrame) or sp.issparse(X):
        return X
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(
            f"X must be 2-D (rows x features); got shape {X.shape}. Reshape a single feature "
            "with X.reshape(-1, 1) or pass a list of rows."
        )
    return X


def checked_labels(y: ArrayLike, n: int) -> np.ndarray:
    """``y`` checked: one label per row (1-D), or for a multi-label target an indicator matrix
    of 0/1 (or False/True), one column per label, returned as integers."""
    y = np.asarray(y)
    if y.ndim not in (1, 2):
        raise ValueError(
            f"y must be 1-D (one label per row) or, for a multi-label target, a 2-D indicator "
            f"matrix (one 0/1 column per label); got shape {y.shape}."
        )
    if len(y) != n:
        raise ValueError(f"X has {n} rows but y has {len(y)} labels; give one label per row.")
    missing = np.asarray(pd.isna(y)).reshape(len(y), -1).any(axis=1)
    if missing.any():
        raise ValueError(
            f"y has no label at rows {np.flatnonzero(missing)[:10].tolist()}; teach only "
            "labelled rows (keep unlabelled ones in the pool)."
        )
    if y.ndim == 2:
        if not np.isin(y, [0, 1]).all():
            odd = pd.unique(y[~np.isin(y, [0, 1])].ravel())[:5].tolist()
            raise ValueError(
                f"a 2-D y is a multi-label indicator matrix of 0/1 per label; it holds {odd}. "
                "Turn label lists into columns with sklearn.preprocessing.MultiLabelBinarizer."
            )
        y = y.astype(np.int64)
    return y


class ActiveLearner:
    """Pool-based active learning with any scikit-learn classifier: teach, query, repeat.

    Parameters
    ----------
    estimator : classifier
        Refitted (a clone) on all labelled rows after every :meth:`teach`. For a multi-label
        target (``y`` an indicator matrix, one 0/1 column per label), one that learns such a
        target (``OneVsRestClassifier``, ``MultiOutputClassifier``, a random forest).
    strategy : str or QueryStrategy, default="tailor"
        A name of :func:`~skewlearn.active.strategy_names` or a strategy object (copied, so
        the one passed is left unchanged).
    batch_size : int, default=10
        Rows per :meth:`query`.
    random_state : int, RandomState or None, default=None
        Seed of the strategy's draws: the same labels and seed give the same queries.

    Attributes
    ----------
    estimator_ : classifier
        The estimator fitted on every labelled row.
    strategy_ : QueryStrategy
        The strategy in use (it may learn across rounds, as TAILOR does).
    classes_ : ndarray
        Every class labelled so far. A label never seen before is a new class: it is added
        here and learned at the next refit. Multi-label: the label columns ``0 .. n - 1``.
    label_counts_ : dict
        Class -> number of labelled rows (multi-label: label -> rows positive for it).
    X_labelled_ : ndarray, DataFrame or sparse matrix
        The labelled rows, in the order they were taught.
    y_labelled_ : ndarray
        Their labels.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import ActiveLearner
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2))
    >>> y = (X[:, 0] > 1.0).astype(int)
    >>> first = np.r_[np.flatnonzero(y == 0)[:5], np.flatnonzero(y == 1)[:5]]
    >>> learner = ActiveLearner(LogisticRegression(), "margin", batch_size=5, random_state=0)
    >>> learner = learner.teach(X[first], y[first])
    >>> pool = np.setdiff1d(np.arange(300), first)
    >>> rows = learner.query(X[pool])
    >>> learner = learner.teach(X[pool][rows], y[pool][rows])
    >>> sum(learner.label_counts_.values())
    15
    """

    def __init__(
        self,
        estimator: Any,
        strategy: str | QueryStrategy = "tailor",
        batch_size: int = 10,
        random_state: Any = None,
    ):
        self.estimator = estimator
        self.strategy = strategy
        self.batch_size = batch_size
        self.random_state = random_state

    def __repr__(self) -> str:
        return (
            f"ActiveLearner({self.estimator!r}, strategy={self.strategy!r}, "
            f"batch_size={self.batch_size}, random_state={self.random_state!r})"
        )

    def teach(self, X: Any, y: ArrayLike) -> ActiveLearner:
        """Add labelled rows and refit the estimator on all labelled rows.

        The labels of rows returned by the last :meth:`query` (all of them, in that order)
        also update the strategy (TAILOR's posteriors).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_rows, n_features)
        y : array-like of shape (n_rows,) or (n_rows, n_labels)
            Labels, or a multi-label indicator matrix (the same columns at every call).

        Returns
        -------
        self
        """
        X = _rows(X)
        y = checked_labels(y, n_rows(X))
        first = not hasattr(self, "estimator_")
        if not first and y.shape[1:] != self.y_labelled_.shape[1:]:
            raise ValueError(
                f"teach got labels of shape {y.shape} but the earlier ones have shape "
                f"{self.y_labelled_.shape}; keep one kind of target (1-D labels, or an indicator "
                "matrix with the same label columns) throughout."
            )
        if first:
            present = np.unique(y)
            if y.ndim == 1 and len(present) < 2:
                raise ValueError(
                    f"The first labelled set has a single class ({present.tolist()}); a "
                    "classifier needs at least two. Label a few rows of another class (e.g. "
                    "rows picked by RandomSampling or CoreSet, which need no model) and teach "
                    "them together."
                )
            self.strategy_ = (
                make_strategy(self.strategy)
                if isinstance(self.strategy, str)
                else copy.deepcopy(self.strategy)
            )
            self._rng = check_random_state(self.random_state)
            self._pending = None
            self.X_labelled_, self.y_labelled_ = None, None
        X_all = _stack(self.X_labelled_, X)
        y_all = y if self.y_labelled_ is None else np.concatenate([self.y_labelled_, y])
        estimator = clone(self.estimator).fit(X_all, y_all)
        self.X_labelled_, self.y_labelled_, self.estimator_ = X_all, y_all, estimator
        if y_all.ndim == 2:
            self.classes_, counts = np.arange(y_all.shape[1]), y_all.sum(axis=0)
        else:
            self.classes_, counts = np.unique(y_all, return_counts=True)
        self.label_counts_ = dict(zip(self.classes_.tolist(), counts.tolist(), strict=True))
        if self._pending is not None:
            if len(y) == self._pending:
                self.strategy_.update(y, self.classes_, self.label_counts_)
            else:
                warnings.warn(
                    f"teach got {len(y)} rows but the last query returned {self._pending}; "
                    "the rows are learned, but the strategy is not updated with them (it "
                    "cannot tell which of its choices they answer).",
                    UserWarning,
                    stacklevel=2,
                )
            self._pending = None
        return self

    def query(self, X_pool: Any, *, batch_size: int | None = None) -> NDArray[np.intp]:
        """Row numbers of ``X_pool`` to label next, most wanted first.

        Parameters
        ----------
        X_pool : array-like or DataFrame of shape (n_pool, n_features)
            The unlabelled rows.
        batch_size : int, default=None
            Overrides the learner's ``batch_size`` for this query.

        Returns
        -------
        ndarray of int, shape (min(batch_size, n_pool),)
            Distinct row numbers (positions, not index labels) into ``X_pool``.
        """
        if not hasattr(self, "estimator_"):
            raise NotFittedError(
                "This ActiveLearner has no labelled rows yet; call teach(X, y) with rows of "
                "at least two classes before query()."
            )
        X_pool = _rows(X_pool)
        size = self.batch_size if batch_size is None else batch_size
        k = n_to_select(X_pool, size)
        rows = np.asarray(
            self.strategy_.select(
                self.estimator_,
                X_pool,
                size,
                X_labelled=self.X_labelled_,
                y_labelled=self.y_labelled_,
                classes=self.classes_,
                random_state=self._rng,
            )
        )
        n = n_rows(X_pool)
        if (
            rows.shape != (k,)
            or not np.issubdtype(rows.dtype, np.integer)
            or len(np.unique(rows)) != k
            or (k and (rows.min() < 0 or rows.max() >= n))
        ):
            raise ValueError(
                f"{type(self.strategy_).__name__}.select returned {rows!r}; a query strategy "
                f"must return {k} distinct row numbers in [0, {n})."
            )
        self._pending = k
        return rows.astype(np.intp)
