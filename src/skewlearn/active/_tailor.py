"""Meta-strategies that choose among candidate query strategies online.

:class:`TailorSelector` is TAILOR (Zhang, Shao, Verma & Nowak, "Algorithm Selection for Deep
Active Learning with Imbalanced Datasets", NeurIPS 2023): a Thompson-sampling bandit whose arms
are the candidate strategies. What it keeps and does, as in the paper and the authors' code:

* each candidate k holds a Dirichlet posterior over the class of the rows it picks,
  ``Dir(1 + S_k)``, where ``S_k`` (per class, starting at 1) sums the one-hot labels its rows
  received;
* a round's reward vector ``v`` values class i at ``1 / max(1, n_i)`` for ``n_i`` labels of
  class i so far, negated for a class holding more than half of the labelled set (the
  "class diversity" reward), fixed for the round;
* for *each row* of the batch it draws ``theta_k`` from every posterior and takes the next row
  of the candidate with the largest ``theta_k . v`` (so a batch may mix candidates; equal
  values, as when every class is worth the same, go to one of the tied candidates at random);
* when the labels come back, ``S_k <- decay * S_k + (labels of k's rows)`` (decay 0.9).

With a multi-label target (``y`` an indicator matrix, one column per label) each candidate
keeps a Beta posterior per label instead, ``Beta(P_kc, N_kc)``: decayed counts of positive and
negative answers for label c among its rows, both starting at 1; ``theta_k`` holds one draw
per label, and the class-diversity reward counts, for each label, the labelled rows positive
for it (negated above half of the labelled rows). There the "positives" reward (1 for every
label: the expected number of positive labels a row brings) is the paper's other choice.

:class:`RandomChoice` is the paper's simpler baseline: one candidate, uniformly at random, for
the whole batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ._strategies import QueryStrategy, n_rows, n_to_select

_SEED_RANGE = 2**31 - 1


def class_diversity_reward(counts: np.ndarray, n_labelled: int | None = None) -> np.ndarray:
    """TAILOR's class-diversity reward per class: ``1 / max(1, n_i)``, negative for a class
    on more than half of the labelled rows.

    ``n_labelled`` is the number of labelled rows: ``counts.sum()`` for single labels (the
    default); for a multi-label target, where a row may count for several labels, pass it.

    Examples
    --------
    >>> import numpy as np
    >>> class_diversity_reward(np.array([8, 2, 0])).tolist()
    [-0.125, 0.5, 1.0]
    >>> class_diversity_reward(np.array([8, 2, 0]), n_labelled=20).tolist()
    [0.125, 0.5, 1.0]
    """
    counts = np.asarray(counts, dtype=float)
    value = 1.0 / np.maximum(counts, 1.0)
    total = counts.sum() if n_labelled is None else n_labelled
    if total > 0:
        value[counts / total > 0.5] *= -1.0
    return value


def positives_reward(counts: np.ndarray, n_labelled: int | None = None) -> np.ndarray:
    """TAILOR's reward for multi-label targets: 1 for every label, so a candidate is worth the
    number of positive labels its rows are expected to bring.

    Examples
    --------
    >>> import numpy as np
    >>> positives_reward(np.array([8, 2, 0]), n_labelled=9).tolist()
    [1.0, 1.0, 1.0]
    """
    return np.ones(len(np.asarray(counts)))


def _best_arms(sampled: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """The arm of largest sampled value in each row; equal values (as when every class is
    worth the same) are broken at random, not by rounding or the candidates' order."""
    best = sampled.max(axis=1, keepdims=True)
    tied = sampled >= best - 1e-12 * np.maximum(1.0, np.abs(best))
    if (tied.sum(axis=1) == 1).all():
        return sampled.argmax(axis=1)
    return np.where(tied, rng.random_sample(tied.shape), -1.0).argmax(axis=1)


_REWARDS: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "class_diversity": class_diversity_reward,
    "positives": positives_reward,
}


