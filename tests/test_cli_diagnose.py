"""`skewlearn diagnose`: the summary at 80 columns, the JSON record, one-line errors."""

import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from skewlearn.cli import app
from skewlearn.datasets import load_dataset
from skewlearn.diagnose import diagnose, findings

runner = CliRunner()


@pytest.fixture
def narrow(monkeypatch):
    """The consoles of an 80-column terminal, whatever the terminal running the tests."""
    from skewlearn import cli

    monkeypatch.setattr(cli.console, "_width", 80)
    monkeypatch.setattr(cli.error_console, "_width", 80)


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "80"})


@pytest.fixture(scope="module")
def ecoli1():
    data = load_dataset("ecoli1")
    return diagnose(data.X, data.y)


def test_summary_shows_every_section_within_80_columns(narrow, ecoli1):
    result = invoke("diagnose", "ecoli1")
    assert result.exit_code == 0, result.output
    out = result.output
    for section in ("classes", "minority types", "complexity (higher = harder)",
                    "small disjuncts", "findings", "every measure is exact (all 336 rows)"):  # fmt: skip
        assert section in out
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    assert "…" not in out
    counts = ecoli1.typology.counts["positive"]
    assert f"{counts['safe']} ({counts['safe'] / 77:.0%})" in out
    for name in ecoli1.complexity.values:
        assert f" {name} " in out
    # Each sentence is printed whole (folded over lines, never cut).
    flat = " ".join(out.split())
    for found in findings(ecoli1):
        assert " ".join(found.sentence.split()) in flat


def test_json_is_one_object_with_the_numbers_of_diagnose(narrow, ecoli1):
    result = invoke("diagnose", "ecoli1", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["typology"] == {"positive": ecoli1.typology.counts["positive"]}
    assert record["class_counts"] == ecoli1.class_counts
    assert record["complexity"] == pytest.approx(ecoli1.complexity.values)
    assert record["disjuncts"]["positive"] == ecoli1.disjuncts.sizes["positive"].tolist()
    assert [f["rule"] for f in record["findings"]] == [f.rule for f in findings(ecoli1)]
    assert record["sampled"] == {}


def test_file_with_target(narrow, tmp_path):
    path = tmp_path / "churn.csv"
    data = load_dataset("ecoli1")
    churned = data.y.map({"positive": "yes", "negative": "no"})
    data.X.assign(churned=churned).to_csv(path, index=False)
    result = invoke("diagnose", str(path), "--target", "churned")
    assert result.exit_code == 0, result.output
    assert "class 'yes'" in " ".join(result.output.split())


def test_summary_names_the_sampled_measures_and_size(narrow):
    from skewlearn import cli
    from skewlearn.app import diagnosis_record
    from skewlearn.cli._diagnose import _print_diagnosis
    from skewlearn.diagnose import DiagnoseConfig

    data = load_dataset("ecoli1")
    small = DiagnoseConfig(exact_rows=100, linear_rows=200)
    record = diagnosis_record(diagnose(data.X, data.y, config=small), data)
    with cli.console.capture() as captured:
        _print_diagnosis(record)
    out = captured.get()
    assert "sampled: N1, N2, N3, N4, T1, LSC on 100 of 336 rows" in out
    assert "sampled: L1, L2, L3 on 200 of 336 rows" in out
    assert re.search(r" N3 +0\.\d{3}\* ", out) and re.search(r" ONB +n/a ", out)


@pytest.mark.parametrize(
    ("labels", "message"),
    [(["a"] * 20, "only one class"), (["a"] * 10 + [None] * 2 + ["b"] * 8, "missing value")],
)
def test_bad_target_is_one_clear_line(narrow, tmp_path, labels, message):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"x": range(20), "label": labels}).to_csv(path, index=False)
    result = invoke("diagnose", str(path), "--target", "label")
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_unknown_target_suggests_the_column(narrow, tmp_path):
    path = tmp_path / "data.csv"
    pd.DataFrame({"x": range(20), "label": ["a", "b"] * 10}).to_csv(path, index=False)
    result = invoke("diagnose", str(path), "--target", "lable")
    assert result.exit_code == 2
    assert "did you mean 'label'?" in result.output


def test_regression_target_is_refused(narrow, tmp_path):
    path = tmp_path / "prices.csv"
    frame = pd.DataFrame({"x": [i % 7 for i in range(30)], "price": [i * 1.37 for i in range(30)]})
    frame.to_csv(path, index=False)
    result = invoke("diagnose", str(path), "--target", "price")
    assert result.exit_code == 2
    assert "regression target" in result.output
