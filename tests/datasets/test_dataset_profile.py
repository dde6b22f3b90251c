"""profile: plain numbers about a dataset."""

import numpy as np
import pandas as pd
import pytest

from skewlearn.datasets import Dataset, DatasetProfile, load_dataset, load_table, profile


def test_classification_profile():
    summary = profile(load_dataset("yeast4"))
    assert isinstance(summary, DatasetProfile)
    assert (summary.name, summary.task) == ("yeast4", "binary")
    assert (summary.n_samples, summary.n_features) == (1484, 8)
    assert summary.class_counts.to_dict() == {"negative": 1433, "positive": 51}
    assert summary.class_counts.is_monotonic_decreasing
    assert summary.minority_class == "positive"
    assert summary.imbalance_ratio == pytest.approx(1433 / 51)
    assert summary.target_summary is None
    assert summary.missing.empty


def test_multiclass_counts_are_sorted_largest_first():
    summary = profile(load_dataset("dermatology"))
    assert summary.class_counts.is_monotonic_decreasing
    assert summary.class_counts.sum() == summary.n_samples
    assert summary.minority_class == summary.class_counts.index[-1]


def test_missing_counts_only_columns_with_gaps():
    data = load_dataset("hepatitis")
    summary = profile(data)
    expected = data.X.isna().sum()
    assert summary.missing.to_dict() == expected[expected > 0].to_dict()


def test_regression_profile_summarises_the_target():
    data = load_dataset("airfoil")
    summary = profile(data)
    assert summary.class_counts is None
    assert summary.minority_class is None
    assert np.isnan(summary.imbalance_ratio)
    stats = summary.target_summary
    assert list(stats.index) == [
        "min",
        "q05",
        "q25",
        "median",
        "q75",
        "q95",
        "max",
        "mean",
        "std",
        "skew",
    ]
    assert stats["median"] == pytest.approx(data.y.median())
    assert stats["skew"] == pytest.approx(data.y.skew())
    assert stats["min"] <= stats["q25"] <= stats["q75"] <= stats["max"]


def test_profile_of_a_file_reports_dropped_column_kinds(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame(
        {"id": range(30), "x": [0.5, 1.5, None] * 10, "label": ["a"] * 20 + ["b"] * 10}
    ).to_csv(path, index=False)
    summary = profile(load_table(path))
    assert summary.column_kinds == {"id": "id-like", "x": "numeric"}
    assert summary.n_features == 1
    assert summary.missing.to_dict() == {"x": 10}
    assert summary.imbalance_ratio == pytest.approx(2.0)


def test_an_empty_column_is_listed_as_empty_and_counted_as_missing(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame(
        {
            "x": [0.5, 1.5, 2.5] * 10,
            "notes": [None] * 30,
            "country": ["NL", None, "NL"] * 10,
            "label": ["a"] * 20 + ["b"] * 10,
        }
    ).to_csv(path, index=False)
    summary = profile(load_table(path))
    assert summary.column_kinds == {"x": "numeric", "notes": "empty", "country": "constant"}
    assert summary.n_features == 1
    # Dropped columns are not in X, yet their gaps are the file's.
    assert summary.missing.to_dict() == {"notes": 30, "country": 10}
    assert summary.missing["notes"] / summary.n_samples == 1.0


def test_unused_target_categories_do_not_count_as_classes():
    y = pd.Series(pd.Categorical(["a"] * 6 + ["b"] * 2, categories=["a", "b", "c"]), name="t")
    data = Dataset(
        X=pd.DataFrame({"x": range(8)}),
        y=y,
        target_names=["a", "b"],
        meta={"name": "t", "task": "binary", "column_kinds": {"x": "numeric"}},
    )
    summary = profile(data)
    assert summary.class_counts.to_dict() == {"a": 6, "b": 2}
    assert summary.imbalance_ratio == pytest.approx(3.0)
    assert summary.minority_class == "b"
