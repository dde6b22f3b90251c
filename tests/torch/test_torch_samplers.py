"""Samplers of skewlearn.torch: class frequencies, schedules, nested expansion."""

import pytest

# "torch.nn", not "torch": tests/torch itself would pass for an empty "torch" namespace package.
pytest.importorskip("torch.nn")
import torch

import skewlearn.torch as slt

LABELS = torch.tensor([0] * 80 + [1] * 16 + [2] * 4)


def _class_shares(sampler):
    drawn = LABELS[list(sampler)]
    return torch.bincount(drawn, minlength=3).double() / len(drawn)


@pytest.mark.parametrize("q", [0.0, 0.5, 1.0])
def test_power_law_class_frequencies(q):
    sampler = slt.ClassPowerSampler(
        LABELS, q=q, num_samples=40_000, generator=torch.Generator().manual_seed(0)
    )
    expected = torch.tensor([80.0, 16, 4]) ** q
    expected /= expected.sum()
    torch.testing.assert_close(_class_shares(sampler), expected.double(), atol=0.01, rtol=0)
    assert len(sampler) == 40_000


def test_sampler_reproducible_with_seed_and_global_rng():
    a = list(slt.ClassPowerSampler(LABELS, generator=torch.Generator().manual_seed(3)))
    b = list(slt.ClassPowerSampler(LABELS, generator=torch.Generator().manual_seed(3)))
    assert a == b
    torch.manual_seed(1)
    c = list(slt.ClassPowerSampler(LABELS))
    torch.manual_seed(1)
    assert c == list(slt.ClassPowerSampler(LABELS))
    with pytest.raises(ValueError, match="1-D"):
        slt.ClassPowerSampler(torch.zeros(3, 2, dtype=torch.long))


def test_progressive_sampler_moves_from_instance_to_class_balanced():
    sampler = slt.ProgressiveClassSampler(LABELS, num_epochs=4)
    instance = torch.full((100,), 0.01, dtype=torch.float64)
    torch.testing.assert_close(sampler.sample_weights(), instance)
    sampler.set_epoch(4)
    per_class = torch.zeros(3, dtype=torch.float64).index_add(0, LABELS, sampler.sample_weights())
    torch.testing.assert_close(per_class, torch.full((3,), 1 / 3, dtype=torch.float64))
    sampler.set_epoch(2)
    half = torch.zeros(3, dtype=torch.float64).index_add(0, LABELS, sampler.sample_weights())
    torch.testing.assert_close(half, 0.5 * torch.tensor([0.8, 0.16, 0.04]).double() + 0.5 / 3)
    assert len(list(sampler)) == 100


def test_progressive_data_expansion_nested_and_balanced():
    sampler = slt.ProgressiveDataExpansionSampler(
        LABELS,
        warmup_epochs=2,
        expansion_size=30,
        expansion_every=2,
        generator=torch.Generator().manual_seed(0),
    )
    seen = []
    for epoch in range(9):
        sampler.set_epoch(epoch)
        order = list(sampler)
        assert sorted(order) == sorted(sampler.active_indices().tolist())
        assert len(set(order)) == len(order) == len(sampler)
        seen.append(set(order))
    core = torch.bincount(LABELS[list(seen[0])], minlength=3)
    assert core.tolist() == [4, 4, 4]
    assert [len(s) for s in seen] == [12, 12, 42, 42, 72, 72, 100, 100, 100]
    assert all(a <= b for a, b in zip(seen, seen[1:]))
    with pytest.raises(ValueError, match="expansion_size"):
        slt.ProgressiveDataExpansionSampler(LABELS, 1, 0)
