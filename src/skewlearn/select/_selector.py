"""The search loop: race strategies fold by fold within a budget and choose one, with evidence.

The loop knows nothing of how candidates are stopped (a :class:`StoppingRule`), where fits run
(an :class:`Engine`) or where results are kept (a :class:`ResultStore`).

The budget is a promise: before every fit the loop checks that the fit is expected to finish
in the time left (:class:`FitTimes`), and the engine stops fits still running at the deadline.
Only the very first fit (the cheapest strategy on the first fold) is exempt, so that even a
budget of zero gives a model and a report; they say how little they rest on.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from skewlearn._sklearn_compat import check_weights
from skewlearn.evaluation._engine import Engine
from skewlearn.evaluation._objective import Objective
from skewlearn.evaluation._plan import Fold
from skewlearn.evaluation._store import ResultStore
from skewlearn.evaluation._task_info import TaskInfo
from skewlearn.evaluation._trial import EvaluationData, Result, Task, evaluate, task_seed
from skewlearn.metrics._score_weight import check_score_class_weight, score_weights
from skewlearn.select._fit_times import FitTimes, work_units
from skewlearn.select._prior import CatalogPrior
from skewlearn.select._racing import StoppingRule
from skewlearn.select._strategy import Strategy
from skewlearn.select._weights import weight_notes

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
            if not value >= 0:
                raise ValueError(f"budget must be >= 0 seconds, got {value!r}")
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


# How the leaderboard is ordered, in words (the CLI and the report print it as it is).
RANKING_RULE = (
    "Ranked by group, then by score within a group: first the strategies still in the race at "
    "the end (the selected one first), then the trivial baseline, then strategies dropped "
    "early, then those that failed or were not evaluated. Within a group, by the mean over the "
    "folds each completed{pull}. The selected strategy is the best in the race, or the cheapest "
    "within {tolerance:g} of it."
)
# Fewer folds than this give no interval: a t-interval from 2 folds spans most of the range.
MIN_INTERVAL_FOLDS = 3
_GROUPS = {
    "selected": 0,
    "finished": 0,
    "stopped": 0,
    "baseline": 1,
    "dropped": 2,
    "failed": 3,
    "not evaluated": 4,
    "skipped": 4,
}
TRIVIAL = "trivial"


@dataclass(frozen=True)
class OutOfFold:
    """Test-fold predictions of one strategy over the folds of one repeat that it completed."""

    rows: np.ndarray
    y_pred: np.ndarray
    y_proba: np.ndarray | None
    n_folds: int
    folds_in_repeat: int


@dataclass(frozen=True)
class Gain:
    """The winner against a baseline, on the folds both were evaluated on."""

    baseline: str
    description: str
    baseline_mean: float
    winner_mean: float
    folds: int


@dataclass
class Selection:
    """The outcome of a selection: the choice, the leaderboard and the evidence behind them."""

    best: Strategy
    leaderboard: pd.DataFrame
    results: list[Result]
    folds: list[Fold]
    n_fits: int
    elapsed: float
    stop_reason: str
    notes: list[str] = field(default_factory=list)
    gains: list[Gain] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ranking_rule: str = ""
    budget_bit: bool = False
    reused: int = 0
    # The rows' weights behind the scores: sample weights in fits and scores, and the
    # per-class factor on scores only (see select/_weights.py); the notes say it in words.
    weighted: bool = False
    score_class_weight: dict | None = None

    def fold_scores(self) -> pd.DataFrame:
        """Scores as a (fold x strategy) table; NaN where a strategy was not evaluated."""
        names = [n for n in self.leaderboard["strategy"] if n != TRIVIAL]
        return _score_table(self.results, names)

    def out_of_fold(self, strategy: str) -> OutOfFold:
        """``strategy``'s test-fold predictions over the repeat where it completed most folds.

        After a full repeat the rows cover the whole data set once; when the budget ended
        sooner they cover only the folds evaluated (``n_folds`` of ``folds_in_repeat``).
        """
        by_fold = {r.fold: r for r in self.results if r.strategy == strategy and not r.failed}
        if not by_fold:
            raise ValueError(f"{strategy} was not evaluated on any fold")
        repeats = sorted({f.repeat for f in self.folds})
        done = {
            rep: [f for f in self.folds if f.repeat == rep and f.index in by_fold]
            for rep in repeats
        }
        repeat = max(repeats, key=lambda rep: (len(done[rep]), -rep))
        folds = done[repeat]
        rows = np.concatenate([f.test for f in folds])
        y_pred = np.concatenate([by_fold[f.index].y_pred for f in folds])
        probas = [by_fold[f.index].y_proba for f in folds]
        y_proba = None if probas[0] is None else np.concatenate(probas)
        order = np.argsort(rows, kind="stable")
        return OutOfFold(
            rows[order],
            y_pred[order],
            None if y_proba is None else y_proba[order],
            len(folds),
            sum(f.repeat == repeat for f in self.folds),
        )


def selection_key(
    X: pd.DataFrame,
    y: np.ndarray,
    folds: list[Fold],
    objective: Objective,
    random_state: int,
    sample_weight: np.ndarray | None = None,
    score_class_weight: dict | None = None,
) -> str:
    """The name a selection's results are stored under: the same only for the same run.

    It hashes the data, the labels, the folds, the objective, the seed, the weights (when
    given) and the skewlearn version, so a durable store gives back only results that this very
    selection would produce again (a changed file, metric, seed or release starts afresh
    instead of mixing).
    """
    from skewlearn import __version__

    digest = hashlib.sha256(__version__.encode())
    digest.update(pd.util.hash_pandas_object(X, index=False).to_numpy().tobytes())
    digest.update(",".join(map(str, X.columns)).encode())
    digest.update(pd.util.hash_array(np.asarray(y, dtype=object)).tobytes())
    for fold in folds:
        digest.update(np.asarray(fold.test, dtype=np.int64).tobytes())
    digest.update(f"{objective.name}|{objective.positive}|{random_state}".encode())
    if sample_weight is not None:
        digest.update(b"sample_weight" + np.asarray(sample_weight, dtype=np.float64).tobytes())
    if score_class_weight is not None:
        digest.update(f"score_class_weight{sorted(score_class_weight.items(), key=str)}".encode())
    return "selection:" + digest.hexdigest()[:16]


class _Clock:
    """What the budget still allows: checked before every fit."""

    def __init__(self, budget: Budget, start: float | None = None):
        self.budget = budget
        self.start = time.monotonic() if start is None else start
        self.started = 0

    @property
    def deadline(self) -> float | None:
        return None if self.budget.seconds is None else self.start + self.budget.seconds

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def refusal(self, expected: float | None) -> str | None:
        """Why a fit expected to take ``expected`` seconds may not start, or None."""
        if self.started == 0:
            return None  # the first fit always runs: without it there is nothing to choose
        if self.budget.fits is not None and self.started >= self.budget.fits:
            return f"the fit budget of {self.budget.fits} fits was used up"
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                return f"the time budget of {self.budget.seconds:g}s ended"
            if expected is not None and expected > left:
                return (
                    f"its next fit would take about {expected:.1f}s and {left:.1f}s of the "
                    f"{self.budget.seconds:g}s budget were left"
                )
        return None


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
    dataset: str = "selection",
    budget: Budget = Budget(),
    random_state: int = 0,
    tie_tolerance: float = 0.002,
    prior: CatalogPrior | None = None,
    on_result: Callable[[Result], None] | None = None,
    start: float | None = None,
    sample_weight: np.ndarray | None = None,
) -> Selection:
    """Race ``strategies`` over ``folds`` and choose the best one.

    Fold by fold, every strategy still racing is evaluated on the next fold (the cheapest
    first in the first round, the leader first afterwards, so that a budget ending mid-round
    cuts the weaker ones); after each round the stopping rule drops those that are clearly
    worse, and strategies that failed are dropped with their error. A strategy whose next fit
    the budget cannot afford stops racing but stays a contender with the folds it has. The
    winner is the contender with the best mean over its folds (pulled toward ``prior``, when
    given: the leaderboard's ``adjusted`` column); contenders within ``tie_tolerance`` of it
    count as tied and the cheapest of those wins.

    Results are recorded in ``store`` under ``dataset``; results already there (a stopped run
    of the same selection, see :func:`selection_key`) are used as they are instead of fitting
    again (the caller holds the store's writer lock). ``start`` is the :func:`time.monotonic` time the budget began (default: now), so
    that a caller's own preparation counts against it.

    ``sample_weight`` (one per row) weighs every fit and every fold score (``task.weighted``
    must say whether it is given, so that strategies that cannot take weights are skipped);
    ``task.score_class_weight`` ({class: factor}) multiplies each test row's weight in the
    fold scores by its class's factor and never enters a fit.
    """
    clock = _Clock(budget, start)
    if sample_weight is not None:
        sample_weight = check_weights(sample_weight, len(y))
    if task.weighted != (sample_weight is not None):
        raise ValueError(
            f"task.weighted is {task.weighted} but sample_weight is "
            f"{'given' if sample_weight is not None else 'None'}: describe the task with "
            "TaskInfo.from_data(..., weighted=sample_weight is not None)"
        )
    score_class_weight = check_score_class_weight(task.score_class_weight, objective.classes)
    stored = {(r.strategy, r.fold): r for r in store.results(dataset) if r.status != "skipped"}
    done: dict[tuple[str, int], Result] = {}
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
    times = FitTimes(task)
    stalled: dict[str, str] = {}  # contenders the budget stopped, with the reason
    n_fits = reused = 0
    stop_reason = f"all {len(folds)} folds evaluated"
    n_smallest = task.smallest_class
    # One object, so a worker pool receives the data once for the whole run.
    score_weight = score_weights(y, sample_weight, score_class_weight)
    data = EvaluationData(X, y, folds, task, sample_weight, score_weight)
    for fold in folds:
        if not racing:
            break
        started: dict[str, float] = {}

        def tasks(order: list[Strategy], fold: Fold = fold, started: dict = started):
            for strategy in order:
                if (strategy.name, fold.index) in stored:
                    continue
                refusal = clock.refusal(times.expected(strategy))
                if refusal is not None:
                    stalled[strategy.name] = f"stopped before fold {fold.index + 1}: {refusal}"
                    continue
                clock.started += 1
                started[strategy.name] = time.monotonic()
                seed = task_seed(random_state, strategy, fold)
                yield Task(dataset, strategy, fold.index, fold.repeat, seed, (objective,), True)

        order = _round_order(racing, list(done.values()), objective, prior, task)
        kept = [stored[key] for s in order if (key := (s.name, fold.index)) in stored]
        batches = [(order, clock.deadline)]
        if clock.started == 0:
            # The exempt first fit runs alone, with no deadline; it calibrates the estimates
            # of every fit after it.
            batches = [(order[:1], None), (order[1:], clock.deadline)]
        fitted = itertools.chain.from_iterable(
            engine.run(
                evaluate, tasks(batch), shared=data, deadline=deadline, failed=Result.failure
            )
            for batch, deadline in batches
        )
        reused += len(kept)
        for result, fresh in itertools.chain(
            ((result, False) for result in kept), ((result, True) for result in fitted)
        ):
            if fresh:
                store.add(result)
                n_fits += 1
            done[(result.strategy, result.fold)] = result
            times.add(Strategy.parse(result.strategy), result)
            started.pop(result.strategy, None)
            if on_result is not None:
                on_result(result)
        for name, since in started.items():  # handed out but killed at the deadline
            stalled[name] = (
                f"its fit on fold {fold.index + 1} was stopped when the time budget ended, "
                f"after {time.monotonic() - since:.1f}s"
            )
        racing = _drop_failed(racing, list(done.values()), fold, status)
        racing = [s for s in racing if s.name not in stalled]
        scores = objective.utility(_score_table(list(done.values()), [s.name for s in racing]))
        for name, reason in stopping.drop(scores).items():
            status[name] = ("dropped", f"after fold {fold.index + 1}: {reason}")
        racing = [s for s in racing if s.name not in status]
    budget_bit = bool(stalled)
    if stalled:
        stop_reason = _budget_stop_reason(clock, stalled)
    results = list(done.values())
    evaluated = {r.strategy for r in results if not r.failed}
    for strategy in strategies:
        name = strategy.name
        if name in status:
            continue
        if name in stalled:
            status[name] = (
                ("stopped", stalled[name])
                if name in evaluated
                else ("not evaluated", stalled[name])
            )
        elif name in {s.name for s in racing}:
            status[name] = ("finished", "")
    trivial = _trivial_scores(objective, y, folds, sample_weight, score_weight)
    leaderboard = _leaderboard(
        strategies, results, status, objective, folds, prior, n_smallest, trivial
    )
    best = _choose(strategies, leaderboard, objective, tie_tolerance)
    leaderboard.loc[leaderboard["strategy"] == best.name, "status"] = "selected"
    leaderboard = _rank(leaderboard, best, objective)
    if sample_weight is not None:
        leaderboard.attrs["weighted"] = True
    if score_class_weight is not None:
        leaderboard.attrs["score_class_weight"] = score_class_weight
    notes = _prior_notes(leaderboard, prior, n_smallest, best, objective)
    notes += weight_notes(sample_weight is not None, score_class_weight)
    gains = _gains(best, leaderboard, results, trivial)
    return Selection(
        best=best,
        leaderboard=leaderboard,
        results=results,
        folds=folds,
        n_fits=n_fits,
        elapsed=clock.elapsed(),
        stop_reason=stop_reason,
        notes=notes,
        gains=gains,
        warnings=_no_better_than_trivial(best, gains, objective),
        ranking_rule=RANKING_RULE.format(
            pull=", pulled toward the prior ('with prior')" if prior is not None else "",
            tolerance=tie_tolerance,
        ),
        budget_bit=budget_bit,
        reused=reused,
        weighted=sample_weight is not None,
        score_class_weight=score_class_weight,
    )


def _budget_stop_reason(clock: _Clock, stalled: dict[str, str]) -> str:
    budget = clock.budget
    if budget.fits is not None and clock.started >= budget.fits:
        return f"fit budget of {budget.fits} fits reached after {clock.started} fits"
    elapsed = clock.elapsed()
    ended = (
        f"time budget of {budget.seconds:g}s reached after {elapsed:.1f}s"
        if elapsed >= budget.seconds
        else f"time budget of {budget.seconds:g}s: no further fit was expected to finish in "
        f"the {budget.seconds - elapsed:.1f}s left"
    )
    return (
        f"{ended}; {len(stalled)} strategies stopped early (a time budget depends on the "
        "machine and its load: the same budget buys fewer fits on a busy machine)"
    )


def _round_order(
    racing: list[Strategy],
    results: list[Result],
    objective: Objective,
    prior: CatalogPrior | None,
    task: TaskInfo,
) -> list[Strategy]:
    """The order of a round's fits, so that a budget ending mid-round cuts the least useful.

    Before any score exists: the cheapest strategy first (its fit calibrates the time
    estimates), then the rest by expected time, so that one slow fit does not keep the quick
    ones from running. Afterwards: the leader first.
    """
    scores = _score_table(results, [s.name for s in racing]).mean()
    if scores.isna().all():
        first = min(racing, key=lambda s: s.cost)
        rest = sorted((s for s in racing if s is not first), key=lambda s: work_units(s, task))
        return [first, *rest]
    if prior is not None:
        evaluated = scores.dropna()
        scores = prior.adjust(evaluated, task.smallest_class).reindex(scores.index)
    utility = objective.utility(scores).fillna(-np.inf)
    return sorted(racing, key=lambda s: -utility[s.name])


def _drop_failed(
    racing: list[Strategy], results: list[Result], fold: Fold, status: dict[str, tuple[str, str]]
) -> list[Strategy]:
    errors = {r.strategy: r.error for r in results if r.fold == fold.index and r.failed}
    for name, error in errors.items():
        status[name] = ("failed", f"fold {fold.index + 1}: {error}")
    return [s for s in racing if s.name not in errors]


def _score_table(results: list[Result], names: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(
        [(r.fold, r.strategy, r.score) for r in results if r.strategy in set(names)],
        columns=["fold", "strategy", "score"],
    )
    wide = table.pivot(index="fold", columns="strategy", values="score")
    return wide.reindex(columns=names).sort_index()


def _trivial_scores(
    objective: Objective,
    y: np.ndarray,
    folds: list[Fold],
    sample_weight: np.ndarray | None = None,
    score_weight: np.ndarray | None = None,
) -> tuple[str, dict]:
    """The best constant prediction, scored on every test fold: what any strategy must beat.

    A constant rule's score depends only on the class counts of the fold, so each fold is
    scored from one row per class weighted by its count (exact, and quick on any size); with
    weights the counts are sums of weights (the training shares of ``sample_weight``, the
    test counts of ``score_weight``).
    """
    classes = objective.classes
    order = np.argsort(classes)
    codes = order[np.searchsorted(classes[order], y)]
    counts = {
        f.index: (
            np.bincount(codes[f.train], _rows(sample_weight, f.train), minlength=len(classes)),
            np.bincount(codes[f.test], _rows(score_weight, f.test), minlength=len(classes)),
        )
        for f in folds
    }
    best: tuple[float, str, dict] | None = None
    for label in classes:
        scores = {}
        for index, (train, test) in counts.items():
            y_proba = np.tile(train / train.sum(), (len(classes), 1))
            y_pred = np.full(len(classes), label, dtype=classes.dtype)
            scores[index] = objective.score(classes, y_pred, y_proba, test.astype(float))
        utility = float(objective.utility(np.mean(list(scores.values()))))
        if best is None or utility > best[0]:
            described = (
                f"always predict '{label}'"
                if objective.metric.needs == "labels"
                else "the same score for every row (the class shares)"
            )
            best = (utility, described, scores)
    return best[1], best[2]


def _rows(weight: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if weight is None else weight[index]


def _leaderboard(
    strategies: Sequence[Strategy],
    results: list[Result],
    status: dict[str, tuple[str, str]],
    objective: Objective,
    folds: list[Fold],
    prior: CatalogPrior | None,
    n_smallest: int,
    trivial: tuple[str, dict],
) -> pd.DataFrame:
    n_test = np.mean([len(f.test) for f in folds])
    n_train = np.mean([len(f.train) for f in folds])
    rows = []
    for strategy in strategies:
        own = [r for r in results if r.strategy == strategy.name and not r.failed]
        state, reason = status.get(strategy.name, ("not evaluated", ""))
        rows.append(
            _row(
                strategy.name,
                np.array([r.score for r in own]),
                objective,
                n_test / n_train,
                fit_time=np.mean([r.fit_time for r in own]) if own else np.nan,
                predict_time=np.mean([r.predict_time for r in own]) if own else np.nan,
                cost=strategy.cost,
                status=state,
                reason=reason,
                description=strategy.description,
            )
        )
    described, scores = trivial
    rows.append(
        _row(
            TRIVIAL,
            np.array(list(scores.values())),
            objective,
            n_test / n_train,
            fit_time=0.0,
            predict_time=0.0,
            cost=0.0,
            status="baseline",
            reason=f"the best constant rule: {described}",
            description=described,
        )
    )
    board = pd.DataFrame(rows)
    means = board.set_index("strategy")["mean"]
    evaluated = means.drop(TRIVIAL).dropna()
    if prior is not None and len(evaluated):
        adjusted = prior.adjust(evaluated, n_smallest).reindex(means.index)
        adjusted[TRIVIAL] = means[TRIVIAL]  # the baseline is a fact, not an estimate
        means = objective.clip(adjusted)
    board.insert(board.columns.get_loc("mean") + 1, "adjusted", means.to_numpy())
    board.insert(board.columns.get_loc("adjusted") + 1, "pull", board["adjusted"] - board["mean"])
    return board


def _row(name, scores, objective, test_train_ratio, **fields) -> dict:
    low, high = _confidence_interval(scores, test_train_ratio)
    return {
        "strategy": name,
        "mean": scores.mean() if len(scores) else np.nan,
        "std": scores.std(ddof=1) if len(scores) > 1 else np.nan,
        "ci_low": objective.clip(low) if np.isfinite(low) else np.nan,
        "ci_high": objective.clip(high) if np.isfinite(high) else np.nan,
        "folds": len(scores),
        **fields,
    }


def _confidence_interval(scores: np.ndarray, test_train_ratio: float) -> tuple[float, float]:
    """95% interval of the mean fold score, with Nadeau and Bengio's correction.

    Cross-validation folds share training data, so the naive standard error is too small; the
    corrected resampled t-interval inflates the variance by (1/J + n_test/n_train). Below
    ``MIN_INTERVAL_FOLDS`` folds there is no interval worth printing.
    """
    if len(scores) < MIN_INTERVAL_FOLDS:
        return np.nan, np.nan
    variance = scores.var(ddof=1) * (1 / len(scores) + test_train_ratio)
    half = stats.t.ppf(0.975, df=len(scores) - 1) * np.sqrt(variance)
    return float(scores.mean() - half), float(scores.mean() + half)


def _choose(
    strategies: Sequence[Strategy],
    leaderboard: pd.DataFrame,
    objective: Objective,
    tie_tolerance: float,
) -> Strategy:
    board = leaderboard.set_index("strategy")
    pool = [
        s
        for s in strategies
        if board.loc[s.name, "status"] in ("finished", "stopped") and board.loc[s.name, "folds"]
    ]
    if not pool:
        reasons = "; ".join(
            f"{name}: {row.reason}" for name, row in board.iterrows() if row.status == "failed"
        )
        raise ValueError(f"every strategy failed, so there is nothing to choose: {reasons}")
    utility = {s.name: float(objective.utility(board.loc[s.name, "adjusted"])) for s in pool}
    top = max(utility.values())
    tied = [s for s in pool if utility[s.name] >= top - tie_tolerance]
    return min(tied, key=lambda s: (s.cost, -utility[s.name]))


def _rank(board: pd.DataFrame, best: Strategy, objective: Objective) -> pd.DataFrame:
    """Order the board by RANKING_RULE: group, then score; the selected strategy first."""
    key = board.assign(
        _selected=board["strategy"] != best.name,
        _group=board["status"].map(_GROUPS),
        _utility=-objective.utility(board["adjusted"]).fillna(-np.inf),
    ).sort_values(["_group", "_selected", "_utility"], kind="stable")
    board = board.loc[key.index].reset_index(drop=True)
    board.insert(0, "rank", np.arange(1, len(board) + 1))
    return board


def _prior_notes(
    board: pd.DataFrame,
    prior: CatalogPrior | None,
    n_smallest: int,
    best: Strategy,
    objective: Objective,
) -> list[str]:
    if prior is None or not prior.weight(n_smallest):
        return []
    weight = prior.weight(n_smallest)
    notes = [
        f"Means are pulled {weight:.0%} toward evidence from other data sets (each strategy's "
        "usual advantage; the 'with prior' column, and 'pull' is how far it moved): the "
        f"smallest class has {n_smallest} samples, and the pull fades as it grows."
    ]
    if weight > 0.5:
        notes.append(
            f"The prior dominates here ({weight:.0%}): with {n_smallest} samples of the smallest "
            "class the fold means say little, so the ranking is mostly what other data sets "
            "say about each strategy. Collect more minority samples or pass prior=None to rank "
            "by this data alone."
        )
    contenders = board[board["status"].isin(["selected", "finished", "stopped"])]
    if len(contenders) > 1:
        by_mean = contenders.loc[objective.utility(contenders["mean"]).idxmax(), "strategy"]
        if by_mean != best.name:
            row = contenders.set_index("strategy").loc[by_mean]
            notes.append(
                f"The prior changed the choice: by fold means alone {by_mean} "
                f"({row['mean']:.3f}) would lead; with the pull it has {row['adjusted']:.3f}."
            )
    return notes


def _gains(
    best: Strategy, board: pd.DataFrame, results: list[Result], trivial: tuple[str, dict]
) -> list[Gain]:
    """The winner against the untreated learner and the trivial rule, on shared folds."""
    own = {r.fold: r.score for r in results if r.strategy == best.name and not r.failed}
    untreated = Strategy(best.learner).name
    evaluated = set(board.loc[board["folds"] > 0, "strategy"])
    if untreated == best.name or untreated not in evaluated:
        plain = board[
            board["strategy"].isin(
                [n for n in evaluated if n != TRIVIAL and "+" not in n and n != best.name]
            )
        ]
        untreated = plain["strategy"].iloc[0] if len(plain) else None
    baselines = []
    if untreated is not None:
        theirs = {r.fold: r.score for r in results if r.strategy == untreated and not r.failed}
        baselines.append((untreated, f"the untreated learner ({untreated})", theirs))
    baselines.append((TRIVIAL, f"the trivial rule ({trivial[0]})", trivial[1]))
    gains = []
    for name, described, theirs in baselines:
        shared = sorted(set(own) & set(theirs))
        if shared:
            gains.append(
                Gain(
                    name,
                    described,
                    float(np.mean([theirs[f] for f in shared])),
                    float(np.mean([own[f] for f in shared])),
                    len(shared),
                )
            )
    return gains


def _no_better_than_trivial(best: Strategy, gains: list[Gain], objective: Objective) -> list[str]:
    trivial = next((g for g in gains if g.baseline == TRIVIAL), None)
    if trivial is None:
        return []
    if objective.utility(trivial.winner_mean) > objective.utility(trivial.baseline_mean):
        return []
    return [
        f"{best.name} scores no better than {trivial.description}: {objective.name} "
        f"{trivial.winner_mean:.3f} against {trivial.baseline_mean:.3f} on {trivial.folds} folds. "
        "The features may carry no signal for this target, or the minority class is too small "
        "to learn from; do not deploy this model as it is."
    ]