def _named_candidates(candidates) -> dict[str, QueryStrategy]:
    """Candidates as name -> strategy; names from a mapping, else each strategy's name."""
    from ._registry import make_strategy

    if isinstance(candidates, Mapping):
        items = list(candidates.items())
    elif isinstance(candidates, Sequence) and not isinstance(candidates, str):
        items = []
        for candidate in candidates:
            strategy = make_strategy(candidate) if isinstance(candidate, str) else candidate
            items.append((getattr(strategy, "name", type(strategy).__name__), strategy))
    else:
        raise TypeError(
            "candidates must be a list of strategies (or strategy names) or a dict name -> "
            f"strategy; got {type(candidates).__name__}."
        )
    if len(items) < 1:
        raise ValueError("candidates is empty: give at least one query strategy.")
    named: dict[str, QueryStrategy] = {}
    for name, strategy in items:
        strategy = make_strategy(strategy) if isinstance(strategy, str) else strategy
        if not callable(getattr(strategy, "select", None)):
            raise TypeError(
                f"candidate {name!r} ({type(strategy).__name__}) has no select() method; a "
                "query strategy needs select(estimator, X_pool, batch_size, *, X_labelled, "
                "y_labelled, classes, random_state)."
            )
        if name in named:
            raise ValueError(
                f"two candidates share the name {name!r}; pass a dict name -> strategy."
            )
        named[name] = strategy
    return named


class _SharedProba:
    """The fitted estimator, with ``predict_proba`` of the pool computed once per round for
    all the candidates that ask for it (the costly step on a large pool)."""

    def __init__(self, estimator, X_pool):
        self._estimator, self._pool, self._proba = estimator, X_pool, None

    def predict_proba(self, X):
        if X is not self._pool:
            return self._estimator.predict_proba(X)
        if self._proba is None:
            self._proba = self._estimator.predict_proba(X)
        return self._proba

    def __getattr__(self, name):
        return getattr(self._estimator, name)

    def __getitem__(self, key):
        return self._estimator[key]


class _MetaStrategy(QueryStrategy):
    """Shared plumbing: named candidates, seeds for each, and the record of who chose what."""

    def __init__(self, candidates):
        self.candidates = candidates
        self._named = _named_candidates(candidates)
        #: Candidate name of each row of the last batch, in the order of the returned rows.
        self.last_choices_: list[str] = []

    @property
    def candidate_names(self) -> tuple[str, ...]:
        """The candidates' names, in order."""
        return tuple(self._named)

    def _ask(self, name, estimator, X_pool, k, context, seed):
        rows = np.asarray(
            self._named[name].select(estimator, X_pool, k, **context, random_state=seed)
        )
        return rows.astype(np.intp)

    def update(self, y_new, classes, label_counts) -> None:
        """Pass the answers on to the candidates (some may keep state of their own)."""
        for strategy in self._named.values():
            update = getattr(strategy, "update", None)
            if update is not None:
                update(y_new, classes, label_counts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._named)})"


class RandomChoice(_MetaStrategy):
    """One candidate per round, uniformly at random, picks the whole batch.

    Parameters
    ----------
    candidates : list of strategies or names, or dict name -> strategy
        The query strategies to choose among.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.active import RandomChoice
    >>> chooser = RandomChoice(["random", "coreset"])
    >>> rows = chooser.select(None, np.random.default_rng(0).normal(size=(20, 2)), 3,
    ...                       random_state=0)
    >>> len(rows), len(set(chooser.last_choices_))
    (3, 1)
    """

    _name = "random_choice"

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        k = n_to_select(X_pool, batch_size)
        rng = self._rng(random_state)
        names = self.candidate_names
        name = names[rng.randint(len(names))]
        context = {"X_labelled": X_labelled, "y_labelled": y_labelled, "classes": classes}
        rows = self._ask(name, estimator, X_pool, k, context, rng.randint(_SEED_RANGE))
        self.last_choices_ = [name] * len(rows)
        return rows


