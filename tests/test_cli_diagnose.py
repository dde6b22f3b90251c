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


def test_html_page_is_written_beside_the_json(narrow, ecoli1, tmp_path):
    page = tmp_path / "diagnosis.html"
    result = invoke("diagnose", "ecoli1", "--json", "--html", str(page))
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)  # the page's path goes to stderr, not into the JSON
    text = page.read_text()
    assert "rows misclassified by their nearest neighbour" in text
    assert f"{record['complexity']['N3']:.3f}" in text


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


@pytest.fixture(scope="module")
def split_files(tmp_path_factory):
    """ecoli1 in two halves: a training file, and new rows keeping a fifth of the positives."""
    folder = tmp_path_factory.mktemp("shift")
    data = load_dataset("ecoli1")
    frame = data.X.assign(label=data.y).sample(frac=1.0, random_state=0).reset_index(drop=True)
    train, rest = frame.iloc[:168], frame.iloc[168:]
    positives = rest[rest["label"] == "positive"]
    new = pd.concat([rest[rest["label"] == "negative"], positives.iloc[: len(positives) // 5]])
    train.to_csv(folder / "train.csv", index=False)
    new.to_csv(folder / "new.csv", index=False)  # its label column is not used
    new.drop(columns=["Mcg", "label"]).assign(zip_code=1).to_csv(folder / "bad.csv", index=False)
    return folder


def test_against_new_rows_shows_the_shift_and_the_prior(narrow, split_files):
    folder = split_files
    result = invoke("diagnose", str(folder / "train.csv"), "--target", "label",
                    "--against", str(folder / "new.csv"))  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    sections = (
        "label-noise suspects",
        "shift against the new data",
        "1000 permutations",
        "per-feature tests (Holm, 5%)",
        "class prior, training -> new (EM estimate)",
    )
    for section in sections:
        assert section in out
    assert "PriorCorrectedClassifier(your_model, target_prior=" in " ".join(out.split())


def test_json_has_the_noise_and_shift_records(narrow, split_files, tmp_path):
    folder = split_files
    suspects = tmp_path / "suspects.csv"
    result = invoke("diagnose", str(folder / "train.csv"), "--target", "label", "--json",
                    "--against", str(folder / "new.csv"), "--suspects", str(suspects))  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    noise = record["label_noise"]
    assert noise["suspects"] == len(noise["rows"]) == sum(p["rows"] for p in noise["pairs"])
    assert set(noise["rows"][0]) == {"row", "given", "suggested", "self_confidence"}
    assert sum(noise["class_counts"].values()) == noise["suspects"]
    written = pd.read_csv(suspects)
    assert written["row"].tolist() == [row["row"] for row in noise["rows"]]
    assert {"given", "suggested", "self_confidence", "Mcg", "Alm2"} <= set(written.columns)
    train = pd.read_csv(folder / "train.csv")
    assert written["given"].tolist() == train["label"].iloc[written["row"]].tolist()

    shift = record["shift"]
    assert shift["rows"]["new"] == len(pd.read_csv(folder / "new.csv"))
    assert [f["feature"] for f in shift["features"]] != []
    # 'Chg' is constant in this half, so the loader dropped it, and new.csv's is left out.
    assert {f["feature"] for f in shift["features"]} == set(train.columns) - {"label", "Chg"}
    prior = shift["prior"]
    assert set(prior["new"]) == {"negative", "positive"}
    assert prior["new"]["positive"] < prior["train"]["positive"]
    assert record["skipped"] == {}


def test_mismatched_new_columns_are_one_clear_line(narrow, split_files):
    folder = split_files
    result = invoke("diagnose", str(folder / "train.csv"), "--target", "label",
                    "--against", str(folder / "bad.csv"))  # fmt: skip
    assert result.exit_code == 2
    assert "missing columns: 'Mcg'; unexpected columns: 'zip_code'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_without_cleanlab_the_summary_says_how_to_install_it(narrow, monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "cleanlab", None)
    monkeypatch.setitem(sys.modules, "cleanlab.filter", None)
    result = invoke("diagnose", "ecoli1")
    assert result.exit_code == 0, result.output
    assert "skipped label noise: label-noise suspects need cleanlab: pip install " in result.output
    assert "skewlearn[noise]" in result.output
    path = tmp_path / "suspects.csv"
    result = invoke("diagnose", "ecoli1", "--json", "--suspects", str(path))
    record = json.loads(result.stdout)
    assert record["label_noise"] is None and "label_noise" in record["skipped"]
    assert f"no suspects written to {path}: " in result.stderr and not path.exists()
