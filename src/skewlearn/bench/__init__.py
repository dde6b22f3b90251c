"""Compare many strategies over many datasets: a resumable runner, statistics, a report.

One task is one strategy on one fold of one dataset (:mod:`skewlearn.evaluation`'s ``Task``).
Results are committed to an :class:`~skewlearn.evaluation.SQLiteStore` as each task finishes,
so a killed run resumes where it stopped; the report ranks strategies with Friedman / Nemenyi
and Wilcoxon-Holm tests and draws critical-difference diagrams.
"""

from skewlearn.bench._report import BenchSummary, render_bench_report, summarize, write_bench_report
from skewlearn.bench._runner import (
    BenchRun,
    plan_tasks,
    resolve_datasets,
    resolve_strategies,
    run_bench,
)
from skewlearn.bench._stats import (
    average_ranks,
    by_tier,
    complete_blocks,
    critical_difference_groups,
    friedman_test,
    imbalance_tier,
    nemenyi_critical_difference,
    score_table,
    wilcoxon_holm,
    win_tie_loss,
)
from skewlearn.bench._tasks import DEFAULT_METRICS, Recipe

__all__ = [
    "DEFAULT_METRICS",
    "BenchRun",
    "BenchSummary",
    "Recipe",
    "average_ranks",
    "by_tier",
    "complete_blocks",
    "critical_difference_groups",
    "friedman_test",
    "imbalance_tier",
    "nemenyi_critical_difference",
    "plan_tasks",
    "render_bench_report",
    "resolve_datasets",
    "resolve_strategies",
    "run_bench",
    "score_table",
    "summarize",
    "wilcoxon_holm",
    "win_tie_loss",
    "write_bench_report",
]
