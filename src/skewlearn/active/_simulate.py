"""Replay a fully labelled data set as the oracle of an active learner: :func:`simulate`."""

from __future__ import annotations

import copy
import time
from collections import Counter
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state

from skewlearn.metrics import get_scorer, per_class_scores

from ._learner import ActiveLearner, checked_labels
from ._strategies import QueryStrategy, n_rows

# Share of the data held out for scoring when no test set is given.
_HOLDOUT = 0.25


@dataclass(frozen=True)
class LearningCurve:
    """Scores and label counts of an active learner after each round of a simulation.

    Attributes
    ----------
    n_labelled : ndarray of int, shape (n_rounds,)
        Labelled rows at each point (the initial set first).
    scores : dict of str -> ndarray of float, shape (n_rounds,)
        Each metric on the test rows at each point.
    class_counts : ndarray of int, shape (n_rounds, n_classes)
        Labelled rows of each class at each point (rows sum to ``n_labelled``); for a
        multi-label target, labelled rows positive for each label.
    classes : ndarray
        The classes, in the column order of ``class_counts`` (multi-label: the label
        columns ``0 .. n_labels - 1``).
    query_seconds : ndarray of float, shape (n_rounds,)
        Time of the query that led to each point (0 for the initial set).
    strategy_trace : list of str
        For a meta-strategy, the candidate that chose most rows of each query (one entry per
        query, so one fewer than ``n_rounds``); empty otherwise.
    n_pool : int
        Rows in the pool (labelled or not), the denominator of the labelled share.
    choice_counts : dict of str -> ndarray of int
        For a meta-strategy, rows chosen by each candidate in each query; empty otherwise.
    """

    n_labelled: np.ndarray
    scores: dict[str, np.ndarray]
    class_counts: np.ndarray
    classes: np.ndarray
    query_seconds: np.ndarray
    strategy_trace: list[str]
    n_pool: int
    choice_counts: dict[str, np.ndarray] = field(default_factory=dict)

    def area(self, metric: str) -> float:
        """Normalised area under the curve of ``metric``: the trapezoid over the labelled
        share of the pool divided by that share's range (the score itself for one point)."""
        if metric not in self.scores:
            raise KeyError(f"No scores for {metric!r}; this curve has {sorted(self.scores)}.")
        y = self.scores[metric]
        if len(y) == 1:
            return float(y[0])
        x = self.n_labelled / self.n_pool
        return float(np.trapezoid(y, x) / (x[-1] - x[0]))

    def to_frame(self) -> pd.DataFrame:
        """One row per point: labelled count and share, scores, query time, class counts."""
        frame = pd.DataFrame(
            {"n_labelled": self.n_labelled, "share": self.n_labelled / self.n_pool}
        )
        for metric, values in self.scores.items():
            frame[metric] = values
        frame["query_seconds"] = self.query_seconds
        for j, label in enumerate(self.classes.tolist()):
            frame[f"n_{label}"] = self.class_counts[:, j]
        if self.strategy_trace:
            frame["strategy"] = ["", *self.strategy_trace]
        return frame


def _count(amount: Real, total: int, name: str) -> int:
    """A share of ``total`` (float in (0, 1]) or a number of rows (int >= 1)."""
    if isinstance(amount, bool) or not isinstance(amount, Real):
        raise TypeError(f"{name} must be a share of the pool (float) or a row count (int).")
    if isinstance(amount, Integral):
        if amount < 1:
            raise ValueError(f"{name} must be >= 1 row; got {amount}.")
        return int(amount)
    if not 0 < amount <= 1:
        raise ValueError(f"{name} as a share of the pool must be in (0, 1]; got {amount}.")
    return max(1, int(round(amount * total)))


def _take(X: Any, rows: np.ndarray) -> Any:
    return X.iloc[rows] if isinstance(X, pd.DataFrame) else X[rows]


def _initial_rows(y: np.ndarray, classes: np.ndarray, n_initial: int, rng) -> np.ndarray:
    """A stratified draw of about ``n_initial`` rows with at least 2 of every class; for a
    multi-label target, a random draw topped up to 2 positive rows of every label."""
    if y.ndim == 2:
        chosen = set(rng.choice(len(y), size=min(n_initial, len(y)), replace=False).tolist())
        for label in classes:
            positive = np.flatnonzero(y[:, label])
            missing = 2 - int(np.isin(positive, list(chosen)).sum())
            spare = np.setdiff1d(positive, list(chosen))
            if missing > 0 and len(spare):
                chosen.update(rng.choice(spare, size=min(missing, len(spare)), replace=False))
        return np.sort(np.fromiter(chosen, dtype=np.intp))
    share = n_initial / len(y)
    chosen = []
    for label in classes:
        members = np.flatnonzero(y == label)
        n = min(len(members), max(2, int(round(share * len(members)))))
        chosen.append(rng.choice(members, size=n, replace=False))
    return np.sort(np.concatenate(chosen))


