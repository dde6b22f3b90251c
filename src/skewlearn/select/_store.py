"""Where the selector records fold results (its "storage").

The selector only calls :meth:`add` and :meth:`results`; a durable store (SQLite, for long
benchmark runs) implements the same two methods.
"""

from __future__ import annotations

from typing import Protocol

from skewlearn.select._evaluate import FoldResult


class ResultStore(Protocol):
    def add(self, result: FoldResult) -> None: ...

    def results(self) -> list[FoldResult]: ...


class MemoryStore:
    """Keep results in memory, one per (strategy, fold); a repeated result replaces the old one.

    Examples
    --------
    >>> store = MemoryStore()
    >>> store.results()
    []
    """

    def __init__(self) -> None:
        self._results: dict[tuple[str, int], FoldResult] = {}

    def add(self, result: FoldResult) -> None:
        self._results[(result.strategy, result.fold)] = result

    def results(self) -> list[FoldResult]:
        return list(self._results.values())
