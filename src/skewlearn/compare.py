"""The main job: choose the best imbalance strategy for a dataset and write model, leaderboard and report.

``skewlearn compare`` is a thin shell around :func:`run_compare`.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from skewlearn import __version__
from skewlearn.datasets import Dataset, profile
from skewlearn.report import CompareReport, DataSummary, write_compare_report
from skewlearn.select import (
    AutoBalancedClassifier,
    FoldResult,
    Objective,
    Selection,
    TableSchema,
    TrainedModel,
    save_model,
)

# Small enough for the whole job to take a minute or two on 2 cores, imbalanced enough (1:28)
# for the choice of strategy to matter.
DEMO_DATASET = "yeast4"


@dataclass(frozen=True)
class CompareOutputs:
    """Paths written by :func:`run_compare` and the fitted selector."""

    report: Path
    model: Path
    leaderboard: Path
    selector: AutoBalancedClassifier


def package_versions() -> dict[str, str]:
    """Versions that decide the result, recorded in the report and the model file."""
    import imblearn
    import sklearn

    return {
        "skewlearn": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "imbalanced-learn": imblearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }


def describe_decision_rule(estimator) -> str:
    """How the fitted estimator turns probabilities into labels, in words."""
    kind = getattr(estimator, "rule_", None)
    rule = getattr(estimator, "decision_rule_", None)
    if kind == "threshold":
        # _pos indexes the positive class in classes_ (the minority unless pos_label is set).
        target = f"P({estimator.classes_[estimator._pos]})"
        return f"predict the positive class when {target} >= {float(rule):.4g}"
    if kind == "offsets":
        offsets = ", ".join(f"{c}: {b:+.3f}" for c, b in zip(estimator.classes_, np.ravel(rule)))
        return f"argmax of log-probability plus per-class offsets ({offsets})"
    if kind == "bayes_cost":
        return "the class of least expected cost under the cost matrix"
    if hasattr(estimator, "target_prior_"):
        return "the most probable class after correcting probabilities to the true class prior"
    return "the learner's default rule (the most probable class)"


def run_compare(
    dataset: Dataset,
    out: str | Path,
    *,
    metric: str = "f1",
    budget: str | float | None = None,
    cv: int = 5,
    strategies: str | Sequence[str] = "default",
    engine: str = "local",
    scheduler: str | None = None,
    n_jobs: int = 1,
    seed: int = 0,
    command: str = "",
    on_result: Callable[[FoldResult], None] | None = None,
) -> CompareOutputs:
    """Race the strategies on ``dataset``, refit the winner, write report, model and leaderboard.

    Examples
    --------
    >>> from skewlearn.datasets import load_dataset
    >>> outputs = run_compare(load_dataset("ecoli1"), "out", strategies=["logreg"])  # doctest: +SKIP
    """
    if dataset.meta.get("task") == "regression":
        raise ValueError(
            f"the target of {dataset.meta.get('name')!r} is continuous; compare chooses among "
            "classification strategies: give a categorical target with --target"
        )
    schema = TableSchema.from_frame(dataset.X)
    X = schema.conform(dataset.X)
    y = dataset.y.to_numpy()
    engine_arg = engine
    if engine == "dask":
        from skewlearn.select import DaskEngine

        engine_arg = DaskEngine(scheduler)
    selector = AutoBalancedClassifier(
        strategies,
        metric=metric,
        cv=cv,
        budget=budget,
        engine=engine_arg,
        n_jobs=n_jobs,
        random_state=seed,
        on_result=on_result,
    )
    try:
        selector.fit(X, y)
    finally:
        if engine_arg is not engine:
            engine_arg.close()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    versions = package_versions()
    rule = describe_decision_rule(selector.best_estimator_)
    leaderboard = _write_atomic_csv(selector.leaderboard_, out / "leaderboard.csv")
    model = save_model(
        TrainedModel(
            selector.best_estimator_,
            schema,
            [str(dataset.y.name), *dataset.meta.get("dropped", {})],
            selector.best_strategy_.name,
            metric,
            rule,
            versions,
        ),
        out / "model.skops",
    )
    report = write_compare_report(
        _report(dataset, selector, metric, y, command, versions, rule), out / "report.html"
    )
    return CompareOutputs(report, model, leaderboard, selector)


def _write_atomic_csv(frame: pd.DataFrame, path: Path) -> Path:
    partial = path.with_suffix(path.suffix + ".partial")
    frame.to_csv(partial, index=False)
    partial.replace(path)
    return path


def _report(
    dataset: Dataset,
    selector: AutoBalancedClassifier,
    metric: str,
    y: np.ndarray,
    command: str,
    versions: dict[str, str],
    rule: str,
) -> CompareReport:
    summary = profile(dataset)
    selection: Selection = selector.selection_
    winner = selector.best_strategy_.name
    y_pred, y_proba = selection.out_of_fold(winner)
    objective = Objective(metric, selector.classes_, y)
    best = selector.best_estimator_
    threshold = best.decision_rule_ if getattr(best, "rule_", None) == "threshold" else None
    return CompareReport(
        title=str(dataset.meta.get("name", "data")),
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
        y_true=y,
        y_pred=y_pred,
        y_proba=y_proba,
        classes=selector.classes_,
        positive=objective.positive,
        score=objective.label_score,
        n_fits=selection.n_fits,
        elapsed=selection.elapsed,
        stop_reason=selection.stop_reason,
        command=command,
        versions=versions,
        tie_tolerance=selector.tie_tolerance,
        decision_rule=rule,
        threshold=None if threshold is None else float(threshold),
        notes=list(selection.notes),
    )
