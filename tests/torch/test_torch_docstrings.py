"""The Examples sections of skewlearn.torch run and print what they say."""

import doctest
import importlib

import pytest

MODULES = [
    "_losses._focal",
    "_losses._class_balanced",
    "_losses._ldam",
    "_losses._logit_adjusted",
    "_losses._iif",
    "_samplers",
    "_optim",
    "_posthoc",
]


@pytest.mark.parametrize("module", MODULES)
def test_examples_run(module):
    pytest.importorskip("torch.nn")
    mod = importlib.import_module(f"skewlearn.torch.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
