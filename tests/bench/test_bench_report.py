"""The bench report: its statistics, that it is self-contained, and that a browser renders it."""

import re

import numpy as np
import pytest

from skewlearn.bench import (
    average_ranks,
    render_bench_report,
    score_table,
    summarize,
    write_bench_report,
)
from skewlearn.evaluation import Result, SQLiteStore

STRATEGIES = ["plain", "weighted", "smote", "<broken> & co"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    """A store filled by hand: 8 datasets in all 4 tiers, one strategy failing on one set."""
    path = tmp_path_factory.mktemp("report") / "results.sqlite"
    rng = np.random.default_rng(1)
    ratios = [1.5, 3.0, 6.0, 8.0, 12.0, 30.0, 60.0, 90.0]
    with SQLiteStore(path) as store:
        store.check_config({"cv": 2, "repeats": 1, "seed": 0, "metrics": ["f1", "brier"]})
        store.add_strategies((name, "") for name in STRATEGIES)
        store.add_datasets(
            {"name": f"d{i}", "n_samples": 100, "n_features": 4, "n_classes": 2,
             "imbalance_ratio": ratio}
            for i, ratio in enumerate(ratios)
        )  # fmt: skip
        for i in range(len(ratios)):
            for shift, name in zip([0.0, 0.1, 0.05, -0.05], STRATEGIES):
                for fold in range(2):
                    if name == STRATEGIES[-1] and i == 0:
                        result = Result(f"d{i}", name, fold, 0, 1, "failed",
                                             error="ValueError: k_neighbors > n_samples")  # fmt: skip
                    else:
                        f1 = 0.5 + shift + rng.normal(0, 0.02)
                        result = Result(
                            f"d{i}", name, fold, 0, 1, "ok", {"f1": f1, "brier": 1 - f1},
                            fit_time=0.1 + shift, versions={"scikit-learn": "9.9"},
                        )  # fmt: skip
                    store.add(result)
    return path


def test_summary_statistics(store_path):
    with SQLiteStore(store_path) as store:
        summary = summarize(store)
        records = store.records()
    assert summary.baseline == "plain"
    f1, brier = summary.sections
    assert f1.ranks.index[0] == "weighted" and brier.ranks.index[0] == "weighted"
    assert f1.dropped_datasets == ["d0"] and f1.n_datasets == 7
    expected = average_ranks(score_table(records, "f1").drop(index="d0"))
    assert f1.ranks.to_dict() == pytest.approx(expected.to_dict())
    assert f1.friedman[1] < 0.05
    assert len(f1.pairs) == 6
    assert f1.win_tie_loss.loc["weighted"].tolist() == [7, 0, 0]
    assert f1.tier_sizes == {"<5": 1, "5-10": 2, "10-50": 2, ">50": 2}
    assert summary.failures["tasks"].tolist() == [2]


def test_report_shows_every_section_and_escapes_names(store_path):
    with SQLiteStore(store_path) as store:
        html = render_bench_report(summarize(store, baseline="smote"))
    assert html.count("<svg") == 2  # one critical-difference diagram per metric
    for text in ["Friedman test", "critical difference", "Wilcoxon", "IR 10-50 (2 sets)",
                 "win / tie / loss vs <code>smote</code>", 'id="timing"', "k_neighbors &gt; n_samples",
                 "brier (lower is better)"]:  # fmt: skip
        assert text in html, text
    assert "&lt;broken&gt; &amp; co" in html and "<broken>" not in html
    assert not re.search(r"""(src|href)=["']?https?:|url\(https?:|<link|<script""", html)


def test_an_unknown_baseline_or_an_empty_store_is_a_clear_error(store_path, tmp_path):
    with SQLiteStore(store_path) as store, pytest.raises(ValueError, match="baseline 'nope'"):
        summarize(store, baseline="nope")
    with (
        SQLiteStore(tmp_path / "empty.sqlite") as store,
        pytest.raises(ValueError, match="no results"),
    ):
        summarize(store)


def test_headless_chromium_renders_it_without_errors(store_path, tmp_path, chromium):
    with SQLiteStore(store_path) as store:
        path, _ = write_bench_report(store, tmp_path / "report.html")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    dom, log = chromium(path)
    assert 'id="metric-f1"' in dom and 'id="timing"' in dom
    assert dom.count("<svg") == 2
    console = [line for line in log.splitlines() if "CONSOLE" in line]
    assert not console, console
    assert "Failed to load resource" not in log
    shot = tmp_path / "report.png"
    chromium(path, screenshot=shot)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one


def test_a_store_of_active_learning_simulations_is_refused_with_the_right_command(tmp_path):
    path = tmp_path / "active.sqlite"
    with SQLiteStore(path) as store:
        store.check_config({"kind": "active-simulation", "metrics": ["macro_f1"]})
        store.add(Result("d", "random/lr", 0, 0, 0, "ok", metrics={"aulc_macro_f1": 0.5}))
        with pytest.raises(ValueError) as raised:
            summarize(store)
    message = str(raised.value)
    assert "holds active-learning simulations, not `skewlearn bench run` results" in message
    assert f"`skewlearn active report {path}`" in message
