"""The main job: choose the best imbalance strategy for a dataset and write model, leaderboard and report.

``skewlearn compare`` is a thin shell around :func:`run_compare`; :func:`check_output_folder`
refuses an output folder a run must not write to, before anything is fitted.
"""

from __future__ import annotations

import difflib
import shutil
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from skewlearn._sklearn_compat import check_weights
from skewlearn._versions import package_versions
from skewlearn.app._atomic import write_csv_atomic
from skewlearn.app._diagnose import diagnosis_record
from skewlearn.app._persist import TrainedModel, save_model, training_categories
from skewlearn.datasets import DataError, Dataset, DatasetProfile, load_table, profile
from skewlearn.diagnose import diagnose
from skewlearn.evaluation import DaskEngine, Objective, Result, SQLiteStore
from skewlearn.metrics._score_weight import score_weights
from skewlearn.report import CompareReport, DataSummary, write_compare_report
from skewlearn.select import AutoBalancedClassifier, Selection
from skewlearn.select._schema import TableSchema

# Small enough for the whole job to take a minute or two on 2 cores, imbalanced enough (1:28)
# for the choice of strategy to matter.
DEMO_DATASET = "yeast4"
# What a run writes; a folder holding only these (and nothing else) holds an earlier run.
RUN_FILES = ("report.html", "model.skops", "leaderboard.csv")


@dataclass(frozen=True)
class CompareOutputs:
    """Paths written by :func:`run_compare` and the fitted selector."""

    report: Path
    model: Path
    leaderboard: Path
    selector: AutoBalancedClassifier
    warnings: list[str]
    # For a table larger than memory: (step, the rows it saw), and the wall-clock seconds of
    # the steps; empty otherwise.
    rows_seen: list[tuple[str, str]] = field(default_factory=list)
    step_seconds: dict[str, float] = field(default_factory=dict)
    # What the refit after the race was projected to take (on all rows, or on a sample
    # larger than the selection sample); None when the model is the selection sample's.
    projected_refit_seconds: float | None = None


def describe_decision_rule(estimator) -> str:
    """How the fitted estimator turns probabilities into labels, in words.

    A decision wrapper says its own rule (``describe_rule``); any other learner predicts the
    most probable class.

    Examples
    --------
    >>> from sklearn.dummy import DummyClassifier
    >>> describe_decision_rule(DummyClassifier())
    "the learner's default rule (the most probable class)"
    """
    if hasattr(estimator, "describe_rule"):
        return estimator.describe_rule()
    return "the learner's default rule (the most probable class)"


