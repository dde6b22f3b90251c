"""The standard set of data-complexity measures (Lorena et al., 2019), in one call."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _neighbourhood as nb
from ._balance import balance
from ._config import DEFAULT_CONFIG, DiagnoseConfig
from ._data import check_target, encode_features, plain, stratified_rows
from ._dimensionality import dimensionality
from ._linearity import linearity
from ._overlap import class_pairs, f1, f1v, f2, f3, f4

MEASURES = (
    "F1", "F1v", "F2", "F3", "F4",
    "N1", "N2", "N3", "N4", "T1", "LSC",
    "L1", "L2", "L3",
    "T2", "T3", "T4",
    "C1", "C2",
    "ONB",
)  # fmt: skip


@dataclass(frozen=True)
class ComplexityMeasures:
    """Complexity measures of one data set; every value is higher where the data is harder.

    Attributes
    ----------
    values : dict
        ``{name: float}`` in the order of Lorena et al.: F1 F1v F2 F3 F4, N1 N2 N3 N4 T1 LSC,
        L1 L2 L3, T2 T3 T4, C1 C2, then ONB (balls per row, averaged over classes; NaN
        above ``exact_rows`` rows, where a sample would overstate it).
        Measures defined per class pair are averaged over pairs.
    per_class : dict
        ``{"N1": {class: float}, "N3": {class: float}, "ONB": {class: float}}``: the share of
        each class's rows that touch another class in the spanning tree, whose nearest
        neighbour is of another class, and the pure balls covering the class per row.
    sampled : dict
        ``{name: rows}`` for each measure computed on a sample rather than on every row.
    """

    values: dict
    per_class: dict
    sampled: dict = field(default_factory=dict)


def complexity_from_codes(
    X: np.ndarray,
    codes: np.ndarray,
    classes: np.ndarray,
    config: DiagnoseConfig = DEFAULT_CONFIG,
    random_state: int | None = 0,
) -> ComplexityMeasures:
    """The measures of encoded data with class codes (see :func:`complexity_measures`)."""
    rng = np.random.default_rng(random_state)
    n = len(codes)
    values = {"F1": f1(X, codes), "F1v": f1v(X, codes), "F2": f2(X, codes)}
    values.update(F3=f3(X, codes), F4=f4(X, codes))

    queries = stratified_rows(codes, config.exact_rows, rng)
    nearest = nb.nearest_by_class(X, codes, X[queries], rows=queries)
    intra, enemy = nb.own_and_enemy(nearest, codes[queries])
    wrong = nb.n3_errors(intra, enemy)
    sizes = np.bincount(codes[queries], minlength=codes.max() + 1)
    pairwise = nb.pairwise_measures(X[queries], codes[queries], enemy)
    values.update(N1=pairwise["N1"], N2=nb.n2(intra, enemy), N3=float(wrong.mean()))
    values.update(N4=nb.n4(X, codes, sizes, rng), T1=pairwise["T1"], LSC=pairwise["LSC"])
    values.update(linearity(X, codes, config.linear_rows, rng))
    values.update(dimensionality(X))
    values.update(balance(np.bincount(codes)))
    values["ONB"] = pairwise["ONB"]

    per_class = {
        name: {plain(classes[code]): value for code, value in pairwise[f"{name}_per_class"].items()}
        for name in ("N1", "ONB")
    }
    own = codes[queries]
    per_class["N3"] = {plain(classes[c]): float(wrong[own == c].mean()) for c in np.unique(codes)}
    sampled = {}
    if len(queries) < n:
        sampled = dict.fromkeys(("N1", "N2", "N3", "N4", "T1", "LSC"), len(queries))
        # Balls per row grow as rows are thinned (+0.06 to +0.21 on a quarter sample, see
        # tests/diagnose/test_approximation.py): no estimate beats a misleading one.
        values["ONB"] = float("nan")
        per_class["ONB"] = dict.fromkeys(per_class["ONB"], float("nan"))
    pair_rows = max(np.bincount(codes)[[a, b]].sum() for a, b in class_pairs(codes))
    if pair_rows > config.linear_rows:
        sampled.update(dict.fromkeys(("L1", "L2", "L3"), config.linear_rows))
    return ComplexityMeasures({name: values[name] for name in MEASURES}, per_class, sampled)


def complexity_measures(
    X, y, *, config: DiagnoseConfig | None = None, random_state: int | None = 0
) -> ComplexityMeasures:
    """The standard complexity measures of a classification data set (Lorena et al., 2019).

    Columns are encoded as in :func:`diagnose` (numeric min-max scaled, others one-hot).
    Every measure is oriented so that higher means harder; see the modules ``_overlap``,
    ``_neighbourhood``, ``_linearity``, ``_dimensionality`` and ``_balance`` for each one's
    definition and range.  Above ``config.exact_rows`` rows the neighbourhood measures are
    estimated on a stratified sample (listed in ``sampled``).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    config : DiagnoseConfig or None
        Sample sizes (None: the defaults).
    random_state : int or None
        Seeds the samples and the interpolated points of N4 and L3.

    Returns
    -------
    ComplexityMeasures

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (60, 2)), rng.normal(10, 1, (20, 2))]
    >>> y = np.r_[np.zeros(60), np.ones(20)]
    >>> measures = complexity_measures(X, y)
    >>> {name: round(measures.values[name], 3) for name in ("F1", "N1", "N3", "L2", "C2")}
    {'F1': 0.047, 'N1': 0.025, 'N3': 0.0, 'L2': 0.0, 'C2': 0.4}
    """
    classes, codes = check_target(X, y)
    config = DEFAULT_CONFIG if config is None else config
    return complexity_from_codes(encode_features(X), codes, classes, config, random_state)
