"""Headless Chromium, as a person opens a report: the page's DOM, and what the browser logged."""

import shutil
import subprocess

import pytest


@pytest.fixture
def chromium(tmp_path):
    """``open(path, screenshot=None, extra=()) -> (dom, log)``, ``extra`` being more flags;
    the run fails if the browser does."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "chromium is not installed: `make test` installs Debian's chromium package"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
    ]

    def open_page(path, screenshot=None, extra=()):
        action = ["--dump-dom"] if screenshot is None else [
            f"--screenshot={screenshot}", "--window-size=1200,2400"
        ]  # fmt: skip
        done = subprocess.run(
            [browser, *flags, *extra, *action, path.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout, done.stderr

    return open_page
