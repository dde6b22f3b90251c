"""The benchmark report: statistics per metric, read from a results store, as one HTML file.

Everything is inline (SVG figures, CSS), so the file opens with no network.
"""

from __future__ import annotations

import io
import json
import math
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from skewlearn.bench import _stats
from skewlearn.evaluation import SQLiteStore
from skewlearn.metrics import get_scorer


@dataclass
class MetricSection:
    """The statistics of one metric over the datasets where every strategy finished."""

    metric: str
    greater_is_better: bool
    n_datasets: int
    dropped_datasets: list[str]
    dropped_strategies: list[str]
    ranks: pd.Series
    means: pd.Series
    friedman: tuple[float, float] | None
    critical_difference: float | None
    pairs: pd.DataFrame
    win_tie_loss: pd.DataFrame
    tiers: pd.DataFrame
    tier_sizes: dict[str, int]
    per_dataset: pd.DataFrame
    cd_svg: str | None = None


@dataclass
class BenchSummary:
    """Everything the report shows, computed from a store's records."""

    title: str
    config: dict[str, Any]
    baseline: str
    alpha: float
    n_datasets: int
    strategies: list[str]
    status_counts: dict[str, int]
    sections: list[MetricSection]
    timing: pd.DataFrame
    failures: pd.DataFrame
    skipped: pd.DataFrame
    versions: dict[str, str] = field(default_factory=dict)
    command: str = ""


# Stores that other flows write into the same kind of file (their config's "kind"): what they
# hold, and the command that reports on them.
_OTHER_STORES = {
    "active-simulation": ("active-learning simulations", "skewlearn active report {path}"),
}


def summarize(
    store: SQLiteStore,
    *,
    metrics: list[str] | None = None,
    baseline: str | None = None,
    alpha: float = 0.05,
    title: str | None = None,
) -> BenchSummary:
    """Compute the report's statistics from ``store``.

    Parameters
    ----------
    metrics : list of str, optional
        Default: the run's metrics.
    baseline : str, optional
        The strategy others are counted against in win/tie/loss; default: the first strategy
        of the run.
    alpha : float, default=0.05
        Level of the Nemenyi critical difference and of the Holm-adjusted Wilcoxon tests.
    """
    config = store.config()
    if config.get("kind") in _OTHER_STORES:
        what, command = _OTHER_STORES[config["kind"]]
        raise ValueError(
            f"{store.path} holds {what}, not `skewlearn bench run` results; "
            f"report on it with `{command.format(path=shlex.quote(str(store.path)))}`"
        )
    records = store.records()
    if records.empty:
        raise ValueError(f"{store.path} holds no results yet: run `skewlearn bench run` first")
    order = [s for s in store.strategies()["name"] if s in set(records["strategy"])]
    baseline = baseline or order[0]
    if baseline not in order:
        raise ValueError(f"baseline {baseline!r} is not in the store; choose one of {order}")
    stored = [m for m in config.get("metrics", []) if m in records.columns]
    unknown = [m for m in metrics or [] if m not in records.columns]
    if unknown:
        raise ValueError(
            f"metric(s) {', '.join(map(repr, unknown))} were not measured in {store.path}; "
            f"it holds {', '.join(map(repr, stored))}: report on those, or run "
            "`skewlearn bench run` again with --metrics naming the others"
        )
    metrics = metrics or stored
    ratios = store.datasets().set_index("name")["imbalance_ratio"]
    sections = [_section(records, m, order, baseline, ratios, alpha) for m in metrics]
    ok = records[records["status"] == "ok"]
    timing = (
        ok.groupby("strategy")
        .agg(
            fit_time=("fit_time", "mean"),
            predict_time=("predict_time", "mean"),
            total_time=("fit_time", "sum"),
            tasks=("fit_time", "size"),
        )
        .reindex(order)
    )
    timing["total_time"] += ok.groupby("strategy")["predict_time"].sum().reindex(order)
    failed = records[records["status"] == "failed"]
    failures = failed.groupby(["strategy", "dataset", "error"]).size().rename("tasks").reset_index()
    skipped = (
        records[records["status"] == "skipped"]
        .groupby(["strategy", "error"])["dataset"]
        .agg(lambda names: ", ".join(sorted(set(names))))
        .reset_index()
    )
    versions = json.loads(records["versions"].dropna().iloc[-1]) if len(records) else {}
    return BenchSummary(
        title=title or store.path.name,
        config=config,
        baseline=baseline,
        alpha=alpha,
        n_datasets=records["dataset"].nunique(),
        strategies=order,
        status_counts=records["status"].value_counts().to_dict(),
        sections=sections,
        timing=timing,
        failures=failures,
        skipped=skipped,
        versions=versions,
        command=reproduce_command(store),
    )


def reproduce_command(store: SQLiteStore) -> str:
    """The ``skewlearn bench run`` command that fills a store like ``store``, one option a line.

    The datasets are named by their suite when they are the whole suite, else one by one.
    """
    from skewlearn.bench._runner import resolve_datasets

    config = store.config()
    names = store.datasets()["name"].tolist()
    suites = ("keel-binary", "keel-multiclass")
    suite = next(
        (name for name in suites if set(resolve_datasets(name)) == set(names)), ",".join(names)
    )
    options = [
        ("--store", str(store.path)),
        ("--suite", suite),
        ("--strategies", ",".join(store.strategies()["name"])),
        *((f"--{key}", str(config[key])) for key in ("cv", "repeats", "seed") if key in config),
        ("--metrics", ",".join(config.get("metrics", []))),
    ]
    lines = ["skewlearn bench run", *(shlex.join(option) for option in options)]
    return " \\\n    ".join(lines)