class TailorSelector(_MetaStrategy):
    """TAILOR: Thompson sampling among candidate strategies, rewarded for rare-class labels.

    Parameters
    ----------
    candidates : list of strategies or names, or dict name -> strategy
        The query strategies to choose among (any object with ``select`` and, optionally,
        ``update``, including ones written by the user).
    reward : "class_diversity", "positives" or callable, default="class_diversity"
        The value of a label of each class: TAILOR's class-diversity reward; "positives"
        (multi-label targets only): 1 for every positive label; or ``reward(counts) -> array``
        of per-class values from the label counts so far (for a multi-label target, the
        labelled rows positive for each label).
    decay : float in (0, 1], default=0.9
        Factor applied to every candidate's statistics each round, so recent rounds weigh
        more (the candidates' usefulness changes as the model learns).

    Attributes
    ----------
    classes_ : ndarray
        The classes the statistics are kept for (grows when a new class is labelled); for a
        multi-label target, the label columns ``0 .. n_labels - 1``.
    stats_ : ndarray of shape (n_candidates, n_classes)
        Decayed label counts of each candidate's rows, starting at 1; the posterior of
        candidate k is ``Dirichlet(1 + stats_[k])``. Multi-label: decayed counts of positive
        answers for each label, and the posterior of candidate k for label c is
        ``Beta(stats_[k, c], negatives_[k, c])``.
    negatives_ : ndarray of shape (n_candidates, n_labels) or None
        Multi-label target only: decayed counts of negative answers, starting at 1.
    last_choices_ : list of str
        The candidate that chose each row of the last batch.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import TailorSelector
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = (X[:, 0] > 1.2).astype(int)
    >>> model = LogisticRegression().fit(X[:20], y[:20])
    >>> tailor = TailorSelector(["margin", "coreset", "random"])
    >>> rows = tailor.select(model, X[20:], 10, X_labelled=X[:20], y_labelled=y[:20],
    ...                      classes=[0, 1], random_state=0)
    >>> tailor.update(y[20:][rows], [0, 1], {0: 25, 1: 5})
    >>> tailor.stats_.shape
    (3, 2)
    """

    _name = "tailor"

    def __init__(
        self,
        candidates,
        reward: str | Callable[[np.ndarray], np.ndarray] = "class_diversity",
        decay: float = 0.9,
    ):
        super().__init__(candidates)
        if not callable(reward) and reward not in _REWARDS:
            raise ValueError(
                f"reward must be one of {sorted(_REWARDS)} or a callable counts -> per-class "
                f"values; got {reward!r}."
            )
        if not 0 < decay <= 1:
            raise ValueError(f"decay must be in (0, 1]; got {decay!r}.")
        self.reward = reward
        self.decay = decay
        self.classes_ = np.array([])
        self.stats_ = np.ones((len(self._named), 0))
        self.negatives_ = None
        self._multilabel: bool | None = None
        self._pending: list[int] = []

    def __repr__(self) -> str:
        return f"TailorSelector({list(self._named)}, reward={self.reward!r}, decay={self.decay})"

    def _target_kind(self, y: np.ndarray) -> bool:
        """Whether ``y`` is multi-label (2-D), checked against the answers seen so far."""
        multilabel = y.ndim == 2
        if self._multilabel is None:
            self._multilabel = multilabel
        elif multilabel != self._multilabel:
            seen, now = ("single", "multi-label") if multilabel else ("multi-label", "single")
            raise ValueError(
                f"TailorSelector learned from {seen} labels and now gets {now} ones; keep one "
                "kind of target (a 1-D y, or a 2-D indicator matrix) throughout."
            )
        return multilabel

    def _grow(self, classes) -> None:
        """Extend the statistics to new classes (a prior count of 1 each)."""
        classes = np.asarray(classes)
        if len(self.classes_) == 0:
            self.classes_ = np.unique(classes)
            self.stats_ = np.ones((len(self._named), len(self.classes_)))
            return
        new = np.setdiff1d(classes, self.classes_)
        if len(new) == 0:
            return
        merged = np.union1d(self.classes_, new)
        stats = np.ones((len(self._named), len(merged)))
        stats[:, np.searchsorted(merged, self.classes_)] = self.stats_
        self.classes_, self.stats_ = merged, stats

    def _labels(self, n_labels: int) -> None:
        """Statistics for the ``n_labels`` columns of a multi-label target (Beta(1, 1) each)."""
        if len(self.classes_) == 0:
            self.classes_ = np.arange(n_labels)
            self.stats_ = np.ones((len(self._named), n_labels))
            self.negatives_ = np.ones((len(self._named), n_labels))
        elif n_labels != len(self.classes_):
            raise ValueError(
                f"y has {n_labels} label columns but earlier answers had {len(self.classes_)}; "
                "a multi-label target keeps its columns."
            )

    def _reward_values(self, y: np.ndarray, multilabel: bool) -> np.ndarray:
        if multilabel:
            counts = y.sum(axis=0) if len(y) else np.zeros(len(self.classes_))
        else:
            counts = np.array([np.sum(y == c) for c in self.classes_])
        if callable(self.reward):
            values = self.reward(counts)
        elif self.reward == "positives" and not multilabel:
            raise ValueError(
                "reward='positives' counts the positive labels of a multi-label target; with "
                "one label per row every candidate brings exactly one: use 'class_diversity'."
            )
        else:
            values = _REWARDS[self.reward](counts, len(y))
        values = np.asarray(values, dtype=float)
        if values.shape != counts.shape:
            raise ValueError(
                f"reward returned shape {values.shape}; it must give one value per class "
                f"({len(counts)})."
            )
        return values

    def _draw(self, k: int, rng: np.random.RandomState) -> np.ndarray:
        """theta of shape (k, n_candidates, n_classes): one posterior draw per row and
        candidate."""
        shape = (k, *self.stats_.shape)
        if self._multilabel:
            positive, negative = (np.broadcast_to(a, shape) for a in (self.stats_, self.negatives_))
            return rng.beta(positive, negative)
        # The same gamma draws (in the same order) as one rng.dirichlet call per row and
        # candidate.
        gamma = rng.standard_gamma(np.broadcast_to(1.0 + self.stats_, shape))
        return gamma / gamma.sum(axis=2, keepdims=True)

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        k = n_to_select(X_pool, batch_size)
        y = np.asarray([] if y_labelled is None else y_labelled)
        multilabel = self._target_kind(y)
        if multilabel:
            self._labels(y.shape[1])
        else:
            if classes is None:
                classes = np.unique(y)
            if len(classes) == 0:
                raise ValueError(
                    "TailorSelector needs the classes seen so far (classes= or y_labelled=) "
                    "to value each candidate's labels."
                )
            self._grow(classes)
        rng = self._rng(random_state)
        values = self._reward_values(y, multilabel)
        # Arms for every row first: the draws do not depend on which rows are taken, so
        # only the candidates actually chosen are asked for rows.
        arms = _best_arms(self._draw(k, rng) @ values, rng).tolist()
        names = self.candidate_names
        context = {"X_labelled": X_labelled, "y_labelled": y_labelled, "classes": classes}
        seeds = rng.randint(_SEED_RANGE, size=len(names))
        # Each chosen candidate ranks k rows: fewer than k are taken by the others, so its
        # list always has one left.
        shared = (
            _SharedProba(estimator, X_pool) if hasattr(estimator, "predict_proba") else estimator
        )
        ranked = {
            arm: self._ask(names[arm], shared, X_pool, k, context, seeds[arm])
            for arm in sorted(set(arms))
        }
        position = dict.fromkeys(ranked, 0)
        taken: set[int] = set()
        chosen = []
        for arm in arms:
            rows = ranked[arm]
            while position[arm] < len(rows) and int(rows[position[arm]]) in taken:
                position[arm] += 1
            if position[arm] == len(rows):
                raise ValueError(
                    f"candidate {names[arm]!r} returned {len(rows)} rows for a batch of {k} "
                    f"from a pool of {n_rows(X_pool)}; a strategy must return "
                    "min(batch_size, len(X_pool)) distinct rows."
                )
            row = int(rows[position[arm]])
            taken.add(row)
            chosen.append(row)
        self._pending = arms
        self.last_choices_ = [names[arm] for arm in arms]
        return np.asarray(chosen, dtype=np.intp)

    def update(self, y_new, classes, label_counts) -> None:
        """Decay every candidate's statistics and add the labels its rows received.

        ``y_new`` are the labels of the last batch (for a multi-label target, its rows of the
        indicator matrix), in the order :meth:`select` returned the rows.
        """
        y_new = np.asarray(y_new)
        if len(y_new) != len(self._pending):
            raise ValueError(
                f"update got {len(y_new)} labels but the last batch had "
                f"{len(self._pending)} rows; pass the labels of exactly the rows select() "
                "returned, in that order."
            )
        arms = np.asarray(self._pending, dtype=np.intp)
        if self._target_kind(y_new):
            self._labels(y_new.shape[1])
            answers = (y_new != 0).astype(float)
            positive, negative = np.zeros_like(self.stats_), np.zeros_like(self.stats_)
            np.add.at(positive, arms, answers)
            np.add.at(negative, arms, 1.0 - answers)
            self.stats_ = self.decay * self.stats_ + positive
            self.negatives_ = self.decay * self.negatives_ + negative
        else:
            self._grow(np.union1d(np.asarray(classes), y_new))
            gained = np.zeros_like(self.stats_)
            columns = np.searchsorted(self.classes_, y_new)
            np.add.at(gained, (arms, columns), 1.0)
            self.stats_ = self.decay * self.stats_ + gained
        self._pending = []
        super().update(y_new, classes, label_counts)
