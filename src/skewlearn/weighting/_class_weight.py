"""Class-weight schemes and the sample-weight vector they imply."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _balanced(counts: NDArray[np.float64], beta: float) -> NDArray[np.float64]:
    return 1.0 / counts


def _sqrt(counts: NDArray[np.float64], beta: float) -> NDArray[np.float64]:
    return 1.0 / np.sqrt(counts)


def _effective_number(counts: NDArray[np.float64], beta: float) -> NDArray[np.float64]:
    # Cui et al. (2019): E_n = (1 - beta^n) / (1 - beta); the weight is its inverse.
    if beta == 0.0:
        return np.ones_like(counts)
    # -expm1(n * log(beta)) is 1 - beta^n without cancellation when beta is close to 1.
    return (1.0 - beta) / -np.expm1(counts * np.log(beta))


_SCHEMES: dict[str, Callable[[NDArray[np.float64], float], NDArray[np.float64]]] = {
    "balanced": _balanced,
    "sqrt": _sqrt,
    "effective_number": _effective_number,
}


def _check_y(y: ArrayLike) -> NDArray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-dimensional, got shape {y.shape}.")
    if y.shape[0] == 0:
        raise ValueError("y is empty: class weights need at least one sample.")
    return y


def compute_class_weights(y: ArrayLike, scheme: str = "balanced", *, beta: float = 0.999) -> dict:
    """Weight of each class under a re-weighting scheme.

    Weights are scaled so that the weighted number of samples equals the number of samples
    (``sum_c n_c * w_c = n``): switching schemes changes how weight is shared between classes,
    not the total, so a learner's regularisation strength keeps its meaning. ``"balanced"``
    is then exactly scikit-learn's ``class_weight="balanced"``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    scheme : {"balanced", "sqrt", "effective_number"}, default="balanced"
        - ``"balanced"``: inverse class frequency, ``w_c ∝ 1 / n_c``.
        - ``"sqrt"``: square-root inverse frequency, ``w_c ∝ 1 / sqrt(n_c)``, a milder
          correction.
        - ``"effective_number"``: inverse effective number of samples (Cui et al., CVPR 2019),
          ``w_c ∝ (1 - beta) / (1 - beta ** n_c)``. ``beta -> 0`` gives equal weights and
          ``beta -> 1`` gives ``"balanced"``.
    beta : float, default=0.999
        Only for ``"effective_number"``; must lie in [0, 1).

    Returns
    -------
    weights : dict
        Class label -> weight, labels in sorted order.

    See Also
    --------
    class_weight_to_sample_weight : The per-sample vector for ``fit(..., sample_weight=...)``.

    Examples
    --------
    >>> from skewlearn.weighting import compute_class_weights
    >>> y = [0] * 90 + [1] * 10
    >>> {k: round(float(v), 3) for k, v in compute_class_weights(y).items()}
    {0: 0.556, 1: 5.0}
    >>> {k: round(float(v), 3) for k, v in compute_class_weights(y, "sqrt").items()}
    {0: 0.833, 1: 2.5}
    """
    y = _check_y(y)
    if scheme not in _SCHEMES:
        raise ValueError(
            f"Unknown class-weight scheme {scheme!r}; choose one of {sorted(_SCHEMES)}."
        )
    if scheme == "effective_number" and not 0.0 <= beta < 1.0:
        raise ValueError(
            f"beta must lie in [0, 1) for the effective-number scheme, got {beta!r}; "
            "0.999 is the usual choice (use a value closer to 1 for larger classes)."
        )
    classes, counts = np.unique(y, return_counts=True)
    counts = counts.astype(np.float64)
    raw = _SCHEMES[scheme](counts, beta)
    weights = raw * counts.sum() / np.dot(raw, counts)
    return dict(zip(classes.tolist(), weights.tolist(), strict=True))


def class_weight_to_sample_weight(
    y: ArrayLike, class_weight: str | Mapping = "balanced", *, beta: float = 0.999
) -> NDArray[np.float64]:
    """Per-sample weights from class weights (a scheme name or a label -> weight mapping).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    class_weight : str or mapping, default="balanced"
        A scheme accepted by :func:`compute_class_weights`, or a mapping giving a
        non-negative weight to every class present in ``y``.
    beta : float, default=0.999
        Passed to :func:`compute_class_weights` for ``"effective_number"``.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from skewlearn.weighting import class_weight_to_sample_weight
    >>> class_weight_to_sample_weight(["a", "a", "a", "b"]).tolist()
    [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
    >>> class_weight_to_sample_weight([0, 1, 1], {0: 2.0, 1: 1.0}).tolist()
    [2.0, 1.0, 1.0]
    """
    y = _check_y(y)
    if isinstance(class_weight, str):
        class_weight = compute_class_weights(y, class_weight, beta=beta)
    elif not isinstance(class_weight, Mapping):
        raise TypeError(
            "class_weight must be a scheme name or a mapping label -> weight, "
            f"got {type(class_weight).__name__}."
        )
    classes, codes = np.unique(y, return_inverse=True)
    missing = [c for c in classes.tolist() if c not in class_weight]
    if missing:
        raise ValueError(
            f"class_weight has no weight for classes {missing}; give every class in y a weight."
        )
    table = np.array([class_weight[c] for c in classes.tolist()], dtype=np.float64)
    if not np.all(np.isfinite(table)) or np.any(table < 0):
        raise ValueError(f"class weights must be finite and non-negative, got {class_weight}.")
    return table[codes]
