"""Class sets, label encoding and the one rule that picks the positive class of a binary target.

Every metric of this package reads its targets through :func:`_encode_targets` (label metrics)
or :func:`_encode_y_true` (score metrics), so that ``labels=``, unknown values and the positive
class mean the same thing everywhere.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils.multiclass import type_of_target, unique_labels


def _as_1d(y: ArrayLike, name: str) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D (n_samples,); got shape {y.shape}.")
    if y.size == 0:
        raise ValueError(f"{name} is empty; metrics need at least one sample.")
    target_type = type_of_target(y)
    if target_type not in ("binary", "multiclass"):
        raise ValueError(
            f"{name} must hold class labels (binary or multiclass); got a {target_type!r} target."
        )
    return y


def _resolve_classes(labels: ArrayLike | None, *observed: np.ndarray) -> np.ndarray:
    """The classes of the problem: ``labels`` as given, else the sorted observed labels."""
    if labels is None:
        classes = unique_labels(*observed)
    else:
        classes = np.asarray(labels)
        if classes.ndim != 1 or len(np.unique(classes)) != len(classes):
            raise ValueError(f"labels must be a 1-D list of distinct classes; got {labels!r}.")
    if len(classes) < 2:
        raise ValueError(
            f"Need at least two classes to score; found only {list(classes)}. "
            "Pass labels= with every class of the problem."
        )
    return classes


def _encode(y: np.ndarray, classes: np.ndarray, name: str) -> np.ndarray:
    """Index of each value of ``y`` in ``classes`` (which need not be sorted)."""
    order = np.argsort(classes, kind="stable")
    sorted_classes = classes[order]
    try:
        pos = np.searchsorted(sorted_classes, y)
    except TypeError as exc:  # e.g. string labels against integer labels=
        raise ValueError(
            f"{name} and labels hold different kinds of values: {exc}. labels must list the "
            "classes exactly as they appear in the targets."
        ) from exc
    pos = np.minimum(pos, len(classes) - 1)
    unknown = sorted_classes[pos] != y
    if np.any(unknown):
        raise ValueError(
            f"{name} contains {sorted(set(y[unknown].tolist()))}, not among "
            f"labels={list(classes)}. labels must list every class of the problem."
        )
    return order[pos]


def _encode_targets(
    y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(classes, y_true codes, y_pred codes)`` for label metrics."""
    y_true = _as_1d(y_true, "y_true")
    y_pred = _as_1d(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true and y_pred have different lengths: {len(y_true)} and {len(y_pred)}."
        )
    classes = _resolve_classes(labels, y_true, y_pred)
    return classes, _encode(y_true, classes, "y_true"), _encode(y_pred, classes, "y_pred")


def _encode_y_true(y_true: ArrayLike, labels: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    """``(classes, y_true codes)`` for score metrics, where predictions carry no labels."""
    y_true = _as_1d(y_true, "y_true")
    classes = _resolve_classes(labels, y_true)
    return classes, _encode(y_true, classes, "y_true")


def _minority_index(amounts: ArrayLike, classes: np.ndarray) -> int:
    """Index in ``classes`` of the class with the smallest amount (of rows or of weight);
    on a tie, of the larger label (the rule of :func:`positive_class`)."""
    amounts = np.asarray(amounts)
    tied = np.flatnonzero(amounts == amounts.min())
    # The larger label, as scikit-learn's pos_label=1 is for {0, 1} targets.
    return int(tied[np.argsort(np.asarray(classes)[tied], kind="stable")[-1]])


def _positive_index(y_codes: np.ndarray, classes: np.ndarray, pos_label: Any = None) -> int:
    """Index in ``classes`` of the positive class; see :func:`positive_class` for the rule."""
    if len(classes) != 2:
        raise ValueError(
            f"A positive class exists only for binary targets; this one has {len(classes)} "
            f"classes {list(classes)}. Leave pos_label=None for multiclass metrics."
        )
    if pos_label is not None:
        matches = np.flatnonzero(classes == pos_label)
        if len(matches) == 0:
            raise ValueError(f"pos_label={pos_label!r} is not one of the classes {list(classes)}.")
        return int(matches[0])
    return _minority_index(np.bincount(y_codes, minlength=2), classes)


def _binary_positive(y_codes: np.ndarray, classes: np.ndarray, pos_label: Any) -> int | None:
    """Index of the positive class for a binary target, None for a multiclass one."""
    if len(classes) == 2:
        return _positive_index(y_codes, classes, pos_label)
    if pos_label is not None:
        raise ValueError(
            f"pos_label={pos_label!r} applies to binary targets only; this one has "
            f"{len(classes)} classes, scored by a macro average. Leave pos_label=None."
        )
    return None


def positive_class(
    y_true: ArrayLike, *, labels: ArrayLike | None = None, pos_label: Any = None
) -> Any:
    """The positive class of a binary target, as every skewlearn metric chooses it.

    The rule: ``pos_label`` when given; otherwise the **minority class** of ``y_true``
    (counted over ``labels``, so a class absent from ``y_true`` is the minority); on a tie,
    the larger label in sorted order, which for ``{0, 1}`` targets is ``1`` as in
    scikit-learn. A 1-D ``y_score`` passed to a score metric is read as the score of this
    class, so pass ``pos_label`` (or a 2-D score matrix) when your scores belong to the
    majority class.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels of a binary problem.
    labels : array-like of shape (2,), default=None
        The two classes; inferred from ``y_true`` when None.
    pos_label : label, default=None
        Forces the positive class; must be one of the classes.

    Returns
    -------
    label
        The positive class, an element of the classes.

    Examples
    --------
    >>> from skewlearn.metrics import positive_class
    >>> positive_class(["ok", "ok", "fraud"])
    'fraud'
    >>> positive_class([0, 1, 0, 1])
    1
    >>> positive_class([0, 0, 0], labels=[0, 1])
    1
    """
    classes, codes = _encode_y_true(y_true, labels)
    return _as_python(classes[_positive_index(codes, classes, pos_label)])


def _as_python(label: Any) -> Any:
    """A numpy scalar label as the plain Python value users wrote (``'fraud'``, ``1``)."""
    return label.item() if isinstance(label, np.generic) else label


def _check_sample_weight(sample_weight: ArrayLike | None, n_samples: int) -> np.ndarray | None:
    if sample_weight is None:
        return None
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight must have shape ({n_samples},) like y_true; got {weights.shape}."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("sample_weight must be finite and non-negative.")
    return weights
