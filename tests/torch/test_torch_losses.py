"""Losses of skewlearn.torch: hand-computed values, limits, reductions, extremes, half precision."""

import math
from functools import partial

import numpy as np
import pytest

# "torch.nn", not "torch": tests/torch itself would pass for an empty "torch" namespace package.
pytest.importorskip("torch.nn")
import torch
from scipy.stats import norm

import skewlearn.torch as slt
from skewlearn.weighting import compute_class_weights

F = torch.nn.functional

COUNTS = [50, 10, 2]


def _rand_logits(n=6, c=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, c, generator=g, dtype=torch.float64)


TARGET = torch.tensor([0, 1, 2, 0, 1, 0])

# Single-label losses with class-index targets: name -> loss(logits, target, **kwargs).
SINGLE_LABEL = {
    "focal": partial(slt.focal_loss, gamma=2.0),
    "ldam": partial(slt.ldam_loss, class_counts=COUNTS, scale=1.0),
    "ldam_s30": partial(slt.ldam_loss, class_counts=COUNTS),
    "la": partial(slt.logit_adjusted_loss, class_counts=COUNTS),
    "balanced_softmax": partial(slt.balanced_softmax_loss, class_counts=COUNTS),
    "iif": partial(slt.iif_loss, class_counts=COUNTS, variant="smooth"),
    "asl_single": partial(slt.asymmetric_single_label_loss, gamma_pos=1.0, gamma_neg=4.0),
    "asl_single_low_gamma": partial(slt.asymmetric_single_label_loss, gamma_pos=0.5),
}
# Element-wise (binary / multi-label) losses with 0/1 targets of the logits' shape.
MULTI_LABEL = {
    "sigmoid_focal": partial(slt.sigmoid_focal_loss, gamma=2.0),
    "sigmoid_focal_low_gamma": partial(slt.sigmoid_focal_loss, gamma=0.5),
    "asl": partial(slt.asymmetric_loss, gamma_pos=1.0, gamma_neg=4.0, clip=0.05),
    "asl_no_clip": partial(slt.asymmetric_loss, gamma_pos=0.5, gamma_neg=0.5, clip=0.0),
}
# Losses pooled over the batch.
POOLED = {
    "dice": partial(slt.self_adjusting_dice_loss, alpha=1.0, gamma=1.0),
    "dice_no_smoothing": partial(slt.self_adjusting_dice_loss, alpha=0.5, gamma=0.0),
}


# --- hand-computed values ---------------------------------------------------------------


def test_focal_hand_value():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    p0 = math.exp(2) / (math.exp(2) + 1)
    p1 = math.e / (1 + math.e)
    expected = ((1 - p0) ** 2 * -math.log(p0) + (1 - p1) ** 2 * -math.log(p1)) / 2
    got = slt.focal_loss(logits, torch.tensor([0, 1]), gamma=2.0)
    assert got.item() == pytest.approx(expected, rel=1e-6)


def test_sigmoid_focal_hand_value():
    got = slt.sigmoid_focal_loss(torch.tensor([0.0]), torch.tensor([1.0]), gamma=2.0, alpha=0.25)
    assert got.item() == pytest.approx(0.25 * 0.5**2 * math.log(2), rel=1e-6)


def test_class_balanced_hand_value_and_oracle():
    # beta = 0.5: E_2 = (1 - 0.25) / 0.5 = 1.5, E_1 = 1 -> weights 2/3, 1 -> scaled to sum 2.
    got = slt.class_balanced_weights([2, 1], beta=0.5)
    assert got.tolist() == pytest.approx([0.8, 1.2])
    # Same shape of weights as the numpy effective-number scheme (which scales differently).
    y = np.repeat(np.arange(3), COUNTS)
    ours = slt.class_balanced_weights(COUNTS, beta=0.99).numpy()
    theirs = np.array(list(compute_class_weights(y, "effective_number", beta=0.99).values()))
    np.testing.assert_allclose(ours / ours.sum(), theirs / theirs.sum(), rtol=1e-6)


