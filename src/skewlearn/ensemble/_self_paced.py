"""Self-paced Ensemble (Liu et al., ICDE 2020): under-sampling guided by hardness bins."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from skewlearn._sklearn_compat import HasMethods, StrOptions
from skewlearn.ensemble._base import (
    _POSITIVE_INT,
    _BaseImbalanceEnsemble,
    _draw_seeds,
    _sampling_strategy_constraint,
)

# Probabilities are clipped here before the logarithm of the cross-entropy hardness.
_PROBA_EPS = 1e-12


def _absolute_error(y_true: NDArray, proba: NDArray) -> NDArray:
    # 0.5 * sum_k |onehot_k - p_k| equals 1 - p(true class) when rows sum to one, and
    # |y - p(positive)| in the binary case, the paper's default.
    return 1.0 - proba[np.arange(len(y_true)), y_true]


def _squared_error(y_true: NDArray, proba: NDArray) -> NDArray:
    # Half the Brier score, so the binary case is (y - p(positive))^2 as in the paper.
    p_true = proba[np.arange(len(y_true)), y_true]
    return 0.5 * ((1.0 - p_true) ** 2 + (proba**2).sum(axis=1) - p_true**2)


def _cross_entropy(y_true: NDArray, proba: NDArray) -> NDArray:
    return -np.log(np.clip(proba[np.arange(len(y_true)), y_true], _PROBA_EPS, None))


HARDNESS_FUNCTIONS: dict[str, Callable[[NDArray, NDArray], NDArray]] = {
    "absolute_error": _absolute_error,
    "squared_error": _squared_error,
    "cross_entropy": _cross_entropy,
}


def self_paced_alpha(i: int, n_estimators: int) -> float:
    """Self-paced factor of round ``i``: ``tan(pi/2 * i / (n_estimators - 1))``.

    It grows from 0 (quotas favour easy bins) to a huge value at the last round
    (``tan(pi/2)`` in floating point, about 1.6e16), where every bin gets the same quota.
    """
    if n_estimators == 1:
        return 0.0
    return float(np.tan(np.pi / 2 * i / (n_estimators - 1)))


def _largest_remainder(exact: NDArray[np.float64], total: int) -> NDArray[np.intp]:
    """Round non-negative ``exact`` to integers that sum to ``total``."""
    counts = np.floor(exact).astype(np.intp)
    short = total - counts.sum()
    if short > 0:
        counts[np.argsort(counts - exact, kind="stable")[:short]] += 1
    return counts


def self_paced_bin_quota(
    mean_hardness: NDArray[np.float64],
    populations: NDArray[np.intp],
    alpha: float,
    n_target: int,
    *,
    replacement: bool,
) -> NDArray[np.intp]:
    """How many samples to draw from each hardness bin.

    Each non-empty bin's share is proportional to ``1 / (mean bin hardness + alpha)``; empty
    bins get nothing, so the quotas sum to exactly ``n_target``. Without replacement a bin
    gives at most its population and the excess is shared among the other bins by the same
    weights.

    Examples
    --------
    >>> import numpy as np
    >>> self_paced_bin_quota(np.array([0.1, 0.4, 0.9]), np.array([80, 15, 5]), 0.0, 20,
    ...                      replacement=True).tolist()
    [15, 4, 1]
    """
    weights = np.where(populations > 0, 1.0 / np.maximum(mean_hardness + alpha, _PROBA_EPS), 0.0)
    quota = np.zeros(len(populations), dtype=np.intp)
    open_bins = populations > 0
    while (remaining := n_target - quota.sum()) > 0:
        open_weights = np.where(open_bins, weights, 0.0)
        quota += _largest_remainder(remaining * open_weights / open_weights.sum(), remaining)
        if replacement:
            break
        quota = np.minimum(quota, populations)
        open_bins &= quota < populations
    return quota


class SelfPacedEnsembleClassifier(_BaseImbalanceEnsemble):
    """Self-paced Ensemble: under-sample each large class by hardness under the ensemble.

    Round 0 fits the base estimator on a random under-sample. Every later round scores the
    samples of each under-sampled class with the ensemble built so far (the running mean of
    the members' probabilities, updated with the newest member only), cuts their hardness
    range into ``k_bins`` equal-width bins and draws from bin ``b`` a share proportional to
    ``1 / (mean hardness of b + alpha)`` with ``alpha = tan(pi/2 * i / (n_estimators - 1))``:
    early rounds keep mostly easy, informative-but-safe samples, later rounds spread evenly
    over the hardness range, so outliers and noise never dominate a round. Each class is
    under-sampled by its own hardness, so multiclass works the same way.

    Parameters
    ----------
    estimator : classifier, default=None
        Base estimator; must have ``predict_proba`` (wrap one without it in
        ``CalibratedClassifierCV``). ``None`` means ``DecisionTreeClassifier()``, the
        paper's choice.
    n_estimators : int, default=50
        Number of members (rounds). On keel-binary 100 members gained 0.006 average
        precision for 2.7x the time and 10 lost 0.037 (``ensembles-keel-sweep*.md``).
    k_bins : int, default=5
        Number of equal-width hardness bins per class (the paper's value; 3 and 10 were
        not significantly better on keel-binary).
    hardness : {"absolute_error", "squared_error", "cross_entropy"} or callable, \
            default="absolute_error"
        Hardness of a sample under the running ensemble. ``"absolute_error"`` is
        ``1 - p(true class)`` (the paper's and the reference implementation's choice);
        ``"squared_error"`` is half the Brier score; ``"cross_entropy"`` is
        ``-log p(true class)``. A callable gets ``(y_true, proba)``, where ``y_true`` holds
        class indices into ``classes_`` and ``proba`` the ensemble's probabilities (columns
        follow ``classes_``), and returns one hardness per sample. Measured on all 119
        keel-binary sets (5-fold x 2, decision trees, 50 members), squared error ranked
        better: average precision 0.735 against 0.722 (better on 60 sets, worse on 32,
        Wilcoxon p = 0.002; ``benchmarks/results/ensembles-keel-sweep-all.md``); the default
        stays the paper's until F1 and balanced accuracy are measured too (on one synthetic
        set squared error gained less balanced accuracy over a single tree).
    sampling_strategy : str, float or dict, default="auto"
        How many samples of each class a round keeps, in imbalanced-learn's under-sampling
        sense; ``"auto"`` under-samples every class but the smallest to its size.
    replacement : bool, default=True
        Draw with replacement inside each bin (as the reference implementation). With
        ``False`` a bin gives at most all its samples and the rest of its quota moves to
        the other bins.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling and the members.

    Attributes
    ----------
    estimators_ : list of classifiers
        The fitted members.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    sampling_strategy_ : dict
        Class label -> number of samples each round keeps, for the under-sampled classes.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    BalanceCascadeClassifier : Drops the easiest majority samples for good after each round.
    UnderBaggingClassifier : Independent random under-samples.

    References
    ----------
    Z. Liu, W. Cao, Z. Gao, J. Bian, H. Chen, Y. Chang, T.-Y. Liu. "Self-paced Ensemble for
    Highly Imbalanced Massive Data Classification." ICDE 2020.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.ensemble import SelfPacedEnsembleClassifier
    >>> X, y = make_classification(n_samples=2000, weights=[0.95], random_state=0)
    >>> spe = SelfPacedEnsembleClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> spe.predict_proba(X[:2]).shape
    (2, 2)
    >>> len(spe.estimators_)
    10
    """

    _parameter_constraints: dict = {
        **_BaseImbalanceEnsemble._parameter_constraints,
        # Hardness is scored with the members' predict_proba.
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "k_bins": _POSITIVE_INT,
        "hardness": [StrOptions(set(HARDNESS_FUNCTIONS)), callable],
        "sampling_strategy": _sampling_strategy_constraint("under-sampling"),
        "replacement": ["boolean"],
    }

    def __init__(
        self,
        estimator=None,
        n_estimators: int = 50,
        *,
        k_bins: int = 5,
        hardness: str | Callable = "absolute_error",
        sampling_strategy="auto",
        replacement: bool = True,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.k_bins = k_bins
        self.hardness = hardness
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.random_state = random_state

    def _fit_dask(self, X, y, sample_weight):
        from skewlearn.ensemble._dask import fit_self_paced

        return fit_self_paced(self, X, y, sample_weight)

    def _hardness(self, y_codes: NDArray, proba: NDArray) -> NDArray[np.float64]:
        fn = self.hardness if callable(self.hardness) else HARDNESS_FUNCTIONS[self.hardness]
        hardness = np.asarray(fn(y_codes, proba), dtype=np.float64)
        if hardness.shape != y_codes.shape:
            raise ValueError(
                f"hardness returned shape {hardness.shape}; expected one value per sample "
                f"{y_codes.shape}."
            )
        return hardness

    def _draw_class(
        self, rows: NDArray, hardness: NDArray | None, n_target: int, alpha: float, rng
    ) -> NDArray[np.intp]:
        """Rows kept for one class: random at round 0 or when hardness is flat, else by bins."""
        if n_target >= len(rows):
            return rows
        if hardness is None or np.ptp(hardness) == 0:
            return rng.choice(rows, size=n_target, replace=self.replacement)
        k = self.k_bins
        low, span = hardness.min(), np.ptp(hardness)
        bins = np.minimum(((hardness - low) * (k / span)).astype(np.intp), k - 1)
        populations = np.bincount(bins, minlength=k)
        mean = np.bincount(bins, weights=hardness, minlength=k) / np.maximum(populations, 1)
        quota = self_paced_bin_quota(
            mean, populations, alpha, n_target, replacement=self.replacement
        )
        picked = [
            rng.choice(rows[bins == b], size=quota[b], replace=self.replacement)
            for b in np.flatnonzero(quota)
        ]
        return np.concatenate(picked)

    def _fit_members(self, X, y_codes: NDArray, sample_weight: NDArray | None) -> None:
        targets = self._sampling_targets(y_codes)
        class_rows = [np.flatnonzero(y_codes == c) for c in range(self.n_classes_)]
        seeds = _draw_seeds(self.random_state, self.n_estimators)
        proba_sum = np.zeros((X.shape[0], self.n_classes_))
        self.estimators_ = []
        for i, seed in enumerate(seeds):
            rng = np.random.default_rng(seed)
            alpha = self_paced_alpha(i, self.n_estimators)
            kept = []
            for c, rows in enumerate(class_rows):
                if c not in targets:
                    kept.append(rows)
                    continue
                # The running ensemble is the mean of i members; only the newest was scored.
                hardness = self._hardness(y_codes[rows], proba_sum[rows] / i) if i > 0 else None
                kept.append(self._draw_class(rows, hardness, targets[c], alpha, rng))
            idx = np.concatenate(kept)
            member = self._make_member(seed)
            if sample_weight is None:
                member.fit(X[idx], y_codes[idx])
            else:
                member.fit(X[idx], y_codes[idx], sample_weight=sample_weight[idx])
            self.estimators_.append(member)
            if i + 1 < self.n_estimators:
                proba_sum += self._member_proba(member, X)
