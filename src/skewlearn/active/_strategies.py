"""Query strategies that rank the pool by the model's own uncertainty, and their base class.

Every strategy answers one question, :meth:`QueryStrategy.select`: which rows of the pool to
label next. It returns distinct row numbers in order of preference (the first is the row it
wants most), so a meta-strategy such as :class:`~skewlearn.active.TailorSelector` can take
rows from several strategies one at a time. Equal scores are ordered at random from
``random_state``, so that ties do not always favour the first rows of the pool.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.utils import check_random_state


def n_rows(X: Any) -> int:
    """Number of rows of an array, data frame or sparse matrix."""
    shape = getattr(X, "shape", None)
    if shape is None:
        return len(X)
    if len(shape) != 2:
        raise ValueError(
            f"X_pool must be 2-D (rows x features); got an array of shape {tuple(shape)}. "
            "Reshape a single feature with X.reshape(-1, 1)."
        )
    return int(shape[0])


def n_to_select(X_pool: Any, batch_size: int) -> int:
    """``min(batch_size, len(X_pool))``, with clear errors for an empty pool or a bad size."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size must be a positive int; got {batch_size!r}.")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1; got {batch_size}.")
    n = n_rows(X_pool)
    if n == 0:
        raise ValueError("The pool is empty: there is no row left to query.")
    return min(int(batch_size), n)


def top_rows(scores: NDArray, k: int, random_state: Any) -> NDArray[np.intp]:
    """Row numbers of the ``k`` highest scores, highest first, equal scores in random order."""
    rng = check_random_state(random_state)
    order = rng.permutation(len(scores))
    shuffled = scores[order]
    if k < len(scores):
        # Partition first: a full sort of a 100k-row pool for a batch of 10 is wasted work.
        part = np.argpartition(-shuffled, k - 1)[:k]
        part = part[np.argsort(-shuffled[part], kind="stable")]
    else:
        part = np.argsort(-shuffled, kind="stable")
    return order[part].astype(np.intp)


def is_multilabel(y: ArrayLike | None) -> bool:
    """Whether labels ``y`` are a multi-label indicator matrix (one column per label)."""
    return y is not None and np.ndim(y) == 2


def _check_proba(estimator: Any, who: str) -> None:
    if estimator is None:
        raise ValueError(
            f"{who} ranks rows by the model's probabilities, so it needs the fitted estimator; "
            "got None. Fit a classifier on the labelled rows first (ActiveLearner.teach)."
        )
    if not hasattr(estimator, "predict_proba"):
        raise TypeError(
            f"{who} needs a classifier with predict_proba; {type(estimator).__name__} has "
            "none. Wrap it in sklearn.calibration.CalibratedClassifierCV or use "
            "RandomSampling / CoreSet."
        )


def predicted_proba(estimator: Any, X_pool: Any, who: str) -> NDArray[np.float64]:
    """``estimator.predict_proba(X_pool)`` with a clear error when there is none."""
    _check_proba(estimator, who)
    return np.asarray(estimator.predict_proba(X_pool), dtype=float)


def label_probabilities(estimator: Any, X_pool: Any, who: str) -> NDArray[np.float64]:
    """For a multi-label target, the probability of each label being positive on each row,
    shape (n_rows, n_labels).

    ``predict_proba`` gives this matrix (``OneVsRestClassifier``) or one (n_rows, 2) array
    per label (``MultiOutputClassifier``, forests); a label with a single value in the
    labelled rows has a one-column array there, and that value (``classes_``) is its answer.
    """
    _check_proba(estimator, who)
    proba = estimator.predict_proba(X_pool)
    if not isinstance(proba, list):
        return np.asarray(proba, dtype=float)
    columns = []
    for j, label in enumerate(proba):
        label = np.asarray(label, dtype=float)
        if label.shape[1] == 2:
            columns.append(label[:, 1])
        else:
            columns.append(np.full(len(label), float(estimator.classes_[j][0] == 1)))
    return np.column_stack(columns)


