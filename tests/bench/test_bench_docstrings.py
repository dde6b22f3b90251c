"""The Examples sections of the bench modules run and print what they say."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["_tasks", "_runner", "_stats", "_report"])
def test_examples_run(module):
    mod = importlib.import_module(f"skewlearn.bench.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
