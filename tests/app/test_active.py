"""Active learning flows: suites of simulations in a resumable store, and the labelling flow."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from skewlearn.app._active_next import detect_id_column, next_batch, read_labels, write_batch
from skewlearn.app._active_simulate import (
    ActiveCandidate,
    SimulationPlan,
    curve_from_metrics,
    curve_metrics,
    curve_table,
    hold_out,
    query_times,
    resolve_candidates,
    run_active_suite,
    split_dataset,
    summarize_simulations,
    write_simulation_report,
)
from skewlearn.datasets import DataError
from skewlearn.evaluation import SQLiteStore, StoreError
from stored_results import kill_after_results

# A short plan: 5% of the pool to start, batches of 5%, up to 20%: four rounds.
SHORT = SimulationPlan(initial=0.05, batch_size=0.05, budget=0.2)


# -- simulations ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    path = tmp_path_factory.mktemp("suite") / "active.sqlite"
    with SQLiteStore(path) as store:
        first = run_active_suite(store, "ecoli1", "random,margin", seeds=2, plan=SHORT)
        again = run_active_suite(store, "ecoli1", "random,margin", seeds=2, plan=SHORT)
    return path, first, again


def test_a_suite_stores_one_result_per_simulation_and_a_rerun_redoes_none(suite):
    path, first, again = suite
    assert (first.planned, first.ran, first.failed) == (4, 4, 0)
    assert (again.already_done, again.ran) == (4, 0)
    with SQLiteStore(path) as store:
        records = store.records()
    assert sorted(records["strategy"].unique()) == ["margin/lr", "random/lr"]
    assert sorted(records["fold"].unique()) == [0, 1]
    assert records["aulc_macro_f1"].between(0, 1).all()


def test_stored_curves_read_back_as_the_simulated_ones(suite):
    path, _, _ = suite
    with SQLiteStore(path) as store:
        curves = curve_table(store)
        result = store.results()[0]
    curve = curve_from_metrics(result.metrics)
    # The pool is what the hold-out leaves; 5% of it labelled first, then 5% per round to 20%.
    pool = len(split_dataset(result.dataset, SHORT, result.seed).y_pool)
    assert curve.n_pool == pool and 0.69 * 336 < pool < 0.71 * 336
    assert curve.n_labelled[0] == pytest.approx(0.05 * pool, abs=2)
    assert curve.n_labelled[-1] <= np.ceil(0.2 * pool) + 1
    assert np.all(np.diff(curve.n_labelled) > 0)
    # Every labelled row is counted under one class.
    assert (curve.class_counts.sum(axis=1) == curve.n_labelled).all()
    assert curve.area("macro_f1") == pytest.approx(result.metrics["aulc_macro_f1"])
    assert set(curves.columns) >= {"dataset", "strategy", "seed", "share", "macro_f1"}
    assert len(curves) == 4 * len(curve.n_labelled)


def test_query_times_are_every_query_after_the_initial_set_and_an_empty_store_has_none(
    suite, tmp_path
):
    path, _, _ = suite
    with SQLiteStore(path) as store:
        times = query_times(store)
        rounds = {
            (r.strategy, r.fold): len(curve_from_metrics(r.metrics).n_labelled)
            for r in store.results()
        }
    counted = times.groupby(["strategy", "seed"]).size().to_dict()
    assert counted == {key: n - 1 for key, n in rounds.items()}
    assert (times["seconds"] >= 0).all() and set(times["dataset"]) == {"ecoli1"}
    with SQLiteStore(tmp_path / "empty.sqlite") as store:
        empty_times, empty_curves = query_times(store), curve_table(store)
    assert list(empty_times.columns) == ["dataset", "strategy", "seed", "seconds"]
    assert empty_times.empty and empty_curves.empty
    # Text columns of an empty frame still take string methods (the benchmark's filters do).
    assert empty_times["strategy"].str.endswith("/lr").empty


def test_strategies_share_the_hold_out_and_the_initial_labels_of_a_seed(suite):
    path, _, _ = suite
    with SQLiteStore(path) as store:
        curves = curve_table(store)
    first = curves[curves["round"] == 0].set_index(["seed", "strategy"])
    for seed in (0, 1):
        assert (
            first.loc[(seed, "random/lr"), "macro_f1"] == first.loc[(seed, "margin/lr"), "macro_f1"]
        )
    a = split_dataset("ecoli1", SHORT, 11)
    b = split_dataset("ecoli1", SHORT, 11)
    np.testing.assert_array_equal(a.y_test, b.y_test)


def test_the_hold_out_is_stratified_and_leaves_two_of_every_class_in_the_pool():
    y = np.array(["big"] * 100 + ["mid"] * 10 + ["three"] * 3 + ["two"] * 2)
    test = hold_out(y, 0.3, 5)
    held = pd.Series(y[test]).value_counts().to_dict()
    assert held == {"big": 30, "mid": 3, "three": 1}
    assert pd.Series(y[~test]).value_counts().min() == 2
    np.testing.assert_array_equal(test, hold_out(y, 0.3, 5))
    assert not np.array_equal(test, hold_out(y, 0.3, 6))


def test_curve_metrics_round_trip_a_meta_strategy_trace():
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skewlearn.active import simulate

    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4, weights=[0.8, 0.15],
                               random_state=0)  # fmt: skip
    curve = simulate(LogisticRegression(), "tailor", X, y, initial=0.05, batch_size=0.05,
                     budget=0.2, random_state=1)  # fmt: skip
    assert curve.strategy_trace  # a meta-strategy records its choices
    again = curve_from_metrics(curve_metrics(curve, ["macro_f1", "balanced_accuracy"]))
    assert again.strategy_trace == curve.strategy_trace
    assert again.n_pool == curve.n_pool
    assert again.classes.tolist() == curve.classes.tolist()  # ints, not their text
    assert again.classes.dtype == curve.classes.dtype
    np.testing.assert_array_equal(again.n_labelled, curve.n_labelled)
    np.testing.assert_array_equal(again.class_counts, curve.class_counts)
    np.testing.assert_allclose(again.scores["macro_f1"], curve.scores["macro_f1"])
    np.testing.assert_allclose(again.query_seconds, curve.query_seconds)
    assert again.choice_counts.keys() == curve.choice_counts.keys()
    for name, counts in curve.choice_counts.items():
        np.testing.assert_array_equal(again.choice_counts[name], counts)
    assert again.area("macro_f1") == pytest.approx(curve.area("macro_f1"))


def test_a_store_of_another_plan_is_refused(suite, tmp_path):
    path, _, _ = suite
    with SQLiteStore(path) as store, pytest.raises(StoreError, match="budget 0.2"):
        run_active_suite(store, "ecoli1", "random", seeds=1, plan=SimulationPlan(budget=0.3))


def test_names_are_checked():
    assert [c.name for c in resolve_candidates("tailor", "lr,hgb")] == ["tailor/lr", "tailor/hgb"]
    with pytest.raises(ValueError, match="unknown query strategy 'smart'"):
        resolve_candidates("smart", "lr")
    with pytest.raises(ValueError, match="unknown learner 'svm'"):
        resolve_candidates("random", "svm")
    with pytest.raises(ValueError, match="named twice: random"):
        resolve_candidates("random,random", "lr")
    assert (
        ActiveCandidate("tailor", "hgb").build(None, metric="f1", random_state=3).random_state == 3
    )


def test_badge_with_a_learner_without_a_linear_layer_is_skipped_with_the_reason(tmp_path):
    with SQLiteStore(tmp_path / "hgb.sqlite") as store:
        run = run_active_suite(store, "ecoli1", "badge", learners="lr,hgb", seeds=1, plan=SHORT)
        records = store.records().set_index("strategy")
    assert (run.ran, run.skipped, run.failed) == (2, 1, 0)
    assert records.loc["badge/hgb", "status"] == "skipped"
    assert "linear last layer" in records.loc["badge/hgb", "error"]
    assert records.loc["badge/lr", "status"] == "ok"


def test_the_report_is_self_contained_with_curves_ranks_and_areas(suite, tmp_path):
    path, _, _ = suite
    with SQLiteStore(path) as store:
        out, report = write_simulation_report(store, tmp_path / "report.html")
    html = out.read_text()
    assert "<svg" in html and "Area under the macro_f1 learning curve" in html
    assert 'src="http' not in html and 'href="http' not in html and "<script" not in html
    assert list(report.curves) == ["ecoli1"]
    assert set(report.sections[0].ranks.index) == {"random/lr", "margin/lr"}
    assert report.rare.loc["random/lr", "vs_random"] == pytest.approx(1.0)
    assert (report.timing["median_query"] >= 0).all()


def test_a_bench_store_is_not_read_as_simulations(tmp_path):
    from skewlearn.bench import run_bench

    with SQLiteStore(tmp_path / "bench.sqlite") as store:
        run_bench(store, "ecoli1", "tree", cv=2, repeats=1, metrics=["f1"])
        with pytest.raises(ValueError, match="not simulations"):
            summarize_simulations(store)


_RUN = """
import sys
from skewlearn.app._active_simulate import SimulationPlan, run_active_suite
from skewlearn.evaluation import SQLiteStore
plan = SimulationPlan(initial=0.05, batch_size=0.05, budget=0.2)
with SQLiteStore(sys.argv[1]) as store:
    run_active_suite(store, "ecoli1", "random,entropy,margin", seeds=2, plan=plan)
