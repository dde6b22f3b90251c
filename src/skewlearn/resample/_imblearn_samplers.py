"""imbalanced-learn's samplers that skewlearn has no faster version of, taking sample weights.

Each class here is imbalanced-learn's class of the same name with one addition:
``fit_resample(X, y, sample_weight=w)`` also returns the weights of the rows it returns
(:mod:`._sample_weight` holds the rules).  Its parameters, fitted attributes, documentation
and, without ``sample_weight``, its output are imbalanced-learn's own.  Where a row has no
single source the rule is:

* RandomOverSampler with ``shrinkage`` (a smoothed bootstrap): a new row is a drawn row plus
  noise, and takes the drawn row's weight (``sample_indices_`` names it).
* ClusterCentroids: with ``voting="hard"`` a centroid is a row of its class and keeps that
  row's weight; with ``"soft"`` it takes the mean weight of the rows of its class nearest to it
  (its cluster, as k-means assigns rows), or the weight of its nearest row if none is.  The
  clustering itself is not weighted: weights never change which rows a sampler returns, here
  as in every other sampler.
* SMOTENC and SMOTEN: "nearest" is by the sampler's own distance, the one its neighbour search
  uses: SMOTENC's Euclidean distance over the continuous columns in which each differing
  categorical column counts as the class's median standard deviation; SMOTEN's value
  difference metric.  Rows at equal distance: the first.
"""

from __future__ import annotations

import numpy as np
from imblearn import over_sampling, under_sampling
from imblearn.metrics.pairwise import ValueDifferenceMetric
from scipy import sparse
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array

from ._sample_weight import (
    Nearest,
    class_labels,
    euclidean_nearest,
    new_rows,
    over_sampled_weights,
)
from ._sampler_base import WeightedResample

# Distances held at once by SMOTEN's nearest-row search (new rows x original rows of a class).
_BLOCK = 2**22


def _drop_in_doc(reference: type, example: str) -> str:
    """``reference``'s documentation, with its Examples section replaced by ``example`` (ours
    imports from skewlearn.resample and shows the weights)."""
    doc = reference.__doc__
    head = doc[: doc.index("\n    Examples\n    --------")]
    lines = ["", "    Examples", "    --------"]
    lines += [f"    {line}" if line else "" for line in example.strip("\n").splitlines()]
    return head + "\n".join(lines) + "\n    "


_DATA = """\
>>> import numpy as np
>>> from sklearn.datasets import make_classification
>>> X, y = make_classification(n_samples=100, weights=[0.9], random_state=0)
>>> w = np.linspace(1.0, 2.0, 100)
"""
_KEPT = """
A row it returns keeps its weight: ``sample_indices_`` names the rows.

{data}>>> from skewlearn.resample import {name}
>>> sampler = {name}(random_state=0)
>>> X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
>>> np.bincount(y_res).tolist(), bool(np.all(w_res == w[sampler.sample_indices_]))
({counts}, True)
"""
_NEW = """
The original rows come first and keep their weights; a new row takes the weight of the
nearest original row of its class.

{data}>>> from skewlearn.resample import {name}
>>> sampler = {name}({params})
>>> X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
>>> np.bincount(y_res).tolist(), bool(np.all(w_res[:100] == w)), w_res.shape
([{n}, {n}], True, ({total},))
"""


class RandomOverSampler(WeightedResample, over_sampling.RandomOverSampler):
    __doc__ = _drop_in_doc(
        over_sampling.RandomOverSampler,
        _KEPT.format(data=_DATA, name="RandomOverSampler", counts="[91, 91]"),
    )


class RandomUnderSampler(WeightedResample, under_sampling.RandomUnderSampler):
    __doc__ = _drop_in_doc(
        under_sampling.RandomUnderSampler,
        _KEPT.format(data=_DATA, name="RandomUnderSampler", counts="[9, 9]"),
    )