def test_ldam_hand_value():
    # n^-1/4 for [16, 1] is [0.5, 1]; scaled so the largest is 0.5: margins [0.25, 0.5].
    assert slt.ldam_margins([16, 1]).tolist() == pytest.approx([0.25, 0.5])
    logits = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    got = slt.ldam_loss(logits, torch.tensor([0, 1]), [16, 1], scale=2.0, reduction="none")
    first = -2 * 0.75 + math.log(math.exp(2 * 0.75) + 1)
    second = 2 * 0.5 + math.log(math.exp(2) + math.exp(-1))
    assert got.tolist() == pytest.approx([first, second], rel=1e-6)


def test_drw_schedule():
    assert slt.drw_weights(COUNTS, 4, start_epoch=5).tolist() == [1.0, 1.0, 1.0]
    late = slt.drw_weights(COUNTS, 5, start_epoch=5, beta=0.99)
    assert torch.equal(late, slt.class_balanced_weights(COUNTS, beta=0.99))


def test_logit_adjusted_hand_value():
    got = slt.logit_adjusted_loss(torch.zeros(1, 2), torch.tensor([1]), [3, 1], tau=2.0)
    # z + 2 log pi = [2 log .75, 2 log .25]; softmax of class 1 = .0625 / (.5625 + .0625).
    assert got.item() == pytest.approx(-math.log(0.0625 / 0.625), rel=1e-6)


def test_balanced_softmax_is_its_definition():
    logits = _rand_logits()
    n = torch.tensor(COUNTS, dtype=torch.float64)
    numerator = n[TARGET] * logits.exp().gather(1, TARGET[:, None]).squeeze(1)
    expected = -torch.log(numerator / (n * logits.exp()).sum(1)).mean()
    got = slt.balanced_softmax_loss(logits, TARGET, COUNTS)
    # float32 offsets: agreement to float32 precision.
    assert got.item() == pytest.approx(expected.item(), rel=1e-6)


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("raw", [math.log(4 / 3), math.log(4)]),
        ("smooth", [math.log(5 / 4) + 1, math.log(5 / 2) + 1]),
        ("rel", [math.log(1 / 3), math.log(3)]),
        ("normit", [-norm.ppf(0.75), -norm.ppf(0.25)]),
        ("gombit", [-math.log(-math.log(0.25)), -math.log(-math.log(0.75))]),
        ("base2", [math.log2(4 / 3), 2.0]),
        ("base10", [math.log10(4 / 3), math.log10(4)]),
    ],
)
def test_iif_variants(variant, expected):
    assert slt.iif_weights([3, 1], variant).tolist() == pytest.approx(expected, rel=1e-6)


def test_iif_multilabel_uses_num_samples_and_loss_scales_logits():
    assert slt.iif_weights([3, 1], num_samples=8).tolist() == pytest.approx(
        [math.log(8 / 3), math.log(8)], rel=1e-6
    )
    logits = _rand_logits()
    w = slt.iif_weights(COUNTS).double()
    assert slt.iif_loss(logits, TARGET, COUNTS).item() == pytest.approx(
        F.cross_entropy(logits * w, TARGET).item(), rel=1e-6
    )
    with pytest.raises(ValueError, match="variant"):
        slt.iif_weights([3, 1], "log")


def test_asl_hand_value():
    p2 = 1 / (1 + math.exp(-2.0))
    pm = p2 - 0.1
    expected = (0.5 * -math.log(0.5) + pm**2 * -math.log(1 - pm)) / 2
    got = slt.asymmetric_loss(
        torch.tensor([[0.0, 2.0]]), torch.tensor([[1.0, 0.0]]), 1.0, 2.0, clip=0.1
    )
    assert got.item() == pytest.approx(expected, rel=1e-6)


