"""The data-aware prior: measures of the data, and each strategy's advantage on data like it."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skewlearn.diagnose import minority_typology
from skewlearn.select import CatalogPrior, DataPrior, default_catalog
from skewlearn.select._prior_data import DATA_PRIOR_FILE
from skewlearn.select._prior_measures import MEASURES, TYPOLOGY_ROWS, data_measures


def test_measures_of_a_known_table():
    y = np.array([0] * 90 + [1] * 10)
    X = pd.DataFrame(
        {
            "x": np.r_[np.zeros(90), np.ones(10)] + np.linspace(0, 0.01, 100),
            "z": np.linspace(0, 1, 100),
            "kind": ["a", "b"] * 50,
            "flag": [True, False] * 50,
        }
    )
    measures = data_measures(X, y)
    assert list(measures) == list(MEASURES)
    assert measures["log_rows"] == pytest.approx(2.0)
    assert measures["log_minority"] == pytest.approx(1.0)
    assert measures["log_imbalance"] == pytest.approx(np.log10(9))
    assert measures["log_features"] == pytest.approx(np.log10(4))
    assert measures["categorical_share"] == pytest.approx(0.5)
    counts = minority_typology(X, y).counts[1]
    for kind, count in counts.items():
        assert measures[kind] == pytest.approx(count / 10)


def test_large_data_is_typed_on_a_stratified_sample_with_close_shares():
    X, y = make_classification(3 * TYPOLOGY_ROWS, 6, weights=[0.9], flip_y=0.05, random_state=1)
    sampled = data_measures(X, y)
    counts = pd.Series(minority_typology(X, y).counts[1])
    exact = counts / counts.sum()
    assert sampled["log_rows"] == pytest.approx(np.log10(len(y)))
    for kind in exact.index:
        assert sampled[kind] == pytest.approx(exact[kind], abs=0.05)


def test_bad_data_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="single class"):
        data_measures(np.zeros((10, 2)), np.zeros(10))
    with pytest.raises(ValueError, match="one label per row"):
        data_measures(np.zeros((10, 2)), np.zeros(9))


def _toy_prior(n_neighbors=2):
    measures = pd.DataFrame(
        {"log_minority": [1.0, 1.1, 2.0, 2.5, 2.6], "safe": [0.2, 0.3, 0.5, 0.9, 0.8]},
        index=list("abcde"),
    )
    advantage = pd.DataFrame(
        {
            "rus": [-0.6, -0.7, np.nan, 0.0, 0.02],
            "brf": [0.05, 0.03, 0.04, 0.01, 0.0],
        },
        index=list("abcde"),
    )
    return DataPrior(measures, advantage, n_neighbors=n_neighbors)


def test_expected_advantage_is_the_mean_over_the_nearest_scored_datasets():
    prior = _toy_prior()
    query = {"log_minority": 1.9, "safe": 0.5}
    # Brute force: distances on measures divided by their standard deviation.
    scale = prior.measures.std(ddof=0)
    distance = np.sqrt((((prior.measures - pd.Series(query)) / scale) ** 2).sum(axis=1))
    order = distance.sort_values().index
    assert prior.neighbours(query, "brf") == list(order[:2])
    # c is nearest but has no rus score: rus takes the nearest two that have one.
    scored = [name for name in order if name != "c"][:2]
    assert prior.neighbours(query, "rus") == scored
    expected = prior.expected(query)
    assert expected["rus"] == pytest.approx(prior.advantage.loc[scored, "rus"].mean(), abs=1e-4)
    assert expected["brf"] == pytest.approx(prior.advantage.loc[order[:2], "brf"].mean(), abs=1e-4)


def test_evidence_from_tiny_data_is_not_applied_to_large_data():
    prior = _toy_prior()
    tiny = prior.expected({"log_minority": 1.0, "safe": 0.25})
    large = prior.expected({"log_minority": 2.6, "safe": 0.85})
    assert tiny["rus"] == pytest.approx(-0.65)
    assert large["rus"] == pytest.approx(0.01)


def test_for_data_gives_a_catalog_prior_of_the_same_strength():
    X, y = make_classification(300, 4, weights=[0.9], random_state=0)
    measures = pd.DataFrame([data_measures(X, y)], index=["self"])
    advantage = pd.DataFrame({"a": [0.1], "b": [-0.1]}, index=["self"])
    prior = DataPrior(measures, advantage, n_neighbors=1, strength=7).for_data(X, y)
    assert isinstance(prior, CatalogPrior)
    assert prior.strength == 7
    assert dict(prior.advantage) == {"a": 0.1, "b": -0.1}


def test_inconsistent_evidence_and_queries_are_refused():
    prior = _toy_prior()
    with pytest.raises(ValueError, match="same data sets"):
        DataPrior(prior.measures, prior.advantage.iloc[::-1])
    with pytest.raises(ValueError, match="n_neighbors must be >= 1"):
        DataPrior(prior.measures, prior.advantage, n_neighbors=0)
    with pytest.raises(ValueError, match="prior strength must be >= 0"):
        DataPrior(prior.measures, prior.advantage, strength=-1)
    with pytest.raises(ValueError, match=r"measures lack \['safe'\]"):
        prior.expected({"log_minority": 1.0})


def test_the_shipped_evidence_covers_the_default_catalog_and_fixes_the_flat_flaw():
    recorded = json.loads(DATA_PRIOR_FILE.read_text())
    assert set(recorded["use"]) <= set(MEASURES)
    prior = DataPrior.for_metric("f1")
    assert {s.name for s in default_catalog()} - {"lgbm+balanced", "lgbm+threshold"} <= set(
        prior.advantage.columns
    )
    assert DataPrior.for_metric("cost:FN=5,FP=1") is None
    # Undersampling before boosting cannot split where the smallest class has ~20 rows, and
    # the flat prior applies that loss everywhere; the data-aware prior only to such data.
    flat = CatalogPrior.for_metric("f1").advantage["hgb+rus+prior"]
    median = prior.measures.median()
    tiny, large = median.copy(), median.copy()
    tiny[["log_minority", "log_rows"]] += np.log10(15) - median["log_minority"]
    large[["log_minority", "log_rows"]] += np.log10(2000) - median["log_minority"]
    assert prior.expected(tiny.to_dict())["hgb+rus+prior"] < flat
    assert prior.expected(large.to_dict())["hgb+rus+prior"] > flat / 5


def test_auto_classifier_pulls_toward_the_data_aware_prior_of_its_data():
    from skewlearn.select import AutoBalancedClassifier

    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    specs = ["logreg", "logreg+balanced"]
    auto = AutoBalancedClassifier(specs, n_repeats=1, prior="data").fit(X, y)
    board = auto.leaderboard_.set_index("strategy")
    assert not np.allclose(board["adjusted"], board["mean"])
    # The same as passing the evidence, or the prior it gives for this data, by hand.
    evidence = DataPrior.for_metric("f1")
    prior = evidence.for_data(pd.DataFrame(X), y)
    columns = ["strategy", "mean", "adjusted"]
    for given in (evidence, prior):
        same = AutoBalancedClassifier(specs, n_repeats=1, prior=given).fit(X, y)
        pd.testing.assert_frame_equal(same.leaderboard_[columns], auto.leaderboard_[columns])
