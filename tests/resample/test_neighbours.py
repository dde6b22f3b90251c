"""The neighbour engine: exact answers equal scikit-learn's, decided neighbourhoods are never wrong."""

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from skewlearn.resample._neighbours import MIXED, OWN, UNSURE, NeighbourIndex
from skewlearn.resample._neighbours_blocks import row_counts
from skewlearn.resample._neighbours_cells import Cells
from skewlearn.resample._neighbours_scan import BlockScan

# Every test here runs on the small-data and the large-data paths (conftest.engine_config),
# the configuration passed to each index built.


@pytest.mark.parametrize("n_neighbors", [1, 4])
def test_kneighbors_equal_scikit_learn_on_a_subset(dataset, n_neighbors, engine_config):
    X, _ = dataset
    rows = np.arange(0, len(X), 3)
    expected = NearestNeighbors(n_neighbors=n_neighbors).fit(X).kneighbors(X[rows])[1]
    got = NeighbourIndex(X, config=engine_config).kneighbors(rows, n_neighbors)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize(("n_neighbors", "min_others"), [(1, 1), (3, 1), (7, 1), (3, 2), (5, 3)])
def test_decided_rows_are_decided_correctly(dataset, n_neighbors, min_others, engine_config):
    X, y = dataset
    rows = np.arange(len(y))
    status = NeighbourIndex(X, config=engine_config).neighbourhood_status(
        y, rows, n_neighbors, min_others=min_others, decide_mixed=True
    )
    _, ind = NearestNeighbors(n_neighbors=n_neighbors + 1).fit(X).kneighbors(X)
    # The samplers read the neighbours after position 0.
    others = np.sum(y[ind[:, 1:]] != y[:, None], axis=1)
    assert not np.any((status == OWN) & (others >= min_others))
    assert not np.any((status == MIXED) & (others < min_others))
    # The answers are useful, not just safe: most rows are decided without an exact query
    # (except on data full of equal distances, where rounding margins leave rows undecided).
    if len(np.unique(X, axis=0)) == len(X):
        assert (status == OWN).sum() >= 0.5 * (others == 0).sum()
        assert (status == MIXED).sum() >= 0.5 * ((others >= min_others) & (status != OWN)).sum()


def test_mixed_is_only_decided_when_asked(dataset, engine_config):
    X, y = dataset
    status = NeighbourIndex(X, config=engine_config).neighbourhood_status(y, np.arange(len(y)), 3)
    assert not np.any(status == MIXED)


def test_small_blocks_give_the_same_answers(dataset, engine_config):
    X, y = dataset
    rows = np.arange(len(y))
    wide = NeighbourIndex(X, config=engine_config)
    narrow = NeighbourIndex(X, config=replace(engine_config, block_bytes=4096))
    np.testing.assert_array_equal(
        wide.neighbourhood_status(y, rows, 3, decide_mixed=True),
        narrow.neighbourhood_status(y, rows, 3, decide_mixed=True),
    )
    np.testing.assert_array_equal(wide.kneighbors(rows, 3), narrow.kneighbors(rows, 3))


def test_duplicates_of_another_class_are_never_decided(engine_config):
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.1], [1.1, 1.0]])
    y = np.array([0, 1, 0, 0, 0])
    index = NeighbourIndex(X, config=engine_config)
    status = index.neighbourhood_status(y, np.arange(5), 1, decide_mixed=True)
    np.testing.assert_array_equal(status, [UNSURE, UNSURE, OWN, OWN, OWN])


def test_a_subset_index_answers_for_the_subset(dataset, engine_config):
    X, y = dataset
    parent = NeighbourIndex(X, config=engine_config)
    parent.neighbourhood_status(y, np.arange(len(y)), 2)  # builds norms and cells
    rows = np.arange(0, len(y), 2)
    child = parent.subset(rows)
    np.testing.assert_array_equal(
        child.neighbourhood_status(y[rows], np.arange(len(rows)), 2, decide_mixed=True),
        NeighbourIndex(X[rows], config=engine_config).neighbourhood_status(
            y[rows], np.arange(len(rows)), 2, decide_mixed=True
        ),
    )


