"""The Examples of the public functions run as written."""

import doctest

import pytest

from skewlearn.datasets import _catalog, _embedded, _profile, _schema, _table


@pytest.mark.parametrize("module", [_catalog, _embedded, _profile, _schema, _table])
def test_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