def test_asl_single_label_hand_value():
    p = [math.e / (math.e + 2), 1 / (math.e + 2), 1 / (math.e + 2)]
    t = [0.8, 0.1, 0.1]
    expected = -(t[0] * (1 - p[0]) * math.log(p[0]) + 2 * t[1] * p[1] * math.log(p[1]))
    got = slt.asymmetric_single_label_loss(
        torch.tensor([[1.0, 0.0, 0.0]]), torch.tensor([0]), 1.0, 1.0, label_smoothing=0.3
    )
    assert got.item() == pytest.approx(expected, rel=1e-6)


def test_dice_hand_value():
    # p = 0.5 everywhere, q = 0.5 * 0.5; per class 2*0.25 + 1 over 0.5 + 1 + 1.
    got = slt.self_adjusting_dice_loss(torch.zeros(2, 2), torch.tensor([0, 1]), reduction="none")
    assert got.tolist() == pytest.approx([0.4, 0.4])


def test_auc_margin_hand_value():
    zero = torch.zeros(1)
    got = slt.auc_margin_loss(torch.zeros(2), torch.tensor([1.0, 0.0]), 0.5, zero, zero)
    # square terms 0.5 * 0.125 twice; alpha* = 1, so p(1-p) alpha*^2 = 0.25.
    assert got.item() == pytest.approx(0.375)


def test_auc_margin_matches_libauc_saddle_objective():
    """The closed-form alpha is the maximiser of LibAUC's objective, and the gradients agree."""
    logits = _rand_logits(8, 1).squeeze(1).requires_grad_()
    y = torch.tensor([1.0, 0, 0, 1, 0, 0, 0, 0])
    p, m = 0.3, 1.0
    a, b = torch.tensor([0.6], dtype=torch.float64), torch.tensor([0.2], dtype=torch.float64)

    def libauc(alpha):
        h = torch.sigmoid(logits)
        return (
            (1 - p) * torch.mean((h - a) ** 2 * y)
            + p * torch.mean((h - b) ** 2 * (1 - y))
            + 2 * alpha * (p * (1 - p) * m + torch.mean(p * h * (1 - y) - (1 - p) * h * y))
            - p * (1 - p) * alpha**2
        )

    ours = slt.auc_margin_loss(logits, y, p, a, b, m)
    grid = torch.linspace(0, 3, 3001, dtype=torch.float64)
    best = libauc(grid).max().item()
    assert ours.item() == pytest.approx(best, abs=1e-6)
    (g_ours,) = torch.autograd.grad(ours, logits)
    h = torch.sigmoid(logits.detach())
    alpha_star = (m + torch.mean(h * (1 - y)) / (1 - p) - torch.mean(h * y) / p).clamp_min(0)
    (g_libauc,) = torch.autograd.grad(libauc(alpha_star), logits)
    torch.testing.assert_close(g_ours, g_libauc)


def test_auc_margin_module_learns_a_b_and_multilabel_shape():
    criterion = slt.AUCMarginLoss([0.2, 0.5], reduction="none")
    out = criterion(torch.zeros(4, 2), torch.tensor([[1.0, 1], [0, 0], [0, 1], [0, 0]]))
    assert out.shape == (2,)
    assert {n for n, _ in criterion.named_parameters()} == {"a", "b"}
    with pytest.raises(ValueError, match="pos_fraction"):
        slt.auc_margin_loss(torch.zeros(2), torch.ones(2), 1.0, torch.zeros(1), torch.zeros(1))


# --- limits --------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_focal_gamma_zero_is_cross_entropy(reduction):
    logits, w = _rand_logits(), torch.tensor([0.2, 1.0, 3.0], dtype=torch.float64)
    target = torch.tensor([0, 1, 2, -100, 1, 0])
    got = slt.focal_loss(logits, target, 0.0, w, reduction=reduction)
    expected = F.cross_entropy(logits, target, weight=w, reduction=reduction)
    torch.testing.assert_close(got, expected)


