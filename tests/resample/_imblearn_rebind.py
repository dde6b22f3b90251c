"""pytest plugin: run imbalanced-learn's own test files with its classes swapped for ours.

Loaded by ``test_imblearn_suite.py`` in a separate pytest run over the test files installed
with imbalanced-learn.  Each collected test module's global of a name we implement (the
class under test and the samplers it is combined with) is rebound to our class, and each
instance of such a class given by ``parametrize`` is rebuilt as ours with the same
parameters; imbalanced-learn's own package is left alone.  The outcome of every test, and
the names rebound in each file, are written as JSON to the path in
``SKEWLEARN_IMBLEARN_OUTCOMES``.
"""

from __future__ import annotations

import json
import os

from imblearn.base import SamplerMixin
from sklearn.base import BaseEstimator

from skewlearn import resample

# Our samplers (imbalanced-learn's own classes extended to take weights among them).
OURS = {
    name: getattr(resample, name)
    for name in resample.__all__
    if isinstance(getattr(resample, name), type)
    and issubclass(getattr(resample, name), SamplerMixin)
}
_outcomes: dict[str, str] = {}
_rebound: dict[str, set[str]] = {}


def _ours(value):
    cls = OURS.get(type(value).__name__)
    if cls is None or not isinstance(value, BaseEstimator) or isinstance(value, cls):
        return value
    return cls(**value.get_params(deep=False))


def pytest_collection_modifyitems(items):
    for item in items:
        module = getattr(item, "module", None)
        rebound = _rebound.setdefault(item.nodeid.split("::")[0], set())
        for name, cls in OURS.items():
            if module is not None and name in vars(module):
                setattr(module, name, cls)
                rebound.add(name)
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            for key, value in callspec.params.items():
                callspec.params[key] = _ours(value)


def pytest_runtest_logreport(report):
    if report.failed:
        _outcomes[report.nodeid] = "failed"
    elif report.skipped:
        _outcomes.setdefault(report.nodeid, "skipped")
    elif report.when == "call":
        _outcomes.setdefault(report.nodeid, "passed")


def pytest_sessionfinish(session):
    with open(os.environ["SKEWLEARN_IMBLEARN_OUTCOMES"], "w") as out:
        rebound = {file: sorted(names) for file, names in _rebound.items()}
        json.dump({"outcomes": _outcomes, "rebound": rebound}, out, indent=1, sort_keys=True)
