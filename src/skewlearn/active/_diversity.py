"""Query strategies that spread the batch out in a feature space: core-set and BADGE.

* :class:`CoreSet` (Sener & Savarese, 2018) is k-center greedy: each next row is the one
  farthest from everything labelled or already chosen, in the (standardised) features.
* :class:`BadgeSampling` (Ash et al., 2020) runs k-means++ seeding on gradient embeddings:
  the gradient of the loss at the predicted label with respect to the last layer's weights,
  ``(p - onehot(argmax p)) outer h(x)``, whose length grows with the model's uncertainty and
  whose direction says what the row would change. ``h(x)`` is the input of the last layer:
  the features a linear model sees, or the last hidden layer of an ``MLPClassifier``.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.utils import check_array

from ._strategies import QueryStrategy, is_multilabel, n_to_select, predicted_proba


def finite_matrix(X, who: str, what: str = "X_pool") -> np.ndarray:
    """``X`` as a dense float matrix, refusing NaN and infinity with a clear error."""
    matrix = check_array(X, dtype=float, ensure_all_finite=False, ensure_min_samples=0)
    if not np.isfinite(matrix).all():
        raise ValueError(
            f"{who} measures distances between rows and {what} has NaN or infinite values; "
            "impute them first (sklearn.impute.SimpleImputer in a pipeline) or use an "
            "uncertainty strategy ('margin') with a model that handles NaN "
            "(HistGradientBoostingClassifier)."
        )
    return matrix


class CoreSet(QueryStrategy):
    """k-center greedy: rows farthest from everything labelled or already chosen.

    Parameters
    ----------
    scale : bool, default=True
        Standardise each feature (mean and spread of the pool and labelled rows together)
        before measuring distances, so that no feature dominates by its unit.
    max_candidates : int or None, default=20_000
        On a larger pool the batch is chosen among a uniformly random (seeded) subset of
        ``max(max_candidates, 10 * batch_size)`` pool rows: each greedy step is a pass over
        the candidates, so on a 100,000-row pool a 1,000-row batch costs 5x less. The farthest
        rows of a random fifth of the pool are about as far as the farthest of all of it (the
        pool is a sample too). None: always the whole pool.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.active import CoreSet
    >>> X_pool = np.array([[0.0, 0.0], [1.0, 0.0], [9.0, 0.0]])
    >>> CoreSet(scale=False).select(None, X_pool, 1, X_labelled=np.zeros((1, 2))).tolist()
    [2]
    """

    _name = "coreset"

    def __init__(self, scale: bool = True, max_candidates: int | None = 20_000):
        if max_candidates is not None and (
            isinstance(max_candidates, bool)
            or not isinstance(max_candidates, (int, np.integer))
            or max_candidates < 1
        ):
            raise ValueError(
                f"max_candidates must be a positive int or None; got {max_candidates!r}."
            )
        self.scale = scale
        self.max_candidates = max_candidates

    def __repr__(self) -> str:
        return f"CoreSet(scale={self.scale}, max_candidates={self.max_candidates})"

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        k = n_to_select(X_pool, batch_size)
        pool = finite_matrix(X_pool, "CoreSet")
        labelled = (
            np.empty((0, pool.shape[1]))
            if X_labelled is None
            else finite_matrix(X_labelled, "CoreSet", "X_labelled")
        )
        rng = self._rng(random_state)
        candidates = self._candidates(len(pool), k, rng)
        if self.scale:
            centre, spread = _centre_and_spread(pool, labelled)
            labelled = (labelled - centre) / spread
        if candidates is not None:
            pool = pool[candidates]
        if self.scale:
            pool = (pool - centre) / spread
        # float32 halves the memory traffic of the k passes over the pool; the order of
        # distances is all that matters here.
        pool = pool.astype(np.float32)
        distance = _SquaredDistance(pool)
        if len(labelled):
            _, nearest = pairwise_distances_argmin_min(pool, labelled.astype(np.float32))
            nearest = nearest**2
            chosen = []
        else:
            # Nothing labelled yet: the first row is drawn at random, as k-means++ starts.
            chosen = [int(rng.randint(len(pool)))]
            nearest = distance.to(chosen[0])
            nearest[chosen[0]] = -1.0
        while len(chosen) < k:
            row = int(np.argmax(nearest))
            chosen.append(row)
            np.minimum(nearest, distance.to(row), out=nearest)
            # A chosen row stays below every distance (all >= 0) from here on.
            nearest[row] = -1.0
        chosen = np.asarray(chosen, dtype=np.intp)
        return chosen if candidates is None else candidates[chosen]

    def _candidates(self, n_pool: int, k: int, rng) -> np.ndarray | None:
        """Rows the batch is chosen among: None for the whole pool, else a random subset."""
        if self.max_candidates is None:
            return None
        size = max(self.max_candidates, 10 * k)
        if n_pool <= size:
            return None
        return np.sort(rng.choice(n_pool, size=size, replace=False)).astype(np.intp)


def _centre_and_spread(pool: np.ndarray, labelled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each feature over the pool and labelled rows together,
    without a stacked copy of a large pool."""
    n = len(pool) + len(labelled)
    centre = (pool.sum(axis=0) + labelled.sum(axis=0)) / n
    # Two passes (deviations from the mean), as numpy.std: no cancellation of large squares.
    squares = sum(np.einsum("ij,ij->j", part - centre, part - centre) for part in (pool, labelled))
    spread = np.sqrt(squares / n)
    spread[spread == 0] = 1.0
    return centre, spread


