"""Loading the embedded datasets: types, labels and sizes as the catalog says."""

import pandas as pd
import pytest

from skewlearn.datasets import Dataset, list_datasets, load_dataset

CATALOG = list_datasets()


def test_nominal_keel_columns_are_categories_with_the_declared_values():
    data = load_dataset("crx")
    assert isinstance(data, Dataset)
    assert data.X["A1"].dtype == "category"
    assert data.X["A1"].cat.categories.tolist() == ["b", "a"]
    assert data.X["A6"].cat.categories.tolist()[:3] == ["w", "q", "m"]
    assert data.X["A2"].dtype == "float64"
    assert data.X["A11"].dtype == "int64"
    assert data.meta["column_kinds"]["A1"] == "categorical"
    assert data.meta["column_kinds"]["A2"] == "numeric"
    assert sum(kind == "categorical" for kind in data.meta["column_kinds"].values()) == 9


def test_keel_binary_labels_are_the_original_ones():
    data = load_dataset("glass1")
    assert data.y.name == "Class"
    assert set(data.y) == {"positive", "negative"}
    assert data.target_names == ["negative", "positive"]
    assert data.y.value_counts().to_dict() == {"negative": 138, "positive": 76}


def test_meta_describes_the_dataset():
    data = load_dataset("ecoli1")
    assert data.meta["name"] == "ecoli1"
    assert data.meta["suite"] == "keel-binary"
    assert data.meta["task"] == "binary"
    assert data.meta["target"] == "Class"
    assert data.meta["source"] == "KEEL dataset repository"
    assert data.meta["citation"].startswith("@article{keel")
    assert set(data.meta["column_kinds"]) == set(data.X.columns)
    assert data.meta["dropped"] == {}


def test_numeric_class_labels_are_integers():
    data = load_dataset("dermatology")
    assert data.y.dtype == "int64"
    assert data.target_names == [1, 2, 3, 4, 5, 6]


def test_relabelled_binary_sets_name_the_merged_classes():
    data = load_dataset("lymphography")
    assert data.y.value_counts().to_dict() == {"other": 144, "fibrosis": 4}


def test_identifier_columns_are_dropped_with_a_reason():
    data = load_dataset("glass")
    assert data.X.shape == (214, 9)
    assert data.meta["dropped"] == {"0": "row number"}


def test_missing_values_stay_missing():
    data = load_dataset("hepatitis")
    assert data.X.isna().any().any()


def test_regression_target_is_float_without_classes():
    data = load_dataset("airfoil")
    assert data.y.dtype == "float64"
    assert data.target_names == []
    assert data.meta["task"] == "regression"


def test_repr_is_short():
    assert repr(load_dataset("iris0")) == (
        "Dataset(name='iris0', task='binary', n_samples=150, n_features=4)"
    )


@pytest.mark.parametrize(
    "row",
    [row for _, row in CATALOG.iterrows()],
    ids=[f"{suite}/{name}" for suite, name in zip(CATALOG["suite"], CATALOG["name"])],
)
def test_every_dataset_loads_as_the_catalog_says(row):
    data = load_dataset(f"{row['suite']}/{row['name']}")
    assert data.X.shape == (row["n_samples"], row["n_features"])
    assert len(data.y) == row["n_samples"]
    assert data.y.name == data.meta["target"]
    assert not data.y.isna().any()
    assert (data.X.dtypes == "category").sum() == row["n_categorical"]
    numeric = data.X.select_dtypes(exclude="category")
    assert all(pd.api.types.is_numeric_dtype(dtype) for dtype in numeric.dtypes)
    if row["task"] == "regression":
        assert data.y.dtype == "float64"
    else:
        assert data.y.value_counts().to_dict() == row["class_counts"]
        assert data.target_names == sorted(row["class_counts"])