class InstanceHardnessThreshold(WeightedResample, under_sampling.InstanceHardnessThreshold):
    __doc__ = _drop_in_doc(
        under_sampling.InstanceHardnessThreshold,
        _KEPT.format(data=_DATA, name="InstanceHardnessThreshold", counts="[19, 9]"),
    )


class SVMSMOTE(WeightedResample, over_sampling.SVMSMOTE):
    __doc__ = _drop_in_doc(
        over_sampling.SVMSMOTE,
        _NEW.format(data=_DATA, name="SVMSMOTE", params="random_state=0", n=91, total=182),
    )


class KMeansSMOTE(WeightedResample, over_sampling.KMeansSMOTE):
    __doc__ = _drop_in_doc(
        over_sampling.KMeansSMOTE,
        _NEW.format(
            data=_DATA,
            name="KMeansSMOTE",
            params="kmeans_estimator=2, cluster_balance_threshold=0.05, random_state=0",
            n=91,
            total=182,
        ),
    )


class _OwnDistance(WeightedResample):
    """An over-sampler whose new rows take the weight of the original row of their class
    nearest by the sampler's own distance (Euclidean distance means nothing on its
    categorical columns)."""

    def _resampled_weights(self, weights, X, y, X_res, y_res):
        y, y_res = class_labels(y), class_labels(y_res)
        if len(y_res) == len(y):  # nothing was made
            return weights.copy()
        return over_sampled_weights(weights, y, y_res, self._nearest(X, y, new_rows(X_res, len(y))))


def _as_fitted(X):
    """``X`` in the form imbalanced-learn's categorical samplers fit their encoders on: a
    DataFrame as it is, anything else as a (dense or sparse) array."""
    if hasattr(X, "iloc"):
        return X
    return check_array(X, dtype=None, accept_sparse=["csr", "csc"], ensure_all_finite=False)


def _columns(data, columns):
    return data.iloc[:, columns] if hasattr(data, "iloc") else data[:, columns]


class SMOTENC(_OwnDistance, over_sampling.SMOTENC):
    __doc__ = _drop_in_doc(
        over_sampling.SMOTENC,
        """
The original rows come first and keep their weights; a new row takes the weight of the
nearest original row of its class, by SMOTE-NC's own distance: Euclidean over the continuous
columns, each differing categorical column counting as the class's median standard deviation.

>>> import numpy as np
>>> from sklearn.datasets import make_classification
>>> from skewlearn.resample import SMOTENC
>>> X, y = make_classification(n_samples=100, weights=[0.9], random_state=0)
>>> X[:, 0] = X[:, 0] > 0  # a categorical column
>>> w = np.linspace(1.0, 2.0, 100)
>>> sampler = SMOTENC(categorical_features=[0], random_state=0)
>>> X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
>>> np.bincount(y_res).tolist(), bool(np.all(w_res[:100] == w)), w_res.shape
([91, 91], True, (182,))
""",
    )

    def _nearest(self, X, y, X_new) -> Nearest:
        def encode(data):
            data = _as_fitted(data)
            continuous = check_array(
                _columns(data, self.continuous_features_),
                accept_sparse="csr",
                dtype=np.float64,
            )
            categorical = _columns(data, self.categorical_features_)
            if sparse.issparse(categorical):
                categorical = categorical.toarray()
            onehot = sparse.csr_matrix(self.categorical_encoder_.transform(categorical))
            return continuous, onehot

        X_parts, new_parts = encode(X), encode(X_new)

        def nearest(rows, new):
            # One-hot entries of median / sqrt(2): a differing category adds median^2 to the
            # squared distance, as in SMOTENC's own neighbour search.
            scale = self.median_std_[y[rows[0]]] / np.sqrt(2)

            def scaled(parts, index):
                continuous, onehot = parts
                return sparse.hstack(
                    (sparse.csr_matrix(continuous[index]), onehot[index] * scale), format="csr"
                )

            search = NearestNeighbors(n_neighbors=1).fit(scaled(X_parts, rows))
            return search.kneighbors(scaled(new_parts, new), return_distance=False)[:, 0]

        return nearest


