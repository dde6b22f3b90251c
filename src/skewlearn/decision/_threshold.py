"""Binary decision threshold: exact search over the held-out scores themselves.

Every distinct held-out score is a candidate cut, so the search has no grid to miss the narrow
optimum of a very rare class. Fold curves are averaged exactly (as step functions) and the
threshold is the middle of the widest interval where the mean curve is maximal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._objective import Objective
from ._oof import Fold
from ._steps import best_midpoint, interval_midpoints, mean_curve
from ._sweep import counts_of, sweep


@dataclass(frozen=True)
class ThresholdSearch:
    """Outcome of :func:`search_threshold`; scores are in the objective's own units."""

    threshold: float
    score: float
    default_score: float
    curve_thresholds: np.ndarray
    curve_scores: np.ndarray
    fold_thresholds: np.ndarray
    fold_scores: np.ndarray
    fold_fallback: np.ndarray


def positive_scores(scores: np.ndarray, pos: int) -> np.ndarray:
    """Scores that grow with the positive class, from probabilities or a decision function."""
    if scores.ndim == 2:
        return scores[:, pos]
    # A binary decision_function scores classes_[1]; flip it when the positive class is 0.
    return scores if pos == 1 else -scores


def _curve(y: np.ndarray, s: np.ndarray, pos: int, objective: Objective, weight=None):
    # Predict positive iff s >= t. With parameter -t and keys -s a sample turns positive once
    # the parameter reaches its key, the direction ``sweep`` works in.
    start = np.full(len(y), 1 - pos)
    breaks, counts = sweep(y, start, -s, pos, 2, objective.cost_matrix, weight)
    return breaks, objective.gain(counts, pos)


def _score_at(
    y: np.ndarray, s: np.ndarray, t: float, pos: int, objective: Objective, weight=None
) -> float:
    y_pred = np.where(s >= t, pos, 1 - pos)
    return float(objective.score(counts_of(y, y_pred, 2, objective.cost_matrix, weight), pos))


def search_threshold(
    folds: list[Fold], pos: int, objective: Objective, default: float
) -> ThresholdSearch:
    """Threshold maximising the fold-averaged objective; constant folds keep ``default``.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.decision._objective import resolve_objective
    >>> y = np.array([0, 0, 1, 1])
    >>> fold = Fold(np.arange(4), y, np.array([0.1, 0.3, 0.6, 0.8]))
    >>> round(search_threshold([fold], 1, resolve_objective("f1", 2), 0.5).threshold, 6)
    0.45
    """
    sign = 1.0 if objective.greater_is_better else -1.0
    scores = [positive_scores(f.scores, pos) for f in folds]
    fallback = np.array([f.constant for f in folds])
    curves = [
        _curve(f.y, s, pos, objective, f.weight)
        for f, s, c in zip(folds, scores, fallback, strict=True)
        if not c
    ]

    fold_thresholds = np.full(len(folds), float(default))
    fold_scores = np.array(
        [
            _score_at(f.y, s, default, pos, objective, f.weight)
            for f, s in zip(folds, scores, strict=True)
        ]
    )
    default_score = float(fold_scores.mean())
    live = np.flatnonzero(~fallback)
    for i, (breaks, gains) in zip(live, curves, strict=True):
        param, gain = best_midpoint(breaks, gains)
        fold_thresholds[i], fold_scores[i] = -param, sign * gain

    if not curves:  # every fold was constant: the default rule is all we can justify
        return ThresholdSearch(
            float(default), default_score, default_score, np.array([float(default)]),
            np.array([default_score]), fold_thresholds, fold_scores, fallback,
        )  # fmt: skip

    breaks, gains = mean_curve(curves)
    param, gain = best_midpoint(breaks, gains)
    # Constant folds (excluded above) still count in the reported score, at the default rule.
    n_live, n_const = len(curves), int(fallback.sum())
    const_score = fold_scores[fallback].sum()
    score = (sign * gain * n_live + const_score) / (n_live + n_const)
    return ThresholdSearch(
        threshold=-param,
        score=float(score),
        default_score=default_score,
        curve_thresholds=-interval_midpoints(breaks)[::-1],
        curve_scores=sign * gains[::-1],
        fold_thresholds=fold_thresholds,
        fold_scores=fold_scores,
        fold_fallback=fallback,
    )
