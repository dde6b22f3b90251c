"""Statistics for comparing strategies over many datasets (Demšar 2006; Benavoli et al. 2016).

Every function takes a *score table*: one row per dataset, one column per strategy, each cell
the mean of a metric over that dataset's test folds. Distributions come from scipy.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from skewlearn.evaluation import holm

IMBALANCE_TIERS: tuple[tuple[str, float, float], ...] = (
    ("<5", 0.0, 5.0),
    ("5-10", 5.0, 10.0),
    ("10-50", 10.0, 50.0),
    (">50", 50.0, np.inf),
)


def score_table(records: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean ``metric`` per (dataset, strategy) over its test folds.

    A strategy that did not finish every fold of a dataset (a fold failed) has no score there:
    a mean over fewer folds would not be comparable with the others.

    Examples
    --------
    >>> records = pd.DataFrame({"dataset": ["a", "a", "a", "a"], "strategy": ["x", "x", "y", "y"],
    ...                         "status": ["ok", "ok", "ok", "failed"], "f1": [0.25, 0.75, 0.5, None]})
    >>> score_table(records, "f1").to_dict()
    {'x': {'a': 0.5}, 'y': {'a': nan}}
    """
    finished = records[records["status"] == "ok"]
    means = finished.pivot_table(index="dataset", columns="strategy", values=metric, aggfunc="mean")
    planned = records.groupby(["dataset", "strategy"]).size().unstack()
    folds = planned.max(axis=1)
    counts = finished.groupby(["dataset", "strategy"])[metric].count().unstack()
    complete = counts.reindex_like(means).eq(folds.reindex(means.index), axis=0)
    return means.where(complete)


def complete_blocks(table: pd.DataFrame) -> pd.DataFrame:
    """The datasets on which every strategy has a score (rank tests need complete blocks)."""
    return table.dropna(axis=0, how="any")


def average_ranks(table: pd.DataFrame, *, greater_is_better: bool = True) -> pd.Series:
    """Mean rank of each strategy over datasets (1 = best; ties share the mean rank).

    Examples
    --------
    >>> table = pd.DataFrame({"x": [0.9, 0.5], "y": [0.8, 0.5]}, index=["a", "b"])
    >>> average_ranks(table).to_dict()
    {'x': 1.25, 'y': 1.75}
    """
    oriented = -table if greater_is_better else table
    ranks = stats.rankdata(oriented.to_numpy(), axis=1)
    return pd.Series(ranks.mean(axis=0), index=table.columns).sort_values()


def friedman_test(table: pd.DataFrame) -> tuple[float, float]:
    """Friedman's chi-square statistic and p-value (needs 3 or more strategies).

    Examples
    --------
    >>> table = pd.DataFrame({"x": [3, 3, 3, 3], "y": [2, 2, 2, 2], "z": [1, 1, 1, 1.0]})
    >>> statistic, p = friedman_test(table)
    >>> round(statistic, 3), round(p, 4)
    (8.0, 0.0183)
    """
    if table.shape[1] < 3:
        raise ValueError("the Friedman test needs at least 3 strategies")
    result = stats.friedmanchisquare(*(table[c].to_numpy() for c in table.columns))
    return float(result.statistic), float(result.pvalue)


def nemenyi_critical_difference(n_strategies: int, n_datasets: int, alpha: float = 0.05) -> float:
    """The Nemenyi critical difference of average ranks.

    ``q_alpha`` is the studentized range quantile with infinite degrees of freedom divided by
    sqrt(2), as in Demšar's table.

    Examples
    --------
    >>> round(nemenyi_critical_difference(5, 30), 3)  # q_0.05 = 2.728 for k = 5
    1.114
    """
    k, n = n_strategies, n_datasets
    q_alpha = stats.studentized_range.ppf(1 - alpha, k, np.inf) / np.sqrt(2)
    return float(q_alpha * np.sqrt(k * (k + 1) / (6.0 * n)))


