"""The command line as a user runs it: output they read, exit codes, one-line errors."""

import io
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from skewlearn import __version__
from skewlearn.cli import app
from skewlearn.datasets import list_datasets, load_dataset

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"skewlearn {__version__}"


def test_datasets_lists_every_binary_keel_set():
    result = invoke("datasets", "--suite", "keel-binary")
    assert result.exit_code == 0
    assert "119 datasets in keel-binary" in result.output
    names = list_datasets("keel-binary")["name"]
    assert all(name in result.output for name in names)


def test_datasets_unknown_suite_is_one_clear_line():
    result = invoke("datasets", "--suite", "keel-binaryy")
    assert result.exit_code == 2
    assert "keel-binary" in result.output
    assert "Traceback" not in result.output


def test_profile_embedded_dataset_shows_counts_and_ratio():
    data = load_dataset("ecoli1")
    counts = data.y.value_counts()
    result = invoke("profile", "ecoli1")
    assert result.exit_code == 0, result.output
    ratio = counts.max() / counts.min()
    assert f"{ratio:.2f}" in result.output
    for label, count in counts.items():
        assert re.search(rf"{re.escape(str(label))}\s+{count}\s", result.output)


def test_profile_file_with_target(tmp_path):
    path = tmp_path / "churn.csv"
    pd.DataFrame(
        {
            "customer_id": range(40),
            "age": [20 + i % 30 for i in range(40)],
            "plan": ["basic", "pro"] * 20,
            "churned": ["no"] * 36 + ["yes"] * 4,
        }
    ).to_csv(path, index=False)
    result = invoke("profile", str(path), "--target", "churned")
    assert result.exit_code == 0, result.output
    assert "9.00" in result.output  # 36 / 4
    assert "customer_id" in result.output  # reported as an id-like column


