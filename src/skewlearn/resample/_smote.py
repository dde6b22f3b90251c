"""SMOTE, BorderlineSMOTE and ADASYN that adapt to tiny classes instead of failing.

The interpolation itself is imbalanced-learn's (the reference for which neighbours a new
point is drawn towards, and for its random draws); what is added is the choice of the
neighbourhood size (``"auto"`` shrinks it, with a warning, for a class too small for the
default, and an explicit size that cannot work fails early with the class, its size and the
fix) and, for the searches over all rows (ADASYN's weights, BorderlineSMOTE's danger test),
the shared neighbour engine, which gives the same neighbours faster.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from imblearn.over_sampling import ADASYN as _ImbADASYN
from imblearn.over_sampling import SMOTE as _ImbSMOTE
from imblearn.over_sampling import BorderlineSMOTE as _ImbBorderlineSMOTE
from imblearn.over_sampling.base import BaseOverSampler

from .._sklearn_compat import StrOptions
from ._neighbours import IndexSearcher, NeighbourIndex
from ._sampler_base import NEIGHBOURS, WeightedResample

_DEFAULT_NEIGHBOURS = 5
_AUTO_NEIGHBOURS = [*NEIGHBOURS, StrOptions({"auto"})]


def resolve_neighbours(value, name: str, y: np.ndarray, targets: dict, method: str):
    """The neighbourhood size to use, checked against the smallest class to be oversampled.

    Each oversampled class needs more rows than neighbours (a row is not its own neighbour).
    A neighbours object is returned as given, for imbalanced-learn's sampler to use.
    """
    if not isinstance(value, (numbers.Integral, str)):
        return value
    counts = {label: int(np.sum(y == label)) for label, n in targets.items() if n > 0}
    if not counts:
        return _DEFAULT_NEIGHBOURS if value == "auto" else int(value)
    smallest = min(counts, key=counts.get)
    size = counts[smallest]
    # A plain Python value reads as the user wrote it: 'fraud', not np.str_('fraud').
    smallest = smallest.item() if isinstance(smallest, np.generic) else smallest
    if size < 2:
        raise ValueError(
            f"class {smallest!r} has {size} sample; {method} needs at least 2 samples per "
            "oversampled class to interpolate: use RandomOverSampler for it."
        )
    if value == "auto":
        k = min(_DEFAULT_NEIGHBOURS, size - 1)
        if k < _DEFAULT_NEIGHBOURS:
            warnings.warn(
                f"class {smallest!r} has {size} samples, fewer than {_DEFAULT_NEIGHBOURS + 1}; "
                f"{method} uses {name}={k} instead of {_DEFAULT_NEIGHBOURS}.",
                UserWarning,
                stacklevel=3,
            )
        return k
    k = int(value)
    if k >= size:
        raise ValueError(
            f"class {smallest!r} has {size} samples; {method} needs {name} < {size}: pass "
            f"{name}={size - 1} (or {name}='auto') or use RandomOverSampler."
        )
    return k


class _AdaptiveOverSampler(WeightedResample, BaseOverSampler):
    """Runs imbalanced-learn's sampler of the same name with a resolved neighbourhood size."""

    _neighbours_param = "k_neighbors"
    # Neighbour parameters whose searcher the reference fits on all rows.
    _whole_data_searches: tuple[str, ...] = ()
    # The reference's documented fitted attributes, exposed here too.
    _fitted_attributes: tuple[str, ...] = ("nn_k_",)

    def _fit_resample(self, X, y):
        param = self._neighbours_param
        k = resolve_neighbours(
            getattr(self, param), param, y, self.sampling_strategy_, type(self).__name__
        )
        setattr(self, f"{param}_", k)
        params = {**self.get_params(deep=False), param: k}
        # Searchers the reference fits on all rows and asks about the oversampled rows are
        # answered by one shared index (a scan where scikit-learn would brute-force).
        whole = [
            name for name in self._whole_data_searches if isinstance(params[name], numbers.Integral)
        ]
        searchers = {}
        if whole:
            index = NeighbourIndex(X)
            oversampled = [label for label, n in self.sampling_strategy_.items() if n > 0]
            rows = np.flatnonzero(np.isin(y, oversampled))
            searchers = {name: IndexSearcher(index, params[name] + 1, rows) for name in whole}
        self.sampler_ = self._reference(**{**params, **searchers})
        # X and y are validated and the targets resolved already: run the reference's own
        # resampling step directly instead of validating everything a second time.
        self.sampler_.sampling_strategy_ = self.sampling_strategy_
        resampled = self.sampler_._fit_resample(X, y)
        # Its parameters read as plain sizes again (its nn_ attributes keep the searchers).
        self.sampler_.set_params(**params)
        for name in self._fitted_attributes:
            setattr(self, name, getattr(self.sampler_, name))
        return resampled


