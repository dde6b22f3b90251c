"""The command line as a user runs it: output they read, exit codes, one-line errors."""

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
