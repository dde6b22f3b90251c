"""The search loop: race strategies fold by fold within a budget and choose one, with evidence.

The loop knows nothing of how candidates are stopped (a :class:`StoppingRule`), where fits run
(an :class:`Engine`) or where results are kept (a :class:`ResultStore`).
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from skewlearn.select._engine import Engine
from skewlearn.select._evaluate import FoldResult, FoldTask, evaluate_fold
from skewlearn.select._objective import Objective
from skewlearn.select._plan import Fold
from skewlearn.select._prior import CatalogPrior
from skewlearn.select._racing import StoppingRule
from skewlearn.select._store import ResultStore
from skewlearn.select._strategy import Strategy
from skewlearn.select._task import TaskInfo

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}


@dataclass(frozen=True)
class Budget:
    """How much the selector may spend: wall-clock seconds, a number of fits, or both.

    Examples
    --------
    >>> Budget.parse("10m")
    Budget(seconds=600.0, fits=None)
    >>> Budget.parse("150 fits")
    Budget(seconds=None, fits=150)
    """

    seconds: float | None = None
    fits: int | None = None

    @classmethod
    def parse(cls, value: Budget | str | float | None) -> Budget:
        """Read ``None`` (unlimited), seconds as a number, or ``"90s"``, ``"10m"``, ``"200 fits"``."""
        if value is None or isinstance(value, Budget):
            return value or cls()
        if isinstance(value, int | float):
            return cls(seconds=float(value))
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", str(value).lower())
        if match and match.group(2) in ("fit", "fits"):
            return cls(fits=int(float(match.group(1))))
        if match and match.group(2) in ("", *_UNITS):
            return cls(seconds=float(match.group(1)) * _UNITS.get(match.group(2), 1))
        raise ValueError(
            f"cannot read budget {value!r}: use seconds (600), a duration ('90s', '10m', '1h') "
            "or a number of fits ('200 fits')"
        )


@dataclass
class Selection:
    """The outcome of a selection: the choice, the leaderboard and the evidence behind them."""

    best: Strategy
    leaderboard: pd.DataFrame
    results: list[FoldResult]
    folds: list[Fold]
    n_fits: int
    elapsed: float
    stop_reason: str
    notes: list[str] = field(default_factory=list)

    def fold_scores(self) -> pd.DataFrame:
        """Scores as a (fold x strategy) table; NaN where a strategy was not evaluated."""
        return _score_table(self.results, list(self.leaderboard["strategy"]))

    def out_of_fold(self, strategy: str, repeat: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
        """Test-fold predictions of ``strategy`` over one full repeat: (labels, probabilities)."""
        by_fold = {r.fold: r for r in self.results if r.strategy == strategy and not r.failed}
        folds = [f for f in self.folds if f.repeat == repeat]
        if not all(f.index in by_fold for f in folds):
            raise ValueError(f"{strategy} was not evaluated on every fold of repeat {repeat}")
        n = sum(len(f.test) for f in folds)
        first = by_fold[folds[0].index]
        y_pred = np.empty(n, dtype=first.y_pred.dtype)
        y_proba = None if first.y_proba is None else np.empty((n, first.y_proba.shape[1]))
        for fold in folds:
            result = by_fold[fold.index]
            y_pred[fold.test] = result.y_pred
            if y_proba is not None:
                y_proba[fold.test] = result.y_proba
        return y_pred, y_proba


def task_seed(random_state: int, strategy: Strategy, fold: Fold) -> int:
    """The seed of one task: fixed by the run's seed, the strategy and the fold, on any engine."""
    key = [random_state, zlib.crc32(strategy.name.encode()), fold.index]
    return int(np.random.SeedSequence(key).generate_state(1)[0])


