"""A results file that a long benchmark appends to as each piece finishes, so that a stopped
run resumes where it stopped (and refuses to mix results of another configuration)."""

from __future__ import annotations

import json
from pathlib import Path


class Progress:
    """``<path>``: one JSON line per finished piece: the run's configuration, the piece's
    name under ``key`` and its results.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "run-progress.jsonl"
    >>> Progress(path, {"seed": 0}).add("iris", {"score": 1.0})
    >>> Progress(path, {"seed": 0}).done
    {'iris': {'score': 1.0}}
    >>> Progress(path, {"seed": 1})
    Traceback (most recent call last):
    ...
    SystemExit: ... holds results of another configuration ({'seed': 0}); use another --tag, ...
    """

    def __init__(self, path: Path, config: dict, key: str = "dataset"):
        self.path = path
        self.key = key
        self.config = json.loads(json.dumps(config))
        self.done: dict[str, dict] = {}
        if not path.exists():
            return
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                # A line cut short by a kill is the last one: that piece simply runs again.
                print(f"{path}:{number}: incomplete line ignored", flush=True)
                continue
            if record["config"] != self.config:
                raise SystemExit(
                    f"{path} holds results of another configuration ({record['config']}); "
                    "use another --tag, or delete the file to start over."
                )
            name = record.pop(self.key)
            del record["config"]
            self.done[name] = record

    def add(self, key: str, payload: dict) -> None:
        """Record one finished piece (written and flushed at once)."""
        self.done[key] = payload
        line = json.dumps({"config": self.config, self.key: key, **payload}, default=float)
        with open(self.path, "a") as out:
            out.write(line + "\n")
