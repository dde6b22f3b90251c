"""The Examples sections of the public functions run and print what they say."""

import doctest
import importlib

import pytest

MODULES = [
    "_labels",
    "_classification",
    "_scores",
    "_cost",
    "_scorer",
    "_registry",
    "_report",
]


@pytest.mark.parametrize("module", MODULES)
def test_examples_run(module):
    mod = importlib.import_module(f"skewlearn.metrics.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
