"""load_table on small files written for each case: reading, target, column kinds, errors."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from skewlearn.datasets import DataError, DataWarning, check_labels, load_table
from skewlearn.datasets._schema import count_classes


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
        match=r"target column 'churn' not found; did you mean 'churned'\? columns are: "
        r"'customer_id', 'age', 'plan', 'country', 'churned'",
    ):
        load_table(path, target="churn")
    with pytest.raises(DataError, match=r"'xyz' not found; columns are: 'customer_id'"):
        load_table(path, target="xyz")


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
    path = tmp_path / "data.xls"
    path.write_bytes(b"PK")
    with pytest.raises(
        DataError,
        match=r"unsupported file type '\.xls'\. Save the table as CSV, Parquet or Excel "
        r"\(\.csv, \.parquet, \.pq, \.tsv, \.txt, \.xlsx, \.csv\.gz\)",
    ):
        load_table(path)


def _loans() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "loan_id": [f"L{i}" for i in range(12)],
            "income": [52.0, 31.5, 47.2, 28.9, 35.1, 61.7] * 2,
            "region": ["north", "south", "east"] * 4,
            "default": ["no", "yes", "no", "no", "yes", "no"] * 2,
        }
    )


def test_xlsx_first_sheet_is_read_like_a_csv(tmp_path):
    path = tmp_path / "loans.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        _loans().to_excel(writer, sheet_name="data", index=False)
        pd.DataFrame({"note": ["ignored"]}).to_excel(writer, sheet_name="notes", index=False)
    data = load_table(path)
    assert data.meta["name"] == "loans"
    assert data.meta["target"] == "default" and data.target_names == ["no", "yes"]
    assert data.meta["column_kinds"] == {
        "loan_id": "id-like", "income": "numeric", "region": "categorical"
    }  # fmt: skip
    assert data.X["income"].dtype == "float64"
    assert data.X["income"].tolist() == _loans()["income"].tolist()


def test_xlsx_with_a_repeated_name_is_refused(tmp_path):
    path = tmp_path / "twice.xlsx"
    pd.DataFrame([["a", "a", "y"], [1, 2, "no"], [3, 4, "yes"]]).to_excel(
        path, header=False, index=False
    )
    with pytest.raises(DataError, match=r"columns named more than once: 'a' \(columns 1 and 2\)"):
        load_table(path)


def test_gzipped_csv_is_read_like_the_csv(tmp_path):
    import gzip

    plain = tmp_path / "loans.csv"
    _loans().to_csv(plain, sep=";", index=False)
    packed = tmp_path / "loans.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    data, reference = load_table(packed), load_table(plain)
    assert data.meta["name"] == "loans"
    pd.testing.assert_frame_equal(data.X, reference.X)
    pd.testing.assert_series_equal(data.y, reference.y)


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


@pytest.mark.parametrize(
    ("name", "format_"),
    [
        ("broken.parquet", "Parquet"),
        ("broken.xlsx", "an Excel workbook"),
        ("broken.csv.gz", "gzip-compressed text"),
    ],
)
def test_corrupt_file_names_its_format(tmp_path, name, format_):
    path = tmp_path / name
    path.write_bytes(b"not what the name says")
    with pytest.raises(DataError, match=rf"cannot read .*{re.escape(name)} as {format_}"):
        load_table(path)


def test_numeric_column_names_in_parquet(tmp_path):
    path = tmp_path / "numbers.parquet"
    pd.DataFrame({0: np.linspace(0, 1, 20), 1: ["a", "b"] * 10}).to_parquet(path)
    data = load_table(path, target="1")
    assert list(data.X.columns) == ["0"]


def test_nested_parquet_columns_are_named(tmp_path):
    frame = churn_frame()
    frame["tags"] = [[1, 2]] * len(frame)
    frame["address"] = [{"city": "Delft", "zip": "2611"}] * len(frame)
    path = tmp_path / "nested.parquet"
    frame.to_parquet(path)
    with pytest.raises(
        DataError,
        match=r"nested\.parquet has nested columns, whose cells hold lists or records rather "
        r"than single values: 'tags' \(list\), 'address' \(struct\)\. Flatten them into "
        r"plain columns, or drop them\.",
    ):
        load_table(path, target="churned")


def similar_labels_frame(labels: list[str]) -> pd.DataFrame:
    frame = churn_frame()
    frame["churned"] = (labels * len(frame))[: len(frame)]
    return frame


def test_labels_differing_in_case_or_spaces_are_refused(tmp_path):
    path = write_csv(tmp_path / "t.csv", similar_labels_frame(["no", "yes", "yes ", " Yes"]))
    with pytest.raises(
        DataError,
        match=r"^target 'churned' has labels that differ only in case or spaces: "
        r"'yes', 'yes ', ' Yes'; clean them, or pass allow_similar_labels=True "
        r"\(--allow-similar-labels\) to keep them apart$",
    ):
        load_table(path, target="churned")


def test_similar_labels_can_be_kept_apart(tmp_path):
    path = write_csv(tmp_path / "t.csv", similar_labels_frame(["no", "yes", "yes ", " Yes"]))
    data = load_table(path, target="churned", allow_similar_labels=True)
    assert data.target_names == [" Yes", "no", "yes", "yes "]
    assert data.meta["task"] == "multiclass"


def test_every_group_of_similar_labels_is_listed():
    y = pd.Series(["no", "YES", "No ", "yes", "maybe", "no  "], name="churned")
    with pytest.raises(DataError, match=r"spaces: 'no', 'No ', 'no  ' and 'YES', 'yes'; clean"):
        check_labels(y)
    check_labels(y, allow_similar_labels=True)


@pytest.mark.parametrize(
    "y",
    [
        pd.Series(["no", "yes", "not yet", "no yes"], name="t"),  # other words are other labels
        pd.Series([0, 1, 1], name="t"),
        pd.Series(["a", "A", "b"], name="t", dtype="category").iloc[[0, 2]],  # unused "A"
        pd.Series([True, False], name="t"),
    ],
)
def test_distinct_labels_pass_the_check(y):
    check_labels(y)


def test_similar_labels_are_checked_in_categorical_parquet_targets(tmp_path):
    frame = similar_labels_frame(["no", "yes", "Yes"])
    frame["churned"] = frame["churned"].astype("category")
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    with pytest.raises(DataError, match=r"differ only in case or spaces: 'yes', 'Yes'; clean"):
        load_table(path, target="churned")


def test_whole_number_labels_padded_with_spaces_are_one_class(tmp_path):
    frame = churn_frame()
    frame["churned"] = [" 1", "1", "0", "0 "] * 10
    data = load_table(write_csv(tmp_path / "t.csv", frame), target="churned")
    assert data.target_names == [0, 1]
    assert data.y.value_counts().to_dict() == {1: 20, 0: 20}


def test_regression_targets_are_not_checked_for_labels(tmp_path):
    frame = pd.DataFrame({"x": np.arange(60) % 7, "price": np.linspace(1, 50, 60)})
    data = load_table(write_csv(tmp_path / "r.csv", frame), target="price")
    assert data.meta["task"] == "regression"


def test_repeated_column_names_are_refused(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("a,b,a,y\n" + "1,2,3,x\n4,5,6,z\n" * 5)
    with pytest.raises(
        DataError,
        match=r"dup\.csv has columns named more than once: 'a' \(columns 1 and 3\); "
        r"rename them so each name is unique\.$",
    ):
        load_table(path, target="y")


def test_names_repeated_up_to_spaces_show_how_they_are_written(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text('b,a,"a ",y,b,b\n' + "1,2,3,x,4,5\n4,5,6,z,7,8\n" * 5)
    with pytest.raises(
        DataError,
        match=r"more than once: 'b' \(columns 1, 5 and 6\), 'a' \(columns 2 and 3: 'a' and "
        r"'a '\); rename",
    ):
        load_table(path, target="y")


def test_a_column_named_like_pandas_renaming_is_kept(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("a,a.1,y\n" + "1,2,x\n4,6,z\n3,3,x\n" * 5)
    data = load_table(path, target="y")
    assert list(data.X.columns) == ["a", "a.1"]
    assert data.X["a.1"].tolist()[:3] == [2, 6, 3]


def test_repeated_names_in_parquet_are_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "dup.parquet"
    columns = [pa.array([1, 2] * 6), pa.array(["x", "z"] * 6), pa.array([3, 4] * 6)]
    pq.write_table(pa.table(columns, names=["a", "y", "a"]), path)
    with pytest.raises(DataError, match=r"more than once: 'a' \(columns 1 and 3\); rename"):
        load_table(path, target="y")


def test_blank_header_names_are_numbered_not_repeated(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(",,label\n" + "".join(f"{i % 3},{i % 4},{'xz'[i % 2]}\n" for i in range(12)))
    data = load_table(path)
    assert list(data.X.columns) == ["Unnamed: 0", "Unnamed: 1"]


def test_trailing_delimiters_do_not_shift_columns(tmp_path):
    path = tmp_path / "trailing.csv"
    path.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{'xz'[i % 2]},\n" for i in range(12)))
    data = load_table(path)
    assert data.meta["target"] == "label"
    assert data.X["b"].tolist()[:4] == [0, 1, 2, 0]
    assert data.y.tolist()[:2] == ["x", "z"]


def test_rows_longer_than_the_header_are_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{'xz'[i % 2]},{i}\n" for i in range(12)))
    with pytest.raises(
        DataError,
        match=r"long\.csv as text separated by ',': some rows have more fields than the "
        r"header has names \(3\)\. Give every column a name in the header \(a first column of "
        r"row names too\), or remove the extra fields\.",
    ):
        load_table(path)


def test_empty_column_is_dropped_with_its_reason(tmp_path):
    frame = churn_frame()
    frame["notes"] = np.nan
    data = load_table(write_csv(tmp_path / "t.csv", frame), target="churned")
    assert data.meta["column_kinds"]["notes"] == "empty"
    assert data.meta["dropped"]["notes"] == "empty: every value is missing"
    assert "notes" not in data.X.columns
    assert data.meta["missing"] == {"notes": 40}


def test_parquet_null_column_is_empty(tmp_path):
    frame = churn_frame()
    frame["notes"] = None
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    data = load_table(path, target="churned")
    assert data.meta["column_kinds"]["notes"] == "empty"


def test_empty_target_says_so(tmp_path):
    frame = churn_frame()
    frame["churned"] = np.nan
    with pytest.raises(
        DataError,
        match=r"target column 'churned' is empty: every value is missing\. "
        r"Is this the right target column\?",
    ):
        load_table(write_csv(tmp_path / "t.csv", frame), target="churned")


def test_a_file_with_only_the_target(tmp_path):
    path = tmp_path / "only.csv"
    path.write_text("label\n" + "x\nz\n" * 5)
    with pytest.raises(
        DataError, match=r"only\.csv has no column besides the target 'label': nothing to learn"
    ):
        load_table(path)


def test_unused_categories_of_the_target_are_not_classes(tmp_path):
    frame = churn_frame()
    frame["churned"] = pd.Categorical(frame["churned"], categories=["no", "yes", "maybe"])
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    data = load_table(path, target="churned")
    assert data.target_names == ["no", "yes"]
    assert count_classes(data.y).to_dict() == {"no": 32, "yes": 8}
