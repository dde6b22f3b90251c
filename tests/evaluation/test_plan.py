import numpy as np
import pandas as pd
import pytest

from skewlearn.evaluation import EvaluationPlan


def test_folds_are_stratified_and_cover_every_sample_once_per_repeat():
    y = np.array([0] * 80 + [1] * 15 + [2] * 5)
    folds = EvaluationPlan(n_splits=5, n_repeats=2, random_state=3).folds(y)
    assert len(folds) == 10
    for repeat in (0, 1):
        tests = np.concatenate([f.test for f in folds if f.repeat == repeat])
        assert np.array_equal(np.sort(tests), np.arange(len(y)))
    for fold in folds:
        assert np.bincount(y[fold.test]).tolist() == [16, 3, 1]
        assert not set(fold.train) & set(fold.test)


def test_same_seed_same_folds_and_repeats_differ():
    y = np.array([0] * 40 + [1] * 10)
    a = EvaluationPlan(5, 2, random_state=0).folds(y)
    b = EvaluationPlan(5, 2, random_state=0).folds(y)
    assert all(np.array_equal(x.test, z.test) for x, z in zip(a, b))
    assert not np.array_equal(a[0].test, a[5].test)


@pytest.mark.parametrize(
    ("n_majority", "n_minority", "expected"),
    [(250, 30, 3), (400, 15, 3), (1000, 100, 2), (3000, 300, 1)],
)
def test_auto_repeats_grow_on_small_data(n_majority, n_minority, expected):
    y = np.array([0] * n_majority + [1] * n_minority)
    assert EvaluationPlan().resolved_repeats(y) == expected


def test_fewer_folds_when_the_smallest_class_is_small():
    y = np.array([0] * 30 + [1] * 3)
    with pytest.warns(UserWarning, match="3-fold instead of 5-fold"):
        folds = EvaluationPlan(5, 1).folds(y)
    assert len(folds) == 3


def test_a_class_with_one_sample_is_a_clear_error():
    with pytest.raises(ValueError, match="class 1 has 1 sample"):
        EvaluationPlan().folds(np.array([0] * 20 + [1]))


@pytest.mark.parametrize(
    "y",
    [
        np.array(["no"] * 20 + ["yes"], dtype=object),
        np.array(["no"] * 20 + ["yes"]),
        pd.Series(["no"] * 20 + ["yes"], dtype="str"),
        pd.Series(["no"] * 20 + ["yes"], dtype="category"),
    ],
    ids=["object", "numpy-str", "pandas-str", "category"],
)
def test_a_text_class_with_one_sample_is_named_as_written(y):
    with pytest.raises(ValueError, match=r"^class 'yes' has 1 sample; cross-validation needs"):
        EvaluationPlan().folds(y)