def test_profile_missing_file_is_one_clear_line(tmp_path):
    result = invoke("profile", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "nope.csv" in result.output
    assert "Traceback" not in result.output


def test_profile_unknown_dataset_suggests_names():
    result = invoke("profile", "ecolii1")
    assert result.exit_code == 2
    assert "did you mean" in result.output
    assert "ecoli1" in result.output


@pytest.mark.parametrize("args", [("profile", "ecoli1", "--target", "Class")])
def test_profile_target_on_embedded_dataset_is_refused(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "--target applies to files only" in result.output


@pytest.fixture(scope="module")
def churn_file(tmp_path_factory):
    """A user's CSV: string labels, a categorical column, missing values, an id column."""
    import numpy as np

    rng = np.random.default_rng(7)
    n = 300
    usage = rng.gamma(2.0, 10.0, size=n)
    plan = rng.choice(["basic", "pro", "team"], size=n)
    risk = -0.15 * usage + (plan == "basic") * 1.5 + rng.normal(0, 1, size=n)
    frame = pd.DataFrame(
        {
            "customer_id": [f"c{i:04d}" for i in range(n)],
            "usage": usage.round(2),
            "plan": plan,
            "tenure": rng.integers(1, 60, size=n).astype(float),
            "churned": np.where(risk > np.quantile(risk, 0.88), "yes", "no"),
        }
    )
    frame.loc[::13, "tenure"] = np.nan
    frame.loc[::29, "plan"] = None
    path = tmp_path_factory.mktemp("data") / "churn.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def compared(churn_file, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = invoke(
        "compare",
        str(churn_file),
        "--target",
        "churned",
        "--out",
        str(out),
        "--strategies",
        "logreg,logreg+balanced,hgb+balanced",
    )
    assert result.exit_code == 0, result.output
    return out, result


def test_compare_writes_report_model_and_leaderboard(compared):
    out, result = compared
    assert {p.name for p in out.iterdir()} == {"report.html", "model.skops", "leaderboard.csv"}
    board = pd.read_csv(out / "leaderboard.csv")
    assert set(board["strategy"]) == {"logreg", "logreg+balanced", "hgb+balanced", "trivial"}
    selected = board.loc[board["status"] == "selected", "strategy"].item()
    assert f"selected {selected}" in result.output
    html = (out / "report.html").read_text()
    assert html.count("<svg") >= 4
    # Nothing is fetched when the report is viewed (XML namespace URIs are names, not fetches).
    assert not re.search(r"""(src|href)=["']?https?:|url\(https?:|<link|<script""", html)


def test_predict_round_trips_with_the_saved_rule(compared, churn_file, tmp_path):
    out, _ = compared
    preds = tmp_path / "preds.csv"
    result = invoke("predict", str(out / "model.skops"), str(churn_file), "--out", str(preds))
    assert result.exit_code == 0, result.output
    assert "decision rule:" in result.output
    table = pd.read_csv(preds)
    # The id-like column the loader dropped in training comes back, first, to join on.
    assert list(table.columns) == ["customer_id", "prediction", "proba_no", "proba_yes"]
    assert table["customer_id"].tolist() == pd.read_csv(churn_file)["customer_id"].tolist()
    assert len(table) == 300 and set(table["prediction"]) <= {"no", "yes"}


def test_predict_names_mismatched_columns(compared, churn_file, tmp_path):
    out, _ = compared
    broken = tmp_path / "broken.csv"
    pd.read_csv(churn_file).drop(columns="usage").rename(columns={"plan": "tier"}).to_csv(
        broken, index=False
    )
    result = invoke("predict", str(out / "model.skops"), str(broken))
    assert result.exit_code == 2
    assert "missing columns: 'usage', 'plan'" in result.output


def test_predict_warns_on_extra_columns_and_unseen_values(compared, churn_file, tmp_path):
    out, _ = compared
    new = tmp_path / "new.csv"
    frame = pd.read_csv(churn_file).head(6).assign(region="north", plan=["basic", "pro", "maybe",
                                                                      "YES", "team", "pro"])  # fmt: skip
    frame.to_csv(new, index=False)
    result = invoke("predict", str(out / "model.skops"), str(new), "--id", "tenure")
    assert result.exit_code == 0, result.output
    assert "warning: columns the model was not trained on are ignored: region" in result.stderr
    assert "column 'plan' holds values never seen in training: 'YES', 'maybe'" in result.stderr
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == ["tenure", "prediction", "proba_no", "proba_yes"]
    assert len(table) == 6


def test_predict_refuses_a_tampered_model(compared, churn_file, tmp_path):
    out, _ = compared
    tampered = tmp_path / "model.skops"
    tampered.write_bytes((out / "model.skops").read_bytes()[:-100])
    result = invoke("predict", str(tampered), str(churn_file))
    assert result.exit_code == 2
    assert "not a readable skewlearn model file" in result.output


def test_compare_unknown_target_lists_columns(churn_file, tmp_path):
    result = invoke("compare", str(churn_file), "--target", "churn_flag", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "churn_flag" in result.output and "usage" in result.output
    assert not list(tmp_path.iterdir())


def test_compare_one_class_target_is_refused(tmp_path):
    path = tmp_path / "one.csv"
    pd.DataFrame({"x": range(20), "label": ["a"] * 20}).to_csv(path, index=False)
    result = invoke("compare", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "one class" in result.output or "single class" in result.output


def test_unknown_target_suggests_the_closest_column(churn_file, tmp_path):
    result = invoke("compare", str(churn_file), "--target", "chruned", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "did you mean 'churned'?" in result.output
    assert not list(tmp_path.iterdir())


def test_metric_names_ignore_case_like_targets(tmp_path):
    result = invoke("compare", "ecoli1", "--metric", "F1X", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "Did you mean 'f1'" in result.output


@pytest.fixture
def narrow(monkeypatch):
    """The console of an 80-column terminal, whatever the terminal running the tests."""
    from skewlearn import cli

    # The private attribute, so that the width is given back as it was (often: unset).
    monkeypatch.setattr(cli.console, "_width", 80)
    monkeypatch.setattr(cli.error_console, "_width", 80)


@pytest.fixture
def wide(monkeypatch):
    """The console of a 200-column terminal (the console reads COLUMNS once, at import)."""
    from skewlearn import cli

    monkeypatch.setattr(cli.console, "_width", 200)
    monkeypatch.setattr(cli.error_console, "_width", 200)


LONG_NAMES = "logreg+balanced+threshold,logreg+balanced,logreg+threshold"


def test_compare_at_80_columns_cuts_no_name(narrow, churn_file, tmp_path):
    result = invoke("compare", str(churn_file), "--target", "Churned", "--metric", "F1",
                    "--cv", "3", "--out", str(tmp_path), "--strategies", LONG_NAMES)  # fmt: skip
    assert result.exit_code == 0, result.output
    # One case rule: the metric is taken in any case and shown as registered.
    assert "racing 3 strategies on f1" in result.output
    assert "leaderboard (f1)" in result.output
    table = result.output.split("leaderboard (f1)")[1].split("mean: over held-out folds")[0]
    assert "…" not in table
    assert max(len(line) for line in table.splitlines()) <= 80
    body = [line for line in table.split("───")[-1].splitlines() if line.strip(" ─")]
    rows = [line for line in body if re.match(r"\s*\d+ \S", line)]
    # One line per strategy (no name folded onto a second line), no two alike.
    assert len(body) == len(rows) == 4 and len(set(rows)) == 4  # three and the trivial rule
    names = [row.split()[1] for row in rows]
    assert set(names) == {"logreg+bal+thr", "logreg+bal", "logreg+thr", "trivial"}
    legend = " ".join(result.output.split("mean: over held-out folds")[1].split())
    assert "bal: balanced, thr: threshold" in legend
    assert f"report: {tmp_path / 'report.html'}" in result.output


def test_the_leaderboard_keeps_whole_names_when_they_fit(wide, churn_file, tmp_path):
    result = invoke("compare", str(churn_file), "--cv", "3", "--out", str(tmp_path),
                    "--strategies", LONG_NAMES)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "logreg+balanced+threshold" in result.output and "bal: balanced" not in result.output


def test_the_progress_bar_counts_out_of_the_most_fits(monkeypatch):
    from rich.console import Console

    from skewlearn.cli import _compare

    y = pd.Series(["no"] * 90 + ["yes"] * 30)  # under 300 rows: 3 repeats of 5 folds
    most = _compare._most_fits(y, n_strategies=2, cv=5, seed=0)
    assert most == 30
    assert _compare._most_fits(pd.Series(["no"] * 9 + ["yes"]), 2, 5, 0) is None  # run says why
    screen = Console(file=io.StringIO(), force_terminal=True, width=80, record=True)
    monkeypatch.setattr(_compare, "console", screen)
    result = type("Result", (), {"failed": False, "score": 0.5, "strategy": "logreg", "fold": 0})
    with _compare._progress(most) as on_result:
        on_result(result)
        on_result(result)
    shown = screen.export_text()
    assert "2 of at most 30 fits" in shown and "?" not in shown


def test_compare_quiet_prints_only_the_outcome(churn_file, tmp_path):
    result = invoke("compare", str(churn_file), "--quiet", "--cv", "3", "--out", str(tmp_path),
                    "--strategies", "logreg,logreg+balanced")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("selected logreg")
    assert lines[-3:] == [
        f"report: {tmp_path / 'report.html'}",
        f"model: {tmp_path / 'model.skops'}",
        f"leaderboard: {tmp_path / 'leaderboard.csv'}",
    ]
    assert "racing" not in result.output and "leaderboard (" not in result.output


def test_compare_json_is_one_object_on_stdout(narrow, churn_file, tmp_path):
    import json

    result = invoke("compare", str(churn_file), "--json", "--metric", "MCC", "--cv", "3",
                    "--out", str(tmp_path), "--strategies", LONG_NAMES)  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    board = pd.read_csv(tmp_path / "leaderboard.csv")
    assert record["metric"] == "mcc"
    assert record["selected"] == board.loc[board["status"] == "selected", "strategy"].item()
    assert [row["strategy"] for row in record["leaderboard"]] == board["strategy"].tolist()
    assert record["report"] == str(tmp_path / "report.html")
    assert record["model"] == str(tmp_path / "model.skops")
    assert record["leaderboard_csv"] == str(tmp_path / "leaderboard.csv")


def test_help_lists_every_registered_metric_and_no_bool_noise():
    from skewlearn.metrics import list_metrics

    result = invoke("compare", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for name in list_metrics().index:
        assert name in text
    assert "<bool>" not in result.output


def test_bench_run_help_shows_its_whole_metrics_default(narrow):
    result = invoke("bench", "run", "--help")
    assert result.exit_code == 0
    assert "average_precision,f1,balanced_accuracy,mcc,gmean" in result.output
    assert "<bool>" not in result.output and "…" not in result.output


def test_start_up_imports_no_data_stack():
    """`skewlearn --version` (and every command's start) stays fast: no pandas, no sklearn."""
    import subprocess
    import sys

    code = "import sys, skewlearn.cli; print(sorted({'pandas', 'numpy', 'sklearn'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_profile_reads_an_excel_file(tmp_path):
    path = tmp_path / "churn.xlsx"
    pd.DataFrame({"age": [20, 30] * 10, "churned": ["no"] * 15 + ["yes"] * 5}).to_excel(
        path, index=False
    )
    result = invoke("profile", str(path))
    assert result.exit_code == 0, result.output
    assert "3.00" in result.output  # 15 / 5
    missing = invoke("profile", str(tmp_path / "nope.xlsx"))
    assert missing.exit_code == 2 and "no file at" in missing.output


@pytest.mark.parametrize("data", ["nosuchset", "missing.csv"])
def test_compare_on_unknown_data_leaves_no_store_behind(tmp_path, data):
    store = tmp_path / "run.sqlite"
    result = invoke("compare", str(tmp_path / data) if data.endswith(".csv") else data,
                    "--store", str(store), "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def weighted_churn(churn_file, tmp_path_factory):
    """The churn file with a column of row weights: recent customers count three times."""
    import numpy as np

    frame = pd.read_csv(churn_file)
    frame["importance"] = np.where(frame["tenure"].fillna(0) < 12, 3.0, 1.0)
    path = tmp_path_factory.mktemp("weighted") / "churn.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_a_weight_column_weights_the_race_and_is_not_a_feature(weighted_churn, tmp_path):
    import json

    from skewlearn.app import load_model

    path, frame = weighted_churn
    common = ["--target", "churned", "--strategies", "logreg,logreg+rus", "--cv", "3", "--json"]
    weighted = invoke("compare", str(path), "--weight", "importance", "--out",
                      str(tmp_path / "w"), *common)  # fmt: skip
    assert weighted.exit_code == 0, weighted.output
    plain = invoke("compare", str(path), "--out", str(tmp_path / "p"), *common)
    assert plain.exit_code == 0, plain.output
    scores = {
        run: {row["strategy"]: row["mean"] for row in json.loads(result.stdout)["leaderboard"]}
        for run, result in (("weighted", weighted), ("plain", plain))
    }
    assert scores["weighted"]["logreg"] != pytest.approx(scores["plain"]["logreg"])
    model = load_model(tmp_path / "w" / "model.skops")
    assert "importance" in model.ignored
    assert "importance" not in model.schema.columns
    new = tmp_path / "new.csv"
    frame.drop(columns=["churned", "importance"]).to_csv(new, index=False)
    scored = invoke("predict", str(tmp_path / "w" / "model.skops"), str(new))
    assert scored.exit_code == 0, scored.output


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"column": "importanse"}, "weight column 'importanse' not found; did you mean 'importance'"),
        ({"values": -1.0}, "weight column 'importance': sample_weight must be finite and non-negative"),
        ({"values": "high"}, "weight column 'importance' holds text; give each row a number"),
        ({"values": None}, "weight column 'importance' is missing on 1 rows; give every row a weight"),
    ],
    ids=["misspelt", "negative", "text", "missing"],
)  # fmt: skip
def test_a_bad_weight_column_is_one_clear_line(weighted_churn, tmp_path, edit, message):
    path, frame = weighted_churn
    if "values" in edit:
        frame = frame.copy()
        frame["importance"] = frame["importance"].astype(object)
        frame.loc[5, "importance"] = edit["values"]
        path = tmp_path / "bad.csv"
        frame.to_csv(path, index=False)
    result = invoke("compare", str(path), "--target", "churned", "--weight",
                    edit.get("column", "importance"), "--out", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()
