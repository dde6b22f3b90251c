"""BalanceCascade (Liu, Wu & Zhou, 2009): each round drops the easiest majority samples."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from skewlearn._sklearn_compat import HasMethods
from skewlearn.ensemble._base import (
    _BaseImbalanceEnsemble,
    _draw_seeds,
    _sampling_strategy_constraint,
)


def cascade_pool_sizes(n_samples: int, n_target: int, n_estimators: int) -> NDArray[np.intp]:
    """Pool size of one class at each round: ``n * r**i`` with ``r = (n_target/n)**(1/T)``.

    Round 0 sees the whole class; after ``T = n_estimators`` rounds the pool would reach
    ``n_target``. Never below ``n_target``, so every round can draw a full sample.

    Examples
    --------
    >>> cascade_pool_sizes(1000, 10, 2).tolist()
    [1000, 100]
    """
    ratio = (n_target / n_samples) ** (1.0 / n_estimators)
    # The small offset keeps exact powers (e.g. 1000 * 0.1 = 99.99999...) from rounding down.
    sizes = np.floor(n_samples * ratio ** np.arange(n_estimators) + 1e-6).astype(np.intp)
    return np.maximum(sizes, n_target)


class BalanceCascadeClassifier(_BaseImbalanceEnsemble):
    """BalanceCascade: under-sample, fit, then drop the majority samples the ensemble gets right.

    Each round draws a random balanced sample from the current pool of every under-sampled
    class and fits a member. The pool then shrinks to the next size of the schedule
    ``n_c * r**i`` with keep ratio ``r = (target_c / n_c) ** (1 / n_estimators)``
    (``(|P|/|N|)**(1/T)`` in the binary case), dropping for good the samples that the
    ensemble so far finds easiest (highest probability of their true class). Later members
    thus focus on the samples the earlier ones still get wrong.

    Parameters
    ----------
    estimator : classifier, default=None
        Base estimator; must have ``predict_proba``. ``None`` means
        ``DecisionTreeClassifier()``.
    n_estimators : int, default=50
        Number of members (rounds).
    sampling_strategy : str, float or dict, default="auto"
        Samples of each class per round, in imbalanced-learn's under-sampling sense.
    replacement : bool, default=False
        Draw each round's sample from the pool with replacement.
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
    SelfPacedEnsembleClassifier : Keeps every sample but re-weights the draw by hardness.

    References
    ----------
    X.-Y. Liu, J. Wu, Z.-H. Zhou. "Exploratory Undersampling for Class-Imbalance Learning."
    IEEE Trans. SMC-B 39(2), 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.ensemble import BalanceCascadeClassifier
    >>> X, y = make_classification(n_samples=2000, weights=[0.95], random_state=0)
    >>> clf = BalanceCascadeClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **_BaseImbalanceEnsemble._parameter_constraints,
        # Samples are ranked by the ensemble's predict_proba.
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "sampling_strategy": _sampling_strategy_constraint("under-sampling"),
        "replacement": ["boolean"],
    }

    def __init__(
        self,
        estimator=None,
        n_estimators: int = 50,
        *,
        sampling_strategy="auto",
        replacement: bool = False,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.random_state = random_state

    def _fit_dask(self, X, y, sample_weight):
        from skewlearn.ensemble._dask import fit_balance_cascade

        return fit_balance_cascade(self, X, y, sample_weight)

    def _fit_members(self, X, y_codes: NDArray, sample_weight: NDArray | None) -> None:
        targets = self._sampling_targets(y_codes)
        pools = {c: np.flatnonzero(y_codes == c) for c in range(self.n_classes_)}
        schedules = {
            c: cascade_pool_sizes(len(pools[c]), n, self.n_estimators) for c, n in targets.items()
        }
        seeds = _draw_seeds(self.random_state, self.n_estimators)
        proba_sum = np.zeros((X.shape[0], self.n_classes_))
        self.estimators_ = []
        for i, seed in enumerate(seeds):
            rng = np.random.default_rng(seed)
            kept = [
                rng.choice(rows, size=targets[c], replace=self.replacement)
                if c in targets and targets[c] < len(rows)
                else rows
                for c, rows in pools.items()
            ]
            idx = np.concatenate(kept)
            member = self._make_member(seed)
            if sample_weight is None:
                member.fit(X[idx], y_codes[idx])
            else:
                member.fit(X[idx], y_codes[idx], sample_weight=sample_weight[idx])
            self.estimators_.append(member)
            if i + 1 == self.n_estimators:
                break
            proba_sum += self._member_proba(member, X)
            for c in targets:
                keep = schedules[c][i + 1]
                rows = pools[c]
                if keep < len(rows):
                    # Keep the `keep` hardest: lowest ensemble probability of their own class.
                    p_true = proba_sum[rows, c]
                    pools[c] = np.sort(rows[np.argpartition(p_true, keep - 1)[:keep]])
