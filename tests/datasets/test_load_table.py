"""load_table on small files written for each case: reading, target, column kinds, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest

from skewlearn.datasets import DataError, DataWarning, load_table


def churn_frame(n: int = 40) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": range(100, 100 + n),
            "age": [20.5 + i % 30 for i in range(n)],
            "plan": ["basic", "pro", "basic", "team"] * (n // 4),
            "country": ["NL"] * n,
            "churned": ["no"] * (n - 8) + ["yes"] * 8,
        }
    )


def write_csv(path, frame: pd.DataFrame, sep: str = ",") -> str:
    frame.to_csv(path, sep=sep, index=False)
    return str(path)


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path, sep):
    data = load_table(write_csv(tmp_path / "churn.csv", churn_frame(), sep), target="churned")
    assert list(data.X.columns) == ["age", "plan"]
    assert data.y.value_counts().to_dict() == {"no": 32, "yes": 8}


def test_parquet_reads_like_csv(tmp_path):
    path = tmp_path / "churn.parquet"
    churn_frame().to_parquet(path)
    from_parquet = load_table(path, target="churned")
    from_csv = load_table(write_csv(tmp_path / "churn.csv", churn_frame()), target="churned")
    pd.testing.assert_frame_equal(from_parquet.X, from_csv.X, check_categorical=False)
    assert from_parquet.meta["column_kinds"] == from_csv.meta["column_kinds"]


def test_dataset_parts_and_meta(tmp_path):
    data = load_table(write_csv(tmp_path / "churn.csv", churn_frame()), target="churned")
    assert data.y.name == "churned"
    assert data.target_names == ["no", "yes"]
    assert data.meta["name"] == "churn"
    assert data.meta["task"] == "binary"
    assert data.meta["target"] == "churned"
    assert data.meta["source"].endswith("churn.csv")


def test_text_columns_become_categories(tmp_path):
    data = load_table(write_csv(tmp_path / "churn.csv", churn_frame()), target="churned")
    assert data.X["plan"].dtype == "category"
    assert sorted(data.X["plan"].cat.categories) == ["basic", "pro", "team"]
    assert data.X["age"].dtype == "float64"


def test_id_like_and_constant_columns_are_dropped_and_recorded(tmp_path):
    frame = churn_frame()
    frame["uuid"] = [f"u-{i:04x}" for i in range(len(frame))]
    frame["order_id"] = np.arange(len(frame)) * 7 + 3  # unique, not consecutive, id name
    frame["amount"] = np.linspace(1.0, 9.0, len(frame))  # unique floats are measurements
    frame["rank"] = np.arange(len(frame))[::-1] * 3  # unique ints with no id name or run
    data = load_table(write_csv(tmp_path / "churn.csv", frame), target="churned")
    assert data.meta["column_kinds"] == {
        "customer_id": "id-like",
        "age": "numeric",
        "plan": "categorical",
        "country": "constant",
        "uuid": "id-like",
        "order_id": "id-like",
        "amount": "numeric",
        "rank": "numeric",
    }
    assert set(data.meta["dropped"]) == {"customer_id", "country", "uuid", "order_id"}
    assert data.meta["dropped"]["country"].startswith("constant")
    assert data.meta["dropped"]["uuid"].startswith("id-like")
    assert list(data.X.columns) == ["age", "plan", "amount", "rank"]


def test_target_name_matches_ignoring_case(tmp_path):
    data = load_table(write_csv(tmp_path / "churn.csv", churn_frame()), target="CHURNED")
    assert data.meta["target"] == "churned"


def test_wrong_target_lists_the_columns(tmp_path):
    path = write_csv(tmp_path / "churn.csv", churn_frame())
    with pytest.raises(
        DataError,
        match=r"target column 'churn' not found; columns are: "
        r"'customer_id', 'age', 'plan', 'country', 'churned'",
    ):
        load_table(path, target="churn")


@pytest.mark.parametrize("name", ["Is_Fraud", "label", "TARGET", "Outcome", "y", "class"])
def test_target_is_found_by_its_name(tmp_path, name):
    frame = churn_frame().rename(columns={"churned": name})
    frame = frame[[name, "age", "plan"]]  # not last, so only the name can find it
    data = load_table(write_csv(tmp_path / "t.csv", frame))
    assert data.meta["target"] == name


def test_low_cardinality_last_column_is_the_target(tmp_path):
    frame = churn_frame().rename(columns={"churned": "status"})
    assert load_table(write_csv(tmp_path / "t.csv", frame)).meta["target"] == "status"


def test_continuous_last_column_is_not_guessed(tmp_path):
    frame = churn_frame().rename(columns={"churned": "status"})[["status", "plan", "age"]]
    with pytest.raises(
        DataError,
        match=r"cannot tell which column is the target: no column is "
        r"named like a target.*columns are: 'status', 'plan', 'age'.*"
        r"Pass target=\.\.\. \(--target on the command line\)",
    ):
        load_table(write_csv(tmp_path / "t.csv", frame))


def test_two_target_like_names_need_a_choice(tmp_path):
    frame = churn_frame().rename(columns={"churned": "label"})
    frame["target"] = frame["label"]
    with pytest.raises(
        DataError,
        match=r"several columns look like a target \('label', "
        r"'target'\).*target=\.\.\.",
    ):
        load_table(write_csv(tmp_path / "t.csv", frame))


def test_task_follows_the_target(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60), "price": rng.gamma(2.0, size=60) * 100})
    regression = load_table(write_csv(tmp_path / "r.csv", frame), target="price")
    assert regression.meta["task"] == "regression"
    assert regression.y.dtype == "float64"
    assert regression.target_names == []
    frame["grade"] = [1, 2, 3] * 20
    multiclass = load_table(write_csv(tmp_path / "m.csv", frame), target="grade")
    assert multiclass.meta["task"] == "multiclass"
    assert multiclass.target_names == [1, 2, 3]


def test_missing_file_names_the_path(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(FileNotFoundError, match=r"no file at .*nope\.csv; check the path"):
        load_table(path)
    with pytest.raises(DataError):
        load_table(path)


def test_unsupported_extension_says_what_is(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(
        DataError,
        match=r"unsupported file type '\.xlsx'\. Save the table as "
        r"CSV or Parquet \(\.csv, \.parquet, \.pq, \.tsv, \.txt\)",
    ):
        load_table(path)


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=r"empty\.csv is empty: it has no header and no rows"):
        load_table(path)


def test_header_without_rows(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("a,b,label\n")
    with pytest.raises(DataError, match="has a header but no data rows"):
        load_table(path)


def test_parquet_without_columns(tmp_path):
    path = tmp_path / "none.parquet"
    pd.DataFrame(index=range(3)).to_parquet(path)
    with pytest.raises(DataError, match="has no columns"):
        load_table(path)


def test_target_with_one_class(tmp_path):
    frame = churn_frame()
    frame["churned"] = "no"
    with pytest.raises(DataError, match=r"target column 'churned' has only one class \('no'\)"):
        load_table(write_csv(tmp_path / "t.csv", frame), target="churned")


def test_missing_target_values_are_counted(tmp_path):
    frame = churn_frame()
    frame.loc[[0, 5, 9], "churned"] = None
    with pytest.raises(
        DataError,
        match=r"'churned' has 3 missing value\(s\) out of 40 rows; "
        r"drop or fill those rows",
    ):
        load_table(write_csv(tmp_path / "t.csv", frame), target="churned")


def test_utf8_with_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(churn_frame().to_csv(index=False).encode("utf-8-sig"))
    data = load_table(path, target="churned")
    assert "customer_id" in data.meta["column_kinds"]


def test_latin1_is_read_with_a_warning(tmp_path):
    frame = churn_frame()
    frame["plan"] = ["café", "thé"] * 20
    path = tmp_path / "latin.csv"
    path.write_bytes(frame.to_csv(index=False).encode("latin-1"))
    with pytest.warns(
        DataWarning,
        match=r"latin\.csv is not valid UTF-8 .*read it as latin-1.*"
        r"re-save the file as UTF-8",
    ):
        data = load_table(path, target="churned")
    assert sorted(data.X["plan"].cat.categories) == ["café", "thé"]


def test_utf16_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(churn_frame().to_csv(index=False).encode("utf-16"))
    with pytest.raises(
        DataError,
        match=r"wide\.csv is not UTF-8 text .*UTF-16 or a binary "
        r"file\. Re-save it as UTF-8 CSV",
    ):
        load_table(path)


def test_a_class_with_one_row_warns(tmp_path):
    frame = churn_frame()
    frame.loc[0, "churned"] = "maybe"
    with pytest.warns(DataWarning, match=r"class\(es\) 'maybe' of 'churned' have a single row"):
        data = load_table(write_csv(tmp_path / "t.csv", frame), target="churned")
    assert data.meta["task"] == "multiclass"


def test_no_warning_on_clean_data(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_table(write_csv(tmp_path / "t.csv", churn_frame()), target="churned")


def test_no_usable_feature(tmp_path):
    frame = churn_frame()[["customer_id", "country", "churned"]]
    with pytest.raises(
        DataError,
        match=r"no usable feature column besides the target 'churned': "
        r"'customer_id' is id-like.*'country' is constant",
    ):
        load_table(write_csv(tmp_path / "t.csv", frame))


def test_ragged_rows_are_a_parse_error(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,label\n1,2,x\n3,4,y,5,6\n")
    with pytest.raises(DataError, match=r"cannot parse .*ragged\.csv as text separated by ','"):
        load_table(path)


def test_corrupt_parquet(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(DataError, match=r"cannot read .*broken\.parquet as Parquet"):
        load_table(path)


def test_numeric_column_names_in_parquet(tmp_path):
    path = tmp_path / "numbers.parquet"
    pd.DataFrame({0: np.linspace(0, 1, 20), 1: ["a", "b"] * 10}).to_parquet(path)
    data = load_table(path, target="1")
    assert list(data.X.columns) == ["0"]
