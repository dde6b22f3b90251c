"""What all our samplers share on top of imbalanced-learn's public base samplers.

``BaseSampler.fit_resample`` is the template (parameter constraints, target checks, pandas
round trip, validation, ``sampling_strategy_``); our classes only add the algorithm in
``_fit_resample``.  Where imbalanced-learn's checks allow, a sampler derives from
imbalanced-learn's base of its sampling type, whose ``sampling_strategy`` constraints it
takes.  A neighbour parameter may be an int or a neighbours object, as in
imbalanced-learn: our engine answers the int (and an object that asks the same thing), and
imbalanced-learn's class of the same name runs any other object as given.  Every sampler
takes ``sample_weight`` in ``fit_resample`` and then also returns the weights of its rows
(:mod:`._sample_weight` holds the rules).
"""

from __future__ import annotations

import numbers

import numpy as np
from imblearn.under_sampling.base import BaseCleaningSampler, BaseUnderSampler
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.utils import check_array

from .._sklearn_compat import HasMethods, Interval, check_weights
from ._sample_weight import class_labels, resampled_weights

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


class WeightedResample:
    """``fit_resample`` that also takes ``sample_weight`` and returns the rows' weights."""

    def fit_resample(self, X, y, sample_weight=None):
        """Resample the dataset, and the sample weights with it when they are given.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows. A kept row keeps its weight; a new row gets the weight of
            the nearest original row of its class (the class's documentation says where a
            sampler refines this rule).

        Returns
        -------
        X_resampled : {ndarray, DataFrame, sparse matrix} of shape (n_samples_new, n_features)
        y_resampled : array-like of shape (n_samples_new,)
        sample_weight_resampled : ndarray of shape (n_samples_new,)
            Only when ``sample_weight`` is given.
        """
        if sample_weight is None:
            return super().fit_resample(X, y)
        weights = check_weights(sample_weight, np.shape(y)[0])
        X_res, y_res = super().fit_resample(X, y)
        return X_res, y_res, self._resampled_weights(weights, X, y, X_res, y_res)

    def _resampled_weights(self, weights, X, y, X_res, y_res):
        X = check_array(X, accept_sparse="csr", dtype=None, ensure_all_finite=False)
        return resampled_weights(self, weights, X, class_labels(y), X_res, class_labels(y_res))


class _SelectsRows:
    """A sampler that keeps a subset of the rows and exposes them as ``sample_indices_``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        return tags


class CleaningSampler(WeightedResample, _SelectsRows, BaseCleaningSampler):
    """Removes noisy or borderline rows; ``sampling_strategy`` names the classes to clean
    (the values imbalanced-learn's cleaning samplers accept)."""


class UnderSampler(WeightedResample, _SelectsRows, BaseUnderSampler):
    """Keeps a target number of rows per class (imbalanced-learn's under-sampling type)."""