def test_sparse_data_is_answered_exactly_without_certificates(engine_config):
    X = sp.random(60, 8, density=0.3, random_state=0, format="csr")
    y = np.arange(60) % 2
    index = NeighbourIndex(X, config=engine_config)
    assert (index.neighbourhood_status(y, np.arange(60), 2, decide_mixed=True) == UNSURE).all()
    expected = NearestNeighbors(n_neighbors=3).fit(X).kneighbors(X[:10])[1]
    np.testing.assert_array_equal(index.kneighbors(np.arange(10), 3), expected)


@pytest.mark.parametrize("n_neighbors", [1, 3, 4])
def test_predict_equals_the_classifier_fitted_on_a_subset(dataset, n_neighbors, engine_config):
    X, y = dataset
    among = np.arange(0, len(X), 2)
    rows = np.arange(1, len(X), 2)
    knn = KNeighborsClassifier(n_neighbors=n_neighbors).fit(X[among], y[among])
    got = NeighbourIndex(X, config=engine_config).predict(knn, y, rows, among=among)
    np.testing.assert_array_equal(got, knn.predict(X[rows]))


def test_scan_splits_work_over_threads_with_the_same_answers(dataset, engine_config):
    X, y = dataset
    rows = np.arange(len(y))
    one = NeighbourIndex(X, n_jobs=1, config=engine_config)
    two = NeighbourIndex(X, n_jobs=2, config=engine_config)
    np.testing.assert_array_equal(one.kneighbors(rows, 3), two.kneighbors(rows, 3))
    np.testing.assert_array_equal(
        one.neighbourhood_status(y, rows, 3, decide_mixed=True),
        two.neighbourhood_status(y, rows, 3, decide_mixed=True),
    )


@pytest.mark.parametrize(
    ("first", "then", "look_ahead"), [(1, 3, 0), (1, 3, 2), (3, 3, 0), (3, 1, 0)]
)
def test_answers_carried_into_a_subset_equal_fresh_answers(
    dataset, first, then, look_ahead, engine_config
):
    # Repeated editing asks again on the rows left, sometimes with more neighbours: rows
    # certified before keep their answer only while enough of their witnesses are left, and
    # (looking ahead) a complete count that stays short of the new size settles MIXED.
    X, y = dataset
    parent = NeighbourIndex(X, remember=True, config=engine_config)
    before = parent.neighbourhood_status(
        y, np.arange(len(y)), first, decide_mixed=True, look_ahead=look_ahead
    )
    rows = np.flatnonzero(before != MIXED)
    carried = parent.subset(rows).neighbourhood_status(
        y[rows], np.arange(len(rows)), then, decide_mixed=True
    )
    fresh = NeighbourIndex(X[rows], config=engine_config).neighbourhood_status(
        y[rows], np.arange(len(rows)), then, decide_mixed=True
    )
    np.testing.assert_array_equal(carried == MIXED, fresh == MIXED)
    _, ind = NearestNeighbors(n_neighbors=then + 1).fit(X[rows]).kneighbors(X[rows])
    others = np.sum(y[rows][ind[:, 1:]] != y[rows][:, None], axis=1)
    assert not np.any((carried == OWN) & (others > 0))
    assert not np.any((carried == MIXED) & (others == 0))