def wilcoxon_holm(
    table: pd.DataFrame, *, greater_is_better: bool = True, alpha: float = 0.05
) -> pd.DataFrame:
    """Wilcoxon signed-rank test for every pair of strategies, Holm-adjusted.

    Returns one row per pair: ``a``, ``b``, ``wins_a`` (datasets where ``a`` is better),
    ``wins_b``, ``p`` (two-sided), ``p_holm`` and ``significant`` (``p_holm < alpha``).
    A pair that never differs gets p = 1.
    """
    rows = []
    for a, b in itertools.combinations(table.columns, 2):
        difference = table[a].to_numpy() - table[b].to_numpy()
        if not greater_is_better:
            difference = -difference
        if np.allclose(difference, 0.0):
            p = 1.0
        else:
            p = float(stats.wilcoxon(difference, zero_method="zsplit").pvalue)
        rows.append(
            {"a": a, "b": b, "wins_a": int((difference > 0).sum()),
             "wins_b": int((difference < 0).sum()), "p": p}
        )  # fmt: skip
    pairs = pd.DataFrame(rows, columns=["a", "b", "wins_a", "wins_b", "p"])
    pairs["p_holm"] = holm(pairs["p"]) if len(pairs) else []
    pairs["significant"] = pairs["p_holm"] < alpha
    return pairs


def win_tie_loss(
    table: pd.DataFrame, baseline: str, *, greater_is_better: bool = True, tolerance: float = 0.0
) -> pd.DataFrame:
    """Datasets on which each strategy beats, ties or loses to ``baseline``.

    Examples
    --------
    >>> table = pd.DataFrame({"base": [0.5, 0.5, 0.5], "x": [0.6, 0.5, 0.4]})
    >>> win_tie_loss(table, "base").loc["x"].tolist()
    [1, 1, 1]
    """
    if baseline not in table.columns:
        raise ValueError(
            f"baseline {baseline!r} is not among the strategies: {', '.join(table.columns)}"
        )
    difference = table.sub(table[baseline], axis=0)
    if not greater_is_better:
        difference = -difference
    counts = pd.DataFrame(
        {
            "win": (difference > tolerance).sum(),
            "tie": (difference.abs() <= tolerance).sum(),
            "loss": (difference < -tolerance).sum(),
        }
    )
    return counts.drop(index=baseline)


def imbalance_tier(ratio: float) -> str:
    """The imbalance-ratio tier of a dataset: ``<5``, ``5-10``, ``10-50`` or ``>50``.

    Examples
    --------
    >>> [imbalance_tier(r) for r in (1.9, 5.0, 12.0, 129.4)]
    ['<5', '5-10', '10-50', '>50']
    """
    return next(name for name, low, high in IMBALANCE_TIERS if low <= ratio < high)


def by_tier(table: pd.DataFrame, ratios: pd.Series) -> pd.DataFrame:
    """Mean score of each strategy (rows) in each imbalance-ratio tier (columns)."""
    tiers = ratios.reindex(table.index).map(imbalance_tier)
    means = table.groupby(tiers).mean().T
    return means.reindex(columns=[t for t, _, _ in IMBALANCE_TIERS if t in means.columns])


def critical_difference_groups(ranks: pd.Series, cd: float) -> list[list[str]]:
    """Maximal runs of strategies (sorted by rank) whose ranks differ by less than ``cd``.

    These are the bars of a critical-difference diagram: strategies joined by one bar are
    not significantly different by the Nemenyi test.

    Examples
    --------
    >>> critical_difference_groups(pd.Series({"a": 1.0, "b": 1.5, "c": 3.0}), cd=1.0)
    [['a', 'b']]
    """
    ordered = ranks.sort_values()
    names, values = list(ordered.index), ordered.to_numpy()
    groups: list[tuple[int, int]] = []
    for i in range(len(values)):
        j = i
        while j + 1 < len(values) and values[j + 1] - values[i] < cd:
            j += 1
        if j > i and not any(lo <= i and j <= hi for lo, hi in groups):
            groups.append((i, j))
    return [names[lo : hi + 1] for lo, hi in groups]
