import inspect
import warnings

import numpy as np
import pytest
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    roc_auc_score,
)
from sklearn.metrics import log_loss as sklearn_log_loss
from sklearn.preprocessing import label_binarize

from skewlearn.metrics import average_precision, brier, log_loss, roc_auc

EXACT = {"abs": 1e-12, "rel": 0}
# scikit-learn 1.7 added multiclass brier_score_loss (with labels=); 1.6 has the binary one only.
SKLEARN_MULTICLASS_BRIER = "labels" in inspect.signature(brier_score_loss).parameters


def _one_vs_rest(case):
    return label_binarize(case.y_true, classes=case.classes)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_ranking_metrics_agree_with_sklearn(case, weighted):
    sw = case.weights if weighted else None
    ap = average_precision(case.y_true, case.score, sample_weight=sw)
    auc = roc_auc(case.y_true, case.score, sample_weight=sw)
    if case.binary:
        is_pos = case.y_true == case.positive
        assert ap == pytest.approx(
            average_precision_score(is_pos, case.score, sample_weight=sw), **EXACT
        )
        assert auc == pytest.approx(roc_auc_score(is_pos, case.score, sample_weight=sw), **EXACT)
    else:
        assert ap == pytest.approx(
            average_precision_score(
                _one_vs_rest(case), case.proba, average="macro", sample_weight=sw
            ),
            **EXACT,
        )
        assert auc == pytest.approx(
            roc_auc_score(
                case.y_true,
                case.proba,
                multi_class="ovr",
                average="macro",
                labels=case.classes,
                sample_weight=sw,
            ),
            **EXACT,
        )


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_probability_metrics_agree_with_sklearn(case, weighted):
    sw = case.weights if weighted else None
    assert log_loss(case.y_true, case.score, sample_weight=sw) == pytest.approx(
        sklearn_log_loss(case.y_true, case.proba, labels=case.classes, sample_weight=sw), **EXACT
    )
    ours = brier(case.y_true, case.score, sample_weight=sw)
    if case.binary:
        assert ours == pytest.approx(
            brier_score_loss(case.y_true, case.score, sample_weight=sw, pos_label=case.positive),
            **EXACT,
        )
        return
    # Multiclass: the sum over classes of the one-vs-rest binary Brier scores, on any version...
    per_class = [
        brier_score_loss(column, case.proba[:, k], sample_weight=sw)
        for k, column in enumerate(_one_vs_rest(case).T)
    ]
    assert ours == pytest.approx(sum(per_class), **EXACT)
    # ...and scikit-learn's own multiclass form where it exists.
    if SKLEARN_MULTICLASS_BRIER:
        assert ours == pytest.approx(
            brier_score_loss(case.y_true, case.proba, labels=case.classes, sample_weight=sw),
            **EXACT,
        )


def test_binary_accepts_the_full_matrix(binary_case):
    case = binary_case
    for metric in (average_precision, roc_auc, brier, log_loss):
        assert metric(case.y_true, case.proba) == metric(case.y_true, case.score)


def test_pos_label_names_the_scored_class():
    y = np.array([0, 0, 0, 1])
    s_for_0 = np.array([0.9, 0.8, 0.3, 0.2])  # scores of the majority class 0
    assert roc_auc(y, s_for_0, pos_label=0) == pytest.approx(roc_auc_score(y == 0, s_for_0))
    assert average_precision(y, s_for_0, pos_label=0) == pytest.approx(
        average_precision_score(y == 0, s_for_0)
    )


def test_labels_order_the_columns():
    y = np.array(["b", "a", "c", "a"])
    proba = np.array([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.2, 0.2, 0.6], [0.5, 0.3, 0.2]])
    reordered = proba[:, [2, 0, 1]]
    assert log_loss(y, reordered, labels=["c", "a", "b"]) == pytest.approx(log_loss(y, proba))
    assert brier(y, reordered, labels=["c", "a", "b"]) == pytest.approx(brier(y, proba))
    assert roc_auc(y, reordered, labels=["c", "a", "b"]) == roc_auc(y, proba)


def test_class_absent_from_y_true_is_left_out_of_macro_ranking():
    y = np.array([0, 0, 1, 1, 0])
    proba = np.array(
        [[0.5, 0.3, 0.2], [0.6, 0.2, 0.2], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.4, 0.4, 0.2]]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        auc = roc_auc(y, proba, labels=[0, 1, 2])
        ap = average_precision(y, proba, labels=[0, 1, 2])
        loss = log_loss(y, proba, labels=[0, 1, 2])
        score = brier(y, proba, labels=[0, 1, 2])
    present = [0, 1]
    assert auc == pytest.approx(np.mean([roc_auc_score(y == k, proba[:, k]) for k in present]))
    assert ap == pytest.approx(
        np.mean([average_precision_score(y == k, proba[:, k]) for k in present])
    )
    assert loss == pytest.approx(sklearn_log_loss(y, proba, labels=[0, 1, 2]), **EXACT)
    assert score == pytest.approx(np.mean(((np.eye(3)[y] - proba) ** 2).sum(axis=1)), **EXACT)


def test_absent_positive_class_is_nan_with_one_warning():
    with pytest.warns(UndefinedMetricWarning, match="undefined") as record:
        value = average_precision([0, 0, 0], [0.1, 0.5, 0.2], labels=[0, 1])
    assert np.isnan(value)
    assert len(record) == 1
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(roc_auc([0, 0, 0], [0.1, 0.5, 0.2], labels=[0, 1]))


def test_perfect_scores(case):
    one_hot = (case.y_true[:, None] == case.classes).astype(float)
    score = one_hot[:, case.pos_index] if case.binary else one_hot
    assert average_precision(case.y_true, score) == 1.0
    assert roc_auc(case.y_true, score) == 1.0
    assert brier(case.y_true, score) == 0.0
    assert log_loss(case.y_true, score) < 1e-12


def test_constant_scores():
    y = np.array([0] * 7 + [1] * 3)
    flat = np.full(10, 0.3)
    assert roc_auc(y, flat) == 0.5
    assert average_precision(y, flat) == pytest.approx(0.3)  # the prevalence
    assert brier(y, flat) == pytest.approx(brier_score_loss(y, flat))
    uniform = np.full((6, 3), 1 / 3)
    y3 = np.array([0, 1, 2, 0, 1, 2])
    assert roc_auc(y3, uniform) == 0.5
    assert log_loss(y3, uniform) == pytest.approx(np.log(3))


def test_score_shape_errors():
    with pytest.raises(ValueError, match="1-D y_score needs a binary target"):
        roc_auc([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="pass labels=|Pass labels="):
        roc_auc([0, 1, 0], np.full((3, 3), 1 / 3))
    with pytest.raises(ValueError, match="shape"):
        roc_auc([0, 1, 0], [0.1, 0.2])
    with pytest.raises(ValueError, match="NaN"):
        roc_auc([0, 1, 0], [0.1, np.nan, 0.2])
    with pytest.raises(ValueError, match="probabilities in \\[0, 1\\].*decision_function"):
        brier([0, 1, 0], [-1.0, 2.0, 0.5])
    with pytest.raises(ValueError, match="probabilities"):
        log_loss([0, 1, 0], [-1.0, 2.0, 0.5])
