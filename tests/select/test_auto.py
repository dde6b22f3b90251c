import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.model_selection import cross_val_score

from skewlearn.select import AutoBalancedClassifier


@pytest.fixture(scope="module")
def fraud():
    X, y = make_classification(
        n_samples=500, n_features=6, weights=[0.93], class_sep=0.6, random_state=4
    )
    X = pd.DataFrame(X, columns=[f"v{i}" for i in range(6)])
    X["channel"] = pd.Categorical(np.where(X["v0"] > 0, "web", "shop"))
    X.loc[::17, "v1"] = np.nan
    return X, np.where(y == 1, "fraud", "ok")


def test_string_labels_categorical_column_and_missing_values(fraud):
    X, y = fraud
    auto = AutoBalancedClassifier(["logreg", "logreg+balanced", "hgb"], n_repeats=1).fit(X, y)
    assert list(auto.classes_) == ["fraud", "ok"]
    proba = auto.predict_proba(X)
    assert proba.shape == (len(X), 2)
    assert set(auto.predict(X)) <= {"fraud", "ok"}
    board = auto.leaderboard_
    assert board.loc[0, "strategy"] == auto.best_strategy_.name
    assert {"mean", "std", "ci_low", "ci_high", "folds", "fit_time", "status", "reason"} <= set(
        board.columns
    )


def test_refitted_winner_uses_all_the_data(fraud):
    X, y = fraud
    auto = AutoBalancedClassifier(["logreg+balanced"], n_repeats=1).fit(X, y)
    learner = auto.best_estimator_.named_steps["learner"]
    assert learner.n_features_in_ >= X.shape[1]
    reference = clone(auto.best_estimator_).fit(X, y)
    np.testing.assert_allclose(auto.predict_proba(X), reference.predict_proba(X))


def test_nests_in_scikit_learn_cross_validation(fraud):
    X, y = fraud
    scores = cross_val_score(
        AutoBalancedClassifier(["logreg", "logreg+balanced"], n_repeats=1, cv=3),
        X,
        y,
        cv=3,
        scoring="balanced_accuracy",
    )
    assert scores.shape == (3,) and np.all(scores > 0.5)


def test_multiclass_uses_macro_f1():
    X, y = make_classification(
        n_samples=600,
        n_features=8,
        n_informative=5,
        n_classes=3,
        weights=[0.8, 0.15, 0.05],
        random_state=0,
    )
    auto = AutoBalancedClassifier(["logreg", "logreg+balanced"], n_repeats=1).fit(X, y)
    assert auto.predict_proba(X).shape == (600, 3)
    assert auto.leaderboard_["mean"].between(0, 1).all()


def test_binary_only_metric_on_multiclass_is_refused():
    X, y = make_classification(n_samples=90, n_classes=3, n_informative=4, random_state=0)
    with pytest.raises(ValueError, match="binary targets only"):
        AutoBalancedClassifier(["logreg"], metric="cost:FN=5,FP=1").fit(X, y)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.zeros(40), "only one class"),
        (np.linspace(0, 1, 40), "needs class labels"),
        (np.r_[np.zeros(39), np.nan], "missing labels"),
    ],
)
def test_bad_targets_are_clear_errors(y, message):
    X = np.random.default_rng(0).normal(size=(40, 3))
    with pytest.raises(ValueError, match=message):
        AutoBalancedClassifier(["logreg"]).fit(X, y)


def test_unknown_metric_and_strategy_are_clear_errors(fraud):
    X, y = fraud
    with pytest.raises(ValueError, match="Did you mean 'balanced_accuracy'"):
        AutoBalancedClassifier(["logreg"], metric="balanced_acuracy").fit(X, y)
    with pytest.raises(ValueError, match="unknown strategy part 'logreggg'"):
        AutoBalancedClassifier(["logreggg"]).fit(X, y)
    with pytest.raises(ValueError, match="listed twice: logreg"):
        AutoBalancedClassifier(["logreg", "logreg"]).fit(X, y)


