"""What all our samplers share on top of imbalanced-learn's public base samplers.

``BaseSampler.fit_resample`` is the template (parameter constraints, target checks, pandas
round trip, validation, ``sampling_strategy_``); our classes only add the algorithm in
``_fit_resample``.  Where imbalanced-learn's checks allow, a sampler derives from
imbalanced-learn's base of its sampling type, whose ``sampling_strategy`` constraints it
takes.  A neighbour parameter may be an int or a neighbours object, as in
imbalanced-learn: our engine answers the int (and an object that asks the same thing), and
imbalanced-learn's class of the same name runs any other object as given.
"""

from __future__ import annotations

import numbers

from imblearn.base import BaseSampler
from imblearn.under_sampling.base import BaseCleaningSampler, BaseUnderSampler
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from .._sklearn_compat import HasMethods, Interval

# imbalanced-learn's "int or object" neighbour parameters.
NEIGHBOURS = [
    Interval(numbers.Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]
N_JOBS = [numbers.Integral, None]
# Fitted attributes the reference shares with the sampler that ran it, not copied over.
_OWN_ATTRIBUTES = {"sampling_strategy_", "n_features_in_", "feature_names_in_"}


def neighbours_size(
    value, additional: int = 0, kinds: tuple = (NearestNeighbors, KNeighborsClassifier)
) -> int | None:
    """The int form of a neighbour parameter, or None when only the object can answer it.

    ``additional``: how many more neighbours imbalanced-learn's object holds than the int
    form (1 where the row itself is asked too).  An object of one of ``kinds`` with default
    settings asks what the object imbalanced-learn builds from the int asks, so the int form
    stands in for it.

    >>> neighbours_size(NearestNeighbors(n_neighbors=4), additional=1)
    3
    >>> neighbours_size(NearestNeighbors(n_neighbors=4, metric="manhattan")) is None
    True
    """
    if isinstance(value, numbers.Integral):
        return int(value)
    if type(value) in kinds:
        size = value.n_neighbors - additional
        default = type(value)(n_neighbors=value.n_neighbors, n_jobs=value.n_jobs)
        if size >= 1 and value.get_params() == default.get_params():
            return size
    return None


def run_reference(sampler, reference: type, X, y):
    """Resample with imbalanced-learn's ``reference`` class built from ``sampler``'s
    parameters, and expose its fitted attributes (``nn_``, ``sample_indices_``, ...) on
    ``sampler``."""
    fitted = reference(**sampler.get_params(deep=False))
    X_res, y_res = fitted.fit_resample(X, y)
    for name, value in vars(fitted).items():
        if name.endswith("_") and not name.startswith("_") and name not in _OWN_ATTRIBUTES:
            setattr(sampler, name, value)
    return X_res, y_res


class _SelectsRows:
    """A sampler that keeps a subset of the rows and exposes them as ``sample_indices_``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        return tags


class CleaningSampler(_SelectsRows, BaseCleaningSampler):
    """Removes noisy or borderline rows; ``sampling_strategy`` names the classes to clean
    (the values imbalanced-learn's cleaning samplers accept)."""


class UnderSampler(_SelectsRows, BaseSampler):
    """Keeps a target number of rows per class.

    Not a ``BaseUnderSampler``: imbalanced-learn's checks would then expect NearMiss version
    3 to reach the target counts, which its short list may not allow (imbalanced-learn marks
    that check of its own NearMiss as a known failure).
    """

    _sampling_type = "under-sampling"
    _parameter_constraints: dict = BaseUnderSampler._parameter_constraints
