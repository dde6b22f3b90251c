"""The catalog prior: evidence from other data sets that steadies noisy fold means."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skewlearn.evaluation import EvaluationPlan, LocalEngine, MemoryStore, Objective, TaskInfo
from skewlearn.select import (
    AutoBalancedClassifier,
    CatalogPrior,
    NoStopping,
    Strategy,
    default_catalog,
    run_selection,
)
from skewlearn.select._prior import PRIOR_FILE


def test_adjust_pulls_means_toward_the_average_plus_each_advantage():
    prior = CatalogPrior({"a": 0.10, "b": 0.0, "c": -0.10}, strength=30)
    means = pd.Series({"a": 0.60, "b": 0.70, "c": 0.80})
    adjusted = prior.adjust(means, n_smallest=10)
    weight = 30 / 40
    expected = (1 - weight) * means + weight * (0.70 + pd.Series({"a": 0.1, "b": 0.0, "c": -0.1}))
    pd.testing.assert_series_equal(adjusted, expected)
    # The average is kept: the prior moves strategies relative to each other only.
    assert adjusted.mean() == pytest.approx(means.mean())


def test_the_prior_fades_with_data_and_strength_zero_turns_it_off():
    prior = CatalogPrior({"a": 0.2, "b": -0.2})
    means = pd.Series({"a": 0.5, "b": 0.6})
    assert prior.adjust(means, n_smallest=10).idxmax() == "a"
    assert prior.adjust(means, n_smallest=10_000).idxmax() == "b"
    assert prior.weight(20) == pytest.approx(0.5)
    pd.testing.assert_series_equal(CatalogPrior({"a": 1.0}, strength=0).adjust(means, 5), means)


def test_unknown_strategies_count_as_average_and_advantages_are_centred_on_those_compared():
    prior = CatalogPrior({"a": 0.3, "b": 0.1, "gone": -0.4}, strength=1e9)
    adjusted = prior.adjust(pd.Series({"a": 0.5, "b": 0.5, "mine": 0.5}), n_smallest=1)
    # Recorded advantages among those compared: a +0.1, b -0.1 (centred); mine: average.
    assert adjusted.round(6).to_dict() == {"a": 0.6, "b": 0.4, "mine": 0.5}


def test_negative_strength_is_refused():
    with pytest.raises(ValueError, match="prior strength must be >= 0"):
        CatalogPrior({}, strength=-1)


def test_the_shipped_evidence_covers_the_default_catalog_for_the_default_metric():
    recorded = json.loads(PRIOR_FILE.read_text())
    assert "keel-binary" in recorded["source"]
    prior = CatalogPrior.for_metric("f1")
    assert {s.name for s in default_catalog()} - {"lgbm+balanced", "lgbm+threshold"} <= set(
        prior.advantage
    )
    assert abs(sum(prior.advantage.values())) < 0.01 * len(prior.advantage)
    assert CatalogPrior.for_metric("cost:FN=5,FP=1") is None


def _select(prior, n_minority):
    X, y = make_classification(
        n_samples=300, n_features=6, weights=[1 - n_minority / 300], random_state=3
    )
    X = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    folds = EvaluationPlan(3, 1).folds(y)
    return run_selection(
        [Strategy.parse(s) for s in ("logreg", "logreg+balanced")],
        X,
        y,
        objective=Objective("f1", np.unique(y), y),
        folds=folds,
        task=TaskInfo.from_data(X, y, n_splits=3),
        engine=LocalEngine(),
        stopping=NoStopping(),
        store=MemoryStore(),
        prior=prior,
    )


def test_a_strong_prior_decides_between_close_strategies_and_the_board_shows_it():
    plain = _select(None, 30)
    board = plain.leaderboard.set_index("strategy")
    np.testing.assert_array_equal(board["adjusted"], board["mean"])
    loser = next(name for name in board.index if name != plain.best.name)
    favour = CatalogPrior({loser: 1.0, plain.best.name: -1.0}, strength=1e6)
    swayed = _select(favour, 30)
    assert swayed.best.name == loser
    board = swayed.leaderboard.set_index("strategy")
    assert board.loc[loser, "adjusted"] > board.loc[plain.best.name, "adjusted"]
    assert swayed.leaderboard.loc[0, "strategy"] == loser


def test_auto_classifier_uses_the_catalog_prior_unless_told_not_to():
    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    specs = ["logreg", "logreg+balanced"]
    with_prior = AutoBalancedClassifier(specs, n_repeats=1).fit(X, y)
    without = AutoBalancedClassifier(specs, n_repeats=1, prior=None).fit(X, y)
    weight = CatalogPrior.for_metric("f1").weight(int(np.bincount(y).min()))
    board = with_prior.leaderboard_.set_index("strategy")
    plain = without.leaderboard_.set_index("strategy")
    assert not np.allclose(board["adjusted"], board["mean"])
    assert weight > 0.2
    np.testing.assert_array_equal(plain["adjusted"], plain["mean"])
    with pytest.raises(ValueError, match="prior must be 'data', 'catalog', a DataPrior"):
        AutoBalancedClassifier(specs, prior="keel").fit(X, y)


def test_auto_classifier_races_with_the_prior_when_it_has_one():
    from skewlearn.select import PairedRacing, PriorRacing

    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    task = TaskInfo.from_data(pd.DataFrame(X), y, n_splits=5)
    auto = AutoBalancedClassifier(["logreg"], n_repeats=1)
    objective = Objective("f1", np.unique(y), y)
    prior = CatalogPrior.for_metric("f1")
    assert isinstance(auto._stopping(objective, prior, task), PriorRacing)
    assert isinstance(auto._stopping(objective, None, task), PairedRacing)
    brier = Objective("brier", np.unique(y), y)
    assert isinstance(auto._stopping(brier, prior, task), PairedRacing)
    assert isinstance(
        AutoBalancedClassifier(racing=False)._stopping(objective, prior, task), NoStopping
    )