def test_sigmoid_focal_gamma_zero_is_bce():
    logits, y = _rand_logits(), (_rand_logits(seed=1) > 0).double()
    got = slt.sigmoid_focal_loss(logits, y, gamma=0.0, alpha=None)
    torch.testing.assert_close(got, F.binary_cross_entropy_with_logits(logits, y))


def test_logit_adjusted_tau_zero_is_cross_entropy():
    logits = _rand_logits()
    got = slt.logit_adjusted_loss(logits, TARGET, COUNTS, tau=0.0)
    torch.testing.assert_close(got, F.cross_entropy(logits, TARGET))


def test_class_balanced_beta_zero_is_unweighted():
    assert slt.class_balanced_weights(COUNTS, beta=0.0).tolist() == [1.0, 1.0, 1.0]
    # beta -> 1 approaches inverse frequency.
    w = slt.class_balanced_weights(COUNTS, beta=1 - 1e-9)
    inv = 1 / torch.tensor(COUNTS, dtype=torch.float32)
    torch.testing.assert_close(w, inv * 3 / inv.sum(), rtol=1e-5, atol=0)
    # An empty class gets weight 0.
    assert slt.class_balanced_weights([5, 0, 5], beta=0.9).tolist() == [1.0, 0.0, 1.0]


def test_asl_gammas_zero_no_clip_is_bce():
    logits, y = _rand_logits(), (_rand_logits(seed=1) > 0).double()
    got = slt.asymmetric_loss(logits, y, 0.0, 0.0, clip=0.0)
    torch.testing.assert_close(got, F.binary_cross_entropy_with_logits(logits, y))


def test_asl_single_label_limit_is_cross_entropy():
    logits = _rand_logits()
    got = slt.asymmetric_single_label_loss(logits, TARGET, 0.0, 4.0, label_smoothing=0.0)
    torch.testing.assert_close(got, F.cross_entropy(logits, TARGET))


def test_dice_limits():
    logits, target = _rand_logits(), TARGET
    # Large smoothing: every class's score tends to 1, the loss to 0.
    assert slt.self_adjusting_dice_loss(logits, target, gamma=1e9).item() < 1e-8
    # alpha = 0, gamma = 0: plain soft Dice per class.
    p = torch.softmax(logits, 1)
    y = F.one_hot(target, 3).double()
    plain = 1 - 2 * (p * y).sum(0) / (p.sum(0) + y.sum(0))
    got = slt.self_adjusting_dice_loss(logits, target, 0.0, 0.0, reduction="none")
    torch.testing.assert_close(got, plain)
    # Perfect, saturated predictions and an empty, never-predicted class: loss 0.
    perfect = torch.full((3, 3), -1e4)
    perfect[0, 0] = perfect[1, 0] = perfect[2, 1] = 1e4
    got = slt.self_adjusting_dice_loss(perfect, torch.tensor([0, 0, 1]), 0.0, 0.0, reduction="none")
    assert got.tolist() == [0.0, 0.0, 0.0]


def test_dice_sigmoid_targets():
    logits = torch.tensor([0.0, 0.0])
    got = slt.self_adjusting_dice_loss(logits, torch.tensor([1.0, 0.0]), 0.0, 0.0)
    assert got.item() == pytest.approx(1 - 2 * 0.5 / (1 + 1))


# --- reductions, weights, ignore_index, modules ---------------------------------------------


@pytest.mark.parametrize("name", SINGLE_LABEL)
def test_single_label_reductions_weights_and_ignore_index(name):
    loss = SINGLE_LABEL[name]
    logits = _rand_logits()
    w = torch.tensor([0.5, 1.0, 4.0], dtype=torch.float64)
    per_sample = loss(logits, TARGET, reduction="none")
    assert per_sample.shape == TARGET.shape
    torch.testing.assert_close(loss(logits, TARGET, reduction="sum"), per_sample.sum())
    torch.testing.assert_close(loss(logits, TARGET), per_sample.mean())
    weighted = loss(logits, TARGET, weight=w, reduction="none")
    torch.testing.assert_close(weighted, per_sample * w[TARGET])
    torch.testing.assert_close(loss(logits, TARGET, weight=w), weighted.sum() / w[TARGET].sum())
    # Ignored rows count as if they were not in the batch.
    ignored = TARGET.clone()
    ignored[[1, 4]] = -100
    keep = ignored != -100
    torch.testing.assert_close(loss(logits, ignored), loss(logits[keep], TARGET[keep]))


