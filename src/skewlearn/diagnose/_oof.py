"""Out-of-fold probabilities of the diagnosis's learner, with its training rows capped.

The label-noise suspects and the domain classifier of the shift test both need
probabilities for rows that the model predicting them never saw.  Every row is put in one
of ``n_splits`` stratified folds; the model of a fold is fitted on (a stratified sample of
at most ``train_rows`` of) the other folds' rows and predicts *every* row of its fold, so
large data gets a probability for each row at the cost of fits on a sample.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from skewlearn.evaluation._trial import THREADED_ROWS

from ._data import stratified_rows

LEARNER_NAME = "HistGradientBoostingClassifier() (scikit-learn defaults)"


def default_learner(random_state: int | None) -> HistGradientBoostingClassifier:
    """The learner behind the noise suspects, the domain classifier and the prior estimate.

    Gradient boosting with scikit-learn's defaults: non-linear, fast, and its probabilities
    are close to calibrated, which confident learning and the EM prior estimate assume.
    """
    return HistGradientBoostingClassifier(random_state=random_state)


def fold_count(codes: np.ndarray, folds: int) -> int:
    """``folds`` or fewer, so that every class has a row in every fold (at least 2)."""
    smallest = int(np.bincount(codes).min())
    if smallest < 2:
        raise ValueError(
            f"a class has {smallest} row: out-of-fold probabilities need at least 2 rows "
            "of every class."
        )
    return min(folds, smallest)


def fit_sample(learner, X: np.ndarray, codes: np.ndarray, rows: np.ndarray, train_rows: int, rng):
    """A clone of ``learner`` fitted on a stratified sample of at most ``train_rows`` of ``rows``;
    returns the model and the rows it was fitted on."""
    picked = rows[stratified_rows(codes[rows], train_rows, rng)]
    # The evaluation layer's thread policy: a small fit runs on one thread, where OpenMP's
    # start-up would cost more than it gains (and oversubscribes a busy machine).
    threads = 1 if len(picked) < THREADED_ROWS else None
    with threadpool_limits(limits=threads):
        return clone(learner).fit(X[picked], codes[picked]), picked


def out_of_fold_proba(
    X: np.ndarray,
    codes: np.ndarray,
    *,
    learner,
    folds: int,
    train_rows: int,
    random_state: int | None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """``(proba, fold_of_row, largest_fit)``: out-of-fold probabilities of class codes.

    ``proba[i]`` comes from a model fitted without row ``i``'s fold; ``fold_of_row`` says
    which fold each row was in; ``largest_fit`` is the most rows one model was fitted on.
    ``folds`` must not exceed the smallest class's row count (see :func:`fold_count`).
    """
    rng = np.random.default_rng(random_state)
    n_classes = int(codes.max()) + 1
    proba = np.zeros((len(codes), n_classes))
    fold_of_row = np.empty(len(codes), dtype=int)
    largest = 0
    splitter = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    for fold, (train, test) in enumerate(splitter.split(X, codes)):
        model, fitted = fit_sample(learner, X, codes, train, train_rows, rng)
        proba[np.ix_(test, model.classes_)] = model.predict_proba(X[test])
        fold_of_row[test] = fold
        largest = max(largest, len(fitted))
    return proba, fold_of_row, largest
