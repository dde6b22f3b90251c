"""find_id_column: the one column that names the rows, or a clear error."""

import pandas as pd
import pytest

from skewlearn.datasets import DataError
from skewlearn.datasets._schema import find_id_column


def test_the_only_id_like_column_is_the_id_whatever_its_name():
    frame = pd.DataFrame({"code": ["p", "q", "r"], "x": [1.0, 2.0, 2.0], "n": [3, 1, 3]})
    assert find_id_column(frame) == "code"


def test_among_several_id_like_columns_the_one_named_like_an_id():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "CustomerID": [5, 2, 9], "x": [0.1, 0.2, 0.3]})
    assert find_id_column(frame) == "CustomerID"


def test_no_id_like_column_is_an_error():
    # Floats are measurements, never ids; a repeated value is not an id either.
    with pytest.raises(DataError, match="no id column: no column has a different value"):
        find_id_column(pd.DataFrame({"x": [1.0, 2.0, 3.0], "k": ["a", "a", "b"]}))


@pytest.mark.parametrize(
    ("frame", "listed"),
    [
        (pd.DataFrame({"a": ["p", "q", "r"], "b": ["s", "t", "u"]}), "'a', 'b'"),
        (pd.DataFrame({"id": [1, 2, 3], "user_id": [7, 8, 9]}), "'id', 'user_id'"),
        (pd.DataFrame({f"c{i}": [f"{i}a", f"{i}b", f"{i}c"] for i in range(7)}),
         "'c0', 'c1', 'c2', 'c3', 'c4' and 2 more"),
    ],
)  # fmt: skip
def test_several_id_like_columns_without_exactly_one_named_like_an_id_is_an_error(frame, listed):
    with pytest.raises(DataError, match="several id-like columns") as raised:
        find_id_column(frame)
    assert f"({listed}) and not exactly one of them named like an id" in str(raised.value)
