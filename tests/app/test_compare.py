"""The main job keeps its promises: budgets that hold, outputs written whole, evidence that
agrees with itself, and bad options refused before anything is fitted."""

import time

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from skewlearn.app._compare import RUN_FILES, check_output_folder
from skewlearn.cli import app
from stored_results import kill_after_results

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    """A small user table: 400 rows, 1:9, string labels."""
    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=(n, 4))
    risk = x[:, 0] + 0.5 * x[:, 1] + rng.normal(0, 0.7, n)
    frame = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    frame["label"] = np.where(risk > np.quantile(risk, 0.9), "fraud", "ok")
    path = tmp_path_factory.mktemp("data") / "small.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("budget", ["10s", "30 fits", "0s"])
def test_a_budget_that_bites_still_gives_a_report(table, tmp_path, budget):
    out = tmp_path / "out"
    start = time.monotonic()
    result = invoke("compare", str(table), "--budget", budget, "--out", str(out), "--n-jobs", "1")
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == set(RUN_FILES)
    board = pd.read_csv(out / "leaderboard.csv")
    winner = board.iloc[0]
    assert winner["status"] == "selected" and winner["folds"] >= 1
    # The budget stopped the race: some strategies did not get every fold, and say why.
    short = board[board["status"].isin(["stopped", "not evaluated"])]
    assert len(short) and short["reason"].str.contains("budget").all()
    html = (out / "report.html").read_text()
    assert "Budget:" in html and "depends on the machine" not in html or "busier" in html
    if budget == "10s":
        # Wall-clock: the race (not the refit and report) stays near the budget.
        assert time.monotonic() - start < 60
    if budget == "0s":
        assert board["folds"].sum() - board.loc[board["strategy"] == "trivial", "folds"].sum() == 1
        assert "(no interval: fewer than 3 folds)" in html


