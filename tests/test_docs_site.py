"""The built documentation site: complete, executed, and readable offline in a browser.

`make docs` builds docs/_build/html; `make test` builds it first and sets
SKEWLEARN_REQUIRE_DOCS=1, so a missing build fails there. A plain `pytest` without a build skips.
"""

import json
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "docs" / "_build" / "html"
GALLERY = ROOT / "docs" / "examples"
sys.path.insert(0, str(ROOT / "docs" / "_tools"))

from api_pages import public_modules  # noqa: E402

# Markup that makes a browser fetch something at view time (links a reader clicks are fine).
FETCHING = re.compile(
    r"""<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc=["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref=["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site() -> Path:
    if not (HTML / "index.html").exists():
        message = f"the documentation is not built ({HTML} is missing): run `make docs` first"
        if os.environ.get("SKEWLEARN_REQUIRE_DOCS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return HTML


def test_api_reference_has_a_page_for_every_public_name(site):
    modules = public_modules()
    assert {"skewlearn.metrics", "skewlearn.resample", "skewlearn.select"} <= set(modules)
    missing = []
    for module in modules:
        names = __import__(module, fromlist=["__all__"]).__all__
        assert (site / "api" / f"{module}.html").exists(), module
        missing += [
            f"{module}.{name}"
            for name in names
            if not (site / "api" / "generated" / f"{module}.{name}.html").exists()
        ]
    assert not missing, f"no API page (rebuild with `make docs`): {missing}"


def test_every_gallery_example_was_executed_with_its_run_time(site):
    examples = sorted(GALLERY.glob("plot_*.py"))
    assert 10 <= len(examples) <= 15
    for example in examples:
        page = (site / "auto_examples" / f"{example.stem}.html").read_text(encoding="utf-8")
        assert "Total running time of the script" in page, example.name
        assert "sphx-glr-script-out" in page, f"{example.name} printed nothing"


def test_no_page_fetches_from_the_network(site):
    offenders = []
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        for match in FETCHING.finditer(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{path.relative_to(site)}: {match.group(0)}")
    assert not offenders, offenders[:10]


# The pydata theme's script logs what it did on every page load (console.log; Chromium logs a
# page's console at one level whatever the call, so these two notes are recognised by their
# text). Its other messages report failures and still fail the test.
THEME_NOTE = re.compile(
    r'"\[PST\]: (?:Changed to \w+ mode using the \w+ theme\.'
    r'|Scrolled sidebar using (?:last active link|stored browser position)\.\.\.)", '
    r"source: file://\S+/_static/scripts/pydata-sphinx-theme\.js"
)


def _page_requests(net_log: Path) -> list[str]:
    """URLs the page asked Chromium's network stack for, from its --log-net-log file.

    A request has an initiator: the page's origin ("null" for a file:// page), or "not an
    origin" for the browser's own background requests (time, updates), which are not the
    page's doing. File loads do not go through the network stack.
    """
    text = net_log.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):  # a log cut short at exit lacks its closing brackets
        text += "]}"
    urls, by_page = {}, set()
    for event in json.loads(text).get("events", []):
        params, source = event.get("params") or {}, event["source"]["id"]
        if "url" in params:
            urls.setdefault(source, params["url"])
        if params.get("initiator", "not an origin") != "not an origin":
            by_page.add(source)
    return sorted(urls[source] for source in by_page if source in urls)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("index.html", "Getting started"),
        ("api/generated/skewlearn.decision.DecisionTunedClassifier.html", "decision_rule_"),
        ("auto_examples/plot_threshold_vs_smote.html", "tuned threshold"),
    ],
)
def test_page_renders_in_headless_chromium_without_errors_or_fetches(
    site, page, expected, tmp_path, chromium
):
    path = site / page
    assert path.exists(), f"{page} is missing from the build"
    net_log = tmp_path / "net-log.json"
    dom, log = chromium(
        path,
        extra=[
            # A fetch would fail at once instead of waiting on the network; the net log has it.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--log-net-log={net_log}",
            "--virtual-time-budget=5000",
        ],
    )
    assert expected in dom
    console = [
        line for line in log.splitlines() if "CONSOLE" in line and not THEME_NOTE.search(line)
    ]
    assert not console, console
    assert "Failed to load resource" not in log
    assert not _page_requests(net_log)