@pytest.mark.parametrize("name", MULTI_LABEL)
def test_multilabel_reductions_and_weights(name):
    loss = MULTI_LABEL[name]
    logits, y = _rand_logits(), (_rand_logits(seed=1) > 0).double()
    w = torch.tensor([0.5, 1.0, 4.0], dtype=torch.float64)
    per_element = loss(logits, y, reduction="none")
    assert per_element.shape == logits.shape
    torch.testing.assert_close(loss(logits, y), per_element.mean())
    torch.testing.assert_close(loss(logits, y, weight=w, reduction="sum"), (per_element * w).sum())


def test_modules_match_functions():
    logits, y_multi = _rand_logits(), (_rand_logits(seed=1) > 0).double()
    w = torch.tensor([0.5, 1.0, 4.0])
    pairs = [
        (slt.FocalLoss(1.5, w), partial(slt.focal_loss, gamma=1.5, weight=w), TARGET),
        (
            slt.LDAMLoss(COUNTS, 0.4, 10.0),
            partial(slt.ldam_loss, class_counts=COUNTS, max_margin=0.4, scale=10.0),
            TARGET,
        ),
        (
            slt.LogitAdjustedLoss(COUNTS, 0.5),
            partial(slt.logit_adjusted_loss, class_counts=COUNTS, tau=0.5),
            TARGET,
        ),
        (
            slt.BalancedSoftmaxLoss(COUNTS),
            partial(slt.balanced_softmax_loss, class_counts=COUNTS),
            TARGET,
        ),
        (
            slt.IIFLoss(COUNTS, "gombit"),
            partial(slt.iif_loss, class_counts=COUNTS, variant="gombit"),
            TARGET,
        ),
        (
            slt.AsymmetricSingleLabelLoss(1.0, 2.0, 0.2),
            partial(
                slt.asymmetric_single_label_loss, gamma_pos=1.0, gamma_neg=2.0, label_smoothing=0.2
            ),
            TARGET,
        ),
        (
            slt.SelfAdjustingDiceLoss(0.5, 0.1),
            partial(slt.self_adjusting_dice_loss, alpha=0.5, gamma=0.1),
            TARGET,
        ),
        (
            slt.SigmoidFocalLoss(1.0, 0.4),
            partial(slt.sigmoid_focal_loss, gamma=1.0, alpha=0.4),
            y_multi,
        ),
        (
            slt.AsymmetricLoss(1.0, 3.0, 0.1),
            partial(slt.asymmetric_loss, gamma_pos=1.0, gamma_neg=3.0, clip=0.1),
            y_multi,
        ),
    ]
    for module, function, target in pairs:
        torch.testing.assert_close(
            module(logits, target), function(logits, target).to(module(logits, target))
        )


def test_bad_arguments_raise_clear_errors():
    logits = _rand_logits()
    with pytest.raises(ValueError, match="reduction"):
        slt.focal_loss(logits, TARGET, reduction="avg")
    with pytest.raises(ValueError, match="no training samples"):
        slt.LogitAdjustedLoss([5, 0, 1])
    with pytest.raises(ValueError, match="class indices"):
        slt.focal_loss(logits, TARGET.double())
    with pytest.raises(ValueError, match="gamma"):
        slt.focal_loss(logits, TARGET, gamma=-1.0)


# --- extremes and precision -------------------------------------------------------------------


def _extreme_batch():
    """Saturated logits (±1e4) with class 2 absent from the targets."""
    logits = torch.tensor(
        [[1e4, -1e4, -1e4], [-1e4, 1e4, -1e4], [1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]],
        requires_grad=True,
    )
    return (
        logits,
        torch.tensor([0, 1, 1, 0]),
        torch.tensor([[1.0, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 0]]),
    )


