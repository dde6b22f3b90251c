import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skewlearn.select import (
    Budget,
    EvaluationPlan,
    LocalEngine,
    MemoryStore,
    NoStopping,
    Objective,
    PairedRacing,
    Strategy,
    TaskInfo,
    run_selection,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=400, n_features=8, weights=[0.9], class_sep=0.8, random_state=1
    )
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(8)]), y


def _run(data, specs, *, stopping=None, budget=None, repeats=1, seed=0, engine=None):
    X, y = data
    plan = EvaluationPlan(5, repeats, random_state=seed)
    return run_selection(
        [Strategy.parse(s) for s in specs],
        X,
        y,
        objective=Objective("f1", np.unique(y), y),
        folds=plan.folds(y),
        task=TaskInfo.from_data(X, y, n_splits=5),
        engine=engine or LocalEngine(),
        stopping=stopping or PairedRacing(),
        store=MemoryStore(),
        budget=budget or Budget(),
        random_state=seed,
    )


def test_exhaustive_selection_scores_every_strategy_on_every_fold(data):
    selection = _run(data, ["logreg", "logreg+balanced", "tree"], stopping=NoStopping())
    board = selection.leaderboard.set_index("strategy")
    assert (board["folds"] == 5).all()
    assert selection.n_fits == 15
    assert selection.best.name == board["mean"].idxmax()
    assert board.loc[selection.best.name, "status"] == "selected"
    assert (board["ci_low"] <= board["mean"]).all() and (board["mean"] <= board["ci_high"]).all()


def test_racing_drops_clearly_worse_strategies_and_says_why():
    # Plain logistic regression on a hard 1:19 set predicts almost no positives.
    X, y = make_classification(
        n_samples=400, n_features=8, weights=[0.95], class_sep=0.5, random_state=1
    )
    data = (pd.DataFrame(X, columns=[f"f{i}" for i in range(8)]), y)
    selection = _run(data, ["logreg+balanced", "logreg", "tree"], repeats=2)
    board = selection.leaderboard.set_index("strategy")
    assert selection.best.name == "logreg+balanced"
    assert board.loc["logreg", "status"] == "dropped"
    assert "worse than logreg+balanced" in board.loc["logreg", "reason"]
    assert "paired t-test p=" in board.loc["logreg", "reason"]
    assert selection.n_fits < 30


def test_same_seed_same_choice_and_scores(data):
    a = _run(data, ["logreg", "hgb+balanced"], seed=3)
    b = _run(data, ["logreg", "hgb+balanced"], seed=3)
    pd.testing.assert_frame_equal(a.fold_scores(), b.fold_scores())
    assert a.best == b.best


def test_parallel_engine_gives_the_same_scores(data):
    serial = _run(data, ["logreg", "rf+smote"], stopping=NoStopping())
    parallel = _run(data, ["logreg", "rf+smote"], stopping=NoStopping(), engine=LocalEngine(2))
    pd.testing.assert_frame_equal(serial.fold_scores(), parallel.fold_scores())


def test_fit_budget_stops_between_rounds(data):
    selection = _run(data, ["logreg", "tree"], stopping=NoStopping(), budget=Budget(fits=5))
    assert selection.n_fits == 4
    assert "fit budget reached" in selection.stop_reason


def test_ties_go_to_the_cheaper_strategy(data):
    # logreg+ros and logreg+rus differ; the same strategy twice under other names cannot exist,
    # so tie a strategy with itself through a huge tolerance instead.
    X, y = data
    plan = EvaluationPlan(5, 1)
    selection = run_selection(
        [Strategy("rf", "smote"), Strategy("logreg")],
        X,
        y,
        objective=Objective("f1", np.unique(y), y),
        folds=plan.folds(y),
        task=TaskInfo.from_data(X, y, n_splits=5),
        engine=LocalEngine(),
        stopping=NoStopping(),
        store=MemoryStore(),
        tie_tolerance=1.0,
    )
    assert selection.best.name == "logreg"


def test_failing_strategy_is_recorded_and_the_run_goes_on(data, monkeypatch):
    from skewlearn.select import _components

    def broken(class_weight, seed):
        raise RuntimeError("learner exploded")

    monkeypatch.setitem(
        _components.LEARNERS,
        "tree",
        _components.LEARNERS["tree"].__class__("tree", broken, cost=1.0, description="broken"),
    )
    selection = _run(data, ["logreg", "tree"])
    board = selection.leaderboard.set_index("strategy")
    assert board.loc["tree", "status"] == "failed"
    assert "learner exploded" in board.loc["tree", "reason"]
    assert selection.best.name == "logreg"


def test_strategies_that_cannot_apply_are_skipped_with_reason(data):
    X, y = data
    X_cat = X.assign(**{c: pd.Categorical((X[c] > 0).map({True: "hi", False: "lo"})) for c in X})
    selection = _run((X_cat, y), ["logreg", "logreg+smote"])
    board = selection.leaderboard.set_index("strategy")
    assert board.loc["logreg+smote", "status"] == "skipped"
    assert "categorical" in board.loc["logreg+smote", "reason"]


def test_out_of_fold_predictions_cover_every_sample(data):
    X, y = data
    selection = _run(data, ["logreg"], stopping=NoStopping())
    y_pred, y_proba = selection.out_of_fold("logreg")
    assert y_pred.shape == y.shape and y_proba.shape == (len(y), 2)
    np.testing.assert_allclose(y_proba.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10m", Budget(seconds=600)),
        ("90s", Budget(seconds=90)),
        ("1h", Budget(seconds=3600)),
        ("200 fits", Budget(fits=200)),
        (45, Budget(seconds=45)),
        (None, Budget()),
    ],
)
def test_budget_parsing(text, expected):
    assert Budget.parse(text) == expected


def test_unreadable_budget_is_a_clear_error():
    with pytest.raises(ValueError, match="cannot read budget 'ten minutes'"):
        Budget.parse("ten minutes")