class SMOTE(_AdaptiveOverSampler):
    """Synthetic minority oversampling: new rows on segments to minority neighbours.

    imbalanced-learn's SMOTE, with ``k_neighbors="auto"`` (the default) falling back to a
    smaller neighbourhood, with a warning, when a class has 5 samples or fewer.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target counts, as in imbalanced-learn.
    random_state : int, RandomState instance or None, default=None
        Seeds the interpolation.
    k_neighbors : int, 'auto' or neighbours object, default='auto'
        Neighbours to interpolate towards; ``'auto'`` is 5, or fewer for a smaller class; an
        estimator with ``kneighbors`` (the row itself counted) is used as given.

    Attributes
    ----------
    sampling_strategy_ : dict
        Rows to generate per class.
    k_neighbors_ : int or estimator object
        Neighbourhood size used (the object, when one was given).
    nn_k_ : estimator object
        The search for the neighbours interpolated towards.
    sampler_ : imblearn.over_sampling.SMOTE
        The reference sampler that made the rows.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    BorderlineSMOTE, ADASYN, SMOTEENN, SMOTETomek

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.resample import SMOTE
    >>> X = np.arange(24.0).reshape(12, 2)
    >>> y = np.array([0] * 9 + [1] * 3)
    >>> X_res, y_res = SMOTE(k_neighbors=2, random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res)
    array([9, 9])
    """

    _reference = _ImbSMOTE
    _parameter_constraints: dict = {
        **_AdaptiveOverSampler._parameter_constraints,
        "k_neighbors": _AUTO_NEIGHBOURS,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors="auto"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.k_neighbors = k_neighbors


class BorderlineSMOTE(_AdaptiveOverSampler):
    """SMOTE restricted to minority rows in danger (most neighbours from other classes).

    imbalanced-learn's BorderlineSMOTE with ``k_neighbors="auto"``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target counts.
    random_state : int, RandomState instance or None, default=None
        Seeds the interpolation.
    k_neighbors : int, 'auto' or neighbours object, default='auto'
        Neighbours to interpolate towards.
    m_neighbors : int or neighbours object, default=10
        Neighbours used to decide whether a row is in danger.
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'
        Variant.

    Attributes
    ----------
    sampling_strategy_ : dict
        Rows to generate per class.
    k_neighbors_ : int or estimator object
        Neighbourhood size used (the object, when one was given).
    nn_k_, nn_m_ : estimator object
        The searches for the neighbours interpolated towards and for the danger test.
    in_danger_indices : dict
        Class -> boolean mask of its rows in danger.
    sampler_ : imblearn.over_sampling.BorderlineSMOTE
        The reference sampler that made the rows.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    SMOTE

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=300, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> int((y_res == 1).sum()) == int((y_res == 0).sum())
    True
    """

    _reference = _ImbBorderlineSMOTE
    _whole_data_searches = ("m_neighbors", "k_neighbors")
    _fitted_attributes = ("nn_k_", "nn_m_", "in_danger_indices")
    _parameter_constraints: dict = {
        **_AdaptiveOverSampler._parameter_constraints,
        "k_neighbors": _AUTO_NEIGHBOURS,
        "m_neighbors": NEIGHBOURS,
        "kind": [StrOptions({"borderline-1", "borderline-2"})],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors="auto",
        m_neighbors=10,
        kind="borderline-1",
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind


class ADASYN(_AdaptiveOverSampler):
    """Adaptive synthetic sampling: more new rows where the minority is harder to learn.

    imbalanced-learn's ADASYN with ``n_neighbors="auto"``.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Target counts.
    random_state : int, RandomState instance or None, default=None
        Seeds the interpolation.
    n_neighbors : int, 'auto' or neighbours object, default='auto'
        Neighbours used both to weight rows and to interpolate.

    Attributes
    ----------
    sampling_strategy_ : dict
        Rows to generate per class.
    n_neighbors_ : int or estimator object
        Neighbourhood size used (the object, when one was given).
    nn_ : estimator object
        The neighbours search.
    sampler_ : imblearn.over_sampling.ADASYN
        The reference sampler that made the rows.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.

    See Also
    --------
    SMOTE

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.resample import ADASYN
    >>> X, y = make_classification(n_samples=300, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = ADASYN(random_state=0).fit_resample(X, y)
    >>> int((y_res == 1).sum()) > int((y == 1).sum())
    True
    """

    _reference = _ImbADASYN
    _neighbours_param = "n_neighbors"
    _whole_data_searches = ("n_neighbors",)
    _fitted_attributes = ("nn_",)
    _parameter_constraints: dict = {
        **_AdaptiveOverSampler._parameter_constraints,
        "n_neighbors": _AUTO_NEIGHBOURS,
    }

    def __init__(self, *, sampling_strategy="auto", random_state=None, n_neighbors="auto"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.n_neighbors = n_neighbors