def test_a_complete_count_settles_a_larger_neighbourhood_without_a_scan(
    dataset, engine_config, monkeypatch
):
    # AllKNN asks for 1, 2, 3 neighbours in turn: rows whose first count was complete and
    # short of the later sizes are MIXED then without being counted again (a spy on the
    # scan's counts tells).
    X, y = dataset
    parent = NeighbourIndex(X, remember=True, config=engine_config)
    before = parent.neighbourhood_status(y, np.arange(len(y)), 1, decide_mixed=True, look_ahead=2)
    rows = np.flatnonzero(before != MIXED)
    child = parent.subset(rows)
    counted = []
    count_within = BlockScan.count_within

    def record(self, queries, *args, **kwargs):
        counted.append(queries)
        return count_within(self, queries, *args, **kwargs)

    monkeypatch.setattr(BlockScan, "count_within", record)
    after = child.neighbourhood_status(y[rows], np.arange(len(rows)), 3, decide_mixed=True)
    scanned = np.unique(np.concatenate(counted)) if counted else np.array([], dtype=int)
    settled = np.setdiff1d(np.flatnonzero(after == MIXED), scanned)
    # (On data full of equal distances the rounding margin leaves such rows to a scan.)
    if len(np.unique(X, axis=0)) == len(X):
        assert len(settled) > 0
    _, ind = NearestNeighbors(n_neighbors=4).fit(X[rows]).kneighbors(X[rows])
    others = np.sum(y[rows][ind[:, 1:]] != y[rows][:, None], axis=1)
    assert np.all(others[settled] > 0)


@pytest.mark.parametrize("widen", [1, 300])
def test_rows_settled_by_exact_distances_equal_scikit_learn(dataset, widen, engine_config):
    # Widening the float32 rounding margin leaves most rows to the float64 check.
    X, _ = dataset
    config = replace(engine_config, margin_factor=widen * engine_config.margin_factor)
    index = NeighbourIndex(X, config=config)
    rows, among = np.arange(0, len(X), 2), np.arange(1, len(X), 2)
    positions, clear = index.scan.separated_neighbours(rows, among, 4)
    expected = NearestNeighbors(n_neighbors=4).fit(X[among]).kneighbors(X[rows])[1]
    np.testing.assert_array_equal(positions[clear], expected[clear])


def test_exact_distances_settle_rows_the_float32_margin_cannot(engine_config):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(600, 20))
    scan = NeighbourIndex(X, config=replace(engine_config, margin_factor=2400)).scan
    everything = np.arange(len(X))
    values, _ = scan.smallest(everything, everything, 5)
    by_float32 = np.all(np.diff(values, axis=1) > 2 * scan.margin(everything)[:, None], axis=1)
    positions, clear = scan.separated_neighbours(everything, everything, 4)
    assert by_float32.mean() < 0.1 and clear.mean() > 0.5
    expected = NearestNeighbors(n_neighbors=4).fit(X).kneighbors(X)[1]
    np.testing.assert_array_equal(positions[clear], expected[clear])


@pytest.mark.parametrize("width", [8, 512, 2040, 2048, 13])
def test_row_counts_equal_a_plain_count(width):
    rng = np.random.RandomState(width)
    mask = rng.rand(37, width) < rng.rand(37, 1)  # rows from empty to full
    mask[0] = True
    np.testing.assert_array_equal(row_counts(mask), mask.sum(axis=1))