def test_prediction_checks_columns(fraud):
    X, y = fraud
    auto = AutoBalancedClassifier(["logreg"], n_repeats=1).fit(X, y)
    with pytest.raises(ValueError, match="missing: \\['channel'\\]"):
        auto.predict(X.drop(columns="channel"))
    reordered = X[list(reversed(X.columns))]
    np.testing.assert_array_equal(auto.predict(reordered), auto.predict(X))


def test_metric_cost_prefers_recall_of_the_costly_class(fraud):
    X, y = fraud
    auto = AutoBalancedClassifier(
        ["logreg", "logreg+balanced"], metric="cost:FN=20,FP=1", n_repeats=1
    ).fit(X, y)
    assert auto.best_strategy_.name == "logreg+balanced"
    board = auto.leaderboard_.set_index("strategy")
    assert board.loc["logreg+balanced", "mean"] < board.loc["logreg", "mean"]


def test_a_store_path_resumes_a_fit_and_refuses_a_benchmark_store(tmp_path):
    from skewlearn.bench import run_bench
    from skewlearn.evaluation import SQLiteStore, StoreError

    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    path = tmp_path / "run.sqlite"
    first = AutoBalancedClassifier(["logreg", "tree"], cv=3, n_repeats=1, store=path).fit(X, y)
    again = AutoBalancedClassifier(["logreg", "tree"], cv=3, n_repeats=1, store=path).fit(X, y)
    assert (again.selection_.reused, again.selection_.n_fits) == (first.selection_.n_fits, 0)
    assert again.best_strategy_ == first.best_strategy_
    bench = tmp_path / "bench.sqlite"
    with SQLiteStore(bench) as store:
        run_bench(store, "ecoli1", "tree", cv=2, repeats=1, metrics=["f1"])
    with pytest.raises(StoreError, match="another configuration"):
        AutoBalancedClassifier(["logreg"], cv=3, n_repeats=1, store=bench).fit(X, y)


def test_a_store_that_is_not_one_is_refused_before_fitting():
    with pytest.raises(ValueError, match="is not a result store .*pass a file path such as"):
        AutoBalancedClassifier(["logreg"], store=object()).check_params()


def test_id_like_columns_of_a_table_are_left_out_with_a_warning(fraud):
    X, y = fraud
    with_ids = X.assign(
        customer=[f"c{i:04d}" for i in range(len(X))],
        row=np.arange(len(X)) + 100,  # row numbers
        visits=np.random.default_rng(0).integers(0, 5, len(X)),  # repeats values: a feature
    )
    with pytest.warns(UserWarning, match="left out of learning: 'customer', 'row'"):
        auto = AutoBalancedClassifier(["logreg"], n_repeats=1).fit(with_ids, y)
    assert auto.ignored_columns_ == ["customer", "row"]
    assert auto.n_features_in_ == X.shape[1] + 3
    features = with_ids.drop(columns=["customer", "row"])
    reference = AutoBalancedClassifier(["logreg"], n_repeats=1).fit(features, y)
    np.testing.assert_allclose(auto.predict_proba(with_ids), reference.predict_proba(features))
    scores = ["strategy", "mean", "std", "ci_low", "ci_high", "folds", "status"]
    pd.testing.assert_frame_equal(auto.leaderboard_[scores], reference.leaderboard_[scores])


def test_arrays_keep_every_column_and_all_id_columns_are_refused(fraud):
    X, y = fraud
    counter = np.column_stack([np.arange(len(X)), X[["v0"]].to_numpy()])  # no names: no table
    assert AutoBalancedClassifier(["logreg"], n_repeats=1).fit(counter, y).ignored_columns_ == []
    ids = pd.DataFrame({"user_id": np.arange(len(X)) * 7})
    with pytest.raises(ValueError, match="every column of X is id-like \\('user_id'"):
        AutoBalancedClassifier(["logreg"], n_repeats=1).fit(ids, y)
