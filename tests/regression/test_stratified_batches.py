"""Stratified mini-batches: one row per target stratum, no repeats within a pass."""

import numpy as np
import pytest

from skewlearn.regression import StratifiedBatchSampler


def test_every_batch_has_one_row_per_stratum_and_no_row_repeats():
    y = np.random.default_rng(0).lognormal(size=103)
    sampler = StratifiedBatchSampler(y, batch_size=10, random_state=0)
    batches = list(sampler)
    assert len(batches) == len(sampler) == 10
    rank = np.argsort(np.argsort(y, kind="stable"), kind="stable")
    edges = np.cumsum([s.size for s in np.array_split(np.arange(103), 10)])
    for batch in batches:
        strata = np.searchsorted(edges, rank[batch], side="right")
        assert sorted(strata) == list(range(10))
    flat = np.concatenate(batches)
    assert np.unique(flat).size == flat.size
    # The largest target is in the top stratum, which every batch samples.
    assert all(max(y[b]) >= np.sort(y)[-11] for b in batches)


def test_passes_differ_and_seeds_reproduce():
    y = np.arange(40.0)
    a = StratifiedBatchSampler(y, 4, random_state=1)
    first, second = list(a), list(a)
    assert first != second
    assert list(StratifiedBatchSampler(y, 4, random_state=1)) == first


def test_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size"):
        StratifiedBatchSampler([1.0, 2.0], 3)
