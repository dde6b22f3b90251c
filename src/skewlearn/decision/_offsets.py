"""Multiclass decision rule ``argmax(log p + b)``: per-class offsets by coordinate search.

With every offset but ``b_k`` fixed, sample ``i`` is predicted ``k`` exactly when ``b_k``
exceeds ``max_{j != k}(log p_ij + b_j) - log p_ik``, and otherwise keeps its best other class.
So one coordinate is an exact one-parameter sweep (``_sweep.sweep``); the search cycles over the
classes until a full round improves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._objective import Objective
from ._oof import Fold, log_proba
from ._steps import TIE_TOL, best_midpoint, mean_curve
from ._sweep import counts_of, sweep


@dataclass(frozen=True)
class OffsetSearch:
    """Outcome of :func:`search_offsets`; scores are in the objective's own units."""

    offsets: np.ndarray
    score: float
    default_score: float
    fold_offsets: np.ndarray
    fold_scores: np.ndarray
    fold_fallback: np.ndarray
    history: np.ndarray


def _gain(logs, ys, b, objective: Objective, n_classes: int, ws=None) -> float:
    ws = [None] * len(ys) if ws is None else ws
    return float(
        np.mean(
            [
                objective.gain(
                    counts_of(y, np.argmax(L + b, axis=1), n_classes, objective.cost_matrix, w),
                    None,
                )
                for L, y, w in zip(logs, ys, ws, strict=True)
            ]
        )
    )


def _coordinate_curve(
    L: np.ndarray, y: np.ndarray, b: np.ndarray, k: int, objective, n_classes, weight=None
):
    others = L + b
    others[:, k] = -np.inf
    runner_up = np.argmax(others, axis=1)
    keys = others[np.arange(len(y)), runner_up] - L[:, k]
    breaks, counts = sweep(y, runner_up, keys, k, n_classes, objective.cost_matrix, weight)
    return breaks, objective.gain(counts, None)


def coordinate_search(
    logs: list[np.ndarray],
    ys: list[np.ndarray],
    objective: Objective,
    n_classes: int,
    start: np.ndarray,
    max_rounds: int,
    ws: list | None = None,
) -> tuple[np.ndarray, float, list[float]]:
    """Cycle over classes, moving one offset to the middle of its best interval each time.

    Returns the offsets (centred: only differences matter), their mean gain over the folds,
    and the gain after each accepted move. ``ws``: each fold's sample weights, or None.
    """
    ws = [None] * len(ys) if ws is None else ws
    b = start.astype(float).copy()
    gain = _gain(logs, ys, b, objective, n_classes, ws)
    history = [gain]
    for _ in range(max_rounds):
        improved = False
        for k in range(n_classes):
            curves = [
                _coordinate_curve(L, y, b, k, objective, n_classes, w)
                for L, y, w in zip(logs, ys, ws, strict=True)
            ]
            param, best = best_midpoint(*mean_curve(curves))
            if best > gain + TIE_TOL:
                b[k], gain, improved = param, best, True
                history.append(gain)
        if not improved:
            break
    return b - b.mean(), gain, history


def search_offsets(
    folds: list[Fold], objective: Objective, n_classes: int, max_rounds: int = 20
) -> OffsetSearch:
    """Offsets maximising the fold-averaged objective; constant folds keep ``b = 0``.

    The search starts from plain argmax (``b = 0``) or from dividing by the class prior
    (``b = -log prior``), whichever scores better, since coordinate moves only go uphill.

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.decision._objective import resolve_objective
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1, 2], [80, 15, 5])
    >>> proba = np.full((100, 3), 0.1)
    >>> proba[:, 0] = 0.8
    >>> proba[np.arange(100), y] += 0.05 * rng.random(100)
    >>> result = search_offsets([Fold(np.arange(100), y, proba)], resolve_objective("f1", 3), 3)
    >>> result.default_score < result.score == 1.0
    True
    """
    sign = 1.0 if objective.greater_is_better else -1.0
    fallback = np.array([f.constant for f in folds])
    logs = [log_proba(f.scores) for f in folds]
    ys = [f.y for f in folds]
    ws = [f.weight for f in folds]
    zero = np.zeros(n_classes)
    fold_scores = np.array(
        [
            sign * _gain([L], [y], zero, objective, n_classes, [w])
            for L, y, w in zip(logs, ys, ws, strict=True)
        ]
    )
    default_score = float(fold_scores.mean())
    fold_offsets = np.zeros((len(folds), n_classes))

    live = np.flatnonzero(~fallback)
    if len(live) == 0:
        return OffsetSearch(
            zero,
            default_score,
            default_score,
            fold_offsets,
            fold_scores,
            fallback,
            np.array([default_score]),
        )

    live_logs, live_ys = [logs[i] for i in live], [ys[i] for i in live]
    live_ws = [ws[i] for i in live]
    if all(w is None for w in live_ws):
        prior = np.bincount(np.concatenate(live_ys), minlength=n_classes) / sum(map(len, live_ys))
    else:
        mass = np.bincount(np.concatenate(live_ys), np.concatenate(live_ws), minlength=n_classes)
        prior = mass / mass.sum()
    starts = [zero, -np.log(np.clip(prior, 1e-12, None))]
    start = max(starts, key=lambda b: _gain(live_logs, live_ys, b, objective, n_classes, live_ws))
    b, gain, history = coordinate_search(
        live_logs, live_ys, objective, n_classes, start, max_rounds, live_ws
    )
    for i in live:
        fold_b, fold_gain, _ = coordinate_search(
            [logs[i]], [ys[i]], objective, n_classes, start, max_rounds, [ws[i]]
        )
        fold_offsets[i], fold_scores[i] = fold_b, sign * fold_gain

    const_total = fold_scores[fallback].sum()
    score = (sign * gain * len(live) + const_total) / len(folds)
    return OffsetSearch(
        b,
        float(score),
        default_score,
        fold_offsets,
        fold_scores,
        fallback,
        sign * np.array(history),
    )