def run_selection(
    strategies: Sequence[Strategy],
    X: pd.DataFrame,
    y: np.ndarray,
    *,
    objective: Objective,
    folds: list[Fold],
    task: TaskInfo,
    engine: Engine,
    stopping: StoppingRule,
    store: ResultStore,
    budget: Budget = Budget(),
    random_state: int = 0,
    tie_tolerance: float = 0.002,
    prior: CatalogPrior | None = None,
    on_result: Callable[[FoldResult], None] | None = None,
) -> Selection:
    """Race ``strategies`` over ``folds`` and choose the best one.

    Fold by fold, every strategy still racing is evaluated on the next fold; after each round
    the stopping rule drops those that are clearly worse and strategies that failed are dropped
    with their error. The run stops when the folds or the budget are used up. The winner is the
    best mean score on shared folds (pulled toward ``prior``, when given: the leaderboard's
    ``adjusted`` column); strategies within ``tie_tolerance`` of it count as tied and the
    cheapest of those wins.
    """
    start = time.perf_counter()
    status: dict[str, tuple[str, str]] = {}
    racing: list[Strategy] = []
    for strategy in strategies:
        reason = strategy.unavailable(task)
        if reason:
            status[strategy.name] = ("skipped", reason)
        else:
            racing.append(strategy)
    if not racing:
        raise ValueError(
            "no strategy can run on this data: "
            + "; ".join(f"{name}: {why}" for name, (_, why) in status.items())
        )
    n_fits = 0
    stop_reason = f"all {len(folds)} folds evaluated"
    for fold in folds:
        remaining = _affordable(budget, n_fits, time.perf_counter() - start, store, racing)
        if remaining is not None:
            stop_reason = remaining
            break
        tasks = [
            FoldTask(s, fold, X, y, task, objective, task_seed(random_state, s, fold))
            for s in racing
        ]
        for result in engine.map_unordered(evaluate_fold, tasks):
            store.add(result)
            n_fits += 1
            if on_result is not None:
                on_result(result)
        racing = _drop_failed(racing, store, fold, status)
        scores = objective.utility(_score_table(store.results(), [s.name for s in racing]))
        for name, reason in stopping.drop(scores).items():
            status[name] = ("dropped", f"after fold {fold.index + 1}: {reason}")
        racing = [s for s in racing if s.name not in status]
    for strategy in racing:
        status[strategy.name] = ("finished", "")
    n_smallest = task.smallest_class
    leaderboard = _leaderboard(
        strategies, store.results(), status, objective, folds, prior, n_smallest
    )
    best = _choose(strategies, leaderboard, racing, objective, tie_tolerance)
    leaderboard.loc[leaderboard["strategy"] == best.name, "status"] = "selected"
    # The winner heads the board, also when a tie went to it as the cheaper strategy.
    first = leaderboard["strategy"] == best.name
    leaderboard = pd.concat([leaderboard[first], leaderboard[~first]], ignore_index=True)
    leaderboard["rank"] = np.arange(1, len(leaderboard) + 1)
    notes = []
    if prior is not None and prior.weight(n_smallest):
        notes.append(
            f"Ranked by fold means pulled {prior.weight(n_smallest):.0%} toward evidence from "
            "other data sets (each strategy's usual advantage; the 'with prior' column): "
            f"the smallest class has {n_smallest} samples, and the pull fades as it grows."
        )
    return Selection(
        best=best,
        leaderboard=leaderboard,
        results=store.results(),
        folds=folds,
        n_fits=n_fits,
        elapsed=time.perf_counter() - start,
        stop_reason=stop_reason,
        notes=notes,
    )


def _affordable(
    budget: Budget, n_fits: int, elapsed: float, store: ResultStore, racing: list[Strategy]
) -> str | None:
    """Why the next round does not fit in the budget, or None when it does."""
    if budget.fits is not None and n_fits + len(racing) > budget.fits:
        return f"fit budget reached: {n_fits} fits done, the next round needs {len(racing)} more"
    if budget.seconds is not None and n_fits:
        names = {s.name for s in racing}
        times = [r.fit_time + r.predict_time for r in store.results() if r.strategy in names]
        # Rounds run in sequence; the next one costs about what these strategies cost before.
        next_round = float(np.mean(times)) * len(racing) if times else 0.0
        if elapsed + next_round > budget.seconds:
            return (
                f"time budget of {budget.seconds:.0f}s reached after {elapsed:.0f}s "
                f"(the next round would take about {next_round:.0f}s)"
            )
    return None


