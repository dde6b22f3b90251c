"""NearMiss's errors name the problem and the fix."""

import numpy as np
import pytest

from skewlearn.resample import NearMiss


def _data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = np.array([0] * 36 + [1] * 4)
    return X, y


def test_more_neighbours_than_minority_rows_names_the_class_and_the_fix():
    X, y = _data()
    with pytest.raises(ValueError, match=r"n_neighbors=5 but the minority class 1 has only 4 rows"):
        NearMiss(n_neighbors=5).fit_resample(X, y)


def test_version_3_short_list_larger_than_the_class_names_the_fix():
    X, y = _data()
    with pytest.raises(ValueError, match=r"n_neighbors_ver3=50 .* pass n_neighbors_ver3 <= 36"):
        NearMiss(version=3, n_neighbors_ver3=50).fit_resample(X, y)


def test_unknown_version_is_refused():
    X, y = _data()
    with pytest.raises(
        ValueError, match="'version' parameter of NearMiss must be an int in the range \\[1, 3\\]"
    ):
        NearMiss(version=4).fit_resample(X, y)
