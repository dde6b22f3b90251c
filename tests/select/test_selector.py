import time

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skewlearn.evaluation import EvaluationPlan, LocalEngine, MemoryStore, Objective, TaskInfo
from skewlearn.select import Budget, NoStopping, PairedRacing, Strategy, run_selection


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=400, n_features=8, weights=[0.9], class_sep=0.8, random_state=1
    )
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(8)]), y


def _run(data, specs, *, stopping=None, budget=None, repeats=1, seed=0, engine=None, store=None):
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
        store=MemoryStore() if store is None else store,
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


def test_results_already_in_the_store_are_used_not_fitted_again(data):
    specs = ["logreg", "logreg+balanced", "tree"]
    whole = _run(data, specs)
    store = MemoryStore()
    for result in whole.results[:7]:  # what a run killed after its seventh result had stored
        store.add(result)
    resumed = _run(data, specs, store=store)
    assert (resumed.reused, resumed.n_fits) == (7, whole.n_fits - 7)
    assert resumed.best.name == whole.best.name
    pd.testing.assert_frame_equal(
        _without_times(resumed.leaderboard), _without_times(whole.leaderboard)
    )
    again = _run(data, specs, store=store)
    assert (again.reused, again.n_fits) == (whole.n_fits, 0)


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


def test_fit_budget_is_checked_before_every_fit(data):
    selection = _run(data, ["logreg", "tree"], stopping=NoStopping(), budget=Budget(fits=5))
    assert selection.n_fits == 5
    assert selection.stop_reason == "fit budget of 5 fits reached after 5 fits"
    board = selection.leaderboard.set_index("strategy")
    # The leader of round 2 goes first in round 3, so the budget cuts the other one.
    leader = selection.best.name
    other = ({"logreg", "tree"} - {leader}).pop()
    assert board.loc[leader, "folds"] == 3 and board.loc[other, "folds"] == 2
    assert board.loc[other, "status"] == "stopped"
    assert "fit budget of 5 fits was used up" in board.loc[other, "reason"]


def test_zero_budget_still_gives_a_choice_from_one_fit(data):
    selection = _run(data, ["tree", "logreg", "rf"], budget=Budget(seconds=0))
    assert selection.n_fits == 1
    board = selection.leaderboard.set_index("strategy")
    # The exempt first fit is the cheapest strategy (ties: catalog order).
    assert selection.best.name == "tree"
    assert board.loc["tree", "folds"] == 1
    assert (board.loc[["logreg", "rf"], "status"] == "not evaluated").all()
    assert "the time budget of 0s ended" in board.loc["rf", "reason"]
    assert selection.stop_reason.startswith("time budget of 0s reached")
    # One fold gives no interval: it would span most of the metric's range.
    assert np.isnan(board.loc["tree", "ci_low"])


def test_a_fit_the_budget_cannot_afford_is_not_started():
    X, y = make_classification(n_samples=20_000, n_features=20, weights=[0.99], random_state=0)
    data = (pd.DataFrame(X, columns=[f"f{i}" for i in range(20)]), y)
    start = time.monotonic()
    selection = _run(data, ["logreg", "rf+threshold"], budget=Budget(seconds=3))
    assert time.monotonic() - start < 3 * 1.2
    board = selection.leaderboard.set_index("strategy")
    assert board.loc["rf+threshold", "status"] == "not evaluated"
    assert "its next fit would take about" in board.loc["rf+threshold", "reason"]
    assert selection.best.name == "logreg"


def test_intervals_and_pulled_means_stay_in_the_metric_range(data):
    X, y = data
    selection = _run(data, ["logreg", "tree", "logreg+balanced"], stopping=NoStopping())
    board = selection.leaderboard
    assert (board["ci_low"].dropna() >= 0).all() and (board["ci_high"].dropna() <= 1).all()
    assert (board["adjusted"].dropna().between(0, 1)).all()


def test_trivial_baseline_row_and_gains(data):
    X, y = data
    selection = _run(data, ["logreg+balanced", "logreg"], stopping=NoStopping())
    board = selection.leaderboard.set_index("strategy")
    # Always predicting the minority class: F1 = 2p / (1 + p) on each test fold.
    p = y.mean()
    assert board.loc["trivial", "status"] == "baseline"
    assert board.loc["trivial", "mean"] == pytest.approx(2 * p / (1 + p), abs=0.01)
    gains = {g.baseline: g for g in selection.gains}
    assert set(gains) == {"trivial", "logreg"} - {selection.best.name} | {"trivial"}
    assert gains["trivial"].folds == 5
    assert gains["trivial"].winner_mean == pytest.approx(board.loc[selection.best.name, "mean"])


def test_labels_with_no_signal_warn_that_the_winner_is_no_better_than_trivial():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 5)), columns=list("abcde"))
    y = (rng.random(300) < 0.3).astype(int)
    selection = _run((X, y), ["logreg"], stopping=NoStopping())
    assert selection.warnings and "scores no better than the trivial rule" in selection.warnings[0]


def test_leaderboard_is_sorted_by_the_stated_rule(data):
    selection = _run(data, ["logreg+balanced", "logreg", "tree"], repeats=2)
    board = selection.leaderboard
    assert board["status"].iloc[0] == "selected"
    groups = board["status"].map(
        {"selected": 0, "finished": 0, "stopped": 0, "baseline": 1, "dropped": 2}
    )
    assert groups.is_monotonic_increasing
    assert "Ranked by group" in selection.ranking_rule


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
    predictions = selection.out_of_fold("logreg")
    np.testing.assert_array_equal(predictions.rows, np.arange(len(y)))
    assert predictions.y_pred.shape == y.shape and predictions.y_proba.shape == (len(y), 2)
    assert (predictions.n_folds, predictions.folds_in_repeat) == (5, 5)
    np.testing.assert_allclose(predictions.y_proba.sum(axis=1), 1.0)


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


@pytest.mark.parametrize("metric", ["f1", "mcc", "gmean", "average_precision", "cost:FN=5,FP=1"])
def test_trivial_scores_from_class_counts_match_scoring_every_row(data, metric):
    from skewlearn.select._selector import _trivial_scores

    _, y = data
    labels = np.where(y == 1, "fraud", "ok")
    classes = np.array(["ok", "fraud"])  # not sorted: the counts must not assume it
    objective = Objective(metric, classes, labels)
    folds = EvaluationPlan(5, 1).folds(labels)
    described, scores = _trivial_scores(objective, labels, folds)
    by_row = {}
    for label in classes:
        per_fold = {}
        for fold in folds:
            shares = np.array([(labels[fold.train] == c).mean() for c in classes])
            per_fold[fold.index] = objective.score(
                labels[fold.test],
                np.full(len(fold.test), label),
                np.tile(shares, (len(fold.test), 1)),
            )
        by_row[label] = per_fold
    best = max(by_row, key=lambda c: objective.utility(np.mean(list(by_row[c].values()))))
    assert scores == pytest.approx(by_row[best])


def _without_times(board: pd.DataFrame) -> pd.DataFrame:
    return board.drop(columns=[c for c in board.columns if c.endswith("_time")])
