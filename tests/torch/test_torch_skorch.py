"""Our losses as a skorch criterion, in an imblearn pipeline, under scikit-learn's tools."""

from functools import partial

import numpy as np
import pytest

# "torch.nn", not "torch": tests/torch itself would pass for an empty "torch" namespace package.
pytest.importorskip("torch.nn")
skorch = pytest.importorskip("skorch")
import torch  # noqa: E402
from imblearn.over_sampling import RandomOverSampler  # noqa: E402
from imblearn.pipeline import Pipeline  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402
from sklearn.preprocessing import FunctionTransformer, StandardScaler  # noqa: E402

import skewlearn.torch as slt  # noqa: E402


@pytest.fixture(autouse=True)
def _one_thread():
    # Many tiny steps: on a shared 2-core CI machine, thread hand-offs cost more than they give.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class MLP(torch.nn.Module):
    def __init__(self, n_features=8, hidden=16, n_classes=2):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(n_features, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, n_classes)
        )

    def forward(self, X):
        return self.net(X)


def _to_float32(X):
    return np.asarray(X, dtype=np.float32)


def _pipeline(criterion, **criterion_params):
    net = skorch.NeuralNetClassifier(
        MLP,
        criterion=criterion,
        optimizer=slt.SAM,
        optimizer__base_optimizer=torch.optim.SGD,
        optimizer__momentum=0.9,
        lr=0.1,
        max_epochs=10,
        batch_size=64,
        train_split=None,
        verbose=0,
        # Our criteria take logits; skorch applies softmax itself only for its own CE loss.
        predict_nonlinearity=partial(torch.softmax, dim=-1),
        **{f"criterion__{k}": v for k, v in criterion_params.items()},
    )
    return Pipeline(
        [
            ("scale", StandardScaler()),
            ("float32", FunctionTransformer(_to_float32)),
            ("oversample", RandomOverSampler(random_state=0)),
            ("net", net),
        ]
    )


def test_skorch_net_with_our_losses_in_an_imblearn_pipeline():
    X, y = make_classification(
        n_samples=240, n_features=8, n_informative=4, weights=[0.9], random_state=0
    )
    y = y.astype(np.int64)
    torch.manual_seed(0)
    focal = _pipeline(slt.FocalLoss, gamma=2.0)
    scores = cross_val_score(focal, X, y, cv=2, scoring="balanced_accuracy")
    assert scores.mean() > 0.7
    adjusted = clone(_pipeline(slt.LogitAdjustedLoss, class_counts=np.bincount(y).tolist()))
    adjusted.set_params(net__criterion__tau=0.5).fit(X, y)
    net = adjusted.named_steps["net"]
    assert isinstance(net.criterion_, slt.LogitAdjustedLoss)
    np.testing.assert_allclose(adjusted.predict_proba(X).sum(axis=1), 1.0, rtol=1e-5)
