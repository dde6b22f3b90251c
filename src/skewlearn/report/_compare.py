"""The self-contained HTML report of a `skewlearn compare` run."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from skewlearn.report import _figures
from skewlearn.report._diagnosis import _environment


@dataclass
class DataSummary:
    """What the report says about the data."""

    n_samples: int
    n_features: int
    class_counts: pd.Series
    column_kinds: dict[str, str]
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def imbalance_ratio(self) -> float:
        return float(self.class_counts.max() / self.class_counts.min())

    @property
    def kind_counts(self) -> dict[str, int]:
        return pd.Series(self.column_kinds, dtype=object).value_counts().to_dict()


@dataclass
class CompareReport:
    """Everything the compare report shows; plain data, so it can be built from any run.

    ``y_pred`` and ``y_proba`` are the winner's out-of-fold predictions for ``y_true``;
    ``score`` maps (y_true, y_pred, sample_weight) to the metric for the threshold curve.
    """

    title: str
    data: DataSummary
    leaderboard: pd.DataFrame
    metric: str
    winner: str
    winner_description: str
    y_true: np.ndarray
    y_pred: np.ndarray
    y_proba: np.ndarray | None
    classes: np.ndarray
    positive: object
    score: Callable[[np.ndarray, np.ndarray, np.ndarray | None], float]
    n_fits: int
    elapsed: float
    stop_reason: str
    command: str
    versions: dict[str, str]
    tie_tolerance: float = 0.0
    decision_rule: str | None = None
    threshold: float | None = None
    notes: list[str] = field(default_factory=list)
    # Objects with baseline, description, baseline_mean, winner_mean and folds.
    gains: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ranking_rule: str = ""
    coverage: str = (
        "one full repeat of the folds (each sample predicted by a model that never saw it)"
    )
    budget: str | float | None = None
    # A record of skewlearn.app.diagnosis_record for the "data difficulty" section, or the
    # reason there is none.
    difficulty: dict | None = None
    difficulty_error: str | None = None
    # (step, the rows it saw): for a table larger than memory, where the profile, the
    # selection and the refit see different rows; empty for a table in memory.
    rows_seen: list[tuple[str, str]] = field(default_factory=list)


def _fmt(value, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def render_compare_report(report: CompareReport) -> str:
    """The report as one HTML string with every figure inline (it opens with no network).

    ``skewlearn.app.run_compare`` builds the :class:`CompareReport` from a selection;
    tests/report/test_compare_report.py builds one by hand.
    """
    environment = _environment()
    board = report.leaderboard
    figures = {
        "class_counts": _figures.class_counts_svg(report.data.class_counts),
        "leaderboard": _figures.leaderboard_svg(board, report.metric),
        "confusion": _figures.confusion_svg(report.y_true, report.y_pred, report.classes),
        "curves": None,
        "threshold": None,
    }
    if report.y_proba is not None:
        figures["curves"] = _figures.pr_roc_svg(
            report.y_true, report.y_proba, report.classes, report.positive
        )
        if len(report.classes) == 2:
            column = int(np.flatnonzero(report.classes == report.positive)[0])
            negative = report.classes[1 - column]
            figures["threshold"] = _figures.threshold_curve_svg(
                report.y_true,
                report.y_proba[:, column],
                report.score,
                report.positive,
                negative,
                report.metric,
                chosen=report.threshold,
            )
    rows = board.to_dict("records")
    adjusted = board["adjusted"] if "adjusted" in board else board["mean"]
    context = {
        "prior_used": not np.allclose(adjusted, board["mean"], equal_nan=True),
        "title": report.title,
        "winner": report.winner,
        "winner_description": report.winner_description,
        "winner_row": board.loc[board["strategy"] == report.winner].iloc[0].to_dict(),
        "metric": report.metric,
        "n_strategies": len(board),
        "n_fits": report.n_fits,
        "elapsed": report.elapsed,
        "stop_reason": report.stop_reason,
        "notes": report.notes,
        "gains": report.gains,
        "warnings": report.warnings,
        "ranking_rule": report.ranking_rule,
        "coverage": report.coverage,
        "budget": report.budget,
        "profile": report.data,
        "rows": rows,
        "dropped": [r for r in rows if r["status"] not in ("selected", "finished", "baseline")],
        "figures": figures,
        "decision_rule": report.decision_rule,
        "command": report.command,
        "versions": report.versions,
        "tie_tolerance": report.tie_tolerance,
        "difficulty": report.difficulty,
        "difficulty_error": report.difficulty_error,
        "rows_seen": report.rows_seen,
    }
    return environment.get_template("compare.html.j2").render(r=context, fmt=_fmt)


def write_compare_report(report: CompareReport, path: str | Path) -> Path:
    """Render the report and write it to ``path`` (written whole, then moved into place)."""
    path = Path(path)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(render_compare_report(report), encoding="utf-8")
    partial.replace(path)
    return path
