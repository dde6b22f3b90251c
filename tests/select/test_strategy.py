import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline

from skewlearn.evaluation import TaskInfo
from skewlearn.resample import SMOTE
from skewlearn.select import Strategy, default_catalog
from skewlearn.select._catalog import DEFAULT_SPECS


def _task(**overrides):
    values = dict(
        n_samples=200,
        class_counts={0: 180, 1: 20},
        n_numeric=3,
        n_categorical=1,
        smallest_train_class=16,
    )
    values.update(overrides)
    return TaskInfo(**values)


def test_spec_round_trip_in_any_order():
    strategy = Strategy.parse("threshold + HGB + balanced")
    assert strategy == Strategy("hgb", "balanced", "threshold")
    assert strategy.name == "hgb+balanced+threshold"
    assert Strategy.parse(strategy.name) == strategy


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("hgb+smotee", "unknown strategy part 'smotee' in 'hgb\\+smotee'; did you mean 'smote'"),
        ("hgb+magic", "unknown strategy part 'magic' in 'hgb\\+magic'; known parts: logreg"),
        ("smote", "names no learner"),
        ("hgb+rf", "names two learners"),
        ("brf+smote", "re-balances by itself"),
        ("hgb+prior", "combine it with a sampler"),
        ("easy+balanced", "re-balances by itself"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec, message):
    with pytest.raises(ValueError, match=message):
        Strategy.parse(spec)


def test_default_catalog_is_valid_and_unique():
    catalog = default_catalog()
    assert 20 <= len(catalog) <= 40
    assert len({s.name for s in catalog}) == len(catalog) == len(DEFAULT_SPECS)


def test_build_puts_sampler_inside_the_pipeline_after_preprocessing():
    estimator = Strategy("logreg", "smote").build(_task(), metric="f1", random_state=0)
    assert isinstance(estimator, Pipeline)
    assert [name for name, _ in estimator.steps] == ["preprocess", "sampler", "learner"]
    assert isinstance(estimator.named_steps["sampler"], SMOTE)
    assert estimator.named_steps["sampler"].k_neighbors == "auto"


def test_smote_neighbours_adapt_to_the_minority_rows_actually_fitted():
    # The task's estimate of the smallest training class does not decide k: the rows do.
    X = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) % 7})
    y = np.array([0] * 37 + [1] * 3)
    estimator = Strategy("logreg", "smote").build(_task(), metric="f1", random_state=0)
    with pytest.warns(UserWarning, match="k_neighbors=2 instead of 5"):
        estimator.fit(X, y)
    assert estimator.predict(X).shape == (40,)


def test_class_weight_reaches_the_learner():
    estimator = Strategy("hgb", "balanced").build(_task(), metric="f1", random_state=0)
    assert estimator.named_steps["learner"].class_weight == "balanced"


@pytest.mark.parametrize(
    ("spec", "task", "reason"),
    [
        ("rf+smote", _task(n_numeric=0, n_categorical=4), "every column is categorical"),
        ("rf+smote", _task(smallest_train_class=1), "SMOTE needs at least 2"),
        (
            "hgb+rus+prior",
            _task(smallest_train_class=12),
            "needs about 40 training rows to split at all, and random under-sampling of the "
            "majority classes leaves 24",
        ),
    ],
)
def test_strategies_that_cannot_apply_say_why(spec, task, reason):
    assert reason in Strategy.parse(spec).unavailable(task)


def test_gradient_boosting_on_an_under_sample_runs_once_it_can_split():
    assert Strategy.parse("hgb+rus").unavailable(_task(smallest_train_class=20)) is None
    assert Strategy.parse("hgb+balanced").unavailable(_task(smallest_train_class=5)) is None


def test_cheaper_strategies_cost_less():
    assert Strategy("logreg").cost < Strategy("logreg", "smote").cost
    assert Strategy("logreg", "smote").cost < Strategy("logreg", "smote", "threshold").cost


def test_task_info_counts_training_minority():
    X = pd.DataFrame({"a": np.arange(50.0), "b": pd.Categorical(["x", "y"] * 25)})
    info = TaskInfo.from_data(X, [0] * 40 + [1] * 10, n_splits=5)
    assert (info.n_numeric, info.n_categorical, info.smallest_train_class) == (1, 1, 8)
    assert info.is_binary
