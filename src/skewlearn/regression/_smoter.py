"""SMOTER and SMOGN: new rare rows between neighbours (SMOGN: or Gaussian noise near a seed)."""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray
from sklearn.neighbors import NearestNeighbors

from .._sklearn_compat import Interval, StrOptions
from ._bumps import Bump, undersample
from ._random_samplers import SHARED_CONSTRAINTS
from ._relevance import Relevance
from ._sampler_base import NewRows, RegressionSampler, Rows


class SMOTER(RegressionSampler):
    """SMOTE for regression: interpolate rare rows, under-sample normal ones.

    For each new row of a rare bump, a seed row of the bump and one of its ``k_neighbors``
    nearest rows in the bump are picked; numeric features are ``x = x_s + u (x_n - x_s)``
    with ``u ~ U(0, 1)``, each nominal feature is the seed's or the neighbour's value at
    random, and the target is the inverse-distance mean
    ``y = (d_n y_s + d_s y_n) / (d_s + d_n)`` with ``d_s``, ``d_n`` the HEOM distances of the
    new row to seed and neighbour (numeric differences divided by the feature range, nominal
    mismatch 1). Normal bumps are randomly under-sampled. A rare bump of one row can only be
    copied.

    Parameters
    ----------
    sampling_strategy : "balance" or dict, default="balance"
        ``"balance"``: rare and normal groups meet halfway, so rare and normal rows are equally
        many and the data keeps its size. A dict ``{"rare": a, "normal": b}`` multiplies each
        rare bump by ``a >= 1`` and each normal bump by ``b`` in (0, 1].
    k_neighbors : int, default=5
        Neighbours of a seed within its bump (fewer when the bump is smaller).
    relevance : Relevance or callable, default=None
        phi of the training targets: a :class:`Relevance` (cloned and fitted on ``y``), a
        callable ``y -> phi``, or None for ``Relevance()`` (box-plot control points).
    threshold : float, default=0.5
        Targets with ``phi >= threshold`` are rare.
    categorical_features : "auto", None or array-like, default="auto"
        Nominal columns: ``"auto"`` takes the non-numeric (category, object, string, bool)
        columns of a DataFrame; or indices, names, or a boolean mask.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    relevance_ : ndarray of shape (n_samples,)
        phi of the training targets.

    References
    ----------
    L. Torgo, R. P. Ribeiro, B. Pfahringer, P. Branco, "SMOTE for regression", EPIA 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import SMOTER
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0] + 0.1 * rng.normal(size=200))
    >>> X_res, y_res = SMOTER(random_state=0).fit_resample(X, y)
    >>> X_res.shape[0] == X.shape[0]
    True
    """

    _grows_rare = True
    _shrinks_normal = True
    _parameter_constraints: dict = {
        **SHARED_CONSTRAINTS,
        "sampling_strategy": [StrOptions({"balance"}), Mapping],
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        sampling_strategy: str | dict = "balance",
        *,
        k_neighbors: int = 5,
        relevance: Relevance | None = None,
        threshold: float = 0.5,
        categorical_features="auto",
        random_state=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.k_neighbors = k_neighbors
        self.relevance = relevance
        self.threshold = threshold
        self.categorical_features = categorical_features
        self.random_state = random_state

    def _fit_resample(self, rows: Rows, bumps: list[Bump], sizes: list[int], rng):
        kept = np.sort(np.concatenate([undersample(b, s, rng) for b, s in zip(bumps, sizes)]))
        parts = [
            self._synthesise(rows, b.rows, size - b.rows.size, rng)
            for b, size in zip(bumps, sizes)
            if b.rare and size > b.rows.size
        ]
        new = (
            NewRows(
                numeric=np.vstack([p.numeric for p in parts]),
                lenders=np.vstack([p.lenders for p in parts]),
                y=np.concatenate([p.y for p in parts]),
                seeds=np.concatenate([p.seeds for p in parts]),
            )
            if parts
            else None
        )
        return kept, new

    def _synthesise(
        self, rows: Rows, bump: NDArray[np.intp], n_new: int, rng: np.random.RandomState
    ) -> NewRows:
        seeds = np.r_[
            np.tile(np.arange(bump.size), n_new // bump.size),
            rng.choice(bump.size, n_new % bump.size, replace=False),
        ]
        if bump.size == 1:
            warnings.warn(
                f"a rare bump has one row (target {rows.y[bump[0]]:g}); it is copied, not "
                "interpolated.",
                UserWarning,
                stacklevel=4,
            )
            return _copies(rows, bump[seeds])
        k = min(self.k_neighbors, bump.size - 1)
        Z = rows.embedding(bump)
        distances, neighbours = NearestNeighbors(n_neighbors=k + 1).fit(Z).kneighbors(Z)
        # Column 0 is the row itself (or an exact duplicate of it, which is as good).
        distances, neighbours = distances[:, 1:], neighbours[:, 1:]
        pick = rng.randint(0, k, size=seeds.size)
        close = self._is_close(distances, seeds, pick)
        partners = bump[neighbours[seeds, pick]]
        new = _interpolate(rows, bump[seeds[close]], partners[close], rng)
        if close.all():
            return new
        noisy = self._perturb(rows, bump, bump[seeds[~close]], rng)
        order = np.argsort(np.r_[np.flatnonzero(close), np.flatnonzero(~close)], kind="stable")
        return NewRows(
            numeric=np.vstack([new.numeric, noisy.numeric])[order],
            lenders=np.vstack([new.lenders, noisy.lenders])[order],
            y=np.r_[new.y, noisy.y][order],
            seeds=np.r_[new.seeds, noisy.seeds][order],
        )

    def _is_close(self, distances, seeds, pick) -> NDArray[np.bool_]:
        return np.ones(seeds.size, dtype=bool)

    def _perturb(self, rows, bump, seed, rng) -> NewRows:
        raise NotImplementedError


def _copies(rows: Rows, source: NDArray[np.intp]) -> NewRows:
    return NewRows(
        numeric=rows.numeric[source],
        lenders=np.repeat(source[:, None], rows.codes.shape[1], axis=1),
        y=rows.y[source],
        seeds=source,
    )


def _interpolate(
    rows: Rows, seed: NDArray[np.intp], partner: NDArray[np.intp], rng: np.random.RandomState
) -> NewRows:
    u = rng.uniform(size=seed.size)
    numeric = rows.numeric[seed] + u[:, None] * (rows.numeric[partner] - rows.numeric[seed])
    from_seed = rng.uniform(size=(seed.size, rows.codes.shape[1])) < 0.5
    lenders = np.where(from_seed, seed[:, None], partner[:, None])
    # HEOM distances of the new row to both parents: numeric part scales with u and 1 - u,
    # each nominal value taken from one parent differs from the other parent's or not.
    Z_seed, Z_partner = rows.embedding(seed), rows.embedding(partner)
    p = rows.numeric_columns.size
    numeric_gap = np.sum((Z_partner[:, :p] - Z_seed[:, :p]) ** 2, axis=1)
    differs = rows.codes[seed] != rows.codes[partner]
    d_seed = np.sqrt(u**2 * numeric_gap + np.sum(differs & ~from_seed, axis=1))
    d_partner = np.sqrt((1 - u) ** 2 * numeric_gap + np.sum(differs & from_seed, axis=1))
    total = d_seed + d_partner
    y_seed, y_partner = rows.y[seed], rows.y[partner]
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(
            total > 0, (d_partner * y_seed + d_seed * y_partner) / total, (y_seed + y_partner) / 2
        )
    return NewRows(numeric=numeric, lenders=lenders, y=y, seeds=seed)


class SMOGN(SMOTER):
    """SMOTER with Gaussian noise: interpolate towards close neighbours, perturb otherwise.

    As :class:`SMOTER`, except that a seed whose picked neighbour lies farther than half the
    median distance to its ``k_neighbors`` neighbours is perturbed instead: numeric features
    ``x = x_s + N(0, (pert * sd_j)^2)`` and target ``y = y_s + N(0, (pert * sd_y)^2)``, with
    standard deviations taken over the rare bump; nominal features keep the seed's values.

    Parameters
    ----------
    sampling_strategy : "balance" or dict, default="balance"
        As for :class:`SMOTER`.
    k_neighbors : int, default=5
        Neighbours of a seed within its bump.
    pert : float, default=0.02
        Noise scale, as a fraction of each standard deviation.
    relevance : Relevance or callable, default=None
        As for :class:`SMOTER`.
    threshold : float, default=0.5
        Targets with ``phi >= threshold`` are rare.
    categorical_features : "auto", None or array-like, default="auto"
        As for :class:`SMOTER`.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    relevance_ : ndarray of shape (n_samples,)
        phi of the training targets.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "SMOGN: a pre-processing approach for imbalanced
    regression", LIDTA workshop, PMLR 74, 36-50, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import SMOGN
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0] + 0.1 * rng.normal(size=200))
    >>> X_res, y_res = SMOGN(random_state=0).fit_resample(X, y)
    >>> X_res.shape[0] == X.shape[0]
    True
    """

    _parameter_constraints: dict = {
        **SMOTER._parameter_constraints,
        "pert": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        sampling_strategy: str | dict = "balance",
        *,
        k_neighbors: int = 5,
        pert: float = 0.02,
        relevance: Relevance | None = None,
        threshold: float = 0.5,
        categorical_features="auto",
        random_state=None,
    ):
        super().__init__(
            sampling_strategy,
            k_neighbors=k_neighbors,
            relevance=relevance,
            threshold=threshold,
            categorical_features=categorical_features,
            random_state=random_state,
        )
        self.pert = pert

    def _is_close(self, distances, seeds, pick) -> NDArray[np.bool_]:
        # Branco et al.: a neighbour is safe to interpolate towards when it is closer than
        # half the seed's median distance to its k neighbours.
        max_distance = np.median(distances, axis=1) / 2.0
        return distances[seeds, pick] < max_distance[seeds]

    def _perturb(self, rows, bump, seed, rng) -> NewRows:
        numeric_sd = rows.numeric[bump].std(axis=0)
        noise = rng.normal(size=(seed.size, numeric_sd.size)) * (self.pert * numeric_sd)
        y_noise = rng.normal(size=seed.size) * (self.pert * rows.y[bump].std())
        return NewRows(
            numeric=rows.numeric[seed] + noise,
            lenders=np.repeat(seed[:, None], rows.codes.shape[1], axis=1),
            y=rows.y[seed] + y_noise,
            seeds=seed,
        )
