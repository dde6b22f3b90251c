import pickle

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import check_scoring
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.svm import LinearSVC

from skewlearn.metrics import (
    MetricScorer,
    average_precision,
    brier,
    cost_scorer,
    expected_cost,
    f1,
    fbeta,
    get_scorer,
    list_metrics,
    log_loss,
    roc_auc,
)
from skewlearn.metrics._registry import _METRICS

PARAMETRISED = ["f2", "f0.5", "fbeta:beta=2", "cost:FN=5,FP=1", "cost: fn=5, fp=1, tp=-1"]
ALL_NAMES = [*_METRICS, *PARAMETRISED]
BINARY_ONLY = {"cost:FN=5,FP=1", "cost: fn=5, fp=1, tp=-1"}


def _data(n_classes):
    weights = [0.85, 0.15] if n_classes == 2 else [0.6, 0.25, 0.15]
    return make_classification(
        n_samples=240,
        n_features=6,
        n_informative=4,
        n_classes=n_classes,
        weights=weights,
        class_sep=1.5,
        random_state=0,
    )


@pytest.fixture(scope="module")
def binary_data():
    return _data(2)


@pytest.fixture(scope="module")
def multiclass_data():
    return _data(3)


@pytest.mark.parametrize("name", ALL_NAMES)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_every_name_works_in_cross_val_score(name, n_classes, binary_data, multiclass_data):
    X, y = binary_data if n_classes == 2 else multiclass_data
    scorer = get_scorer(name)
    model = LogisticRegression(max_iter=500)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    if n_classes > 2 and name in BINARY_ONLY:
        with pytest.raises(ValueError, match="binary targets.*list_metrics"):
            cross_val_score(model, X, y, scoring=scorer, cv=cv, error_score="raise")
        return
    assert check_scoring(model, scoring=scorer) is scorer
    scores = cross_val_score(model, X, y, scoring=scorer, cv=cv, error_score="raise")
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores))
    assert np.all(scores <= 0) if not scorer.greater_is_better else np.all(scores >= -1)


def test_grid_search_accepts_a_scorer(binary_data):
    X, y = binary_data
    search = GridSearchCV(
        LogisticRegression(max_iter=500), {"C": [0.1, 1.0]}, scoring=get_scorer("gmean"), cv=3
    ).fit(X, y)
    assert search.best_score_ > 0.5


@pytest.mark.parametrize("flip", [False, True], ids=["minority=1", "minority=0"])
def test_scorer_matches_the_functions(binary_data, flip):
    X, y = binary_data
    if flip:  # the minority class becomes classes_[0]; scorers must take column 0
        y = 1 - y
    model = LogisticRegression(max_iter=500).fit(X, y)
    pos = int(np.argmin(np.bincount(y)))
    proba, pred = model.predict_proba(X), model.predict(X)
    assert get_scorer("average_precision")(model, X, y) == average_precision(
        y, proba[:, pos], pos_label=pos
    )
    assert get_scorer("roc_auc")(model, X, y) == pytest.approx(roc_auc(y, proba))
    assert get_scorer("roc_auc")(model, X, y) > 0.8
    assert get_scorer("f1")(model, X, y) == f1(y, pred)
    assert get_scorer("f2")(model, X, y) == fbeta(y, pred, beta=2)
    assert get_scorer("brier")(model, X, y) == -brier(y, proba)
    assert get_scorer("log_loss")(model, X, y) == -log_loss(y, proba)
    fn_fp = np.zeros((2, 2))
    fn_fp[pos, 1 - pos], fn_fp[1 - pos, pos] = 5, 1
    assert get_scorer("cost:FN=5,FP=1")(model, X, y) == -expected_cost(y, pred, fn_fp)


def test_pos_label_forces_the_positive_class(binary_data):
    X, y = binary_data
    model = LogisticRegression(max_iter=500).fit(X, y)
    majority = get_scorer("average_precision", pos_label=0)(model, X, y)
    assert majority == average_precision(y, model.predict_proba(X)[:, 0], pos_label=0)
    assert repr(get_scorer("f1", pos_label=0)) == "MetricScorer('f1', pos_label=0)"