def test_cell_bounds_never_exceed_the_distance_to_a_row_of_the_cell(dataset, engine_config):
    # Whole cells are skipped by these bounds, so a bound above a true distance would lose a
    # neighbour; on the large-data paths (many cells) they must also skip something.
    X, _ = dataset
    cells = Cells.fit(X, engine_config)
    rows = np.arange(0, len(X), 7)
    every_cell = np.unique(cells.labels)
    far = cells.far_sq(X[rows], cells.labels[rows], every_cell)
    exact = ((X[rows, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    nearest_in_cell = np.stack([exact[:, cells.labels == c].min(axis=1) for c in every_cell], 1)
    assert np.all(far <= nearest_in_cell)
    if Cells.count(len(X), engine_config) > 1:
        assert (far > 0).mean() > 0.2


def test_rows_the_margin_leaves_unsure_are_settled_by_exact_neighbours(dataset, engine_config):
    # A wide rounding margin leaves most certificates undecided; where the scan finds the
    # exact neighbours with certainty they decide the row, and the decision must be right.
    X, y = dataset
    index = NeighbourIndex(X, remember=True, config=replace(engine_config, margin_factor=2400))
    status = index.neighbourhood_status(y, np.arange(len(y)), 3, decide_mixed=True)
    _, ind = NearestNeighbors(n_neighbors=4).fit(X).kneighbors(X)
    others = np.sum(y[ind[:, 1:]] != y[:, None], axis=1)
    assert not np.any((status == OWN) & (others > 0))
    assert not np.any((status == MIXED) & (others == 0))


@pytest.mark.parametrize("width", [1, 5, 16, 100])
@pytest.mark.parametrize("n_queries", [1, 1000])  # columns gathered when read, or shared
def test_column_blocks_cover_the_visited_cells_in_order(width, n_queries, engine_config):
    # A search reads its columns as these blocks: every column of the visited cells once, in
    # the visit's order; the first block full (or everything), the others within one cell.
    rng = np.random.RandomState(width)
    X = rng.rand(60, 3)
    scan = NeighbourIndex(X, config=engine_config).scan
    groups = {cell: rng.permutation(60)[: rng.randint(1, 9)] for cell in (4, 0, 7, 2, 9)}
    columns = scan._columns(groups, n_queries)
    assert (columns._shared is not None) == (n_queries >= len(columns.ids))
    visits = [(cell, groups[cell]) for cell in (7, 2, 0, 9)]
    blocks = list(columns.blocks(visits, lambda: width))
    expected = np.concatenate([group for _, group in visits])
    np.testing.assert_array_equal(np.concatenate([ids for _, ids, _ in blocks]), expected)
    assert len(blocks[0][1]) == min(width, len(expected))
    for span, ids, aug in blocks:
        np.testing.assert_allclose(aug.T, scan._augmented(ids).T)
        in_cells = np.concatenate([groups[cell] for cell, _ in visits[span]])
        assert np.isin(ids, in_cells).all()
    for span, ids, _ in blocks[1:]:
        assert span.stop == span.start + 1 and len(ids) <= width


def test_a_nearest_row_decided_by_a_count_is_scikit_learns(dataset, engine_config):
    # TomekLinks asks whether a row's nearest is the row pointing at it: a certain answer
    # must be scikit-learn's, and where the count runs (a scan, bounded by cells) on
    # continuous features (no equal distances) nearly every answer is certain.
    X, _ = dataset
    nearest = NearestNeighbors(n_neighbors=2).fit(X).kneighbors(X)[1][:, 1]
    rows = np.tile(np.arange(len(X)), 2)
    candidates = np.concatenate([nearest, np.random.RandomState(0).randint(len(X), size=len(X))])
    index = NeighbourIndex(X, config=engine_config)
    certain, answer = index.is_nearest(rows, candidates)
    truth = nearest[rows] == candidates
    np.testing.assert_array_equal(answer[certain], truth[certain])
    everything = np.arange(len(X))
    counted = index.scan.bounded(len(X)) and index.scans(index.searcher(2), rows, everything)
    if counted and len(np.unique(X)) > len(X):
        assert certain.mean() > 0.9 and answer.sum() > 0.9 * len(X)


def test_a_column_major_array_is_scanned_row_major_with_the_same_answers():
    # pandas hands back column-major arrays; gathering rows of one copies the whole array per
    # block, so the scan keeps a row-major copy (3.5x faster TomekLinks on a DataFrame).
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    rows = np.arange(0, 300, 7)
    fortran = NeighbourIndex(np.asfortranarray(X))
    assert fortran.scan.X.flags.c_contiguous
    np.testing.assert_array_equal(
        fortran.kneighbors(rows, 5), NeighbourIndex(X).kneighbors(rows, 5)
    )