def test_an_earlier_run_is_kept_unless_forced_and_a_failed_run_changes_nothing(
    table, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    args = ["compare", str(table), "--out", str(out), "--strategies", "logreg", "--n-jobs", "1"]
    assert invoke(*args).exit_code == 0
    before = {name: (out / name).read_bytes() for name in RUN_FILES}

    refused = invoke(*args)
    assert refused.exit_code == 2
    assert "holds an earlier run" in refused.output and "--force" in refused.output
    assert "racing" not in refused.output  # refused before anything was fitted

    import skewlearn.app._compare

    def broken_report(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(skewlearn.app._compare, "write_compare_report", broken_report)
    failed = invoke(*args, "--force")
    assert failed.exit_code != 0
    assert {name: (out / name).read_bytes() for name in RUN_FILES} == before
    # No half-written folder is left beside it.
    assert [p.name for p in tmp_path.iterdir()] == ["out"]

    monkeypatch.undo()
    replaced = invoke(*[a if a != "logreg" else "logreg+balanced" for a in args], "--force")
    assert replaced.exit_code == 0, replaced.output
    board = pd.read_csv(out / "leaderboard.csv")
    assert "logreg+balanced" in set(board["strategy"])
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_out_folders_that_are_not_ours_are_refused(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    with pytest.raises(ValueError, match="is a file; give the name of a folder"):
        check_output_folder(a_file, force=True)
    with pytest.raises(ValueError, match=r"holds files that are not from a skewlearn run \(notes"):
        check_output_folder(tmp_path, force=True)
    assert check_output_folder(tmp_path / "new") == tmp_path / "new"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--cv", "1"], "--cv 1: cross-validation needs at least 2 folds; pass --cv 5"),
        (["--n-jobs", "0"], "--n-jobs 0 runs nothing: pass 1"),
        (["--budget", "soon"], "cannot read budget 'soon'"),
        (["--metric", "accuracy"], "accuracy"),
        (["--strategies", "logreg+magic"], "unknown strategy part 'magic'"),
        (["--engine", "spark"], "--engine must be 'local' or 'dask'"),
    ],
)
def test_bad_options_are_one_line_before_any_fitting(table, tmp_path, option, message):
    result = invoke("compare", str(table), "--out", str(tmp_path / "out"), *option)
    assert result.exit_code == 2
    assert message in result.output
    assert "racing" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_out_naming_a_file_is_refused_before_fitting(table, tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("keep me")
    result = invoke("compare", str(table), "--out", str(target))
    assert result.exit_code == 2
    assert "is a file" in result.output and "racing" not in result.output
    assert target.read_text() == "keep me"


def test_near_duplicate_labels_are_refused_unless_allowed(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    frame["label"] = ["yes"] * 10 + ["yes "] * 5 + [" Yes"] * 5 + ["no"] * 100
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    result = invoke("compare", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "differ only in case or spaces" in result.output
    assert "--allow-similar-labels" in result.output
    allowed = invoke(
        "compare", str(path), "--out", str(tmp_path / "out"), "--allow-similar-labels",
        "--strategies", "logreg", "--n-jobs", "1",
    )  # fmt: skip
    assert allowed.exit_code == 0, allowed.output


def test_a_winner_no_better_than_trivial_is_flagged(tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(size=(300, 4)), columns=["a", "b", "c", "d"])
    frame["label"] = np.where(rng.random(300) < 0.25, "pos", "neg")
    path = tmp_path / "noise.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    result = invoke(
        "compare", str(path), "--out", str(out), "--strategies", "logreg,logreg+threshold",
        "--n-jobs", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output
    html = (out / "report.html").read_text()
    assert 'id="warnings"' in html


_COMPARE = """
import sys
from skewlearn.cli import app
app(sys.argv[1:])
"""


@pytest.mark.slow
def test_a_compare_killed_with_sigkill_resumes_from_its_store(table, tmp_path):
    import subprocess
    import sys

    store = tmp_path / "run.sqlite"
    options = ["--strategies", "logreg,logreg+balanced,tree,rf", "--n-jobs", "1", "--store"]
    killed = ["compare", str(table), "--target", "label", *options, str(store), "--out", "killed"]
    child = subprocess.Popen(
        [sys.executable, "-c", _COMPARE, *killed], cwd=tmp_path, stdout=subprocess.DEVNULL
    )
    committed = kill_after_results(child, store, 3)
    assert 3 <= committed, "the run was killed before it stored anything"
    assert not (tmp_path / "killed").exists(), "a killed run must leave no output folder"

    resumed = invoke("compare", str(table), "--target", "label", *options, str(store), "--out",
                     str(tmp_path / "resumed"))  # fmt: skip
    assert resumed.exit_code == 0, resumed.output
    assert f"resumed: {committed} fold results taken from" in resumed.output
    # The writer's lock file goes with the run that held it (the killed one's too).
    assert not store.with_name(store.name + ".lock").exists()
    whole = invoke("compare", str(table), "--target", "label", *options[:-1], "--out",
                   str(tmp_path / "whole"))  # fmt: skip
    assert whole.exit_code == 0, whole.output
    boards = [
        pd.read_csv(tmp_path / name / "leaderboard.csv").filter(regex="^(?!.*_time)")
        for name in ("resumed", "whole")
    ]
    pd.testing.assert_frame_equal(*boards)


def test_compare_and_the_api_treat_id_columns_alike(table, tmp_path):
    """One rule: the columns the file loader drops as id-like, the selector leaves out too."""
    from skewlearn.select import AutoBalancedClassifier

    frame = pd.read_csv(table)
    frame.insert(0, "customer", [f"c{i:04d}" for i in range(len(frame))])
    frame.insert(1, "row", np.arange(len(frame)) + 1)
    path = tmp_path / "with_ids.csv"
    frame.to_csv(path, index=False)
    specs = "logreg,logreg+balanced,hgb"
    result = invoke("compare", str(path), "--out", str(tmp_path / "out"), "--cv", "3",
                    "--n-jobs", "1", "--strategies", specs)  # fmt: skip
    assert result.exit_code == 0, result.output
    cli_board = pd.read_csv(tmp_path / "out" / "leaderboard.csv")
    with pytest.warns(UserWarning, match="left out of learning: 'customer', 'row'"):
        auto = AutoBalancedClassifier(specs.split(","), cv=3).fit(
            frame.drop(columns="label"), frame["label"]
        )
    api_board = auto.leaderboard_
    assert api_board["strategy"].tolist() == cli_board["strategy"].tolist()
    np.testing.assert_allclose(api_board["mean"], cli_board["mean"], equal_nan=True)
    assert auto.best_strategy_.name == cli_board.loc[0, "strategy"]
    # The report's data difficulty section: the diagnosis of the same training data.
    from skewlearn.app._compare import data_difficulty
    from skewlearn.datasets import load_table

    record, error = data_difficulty(load_table(path))
    assert error is None
    section = (tmp_path / "out" / "report.html").read_text().split('id="difficulty"')[1]
    section = section.split("<h2>")[0]
    for kind, count in record["typology"]["fraud"].items():
        assert f'data-type="{kind}">{count} (' in section
    n3 = record["complexity"]["N3"]
    assert f'<tr data-measure="N3"><td>N3</td><td class="num">{n3:.3f}' in section


def test_a_diagnosis_that_fails_leaves_its_reason_for_the_report(monkeypatch):
    from skewlearn.app import _compare
    from skewlearn.datasets import load_dataset

    def broken(*args, **kwargs):
        raise MemoryError("cannot allocate 12.0 GiB\nfor the distances")

    monkeypatch.setattr(_compare, "diagnose", broken)
    record, error = _compare.data_difficulty(load_dataset("ecoli1"))
    assert record is None
    assert error == "MemoryError: cannot allocate 12.0 GiB for the distances"