class SMOTEN(_OwnDistance, over_sampling.SMOTEN):
    __doc__ = _drop_in_doc(
        over_sampling.SMOTEN,
        """
The original rows come first and keep their weights; a new row takes the weight of the
nearest original row of its class, by SMOTEN's value difference metric.

>>> import numpy as np
>>> from skewlearn.resample import SMOTEN
>>> X = np.array(["A"] * 10 + ["B"] * 20 + ["C"] * 30, dtype=object).reshape(-1, 1)
>>> y = np.array([0] * 20 + [1] * 40)
>>> w = np.linspace(1.0, 2.0, 60)
>>> X_res, y_res, w_res = SMOTEN(random_state=0).fit_resample(X, y, sample_weight=w)
>>> np.bincount(y_res).tolist(), bool(np.all(w_res[:60] == w)), w_res.shape
([40, 40], True, (80,))
""",
    )

    def _nearest(self, X, y, X_new) -> Nearest:
        def encode(data):
            data = check_array(data, dtype=None, accept_sparse=["csr", "csc"])
            data = data.toarray() if sparse.issparse(data) else data
            return self.categorical_encoder_.transform(data)

        X_codes, new_codes = encode(X), encode(X_new)
        categories = [len(values) for values in self.categorical_encoder_.categories_]
        metric = ValueDifferenceMetric(n_categories=categories).fit(X_codes, y)

        def nearest(rows, new):
            step = max(1, _BLOCK // len(rows))
            return np.concatenate(
                [
                    np.argmin(metric.pairwise(new_codes[new[i : i + step]], X_codes[rows]), 1)
                    for i in range(0, len(new), step)
                ]
            )

        return nearest


class ClusterCentroids(WeightedResample, under_sampling.ClusterCentroids):
    __doc__ = _drop_in_doc(
        under_sampling.ClusterCentroids,
        """
The classes left as they are keep their weights.  With ``voting="hard"`` a centroid is a row
of its class and keeps that row's weight; with ``"soft"`` it takes the mean weight of its
cluster (the rows of its class nearest to it).  The clustering is not weighted.

>>> import numpy as np
>>> from sklearn.cluster import KMeans
>>> from sklearn.datasets import make_classification
>>> from skewlearn.resample import ClusterCentroids
>>> X, y = make_classification(n_samples=100, weights=[0.9], random_state=0)
>>> w = np.linspace(1.0, 2.0, 100)
>>> sampler = ClusterCentroids(estimator=KMeans(n_init=1, random_state=0), random_state=0)
>>> X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=w)
>>> np.bincount(y_res).tolist(), bool(np.all(w_res[y_res == 1] == w[y == 1]))
([9, 9], True)
""",
    )

    def _resampled_weights(self, weights, X, y, X_res, y_res):
        X = check_array(X, accept_sparse="csr")
        X_res = check_array(X_res, accept_sparse="csr")
        y, y_res = class_labels(y), class_labels(y_res)
        out = np.empty(len(y_res))
        for label in np.unique(y):
            rows, made = np.flatnonzero(y == label), np.flatnonzero(y_res == label)
            if label not in self.sampling_strategy_:
                out[made] = weights[rows]  # the class as it was, in its order
                continue
            nearest = euclidean_nearest(X[rows], X_res[made])
            own = weights[rows][nearest(np.arange(len(rows)), np.arange(len(made)))]
            if self.voting_ == "hard":
                out[made] = own
            else:
                out[made] = _cluster_means(weights[rows], X[rows], X_res[made], own)
        return out


def _cluster_means(weights, X_class, centroids, fallback):
    """Mean weight of the rows nearest to each centroid (``fallback`` where none is)."""
    search = NearestNeighbors(n_neighbors=1).fit(centroids)
    cluster = search.kneighbors(X_class, return_distance=False)[:, 0]
    size = np.bincount(cluster, minlength=centroids.shape[0])
    total = np.bincount(cluster, weights, minlength=centroids.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(size > 0, total / size, fallback)
