"""The catalog: list_datasets and name look-up, without loading data."""

import math
import time

import pandas as pd
import pytest

from skewlearn.datasets import SUITES, DataError, list_datasets, load_dataset

COLUMNS = [
    "name",
    "suite",
    "task",
    "n_samples",
    "n_features",
    "n_categorical",
    "class_counts",
    "n_classes",
    "minority_class",
    "imbalance_ratio",
    "source",
    "citation",
]


@pytest.mark.parametrize(
    ("suite", "count", "task"),
    [
        ("keel-binary", 119, "binary"),
        ("keel-multiclass", 26, "multiclass"),
        ("regression", 34, "regression"),
    ],
)
def test_each_suite_has_its_datasets(suite, count, task):
    table = list_datasets(suite)
    assert len(table) == count
    assert set(table["suite"]) == {suite}
    assert set(table["task"]) == {task}


def test_all_suites_together_with_the_documented_columns():
    table = list_datasets()
    assert list(table.columns) == COLUMNS
    assert len(table) == 119 + 26 + 34
    assert tuple(table["suite"].unique()) == SUITES
    assert table["citation"].str.startswith("@").all()
    assert (table["n_samples"] > 0).all() and (table["n_features"] > 0).all()


def test_classification_rows_summarise_their_class_counts():
    table = list_datasets()
    classification = table[table["task"] != "regression"]
    for row in classification.itertuples():
        counts = row.class_counts
        assert sum(counts.values()) == row.n_samples
        assert row.n_classes == len(counts)
        assert counts[row.minority_class] == min(counts.values())
        assert row.imbalance_ratio == pytest.approx(max(counts.values()) / min(counts.values()))
    assert (table.loc[table["task"] == "binary", "n_classes"] == 2).all()


def test_regression_rows_have_no_classes():
    table = list_datasets("regression")
    assert table["class_counts"].isna().all()
    assert table["minority_class"].isna().all()
    assert table["n_classes"].isna().all()
    assert all(math.isnan(ratio) for ratio in table["imbalance_ratio"])


def test_keel_binary_sets_keep_keel_labels():
    row = list_datasets("keel-binary").set_index("name").loc["yeast4"]
    assert row["class_counts"] == {"negative": 1433, "positive": 51}
    assert row["minority_class"] == "positive"


def test_listing_is_fast():
    list_datasets()  # the first call reads the catalog file
    start = time.perf_counter()
    list_datasets()
    assert time.perf_counter() - start < 0.5


def test_unknown_suite_lists_the_valid_ones():
    with pytest.raises(DataError, match="unknown suite 'keel'; valid suites are: keel-binary, "):
        list_datasets("keel")
    assert issubclass(DataError, ValueError)


def test_suites_are_named_in_any_case_and_typos_get_a_suggestion():
    assert list_datasets("KEEL-Binary").equals(list_datasets("keel-binary"))
    with pytest.raises(DataError, match="unknown suite 'keel-binery'; did you mean 'keel-binary'"):
        list_datasets("keel-binery")


@pytest.mark.parametrize("name", ["ECOLI1", "Ecoli1", " ecoli1 "])
def test_names_ignore_case(name):
    assert load_dataset(name).meta["name"] == "ecoli1"


@pytest.mark.parametrize("name", ["ecoli-0-1-vs-5", "ECOLI_0_1_VS_5", "ecoli_0_1_vs_5"])
def test_names_ignore_dash_versus_underscore(name):
    assert load_dataset(name).meta["name"] == "ecoli_0_1_vs_5"


def test_unknown_name_suggests_close_ones_and_the_listing_command():
    with pytest.raises(KeyError) as caught:
        load_dataset("ecolii1")
    message = str(caught.value)
    assert message.startswith("unknown dataset 'ecolii1'; did you mean 'ecoli1'")
    assert "`skewlearn datasets`" in message
    assert isinstance(caught.value, DataError)


def test_unknown_name_without_close_ones_still_points_to_the_listing():
    with pytest.raises(DataError, match=r"^unknown dataset 'zzzz'\. Run `skewlearn datasets`"):
        load_dataset("zzzz")


def test_a_name_in_two_suites_must_be_qualified():
    with pytest.raises(KeyError, match="'keel-binary/SATIMAGE' or 'keel-multiclass/SATIMAGE'"):
        load_dataset("satimage")
    binary = list_datasets("keel-binary").set_index("name").loc["SATIMAGE"]
    assert load_dataset("keel-binary/satimage").y.value_counts().to_dict() == binary["class_counts"]
    assert load_dataset("keel-multiclass/SATIMAGE").meta["task"] == "multiclass"


def test_list_is_a_new_frame_each_call():
    first = list_datasets()
    first.loc[0, "name"] = "changed"
    assert list_datasets().loc[0, "name"] != "changed"
    assert isinstance(first, pd.DataFrame)
