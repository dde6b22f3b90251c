"""diagnosis.html and compare's "Data difficulty" section: the record's numbers, self-contained."""

import copy
import re

import pytest
from markupsafe import escape

from skewlearn.app import diagnosis_record
from skewlearn.datasets import load_dataset
from skewlearn.diagnose import diagnose
from skewlearn.report import (
    MEASURE_MEANINGS,
    render_compare_report,
    render_diagnosis_html,
    write_diagnosis_html,
)


@pytest.fixture(scope="module")
def record():
    dataset = load_dataset("glass1")
    return diagnosis_record(diagnose(dataset.X, dataset.y, noise=False), dataset)


# The shapes `diagnosis_record` gives the optional parts (abridged).
NOISE = {
    "suspects": 3,
    "share": 0.0140186,
    "pairs": [{"given": "negative", "suggested": "positive", "rows": 2}],
    "rows": [
        {"row": i, "given": "negative", "suggested": "positive", "self_confidence": 0.01 * i}
        for i in range(25)
    ],
}
SHIFT = {"domain_auc": 0.8123, "p_value": 0.001, "shifted": True, "prior": None}


def _cell(page: str, measure: str) -> str:
    row = re.search(rf'<tr data-measure="{measure}">(.*?)</tr>', page).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', row)[0]


def _agrees_with(page: str, record: dict) -> None:
    for name, value in record["complexity"].items():
        shown = "n/a" if value is None else f"{value:.3f}"
        assert _cell(page, name) == shown + ("*" if name in record["sampled"] else "")
        assert str(escape(MEASURE_MEANINGS[name])) in page
    for counts in record["typology"].values():
        total = sum(counts.values())
        for kind, count in counts.items():
            assert f'data-type="{kind}">{count} ({100 * count / total:.0f}%)' in page
    for found in record["findings"]:
        assert str(escape(found["sentence"])) in page
    for sizes in record["disjuncts"].values():
        assert f'<td class="num">{len(sizes)}</td>' in page


def test_diagnosis_page_shows_the_records_numbers(record):
    page = render_diagnosis_html(record)
    assert record["findings"], "glass1 should trip at least one finding rule"
    _agrees_with(page, record)
    assert f"{record['rows']} rows, {record['features']} features, 2 classes" in page
    # Optional parts: none in this record, so no section for them.
    assert "Label-noise suspects" not in page and "Shift against new data" not in page


def test_label_noise_and_shift_are_rendered_when_present(record):
    page = render_diagnosis_html({**record, "label_noise": NOISE, "shift": SHIFT})
    noise = page.split('id="label_noise"')[1].split('id="shift"')[0]
    assert "<th>suspects</th><td>3</td>" in noise and "0.0140" in noise
    assert noise.count("<td>negative</td>") == 1 + 20  # the pair, then the first 20 rows
    assert "and 5 more rows" in noise
    assert "<th>domain_auc</th><td>0.8123</td>" in page.split('id="shift"')[1]


def test_diagnosis_page_is_self_contained_and_escapes_names(record, tmp_path):
    hostile = copy.deepcopy(record)
    hostile["name"] = "<script>alert(1)</script>"
    path = write_diagnosis_html(hostile, tmp_path / "diagnosis.html")
    page = path.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)=["']?https?:|url\(https?:|<link|<script""", page)
    assert [p.name for p in tmp_path.iterdir()] == ["diagnosis.html"]


def test_compare_report_has_the_data_difficulty_section(record):
    from report.test_compare_report import _report

    report = _report(2)
    assert 'id="difficulty"' not in render_compare_report(report)  # built without one
    report.difficulty = record
    section = render_compare_report(report).split('id="difficulty"')[1].split("<h2>")[0]
    _agrees_with(section, record)
    report.difficulty, report.difficulty_error = None, "MemoryError: out of memory"
    section = render_compare_report(report).split('id="difficulty"')[1].split("<h2>")[0]
    assert "could not be diagnosed: MemoryError: out of memory" in section


def test_headless_chromium_opens_the_diagnosis_page(record, tmp_path, chromium):
    path = write_diagnosis_html({**record, "label_noise": NOISE}, tmp_path / "diagnosis.html")
    dom, log = chromium(path)
    assert 'id="complexity"' in dom and 'id="label_noise"' in dom
    console = [line for line in log.splitlines() if "CONSOLE" in line]
    assert not console, console
    assert "Failed to load resource" not in log