def _section(
    records: pd.DataFrame,
    metric: str,
    order: list[str],
    baseline: str,
    ratios: pd.Series,
    alpha: float,
) -> MetricSection:
    greater = get_scorer(metric).metric.greater_is_better
    table = _stats.score_table(records, metric).reindex(columns=order)
    # A strategy with no score anywhere would empty every block: it is left out, and listed.
    complete = _stats.complete_blocks(table.dropna(axis=1, how="all"))
    dropped = sorted(set(table.index) - set(complete.index))
    ranks = _stats.average_ranks(complete, greater_is_better=greater)
    k, n = complete.shape[1], complete.shape[0]
    friedman = _stats.friedman_test(complete) if k >= 3 and n >= 2 else None
    cd = _stats.nemenyi_critical_difference(k, n, alpha) if k >= 2 and n >= 1 else None
    tiers = ratios.reindex(complete.index).map(_stats.imbalance_tier)
    section = MetricSection(
        metric=metric,
        greater_is_better=greater,
        n_datasets=n,
        dropped_datasets=dropped,
        dropped_strategies=[s for s in order if s not in complete.columns],
        ranks=ranks,
        means=complete.mean().reindex(ranks.index),
        friedman=friedman,
        critical_difference=cd,
        pairs=_stats.wilcoxon_holm(complete, greater_is_better=greater, alpha=alpha)
        if n >= 2
        else pd.DataFrame(),
        win_tie_loss=_stats.win_tie_loss(complete, baseline, greater_is_better=greater)
        if baseline in complete.columns
        else pd.DataFrame(),
        tiers=_stats.by_tier(complete, ratios),
        tier_sizes=tiers.value_counts().to_dict(),
        per_dataset=table,
    )
    if cd is not None and n >= 2:
        section.cd_svg = critical_difference_svg(ranks, cd, metric)
    return section


def critical_difference_svg(ranks: pd.Series, cd: float, metric: str) -> str:
    """Demšar's critical-difference diagram as an inline SVG string.

    Strategies sit at their average rank (1 = best, on the left); a bar joins strategies
    whose ranks differ by less than the critical difference.

    Examples
    --------
    >>> svg = critical_difference_svg(pd.Series({"a": 1.2, "b": 2.0, "c": 2.8}), 1.0, "f1")
    >>> svg.startswith("<svg")
    True
    """
    from matplotlib.figure import Figure  # no pyplot: no global state, no display

    ranks = ranks.sort_values()
    k = len(ranks)
    low, high = 1, max(k, 2)
    groups = _stats.critical_difference_groups(ranks, cd)
    half = (k + 1) // 2
    height = 1.2 + 0.28 * max(half, k - half) + 0.12 * len(groups)
    figure = Figure(figsize=(7.5, height))
    axes = figure.subplots()
    axes.set_xlim(low - 0.5, high + 0.5)
    axes.set_ylim(-(max(half, k - half) + 1.5 + 0.3 * len(groups)) * 0.3, 0.6)
    axes.axis("off")
    axes.hlines(0, low, high, color="black", linewidth=1)
    for tick in range(low, high + 1):
        axes.vlines(tick, 0, 0.08, color="black", linewidth=1)
        axes.text(tick, 0.14, str(tick), ha="center", va="bottom", fontsize=8)
    axes.plot([low, low + cd], [0.45, 0.45], color="#c44e52", linewidth=2)
    axes.text(low + cd / 2, 0.5, f"CD = {cd:.2f}", ha="center", va="bottom", fontsize=8)
    for position, (name, rank) in enumerate(ranks.items()):
        left = position < half
        row = position if left else k - 1 - position
        y = -(row + 1) * 0.3 - 0.3 * len(groups) * 0.5
        x_text = low - 0.4 if left else high + 0.4
        axes.plot([rank, rank, x_text], [0, y, y], color="#555555", linewidth=0.8)
        axes.text(
            x_text,
            y,
            f"{name} ({rank:.2f})" if left else f"({rank:.2f}) {name}",
            ha="right" if left else "left",
            va="center",
            fontsize=8,
        )
    for index, group in enumerate(groups):
        y = -0.12 - 0.1 * index
        axes.plot(
            [ranks[group[0]] - 0.03, ranks[group[-1]] + 0.03],
            [y, y],
            color="#4878a8",
            linewidth=3,
            solid_capstyle="round",
        )
    axes.set_title(f"average rank on {metric} (1 = best)", fontsize=9)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog so the SVG can sit inside HTML


def _fmt(value, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and 0 < abs(value) < 10 ** (-digits):
        return f"{value:.1e}"
    return f"{value:.{digits}f}"


def render_bench_report(summary: BenchSummary) -> str:
    """The report as one self-contained HTML string."""
    environment = Environment(
        loader=PackageLoader("skewlearn.bench", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    template = environment.get_template("bench.html.j2")
    return template.render(s=summary, fmt=_fmt, isnan=lambda v: v != v)


def write_bench_report(
    store: SQLiteStore, path: str | Path, **options: Any
) -> tuple[Path, BenchSummary]:
    """Summarize ``store`` and write the HTML report to ``path`` (whole, then moved in place).

    ``options`` are those of :func:`summarize`.
    """
    summary = summarize(store, **options)
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(render_bench_report(summary), encoding="utf-8")
    partial.replace(path)
    return path, summary
