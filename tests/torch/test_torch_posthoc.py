"""Post-hoc and two-stage corrections: adjustment, normalisation, bias init, cRT."""

import math

import pytest

# "torch.nn", not "torch": tests/torch itself would pass for an empty "torch" namespace package.
pytest.importorskip("torch.nn")
import torch

import skewlearn.torch as slt


@pytest.fixture(autouse=True)
def _one_thread():
    # Many tiny steps: on a shared 2-core CI machine, thread hand-offs cost more than they give.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_adjust_logits_and_layer():
    logits = torch.randn(5, 3)
    counts = [6, 3, 1]
    expected = logits - torch.log(torch.tensor([0.6, 0.3, 0.1])) * 0.5
    torch.testing.assert_close(slt.adjust_logits(logits, counts, tau=0.5), expected)
    model = torch.nn.Sequential(torch.nn.Identity(), slt.LogitAdjustment(counts, tau=0.5))
    torch.testing.assert_close(model(logits), expected)


def test_tau_normalize():
    layer = torch.nn.Linear(4, 3)
    before = layer.weight.detach().clone()
    slt.tau_normalize_(layer, tau=0.0)
    torch.testing.assert_close(layer.weight.detach(), before)
    slt.tau_normalize_(layer, tau=1.0)
    torch.testing.assert_close(layer.weight.norm(dim=1), torch.ones(3))
    torch.testing.assert_close(layer.weight.detach(), before / before.norm(dim=1, keepdim=True))
    with pytest.raises(TypeError, match="2-D weight"):
        slt.tau_normalize_(torch.nn.ReLU())


def test_max_norm_projects_only_rows_above_the_bound():
    layer = torch.nn.Linear(2, 3, bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[3.0, 4.0], [0.3, 0.4], [0.0, 2.0]]))
    slt.max_norm_(layer, 1.0)
    torch.testing.assert_close(
        layer.weight.detach(),
        torch.tensor([[0.6, 0.8], [0.3, 0.4], [0.0, 1.0]]),
        rtol=1e-5,
        atol=1e-6,
    )


def test_prior_bias_init():
    softmax = slt.init_prior_bias_(torch.nn.Linear(4, 3), [6, 3, 1])
    torch.testing.assert_close(torch.softmax(softmax.bias, 0), torch.tensor([0.6, 0.3, 0.1]))
    sigmoid = slt.init_prior_bias_(torch.nn.Linear(4, 2), [10, 1], "sigmoid", num_samples=100)
    assert sigmoid.bias.tolist() == pytest.approx([-math.log(0.9 / 0.1), -math.log(0.99 / 0.01)])
    with pytest.raises(ValueError, match="class counts"):
        slt.init_prior_bias_(torch.nn.Linear(4, 2), [1, 2, 3])


def test_crt_improves_tail_recall_over_instance_sampling():
    g = torch.Generator().manual_seed(0)
    counts = [300, 10]
    means = torch.tensor([[0.0, 0.0], [1.5, 1.5]])
    features = torch.cat([torch.randn(n, 2, generator=g) + means[c] for c, n in enumerate(counts)])
    labels = torch.repeat_interleave(torch.arange(2), torch.tensor(counts))
    test = torch.cat([torch.randn(200, 2, generator=g) + means[c] for c in range(2)])
    test_labels = torch.repeat_interleave(torch.arange(2), 200)

    def tail_recall(q):
        torch.manual_seed(0)
        head = slt.retrain_classifier(
            torch.nn.Linear(2, 2),
            features,
            labels,
            epochs=5,
            batch_size=32,
            q=q,
            generator=torch.Generator().manual_seed(1),
        )
        with torch.no_grad():
            predicted = head(test).argmax(1)
        return (predicted[test_labels == 1] == 1).float().mean().item()

    assert tail_recall(0.0) > tail_recall(1.0) + 0.2
    with pytest.raises(TypeError, match="reset_parameters"):
        slt.retrain_classifier(torch.nn.Sequential(), features, labels)