def check_output_folder(out: str | Path, force: bool = False) -> Path:
    """Refuse an ``out`` that a run must not write to, before anything is fitted.

    ``out`` may be new, empty, or (with ``force``) hold an earlier run, which the new run
    replaces as a whole once it has succeeded. A file, or a folder holding anything else,
    is refused even with ``force``: it is not ours to replace.

    Examples
    --------
    >>> check_output_folder("README.md")
    Traceback (most recent call last):
    ...
    ValueError: --out 'README.md' is a file; give the name of a folder for report.html, model.skops and leaderboard.csv
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(
            f"--out '{out}' is a file; give the name of a folder for {', '.join(RUN_FILES[:2])} "
            f"and {RUN_FILES[2]}"
        )
    if not out.is_dir():
        return out
    held = sorted(path.name for path in out.iterdir())
    foreign = [name for name in held if name not in RUN_FILES]
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise ValueError(
            f"--out '{out}' holds files that are not from a skewlearn run ({shown}); choose a new "
            "or empty folder"
        )
    if held and not force:
        raise ValueError(
            f"--out '{out}' holds an earlier run ({', '.join(held)}); pass --force to replace "
            "it, or choose another --out"
        )
    return out


def run_compare(
    dataset: Dataset | str | Path,
    out: str | Path,
    *,
    metric: str = "f1",
    budget: str | float | None = None,
    cv: int = 5,
    strategies: str | Sequence[str] = "default",
    engine: str | None = None,
    scheduler: str | None = None,
    n_jobs: int = 1,
    seed: int = 0,
    command: str = "",
    on_result: Callable[[Result], None] | None = None,
    force: bool = False,
    store: str | Path | None = None,
    target: str | None = None,
    large_above: int | str | None = None,
    sample_rows: int | None = None,
    weight: str | None = None,
    refit: str = "auto",
) -> CompareOutputs:
    """Race the strategies on ``dataset``, refit the winner, write report, model and leaderboard.

    The three files are written into a temporary folder beside ``out`` and moved into place
    together once all are written: a failed run leaves ``out`` as it was. With ``store`` (an
    SQLite file) every fold result is committed as it arrives, and a run stopped for any reason
    resumes from it when started again with the same data and options.

    ``dataset`` may be a file or Parquet folder (``target`` names its target column). A
    table larger than memory (a Parquet file whose rows x columns x 8 bytes, or a CSV whose
    size on disk, is above ``large_above``, 1 GiB by default: see
    :class:`~skewlearn.app._large.LargeTableRules`), or a folder of Parquet files, is
    profiled partition by partition on Dask, selection runs on a stratified sample and the
    winner is refitted on every row where it can be (see
    :func:`~skewlearn.app._large.run_compare_large`; ``sample_rows`` sizes its selection
    sample, ``refit`` says when the winner is refitted on all rows). ``engine`` is "local"
    by default, "dask" for such a table.

    ``weight`` names a column of row weights: every fit of the race, every fold score and
    the refit use them (see :class:`~skewlearn.select.AutoBalancedClassifier`); it is not a
    feature, and ``predict`` does not need it.

    Examples
    --------
    >>> from skewlearn.datasets import load_dataset
    >>> outputs = run_compare(load_dataset("ecoli1"), "out", strategies=["logreg"])  # doctest: +SKIP
    """
    if not isinstance(dataset, Dataset):
        from skewlearn.app._large import LargeTableRules, reads_lazily, run_compare_large

        rules = LargeTableRules.with_limit(large_above)
        if reads_lazily(dataset, rules):
            if weight is not None:
                raise ValueError(
                    "a weight column is not used on a table larger than memory yet: leave out "
                    "--weight, or compare on a sample that fits in memory"
                )
            return run_compare_large(
                dataset,
                out,
                target=target,
                metric=metric,
                budget=budget,
                cv=cv,
                strategies=strategies,
                engine=engine or "dask",
                scheduler=scheduler,
                n_jobs=n_jobs,
                seed=seed,
                command=command,
                on_result=on_result,
                force=force,
                store=store,
                rules=rules,
                sample_rows=sample_rows,
                refit=refit,
            )
        dataset = load_table(dataset, target=target)
    engine = engine or "local"
    if dataset.meta.get("task") == "regression":
        raise ValueError(
            f"the target of {dataset.meta.get('name')!r} is continuous; compare chooses among "
            "classification strategies: give a categorical target with --target"
        )
    dataset, weights = split_weight_column(dataset, weight)
    out = check_output_folder(out, force)
    schema = TableSchema.from_frame(dataset.X)
    X = schema.conform(dataset.X)
    y = dataset.y.to_numpy()
    selector = checked_selector(
        store,
        strategies=strategies,
        metric=metric,
        cv=cv,
        budget=budget,
        engine=engine,
        n_jobs=n_jobs,
        random_state=seed,
        on_result=on_result,
    )
    with staged_output(out) as staging:
        race(selector, X, y, engine=engine, scheduler=scheduler, sample_weight=weights)
        versions = package_versions()
        rule = describe_decision_rule(selector.best_estimator_)
        trained = TrainedModel(
            selector.best_estimator_,
            schema,
            [str(dataset.y.name), *dataset.meta.get("dropped", {}), *([weight] if weight else [])],
            selector.best_strategy_.name,
            metric,
            rule,
            versions,
            categories=training_categories(X),
        )
        report = _report(
            str(dataset.meta.get("name", "data")),
            profile(dataset),
            selector,
            metric,
            y,
            command,
            versions,
            rule,
        )
        report.difficulty, report.difficulty_error = data_difficulty(dataset, seed)
        write_run(staging, selector.leaderboard_, trained, report)
    return CompareOutputs(
        out / "report.html", out / "model.skops", out / "leaderboard.csv", selector, report.warnings
    )


def checked_selector(store: str | Path | None, **params) -> AutoBalancedClassifier:
    """An ``AutoBalancedClassifier(**params)`` whose parameters, and ``store`` (a results
    store file, or None), are checked before any data is read or fitted."""
    selector = AutoBalancedClassifier(**params, store=store)
    selector.check_params()
    if store is not None:
        SQLiteStore(store).close()  # a file that is not a results store is refused now
    return selector


def race(
    selector: AutoBalancedClassifier,
    X,
    y,
    *,
    engine: str,
    scheduler=None,
    sample_weight: np.ndarray | None = None,
) -> None:
    """Fit ``selector``; with ``engine="dask"`` on a :class:`DaskEngine` of ``scheduler`` (an
    address, a ``Client``, or None for a local cluster), closed afterwards (a given client
    stays open). The warnings the report and the terminal show with their evidence are not
    raised."""
    dask_engine = DaskEngine(scheduler) if engine == "dask" else None
    if dask_engine is not None:
        selector.set_params(engine=dask_engine)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", "the budget ended early|.* scores no better than", UserWarning
            )
            selector.fit(X, y, sample_weight=sample_weight)
    finally:
        if dask_engine is not None:
            dask_engine.close()


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """A hidden folder beside ``out`` to write a run into: it replaces ``out`` when the block
    ends, and is removed when the block raises, so ``out`` is written whole or not at all."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling(out, "partial")
    staging.mkdir()
    try:
        yield staging
        _move_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_run(
    folder: Path, leaderboard: pd.DataFrame, trained: TrainedModel, report: CompareReport
) -> None:
    """The three files of a run (:data:`RUN_FILES`) into ``folder``."""
    write_csv_atomic(leaderboard, folder / "leaderboard.csv")
    save_model(trained, folder / "model.skops")
    write_compare_report(report, folder / "report.html")


