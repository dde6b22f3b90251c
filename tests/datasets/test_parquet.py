"""Parquet files and folders read lazily as Dask (X, y)."""

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")

from skewlearn.datasets import DataError, read_parquet_lazy  # noqa: E402
from skewlearn.ensemble import UnderBaggingClassifier  # noqa: E402


@pytest.fixture
def folder(tmp_path):
    """Three Parquet parts of a 1:9 table, and the same rows in memory."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(900, 3)), columns=["a", "b", "c"])
    frame["Is_Fraud"] = (np.arange(900) % 10 == 0).astype(int)
    for i in range(3):
        frame.iloc[300 * i : 300 * (i + 1)].to_parquet(tmp_path / f"part-{i}.parquet", index=False)
    return tmp_path, frame


def test_folder_reads_lazily_one_partition_per_file(folder):
    path, frame = folder
    X, y = read_parquet_lazy(path, target="is_fraud")
    assert isinstance(X, dd.DataFrame) and isinstance(y, dd.Series)
    assert (X.npartitions, y.npartitions) == (3, 3)
    assert list(X.columns) == ["a", "b", "c"] and y.name == "Is_Fraud"
    pd.testing.assert_frame_equal(X.compute().reset_index(drop=True), frame[["a", "b", "c"]])


def test_an_ensemble_fits_on_the_parquet_path_as_on_the_same_partitions(folder):
    path, frame = folder
    X, y = read_parquet_lazy(path)  # "Is_Fraud" is named like a target
    same = dd.from_pandas(frame, npartitions=3)
    assert same.npartitions == 3
    on_disk = UnderBaggingClassifier(n_estimators=3, random_state=0).fit(X, y)
    in_memory = UnderBaggingClassifier(n_estimators=3, random_state=0)
    in_memory.fit(same[["a", "b", "c"]], same["Is_Fraud"])
    test = frame[["a", "b", "c"]].iloc[:200]
    np.testing.assert_array_equal(on_disk.predict_proba(test), in_memory.predict_proba(test))


def test_single_file(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"x": [1.0, 2.0], "label": [0, 1]}).to_parquet(path, index=False)
    X, y = read_parquet_lazy(path)
    assert y.compute().tolist() == [0, 1]


@pytest.mark.parametrize(
    ("target", "match"),
    [
        ("is_frauds", r"target column 'is_frauds' not found; did you mean 'Is_Fraud'\?"),
        (None, None),
    ],
    ids=["close_match", "detected"],
)
def test_target_column(folder, target, match):
    path, _ = folder
    if match is None:
        assert read_parquet_lazy(path, target)[1].name == "Is_Fraud"
        return
    with pytest.raises(DataError, match=match):
        read_parquet_lazy(path, target)


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Parquet file or folder at .*nowhere"):
        read_parquet_lazy(tmp_path / "nowhere", "y")
    with pytest.raises(DataError, match="folder without .parquet files"):
        read_parquet_lazy(tmp_path, "y")


def test_text_features_are_refused_with_the_fix(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"x": [1.0, 2.0], "city": ["a", "b"], "y": [0, 1]}).to_parquet(path)
    with pytest.raises(DataError, match=r"not numeric: 'city' .*encode them"):
        read_parquet_lazy(path, "y")
