import numpy as np
import pytest

from skewlearn.metrics import positive_class


def test_minority_class_is_positive():
    assert positive_class(["ok"] * 5 + ["fraud"]) == "fraud"
    assert positive_class([1, 1, 1, 0]) == 0


def test_tie_goes_to_the_larger_label():
    assert positive_class([0, 1, 0, 1]) == 1
    assert positive_class(["b", "a"]) == "b"


def test_class_absent_from_y_true_is_the_minority():
    assert positive_class([0, 0, 0], labels=[0, 1]) == 1


def test_pos_label_wins():
    assert positive_class([0, 0, 1], pos_label=0) == 0
    with pytest.raises(ValueError, match="not one of the classes"):
        positive_class([0, 0, 1], pos_label=2)


def test_returns_plain_python_values():
    assert type(positive_class(np.array([3, 3, 7]))) is int


def test_multiclass_and_single_class_are_rejected():
    with pytest.raises(ValueError, match="binary targets"):
        positive_class([0, 1, 2])
    with pytest.raises(ValueError, match="at least two classes"):
        positive_class([0, 0])
