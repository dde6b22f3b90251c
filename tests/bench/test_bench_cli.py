"""`skewlearn bench run / report / export` as a user runs them (through a typer app of our own)."""

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from skewlearn.cli._bench import bench_app

app = typer.Typer()
app.add_typer(bench_app, name="bench")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["bench", *args], env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    store = folder / "results.sqlite"
    args = ["run", "--store", str(store), "--suite", "ecoli1,glass1", "--strategies",
            "tree,tree+balanced,tree+rus", "--cv", "2", "--repeats", "1", "--metrics", "F1,mcc"]  # fmt: skip
    first = invoke(*args)
    second = invoke(*args)
    return folder, store, first, second


def test_run_then_resume(ran):
    _, store, first, second = ran
    assert first.exit_code == 0, first.output
    assert "12 tasks: 0 were already done, 12 ran (0 failed, 0 skipped)" in first.output
    assert second.exit_code == 0
    assert "resuming: 12 tasks already in" in second.output
    assert "12 were already done, 0 ran" in second.output
    # The writer's lock file goes with the run that held it.
    assert not store.with_name(store.name + ".lock").exists()


def test_report_and_export(ran):
    folder, store, _, _ = ran
    result = invoke(
        "report", str(store), "--out", str(folder / "report.html"), "--baseline", "tree"
    )
    assert result.exit_code == 0, result.output
    assert "f1: best average rank" in result.output
    assert (folder / "report.html").read_text().startswith("<!DOCTYPE html>")
    result = invoke("export", str(store), "--out", str(folder / "results.parquet"))
    assert result.exit_code == 0
    assert len(pd.read_parquet(folder / "results.parquet")) == 12


def test_report_reproduces_the_literal_command(ran):
    folder, store, _, _ = ran
    out = folder / "reproduce.html"
    assert invoke("report", str(store), "--out", str(out)).exit_code == 0
    html = out.read_text()
    command = html.split('<pre class="command">')[1].split("</pre>")[0]
    assert command.split(" \\\n    ") == [
        "skewlearn bench run",
        f"--store {store}",
        "--suite ecoli1,glass1",
        "--strategies tree,tree+balanced,tree+rus",
        "--cv 2",
        "--repeats 1",
        "--seed 0",
        "--metrics f1,mcc",  # as registered, whatever the case it was given in
    ]
    assert "pre.command { white-space: pre-wrap" in html  # long suites wrap in the box


@pytest.mark.parametrize(
    "args, message",
    [
        (["--engine", "spark"], "--engine must be 'local' or 'dask'"),
        (["--suite", "ecoli99"], "ecoli99"),
        (["--metrics", "f1,accuracyy"], "accuracyy"),
        (["--strategies", "tree+smoot"], "unknown strategy part 'smoot'"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, args, message):
    result = invoke("run", "--store", str(tmp_path / "r.sqlite"), "--suite", "ecoli1", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # no empty store, no lock file


def test_a_foreign_store_is_refused_and_kept(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("my notes")
    for args in (["run", "--store", str(path), "--suite", "ecoli1"], ["report", str(path)]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert "not a skewlearn results store" in result.output
    assert path.read_text() == "my notes"


def test_a_changed_plan_is_refused(ran):
    _, store, _, _ = ran
    result = invoke("run", "--store", str(store), "--suite", "ecoli1", "--strategies", "tree",
                    "--cv", "5", "--repeats", "1", "--metrics", "f1,mcc")  # fmt: skip
    assert result.exit_code == 2
    assert "another configuration: cv 2 (this run: 5)" in result.output


def test_a_cost_metric_keeps_its_commas(tmp_path):
    store = tmp_path / "cost.sqlite"
    result = invoke("run", "--store", str(store), "--suite", "ecoli1", "--strategies",
                    "tree,tree+balanced", "--cv", "2", "--repeats", "1",
                    "--metrics", "F1,cost:FN=5,FP=1")  # fmt: skip
    assert result.exit_code == 0, result.output
    out = tmp_path / "report.html"
    result = invoke("report", str(store), "--out", str(out), "--metrics", "cost:FN=5,FP=1,f1")
    assert result.exit_code == 0, result.output
    assert "cost:FN=5,FP=1: best average rank" in result.output
    assert "f1: best average rank" in result.output
    assert "--metrics f1,cost:FN=5,FP=1" in out.read_text()


def test_report_on_an_unmeasured_metric_names_the_measured_ones(ran):
    folder, store, _, _ = ran
    result = invoke("report", str(store), "--out", str(folder / "r.html"), "--metrics", "GMEAN")
    assert result.exit_code == 2
    assert "'gmean' were not measured" in result.output
    assert "it holds 'f1', 'mcc'" in result.output
