"""The KEEL / ARFF parser on small hand-written files."""

import pytest

from skewlearn.datasets import DataError
from skewlearn.datasets._keel import read_keel

KEEL = """\
@relation toy
@attribute Colour {red, green, blue}
@attribute Size real [0.5, 9.0]
@attribute Count integer [0, 10]
@attribute Ratio [0.0, 1.0]
@attribute Class {positive, negative}
@inputs Colour, Size, Count, Ratio
@outputs Class
@data
red, 1.5, 3, 0.1, positive
blue,2.0,4,0.2,negative
%a comment line
green, ?, 5, <null>, negative
"""


def test_types_follow_the_header():
    frame = read_keel(KEEL)
    assert list(frame.columns) == ["Colour", "Size", "Count", "Ratio", "Class"]
    assert frame["Colour"].cat.categories.tolist() == ["red", "green", "blue"]
    assert frame["Class"].tolist() == ["positive", "negative", "negative"]
    assert frame["Size"].dtype == "float64"
    assert frame["Count"].dtype == "int64"
    assert frame["Ratio"].dtype == "float64"  # a range without a type is a real


def test_question_mark_and_null_are_missing():
    frame = read_keel(KEEL)
    assert frame["Size"].isna().tolist() == [False, False, True]
    assert frame["Ratio"].isna().tolist() == [False, False, True]


def test_integer_column_with_missing_values_is_float():
    frame = read_keel(KEEL.replace("green, ?, 5,", "green, ?, ?,"))
    assert frame["Count"].dtype == "float64"
    assert frame["Count"].isna().sum() == 1


def test_arff_header_with_quotes_and_numeric_type():
    text = "@RELATION x\n@ATTRIBUTE 'a b' NUMERIC\n@ATTRIBUTE c {'t','f'}\n@DATA\n1.0,t\n2,f\n"
    frame = read_keel(text)
    assert list(frame.columns) == ["a b", "c"]
    assert frame["c"].cat.categories.tolist() == ["t", "f"]
    assert frame["a b"].tolist() == [1.0, 2.0]


def test_undeclared_and_repeated_nominal_values_are_kept():
    text = "@attribute c {a, b, a}\n@attribute y {p, n}\n@data\na,p\nz,n\n"
    frame = read_keel(text)
    assert frame["c"].cat.categories.tolist() == ["a", "b", "z"]
    assert frame["c"].tolist() == ["a", "z"]


def test_missing_data_section_is_an_error():
    with pytest.raises(DataError, match="no '@data' line"):
        read_keel("@attribute a real\n1\n")


def test_string_attributes_are_refused():
    with pytest.raises(DataError, match="attribute type 'string' is not supported"):
        read_keel("@attribute name string\n@data\nx\n")