def _drop_failed(
    racing: list[Strategy], store: ResultStore, fold: Fold, status: dict[str, tuple[str, str]]
) -> list[Strategy]:
    errors = {r.strategy: r.error for r in store.results() if r.fold == fold.index and r.failed}
    for name, error in errors.items():
        status[name] = ("failed", f"fold {fold.index + 1}: {error}")
    return [s for s in racing if s.name not in errors]


def _score_table(results: list[FoldResult], names: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(
        [(r.fold, r.strategy, r.score) for r in results if r.strategy in set(names)],
        columns=["fold", "strategy", "score"],
    )
    wide = table.pivot(index="fold", columns="strategy", values="score")
    return wide.reindex(columns=names).sort_index()


def _leaderboard(
    strategies: Sequence[Strategy],
    results: list[FoldResult],
    status: dict[str, tuple[str, str]],
    objective: Objective,
    folds: list[Fold],
    prior: CatalogPrior | None,
    n_smallest: int,
) -> pd.DataFrame:
    n_test = np.mean([len(f.test) for f in folds])
    n_train = np.mean([len(f.train) for f in folds])
    rows = []
    for strategy in strategies:
        own = [r for r in results if r.strategy == strategy.name and not r.failed]
        scores = np.array([r.score for r in own])
        low, high = _confidence_interval(scores, n_test / n_train)
        state, reason = status.get(strategy.name, ("not evaluated", ""))
        rows.append(
            {
                "strategy": strategy.name,
                "mean": scores.mean() if len(scores) else np.nan,
                "std": scores.std(ddof=1) if len(scores) > 1 else np.nan,
                "ci_low": low,
                "ci_high": high,
                "folds": len(scores),
                "fit_time": np.mean([r.fit_time for r in own]) if own else np.nan,
                "predict_time": np.mean([r.predict_time for r in own]) if own else np.nan,
                "cost": strategy.cost,
                "status": state,
                "reason": reason,
                "description": strategy.description,
            }
        )
    board = pd.DataFrame(rows)
    means = board.set_index("strategy")["mean"]
    evaluated = means.dropna()
    if prior is not None and len(evaluated):
        means = prior.adjust(evaluated, n_smallest).reindex(means.index)
    board.insert(board.columns.get_loc("mean") + 1, "adjusted", means.to_numpy())
    order = board.assign(
        _evaluated=board["folds"] > 0,
        _utility=objective.utility(board["adjusted"]),
        _finished=board["status"] == "finished",
    ).sort_values(["_finished", "_evaluated", "folds", "_utility"], ascending=False)
    board = board.loc[order.index].reset_index(drop=True)
    board.insert(0, "rank", np.arange(1, len(board) + 1))
    return board


def _confidence_interval(scores: np.ndarray, test_train_ratio: float) -> tuple[float, float]:
    """95% interval of the mean fold score, with Nadeau and Bengio's correction.

    Cross-validation folds share training data, so the naive standard error is too small; the
    corrected resampled t-interval inflates the variance by (1/J + n_test/n_train).
    """
    if len(scores) < 2:
        return np.nan, np.nan
    variance = scores.var(ddof=1) * (1 / len(scores) + test_train_ratio)
    half = stats.t.ppf(0.975, df=len(scores) - 1) * np.sqrt(variance)
    return float(scores.mean() - half), float(scores.mean() + half)


def _choose(
    strategies: Sequence[Strategy],
    leaderboard: pd.DataFrame,
    racing: list[Strategy],
    objective: Objective,
    tie_tolerance: float,
) -> Strategy:
    pool = racing or [
        s
        for s in strategies
        if s.name in set(leaderboard.loc[leaderboard["folds"] > 0, "strategy"])
    ]
    if not pool:
        raise RuntimeError("every strategy failed; see the leaderboard's reasons")
    means = leaderboard.set_index("strategy")["adjusted"]
    utility = {s.name: float(objective.utility(means[s.name])) for s in pool}
    top = max(utility.values())
    tied = [s for s in pool if utility[s.name] >= top - tie_tolerance]
    return min(tied, key=lambda s: (s.cost, -utility[s.name]))
