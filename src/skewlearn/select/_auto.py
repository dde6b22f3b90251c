"""`AutoBalancedClassifier`: choose the best imbalance strategy for the data, then refit it."""

from __future__ import annotations

import contextlib
import numbers
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from skewlearn._sklearn_compat import check_single_output, check_weights
from skewlearn.datasets._schema import id_like_columns
from skewlearn.evaluation._engine import Engine, make_engine
from skewlearn.evaluation._objective import Objective
from skewlearn.evaluation._plan import EvaluationPlan
from skewlearn.evaluation._store import MemoryStore, ResultStore, SQLiteStore
from skewlearn.evaluation._task_info import TaskInfo
from skewlearn.evaluation._trial import Result
from skewlearn.metrics._score_weight import check_score_class_weight
from skewlearn.select._catalog import default_catalog
from skewlearn.select._prior import CatalogPrior
from skewlearn.select._prior_data import DataPrior
from skewlearn.select._racing import NoStopping, PairedRacing, PriorRacing
from skewlearn.select._selector import Budget, run_selection, selection_key
from skewlearn.select._strategy import Strategy


class AutoBalancedClassifier(ClassifierMixin, BaseEstimator):
    """Race imbalance strategies on leakage-safe folds, keep the best, refit it on all data.

    Every strategy (preprocessing + re-balancing + learner + decision rule) is evaluated on the
    same repeated stratified folds, with every data-dependent step fitted inside the training
    fold. Clearly worse strategies are dropped early by a paired test (racing), the budget is
    respected, and the winner is refitted on all the data.

    Parameters
    ----------
    strategies : "default" or list of Strategy or str, default="default"
        The candidates; strings are specs such as ``"hgb+balanced+threshold"``.
    metric : str, default="f1"
        A metric of :func:`skewlearn.metrics.get_scorer`. ``"f1"`` scores the minority class of
        a binary target and the macro average over classes of a multiclass one.
    cv : int, default=5
        Folds per repeat (fewer when the smallest class is smaller).
    n_repeats : int or "auto", default="auto"
        Repeats of the folds; ``"auto"`` adds repeats on small data (see ``EvaluationPlan``).
    budget : str, float or None, default=None
        Seconds, a duration (``"10m"``), a number of fits (``"200 fits"``) or None.
    racing : bool, default=True
        Drop clearly worse strategies early (``PriorRacing`` with a prior, else
        ``PairedRacing``); False evaluates every strategy on every fold.
    tie_tolerance : float, default=0.002
        Strategies whose mean score is within this of the best count as tied; the cheapest
        of them is chosen.
    prior : "data", "catalog", DataPrior, CatalogPrior or None, default="catalog"
        Evidence from other data sets that steadies noisy fold means (mostly on small data):
        ``"catalog"`` is each strategy's mean advantage that ``benchmarks/catalog_prior.py``
        measured for the metric on the keel-binary sets; ``"data"`` (:class:`DataPrior`) its
        advantage on the keel-binary sets most like this data (size, smallest class,
        imbalance, ...); none for a metric that was not measured.  None ranks by fold means
        alone.  The leaderboard's ``adjusted`` column is what the choice ranks.
    engine : "local", "dask" or Engine, default="local"
    n_jobs : int, default=1
        Worker processes of the local engine.
    random_state : int, default=0
        Seeds the folds and every strategy; the same seed gives the same choice on any engine.
    store : str, Path or ResultStore, optional
        Where fold results are kept. A path names an SQLite file (created when missing):
        every result is committed as it arrives, so a fit that was stopped (killed, out of
        time) and is run again with the same data, folds, metric and seed takes the results
        already there instead of fitting them again. Default: kept in memory for this fit.
    on_result : callable, optional
        Called with each fold result as it arrives (progress displays).
    score_class_weight : dict, optional
        {class label: weight > 0}: each test row's weight in the fold scores (and in the
        scores a tuned decision rule optimises) is multiplied by its class's weight; fits
        never see it, and a class left out gets 1. For scoring a class-stratified sample at
        the class prior of the data it was drawn from: a class kept at rate ``r`` gets
        ``1 / r``. ``selection_.score_class_weight`` and the notes record it.

    A budget is a wall-clock promise: a fit is started only when it is expected to finish in
    the time left, and fits still running when the time is up are stopped. The choice then
    rests on what was evaluated (``leaderboard_["folds"]`` says how much), with a warning when
    the winner has less than one full round of folds.

    Attributes
    ----------
    best_strategy_ : Strategy
    best_estimator_ : estimator
        The winner refitted on all the data.
    refit_time_ : float
        Seconds the refit took (outside the budget, which covers the race).
    leaderboard_ : DataFrame
        One row per strategy: mean, spread, 95% interval, folds, times, status and reason.
    selection_ : Selection
        The full evidence: fold results, out-of-fold predictions, stop reason.
    classes_ : ndarray
    weighted_ : bool
        Whether ``fit`` was given ``sample_weight`` (strategies that cannot take weights were
        then skipped, with the reason in ``leaderboard_``).
    ignored_columns_ : list
        Columns of a DataFrame ``X`` left out of learning, with a warning, because they are
        id-like: a different value on every row (strings, row numbers, integers named like
        an identifier; see :func:`skewlearn.datasets.load_table`, which drops the same).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> auto = AutoBalancedClassifier(["logreg", "logreg+balanced"], n_repeats=1).fit(X, y)
    >>> auto.best_strategy_.name in {"logreg", "logreg+balanced"}
    True
    """

    def __init__(
        self,
        strategies: str | Sequence[Strategy | str] = "default",
        *,
        metric: str = "f1",
        cv: int = 5,
        n_repeats: int | str = "auto",
        budget: str | float | None = None,
        racing: bool = True,
        tie_tolerance: float = 0.002,
        prior: str | CatalogPrior | DataPrior | None = "catalog",
        engine: str | Engine = "local",
        n_jobs: int | None = 1,
        random_state: int = 0,
        store: str | Path | ResultStore | None = None,
        on_result: Callable[[Result], None] | None = None,
        score_class_weight: dict | None = None,
    ):
        self.strategies = strategies
        self.metric = metric
        self.cv = cv
        self.n_repeats = n_repeats
        self.budget = budget
        self.racing = racing
        self.tie_tolerance = tie_tolerance
        self.prior = prior
        self.engine = engine
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.store = store
        self.on_result = on_result
        self.score_class_weight = score_class_weight

    def _stopping(self, objective: Objective, prior: CatalogPrior | None, task: TaskInfo):
        if not self.racing:
            return NoStopping()
        if prior is None or not objective.greater_is_better:
            return PairedRacing()
        return PriorRacing(prior, task.smallest_class, bounds=objective.bounds)

    def _evidence(self) -> CatalogPrior | DataPrior | None:
        if self.prior is None or isinstance(self.prior, CatalogPrior | DataPrior):
            return self.prior
        if self.prior == "catalog":
            return CatalogPrior.for_metric(self.metric)
        if self.prior == "data":
            return DataPrior.for_metric(self.metric)
        raise ValueError(
            "prior must be 'data', 'catalog', a DataPrior, a CatalogPrior or None, got "
            f"{self.prior!r}"
        )

    def _prior(self, X, y) -> CatalogPrior | None:
        """The prior for this data (a data-aware one reads the data's measures)."""
        evidence = self._evidence()
        if isinstance(evidence, DataPrior):
            return evidence.for_data(X, y, random_state=self.random_state)
        return evidence

    def check_params(self) -> list[Strategy]:
        """Check every parameter before any data is touched; return the candidates.

        Raises ValueError with what was wrong and what to pass instead, so that a command line
        can refuse bad options before it starts fitting.

        Examples
        --------
        >>> AutoBalancedClassifier(cv=1).check_params()
        Traceback (most recent call last):
        ...
        ValueError: cv=1: cross-validation needs at least 2 folds; pass cv=5 (the default) or more
        """
        if not isinstance(self.cv, numbers.Integral) or isinstance(self.cv, bool) or self.cv < 2:
            raise ValueError(
                f"cv={self.cv!r}: cross-validation needs at least 2 folds; pass cv=5 (the "
                "default) or more"
            )
        if self.n_repeats != "auto" and (
            not isinstance(self.n_repeats, numbers.Integral) or self.n_repeats < 1
        ):
            raise ValueError(f"n_repeats must be 'auto' or an integer >= 1, got {self.n_repeats!r}")
        if self.n_jobs is not None and (
            not isinstance(self.n_jobs, numbers.Integral) or self.n_jobs == 0
        ):
            raise ValueError(
                f"n_jobs={self.n_jobs!r} runs nothing: pass 1, a number of worker processes, or "
                "-1 for every core"
            )
        Budget.parse(self.budget)
        if self.store is not None and not isinstance(self.store, str | Path):
            missing = [m for m in ("add", "results", "writer") if not hasattr(self.store, m)]
            if missing:
                raise ValueError(
                    f"store={self.store!r} is not a result store (it has no "
                    f"{', '.join(missing)}); pass a file path such as 'run.sqlite' or a "
                    "skewlearn.evaluation.SQLiteStore"
                )
        from skewlearn.metrics import get_scorer

        get_scorer(self.metric)
        self._evidence()
        return self._candidates()

    def fit(self, X, y, sample_weight=None):
        """Race the strategies on the folds of ``X``, ``y``, then refit the winner on all rows.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows: every fit of the race (each training fold's rows with their
            weights, a tuned decision rule's inner folds included), every fold score and the
            final refit use them. Strategies whose learner takes no sample weights are
            skipped, with the reason in ``leaderboard_``.

        Returns
        -------
        self : AutoBalancedClassifier
        """
        start = time.monotonic()  # the budget covers the preparation too
        candidates = self.check_params()
        table = isinstance(X, pd.DataFrame)
        X = _as_frame(X)
        y = _as_labels(y, len(X))
        if sample_weight is not None:
            sample_weight = check_weights(sample_weight, len(y))
        self.classes_ = np.unique(y)
        score_class_weight = check_score_class_weight(self.score_class_weight, self.classes_)
        self.weighted_ = sample_weight is not None
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        self.ignored_columns_ = _ignored_columns(X) if table else []
        X = X.drop(columns=self.ignored_columns_)
        objective = Objective(self.metric, self.classes_, y, score_class_weight)
        plan = EvaluationPlan(self.cv, self.n_repeats, self.random_state)
        folds = plan.folds(y)
        task = TaskInfo.from_data(
            X,
            y,
            n_splits=plan.resolved_splits(y),
            weighted=sample_weight is not None,
            score_class_weight=score_class_weight,
        )
        prior = self._prior(X, y)
        dataset = "selection"
        if self.store is not None:
            dataset = selection_key(
                X, y, folds, objective, self.random_state, sample_weight, score_class_weight
            )
        with contextlib.ExitStack() as stack:
            store = stack.enter_context(_opened(self.store))
            stack.enter_context(store.writer())
            engine = make_engine(self.engine, n_jobs=self.n_jobs)
            if engine is not self.engine:
                stack.callback(engine.close)
            self.selection_ = run_selection(
                candidates,
                X,
                y,
                objective=objective,
                folds=folds,
                task=task,
                engine=engine,
                stopping=self._stopping(objective, prior, task),
                store=store,
                dataset=dataset,
                budget=Budget.parse(self.budget),
                random_state=self.random_state,
                tie_tolerance=self.tie_tolerance,
                prior=prior,
                on_result=self.on_result,
                start=start,
                sample_weight=sample_weight,
            )
        self.best_strategy_ = self.selection_.best
        self.leaderboard_ = self.selection_.leaderboard
        winner_folds = int(self.leaderboard_["folds"].iloc[0])
        per_repeat = sum(fold.repeat == 0 for fold in self.selection_.folds)
        if self.selection_.budget_bit and winner_folds < per_repeat:
            warnings.warn(
                f"the budget ended early: {self.best_strategy_.name} was chosen on "
                f"{winner_folds} fold(s) ({self.selection_.stop_reason}); see leaderboard_ for "
                "the folds behind each strategy, or give a larger budget",
                UserWarning,
                stacklevel=2,
            )
        for message in self.selection_.warnings:
            warnings.warn(message, UserWarning, stacklevel=2)
        start = time.perf_counter()
        fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.best_estimator_ = self.best_strategy_.build(
            task, metric=objective.decision_metric, random_state=self.random_state
        ).fit(X, y, **fit_params)
        self.refit_time_ = time.perf_counter() - start
        return self

    def _candidates(self) -> list[Strategy]:
        if isinstance(self.strategies, str):
            if self.strategies != "default":
                raise ValueError(
                    f"strategies must be 'default' or a list of strategies; got {self.strategies!r}"
                )
            return default_catalog()
        candidates = [Strategy.parse(s) for s in self.strategies]
        names = [s.name for s in candidates]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"strategies are listed twice: {', '.join(duplicated)}")
        if not candidates:
            raise ValueError("strategies is empty: give at least one strategy")
        return candidates

    def predict(self, X):
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict(self._check_columns(X))

    def predict_proba(self, X):
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict_proba(self._check_columns(X))

    def _check_columns(self, X) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            X = _as_frame(X, columns=self.feature_names_in_)
            if X.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[1]} features, but AutoBalancedClassifier is expecting "
                    f"{self.n_features_in_} features as input"
                )
            X.columns = list(self.feature_names_in_)
        expected = list(self.feature_names_in_)
        if list(X.columns) != expected:
            missing = [c for c in expected if c not in X.columns]
            extra = [c for c in X.columns if c not in expected]
            if missing or extra:
                raise ValueError(
                    "X does not have the training columns"
                    + (f"; missing: {missing}" if missing else "")
                    + (f"; unexpected: {extra}" if extra else "")
                )
            X = X[expected]
        return X.drop(columns=self.ignored_columns_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags


def _as_frame(X, columns=None) -> pd.DataFrame:
    """A DataFrame view of ``X``; arrays are validated and get ``x0, x1, ...`` as names."""
    if isinstance(X, pd.DataFrame):
        if X.shape[0] == 0 or X.shape[1] == 0:
            raise ValueError(f"X is empty (shape {X.shape}); at least one row and column needed")
        return X
    array = check_array(X, dtype="numeric", ensure_all_finite="allow-nan")
    if columns is None or len(columns) != array.shape[1]:
        columns = [f"x{i}" for i in range(array.shape[1])]
    return pd.DataFrame(array, columns=list(columns))


def _ignored_columns(X: pd.DataFrame) -> list:
    """The id-like columns of a table, left out of learning as the file loader leaves them."""
    ignored = id_like_columns(X)
    if len(ignored) == X.shape[1]:
        raise ValueError(
            f"every column of X is id-like ({', '.join(map(repr, ignored))}: a different value "
            "on every row, which cannot generalise); give X the columns that describe the rows"
        )
    if ignored:
        warnings.warn(
            f"id-like columns are left out of learning: {', '.join(map(repr, ignored))} (a "
            "different value on every row, which cannot generalise); drop them from X to "
            "silence this warning",
            UserWarning,
            stacklevel=3,
        )
    return ignored


def _as_labels(y, n_samples: int) -> np.ndarray:
    check_single_output(y, "AutoBalancedClassifier")
    y = column_or_1d(y, warn=True)
    if len(y) != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {len(y)}")
    missing = int(pd.isna(pd.Series(y)).sum())
    if missing:
        raise ValueError(f"y has {missing} missing labels: drop or label those rows")
    # Text labels are classes (and type_of_target sorts every value: seconds on a million
    # text labels); anything else is checked.
    text = pd.api.types.infer_dtype(y, skipna=False) == "string"
    kind = "multiclass" if text else type_of_target(y)
    if kind not in ("binary", "multiclass"):
        raise ValueError(
            f"Unknown label type: AutoBalancedClassifier needs class labels and y looks "
            f"{kind!r}. For a continuous target use a regressor"
        )
    if len(np.unique(y)) < 2:
        raise ValueError(f"y has only one class ({y[0]!r}); at least two classes are needed")
    return y


@contextlib.contextmanager
def _opened(store: str | Path | ResultStore | None):
    """The store a fit writes to: a fresh memory store, the one given, or a path opened."""
    if store is None:
        yield MemoryStore()
    elif isinstance(store, str | Path):
        with SQLiteStore(store) as opened:
            # A benchmark's store (another configuration) is refused, not mixed with selections.
            opened.check_config({"contents": "selections"})
            yield opened
    else:
        yield store
