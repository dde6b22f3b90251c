"""Reading a results store from outside, as a second process would while a run writes it."""

import sqlite3
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
