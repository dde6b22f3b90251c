"""The active-learning report: learning curves, areas under them, ranks, as one HTML file.

The application layer computes the numbers (:class:`ActiveReport`); this module draws the
learning curves and renders the page. Everything is inline (SVG, CSS): it opens with no network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from skewlearn.report._figures import _subplots, _svg


@dataclass
class AulcSection:
    """Rank statistics of the area under one metric's learning curve (higher is better)."""

    metric: str
    n_datasets: int
    dropped_datasets: list[str]
    ranks: pd.Series
    means: pd.Series
    friedman: tuple[float, float] | None
    critical_difference: float | None
    pairs: pd.DataFrame
    per_dataset: pd.DataFrame
    cd_svg: str | None = None


@dataclass
class ActiveReport:
    """Everything the active-learning report shows.

    ``curves`` maps each dataset to its learning-curve figure (SVG); ``rare`` has one row per
    strategy with the rarest class's labels when 10% of the pool is labelled; ``timing`` one
    row per strategy with query seconds.
    """

    title: str
    config: dict[str, Any]
    strategies: list[str]
    n_datasets: int
    status_counts: dict[str, int]
    sections: list[AulcSection]
    curves: dict[str, str]
    rare: pd.DataFrame
    timing: pd.DataFrame
    failures: pd.DataFrame
    alpha: float = 0.05
    versions: dict[str, str] = field(default_factory=dict)
    command: str = ""


def learning_curve_svg(curves: pd.DataFrame, metric: str, title: str) -> str:
    """One line per strategy: ``metric`` (mean over seeds) against the share of the pool labelled.

    ``curves`` has columns ``strategy``, ``share`` and ``metric``.

    Examples
    --------
    >>> frame = pd.DataFrame({"strategy": ["a", "a", "b", "b"], "share": [0.01, 0.02] * 2,
    ...                       "f1": [0.5, 0.6, 0.4, 0.7]})
    >>> learning_curve_svg(frame, "f1", "toy").startswith("<svg")
    True
    """
    figure, axes = _subplots(figsize=(5.6, 3.4))
    means = curves.groupby(["strategy", "share"], sort=False)[metric].mean().reset_index()
    for name, line in means.groupby("strategy", sort=False):
        axes.plot(100 * line["share"], line[metric], label=str(name), linewidth=1.2)
    axes.set(xlabel="% of the pool labelled", ylabel=metric, title=title)
    axes.title.set_fontsize(9)
    axes.legend(fontsize=6, ncol=2)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def _fmt(value, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and 0 < abs(value) < 10 ** (-digits):
        return f"{value:.1e}"
    return f"{value:.{digits}f}"


def render_active_report(report: ActiveReport) -> str:
    """The report as one self-contained HTML string."""
    environment = Environment(
        loader=PackageLoader("skewlearn.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return environment.get_template("active.html.j2").render(r=report, fmt=_fmt)


def write_active_report(report: ActiveReport, path: str | Path) -> Path:
    """Write the report to ``path`` (whole, then moved into place)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(render_active_report(report), encoding="utf-8")
    partial.replace(path)
    return path