class QueryStrategy:
    """Base of the query strategies: ``select`` rows to label, ``update`` after the answers.

    Subclasses implement :meth:`select`; :meth:`update` is a no-op here (only strategies
    that learn across rounds, such as :class:`~skewlearn.active.TailorSelector`, override it).
    """

    #: Source of randomness when ``select`` gets ``random_state=None`` (None: numpy's global
    #: generator); :func:`~skewlearn.active.make_strategy` sets it from its seed.
    random_state: Any = None

    def _rng(self, random_state: Any) -> np.random.RandomState:
        return check_random_state(self.random_state if random_state is None else random_state)

    @property
    def name(self) -> str:
        """The strategy's name in :func:`~skewlearn.active.strategy_names` (else its class)."""
        return getattr(self, "_name", type(self).__name__)

    def select(
        self,
        estimator: Any,
        X_pool: Any,
        batch_size: int,
        *,
        X_labelled: Any = None,
        y_labelled: ArrayLike | None = None,
        classes: ArrayLike | None = None,
        random_state: Any = None,
    ) -> NDArray[np.intp]:
        """Distinct row numbers of ``X_pool`` to label, most wanted first.

        Parameters
        ----------
        estimator : classifier or None
            The learner fitted on the labelled rows.
        X_pool : array-like of shape (n_pool, n_features)
            The unlabelled rows.
        batch_size : int
            How many rows to return (the whole pool when it has fewer).
        X_labelled, y_labelled : array-like, default=None
            The rows labelled so far and their labels.
        classes : array-like, default=None
            Every class known so far.
        random_state : int, RandomState or None
            Seed of the strategy's random choices (ties included).

        Returns
        -------
        ndarray of int, shape (min(batch_size, n_pool),)
        """
        raise NotImplementedError(f"{type(self).__name__} must implement select().")

    def update(self, y_new: ArrayLike, classes: ArrayLike, label_counts: dict) -> None:
        """Learn from the labels of the last batch (nothing to learn for this strategy)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class RandomSampling(QueryStrategy):
    """Rows drawn uniformly at random, without replacement: the baseline of every comparison.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.active import RandomSampling
    >>> rows = RandomSampling().select(None, np.zeros((10, 2)), 3, random_state=0)
    >>> len(set(rows.tolist()))
    3
    """

    _name = "random"

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        k = n_to_select(X_pool, batch_size)
        rng = self._rng(random_state)
        return rng.choice(n_rows(X_pool), size=k, replace=False).astype(np.intp)


class _Uncertainty(QueryStrategy):
    """Rows with the highest uncertainty score computed from ``predict_proba``.

    For a multi-label target (``y_labelled`` an indicator matrix) each label is a binary
    question, and a row's score is the mean of its labels' scores.
    """

    def _score(self, proba: NDArray) -> NDArray:
        raise NotImplementedError

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        k = n_to_select(X_pool, batch_size)
        who = type(self).__name__
        if is_multilabel(y_labelled):
            positive = label_probabilities(estimator, X_pool, who)
            binary = np.stack([1.0 - positive, positive], axis=2).reshape(-1, 2)
            scores = self._score(binary).reshape(positive.shape).mean(axis=1)
        else:
            scores = self._score(predicted_proba(estimator, X_pool, who))
        return top_rows(scores, k, self._rng(random_state))


class LeastConfidence(_Uncertainty):
    """Rows whose most probable class has the lowest probability (1 - max p).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import LeastConfidence
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> model = LogisticRegression().fit(X, X.ravel() >= 10)
    >>> sorted(LeastConfidence().select(model, X, 2, random_state=0).tolist())
    [9, 10]
    """

    _name = "least_confidence"

    def _score(self, proba):
        return 1.0 - proba.max(axis=1)


class MarginSampling(_Uncertainty):
    """Rows with the smallest gap between the two most probable classes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import MarginSampling
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> model = LogisticRegression().fit(X, X.ravel() >= 10)
    >>> sorted(MarginSampling().select(model, X, 2, random_state=0).tolist())
    [9, 10]
    """

    _name = "margin"

    def _score(self, proba):
        if proba.shape[1] < 2:
            return np.zeros(len(proba))
        top2 = np.partition(proba, -2, axis=1)[:, -2:]
        return top2[:, 0] - top2[:, 1]


class EntropySampling(_Uncertainty):
    """Rows whose predicted class distribution has the highest entropy.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import EntropySampling
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> model = LogisticRegression().fit(X, X.ravel() >= 10)
    >>> sorted(EntropySampling().select(model, X, 2, random_state=0).tolist())
    [9, 10]
    """

    _name = "entropy"

    def _score(self, proba):
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(proba > 0, proba * np.log(proba), 0.0)
        return -terms.sum(axis=1)