@pytest.mark.parametrize("flip", [False, True], ids=["minority=1", "minority=0"])
def test_decision_function_fallback(binary_data, flip):
    X, y = binary_data
    if flip:
        y = 1 - y
    model = LinearSVC().fit(X, y)
    auc = get_scorer("roc_auc")(model, X, y)
    assert auc > 0.8  # a sign error would give 1 - AUC
    assert auc == pytest.approx(roc_auc(y, model.decision_function(X), pos_label=1))
    with pytest.raises(ValueError, match="needs predict_proba.*CalibratedClassifierCV"):
        get_scorer("brier")(model, X, y)


def test_decision_function_multiclass(multiclass_data):
    X, y = multiclass_data
    model = LinearSVC().fit(X, y)
    assert get_scorer("roc_auc")(model, X, y) == roc_auc(y, model.decision_function(X))


def test_sample_weight_reaches_the_metric(binary_data):
    X, y = binary_data
    model = LogisticRegression(max_iter=500).fit(X, y)
    sw = np.linspace(0.1, 2, len(y))
    assert get_scorer("mcc")(model, X, y, sample_weight=sw) != get_scorer("mcc")(model, X, y)


def test_cost_scorer_with_a_full_matrix(multiclass_data):
    X, y = multiclass_data
    model = LogisticRegression(max_iter=500).fit(X, y)
    cost = np.array([[0, 1, 1], [4, 0, 1], [9, 2, 0]])
    scorer = cost_scorer(cost)
    assert not scorer.greater_is_better
    assert scorer(model, X, y) == -expected_cost(y, model.predict(X), cost)
    # labels given in another order carry the matrix with them
    reordered = cost_scorer(cost[np.ix_([2, 0, 1], [2, 0, 1])], labels=[2, 0, 1])
    assert reordered(model, X, y) == pytest.approx(scorer(model, X, y))
    with pytest.raises(ValueError, match="square"):
        cost_scorer(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="name the 3 rows"):
        cost_scorer(cost, labels=[0, 1])


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("cost:FN=5", "missing FP"),
        ("cost:FN=x,FP=1", "FN='x' is not a number"),
        ("cost:FN=5,FP=1,XX=2", "unknown parameter 'XX'"),
        ("cost:FN=5,FN=2,FP=1", "'FN' is given twice"),
        ("cost:FN5,FP=1", "expected key=value"),
        ("cost:FN=inf,FP=1", "must be finite"),
        ("cost", "needs parameters"),
        ("fbeta", "needs parameters: fbeta:beta=<B>"),
        ("fbeta:beta=0", "beta must be > 0"),
        ("f_1", "Did you mean 'f1'"),
        ("rocauc", "Did you mean 'roc_auc'"),
        ("balanced_acc", "Did you mean 'balanced_accuracy'"),
        ("nonsense", "Valid names: average_precision, roc_auc"),
    ],
)
def test_name_errors(name, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        get_scorer(name)


def test_cost_spec_is_case_and_space_insensitive(binary_data):
    X, y = binary_data
    model = LogisticRegression(max_iter=500).fit(X, y)
    a = get_scorer("cost:FN=5,FP=1")(model, X, y)
    assert get_scorer("cost: fn = 5 , fp = 1")(model, X, y) == a


def test_list_metrics_describes_every_entry():
    table = list_metrics()
    assert list(table.columns) == ["needs", "greater_is_better", "multiclass", "description"]
    assert set(_METRICS) < set(table.index)
    assert {"fbeta:beta=<B>", "cost:FN=<c>,FP=<c>[,TP=<c>,TN=<c>]"} < set(table.index)
    assert set(table["needs"]) == {"labels", "scores", "proba"}
    assert not table.loc["log_loss", "greater_is_better"]
    assert not table.loc["cost:FN=<c>,FP=<c>[,TP=<c>,TN=<c>]", "multiclass"]


def test_scorers_survive_pickling_for_parallel_search(binary_data):
    X, y = binary_data
    model = LogisticRegression(max_iter=500).fit(X, y)
    for scorer in (get_scorer("f2"), get_scorer("cost:FN=5,FP=1"), cost_scorer([[0, 1], [3, 0]])):
        copy = pickle.loads(pickle.dumps(scorer))
        assert copy(model, X, y) == scorer(model, X, y)
        assert copy.metric == scorer.metric


def test_scorers_are_metric_scorers():
    scorer = get_scorer("mcc")
    assert isinstance(scorer, MetricScorer)
    assert (scorer.greater_is_better, scorer.sign) == (True, 1)
    with pytest.raises(TypeError, match="string"):
        get_scorer(3)
