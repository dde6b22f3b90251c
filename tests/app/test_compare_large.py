"""compare on a Parquet table read partition by partition: profile on all rows, select on a
stratified sample, refit on all rows on Dask, a report that says which rows each step saw."""

import json
import re
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from typer.testing import CliRunner

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

from skewlearn.app import _compare as compare_module  # noqa: E402
from skewlearn.app import _large, run_compare  # noqa: E402
from skewlearn.app._large import LargeTableRules, reads_lazily  # noqa: E402
from skewlearn.app._sample import draw_stratified, sample_sizes  # noqa: E402
from skewlearn.cli import app  # noqa: E402
from skewlearn.datasets import DataError, read_parquet_lazy  # noqa: E402
from skewlearn.datasets._lazy_csv import read_csv_lazy  # noqa: E402
from skewlearn.datasets._lazy_profile import profile_lazy  # noqa: E402
from skewlearn.metrics import f1  # noqa: E402

runner = CliRunner()
N_ROWS = 60_000


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def cluster():
    # In-process workers start in well under a second; the flow connects to the address as
    # it would to a real cluster (--scheduler).
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    """60k rows, 1:50, in 4 Parquet files: float32 features, gaps, a constant and an id."""
    X, y = make_classification(
        N_ROWS, 5, n_informative=3, n_redundant=0, weights=[0.98], class_sep=1.5, random_state=0
    )
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)]).astype("float32")
    frame.loc[::97, "f1"] = np.nan
    frame.insert(0, "user_id", np.arange(N_ROWS))
    frame["const"] = 1.0
    frame["fraud"] = y.astype("float64")  # whole-number classes stored as floats
    folder = tmp_path_factory.mktemp("large") / "events"
    folder.mkdir()
    for i, start in enumerate(range(0, N_ROWS, N_ROWS // 4)):
        frame.iloc[start : start + N_ROWS // 4].to_parquet(folder / f"part-{i}.parquet")
    return folder, frame


def test_which_tables_are_read_partition_by_partition(table, tmp_path):
    folder, frame = table
    one_file = folder / "part-0.parquet"
    size = 15_000 * frame.shape[1] * 8
    assert _large.estimated_memory(one_file) == size
    assert not reads_lazily(one_file, LargeTableRules())
    assert reads_lazily(one_file, LargeTableRules.with_limit(size - 1))
    assert reads_lazily(folder)  # a partitioned table, whatever its size
    frame.iloc[:10].to_csv(tmp_path / "small.csv", index=False)
    assert not reads_lazily(tmp_path / "small.csv")


def test_profile_counts_every_row_without_gathering_them(table):
    folder, frame = table
    X, y = read_parquet_lazy(folder, "fraud")
    found = profile_lazy(X, y, "events")
    summary = found.profile
    assert summary.n_samples == N_ROWS
    assert summary.class_counts.to_dict() == frame["fraud"].astype(int).value_counts().to_dict()
    assert summary.missing.to_dict() == {"f1": int(frame["f1"].isna().sum())}
    assert found.dropped == {
        "user_id": "id-like: an integer identifier (named like one, none missing)",
        "const": "constant: one distinct value, nothing to learn from",
    }
    assert summary.n_features == 5
    assert found.partition_counts.to_numpy().sum(axis=1).tolist() == [15_000] * 4


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([0.0, np.nan, 1.0, 0.0], "has 1 missing value"),
        ([1, 1, 1, 1], "has only one class"),
        ([0.5, 1.0, 0.0, 2.0], "looks continuous"),
    ],
)
def test_bad_targets_are_one_clear_error(labels, message):
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": labels})
    ddf = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(DataError, match=message):
        profile_lazy(ddf[["x"]], ddf["y"], "bad")


def test_sample_sizes_share_the_rows_equally_and_keep_small_classes_whole():
    counts = pd.Series({"ok": 1_000_000, "late": 30_000, "fraud": 2_000})
    assert sample_sizes(counts, 60_000).to_dict() == {"ok": 29_000, "late": 29_000, "fraud": 2_000}
    assert sample_sizes(counts, 3_000).to_dict() == {"ok": 1_000, "late": 1_000, "fraud": 1_000}
    assert sample_sizes(counts, 10**9).equals(counts.astype("int64"))


def test_the_sample_is_stratified_and_the_same_on_any_number_of_workers(cluster, table):
    folder, frame = table
    X, y = read_parquet_lazy(folder, "fraud")
    found = profile_lazy(X, y, "events")
    sizes = sample_sizes(found.profile.class_counts, 8_000)
    with distributed.Client(cluster, set_as_default=False) as client, client.as_current():
        sample = draw_stratified(X, y, found.partition_counts, sizes, seed=3)
    n_minority = int(frame["fraud"].sum())
    assert sample.drawn.to_dict() == {0: 8_000 - n_minority, 1: n_minority}
    # Every minority row, and majority rows of the table, none twice.
    rows = sample.X["user_id"]
    assert rows.is_unique
    assert set(rows[sample.y == 1]) == set(frame.index[frame["fraud"] == 1])
    assert (frame.loc[rows, "fraud"].to_numpy() == sample.y.to_numpy()).all()
    assert sample.weights == pytest.approx({0: (N_ROWS - n_minority) / (8_000 - n_minority), 1: 1})
    # Each partition holds its share: drawn in proportion, up to the hypergeometric spread.
    per_part = (rows // 15_000)[sample.y == 0].value_counts().sort_index()
    assert per_part.sum() == 8_000 - n_minority and per_part.min() > 0.8 * per_part.mean()
    with dask.config.set(scheduler="sync"):  # one thread, no cluster
        again = draw_stratified(X, y, found.partition_counts, sizes, seed=3)
    pd.testing.assert_frame_equal(again.X, sample.X)
    other = draw_stratified(X, y, found.partition_counts, sizes, seed=4)
    assert not other.X["user_id"].equals(rows)


def _compare(folder, out, cluster, strategies, *extra):
    return invoke(
        "compare", str(folder), "--target", "fraud", "--strategies", strategies,
        "--budget", "4 fits", "--cv", "2", "--sample-rows", "6000",
        "--scheduler", cluster.scheduler_address, "--out", str(out), "--json", *extra,
    )  # fmt: skip


def test_compare_runs_end_to_end_and_refits_on_every_row(cluster, table, tmp_path):
    folder, frame = table
    out = tmp_path / "out"
    result = _compare(folder, out, cluster, "logreg+rus")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    n_minority = int(frame["fraud"].sum())
    rate = (6_000 - n_minority) / (N_ROWS - n_minority)
    assert record["selected"] == "logreg+rus"
    assert record["rows_seen"]["profile"].startswith(f"all {N_ROWS:,} rows")
    assert (
        f"a stratified sample of 6,000 rows (0: {6_000 - n_minority:,} of "
        f"{N_ROWS - n_minority:,} ({rate:.2%}), 1: {n_minority:,} of {n_minority:,} (100.00%))"
    ) in record["rows_seen"]["selection"]
    assert record["rows_seen"]["refit"].startswith(f"all {N_ROWS:,} rows, on the Dask cluster")
    assert set(record["step_seconds"]) == {"profile and sample", "race", "refit"}
    assert all(seconds > 0 for seconds in record["step_seconds"].values())
    # The projection the refit was planned on is given, and printed as the report says it.
    projected = record["projected_refit_seconds"]
    assert projected > 0
    assert f"projected at about {projected / 60:.1f} min" in record["rows_seen"]["refit"]
    report = (out / "report.html").read_text()
    assert "Rows each step saw" in report and f"all {N_ROWS:,} rows" in report
    assert f"{N_ROWS} samples, 5 features" in report  # the data section counts the table
    # The refitted model: every minority row and as many majority rows, from all partitions.
    from skewlearn.app import load_model

    model = load_model(out / "model.skops")
    member = model.estimator.named_steps["learner"].estimators_[0]
    assert model.ignored == ["fraud", "user_id", "const"]
    assert member.n_features_in_ == 5
    new = tmp_path / "new.csv"
    frame.drop(columns="fraud").iloc[:500].to_csv(new, index=False)
    scored = invoke("predict", str(out / "model.skops"), str(new), "--out", str(tmp_path / "p.csv"))
    assert scored.exit_code == 0, scored.output
    predictions = pd.read_csv(tmp_path / "p.csv")
    assert len(predictions) == 500 and set(predictions["prediction"]) <= {0, 1}
    assert np.allclose(predictions[["proba_0", "proba_1"]].sum(axis=1), 1.0)


@pytest.mark.parametrize("decision", ["prior", "threshold"])
def test_a_tuned_decision_rule_wraps_the_refit_on_every_row(cluster, table, tmp_path, decision):
    folder, frame = table
    result = _compare(folder, tmp_path / "out", cluster, f"logreg+rus+{decision}")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["selected"] == f"logreg+rus+{decision}"
    assert re.fullmatch(
        rf"all {N_ROWS:,} rows, on the Dask cluster \(each member fitted on rows drawn from the "
        r"whole table; projected at about \d+\.\d min\); its decision rule "
        rf"\({decision}\) is the one fitted on the sample",
        record["rows_seen"]["refit"],
    )
    from skewlearn.app import load_model

    model = load_model(tmp_path / "out" / "model.skops").estimator
    learner = model.estimator_.named_steps["learner"]
    # The refit: one member on every minority row and as many majority rows.
    n_minority = int(frame["fraud"].sum())
    assert type(learner).__name__ == "UnderBaggingClassifier"
    assert learner.estimators_[0].coef_.shape == (1, 5)
    if decision == "prior":
        # The prior it divides out is the refit's training prior (balanced), and it maps
        # back to the table's prior.
        assert model.train_prior_ == pytest.approx([0.5, 0.5])
        assert model.target_prior_ == pytest.approx([1 - n_minority / N_ROWS, n_minority / N_ROWS])
    else:
        assert model.rule_ == "threshold" and 0 < model.decision_rule_ < 1
    X = frame.drop(columns=["fraud", "user_id", "const"]).iloc[:300]
    proba = model.estimator_.predict_proba(X)
    if decision == "threshold":
        expected = np.where(proba[:, 1] >= model.decision_rule_, 1.0, 0.0)
        assert np.array_equal(model.predict(X), expected)


@pytest.mark.parametrize("dtype", ["int8", "uint16"])
def test_a_narrow_integer_target_gives_a_model_that_loads(cluster, table, tmp_path, dtype):
    # Parquet keeps the target's integer width; the labels become int64 as in memory, so the
    # rule's positive class and the learner's labels are types a model file may hold.
    _, frame = table
    folder = tmp_path / "narrow"
    folder.mkdir()
    frame.drop(columns="user_id").astype({"fraud": dtype}).to_parquet(folder / "part-0.parquet")
    result = _compare(folder, tmp_path / "out", cluster, "logreg+rus+threshold")
    assert result.exit_code == 0, result.output
    from skewlearn.app import load_model

    model = load_model(tmp_path / "out" / "model.skops")
    assert model.estimator.positive_class_ == 1
    assert model.estimator.classes_.dtype == np.int64
    X = frame.drop(columns=["fraud", "user_id"]).iloc[:200]
    predictions = model.predict_frame(X)
    assert predictions["prediction"].dtype == np.int64
    assert set(predictions["prediction"]) <= {0, 1}


def test_a_refit_projected_past_the_budget_stays_on_the_sample(
    cluster, table, tmp_path, monkeypatch
):
    folder, _ = table
    projected = []

    def slow_refit(*args):
        projected.append(args)
        return 3_600.0  # an hour: spe on a large table's minority

    monkeypatch.setattr(_large, "projected_refit_seconds", slow_refit)
    refitted = []
    monkeypatch.setattr(_large, "refit_on_dask", lambda *args: refitted.append(args))
    outputs = run_compare(
        folder, tmp_path / "out", strategies=["logreg+rus"], budget="40s", cv=2,
        sample_rows=2_000, scheduler=cluster.scheduler_address, target="fraud",
    )  # fmt: skip
    assert len(projected) == 1 and not refitted
    # The minority is drawn whole already, so no larger sample at its class ratio exists.
    assert outputs.projected_refit_seconds is None
    assert dict(outputs.rows_seen)["refit"] == (
        "the selection sample (2,000 rows): refitting logreg+rus on all 60,000 rows was "
        "projected at about 60.0 min, more than the time budget of 0.7 min (--refit all "
        "refits on every row whatever the projection); no sample twice its size fits within "
        "the table's rows"
    )
    from skewlearn.app import load_model

    # The saved model is the winner's refit on the sample (imbalanced-learn's pipeline step).
    learner = load_model(outputs.model).estimator.named_steps["learner"]
    assert type(learner).__name__ != "UnderBaggingClassifier"
    # --refit all refits on every row whatever the projection; --refit sample never does.
    monkeypatch.undo()
    forced = _compare(folder, tmp_path / "all", cluster, "logreg+rus", "--refit", "all")
    assert json.loads(forced.stdout)["rows_seen"]["refit"].startswith(f"all {N_ROWS:,} rows")
    kept = _compare(folder, tmp_path / "kept", cluster, "logreg+rus", "--refit", "sample")
    record = json.loads(kept.stdout)
    assert (
        record["rows_seen"]["refit"] == "the selection sample (6,000 rows), as --refit sample asks"
    )
    assert record["projected_refit_seconds"] is None
    bad = _compare(folder, tmp_path / "bad", cluster, "logreg+rus", "--refit", "everything")
    assert bad.exit_code == 2
    assert bad.output.strip() == "error: --refit must be one of auto, all, sample; got 'everything'"
    assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize(
    ("budget", "max_rows", "limit", "factor"),
    [
        ("300s", 10**6, "the time budget", (280 / 10) ** (1 / 1.27)),
        (None, 10**6, "the table's rows", 20.0),
        (None, 10_000, "the cap of 10,000 sample rows", 5.0),
    ],
)
def test_the_larger_refit_sample_keeps_the_class_ratio_and_its_limit(
    budget, max_rows, limit, factor
):
    from types import SimpleNamespace

    from skewlearn.app._sample import StratifiedSample
    from skewlearn.select._selector import Budget

    drawn = pd.Series({"ok": 1_000, "fraud": 1_000})
    population = pd.Series({"ok": 1_000_000, "fraud": 20_000})
    sample = StratifiedSample(pd.DataFrame(index=range(2_000)), pd.Series(), population, drawn)
    # The winner's refit on the selection sample took 10 s; a pass over the table 20 s.
    plan = _large._plan_larger_sample(
        SimpleNamespace(refit_time_=10.0), Budget.parse(budget), sample, 20.0, max_rows, "why"
    )
    assert plan.sizes.to_dict() == {"ok": int(1_000 * factor), "fraud": int(1_000 * factor)}
    assert (
        f"({factor:.1f}x the selection sample, at its class ratio; the largest within {limit}"
        in plan.why
    )
    if budget is not None:
        assert plan.projected_seconds == pytest.approx(300.0)  # the budget, fully used
    small = StratifiedSample(sample.X, sample.y, pd.Series({"ok": 10**6, "fraud": 1_500}), drawn)
    kept = _large._plan_larger_sample(
        SimpleNamespace(refit_time_=10.0), Budget.parse(None), small, 20.0, max_rows, "why"
    )
    assert kept.sizes is None
    assert kept.why.endswith("why; no sample twice its size fits within the table's rows")


def test_a_winner_without_a_dask_path_is_refitted_on_the_largest_sample_allowed(
    cluster, table, tmp_path, monkeypatch
):
    folder, frame = table
    fitted = []
    refit_on_rows = _large._refit_on_rows

    def counted(fitted_model, X, y):
        fitted.append((len(X), np.bincount(y)))
        return refit_on_rows(fitted_model, X, y)

    monkeypatch.setattr(_large, "_refit_on_rows", counted)
    outputs = run_compare(
        folder, tmp_path / "out", strategies=["logreg+smote+threshold"], budget="2 fits", cv=2,
        sample_rows=400, scheduler=cluster.scheduler_address, target="fraud",
    )  # fmt: skip
    # 200 rows of each class were drawn for selection; the table's minority holds 6x that,
    # so the refit draws 6x as many of each class (the class ratio the threshold was tuned at).
    n_minority = int(frame["fraud"].sum())
    factor = n_minority / 200
    ((n_rows, per_class),) = fitted
    assert per_class.tolist() == [int(200 * factor)] * 2 and n_rows == 2 * int(200 * factor)
    assert re.fullmatch(
        rf"a stratified sample of {n_rows:,} rows \({factor:.1f}x the selection sample, at its "
        r"class ratio; the largest within the table's rows, projected at about \d+\.\d min\): "
        r"logreg\+smote\+threshold has no Dask path \(those are spe, underbag, easy and a "
        r"learner with rus\)",
        dict(outputs.rows_seen)["refit"],
    )
    assert outputs.projected_refit_seconds > 0
    from skewlearn.app import load_model

    # The saved model: the larger refit inside the rule tuned on the selection sample.
    model = load_model(outputs.model).estimator
    assert model.decision_rule_ == outputs.selector.best_estimator_.decision_rule_
    X = frame.drop(columns=["fraud", "user_id", "const"]).iloc[:300]
    proba = model.estimator_.predict_proba(X)[:, 1]
    on_selection = outputs.selector.best_estimator_.estimator_.predict_proba(X)[:, 1]
    assert not np.allclose(proba, on_selection)
    expected = np.where(proba >= model.decision_rule_, 1, 0)
    assert np.array_equal(model.predict(X), expected)


def test_an_unknown_refit_choice_is_refused_before_anything_runs(table, tmp_path):
    folder, _ = table
    with pytest.raises(ValueError, match="^refit must be one of auto, all, sample; got 'rows'$"):
        run_compare(folder, tmp_path / "out", target="fraud", refit="rows")
    assert not (tmp_path / "out").exists()


def test_a_time_budget_counts_the_profile_and_the_sample(cluster, table, tmp_path, monkeypatch):
    folder, _ = table
    profile_lazy = _large.profile_lazy

    def slow_profile(*args):
        time.sleep(4)  # a profile of a large table takes a while
        return profile_lazy(*args)

    monkeypatch.setattr(_large, "profile_lazy", slow_profile)
    outputs = run_compare(
        folder, tmp_path / "out", strategies=["logreg"], budget="20s", cv=2, sample_rows=2_000,
        scheduler=cluster.scheduler_address, target="fraud",
    )  # fmt: skip
    rows_seen = dict(outputs.rows_seen)
    spent = int(re.search(r"drawing the sample took (\d+) s", rows_seen["profile"]).group(1))
    race = outputs.selector.budget.seconds
    assert spent >= 4 and race == pytest.approx(20 - spent, abs=1)
    assert f"the race had the {race:.0f} s of the time budget left" in rows_seen["selection"]
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Budget: 20s." in report  # the budget the user gave


def test_fold_scores_are_those_of_the_full_prior_and_a_csv_is_read_in_blocks(
    cluster, table, tmp_path
):
    _, frame = table
    csv = tmp_path / "events.csv"
    frame.drop(columns="user_id").to_csv(csv, index=False)
    outputs = run_compare(
        csv, tmp_path / "out", strategies=["logreg"], budget="4 fits", cv=2, sample_rows=6_000,
        scheduler=cluster.scheduler_address, large_above="1MB", target="fraud",
    )  # fmt: skip
    rows_seen = dict(outputs.rows_seen)
    assert rows_seen["profile"].startswith(f"all {N_ROWS:,} rows")
    assert rows_seen["refit"].startswith("the selection sample (6,000 rows): logreg has no Dask")
    # The same sample, drawn again: the selection's rows and each class's weight 1 / rate.
    X, y = read_csv_lazy(csv, "fraud")
    found = profile_lazy(X, y, "events")
    sizes = sample_sizes(found.profile.class_counts, 6_000)
    sample = draw_stratified(X.drop(columns="const"), y, found.partition_counts, sizes, seed=0)
    n_minority = int(frame["fraud"].sum())
    assert sample.weights == pytest.approx({0: (N_ROWS - n_minority) / (6_000 - n_minority), 1: 1})
    selection = outputs.selector.selection_
    assert selection.score_class_weight == pytest.approx(sample.weights)
    y_sample = sample.y.to_numpy()
    weight = np.where(y_sample == 1, 1.0, sample.weights[0])
    folds = {fold.index: fold for fold in selection.folds}
    results = [r for r in selection.results if r.strategy == "logreg" and not r.failed]
    assert results
    for result in results:
        test = folds[result.fold].test
        by_hand = f1(y_sample[test], result.y_pred, sample_weight=weight[test])
        assert result.score == pytest.approx(by_hand, rel=1e-12)
        # The correction matters: the sample's own prior gives another F1.
        assert abs(by_hand - f1(y_sample[test], result.y_pred)) > 0.01


def test_a_bad_target_or_path_is_one_line(cluster, table, tmp_path):
    folder, _ = table
    bad = invoke(
        "compare", str(folder), "--target", "frod", "--scheduler", cluster.scheduler_address,
        "--out", str(tmp_path / "bad"),
    )  # fmt: skip
    assert bad.exit_code == 2
    assert re.fullmatch(
        r"error: target column 'frod' not found; did you mean 'fraud'\? .*", bad.output.strip()
    )
    assert not (tmp_path / "bad").exists()
    missing = invoke("compare", str(tmp_path / "nowhere.parquet"), "--out", str(tmp_path / "m"))
    assert missing.exit_code == 2
    assert missing.output.strip().startswith("error: no file at")


def test_a_failed_run_leaves_the_output_folder_as_it_was(cluster, table, tmp_path, monkeypatch):
    folder, _ = table
    out = tmp_path / "out"

    def broken(*args, **kwargs):
        raise ValueError("disk full")

    monkeypatch.setattr(compare_module, "save_model", broken)
    result = _compare(folder, out, cluster, "logreg")
    assert result.exit_code == 2 and "disk full" in result.output
    assert list(tmp_path.iterdir()) == []  # no output folder, no partial folder beside it


def test_text_labels_keep_the_tables_minority_positive(cluster, table, tmp_path, monkeypatch):
    # The sample gives each class an equal share, so the sample alone cannot tell which class
    # is rare; the report's positive class and threshold curve follow the corrected scores.
    _, frame = table
    folder = tmp_path / "text"
    folder.mkdir()
    frame.drop(columns="user_id").assign(
        fraud=np.where(frame["fraud"] == 1, "fraud", "ok")
    ).to_parquet(folder / "part-0.parquet")
    reports = []
    monkeypatch.setattr(compare_module, "write_compare_report", lambda r, p: reports.append(r))
    outputs = run_compare(
        folder, tmp_path / "out", strategies=["logreg"], budget="2 fits", cv=2,
        sample_rows=2_000, scheduler=cluster.scheduler_address, target="fraud",
    )  # fmt: skip
    (report,) = reports
    assert report.positive == "fraud"
    # Each class's rows count 1 / its sampling rate (1,000 of each class were drawn).
    factors = outputs.selector.selection_.score_class_weight
    counts = frame["fraud"].value_counts()
    assert factors == pytest.approx({"ok": counts[0] / 1_000, "fraud": counts[1] / 1_000})
    weight = np.where(report.y_true == "ok", factors["ok"], factors["fraud"])
    expected = f1(report.y_true, report.y_pred, pos_label="fraud", sample_weight=weight)
    assert report.score(report.y_true, report.y_pred) == pytest.approx(expected)


def test_a_gzipped_csv_too_large_for_memory_is_refused_with_the_fix(table, tmp_path):
    _, frame = table
    packed = tmp_path / "events.csv.gz"
    frame.iloc[:2_000].to_csv(packed, index=False)
    assert reads_lazily(packed, LargeTableRules(memory_limit=4 * packed.stat().st_size - 1))
    with pytest.raises(DataError, match="gzip cannot be read in blocks: decompress it"):
        run_compare(packed, tmp_path / "out", target="fraud", large_above="1KB")
    assert not (tmp_path / "out").exists()


def test_a_weight_column_is_refused_on_a_table_larger_than_memory(table, tmp_path):
    folder, _ = table
    with pytest.raises(ValueError, match="a weight column is not used on a table larger than"):
        run_compare(folder, tmp_path / "out", target="fraud", weight="f0")
    assert not (tmp_path / "out").exists()
