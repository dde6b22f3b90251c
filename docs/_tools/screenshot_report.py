"""Shoot the compare report at 1280 px wide into docs/_static/ (a committed PNG).

Runs ``skewlearn compare`` on the embedded demo set into a temporary folder, then opens its
``report.html`` in headless Chromium, as a reader's browser would, with the network cut off.
Rerun it after a change to the report: ``.venv/bin/python docs/_tools/screenshot_report.py``.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]


def chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("chromium is not installed: `make browser` installs Debian's chromium package")
    return browser


def shoot(html: Path, png: Path, width: int, height: int, profile: Path) -> None:
    """Screenshot ``html`` at ``width`` x ``height`` CSS pixels into ``png``."""
    subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={width},{height}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "_static" / "compare-report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2200)
    args = parser.parse_args()
    skewlearn = Path(sys.executable).with_name("skewlearn")
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        subprocess.run(
            [str(skewlearn), "compare", "--out", str(run), "--quiet", "--n-jobs", "2"],
            check=True,
        )
        shoot(run / "report.html", args.out, args.width, args.height, Path(tmp) / "profile")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
