"""Self-paced Ensemble and under-bagging fitted on Dask collections (a real LocalCluster)."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import average_precision_score

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from sklearn.ensemble import AdaBoostClassifier  # noqa: E402

from skewlearn.ensemble import (  # noqa: E402
    BalanceCascadeClassifier,
    OverBaggingClassifier,
    SelfPacedEnsembleClassifier,
    UnderBaggingClassifier,
)
from skewlearn.ensemble._bagging import EasyEnsembleClassifier  # noqa: E402
from skewlearn.ensemble._cascade import cascade_pool_sizes  # noqa: E402
from skewlearn.ensemble._dask import (  # noqa: E402
    DaskFitLimits,
    _keep_lowest,
    fit_self_paced,
)

COLUMNS = [f"f{i}" for i in range(6)]


def _cluster(n_workers):
    # In-process workers start in well under a second; partitions still travel between
    # workers and client through the scheduler as on a real cluster.
    cluster = distributed.LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    return cluster, distributed.Client(cluster, set_as_default=False)


@pytest.fixture(scope="module")
def client():
    cluster, client = _cluster(2)
    with client.as_current():
        yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def easy():
    """40k training rows (1:50, well separated) in 4 partitions, and 20k held-out rows."""
    shape = {"n_informative": 4, "n_redundant": 0, "weights": [0.98], "class_sep": 2.0}
    X, y = make_classification(60_000, 6, flip_y=0, random_state=0, **shape)
    train = pd.DataFrame(X[:40_000], columns=COLUMNS).assign(target=y[:40_000])
    ddf = dd.from_pandas(train, npartitions=4)
    return {
        "X": X[:40_000],
        "frame": train[COLUMNS],
        "y": y[:40_000],
        "Xd": ddf[COLUMNS],
        "yd": ddf["target"],
        "X_test": pd.DataFrame(X[40_000:], columns=COLUMNS),
        "y_test": y[40_000:],
    }


def _mean_ap(make, X, y, data, seeds):
    return np.mean(
        [
            average_precision_score(
                data["y_test"], make(seed).fit(X, y).predict_proba(data["X_test"])[:, 1]
            )
            for seed in seeds
        ]
    )


def test_self_paced_agrees_with_in_memory_fit(client, easy):
    # The draws differ, so the fits agree in distribution only. On this set one fit's test
    # AP varies by 0.003 (sd over 5 seeds, both paths): the gap of two 3-seed means has
    # sd ~0.0025, and 0.01 is four of those.
    def make(seed):
        return SelfPacedEnsembleClassifier(n_estimators=10, random_state=seed)

    dask_ap = _mean_ap(make, easy["Xd"], easy["yd"], easy, range(3))
    memory_ap = _mean_ap(make, easy["frame"], easy["y"], easy, range(3))
    assert dask_ap == pytest.approx(memory_ap, abs=0.01)
    assert memory_ap > 0.97


def test_under_bagging_members_see_all_minority_and_distinct_majority(client, easy, recording_tree):
    tree, log = recording_tree()
    clf = UnderBaggingClassifier(tree, n_estimators=4, random_state=0)
    clf.fit(easy["Xd"], easy["yd"])
    minority = easy["X"][easy["y"] == 1]
    majority = {row.tobytes() for row in easy["X"][easy["y"] == 0]}
    fits = [entry for entry in log if entry[0] == "fit"]
    assert len(fits) == 4
    seen = set()
    for _, n_rows, counts, _, X_fit in fits:
        assert counts.tolist() == [len(minority), len(minority)]
        assert n_rows == 2 * len(minority)
        drawn = {row.tobytes() for row in X_fit[: len(minority)]}
        assert {row.tobytes() for row in minority} == drawn
        rest = {row.tobytes() for row in X_fit[len(minority) :]}
        # Without replacement: distinct majority rows, all from the training majority.
        assert len(rest) == len(minority) and rest <= majority
        seen.add(frozenset(rest))
    assert len(seen) == 4


@pytest.mark.parametrize(
    "make",
    [
        lambda: SelfPacedEnsembleClassifier(n_estimators=4, random_state=7),
        lambda: UnderBaggingClassifier(n_estimators=4, random_state=7),
        lambda: BalanceCascadeClassifier(n_estimators=4, random_state=7),
        lambda: EasyEnsembleClassifier(AdaBoostClassifier(n_estimators=5), 2, random_state=7),
    ],
    ids=["self_paced", "under_bagging", "cascade", "easy"],
)
def test_same_members_on_one_and_two_workers(client, easy, make):
    two = make().fit(easy["Xd"], easy["yd"])
    cluster, one_worker = _cluster(1)
    try:
        with one_worker.as_current():
            one = make().fit(easy["Xd"], easy["yd"])
    finally:
        one_worker.close()
        cluster.close()
    np.testing.assert_array_equal(
        one.predict_proba(easy["X_test"]), two.predict_proba(easy["X_test"])
    )


def test_lazy_predict_matches_in_memory(client, easy):
    on_frame = SelfPacedEnsembleClassifier(n_estimators=3, random_state=0)
    on_frame.fit(easy["Xd"], easy["yd"])
    on_array = SelfPacedEnsembleClassifier(n_estimators=3, random_state=0)
    on_array.fit(easy["Xd"].to_dask_array(lengths=True), easy["yd"].to_dask_array(lengths=True))
    assert on_frame.feature_names_in_.tolist() == COLUMNS
    assert not hasattr(on_array, "feature_names_in_")
    X_test = easy["X_test"]
    cases = [
        (on_frame, dd.from_pandas(X_test, npartitions=3), X_test),
        (on_array, da.from_array(X_test.to_numpy(), chunks=(6000, 3)), X_test.to_numpy()),
    ]
    for spe, X, X_memory in cases:
        proba, labels = spe.predict_proba(X), spe.predict(X)
        assert isinstance(proba, da.Array) and isinstance(labels, da.Array)
        np.testing.assert_array_equal(proba.compute(), spe.predict_proba(X_memory))
        np.testing.assert_array_equal(labels.compute(), spe.predict(X_memory))


def _small(y, x_chunks=(50, 50), y_chunks=(50, 50)):
    X = da.from_array(np.random.default_rng(0).normal(size=(100, 3)), chunks=(x_chunks, 3))
    return X, da.from_array(np.asarray(y), chunks=(y_chunks,))


BALANCED = np.arange(100) % 2


@pytest.mark.parametrize(
    ("case", "error", "match"),
    [
        (lambda: _small(np.zeros(100)), ValueError, "1 class"),
        (lambda: _small(np.where(BALANCED, np.nan, 1.0)), ValueError, "50 missing values"),
        (lambda: _small(BALANCED, y_chunks=(40, 30, 30)), ValueError, "4 partitions|2 partitions"),
        (lambda: _small(BALANCED, y_chunks=(60, 40)), ValueError, "partition 0 of X has 50"),
        (lambda: (_small(BALANCED)[0], BALANCED), TypeError, "y is ndarray"),
    ],
    ids=["one_class", "nan_target", "partition_count", "partition_lengths", "y_in_memory"],
)
def test_bad_input_is_refused(client, case, error, match):
    X, y = case()
    with pytest.raises(error, match=match):
        SelfPacedEnsembleClassifier(n_estimators=2).fit(X, y)
    with pytest.raises(error, match=match):
        UnderBaggingClassifier(n_estimators=2).fit(X, y)


def test_refusals_name_the_way_out(client):
    X, y = _small(BALANCED)
    with pytest.raises(TypeError, match="sample_weight is not supported with Dask"):
        SelfPacedEnsembleClassifier().fit(X, y, sample_weight=np.ones(100))
    with pytest.raises(TypeError, match="OverBaggingClassifier cannot fit on Dask"):
        OverBaggingClassifier().fit(X, y)
    X, y = _small((np.arange(100) % 10 == 0).astype(int))
    with pytest.raises(MemoryError, match=r"20 rows \(10 of the classes kept whole: \[1\]\), 480 "):
        fit_self_paced(
            SelfPacedEnsembleClassifier(), X, y, limits=DaskFitLimits(max_member_bytes=100)
        )


def test_ensembles_import_and_fit_without_dask():
    code = (
        "import sys; sys.modules['dask'] = None\n"
        "import numpy as np\n"
        "from skewlearn.ensemble import SelfPacedEnsembleClassifier\n"
        "X = np.random.default_rng(0).normal(size=(60, 2)); y = np.arange(60) % 3 == 0\n"
        "SelfPacedEnsembleClassifier(n_estimators=2, random_state=0).fit(X, y).predict(X)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_flat_hardness_falls_back_to_random_draws(client, recording_tree):
    # Far apart classes: after round 0 every majority row has hardness 0, as in memory.
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(size=(950, 2)), rng.normal(100, 1, size=(50, 2))]
    y = np.r_[np.zeros(950, dtype=int), np.ones(50, dtype=int)]
    tree, log = recording_tree()
    spe = SelfPacedEnsembleClassifier(tree, n_estimators=3, random_state=0)
    spe.fit(da.from_array(X, chunks=(300, 2)), da.from_array(y, chunks=300))
    assert [entry[2].tolist() for entry in log if entry[0] == "fit"] == [[50, 50]] * 3


def test_multiclass_members_see_the_in_memory_class_sizes(client, three_classes, recording_tree):
    X_train, _, y_train, _ = three_classes
    sizes = {}
    for name, X, y in [
        ("memory", X_train, y_train),
        ("dask", da.from_array(X_train, chunks=(400, 10)), da.from_array(y_train, chunks=400)),
    ]:
        tree, log = recording_tree(max_depth=4)
        spe = SelfPacedEnsembleClassifier(tree, n_estimators=4, random_state=0).fit(X, y)
        sizes[name] = [entry[2].tolist() for entry in log if entry[0] == "fit"]
        assert spe.classes_.tolist() == ["bulk", "rare", "some"]
        assert set(spe.predict(X_train[:50])) <= set(spe.classes_)
    assert sizes["dask"] == sizes["memory"]


def test_balance_cascade_agrees_with_in_memory_fit(client, easy):
    # One fit's test AP varies by 0.004 (sd over 5 seeds, both paths; 5-seed means 0.9746
    # on Dask, 0.9745 in memory): 3-seed means differ by sd ~0.0035, and 0.012 is 3.5 of those.
    def make(seed):
        return BalanceCascadeClassifier(n_estimators=5, random_state=seed)

    dask_ap = _mean_ap(make, easy["Xd"], easy["yd"], easy, range(3))
    memory_ap = _mean_ap(make, easy["frame"], easy["y"], easy, range(3))
    assert dask_ap == pytest.approx(memory_ap, abs=0.012)
    assert memory_ap > 0.96


def test_balance_cascade_draws_only_from_the_hardest_majority(client, hard_binary, recording_tree):
    # Round 1 draws from the pool that round 0 shrank: the `keep` majority rows the first
    # member finds hardest (lowest probability of their own class).
    X, _, y, _ = hard_binary
    tree, log = recording_tree(max_depth=4)
    clf = BalanceCascadeClassifier(tree, n_estimators=2, random_state=0)
    clf.fit(da.from_array(X, chunks=(700, 10)), da.from_array(y, chunks=700))
    n_minority = int(y.sum())
    majority = X[y == 0]
    keep = cascade_pool_sizes(len(majority), n_minority, 2)[1]
    fits = [entry for entry in log if entry[0] == "fit"]
    X_second, counts = fits[1][4], fits[1][2]
    assert counts.tolist() == [n_minority, n_minority]
    p_own = clf.estimators_[0].predict_proba(majority)[:, 0]
    cut = np.sort(p_own)[keep - 1]
    pool = {row.tobytes() for row in majority[p_own <= cut]}
    drawn = {row.tobytes() for row in X_second[n_minority:]}  # the minority comes first
    assert len(drawn) == n_minority and drawn <= pool
    assert len(pool) < len(majority) / 2  # the pool did shrink


@pytest.mark.parametrize("keep", [1, 7, 500, 1199, 1200])
def test_distributed_selection_keeps_exactly_the_lowest(client, keep):
    # Heavy ties (three values) and a continuous tail, over three partitions.
    import dask

    rng = np.random.default_rng(keep)
    values = np.r_[np.full(400, 0.25), np.full(300, 0.5), rng.uniform(size=300), np.zeros(200)]
    rng.shuffle(values)
    states = [
        {
            "codes": np.zeros(400, dtype=np.intp),
            "proba_sum": np.c_[part, 1 - part],
            "in_play": np.ones(400, dtype=bool),
        }
        for part in np.split(values, 3)
    ]
    states = dask.persist(*[dask.delayed(s) for s in states])
    cut, take = _keep_lowest(states, 0, keep, np.random.default_rng(0))
    expected = np.sort(values)[keep - 1]
    assert cut == expected.view(np.int64)
    assert int(take.sum()) + int((values < expected).sum()) == keep
    ties = [int((part == expected).sum()) for part in np.split(values, 3)]
    assert np.all(take <= ties)


def test_easy_ensemble_fits_adaboost_members_on_dask(client, easy):
    clf = EasyEnsembleClassifier(n_estimators=2, random_state=0).fit(easy["Xd"], easy["yd"])
    assert [type(m).__name__ for m in clf.estimators_] == ["AdaBoostClassifier"] * 2
    assert [m.n_estimators for m in clf.estimators_] == [50, 50]
    n_minority = int(easy["y"].sum())
    # Each member: all minority rows and as many majority rows, as imbalanced-learn's.
    assert [m.estimators_[0].tree_.n_node_samples[0] for m in clf.estimators_] == [
        2 * n_minority
    ] * 2
