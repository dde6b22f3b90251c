import warnings

import numpy as np
import pytest
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import (
    balanced_accuracy_score,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
    precision_recall_fscore_support,
)

from skewlearn.metrics import balanced_accuracy, f1, fbeta, gmean, mcc, per_class_scores

EXACT = {"abs": 1e-12, "rel": 0}


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_agrees_with_sklearn_and_imblearn(case, weighted):
    y, p = case.y_true, case.y_pred
    sw = case.weights if weighted else None
    if case.binary:
        ref = {"pos_label": case.positive, "average": "binary"}
    else:
        ref = {"average": "macro"}
    assert f1(y, p, sample_weight=sw) == pytest.approx(
        f1_score(y, p, sample_weight=sw, zero_division=0, **ref), **EXACT
    )
    for beta in (0.5, 2.0):
        assert fbeta(y, p, beta=beta, sample_weight=sw) == pytest.approx(
            fbeta_score(y, p, beta=beta, sample_weight=sw, zero_division=0, **ref), **EXACT
        )
    assert mcc(y, p, sample_weight=sw) == pytest.approx(
        matthews_corrcoef(y, p, sample_weight=sw), **EXACT
    )
    assert balanced_accuracy(y, p, sample_weight=sw) == pytest.approx(
        balanced_accuracy_score(y, p, sample_weight=sw), **EXACT
    )
    assert gmean(y, p, sample_weight=sw) == pytest.approx(
        geometric_mean_score(y, p, sample_weight=sw), **EXACT
    )


def test_per_class_scores_agree_with_precision_recall_fscore_support(case):
    table = per_class_scores(case.y_true, case.y_pred)
    precision, recall, fscore, support = precision_recall_fscore_support(
        case.y_true, case.y_pred, labels=case.classes, zero_division=0
    )
    assert list(table.index) == list(case.classes)
    np.testing.assert_allclose(table["precision"], precision, rtol=0, atol=1e-12)
    np.testing.assert_allclose(table["recall"], recall, rtol=0, atol=1e-12)
    np.testing.assert_allclose(table["f1"], fscore, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(table["support"], support)


def test_labels_fix_row_order():
    table = per_class_scores(["a", "b", "c"], ["a", "b", "b"], labels=["c", "a", "b"])
    assert list(table.index) == ["c", "a", "b"]
    assert table.loc["c", "recall"] == 0.0


def test_never_predicted_class_has_zero_precision_without_warnings():
    y_true = np.array([0, 0, 1, 1, 2, 2])
    y_pred = np.array([0, 0, 1, 1, 1, 0])  # class 2 is never predicted
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = per_class_scores(y_true, y_pred)
        score = f1(y_true, y_pred)
    assert table.loc[2, "precision"] == 0.0
    assert table.loc[2, "recall"] == 0.0
    assert score == pytest.approx(
        f1_score(y_true, y_pred, average="macro", zero_division=0), **EXACT
    )
    assert gmean(y_true, y_pred) == 0.0


def test_class_absent_from_y_true_given_in_labels():
    y_true = np.array([0, 0, 0, 1, 1, 0])
    y_pred = np.array([0, 2, 0, 1, 0, 0])  # 2 is predicted once, never true
    labels = [0, 1, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        macro = f1(y_true, y_pred, labels=labels)
        ba = balanced_accuracy(y_true, y_pred, labels=labels)
        g = gmean(y_true, y_pred, labels=labels)
        corr = mcc(y_true, y_pred, labels=labels)
    assert macro == pytest.approx(
        f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0), **EXACT
    )
    assert corr == pytest.approx(matthews_corrcoef(y_true, y_pred), **EXACT)
    with pytest.warns(UserWarning, match="not in y_true"):
        reference_ba = balanced_accuracy_score(y_true, y_pred)
    assert ba == pytest.approx(reference_ba, **EXACT)
    # G-mean averages the same recalls as balanced accuracy: those of classes 0 and 1 only
    # (imbalanced-learn would count class 2 as recall 0 and return 0).
    assert g == pytest.approx(np.sqrt(3 / 4 * 1 / 2), **EXACT)


def test_class_absent_everywhere_changes_only_the_macro_f():
    y_true, y_pred = [0, 0, 1, 1], [0, 1, 1, 1]
    assert mcc(y_true, y_pred, labels=[0, 1, 2]) == pytest.approx(mcc(y_true, y_pred), **EXACT)
    assert balanced_accuracy(y_true, y_pred, labels=[0, 1, 2]) == balanced_accuracy(y_true, y_pred)
    # an absent, never-predicted class scores F1 = 0 (zero_division=0), as in scikit-learn
    assert f1(y_true, y_pred, labels=[0, 1, 2]) == pytest.approx(
        f1_score(y_true, y_pred, labels=[0, 1, 2], average="macro", zero_division=0), **EXACT
    )


def test_perfect_predictions(case):
    y = case.y_true
    for metric in (f1, mcc, balanced_accuracy, gmean):
        assert metric(y, y) == 1.0
    assert fbeta(y, y, beta=3) == 1.0
    assert (per_class_scores(y, y)[["precision", "recall", "f1"]] == 1.0).all(axis=None)


def test_all_one_class_predictions():
    y_true = np.array([0] * 8 + [1] * 2)
    y_pred = np.zeros(10, dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f1(y_true, y_pred) == 0.0  # the positive (minority) class is never predicted
        assert mcc(y_true, y_pred) == 0.0
        assert balanced_accuracy(y_true, y_pred) == 0.5
        assert gmean(y_true, y_pred) == 0.0
    # pos_label picks the other class
    assert f1(y_true, y_pred, pos_label=0) == pytest.approx(
        f1_score(y_true, y_pred, pos_label=0), **EXACT
    )


def test_errors_say_what_to_do():
    with pytest.raises(ValueError, match="not among labels"):
        f1([0, 1, 2], [0, 1, 1], labels=[0, 1])
    with pytest.raises(ValueError, match="different lengths"):
        mcc([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="binary targets only"):
        f1([0, 1, 2], [0, 1, 2], pos_label=1)
    with pytest.raises(ValueError, match="not one of the classes"):
        f1([0, 1], [0, 1], pos_label=3)
    with pytest.raises(ValueError, match="at least two classes"):
        mcc([1, 1], [1, 1])
    with pytest.raises(ValueError, match="beta must be > 0"):
        fbeta([0, 1], [0, 1], beta=0)
    with pytest.raises(ValueError, match="continuous"):
        f1([0.5, 1.5], [0.5, 1.5])
