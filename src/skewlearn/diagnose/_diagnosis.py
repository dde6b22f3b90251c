"""One call that says why a data set is hard: complexity, minority types, small disjuncts,
label-noise suspects and, against new data, shift."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..resample._neighbours import NeighbourIndex
from ._complexity import ComplexityMeasures, complexity_from_codes
from ._config import DEFAULT_CONFIG, DiagnoseConfig
from ._data import check_target, encode_features, plain
from ._disjuncts import SmallDisjuncts, disjuncts_from_typology
from ._noise import INSTALL_HINT, LabelNoise, cleanlab_installed, noise_from_codes
from ._shift import Shift, shift
from ._typology import MinorityTypology, typology_from_codes


@dataclass(frozen=True)
class Diagnosis:
    """What makes a classification data set hard, as :func:`diagnose` found it.

    Attributes
    ----------
    class_counts : dict
        ``{class: rows}``.
    typology : MinorityTypology
        Safe / borderline / rare / outlier minority rows (row positions retrievable).
    complexity : ComplexityMeasures
        The standard complexity measures, higher = harder, with what was sampled.
    disjuncts : SmallDisjuncts
        The sub-concepts each minority class forms, and their sizes.
    seconds : dict
        Time spent on each part.
    label_noise : LabelNoise or None
        Rows whose label looks wrong (None when skipped: see ``skipped``).
    shift : Shift or None
        How the new data given as ``against`` differs (None without it).
    skipped : dict
        ``{part: why}`` for each part that could not run (e.g. cleanlab not installed).
    """

    class_counts: dict
    typology: MinorityTypology
    complexity: ComplexityMeasures
    disjuncts: SmallDisjuncts
    seconds: dict = field(default_factory=dict, repr=False)
    label_noise: LabelNoise | None = field(default=None, repr=False)
    shift: Shift | None = field(default=None, repr=False)
    skipped: dict = field(default_factory=dict)


def diagnose(
    X,
    y,
    *,
    against=None,
    noise: bool = True,
    config: DiagnoseConfig | None = None,
    random_state: int | None = 0,
) -> Diagnosis:
    """Diagnose a classification data set: minority typology, complexity, small disjuncts,
    label-noise suspects, and shift against new data.

    Columns are encoded once for all parts: numeric columns have missing values set to the
    median and are min-max scaled to [0, 1]; other columns (category, string, object, bool)
    are one-hot encoded with missing as a category.  Distances are Euclidean.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels, at least two classes, none missing.
    against : array-like or DataFrame or None
        New (unlabelled) rows of the same features: adds :func:`shift` (None: no shift test).
    noise : bool
        Look for label-noise suspects (:func:`label_noise`; needs the extra ``noise``,
        cleanlab: without it the part is skipped and ``skipped`` says why).
    config : DiagnoseConfig or None
        Neighbourhood size and the sizes above which measures are sampled (None: defaults).
    random_state : int or None
        Seeds every sample and random draw.

    Returns
    -------
    Diagnosis

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(600, 5, weights=[0.9], class_sep=1.0, random_state=0)
    >>> diagnosis = diagnose(X, y)
    >>> diagnosis.class_counts
    {0: 538, 1: 62}
    >>> diagnosis.typology.counts
    {1: {'safe': 45, 'borderline': 6, 'rare': 7, 'outlier': 4}}
    >>> round(diagnosis.complexity.values["N3"], 3)
    0.03
    >>> diagnosis.disjuncts.sizes[1][:3]
    array([56,  2,  1])
    """
    started = time.perf_counter()
    classes, codes = check_target(X, y)
    config = DEFAULT_CONFIG if config is None else config
    encoded = encode_features(X)
    seconds = {"encode": time.perf_counter() - started}

    started = time.perf_counter()
    typology = typology_from_codes(
        encoded, codes, classes, config.n_neighbors, index=NeighbourIndex(encoded)
    )
    disjuncts = disjuncts_from_typology(typology, codes, classes)
    seconds["typology"] = time.perf_counter() - started

    started = time.perf_counter()
    complexity = complexity_from_codes(encoded, codes, classes, config, random_state)
    seconds["complexity"] = time.perf_counter() - started

    counts = np.bincount(codes)
    label_noise, skipped = None, {}
    if noise and not cleanlab_installed():
        skipped["label_noise"] = INSTALL_HINT
    elif noise and counts.min() < 2:
        skipped["label_noise"] = (
            "label-noise suspects need out-of-fold probabilities, hence 2 or more rows of "
            "every class"
        )
    elif noise:
        started = time.perf_counter()
        label_noise = noise_from_codes(encoded, codes, classes, config, random_state)
        seconds["label_noise"] = time.perf_counter() - started

    found_shift = None
    if against is not None:
        started = time.perf_counter()
        found_shift = shift(X, against, y, config=config, random_state=random_state)
        seconds["shift"] = time.perf_counter() - started

    class_counts = {plain(label): int(count) for label, count in zip(classes, counts, strict=True)}
    return Diagnosis(
        class_counts,
        typology,
        complexity,
        disjuncts,
        seconds,
        label_noise=label_noise,
        shift=found_shift,
        skipped=skipped,
    )
