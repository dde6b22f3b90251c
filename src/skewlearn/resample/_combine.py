"""Over-sampling followed by cleaning: SMOTE-ENN and SMOTE-Tomek on our samplers."""

from __future__ import annotations

import numpy as np
from imblearn.base import BaseSampler
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.base import clone

from .._sklearn_compat import HasMethods
from ._edited_nearest_neighbours import EditedNearestNeighbours
from ._sample_weight import class_labels, euclidean_nearest, synthetic_weights
from ._sampler_base import N_JOBS, WeightedResample
from ._smote import SMOTE
from ._tomek_links import TomekLinks


class _SmoteThenClean(WeightedResample, BaseSampler):
    """SMOTE (or a given over-sampler), then a cleaning sampler on the over-sampled data.

    A ``BaseSampler`` of the over-sampling type, as imbalanced-learn's own SMOTEENN and
    SMOTETomek are, not a ``BaseOverSampler``: its checks would then expect every class to
    reach the majority count, which the cleaning step undoes, and ``isinstance`` would answer
    unlike imbalanced-learn's classes.

    With ``sample_weight``, a row the cleaner keeps has its own weight if it is an original
    row, and the weight of the nearest original row of its class if SMOTE made it.
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "smote": [HasMethods(["fit_resample"]), None],
        "n_jobs": N_JOBS,
    }

    def _fit_resample(self, X, y):
        if self.smote is None:
            self.smote_ = SMOTE(
                sampling_strategy=self.sampling_strategy, random_state=self.random_state
            )
        else:
            self.smote_ = clone(self.smote)
        cleaner = getattr(self, self._cleaner_param)
        if cleaner is None:
            cleaner = self._cleaner(sampling_strategy="all", n_jobs=self.n_jobs)
        else:
            cleaner = clone(cleaner)
        setattr(self, f"{self._cleaner_param}_", cleaner)
        X_res, y_res = self.smote_.fit_resample(X, y)
        return cleaner.fit_resample(X_res, y_res)

    def _resampled_weights(self, weights, X, y, X_res, y_res):
        y, y_res = class_labels(y), class_labels(y_res)
        # Positions in the over-sampled data: the original rows come first there.
        kept = getattr(getattr(self, f"{self._cleaner_param}_"), "sample_indices_", None)
        if kept is None:
            raise TypeError(
                f"the cleaner {type(getattr(self, self._cleaner_param)).__name__} exposes no "
                "sample_indices_, so the weights of its rows are unknown; resample without "
                "sample_weight, or use a cleaner of skewlearn.resample."
            )
        original = kept < len(y)
        out = np.empty(len(kept))
        out[original] = weights[kept[original]]
        if not original.all():
            X_new = X_res.iloc[~original] if hasattr(X_res, "iloc") else X_res[~original]
            nearest = euclidean_nearest(X, X_new)
            out[~original] = synthetic_weights(weights, y, y_res[~original], nearest)
        return out


class SMOTEENN(_SmoteThenClean):
    """Over-sample with SMOTE, then clean every class with edited nearest neighbours.

    A drop-in for ``imblearn.combine.SMOTEENN``: the same rows for the same ``random_state``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target counts of the SMOTE step.
    random_state : int, RandomState instance or None, default=None
        Seeds the SMOTE step.
    smote : sampler, default=None
        Over-sampler to use instead of ``SMOTE(sampling_strategy, random_state)``.
    enn : sampler, default=None
        Cleaner to use instead of ``EditedNearestNeighbours(sampling_strategy='all')``.
    n_jobs : int, default=None
        Threads for the exact neighbour queries of the default cleaner.

    Attributes
    ----------
    sampling_strategy_ : dict
        Rows to generate per class.
    smote_ : sampler
        The fitted over-sampler.
    enn_ : sampler
        The fitted cleaner.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    SMOTE, EditedNearestNeighbours, SMOTETomek

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import SMOTEENN
    >>> X, y = make_classification(n_samples=300, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = SMOTEENN(random_state=0).fit_resample(X, y)
    >>> int((y_res == 1).sum()) > int((y == 1).sum())
    True
    """

    _cleaner = EditedNearestNeighbours
    _cleaner_param = "enn"
    _parameter_constraints: dict = {
        **_SmoteThenClean._parameter_constraints,
        "enn": [HasMethods(["fit_resample"]), None],
    }

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, smote=None, enn=None, n_jobs=None
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs


class SMOTETomek(_SmoteThenClean):
    """Over-sample with SMOTE, then remove the Tomek links of every class.

    A drop-in for ``imblearn.combine.SMOTETomek``: the same rows for the same ``random_state``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target counts of the SMOTE step.
    random_state : int, RandomState instance or None, default=None
        Seeds the SMOTE step.
    smote : sampler, default=None
        Over-sampler to use instead of ``SMOTE(sampling_strategy, random_state)``.
    tomek : sampler, default=None
        Cleaner to use instead of ``TomekLinks(sampling_strategy='all')``.
    n_jobs : int, default=None
        Threads for the exact neighbour queries of the default cleaner.

    Attributes
    ----------
    sampling_strategy_ : dict
        Rows to generate per class.
    smote_ : sampler
        The fitted over-sampler.
    tomek_ : sampler
        The fitted cleaner.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    SMOTE, TomekLinks, SMOTEENN

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import SMOTETomek
    >>> X, y = make_classification(n_samples=300, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = SMOTETomek(random_state=0).fit_resample(X, y)
    >>> int((y_res == 1).sum()) > int((y == 1).sum())
    True
    """

    _cleaner = TomekLinks
    _cleaner_param = "tomek"
    _parameter_constraints: dict = {
        **_SmoteThenClean._parameter_constraints,
        "tomek": [HasMethods(["fit_resample"]), None],
    }

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, smote=None, tomek=None, n_jobs=None
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs
