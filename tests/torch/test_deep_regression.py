"""Deep imbalanced regression: Balanced MSE, ConR, FDS and classification over bins."""

import math

import numpy as np
import pytest

pytest.importorskip("torch.nn")
import torch

from skewlearn.regression import StratifiedBatchSampler, lds_kernel_window
from skewlearn.torch.regression import (
    BalancedMSELoss,
    BinnedRegressionLoss,
    FeatureDistributionSmoothing,
    balanced_mse_loss,
    bin_targets,
    conr_loss,
    target_bin_edges,
)


def test_balanced_mse_matches_its_formula():
    pred = torch.tensor([0.0, 1.0, 3.0], dtype=torch.float64)
    y = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
    var = 0.7
    expected = 0.0
    for i in range(3):
        logits = [-((pred[i] - y[j]) ** 2).item() / (2 * var) for j in range(3)]
        expected -= logits[i] - math.log(sum(math.exp(v) for v in logits))
    expected *= 2 * var / 3
    assert balanced_mse_loss(pred, y, var).item() == pytest.approx(expected, rel=1e-12)
    assert balanced_mse_loss(pred[:, None], y[:, None], var).item() == pytest.approx(expected)


def test_balanced_mse_learns_sigma_and_pulls_predictions_to_their_targets():
    criterion = BalancedMSELoss(init_noise_sigma=2.0)
    pred = torch.zeros(4, requires_grad=True)
    criterion(pred, torch.tensor([-1.0, 0.0, 1.0, 6.0])).backward()
    assert criterion.noise_sigma.grad is not None
    assert pred.grad[3] < 0 < pred.grad[0]  # move up towards 6, down towards -1
    frozen = BalancedMSELoss(learn_noise=False)
    assert not list(frozen.parameters())


def _conr_reference(features, y, pred, window, temperature, pushing):
    q = features / np.linalg.norm(features, axis=1, keepdims=True)
    s = q @ q.T / temperature
    n = len(y)
    total = 0.0
    for i in range(n):
        pos = [j for j in range(n) if j != i and abs(y[i] - y[j]) <= window]
        neg = [
            k for k in range(n) if abs(y[i] - y[k]) > window and abs(pred[i] - pred[k]) <= window
        ]
        if not pos or not neg:
            continue
        den = sum(np.exp(s[i, p]) for p in pos) + sum(
            np.exp(pushing * abs(y[i] - y[k])) * np.exp(s[i, k]) for k in neg
        )
        total += -np.mean([s[i, j] - np.log(den) for j in pos])
    return total / n


def test_conr_matches_its_definition():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(7, 3))
    y = np.array([0.0, 0.3, 0.6, 4.0, 4.2, 9.0, 9.1])
    pred = np.array([0.1, 4.0, 0.5, 4.1, 0.2, 9.0, 4.0])
    expected = _conr_reference(features, y, pred, 0.5, 0.2, 0.01)
    got = conr_loss(
        torch.tensor(features), torch.tensor(y), torch.tensor(pred), window=0.5, pushing=0.01
    )
    assert expected > 0 and got.item() == pytest.approx(expected, rel=1e-10)


def test_conr_is_zero_without_confusions():
    features = torch.randn(4, 2)
    y = torch.tensor([0.0, 0.1, 5.0, 5.1])
    assert conr_loss(features, y, y.clone()).item() == 0.0


def test_binned_regression_loss_adds_the_bin_cross_entropy():
    y = torch.tensor([0.1, 0.5, 2.5, 9.0])
    edges = target_bin_edges(y, 3)
    np.testing.assert_array_equal(bin_targets(y, edges).numpy(), [0, 0, 0, 2])
    logits = torch.randn(4, 3)
    pred = y + 1.0
    expected = 1.0 + 0.5 * torch.nn.functional.cross_entropy(logits, bin_targets(y, edges))
    loss = BinnedRegressionLoss(edges, cls_weight=0.5)(pred, logits, y)
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    quantile = target_bin_edges(torch.arange(100.0), 4, "quantile")
    assert torch.bincount(bin_targets(torch.arange(100.0), quantile)).tolist() == [25] * 4
    with pytest.raises(ValueError, match="logits"):
        BinnedRegressionLoss(edges)(pred, torch.randn(4, 2), y)


def test_fds_statistics_smoothing_and_calibration():
    torch.manual_seed(0)
    edges = torch.arange(0.0, 6.0)  # 5 bins
    fds = FeatureDistributionSmoothing(2, edges, kernel="triang", size=3, momentum=0.5)
    y = torch.arange(5).repeat_interleave(20).float() + 0.5
    z = torch.randn(100, 2) + y[:, None]
    for start in range(0, 100, 25):  # batches
        fds.update(z[start : start + 25], y[start : start + 25])
    fds.end_epoch()
    means = torch.stack([z[y.long() == b].mean(0) for b in range(5)])
    torch.testing.assert_close(fds.running_mean, means)
    window = torch.tensor(lds_kernel_window("triang", 3), dtype=torch.float32)
    window = window / window.sum()
    padded = torch.cat([means[1:2], means, means[3:4]])  # reflect
    smoothed = torch.stack([window @ padded[b : b + 3] for b in range(5)])
    torch.testing.assert_close(fds.smoothed_mean, smoothed)
    # Calibration maps each bin's mean to its smoothed mean; eval mode leaves features alone.
    out = fds(z, y)
    torch.testing.assert_close(
        torch.stack([out[y.long() == b].mean(0) for b in range(5)]), smoothed, atol=1e-5, rtol=0
    )
    fds.eval()
    assert torch.equal(fds(z, y), z)
    # A second epoch blends with momentum 0.5.
    fds.train()
    fds.update(z + 1.0, y)
    fds.end_epoch()
    torch.testing.assert_close(fds.running_mean, means + 0.5)


def test_stratified_batches_drive_a_dataloader():
    y = np.random.default_rng(0).lognormal(size=64)
    dataset = torch.utils.data.TensorDataset(torch.randn(64, 3), torch.tensor(y))
    sampler = StratifiedBatchSampler(y, batch_size=8, random_state=0)
    loader = torch.utils.data.DataLoader(dataset, batch_sampler=sampler)
    batches = list(loader)
    assert len(batches) == 8 and all(b[0].shape == (8, 3) for b in batches)
    top = np.sort(y)[-8:]
    assert all(np.isin(b[1].numpy(), top).sum() == 1 for b in batches)
