"""Small seeded classification results shared by the metric tests, as fixtures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

# (task, label kind): the binary string case has its minority class sorted *first*, so the
# positive column is column 0, which catches code that assumes classes_[1].
KINDS = {
    ("binary", "int"): (np.array([0, 1]), [0.8, 0.2]),
    ("binary", "str"): (np.array(["fraud", "ok"]), [0.2, 0.8]),
    ("multiclass", "int"): (np.array([-1, 2, 5, 9]), [0.5, 0.25, 0.15, 0.1]),
    ("multiclass", "str"): (np.array(["ant", "bee", "cat", "dog"]), [0.1, 0.5, 0.25, 0.15]),
}


@dataclass(frozen=True)
class Case:
    y_true: np.ndarray
    y_pred: np.ndarray
    proba: np.ndarray  # columns in sorted class order
    classes: np.ndarray
    weights: np.ndarray

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2

    @property
    def pos_index(self) -> int:
        counts = [(self.y_true == c).sum() for c in self.classes]
        return int(np.argmin(counts))

    @property
    def positive(self):
        return self.classes[self.pos_index]

    @property
    def score(self) -> np.ndarray:
        """What a user passes to a score metric: 1-D positive column (binary) or the matrix."""
        return self.proba[:, self.pos_index] if self.binary else self.proba


def make_case(task: str, label_kind: str, seed: int = 0, n: int = 90) -> Case:
    classes, prior = KINDS[task, label_kind]
    rng = np.random.default_rng(seed)
    k = len(classes)
    codes = rng.choice(k, size=n, p=prior)
    codes[:k] = np.arange(k)  # every class present
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), codes] += 1.2
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return Case(
        y_true=classes[codes],
        y_pred=classes[proba.argmax(axis=1)],
        proba=proba,
        classes=classes,
        weights=rng.uniform(0.2, 3.0, size=n),
    )


CASE_IDS = [f"{task}-{kind}" for task, kind in KINDS]


@pytest.fixture(params=list(KINDS), ids=CASE_IDS)
def case(request) -> Case:
    """Binary and multiclass results with integer and string labels."""
    return make_case(*request.param)


@pytest.fixture(params=[kind for kind in KINDS if kind[0] == "binary"], ids=CASE_IDS[:2])
def binary_case(request) -> Case:
    return make_case(*request.param)