def split_weight_column(dataset: Dataset, weight: str | None) -> tuple[Dataset, np.ndarray | None]:
    """``dataset`` without its column of row weights, and the weights (None without one).

    The weights must be numbers, none missing, finite, non-negative and not all zero; each
    refusal names the column and the fix.

    Examples
    --------
    >>> import pandas as pd
    >>> from skewlearn.datasets import Dataset
    >>> X = pd.DataFrame({"a": [1.0, 2.0], "w": [1.0, 3.0]})
    >>> data = Dataset(X, pd.Series([0, 1]), [0, 1], {})
    >>> rest, weights = split_weight_column(data, "w")
    >>> list(rest.X.columns), weights.tolist()
    (['a'], [1.0, 3.0])
    """
    if weight is None:
        return dataset, None
    dropped = dataset.meta.get("dropped", {})
    if weight in dropped:
        raise DataError(
            f"weight column {weight!r} was left out when the file was read ({dropped[weight]}); "
            "a weight that is the same on every row changes nothing: leave out --weight"
        )
    if weight not in dataset.X.columns:
        close = difflib.get_close_matches(weight, [str(c) for c in dataset.X.columns], n=3)
        hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
        raise DataError(
            f"weight column {weight!r} not found; {hint}columns are: "
            f"{', '.join(map(repr, dataset.X.columns))}"
        )
    column = dataset.X[weight]
    if not pd.api.types.is_numeric_dtype(column):
        raise DataError(f"weight column {weight!r} holds text; give each row a number")
    if column.isna().any():
        raise DataError(
            f"weight column {weight!r} is missing on {int(column.isna().sum())} rows; give "
            "every row a weight"
        )
    try:
        weights = check_weights(column.to_numpy(dtype=float), len(column))
    except ValueError as error:
        raise DataError(f"weight column {weight!r}: {error}") from None
    return replace(dataset, X=dataset.X.drop(columns=weight)), weights


def data_difficulty(dataset: Dataset, seed: int = 0) -> tuple[dict | None, str | None]:
    """The report's "data difficulty" section: a diagnosis record, or why there is none.

    Diagnose's defaults, whose sampling bounds the time on large data, without the
    label-noise suspects (cross-validated fits of their own: ``skewlearn diagnose`` has
    them). A diagnosis that fails leaves the reason for the report instead of failing the run.

    Examples
    --------
    >>> from skewlearn.datasets import load_dataset
    >>> record, error = data_difficulty(load_dataset("ecoli1"))
    >>> record["typology"], error
    ({'positive': {'safe': 43, 'borderline': 25, 'rare': 4, 'outlier': 5}}, None)
    """
    try:
        diagnosis = diagnose(dataset.X, dataset.y, noise=False, random_state=seed)
        return diagnosis_record(diagnosis, dataset), None
    except Exception as error:  # any failure: the report says which, the run goes on
        return None, f"{type(error).__name__}: {' '.join(str(error).split())}"


