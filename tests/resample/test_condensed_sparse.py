"""CondensedNearestNeighbour on sparse input: the rows of the same data dense.

imbalanced-learn's sparse answer differs from its own dense answer because scikit-learn
orders equally distant rows differently on sparse input; ours does not depend on the container.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from imblearn.under_sampling import CondensedNearestNeighbour as Reference
from sklearn.datasets import load_digits
from sklearn.neighbors import NearestNeighbors

from skewlearn.resample import CondensedNearestNeighbour


def _digits():
    X, y = load_digits(return_X_y=True)
    return X, (y == 9).astype(int)


def test_scikit_learn_orders_equal_distances_differently_on_sparse_input():
    X, _ = _digits()
    fitted, asked = X[:600], X[600:]
    d_dense, i_dense = NearestNeighbors(n_neighbors=2).fit(fitted).kneighbors(asked)
    d_sparse, i_sparse = (
        NearestNeighbors(n_neighbors=2).fit(sp.csr_matrix(fitted)).kneighbors(sp.csr_matrix(asked))
    )
    np.testing.assert_array_equal(d_sparse, d_dense)  # integer pixels: exact, equal distances
    differs = np.flatnonzero((i_dense != i_sparse).any(axis=1))
    assert len(differs) > 0
    # Where the neighbours differ, the rows swapped in are exactly as far away.
    for row in differs:
        for a, b in zip(i_dense[row], i_sparse[row]):
            gap = np.linalg.norm(asked[row] - fitted[a]) - np.linalg.norm(asked[row] - fitted[b])
            assert gap == 0


def test_sparse_input_keeps_the_rows_of_dense_input():
    X, y = _digits()
    dense = CondensedNearestNeighbour(random_state=0).fit_resample(X, y)
    sparse = CondensedNearestNeighbour(random_state=0)
    X_res, y_res = sparse.fit_resample(sp.csr_matrix(X), y)
    np.testing.assert_array_equal(X_res.toarray(), dense[0])
    np.testing.assert_array_equal(y_res, dense[1])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_imblearn_sparse_differs_from_its_dense_and_ours_matches_its_dense(seed):
    # About a minute of imbalanced-learn's row-by-row refits per call.
    X, y = _digits()
    ref_dense = Reference(random_state=seed)
    ref_dense.fit_resample(X, y)
    ref_sparse = Reference(random_state=seed)
    ref_sparse.fit_resample(sp.csr_matrix(X), y)
    ours = CondensedNearestNeighbour(random_state=seed)
    ours.fit_resample(sp.csr_matrix(X), y)
    assert len(ref_sparse.sample_indices_) == len(ref_dense.sample_indices_) - 1
    np.testing.assert_array_equal(ours.sample_indices_, ref_dense.sample_indices_)
