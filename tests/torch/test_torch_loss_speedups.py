"""Restructured losses of skewlearn.torch against their direct (dense, one-hot) formulas.

The losses compute only the target column, fuse interpolations into ``lerp`` and use fixed-size
scatter-adds instead of masks (benchmarks/deep_lt_gpu.py); these tests hold their values and
gradients to the textbook formulas, written here with full probability and one-hot matrices.
"""

from functools import partial

import pytest

pytest.importorskip("torch.nn")
import torch

import skewlearn.torch as slt

F = torch.nn.functional

N, C = 12, 5
WEIGHT = torch.tensor([0.5, 1.0, 4.0, 2.0, 0.0], dtype=torch.float64)


def _batch(seed=0, scale=3.0):
    g = torch.Generator().manual_seed(seed)
    logits = (scale * torch.randn(N, C, generator=g, dtype=torch.float64)).requires_grad_()
    target = torch.randint(0, C - 1, (N,), generator=g)  # class C - 1 stays empty
    target[[2, 7]] = -100
    soft = torch.rand(N, C, generator=g, dtype=torch.float64)
    hard = (soft > 0.6).double()
    return logits, target, soft, hard


def _reduce_rows(loss, target, weight, reduction):
    valid = target != -100
    w = valid.double() * (weight[target.clamp_min(0)] if weight is not None else 1.0)
    loss = torch.where(valid, loss * w, 0.0)
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]


def _focal_ref(logits, target, gamma, weight=None, reduction="mean"):
    p = F.softmax(logits, dim=1)
    one_hot = F.one_hot(target.clamp_min(0), C).double()
    p_y = (p * one_hot).sum(1)
    return _reduce_rows(-((1 - p_y) ** gamma) * torch.log(p_y), target, weight, reduction)


def _asl_single_ref(logits, target, gamma_pos, gamma_neg, eps, reduction="mean"):
    p = F.softmax(logits, dim=1)
    one_hot = F.one_hot(target.clamp_min(0), C).double()
    focus = one_hot * (1 - p) ** gamma_pos + (1 - one_hot) * p**gamma_neg
    smoothed = one_hot * (1 - eps) + eps / C
    loss = -(smoothed * focus * torch.log(p)).sum(1)
    return _reduce_rows(loss, target, None, reduction)


def _ldam_ref(logits, target, counts, max_margin, scale):
    margins = torch.tensor(counts, dtype=torch.float64) ** -0.25
    margins = margins * max_margin / margins.max()
    one_hot = F.one_hot(target.clamp_min(0), C).double()
    return F.cross_entropy(
        scale * (logits - one_hot * margins[target.clamp_min(0)][:, None]), target
    )


def _dice_ref(logits, target, alpha, gamma):
    valid = (target != -100).double()[:, None]
    p = F.softmax(logits, dim=1)
    y = F.one_hot(target.clamp_min(0), C).double() * valid
    q = (1 - p) ** alpha * p * valid
    num, den = 2 * (q * y).sum(0) + gamma, q.sum(0) + y.sum(0) + gamma
    return (1 - torch.where(den == 0, 1.0, num / torch.where(den == 0, 1.0, den))).mean()


def _sigmoid_focal_ref(logits, target, gamma, alpha):
    p = torch.sigmoid(logits)
    p_t = p * target + (1 - p) * (1 - target)
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    return (bce * (1 - p_t) ** gamma * (alpha * target + (1 - alpha) * (1 - target))).mean()


def _asl_ref(logits, target, gamma_pos, gamma_neg, clip):
    p = torch.sigmoid(logits)
    p_m = (p - clip).clamp_min(0)
    loss = target * (1 - p) ** gamma_pos * torch.log(p)
    loss = loss + (1 - target) * p_m**gamma_neg * torch.log(1 - p_m)
    return -loss.mean()


def _auc_ref(logits, target, p, a, b, margin):
    h = torch.sigmoid(logits)
    pos, neg = target, 1 - target
    square = (1 - p) * ((h - a) ** 2 * pos).mean(0) + p * ((h - b) ** 2 * neg).mean(0)
    alpha = (margin + (h * neg).mean(0) / (1 - p) - (h * pos).mean(0) / p).clamp_min(0)
    return (square + p * (1 - p) * alpha**2).mean()


def _assert_same(new, ref, logits):
    torch.testing.assert_close(new, ref)
    (g_new,) = torch.autograd.grad(new.sum(), logits)
    (g_ref,) = torch.autograd.grad(ref.sum(), logits)
    torch.testing.assert_close(g_new, g_ref)


