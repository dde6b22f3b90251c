"""Random over- and under-sampling of regression data, bump by bump."""

from __future__ import annotations

from numbers import Real

import numpy as np

from .._sklearn_compat import Interval, StrOptions
from ._bumps import Bump, undersample
from ._relevance import Relevance
from ._sampler_base import RegressionSampler, Rows

# The parameters every relevance-driven sampler shares, as scikit-learn's constraints.
SHARED_CONSTRAINTS: dict = {
    "relevance": [callable, None],
    "threshold": [Interval(Real, 0, 1, closed="right")],
    "categorical_features": ["array-like", StrOptions({"auto"}), None],
    "random_state": ["random_state"],
}
_BALANCE = StrOptions({"balance"})


class RegressionRandomOverSampler(RegressionSampler):
    """Replicate random rows of the rare bumps.

    The sorted targets are cut into bumps where relevance crosses ``threshold`` (Branco,
    Torgo & Ribeiro); rows of each rare bump are drawn with replacement until the bump reaches
    its target size. Every original row is kept.

    Parameters
    ----------
    sampling_strategy : "balance" or float, default="balance"
        ``"balance"`` grows the rare bumps (in proportion to their sizes) until there are as
        many rare rows as normal ones; a number ``>= 1`` multiplies each rare bump's size.
    relevance : Relevance or callable, default=None
        phi of the training targets: a :class:`Relevance` (cloned and fitted on ``y``), a
        callable ``y -> phi``, or None for ``Relevance()`` (box-plot control points).
    threshold : float, default=0.5
        Targets with ``phi >= threshold`` are rare.
    categorical_features : "auto", None or array-like, default="auto"
        Unused by this sampler (rows are copied whole); accepted for a uniform interface.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of ``X`` the output is made of.
    relevance_ : ndarray of shape (n_samples,)
        phi of the training targets.

    References
    ----------
    P. Branco, L. Torgo, R. P. Ribeiro, "Pre-processing approaches for imbalanced
    distributions in regression", Neurocomputing 343, 76-99, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import RegressionRandomOverSampler
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> y = np.r_[np.arange(18.0), 60.0, 70.0]
    >>> X_res, y_res = RegressionRandomOverSampler(random_state=0).fit_resample(X, y)
    >>> int((y_res >= 14).sum()), y_res.size  # rare: 14 <= y (phi >= 0.5)
    (14, 28)
    """

    _grows_rare = True
    _parameter_constraints: dict = {
        **SHARED_CONSTRAINTS,
        "sampling_strategy": [_BALANCE, Interval(Real, 1, None, closed="left")],
    }

    def __init__(
        self,
        sampling_strategy: str | float = "balance",
        *,
        relevance: Relevance | None = None,
        threshold: float = 0.5,
        categorical_features="auto",
        random_state=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.categorical_features = categorical_features
        self.random_state = random_state

    def _fit_resample(self, rows: Rows, bumps: list[Bump], sizes: list[int], rng):
        extra = [
            rng.choice(b.rows, size - b.rows.size, replace=True)
            for b, size in zip(bumps, sizes)
            if b.rare and size > b.rows.size
        ]
        self.sample_indices_ = np.concatenate([np.arange(rows.y.size), *extra])
        return self.sample_indices_, None


class RegressionRandomUnderSampler(RegressionSampler):
    """Keep a random subset of the rows of each normal bump.

    Parameters
    ----------
    sampling_strategy : "balance" or float, default="balance"
        ``"balance"`` shrinks the normal bumps (in proportion to their sizes) until there are
        as many normal rows as rare ones; a number in (0, 1] is the fraction of each normal
        bump kept. A bump keeps at least one row.
    relevance : Relevance or callable, default=None
        phi of the training targets: a :class:`Relevance` (cloned and fitted on ``y``), a
        callable ``y -> phi``, or None for ``Relevance()`` (box-plot control points).
    threshold : float, default=0.5
        Targets with ``phi >= threshold`` are rare.
    categorical_features : "auto", None or array-like, default="auto"
        Unused by this sampler (rows are kept whole); accepted for a uniform interface.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of ``X`` kept, in their original order.
    relevance_ : ndarray of shape (n_samples,)
        phi of the training targets.

    References
    ----------
    L. Torgo, R. P. Ribeiro, B. Pfahringer, P. Branco, "SMOTE for regression", EPIA 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.regression import RegressionRandomUnderSampler
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> y = np.r_[np.arange(18.0), 60.0, 70.0]
    >>> X_res, y_res = RegressionRandomUnderSampler(random_state=0).fit_resample(X, y)
    >>> int((y_res >= 14).sum()), y_res.size  # rare: 14 <= y (phi >= 0.5)
    (6, 12)
    """

    _shrinks_normal = True
    _parameter_constraints: dict = {
        **SHARED_CONSTRAINTS,
        "sampling_strategy": [_BALANCE, Interval(Real, 0, 1, closed="right")],
    }

    def __init__(
        self,
        sampling_strategy: str | float = "balance",
        *,
        relevance: Relevance | None = None,
        threshold: float = 0.5,
        categorical_features="auto",
        random_state=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.relevance = relevance
        self.threshold = threshold
        self.categorical_features = categorical_features
        self.random_state = random_state

    def _fit_resample(self, rows: Rows, bumps: list[Bump], sizes: list[int], rng):
        self.sample_indices_ = np.sort(
            np.concatenate([undersample(b, size, rng) for b, size in zip(bumps, sizes)])
        )
        return self.sample_indices_, None
