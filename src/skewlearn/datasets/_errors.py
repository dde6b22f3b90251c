"""Errors and warnings raised while reading data."""

from __future__ import annotations


class DataError(ValueError):
    """A dataset or data file cannot be used as it is; the message says why and what to do.

    Every error of ``skewlearn.datasets`` derives from it, so ``except DataError`` catches
    them all. Two subclasses also derive from the built-in error a caller may expect:
    an unknown dataset name is a ``KeyError`` and a missing file a ``FileNotFoundError``.
    """


class DataWarning(UserWarning):
    """The data can be used, but something in it deserves attention."""


class UnknownDatasetError(DataError, KeyError):
    """No embedded dataset has the requested name."""

    # KeyError would show the message in quotes, escaped like a dictionary key.
    def __str__(self) -> str:
        return str(self.args[0])


class DataFileNotFoundError(DataError, FileNotFoundError):
    """The data file does not exist."""