class _SquaredDistance:
    """Squared distances of every point to one of them, as ``|x|^2 - 2 x.c + |c|^2``: one
    matrix-vector product per call instead of an (n, d) temporary."""

    def __init__(self, points: np.ndarray):
        self.points = points
        self.norms = np.einsum("ij,ij->i", points, points)

    def to(self, row: int) -> np.ndarray:
        squared = self.norms - 2 * (self.points @ self.points[row]) + self.norms[row]
        return np.maximum(squared, 0, out=squared)


_ACTIVATIONS = {
    "identity": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "logistic": lambda z: 1.0 / (1.0 + np.exp(-z)),
}


def last_layer_input(estimator, X) -> np.ndarray:
    """The input of the model's last layer for rows ``X``: what BADGE's gradients multiply."""
    if estimator is None:
        predicted_proba(estimator, X, "BadgeSampling")
    steps = getattr(estimator, "steps", None)
    final = steps[-1][1] if steps else estimator
    features = estimator[:-1].transform(X) if steps and len(steps) > 1 else X
    if hasattr(final, "coefs_") and hasattr(final, "intercepts_"):
        hidden = finite_matrix(features, "BadgeSampling")
        activation = _ACTIVATIONS[final.activation]
        for weights, bias in zip(final.coefs_[:-1], final.intercepts_[:-1], strict=True):
            hidden = activation(hidden @ weights + bias)
        return hidden
    if hasattr(final, "coef_"):
        return finite_matrix(features, "BadgeSampling")
    raise TypeError(
        f"BadgeSampling needs gradient embeddings of the last layer, which "
        f"{type(final).__name__} does not expose: use a linear model (with coef_, e.g. "
        "LogisticRegression) or an MLPClassifier as the final step, or another strategy "
        "('margin', 'coreset')."
    )


class BadgeSampling(QueryStrategy):
    """k-means++ seeding on gradient embeddings (BADGE): uncertain and diverse rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import BadgeSampling
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 2))
    >>> model = LogisticRegression().fit(X, X[:, 0] > 0)
    >>> rows = BadgeSampling().select(model, X, 5, random_state=0)
    >>> len(set(rows.tolist()))
    5
    """

    _name = "badge"

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        k = n_to_select(X_pool, batch_size)
        if is_multilabel(y_labelled):
            raise TypeError(
                "BadgeSampling's gradient embeddings are those of one softmax over the classes; "
                "a multi-label target has a sigmoid per label: use 'margin', 'coreset' or "
                "'class_balanced'."
            )
        hidden = last_layer_input(estimator, X_pool).astype(np.float32)
        proba = predicted_proba(estimator, X_pool, "BadgeSampling")
        residual = proba.astype(np.float32)
        residual[np.arange(len(proba)), proba.argmax(axis=1)] -= 1.0
        embedding = (residual[:, :, None] * hidden[:, None, :]).reshape(len(proba), -1)
        return _kmeans_pp(embedding, k, self._rng(random_state))


def _kmeans_pp(points: np.ndarray, k: int, rng: np.random.RandomState) -> np.ndarray:
    """k-means++ seeding; the first seed is the longest vector, as BADGE starts."""
    distance = _SquaredDistance(points)
    chosen = [int(np.argmax(distance.norms))]
    nearest = distance.to(chosen[0]).astype(float)
    nearest[chosen] = 0.0
    for _ in range(k - 1):
        total = nearest.sum()
        if total > 0:
            row = int(rng.choice(len(points), p=nearest / total))
        else:
            # Every row left coincides with a seed: any of them is as good.
            row = int(rng.choice(np.setdiff1d(np.arange(len(points)), chosen)))
        chosen.append(row)
        nearest = np.minimum(nearest, distance.to(row))
        nearest[chosen] = 0.0
    return np.asarray(chosen, dtype=np.intp)
