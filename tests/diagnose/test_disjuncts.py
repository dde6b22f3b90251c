import numpy as np

from skewlearn.diagnose import diagnose


def test_separate_minority_clusters_are_separate_disjuncts():
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0], [20.0, 0.0], [0.0, 20.0]])
    minority = np.vstack([c + rng.normal(0, 0.3, (n, 2)) for c, n in zip(centres, (40, 25, 10))])
    majority = rng.uniform(-5, 25, (600, 2))
    majority = majority[np.min(np.linalg.norm(majority[:, None] - centres, axis=2), axis=1) > 3]
    lonely = np.array([[10.0, 10.0]])
    X = np.vstack([majority, minority, lonely])
    y = np.r_[np.zeros(len(majority)), np.ones(len(minority) + 1)]

    disjuncts = diagnose(X, y).disjuncts
    np.testing.assert_array_equal(disjuncts.sizes[1.0], [40, 25, 10, 1])
    assert disjuncts.count(min_size=5) == {1.0: 3}
    rows, labels = disjuncts.rows[1.0], disjuncts.labels[1.0]
    assert np.all(y[rows] == 1)
    # The lonely row is a group of its own: the smallest, last.
    assert labels[rows == len(X) - 1][0] == 3