@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 3.5])
@pytest.mark.parametrize("weight", [None, WEIGHT])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_focal_matches_dense_formula(gamma, weight, reduction):
    logits, target, _, _ = _batch()
    new = slt.focal_loss(logits, target, gamma, weight, reduction=reduction)
    _assert_same(new, _focal_ref(logits, target, gamma, weight, reduction), logits)


@pytest.mark.parametrize(
    ("gamma_pos", "gamma_neg", "eps"),
    [(0.0, 4.0, 0.1), (1.0, 2.0, 0.3), (0.5, 0.0, 0.2), (1.0, 4.0, 0.0)],
)
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_asl_single_label_matches_dense_formula(gamma_pos, gamma_neg, eps, reduction):
    logits, target, _, _ = _batch(1)
    new = slt.asymmetric_single_label_loss(
        logits, target, gamma_pos, gamma_neg, eps, reduction=reduction
    )
    ref = _asl_single_ref(logits, target, gamma_pos, gamma_neg, eps, reduction)
    _assert_same(new, ref, logits)


@pytest.mark.parametrize(("max_margin", "scale"), [(0.5, 30.0), (0.3, 1.0)])
def test_ldam_matches_dense_formula(max_margin, scale):
    logits, target, _, _ = _batch(2, scale=0.3)
    counts = [100, 40, 10, 3, 1]
    new = slt.ldam_loss(logits, target, counts, max_margin, scale)
    _assert_same(new, _ldam_ref(logits, target, counts, max_margin, scale), logits)


@pytest.mark.parametrize(("alpha", "gamma"), [(1.0, 1.0), (0.5, 0.0), (0.0, 0.1), (2.0, 1.0)])
def test_dice_matches_dense_formula(alpha, gamma):
    logits, target, _, _ = _batch(3)
    new = slt.self_adjusting_dice_loss(logits, target, alpha, gamma)
    _assert_same(new, _dice_ref(logits, target, alpha, gamma), logits)


@pytest.mark.parametrize("targets", ["soft", "hard"])
@pytest.mark.parametrize(("gamma", "alpha"), [(2.0, 0.25), (0.5, 0.9), (0.0, 0.5)])
def test_sigmoid_focal_matches_dense_formula(targets, gamma, alpha):
    logits, _, soft, hard = _batch(4)
    y = soft if targets == "soft" else hard
    new = slt.sigmoid_focal_loss(logits, y, gamma, alpha)
    _assert_same(new, _sigmoid_focal_ref(logits, y, gamma, alpha), logits)


@pytest.mark.parametrize("targets", ["soft", "hard"])
@pytest.mark.parametrize(
    ("gamma_pos", "gamma_neg", "clip"), [(0.0, 4.0, 0.05), (1.0, 2.0, 0.0), (0.5, 0.0, 0.2)]
)
def test_asl_matches_dense_formula(targets, gamma_pos, gamma_neg, clip):
    logits, _, soft, hard = _batch(5)
    y = soft if targets == "soft" else hard
    new = slt.asymmetric_loss(logits, y, gamma_pos, gamma_neg, clip)
    _assert_same(new, _asl_ref(logits, y, gamma_pos, gamma_neg, clip), logits)


@pytest.mark.parametrize("targets", ["soft", "hard"])
def test_auc_margin_matches_dense_formula(targets):
    logits, _, soft, hard = _batch(6)
    y = soft if targets == "soft" else hard
    p = torch.tensor([0.1, 0.3, 0.5, 0.7, 0.2], dtype=torch.float64)
    a, b = torch.linspace(0, 1, C, dtype=torch.float64), torch.full((C,), 0.2, dtype=torch.float64)
    new = slt.auc_margin_loss(logits, y, p, a, b, margin=0.8)
    _assert_same(new, _auc_ref(logits, y, p, a, b, 0.8), logits)


@pytest.mark.parametrize("loss", ["ce", "focal"])
def test_grad_norm_fast_path_matches_general_path(loss):
    """Class-index targets take the sync-free path; float targets the unique-based one."""
    logits, target, _, _ = _batch(7)
    base = (
        partial(F.cross_entropy, reduction="none")
        if loss == "ce"
        else slt.FocalLoss(reduction="none")
    )
    wrapper = slt.PerClassGradNormLoss(base)

    def as_float_targets(z, t):
        return base(z, t.long())

    general = slt.PerClassGradNormLoss(as_float_targets)
    fast_value = wrapper(logits, target)
    (fast_grad,) = torch.autograd.grad(fast_value, logits)
    general_value = general(logits, target.double())
    (general_grad,) = torch.autograd.grad(general_value, logits)
    torch.testing.assert_close(fast_value, general_value)
    torch.testing.assert_close(fast_grad, general_grad)
    with torch.no_grad():
        torch.testing.assert_close(wrapper(logits, target), general_value.detach())