def _move_into_place(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with renames, so ``out`` is never half old, half new."""
    if not out.exists():
        staging.rename(out)
        return
    old = _sibling(out, "old")
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _sibling(out: Path, kind: str) -> Path:
    """A hidden, unused name beside ``out`` (same file system, so renames are atomic)."""
    return out.parent / f".{out.name}.{kind}-{uuid.uuid4().hex[:12]}"


def decision_warnings(
    estimator, y_true: np.ndarray, y_pred: np.ndarray, y_proba: np.ndarray | None, positive
) -> list[str]:
    """Warnings about a winner whose decision rule is degenerate on held-out rows.

    Examples
    --------
    >>> import numpy as np
    >>> decision_warnings(None, np.array([0, 1, 0]), np.array([1, 1, 1]), None, 1)
    ["the selected model predicts '1' for every held-out row: it does not tell the classes apart"]
    """
    found = []
    predicted = np.unique(y_pred)
    if len(predicted) == 1 and len(np.unique(y_true)) > 1:
        label = predicted[0].item() if hasattr(predicted[0], "item") else predicted[0]
        found.append(
            f"the selected model predicts '{label}' for every held-out row: it does not tell "
            "the classes apart"
        )
    if getattr(estimator, "rule_", None) == "threshold":
        threshold = float(estimator.decision_rule_)
        if not 0.0 < threshold < 1.0:
            found.append(
                f"the tuned threshold {threshold:.4g} lies outside (0, 1): every row gets the "
                "same class"
            )
    if y_proba is not None and positive is not None and len(np.unique(y_true)) == 2:
        from sklearn.metrics import roc_auc_score

        column = int(np.flatnonzero(np.unique(y_true) == positive)[0])
        auc = roc_auc_score(y_true == positive, y_proba[:, column])
        if auc < 0.5:
            found.append(
                f"the selected model ranks the positive class worse than chance on held-out "
                f"rows (ROC AUC {auc:.3f} < 0.5)"
            )
    return found


def _report(
    title: str,
    summary: DatasetProfile,
    selector: AutoBalancedClassifier,
    metric: str,
    y: np.ndarray,
    command: str,
    versions: dict[str, str],
    rule: str,
) -> CompareReport:
    selection: Selection = selector.selection_
    winner = selector.best_strategy_.name
    held_out = selection.out_of_fold(winner)
    y_true = y[held_out.rows]
    # Scores of a class-stratified sample count each row as the rows it stands for: the
    # positive class and the threshold curve follow the race's corrected scores.
    factors = selection.score_class_weight
    objective = Objective(metric, selector.classes_, y, factors)
    score = objective.label_score if factors is None else _class_weighted(objective, factors)
    best = selector.best_estimator_
    threshold = best.decision_rule_ if getattr(best, "rule_", None) == "threshold" else None
    coverage = (
        "one full repeat of the folds (each sample predicted by a model that never saw it)"
        if held_out.n_folds == held_out.folds_in_repeat
        else f"only {held_out.n_folds} of the {held_out.folds_in_repeat} folds of a repeat "
        f"({len(held_out.rows)} of {len(y)} samples): the budget ended before the rest"
    )
    return CompareReport(
        title=title,
        data=DataSummary(
            n_samples=summary.n_samples,
            n_features=summary.n_features,
            class_counts=summary.class_counts,
            column_kinds=summary.column_kinds,
            missing={str(k): int(v) for k, v in summary.missing.items()},
        ),
        leaderboard=selection.leaderboard,
        metric=metric,
        winner=winner,
        winner_description=selector.best_strategy_.description,
        y_true=y_true,
        y_pred=held_out.y_pred,
        y_proba=held_out.y_proba,
        classes=selector.classes_,
        positive=objective.positive,
        score=score,
        n_fits=selection.n_fits,
        elapsed=selection.elapsed,
        stop_reason=selection.stop_reason,
        command=command,
        versions=versions,
        tie_tolerance=selector.tie_tolerance,
        decision_rule=rule,
        threshold=None if threshold is None else float(threshold),
        notes=list(selection.notes),
        gains=list(selection.gains),
        warnings=[
            *selection.warnings,
            *decision_warnings(best, y_true, held_out.y_pred, held_out.y_proba, objective.positive),
        ],
        ranking_rule=selection.ranking_rule,
        coverage=coverage,
        budget=selector.budget,
    )


def _class_weighted(objective: Objective, factors: dict) -> Callable:
    """``objective.label_score`` with each row's weight multiplied by its class's factor."""

    def score(y_true, y_pred, sample_weight=None):
        return objective.label_score(y_true, y_pred, score_weights(y_true, sample_weight, factors))

    return score
