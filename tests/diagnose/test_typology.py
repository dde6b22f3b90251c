import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import NearestNeighbors

from skewlearn.diagnose import minority_typology


def _skewed(seed=0, n_major=400, n_minor=60):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0, 1, (n_major, 3)), rng.normal(1.2, 1, (n_minor, 3))]
    return X, np.r_[np.zeros(n_major, int), np.ones(n_minor, int)]


def test_types_match_a_scikit_learn_oracle():
    X, y = _skewed()
    result = minority_typology(X, y)
    # Oracle: 6 neighbours from scikit-learn on the same min-max scaling, the row dropped.
    scaled = (X - X.min(axis=0)) / np.ptp(X, axis=0)
    minority = np.flatnonzero(y == 1)
    found = NearestNeighbors(n_neighbors=6).fit(scaled).kneighbors(scaled[minority])[1][:, 1:]
    same = (y[found] == 1).sum(axis=1)
    expected = {"safe": same >= 4, "borderline": (same >= 2) & (same <= 3)}
    expected.update(rare=same == 1, outlier=same == 0)
    for kind, mask in expected.items():
        np.testing.assert_array_equal(result.rows[1][kind], minority[mask])
        assert result.counts[1][kind] == mask.sum()
    assert sum(result.counts[1].values()) == len(minority)


def test_separable_classes_are_all_safe_and_identical_ones_are_not():
    rng = np.random.default_rng(1)
    far = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(30, 1, (50, 2))]
    y = np.r_[np.zeros(200), np.ones(50)]
    assert minority_typology(far, y).counts[1.0]["safe"] == 50

    same = rng.normal(0, 1, (600, 2))
    y = np.r_[np.zeros(300), np.ones(300)]
    shares = minority_typology(same, y).shares()[1.0]
    assert shares["borderline"] + shares["rare"] > 0.7
    assert shares["safe"] < 0.25


def test_multiclass_every_class_but_the_largest():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(300, 2))
    y = np.array(["big"] * 200 + ["mid"] * 70 + ["small"] * 30)
    result = minority_typology(X, y)
    assert sorted(result.counts) == ["mid", "small"]
    assert sum(result.counts["small"].values()) == 30
    rows = np.concatenate(list(result.rows["mid"].values()))
    assert set(y[rows]) == {"mid"} and len(rows) == 70


def test_dataframe_with_categorical_and_missing_columns():
    X, y = _skewed(3)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["colour"] = np.where(y == 1, "red", "blue")
    frame.loc[::7, "a"] = np.nan
    result = minority_typology(frame, y)
    # The colour column alone separates the classes far more than any numeric column.
    assert result.counts[1]["safe"] == 60


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.zeros(10), "single class"),
        (np.r_[np.zeros(8), np.ones(1), np.nan], "missing labels"),
        (np.r_[np.zeros(5), np.ones(4)], "one label per row"),
    ],
)
def test_clear_errors(y, message):
    with pytest.raises(ValueError, match=message):
        minority_typology(np.arange(10.0).reshape(-1, 1), y)
