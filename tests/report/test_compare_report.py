"""The compare report: what it shows, that it is self-contained, and that a browser renders it."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skewlearn.app import package_versions
from skewlearn.evaluation import Objective
from skewlearn.report import CompareReport, DataSummary, render_compare_report, write_compare_report
from skewlearn.select import AutoBalancedClassifier


def _report(n_classes: int) -> CompareReport:
    X, y = make_classification(
        n_samples=240,
        n_features=5,
        n_informative=3,
        n_classes=n_classes,
        weights=[0.8, 0.2] if n_classes == 2 else [0.7, 0.2, 0.1],
        random_state=0,
    )
    labels = np.array(["ok", "fraud", "chargeback"])[y]
    auto = AutoBalancedClassifier(["logreg", "logreg+balanced", "tree"], n_repeats=1).fit(X, labels)
    winner = auto.best_strategy_.name
    held_out = auto.selection_.out_of_fold(winner)
    objective = Objective("f1", auto.classes_, labels)
    counts = pd.Series(labels).value_counts()
    return CompareReport(
        title="synthetic <fraud> & co",
        data=DataSummary(240, 5, counts, {f"x{i}": "numeric" for i in range(5)}, {"x1": 3}),
        leaderboard=auto.leaderboard_,
        metric="f1",
        winner=winner,
        winner_description=auto.best_strategy_.description,
        y_true=labels,
        y_pred=held_out.y_pred,
        y_proba=held_out.y_proba,
        classes=auto.classes_,
        positive=objective.positive,
        score=objective.label_score,
        n_fits=auto.selection_.n_fits,
        elapsed=auto.selection_.elapsed,
        stop_reason=auto.selection_.stop_reason,
        command="skewlearn compare synthetic.csv --target label",
        versions=package_versions(),
        tie_tolerance=auto.tie_tolerance,
        decision_rule="the learner's default rule",
    )


@pytest.fixture(scope="module")
def binary_report():
    return _report(2)


def test_report_shows_choice_leaderboard_and_reproduction(binary_report):
    html = render_compare_report(binary_report)
    assert f"Selected: <code>{binary_report.winner}</code>" in html
    for strategy in binary_report.leaderboard["strategy"]:
        assert f"<code>{strategy}</code>" in html
    assert "skewlearn compare synthetic.csv --target label" in html
    assert binary_report.versions["scikit-learn"] in html
    assert "x1 (3)" in html  # missing values of the profile
    # class counts, leaderboard, PR/ROC, confusion matrix, threshold curve
    assert html.count("<svg") == 5


def test_report_escapes_user_text(binary_report):
    html = render_compare_report(binary_report)
    assert "synthetic &lt;fraud&gt; &amp; co" in html
    assert "<fraud>" not in html


def test_report_is_self_contained(binary_report):
    html = render_compare_report(binary_report)
    assert not re.search(r"""(src|href)=["']?https?:|url\(https?:|<link|<script""", html)


def test_multiclass_report_draws_one_curve_per_class_and_no_threshold():
    html = render_compare_report(_report(3))
    assert html.count("<svg") == 4
    for label in ("ok", "fraud", "chargeback"):
        assert label in html


def test_write_is_atomic(binary_report, tmp_path):
    path = write_compare_report(binary_report, tmp_path / "report.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_headless_chromium_renders_it_without_errors(binary_report, tmp_path, chromium):
    path = write_compare_report(binary_report, tmp_path / "report.html")
    dom, log = chromium(path)
    assert 'id="leaderboard"' in dom
    assert dom.count("<svg") == 5
    console = [line for line in log.splitlines() if "CONSOLE" in line]
    assert not console, console
    assert "Failed to load resource" not in log
    shot = tmp_path / "report.png"
    chromium(path, screenshot=shot)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one


@pytest.mark.parametrize("metric", ["f1", "mcc", "gmean", "cost:FN=5,FP=1"])
def test_threshold_curve_from_confusion_cells_matches_scoring_every_row(metric, monkeypatch):
    from skewlearn.report import _figures

    rng = np.random.default_rng(0)
    y = np.where(rng.random(500) < 0.2, "fraud", "ok")
    scores = np.clip(rng.normal(0.3, 0.2, 500) + (y == "fraud") * 0.3, 0, 1)
    objective = Objective(metric, np.array(["fraud", "ok"]), y)
    drawn = {}
    from matplotlib.axes import Axes

    monkeypatch.setattr(Axes, "plot", lambda self, x, v, **k: drawn.update(x=x, v=v))
    _figures.threshold_curve_svg(y, scores, objective.label_score, "fraud", "ok", metric)
    expected = [objective.label_score(y, np.where(scores >= t, "fraud", "ok")) for t in drawn["x"]]
    np.testing.assert_allclose(drawn["v"], expected, atol=1e-12)
