"""Reading a results store from outside, as a second process would while a run writes it."""

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path


def count_stored_results(path: Path) -> int:
    """Rows committed to the store at ``path`` so far (0 before the file or its schema exist)."""
    if not path.exists():
        return 0
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not written yet
        return 0
    finally:
        connection.close()


def kill_after_results(child: subprocess.Popen, path: Path, results: int) -> int:
    """SIGKILL ``child`` once ``results`` rows are committed to its store (or it ends, or two
    minutes pass); the rows committed when it died."""
    deadline = time.monotonic() + 120
    while (
        count_stored_results(path) < results
        and child.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    return count_stored_results(path)
