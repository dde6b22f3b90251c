"""Statistics against their definitions, published tables and scipy."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from skewlearn.bench import (
    average_ranks,
    by_tier,
    critical_difference_groups,
    friedman_test,
    imbalance_tier,
    nemenyi_critical_difference,
    wilcoxon_holm,
    win_tie_loss,
)
from skewlearn.evaluation import holm


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    base = rng.uniform(0.4, 0.8, size=12)
    return pd.DataFrame(
        {
            "plain": base,
            "weighted": base + 0.05 + rng.normal(0, 0.01, 12),
            "smote": base + 0.02 + rng.normal(0, 0.03, 12),
            "noise": base + rng.normal(0, 0.05, 12),
        },
        index=[f"d{i}" for i in range(12)],
    )


def test_average_ranks_give_ties_the_mean_rank_and_respect_orientation():
    table = pd.DataFrame({"a": [0.9, 0.5, 0.1], "b": [0.8, 0.5, 0.2], "c": [0.7, 0.1, 0.3]})
    ranks = average_ranks(table)
    # per dataset: (1, 2, 3), (1.5, 1.5, 3), (3, 2, 1)
    assert ranks.to_dict() == pytest.approx({"a": 5.5 / 3, "b": 5.5 / 3, "c": 7 / 3})
    assert ranks.sum() == pytest.approx(6.0)  # ranks 1..3 per dataset
    losses = average_ranks(table, greater_is_better=False)
    assert losses["a"] == pytest.approx(4 - ranks["a"])


def test_friedman_matches_scipy(table):
    statistic, p = friedman_test(table)
    expected = stats.friedmanchisquare(*(table[c] for c in table.columns))
    assert (statistic, p) == pytest.approx((expected.statistic, expected.pvalue))
    with pytest.raises(ValueError, match="at least 3"):
        friedman_test(table[["plain", "smote"]])


@pytest.mark.parametrize(
    "k, q_alpha",
    # Demšar (2006), table 5(a): Nemenyi q_0.05 for k = 2..10.
    [(2, 1.960), (3, 2.343), (4, 2.569), (5, 2.728), (6, 2.850), (8, 3.031), (10, 3.164)],
)
def test_nemenyi_critical_difference_matches_demsar_table(k, q_alpha):
    n = 30
    expected = q_alpha * np.sqrt(k * (k + 1) / (6 * n))
    assert nemenyi_critical_difference(k, n) == pytest.approx(expected, abs=2e-3)


def test_holm_step_down():
    # m = 4: sorted p 0.01, 0.02, 0.03, 0.04 -> 0.04, 0.06, 0.06 (monotone), 0.06
    p = [0.03, 0.01, 0.04, 0.02]
    assert holm(p).tolist() == pytest.approx([0.06, 0.04, 0.06, 0.06])
    assert holm([0.5, 0.9]).tolist() == pytest.approx([1.0, 1.0])  # capped at 1
    assert holm([]).tolist() == []


def test_wilcoxon_holm_covers_every_pair_with_scipy_p_values(table):
    pairs = wilcoxon_holm(table)
    assert len(pairs) == 6
    row = pairs[(pairs["a"] == "plain") & (pairs["b"] == "weighted")].iloc[0]
    expected = stats.wilcoxon(table["plain"] - table["weighted"], zero_method="zsplit")
    assert row["p"] == pytest.approx(expected.pvalue)
    assert (row["wins_a"], row["wins_b"]) == (0, 12)
    assert row["significant"]
    assert pairs["p_holm"].tolist() == pytest.approx(holm(pairs["p"]).tolist())
    identical = wilcoxon_holm(pd.DataFrame({"x": [0.5, 0.6], "y": [0.5, 0.6]}))
    assert identical["p"].tolist() == [1.0]


def test_win_tie_loss_counts_datasets_against_the_baseline():
    table = pd.DataFrame({"base": [0.5, 0.5, 0.5, 0.5], "x": [0.6, 0.7, 0.5, 0.4]})
    assert win_tie_loss(table, "base").loc["x"].to_dict() == {"win": 2, "tie": 1, "loss": 1}
    assert win_tie_loss(table, "base", greater_is_better=False).loc["x", "win"] == 1
    with pytest.raises(ValueError, match="baseline 'nope'"):
        win_tie_loss(table, "nope")


def test_imbalance_tiers_are_climbs():
    assert [imbalance_tier(r) for r in (1.0, 4.99, 5.0, 9.99, 10.0, 50.0, 129.0)] == [
        "<5", "<5", "5-10", "5-10", "10-50", ">50", ">50"
    ]  # fmt: skip
    table = pd.DataFrame({"x": [0.1, 0.3, 0.9]}, index=["a", "b", "c"])
    tiers = by_tier(table, pd.Series({"a": 2.0, "b": 3.0, "c": 60.0}))
    assert tiers.columns.tolist() == ["<5", ">50"]
    assert tiers.loc["x"].tolist() == pytest.approx([0.2, 0.9])


def test_critical_difference_groups_are_maximal_runs():
    ranks = pd.Series({"a": 1.0, "b": 1.4, "c": 2.2, "d": 3.9})
    assert critical_difference_groups(ranks, cd=1.0) == [["a", "b"], ["b", "c"]]
    assert critical_difference_groups(ranks, cd=5.0) == [["a", "b", "c", "d"]]
    assert critical_difference_groups(ranks, cd=0.1) == []