"""


def _scores(records: pd.DataFrame) -> pd.DataFrame:
    columns = [
        c for c in records.columns if c.startswith(("aulc_", "curve/score/", "curve/count/"))
    ]
    return records.set_index(["strategy", "fold"]).sort_index()[columns]


@pytest.mark.slow
def test_a_suite_killed_with_sigkill_resumes_to_the_uninterrupted_result(tmp_path):
    path = tmp_path / "killed.sqlite"
    child = subprocess.Popen([sys.executable, "-c", _RUN, str(path)])
    committed = kill_after_results(child, path, 2)
    assert 1 <= committed < 6, "the run was not killed mid-way"
    with SQLiteStore(path) as store:
        run = run_active_suite(store, "ecoli1", "random,entropy,margin", seeds=2, plan=SHORT)
        resumed = store.records()
    assert (run.already_done, run.ran) == (committed, 6 - committed)
    with SQLiteStore(tmp_path / "whole.sqlite") as store:
        run_active_suite(store, "ecoli1", "random,entropy,margin", seeds=2, plan=SHORT)
        whole = store.records()
    assert len(resumed) == 6 and not resumed.duplicated(["strategy", "fold"]).any()
    pd.testing.assert_frame_equal(_scores(resumed), _scores(whole))


@pytest.mark.slow
def test_dask_gives_the_same_curves_as_local(tmp_path, suite):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with SQLiteStore(tmp_path / "dask.sqlite") as store:
            run = run_active_suite(
                store, "ecoli1", "random,margin", seeds=2, plan=SHORT, engine="dask",
                scheduler=cluster.scheduler_address,
            )  # fmt: skip
            remote = store.records()
    assert run.ran == 4
    with SQLiteStore(suite[0]) as store:
        local = store.records()
    pd.testing.assert_frame_equal(_scores(remote), _scores(local))


# -- the labelling flow -------------------------------------------------------------------------


def _pool(folder, n=120, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "item_id": [f"r{i:03d}" for i in range(n)],
            "x": x,
            "z": rng.normal(size=n),
            "colour": rng.choice(["red", "blue", "green"], size=n),
        }
    )
    path = folder / "pool.csv"
    frame.to_csv(path, index=False)
    # The truth the tests label with: a rare class where x is large.
    truth = np.where(x > 1.2, "rare", np.where(x > 0, "b", "a"))
    return path, frame, pd.Series(truth, index=frame["item_id"])


def _labels(folder, ids, labels, name="labels.csv", id_name="item_id"):
    path = folder / name
    pd.DataFrame({id_name: list(ids), "label": list(labels)}).to_csv(path, index=False)
    return path


def test_the_batch_is_distinct_unlabelled_pool_rows_with_the_id_first(tmp_path):
    pool, frame, truth = _pool(tmp_path)
    ids = list(truth.index[:10])
    labels = _labels(tmp_path, ids, truth[ids])
    chosen = next_batch(pool, labels, batch=15, strategy="tailor", seed=1)
    assert len(chosen.rows) == 15 and chosen.rows["item_id"].is_unique
    assert not chosen.rows["item_id"].isin(ids).any()
    assert list(chosen.rows.columns) == list(frame.columns)
    merged = chosen.rows.merge(frame, on="item_id", suffixes=("", "_pool"))
    np.testing.assert_allclose(merged["x"], merged["x_pool"])
    assert chosen.counts.sum() == 10 and chosen.n_labelled == 10 and chosen.n_pool == 120
    assert chosen.strategy == "tailor"


def test_same_files_and_seed_give_the_same_batch_whatever_the_labels_order(tmp_path):
    pool, _, truth = _pool(tmp_path)
    ids = list(truth.index[:12])
    first = _labels(tmp_path, ids, truth[ids])
    shuffled = _labels(tmp_path, ids[::-1], truth[ids[::-1]], name="shuffled.csv")
    runs = [
        next_batch(pool, path, batch=8, strategy="margin", seed=3)
        for path in (first, first, shuffled)
    ]
    assert runs[0].rows["item_id"].tolist() == runs[1].rows["item_id"].tolist()
    assert runs[0].rows["item_id"].tolist() == runs[2].rows["item_id"].tolist()


def test_labelling_in_rounds_reaches_every_row_without_losing_a_label(tmp_path):
    pool, _, truth = _pool(tmp_path, n=40)
    known: list[str] = []
    for _ in range(5):
        labels = _labels(tmp_path, known, truth[known]) if known else None
        before = labels.read_bytes() if labels else None
        chosen = next_batch(pool, labels, batch=10, strategy="entropy")
        if labels is not None:
            assert labels.read_bytes() == before  # only ever read
        known += chosen.rows["item_id"].tolist()
        if len(known) == 40:
            break
    assert sorted(known) == sorted(truth.index)
    with pytest.raises(ValueError, match="every row of the pool \\(40\\) is labelled"):
        next_batch(pool, _labels(tmp_path, known, truth[known]), batch=10)


def test_before_two_classes_the_batch_is_chosen_for_diversity_and_said_so(tmp_path):
    pool, _, truth = _pool(tmp_path)
    unlabelled = next_batch(pool, None, batch=5)
    assert unlabelled.strategy == "coreset" and len(unlabelled.rows) == 5
    assert "no class labelled so far" in unlabelled.notes[0]
    ids = list(truth[truth == "a"].index[:3])
    one = next_batch(pool, _labels(tmp_path, ids, truth[ids]), batch=5)
    assert one.strategy == "coreset" and "one class ('a')" in one.notes[0]
    assert not one.rows["item_id"].isin(ids).any()


def test_a_label_seen_once_is_a_new_class(tmp_path):
    pool, _, truth = _pool(tmp_path)
    ids = list(truth.index[:8])
    labels = list(truth[ids].replace("rare", "b"))
    labels[0] = "unexpected"
    chosen = next_batch(pool, _labels(tmp_path, ids, labels), batch=4, strategy="margin")
    assert chosen.new_classes == ["unexpected"]
    assert chosen.counts["unexpected"] == 1


def test_a_batch_larger_than_the_unlabelled_rows_is_cut(tmp_path):
    pool, _, truth = _pool(tmp_path, n=30)
    ids = list(truth.index[:25])
    chosen = next_batch(pool, _labels(tmp_path, ids, truth[ids]), batch=50, strategy="margin")
    assert len(chosen.rows) == 5
    assert any("cut from 50 to the 5 unlabelled rows" in note for note in chosen.notes)
    with pytest.raises(ValueError, match="at least 1"):
        next_batch(pool, None, batch=0)


def test_missing_values_are_imputed_and_said_so(tmp_path):
    pool, frame, truth = _pool(tmp_path)
    frame.loc[[3, 7], "x"] = np.nan
    frame.loc[5, "colour"] = None
    frame.to_csv(pool, index=False)
    ids = list(truth.index[10:30])
    chosen = next_batch(pool, _labels(tmp_path, ids, truth[ids]), batch=6)
    assert len(chosen.rows) == 6
    assert any("3 missing value(s)" in note for note in chosen.notes)


def test_duplicated_ids_count_once_with_one_label_and_fail_with_two(tmp_path):
    pool, _, truth = _pool(tmp_path)
    ids = list(truth.index[:6])
    twice = _labels(tmp_path, ids + ids[:2], list(truth[ids]) + list(truth[ids[:2]]))
    chosen = next_batch(pool, twice, batch=3, strategy="margin")
    assert chosen.counts.sum() == 6
    assert any("2 repeated row(s)" in note for note in chosen.notes)
    conflict = _labels(tmp_path, ids + ids[:1], list(truth[ids]) + ["other"], name="c.csv")
    with pytest.raises(ValueError, match=f"conflicting labels to 1 id\\(s\\) \\('{ids[0]}'\\)"):
        next_batch(pool, conflict, batch=3)


def test_ids_not_in_the_pool_are_named(tmp_path):
    pool, _, truth = _pool(tmp_path)
    labels = _labels(tmp_path, ["r000", "r001", "x999"], ["a", "b", "a"])
    with pytest.raises(
        ValueError, match="1 id\\(s\\) of .* are not in the pool's 'item_id' column \\('x999'\\)"
    ):
        next_batch(pool, labels, batch=3)


def test_labels_that_differ_only_in_case_are_refused(tmp_path):
    _labels(tmp_path, ["r000", "r001", "r002"], ["fraud", "Fraud", "ok"])
    with pytest.raises(DataError, match="'fraud', 'Fraud'"):
        read_labels(tmp_path / "labels.csv", "item_id")


def test_a_labels_file_with_other_names_is_read_by_position_and_ids_match_as_text(tmp_path):
    path = tmp_path / "labels.csv"
    pd.DataFrame({"row": [3, 1, 3], "answer": ["x", "y", "x"]}).to_csv(path, index=False)
    labels, repeated = read_labels(path, "item_id")
    assert labels.to_dict() == {"3": "x", "1": "y"} and repeated == 1
    pd.DataFrame({"a": [1], "b": [2], "c": [3]}).to_csv(path, index=False)
    with pytest.raises(
        ValueError, match="needs an id column \\('item_id' or 'id'\\) and a 'label'"
    ):
        read_labels(path, "item_id")


@pytest.mark.parametrize(
    "classes", [["a", "b/c"], ["1", "10", "2"], [1.5, 2.0], [True, False], [-1, 7]]
)
def test_class_labels_read_back_from_a_store_with_their_type(tmp_path, classes):
    from skewlearn.active import LearningCurve
    from skewlearn.evaluation import Result

    curve = LearningCurve(
        n_labelled=np.array([2, 4]) * len(classes),
        scores={"macro_f1": np.array([0.5, 0.7])},
        class_counts=np.array([[2] * len(classes), [4] * len(classes)]),
        classes=np.array(classes),
        query_seconds=np.array([0.0, 0.1]),
        strategy_trace=[],
        n_pool=40,
    )
    metrics = curve_metrics(curve, ["macro_f1"])
    with SQLiteStore(tmp_path / "curves.sqlite") as store:
        store.add(Result("d", "random/lr", 0, 0, 0, "ok", metrics=metrics))
        (stored,) = store.results()
    again = curve_from_metrics(stored.metrics)
    assert again.classes.tolist() == list(classes)
    assert again.classes.dtype == curve.classes.dtype
    np.testing.assert_array_equal(again.class_counts, curve.class_counts)


def test_class_labels_of_a_store_written_before_labels_were_json_read_back_as_written():
    # Keys of older stores hold the label's text: numbers come back as numbers, text as text.
    metrics = {"n_pool": 10.0, "curve/n_labelled/0": 4.0, "curve/query_seconds/0": 0.0,
               "curve/count/a/0": 1.0, "curve/count/bc/0": 3.0}  # fmt: skip
    assert curve_from_metrics(metrics).classes.tolist() == ["a", "bc"]


def test_the_id_column_is_detected_or_asked_for():
    assert (
        detect_id_column(pd.DataFrame({"name": ["a", "b", "c"], "customer_id": [5, 2, 9]}))
        == "customer_id"
    )
    with pytest.raises(ValueError, match="no id column"):
        detect_id_column(pd.DataFrame({"x": [1.0, 1.0, 2.0]}))
    with pytest.raises(ValueError, match="several id-like columns \\('a', 'b'\\)"):
        detect_id_column(pd.DataFrame({"a": ["p", "q", "r"], "b": ["s", "t", "u"]}))


def test_the_output_never_replaces_an_input(tmp_path):
    pool, _, truth = _pool(tmp_path)
    ids = list(truth.index[:10])
    labels = _labels(tmp_path, ids, truth[ids])
    before = labels.read_bytes()
    chosen = next_batch(pool, labels, batch=3, strategy="random")
    with pytest.raises(ValueError, match="is an input file"):
        write_batch(chosen, labels, protect=[pool, labels])
    assert labels.read_bytes() == before
    written = write_batch(chosen, tmp_path / "to_label.csv", protect=[pool, labels])
    assert pd.read_csv(written)["item_id"].tolist() == chosen.rows["item_id"].tolist()
