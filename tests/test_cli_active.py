"""`skewlearn active simulate / next` as a user runs them."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from skewlearn.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["active", *args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    out = tmp_path_factory.mktemp("active")
    args = ["simulate", "--suite", "ecoli1", "--strategies", "random,margin", "--seeds", "2",
            "--initial", "0.05", "--batch", "0.05", "--budget", "0.2",
            "--out", str(out)]  # fmt: skip
    return out, invoke(*args), invoke(*args)


def test_simulate_writes_a_report_and_resumes(simulated):
    out, first, second = simulated
    assert first.exit_code == 0, first.output
    assert "4 simulations: 0 were already done, 4 ran (0 failed)" in first.output
    assert "area under the macro_f1 curve: best average rank" in first.output
    html = (out / "report.html").read_text()
    assert "<svg" in html and "margin/lr" in html
    assert second.exit_code == 0
    assert "resuming: 4 simulations already in" in second.output
    assert "4 were already done, 0 ran" in second.output
    assert not (out / "active.sqlite.lock").exists()


def test_simulate_refuses_a_different_plan_on_the_same_store(simulated):
    out, _, _ = simulated
    result = invoke("simulate", "--suite", "ecoli1", "--strategies", "random", "--seeds", "1",
                    "--out", str(out))  # fmt: skip
    assert result.exit_code == 2
    assert "holds results of another configuration" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategies", "clever"], "unknown query strategy 'clever'"),
        (["--learner", "svm"], "unknown learner 'svm'"),
        (["--suite", "no-such-set"], "no-such-set"),
        (["--engine", "spark"], "--engine must be 'local' or 'dask'"),
    ],
)
def test_simulate_names_are_checked_before_anything_is_written(tmp_path, args, message):
    out = tmp_path / "out"
    result = invoke("simulate", "--suite", "ecoli1", "--out", str(out), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


@pytest.fixture()
def files(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=80)
    pool = pd.DataFrame({"id": np.arange(100, 180), "x": x, "w": rng.normal(size=80)})
    pool.to_csv(tmp_path / "pool.csv", index=False)
    truth = np.where(x > 1.0, "rare", "common")
    rows = np.r_[np.flatnonzero(truth == "common")[:10], np.flatnonzero(truth == "rare")[:2]]
    labelled = pool.loc[rows, "id"]
    pd.DataFrame({"id": labelled, "label": truth[rows]}).to_csv(
        tmp_path / "labels.csv", index=False
    )
    return tmp_path


def test_next_writes_the_batch_and_a_class_summary(files):
    before = (files / "labels.csv").read_bytes()
    out = files / "to_label.csv"
    result = invoke("next", str(files / "pool.csv"), "--labels", str(files / "labels.csv"),
                    "--batch", "7", "--out", str(out), "--strategy", "tailor")  # fmt: skip
    assert result.exit_code == 0, result.output
    chosen = pd.read_csv(out)
    assert list(chosen.columns) == ["id", "x", "w"] and len(chosen) == 7
    assert not chosen["id"].isin(pd.read_csv(files / "labels.csv")["id"]).any()
    assert "labels so far: 12 of 80 pool rows" in result.output
    assert "common" in result.output and "rare" in result.output
    assert "(strategy tailor)" in result.output
    assert f"wrote 7 rows to label to {out}" in result.output
    assert (files / "labels.csv").read_bytes() == before
    again = invoke("next", str(files / "pool.csv"), "--labels", str(files / "labels.csv"),
                   "--batch", "7", "--out", str(files / "again.csv"),
                   "--strategy", "tailor")  # fmt: skip
    assert again.exit_code == 0
    assert pd.read_csv(files / "again.csv")["id"].tolist() == chosen["id"].tolist()


def test_next_without_labels_starts_with_a_diverse_batch(files):
    result = invoke("next", str(files / "pool.csv"), "--batch", "4", "--out",
                    str(files / "first.csv"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no class labelled so far" in result.output and "coreset" in result.output
    assert len(pd.read_csv(files / "first.csv")) == 4


@pytest.mark.parametrize(
    ("labels", "options", "message"),
    [
        ("missing.csv", [], "no labels file at"),
        ("labels.csv", ["--out", "LABELS"], "is an input file"),
        ("labels.csv", ["--id", "w"], "id(s) of"),
        ("labels.csv", ["--batch", "0"], "--batch must be at least 1"),
        ("labels.csv", ["--strategy", "clever"], "clever"),
        ("conflict.csv", [], "conflicting labels"),
    ],
)
def test_next_bad_input_is_one_clear_line(files, labels, options, message):
    pd.DataFrame({"id": [100, 100], "label": ["a", "b"]}).to_csv(
        files / "conflict.csv", index=False
    )
    before = (files / "labels.csv").read_bytes()
    options = [str(files / "labels.csv") if o == "LABELS" else o for o in options]
    result = invoke("next", str(files / "pool.csv"), "--labels", str(files / labels), *options)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert (files / "labels.csv").read_bytes() == before


def test_report_rewrites_the_html_of_a_store_without_running_anything(simulated, tmp_path):
    out, _, _ = simulated
    result = invoke("report", str(out / "active.sqlite"), "--out", str(tmp_path / "again.html"))
    assert result.exit_code == 0, result.output
    assert "area under the macro_f1 curve: best average rank" in result.output
    assert "<svg" in (tmp_path / "again.html").read_text()
    missing = invoke("report", str(tmp_path / "none.sqlite"))
    assert missing.exit_code == 2
    assert "does not exist: run `skewlearn active simulate` first" in missing.output


def test_bench_report_on_simulations_says_which_command_reports_them(simulated, tmp_path):
    out, _, _ = simulated
    store = out / "active.sqlite"
    result = runner.invoke(app, ["bench", "report", str(store), "--out", str(tmp_path / "b.html")],
                           env={"COLUMNS": "400"})  # fmt: skip
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "holds active-learning simulations, not `skewlearn bench run` results" in text
    assert f"`skewlearn active report {store}`" in text
    assert not (tmp_path / "b.html").exists()
