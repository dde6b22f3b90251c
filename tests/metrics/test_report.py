import numpy as np
import pandas as pd
import pytest

from skewlearn.metrics import (
    ImbalanceReport,
    average_precision,
    balanced_accuracy,
    brier,
    f1,
    gmean,
    imbalance_report,
    log_loss,
    mcc,
    per_class_scores,
    roc_auc,
)

LABEL_COLUMNS = ["support", "precision", "recall", "f1"]
SCORE_COLUMNS = ["average_precision", "roc_auc"]
SUMMARY = {"balanced_accuracy": balanced_accuracy, "mcc": mcc, "gmean": gmean}


def test_rows_and_columns_agree_with_the_functions(case):
    report = imbalance_report(case.y_true, case.y_pred, case.score)
    assert isinstance(report, pd.DataFrame)
    assert list(report.index) == [*case.classes.tolist(), "macro", "overall"]
    assert list(report.columns) == [
        *LABEL_COLUMNS,
        *SCORE_COLUMNS,
        *SUMMARY,
        "brier",
        "log_loss",
    ]
    classes = report.iloc[: len(case.classes)]
    table = per_class_scores(case.y_true, case.y_pred)
    np.testing.assert_array_equal(classes[LABEL_COLUMNS].to_numpy(), table[LABEL_COLUMNS])
    # per-class AP and ROC-AUC: each class against the rest on its own column
    for k, label in enumerate(case.classes):
        column = case.proba[:, k]
        is_k = case.y_true == label
        assert classes.loc[label, "average_precision"] == pytest.approx(
            average_precision(is_k, column, pos_label=True), abs=1e-12
        )
        assert classes.loc[label, "roc_auc"] == pytest.approx(
            roc_auc(is_k, column, pos_label=True), abs=1e-12
        )
    macro = report.loc["macro"]
    for column in ["precision", "recall", "f1", *SCORE_COLUMNS]:
        assert macro[column] == pytest.approx(classes[column].mean(), abs=1e-12)
    overall = report.loc["overall"]
    assert overall["support"] == len(case.y_true) == macro["support"]
    assert overall["f1"] == f1(case.y_true, case.y_pred)
    assert overall["average_precision"] == average_precision(case.y_true, case.score)
    assert overall["roc_auc"] == roc_auc(case.y_true, case.score)
    assert overall["brier"] == brier(case.y_true, case.score)
    assert overall["log_loss"] == log_loss(case.y_true, case.score)
    for name, metric in SUMMARY.items():
        assert overall[name] == metric(case.y_true, case.y_pred)
    if case.binary:
        assert report.attrs["positive_class"] == case.positive
        # the macro row of a binary report averages both classes; overall is the positive one
        assert overall["average_precision"] == report.loc[case.positive, "average_precision"]


def test_without_scores_only_label_metrics(case):
    report = imbalance_report(case.y_true, case.y_pred)
    assert list(report.columns) == [*LABEL_COLUMNS, *SUMMARY]
    assert report["support"].dtype == np.int64


def test_prints_rounded_with_blank_cells():
    report = imbalance_report(["a", "a", "a", "b"], ["a", "a", "b", "b"], [0.1, 0.2, 0.7, 0.9])
    text = repr(report)
    assert str(report) == text
    assert "0.8333" in text and "0.83333" not in text
    assert "nan" not in text.lower()
    assert all(line == line.rstrip() for line in text.splitlines())
    assert text.endswith("(positive class: 'b')")
    assert "<table" in report._repr_html_()
    assert type(report) is ImbalanceReport
    assert type(report.loc[["a", "b"]]) is pd.DataFrame  # derived frames are plain


def test_class_absent_from_y_true():
    report = imbalance_report([0, 0, 1, 1], [0, 2, 1, 1], labels=[0, 1, 2])
    assert report.loc[2, "support"] == 0
    assert report.loc[2, "precision"] == 0.0
    assert report.loc["overall", "balanced_accuracy"] == 0.75


def test_pos_label_rejected_for_multiclass():
    with pytest.raises(ValueError, match="binary targets only"):
        imbalance_report([0, 1, 2], [0, 1, 2], pos_label=1)