def _hold_out_labels(y: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Pool and test rows of a multi-label target: a random 25% tested, less where a label
    would keep fewer than 2 positive rows in the pool (the initial set needs 2 of each)."""
    test = np.zeros(len(y), dtype=bool)
    test[rng.permutation(len(y))[: int(round(_HOLDOUT * len(y)))]] = True
    for label in range(y.shape[1]):
        short = 2 - int(y[~test, label].sum())
        if short > 0:
            test[np.flatnonzero(test & (y[:, label] == 1))[:short]] = False
    return np.flatnonzero(~test), np.flatnonzero(test)


def _label_scorers(metrics):
    """Scorers of a multi-label target: each metric averaged over the labels."""
    from sklearn.metrics import balanced_accuracy_score, f1_score

    def balanced(est, X, y):
        predicted = np.asarray(est.predict(X))
        return float(
            np.mean([balanced_accuracy_score(y[:, j], predicted[:, j]) for j in range(y.shape[1])])
        )

    known = {
        "macro_f1": lambda est, X, y: float(
            f1_score(y, est.predict(X), average="macro", zero_division=0)
        ),
        "balanced_accuracy": balanced,
    }
    unknown = [name for name in metrics if name not in known]
    if unknown:
        raise ValueError(
            f"metrics {unknown} are not defined here for a multi-label target; use 'macro_f1' "
            "or 'balanced_accuracy' (each averaged over the labels)."
        )
    return {name: known[name] for name in metrics}


def _scorers(metrics, classes):
    scorers = {}
    for name in metrics:
        if name == "macro_f1":
            # F1 of every class averaged, binary targets included (the registry's "f1" is
            # the positive class's alone on binary targets).
            scorers[name] = lambda est, X, y: float(
                per_class_scores(y, est.predict(X), labels=classes)["f1"].mean()
            )
        else:
            scorers[name] = get_scorer(name)
    return scorers


def simulate(
    estimator: Any,
    strategy: str | QueryStrategy,
    X: Any,
    y: ArrayLike,
    *,
    X_test: Any = None,
    y_test: ArrayLike | None = None,
    initial: float | int = 0.01,
    batch_size: float | int = 0.01,
    budget: float | int = 0.3,
    metrics: tuple[str, ...] = ("macro_f1", "balanced_accuracy"),
    random_state: int | None = 0,
) -> LearningCurve:
    """Replay a fully labelled data set as the oracle of an active learner.

    A stratified initial set (at least 2 rows per class) is labelled, then batches chosen by
    ``strategy`` are labelled from ``y`` until ``budget`` rows are; the estimator is refitted
    and scored after every batch.

    Parameters
    ----------
    estimator : classifier
        The learner (cloned and refitted each round).
    strategy : str or QueryStrategy
        A name of :func:`~skewlearn.active.strategy_names` or a strategy object (copied).
    X, y : array-like
        The pool with all its labels (the oracle); ``y`` may be a multi-label indicator
        matrix (one 0/1 column per label), with an estimator that learns one.
    X_test, y_test : array-like, default=None
        Rows to score on; when not given, a stratified 25% of ``X, y`` is held out first.
    initial, batch_size, budget : float or int
        Initial set, batch and total labelled rows: a float is a share of the pool, an int a
        number of rows.
    metrics : tuple of str, default=("macro_f1", "balanced_accuracy")
        ``"macro_f1"`` (F1 averaged over every class) or names of
        :func:`skewlearn.metrics.list_metrics` (losses negated, as their scorers give them).
        For a multi-label target: ``"macro_f1"`` and ``"balanced_accuracy"``, each averaged
        over the labels; there the hold-out is random (not stratified) and the initial set a
        random draw with at least 2 positive rows of every label.
    random_state : int or None, default=0
        Seed of the hold-out, the initial set and the strategy.

    Returns
    -------
    LearningCurve

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.active import simulate
    >>> X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    >>> curve = simulate(LogisticRegression(), "margin", X, y, initial=0.05,
    ...                  batch_size=0.05, budget=0.2)
    >>> curve.n_labelled.tolist()
    [15, 30, 45, 60]
    >>> (curve.class_counts.sum(axis=1) == curve.n_labelled).all()
    np.True_
    """
    y = checked_labels(y, n_rows(X))
    multilabel = y.ndim == 2
    if multilabel:
        classes, counts = np.arange(y.shape[1]), y.sum(axis=0)
        if (counts == 0).any():
            raise ValueError(
                f"labels {classes[counts == 0].tolist()} have no positive row; nothing to "
                "learn for them: drop those columns."
            )
    else:
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) < 2:
            raise ValueError(f"y has a single class ({classes.tolist()}); nothing to learn.")
    what = "labels" if multilabel else "classes"
    if (X_test is None) != (y_test is None):
        raise ValueError("Give both X_test and y_test, or neither (a hold-out is then made).")
    rng = check_random_state(random_state)
    if X_test is None:
        scarce = classes[counts < 4]
        if len(scarce):
            raise ValueError(
                f"{what} {scarce.tolist()} have fewer than 4 rows: too few to hold out test "
                "rows and still label 2 of each; pass X_test and y_test."
            )
        if multilabel:
            pool_rows, test_rows = _hold_out_labels(y, rng)
        else:
            pool_rows, test_rows = train_test_split(
                np.arange(len(y)), test_size=_HOLDOUT, stratify=y, random_state=rng.randint(2**31)
            )
        X_test, y_test = _take(X, test_rows), y[test_rows]
        X, y = _take(X, pool_rows), y[pool_rows]
    y_test = np.asarray(y_test)
    pool_counts = y.sum(axis=0) if multilabel else np.array([np.sum(y == c) for c in classes])
    short = classes[pool_counts < 2].tolist()
    if short:
        raise ValueError(
            f"{what} {short} have fewer than 2 rows in the pool; the initial set needs 2 of "
            f"each {'label' if multilabel else 'class'}."
        )
    n_pool = len(y)
    n_initial = _count(initial, n_pool, "initial")
    step = _count(batch_size, n_pool, "batch_size")
    n_budget = min(_count(budget, n_pool, "budget"), n_pool)
    labelled = _initial_rows(y, classes, n_initial, rng)
    if isinstance(strategy, QueryStrategy) or not isinstance(strategy, str):
        strategy = copy.deepcopy(strategy)
    learner = ActiveLearner(estimator, strategy, batch_size=step, random_state=rng)
    learner.teach(_take(X, labelled), y[labelled])
    scorers = _label_scorers(metrics) if multilabel else _scorers(metrics, classes)
    unlabelled = np.setdiff1d(np.arange(n_pool), labelled)
    points, seconds, trace, chosen_by = [], [0.0], [], []
    while True:
        points.append(
            (len(labelled), {m: s(learner.estimator_, X_test, y_test) for m, s in scorers.items()})
        )
        if len(labelled) >= n_budget or len(unlabelled) == 0:
            break
        start = time.perf_counter()
        rows = learner.query(_take(X, unlabelled), batch_size=min(step, n_budget - len(labelled)))
        seconds.append(time.perf_counter() - start)
        choices = getattr(learner.strategy_, "last_choices_", None)
        if choices:
            tally = Counter(choices)
            trace.append(tally.most_common(1)[0][0])
            chosen_by.append(tally)
        picked = unlabelled[rows]
        learner.teach(_take(X, picked), y[picked])
        labelled = np.concatenate([labelled, picked])
        unlabelled = np.setdiff1d(unlabelled, picked)
    class_counts = np.array(
        [
            y[labelled[:n]].sum(axis=0)
            if multilabel
            else [np.sum(y[labelled[:n]] == c) for c in classes]
            for n, _ in points
        ],
        dtype=np.int64,
    )
    names = getattr(learner.strategy_, "candidate_names", ())
    return LearningCurve(
        n_labelled=np.array([n for n, _ in points], dtype=np.int64),
        scores={m: np.array([s[m] for _, s in points]) for m in scorers},
        class_counts=class_counts,
        classes=classes,
        query_seconds=np.array(seconds),
        strategy_trace=trace,
        n_pool=n_pool,
        choice_counts={
            name: np.array([tally.get(name, 0) for tally in chosen_by], dtype=np.int64)
            for name in names
        }
        if chosen_by
        else {},
    )
