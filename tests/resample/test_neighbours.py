"""The neighbour engine: exact answers equal scikit-learn's, certificates are never wrong."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.neighbors import NearestNeighbors

from skewlearn.resample._neighbours import NeighbourIndex


@pytest.mark.parametrize("n_neighbors", [1, 4])
def test_kneighbors_equal_scikit_learn_on_a_subset(dataset, n_neighbors):
    X, _ = dataset
    rows = np.arange(0, len(X), 3)
    expected = NearestNeighbors(n_neighbors=n_neighbors).fit(X).kneighbors(X[rows])[1]
    got = NeighbourIndex(X).kneighbors(rows, n_neighbors)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("n_neighbors", [1, 3, 7])
def test_certified_rows_have_only_their_class_nearby(dataset, n_neighbors):
    X, y = dataset
    rows = np.arange(len(y))
    certified = NeighbourIndex(X).certify_own_class(y, rows, n_neighbors)
    _, ind = NearestNeighbors(n_neighbors=n_neighbors + 1).fit(X).kneighbors(X)
    own = np.all(y[ind] == y[:, None], axis=1)
    assert not np.any(certified & ~own)
    # The certificate is useful, not just safe: most rows with an own-class
    # neighbourhood are recognised without an exact query.
    assert certified.sum() >= 0.5 * own.sum()


def test_small_blocks_give_the_same_certificates(dataset):
    X, y = dataset
    rows = np.arange(len(y))
    wide = NeighbourIndex(X).certify_own_class(y, rows, 3)
    narrow = NeighbourIndex(X, block_bytes=4096).certify_own_class(y, rows, 3)
    np.testing.assert_array_equal(wide, narrow)


def test_duplicates_of_another_class_are_never_certified():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.1], [1.1, 1.0]])
    y = np.array([0, 1, 0, 0, 0])
    certified = NeighbourIndex(X).certify_own_class(y, np.arange(5), 1)
    assert not certified[0] and not certified[1]
    assert certified[2:].all()


def test_sparse_data_is_answered_exactly_without_certificates():
    X = sp.random(60, 8, density=0.3, random_state=0, format="csr")
    y = np.arange(60) % 2
    index = NeighbourIndex(X)
    assert not index.certify_own_class(y, np.arange(60), 2).any()
    expected = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X[:10])[1]
    np.testing.assert_array_equal(index.kneighbors(np.arange(10), 3), expected)
