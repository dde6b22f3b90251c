import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier


@pytest.fixture(scope="session")
def hard_binary():
    """A hard 1:50 problem (noise, weak separation): a plain tree gets little of the minority."""
    X, y = make_classification(
        n_samples=4000,
        n_features=10,
        n_informative=4,
        weights=[0.98],
        flip_y=0.01,
        class_sep=0.8,
        random_state=0,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


@pytest.fixture(scope="session")
def three_classes():
    X, y = make_classification(
        n_samples=3000,
        n_features=10,
        n_informative=5,
        n_classes=3,
        weights=[0.85, 0.12],
        class_sep=1.0,
        random_state=0,
    )
    labels = np.array(["bulk", "some", "rare"])[y]
    return train_test_split(X, labels, test_size=0.5, stratify=labels, random_state=0)


class SharedLog(list):
    """A list that clones share: ``clone`` deep-copies parameters, this one returns itself."""

    def __deepcopy__(self, memo):
        return self


class RecordingTree(DecisionTreeClassifier):
    """A tree that records what each fit saw and each predict_proba call in a SharedLog."""

    def __init__(self, log=None, max_depth=None, random_state=None):
        super().__init__(max_depth=max_depth, random_state=random_state)
        self.log = log

    def fit(self, X, y, sample_weight=None):
        self.log.append(("fit", X.shape[0], np.bincount(y), sample_weight, X))
        return super().fit(X, y, sample_weight=sample_weight)

    def predict_proba(self, X):
        self.log.append(("predict_proba", X.shape[0]))
        return super().predict_proba(X)


@pytest.fixture
def recording_tree():
    """Factory: ``tree, log = recording_tree()``."""

    def make(**params):
        log = SharedLog()
        return RecordingTree(log, **params), log

    return make