@pytest.mark.parametrize("name", [*SINGLE_LABEL, *MULTI_LABEL, *POOLED, "auc_margin", "grad_norm"])
def test_extreme_logits_and_empty_classes_give_finite_gradients(name):
    logits, target, multi = _extreme_batch()
    if name in MULTI_LABEL:
        value = MULTI_LABEL[name](logits, multi)
    elif name == "auc_margin":
        value = slt.AUCMarginLoss([0.5, 0.5, 0.1])(logits, multi)
    elif name == "grad_norm":
        value = slt.PerClassGradNormLoss(slt.FocalLoss(reduction="none"))(logits, target)
    else:
        value = {**SINGLE_LABEL, **POOLED}[name](logits, target)
    value.backward()
    assert torch.isfinite(value)
    assert torch.isfinite(logits.grad).all()


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("name", [*SINGLE_LABEL, *MULTI_LABEL, *POOLED])
def test_half_precision_inputs(name, dtype):
    loss = {**SINGLE_LABEL, **MULTI_LABEL, **POOLED}[name]
    reference = _rand_logits().float()
    target = (_rand_logits(seed=1) > 0).float() if name in MULTI_LABEL else TARGET
    logits = reference.to(dtype).requires_grad_()
    value = loss(logits, target)
    value.backward()
    assert logits.grad.dtype == dtype
    assert torch.isfinite(logits.grad.float()).all()
    expected = loss(logits.detach().float(), target)
    assert value.item() == pytest.approx(expected.item(), rel=2e-2, abs=1e-3)


# --- per-class gradient normalisation -------------------------------------------------------


def test_grad_norm_on_logits_is_pcngd():
    logits = _rand_logits().requires_grad_()
    wrapper = slt.PerClassGradNormLoss(partial(F.cross_entropy, reduction="none"))
    value = wrapper(logits, TARGET)
    (grad,) = torch.autograd.grad(value, logits)
    expected_grad = torch.zeros_like(logits)
    expected_value = 0.0
    for c in range(3):
        loss_c = F.cross_entropy(logits[TARGET == c], TARGET[TARGET == c])
        (g,) = torch.autograd.grad(loss_c, logits)
        expected_grad += g / g.norm()
        expected_value += loss_c.item()
    assert value.item() == pytest.approx(expected_value)
    torch.testing.assert_close(grad, expected_grad)


def test_grad_norm_on_params_is_pcngd():
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 3).double()
    x = torch.randn(6, 4, dtype=torch.float64)
    wrapper = slt.PerClassGradNormLoss(
        partial(F.cross_entropy, reduction="none"), params=model.parameters()
    )
    wrapper(model(x), TARGET).backward()
    got = [p.grad.clone() for p in model.parameters()]
    expected = [torch.zeros_like(p) for p in model.parameters()]
    for c in range(3):
        loss_c = F.cross_entropy(model(x[TARGET == c]), TARGET[TARGET == c])
        grads = torch.autograd.grad(loss_c, list(model.parameters()))
        norm_c = torch.sqrt(sum(g.pow(2).sum() for g in grads))
        for e, g in zip(expected, grads):
            e += g / norm_c
    for g, e in zip(got, expected):
        torch.testing.assert_close(g, e)


def test_grad_norm_without_gradients_returns_class_sum():
    logits = _rand_logits()
    wrapper = slt.PerClassGradNormLoss(partial(F.cross_entropy, reduction="none"))
    with torch.no_grad():
        value = wrapper(logits, TARGET)
    per_class = sum(F.cross_entropy(logits[TARGET == c], TARGET[TARGET == c]) for c in range(3))
    assert value.item() == pytest.approx(per_class.item())
    with pytest.raises(ValueError, match="per-sample"):
        slt.PerClassGradNormLoss(F.cross_entropy)(logits, TARGET)
