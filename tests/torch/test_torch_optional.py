"""PyTorch stays optional: only skewlearn.torch imports it, and says how to install it."""

import subprocess
import sys

import pytest


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_no_other_module_imports_torch():
    code = """
import importlib, pkgutil, sys
import skewlearn
# walk_packages imports every package it walks into, so skewlearn.torch is left out by hand.
for top in pkgutil.iter_modules(skewlearn.__path__, "skewlearn."):
    if top.name == "skewlearn.torch":
        continue
    module = importlib.import_module(top.name)
    for sub in pkgutil.walk_packages(getattr(module, "__path__", []), top.name + "."):
        importlib.import_module(sub.name)
assert not any(k == "torch" or k.startswith("torch.") for k in sys.modules), "torch was imported"
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr


def test_skewlearn_torch_without_torch_says_what_to_install():
    result = _run("import sys; sys.modules['torch'] = None; import skewlearn.torch")
    assert result.returncode != 0
    assert "pip install 'skewlearn[torch]'" in result.stderr


def test_public_names_are_exported():
    pytest.importorskip("torch.nn")
    import skewlearn.torch as slt

    assert all(hasattr(slt, name) for name in slt.__all__)
