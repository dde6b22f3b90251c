"""SAM and ImbSAM: one step against the update computed by hand."""

import pytest

# "torch.nn", not "torch": tests/torch itself would pass for an empty "torch" namespace package.
pytest.importorskip("torch.nn")
import torch
import torch.nn.functional as F

import skewlearn.torch as slt


def test_sam_step_on_a_quadratic():
    w = torch.nn.Parameter(torch.tensor([3.0, 4.0], dtype=torch.float64))
    opt = slt.SAM([w], torch.optim.SGD, rho=0.5, lr=0.1)

    def closure():
        opt.zero_grad()
        loss = 0.5 * (w**2).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == pytest.approx(12.5)
    # grad = w; e = 0.5 * w / 5; gradient at w + e is w + e.
    expected = torch.tensor([3.0, 4.0], dtype=torch.float64) * (1 - 0.1 * 1.1)
    torch.testing.assert_close(w.detach(), expected)
    with pytest.raises(ValueError, match="closure"):
        opt.step()


def test_sam_scheduler_and_state_dict_reach_the_base_optimizer():
    model = torch.nn.Linear(2, 2)
    opt = slt.SAM(model.parameters(), torch.optim.SGD, lr=1.0, momentum=0.9)
    schedule = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    x, y = torch.randn(4, 2), torch.tensor([0, 1, 0, 1])

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        return loss

    opt.step(closure)
    schedule.step()
    assert opt.base_optimizer.param_groups[0]["lr"] == 0.5
    state = opt.state_dict()
    assert "momentum_buffer" in next(iter(state["state"].values()))
    fresh = slt.SAM(model.parameters(), torch.optim.SGD, lr=1.0, momentum=0.9)
    fresh.load_state_dict(state)
    assert fresh.param_groups is fresh.base_optimizer.param_groups


def _imbsam_problem():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 3).double()
    x = torch.randn(6, 3, dtype=torch.float64)
    y = torch.tensor([0, 0, 0, 1, 2, 0])
    return model, x, y


def test_imbsam_step_is_head_grad_plus_perturbed_tail_grad():
    model, x, y = _imbsam_problem()
    counts, rho, lr = [100, 5, 2], 0.3, 0.1
    start = [p.detach().clone() for p in model.parameters()]

    def parts(params):
        w, b = params
        losses = F.cross_entropy(x @ w.T + b, y, reduction="none")
        tail = torch.tensor([False, True, True])[y]
        return losses[~tail].sum() / 6, losses[tail].sum() / 6

    params = [p.clone().requires_grad_() for p in start]
    head, tail = parts(params)
    g_head = torch.autograd.grad(head, params, retain_graph=True)
    g_tail = torch.autograd.grad(tail, params)
    norm = torch.sqrt(sum(g.pow(2).sum() for g in g_tail))
    perturbed = [(p + rho * g / norm).detach().requires_grad_() for p, g in zip(start, g_tail)]
    g_tail_at = torch.autograd.grad(parts(perturbed)[1], perturbed)
    expected = [p - lr * (gh + gt) for p, gh, gt in zip(start, g_head, g_tail_at)]

    opt = slt.ImbSAM(model.parameters(), torch.optim.SGD, counts, tail_threshold=10, rho=rho, lr=lr)
    loss = opt.step(lambda: (F.cross_entropy(model(x), y, reduction="none"), y))
    assert loss.item() == pytest.approx(sum(parts(start)).item())
    for p, e in zip(model.parameters(), expected):
        torch.testing.assert_close(p.detach(), e)


def test_imbsam_without_tail_samples_is_a_plain_step():
    model, x, y = _imbsam_problem()
    reference = torch.nn.Linear(3, 3).double()
    reference.load_state_dict(model.state_dict())
    opt = slt.ImbSAM(model.parameters(), torch.optim.SGD, [100, 100, 100], 10, lr=0.1)
    opt.step(lambda: (F.cross_entropy(model(x), y, reduction="none"), y))
    plain = torch.optim.SGD(reference.parameters(), lr=0.1)
    F.cross_entropy(reference(x), y).backward()
    plain.step()
    for p, r in zip(model.parameters(), reference.parameters()):
        torch.testing.assert_close(p, r)
