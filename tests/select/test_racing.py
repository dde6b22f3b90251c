import numpy as np
import pandas as pd
import pytest

from skewlearn.select import NoStopping, PairedRacing


def test_consistently_worse_strategy_is_dropped_with_reason():
    scores = pd.DataFrame({"good": [0.80, 0.82, 0.81, 0.79], "bad": [0.70, 0.71, 0.69, 0.72]})
    dropped = PairedRacing().drop(scores)
    assert list(dropped) == ["bad"]
    assert "worse than good" in dropped["bad"]
    assert "4 paired folds" in dropped["bad"]


def test_no_decision_before_min_folds():
    scores = pd.DataFrame({"good": [0.8, 0.8], "bad": [0.1, 0.1]})
    assert PairedRacing(min_folds=3).drop(scores) == {}


def test_noisy_close_strategies_are_kept():
    rng = np.random.default_rng(0)
    base = rng.uniform(0.6, 0.8, size=5)
    scores = pd.DataFrame({"a": base, "b": base + rng.normal(0, 0.05, size=5)})
    assert PairedRacing().drop(scores) == {}


def test_identical_strategies_are_never_dropped():
    scores = pd.DataFrame({"a": [0.5, 0.6, 0.7], "b": [0.5, 0.6, 0.7]})
    assert PairedRacing().drop(scores) == {}


def test_constant_positive_gap_is_decisive():
    scores = pd.DataFrame({"a": [0.9, 0.8, 0.7], "b": [0.8, 0.7, 0.6]})
    assert list(PairedRacing().drop(scores)) == ["b"]


def test_wilcoxon_needs_five_folds_to_decide():
    four = pd.DataFrame({"a": [0.9, 0.8, 0.7, 0.85], "b": [0.5, 0.4, 0.3, 0.45]})
    assert PairedRacing(test="wilcoxon").drop(four) == {}
    five = pd.concat([four, pd.DataFrame({"a": [0.8], "b": [0.3]})], ignore_index=True)
    assert list(PairedRacing(test="wilcoxon").drop(five)) == ["b"]


def test_only_shared_folds_are_compared():
    scores = pd.DataFrame({"a": [0.9, 0.9, 0.9, np.nan], "b": [0.1, 0.1, 0.1, 0.1]})
    assert list(PairedRacing().drop(scores)) == ["b"]


def test_exhaustive_rule_drops_nothing():
    scores = pd.DataFrame({"a": [1.0] * 5, "b": [0.0] * 5})
    assert NoStopping().drop(scores) == {}


def test_unknown_test_is_rejected():
    with pytest.raises(ValueError, match="'ttest' or 'wilcoxon'"):
        PairedRacing(test="anova")


def test_prior_racing_drops_what_evidence_and_folds_both_rank_low():
    from skewlearn.select import CatalogPrior, PriorRacing

    scores = pd.DataFrame({"usual": [0.70, 0.72, 0.71], "rare": [0.71, 0.69, 0.70]})
    prior = CatalogPrior({"usual": 0.05, "rare": -0.05})
    dropped = PriorRacing(prior, n_smallest=20).drop(scores)
    assert list(dropped) == ["rare"]
    # The reason prints the numbers the rule compared: pulled means, gap, z (1 - w) SE.
    assert dropped["rare"] == (
        "0.677 against usual's 0.732 on 3 shared folds (means pulled 50% toward the prior): "
        "a gap of 0.055, more than 1 x (1 - 0.50) x paired standard error 0.012 = 0.006"
    )
    # Without the prior's pull the same folds are too close to call.
    assert PriorRacing(CatalogPrior({}, strength=0), n_smallest=20).drop(scores) == {}
    # On large data the pull fades and the folds must speak for themselves.
    assert PriorRacing(prior, n_smallest=100_000).drop(scores) == {}
    assert PriorRacing(prior, n_smallest=20, min_folds=4).drop(scores) == {}


def test_prior_racing_keeps_the_leader_and_a_strategy_within_a_standard_error():
    from skewlearn.select import CatalogPrior, PriorRacing

    scores = pd.DataFrame({"a": [0.70, 0.80, 0.75], "b": [0.74, 0.74, 0.73], "c": [0.2, 0.3, 0.25]})
    dropped = PriorRacing(CatalogPrior({}), n_smallest=50).drop(scores)
    assert list(dropped) == ["c"]


def test_prior_racing_clips_pulled_means_to_the_metric_range():
    from skewlearn.select import CatalogPrior, PriorRacing

    # A strong negative advantage would pull a near-zero F1 below zero without the clip.
    scores = pd.DataFrame({"good": [0.30, 0.32, 0.31], "poor": [0.01, 0.0, 0.02]})
    prior = CatalogPrior({"good": 0.4, "poor": -0.4})
    dropped = PriorRacing(prior, n_smallest=5, bounds=(0.0, 1.0)).drop(scores)
    assert dropped["poor"].startswith("0.000 against good's")
