"""A per-class factor on scores only: ``score_class_weight``.

Scores measured on a sample whose classes were drawn at other rates than the data it stands
for are corrected by counting each row of a class kept at rate ``r`` as ``1 / r`` rows: the
counts of true and false positives, and the precision, recall and F1 made of them, are then
those of the full data in expectation.  Fits never see the factor.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._labels import _minority_index


def check_score_class_weight(score_class_weight, classes: np.ndarray) -> dict | None:
    """``score_class_weight`` as a dict {class: positive weight}, each class of ``classes``
    present (a class left out gets weight 1).

    Examples
    --------
    >>> check_score_class_weight({"no": 10}, np.array(["no", "yes"]))
    {'no': 10.0, 'yes': 1.0}
    >>> check_score_class_weight({"maybe": 2}, np.array(["no", "yes"]))
    Traceback (most recent call last):
    ...
    ValueError: score_class_weight names classes that are not in y: ['maybe']; the classes are ['no', 'yes']
    """
    if score_class_weight is None:
        return None
    if not isinstance(score_class_weight, dict):
        raise ValueError(
            f"score_class_weight must be a dict {{class label: weight}}, got "
            f"{type(score_class_weight).__name__}; e.g. {{majority: 1 / rate}} for a majority "
            "kept at that rate"
        )
    known = {_plain(c) for c in classes}
    unknown = [label for label in score_class_weight if _plain(label) not in known]
    if unknown:
        raise ValueError(
            f"score_class_weight names classes that are not in y: {unknown}; the classes are "
            f"{sorted(known, key=str)}"
        )
    bad = {
        label: value
        for label, value in score_class_weight.items()
        if not isinstance(value, numbers.Real)
        or isinstance(value, bool)
        or not np.isfinite(value)
        or value <= 0
    }
    if bad:
        raise ValueError(
            f"score_class_weight must give each class a finite weight > 0, got {bad}: a class "
            "kept at rate r (0 < r <= 1) gets 1 / r"
        )
    given = {_plain(label): float(value) for label, value in score_class_weight.items()}
    return {_plain(c): given.get(_plain(c), 1.0) for c in classes}


def class_factors(class_weight: dict, y) -> np.ndarray:
    """Each row's factor: the weight of its class (``class_weight`` checked, every class in).

    >>> class_factors({"no": 10.0, "yes": 1.0}, np.array(["no", "yes", "no"]))
    array([10.,  1., 10.])
    """
    return np.array([class_weight[_plain(label)] for label in np.asarray(y)], dtype=float)


def score_weights(y: np.ndarray, sample_weight, class_weight: dict | None):
    """Each row's weight in the fold scores: its sample weight times its class's factor
    (None when neither is given, so unweighted scores stay exactly as they were)."""
    if class_weight is None:
        return sample_weight
    factor = class_factors(class_weight, y)
    return factor if sample_weight is None else sample_weight * factor


def corrected_minority(y, classes: np.ndarray, class_weight: dict):
    """The positive class of a binary target by the metrics layer's rule (the minority, the
    larger label on a tie) on the corrected class counts: the minority of the data the
    sample stands for, which down-sampling may have made the majority of the sample.

    >>> corrected_minority(np.array([0, 0, 1, 1, 1]), np.array([0, 1]), {0: 10.0, 1: 1.0})
    1
    """
    mass = [class_weight[_plain(c)] * np.sum(np.asarray(y) == c) for c in classes]
    return _plain(classes[_minority_index(mass, classes)])


def _plain(label):
    """A numpy scalar label as the plain Python value users write."""
    return label.item() if isinstance(label, np.generic) else label
