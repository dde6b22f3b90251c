"""Over-sampling followed by cleaning: SMOTE-ENN and SMOTE-Tomek on our samplers."""

from __future__ import annotations

from imblearn.base import BaseSampler
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.base import clone

from .._sklearn_compat import HasMethods
from ._edited_nearest_neighbours import EditedNearestNeighbours
from ._sampler_base import N_JOBS
from ._smote import SMOTE
from ._tomek_links import TomekLinks


class _SmoteThenClean(BaseSampler):
    """SMOTE (or a given over-sampler), then a cleaning sampler on the over-sampled data.

    Not a ``BaseOverSampler``: imbalanced-learn's checks would then expect every class to
    reach the majority count, which the cleaning step undoes (its own SMOTEENN and
    SMOTETomek give the same counts as ours on those checks' data).
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
