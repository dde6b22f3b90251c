"""Every private name of scikit-learn that skewlearn reads, behind one version guard.

The neighbour engine (``skewlearn.resample._neighbours``) gives scikit-learn's own answers, the
order of equal distances included, and for that it needs three things scikit-learn keeps
private:

* which algorithm a fitted neighbours estimator chose (``_fit_method``): the engine's scan
  stands in for brute force only;
* brute-force answers for some of a call's queries, split over threads as the whole call
  would be (``ArgKmin.compute`` with an explicit ``strategy``, on ``_fit_X``);
* the OpenMP threads that split follows (``_openmp_effective_n_threads``).

The ensembles check their parameters as scikit-learn's estimators do (``_parameter_constraints``
checked once by ``_fit_context``), with constraint types scikit-learn keeps private: this
module's ``Interval``, ``StrOptions``, ``HasMethods`` and ``fit_context`` (see
:func:`validation_tools`).

The private names are read only on the scikit-learn versions they were read and tested on
(:data:`SUPPORTED_VERSIONS`), and only where they still import.  Elsewhere each has a
public fallback: the algorithm by the rule scikit-learn's User Guide states ("Choice of
Nearest Neighbors Algorithm"), the threads from threadpoolctl and joblib, the answers from
public ``kneighbors``, the queries padded so that scikit-learn splits them as it splits the
whole call (the same answers, only slower), and a parameter check of our own that accepts
and refuses the values scikit-learn's does.

Beside them, the input checks every layer shares, in scikit-learn's words:
:func:`check_single_output` (the target) and :func:`check_weights` (``sample_weight``).
"""

from __future__ import annotations

import functools
import operator
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Number
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
import sklearn
from joblib import cpu_count
from sklearn import get_config
from sklearn.neighbors import VALID_METRICS
from threadpoolctl import threadpool_info

# First and last (major, minor) scikit-learn versions whose private names below were read and
# tested; the brute-force split rule (brute_force_split) is theirs.
SUPPORTED_VERSIONS = ((1, 6), (1, 9))


def supported(version: str) -> bool:
    """Whether scikit-learn ``version`` is one the private path was tested on.

    >>> supported("1.9.1"), supported("1.10.0"), supported("1.5.2")
    (True, False, False)
    """
    match = re.match(r"(\d+)\.(\d+)", version)
    if match is None:
        return False
    major_minor = (int(match.group(1)), int(match.group(2)))
    return SUPPORTED_VERSIONS[0] <= major_minor <= SUPPORTED_VERSIONS[1]


class ValidationTools(NamedTuple):
    """What an estimator needs to declare and check its ``_parameter_constraints``."""

    Interval: type
    StrOptions: type
    HasMethods: type
    fit_context: Callable


class _Private(NamedTuple):
    arg_kmin: Any
    openmp_threads: Callable[[], int]


@functools.cache
def _private() -> _Private | None:
    """scikit-learn's private names, or None off the tested versions or where any is gone
    (then every one falls back: one guard, one path)."""
    if not supported(sklearn.__version__):
        return None
    try:
        from sklearn.metrics._pairwise_distances_reduction import ArgKmin
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
    except (ImportError, AttributeError):
        return None
    # The two methods the engine calls: gone or renamed means the fallback.
    if not (hasattr(ArgKmin, "compute") and hasattr(ArgKmin, "is_usable_for")):
        return None
    return _Private(ArgKmin, _openmp_effective_n_threads)


@functools.cache
def _private_validation() -> ValidationTools | None:
    """scikit-learn's constraint types and ``_fit_context`` wherever they still import.

    Unlike the engine's names they are not held to the tested versions: they are what
    scikit-learn's own validator (which imbalanced-learn's samplers call) understands, so a
    newer scikit-learn must get them too; ours would read as an unknown constraint type.
    """
    try:
        from sklearn.base import _fit_context
        from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
    except (ImportError, AttributeError):
        return None
    return ValidationTools(Interval, StrOptions, HasMethods, _fit_context)


def documented_fit_method(searcher, sparse: bool = False) -> str:
    """The algorithm a fitted scikit-learn neighbours estimator searches with, by the rule
    scikit-learn documents for ``algorithm="auto"`` (fitted on sparse data: brute force).

    >>> import numpy as np
    >>> from sklearn.neighbors import NearestNeighbors
    >>> documented_fit_method(NearestNeighbors(n_neighbors=2).fit(np.eye(20)))
    'brute'
    """
    if sparse:
        return "brute"
    if searcher.algorithm != "auto":
        return searcher.algorithm
    metric, params = searcher.effective_metric_, searcher.effective_metric_params_
    if (
        searcher.metric == "precomputed"
        or searcher.n_features_in_ > 15
        or (
            searcher.n_neighbors is not None
            and searcher.n_neighbors >= searcher.n_samples_fit_ // 2
        )
        or (metric == "minkowski" and params.get("p", 2) < 1)
    ):
        return "brute"
    if metric == "minkowski" and params.get("w") is not None:
        return "ball_tree"
    if metric in VALID_METRICS["kd_tree"]:
        return "kd_tree"
    if callable(metric) or metric in VALID_METRICS["ball_tree"]:
        return "ball_tree"
    return "brute"


def public_openmp_threads() -> int:
    """The OpenMP threads scikit-learn's brute force runs on, from public answers.

    OpenMP's own maximum (as threadpoolctl reads it from scikit-learn's OpenMP library),
    capped by the usable physical cores unless ``OMP_NUM_THREADS`` sets it: scikit-learn's
    own rule.  Without OpenMP, one.
    """
    pools = [pool for pool in threadpool_info() if pool["user_api"] == "openmp"]
    ours = [pool for pool in pools if "scikit_learn" in pool.get("filepath", "")] or pools
    if not ours:
        return 1
    most = max(pool["num_threads"] for pool in ours)
    if os.getenv("OMP_NUM_THREADS"):
        return most
    return max(1, min(most, cpu_count(only_physical_cores=True)))


@dataclass(frozen=True)
class NeighboursCompat:
    """scikit-learn's neighbour searches as the engine needs them: through its private names
    where the version guard allows and ``private`` is set, else through its public API.

    Parameters
    ----------
    private : bool, default=True
        Use the private names where the version guard finds them; False forces the public
        fallback (same answers, slower where a few of a large call's queries are asked).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.neighbors import NearestNeighbors
    >>> X = np.arange(40.0).reshape(20, 2)
    >>> nn = NearestNeighbors(n_neighbors=2).fit(X)
    >>> NeighboursCompat(private=False).kneighbors(nn, X[[0, 5]], batch=20)
    array([[0, 1],
           [5, 4]])
    """

    private: bool = True

    @property
    def uses_private(self) -> bool:
        """Whether the private names are read (asked and found on a tested version)."""
        return self.private and _private() is not None

    def fit_method(self, searcher, sparse: bool = False) -> str:
        """The algorithm fitted ``searcher`` searches with: 'brute', 'kd_tree' or 'ball_tree'
        (``sparse``: whether it was fitted on sparse data)."""
        method = getattr(searcher, "_fit_method", None) if self.uses_private else None
        return documented_fit_method(searcher, sparse) if method is None else method

    def openmp_threads(self) -> int:
        """The OpenMP threads scikit-learn's brute force runs on."""
        if self.uses_private:
            return _private().openmp_threads()
        return public_openmp_threads()

    def brute_force_split(self, n_queries: int, n_fitted: int) -> str:
        """How scikit-learn's brute-force k-NN splits a call of ``n_queries`` over its threads
        (its own rule for ``strategy="auto"``): 'parallel_on_X' or 'parallel_on_Y'."""
        if n_fitted < n_queries or 4 * _chunk_size() * self.openmp_threads() < n_queries:
            return "parallel_on_X"
        return "parallel_on_Y"

    def kneighbors(self, searcher, X, batch: int) -> np.ndarray:
        """``searcher.kneighbors(X, return_distance=False)`` as scikit-learn answers these
        queries within one call of ``batch`` queries.

        By brute force, scikit-learn splits the work over the queries for a large call and
        over the fitted rows for a small one, and the order of equal distances follows the
        split: queries asked again alone must be split as the whole call was.  ``X`` is of
        the kind (dense or sparse) ``searcher`` was fitted on.
        """
        private = _private() if self.private else None
        fit_X = None if private is None else getattr(searcher, "_fit_X", None)
        if fit_X is not None:
            if getattr(searcher, "_fit_method", None) != "brute" or not (
                private.arg_kmin.is_usable_for(X, fit_X, searcher.effective_metric_)
            ):
                return searcher.kneighbors(X, return_distance=False)
            return private.arg_kmin.compute(
                X=X,
                Y=fit_X,
                k=searcher.n_neighbors,
                metric=searcher.effective_metric_,
                metric_kwargs=searcher.effective_metric_params_,
                strategy=self.brute_force_split(batch, searcher.n_samples_fit_),
                return_distance=False,
            )
        return self._kneighbors_padded(searcher, X, batch)

    def _kneighbors_padded(self, searcher, X, batch: int) -> np.ndarray:
        """:meth:`kneighbors` by public ``kneighbors``: where the whole call would be split
        over the queries and these alone over the fitted rows, copies of the first query
        are added until scikit-learn splits these over the queries too (each query's answer
        depends on the split, never on the other queries)."""
        n_fitted = searcher.n_samples_fit_
        whole = self.brute_force_split(batch, n_fitted)
        if (
            whole == self.brute_force_split(X.shape[0], n_fitted)
            or self.fit_method(searcher, sp.issparse(X)) != "brute"
        ):
            return searcher.kneighbors(X, return_distance=False)
        # The fewest queries scikit-learn splits over the queries (see brute_force_split).
        fewest = min(n_fitted, 4 * _chunk_size() * self.openmp_threads()) + 1
        copies = X[np.zeros(fewest - X.shape[0], dtype=np.intp)]
        padded = sp.vstack([X, copies], format="csr") if sp.issparse(X) else np.vstack([X, copies])
        return searcher.kneighbors(padded, return_distance=False)[: X.shape[0]]


def _chunk_size() -> int:
    """Queries per chunk of scikit-learn's pairwise reductions (its public config)."""
    return max(get_config().get("pairwise_dist_chunk_size", 256), 20)


# The compatibility every caller gets unless it asks for the public path alone.
SKLEARN = NeighboursCompat()


def validation_tools(private: bool = True) -> ValidationTools:
    """scikit-learn's parameter-validation tools wherever they import (and ``private`` is set),
    else public ones of our own that accept and refuse the same values (they check on every
    ``fit``, nested ones included).

    >>> tools = validation_tools(private=False)
    >>> tools.Interval(Integral, 1, None, closed="left").is_satisfied_by(0)
    False
    """
    found = _private_validation() if private else None
    if found is not None:
        return found
    return ValidationTools(_Interval, _StrOptions, _HasMethods, _public_fit_context)


class InvalidParameterError(ValueError, TypeError):
    """A parameter of an estimator is of the wrong type or out of range (as scikit-learn's
    own error, both a ValueError and a TypeError)."""


class _Interval:
    def __init__(self, type, left, right, *, closed):
        self.type, self.left, self.right, self.closed = type, left, right, closed

    def is_satisfied_by(self, value) -> bool:
        if not isinstance(value, self.type):
            return False
        if not isinstance(value, Integral) and np.isnan(value):
            return False
        below = operator.lt if self.closed in ("left", "both") else operator.le
        above = operator.gt if self.closed in ("right", "both") else operator.ge
        return not (
            (self.left is not None and below(value, self.left))
            or (self.right is not None and above(value, self.right))
        )

    def __str__(self) -> str:
        kind = "an int" if self.type is Integral else "a float"
        left = "-inf" if self.left is None else self.left
        right = "inf" if self.right is None else self.right
        opening = "[" if self.closed in ("left", "both") and self.left is not None else "("
        closing = "]" if self.closed in ("right", "both") and self.right is not None else ")"
        return f"{kind} in the range {opening}{left}, {right}{closing}"


class _StrOptions:
    def __init__(self, options, *, deprecated=None):
        self.options = frozenset(options)

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, str) and value in self.options

    def __str__(self) -> str:
        return f"a str among {sorted(self.options)}"


class _HasMethods:
    def __init__(self, methods):
        self.methods = (methods,) if isinstance(methods, str) else tuple(methods)

    def is_satisfied_by(self, value) -> bool:
        return all(callable(getattr(value, method, None)) for method in self.methods)

    def __str__(self) -> str:
        return "an object implementing " + ", ".join(repr(m) for m in self.methods)


# What the constraint keywords (and the few bare values) of scikit-learn's vocabulary accept.
_KEYWORDS: dict[Any, tuple[Callable[[Any], bool], str]] = {
    "boolean": (lambda value: isinstance(value, (bool, np.bool_)), "an instance of 'bool'"),
    "random_state": (
        lambda value: (
            value is None
            or isinstance(value, np.random.RandomState)
            or (isinstance(value, Integral) and 0 <= value <= 2**32 - 1)
        ),
        "an int in the range [0, 4294967295], an instance of 'numpy.random.mtrand.RandomState'"
        " or None",
    ),
    callable: (callable, "a callable"),
}


def _satisfies(value, constraint) -> tuple[bool, str]:
    """Whether ``value`` meets one constraint, and how the constraint reads."""
    if constraint is None:
        return value is None, "None"
    if isinstance(constraint, type):
        return isinstance(value, constraint), f"an instance of {constraint.__name__!r}"
    if isinstance(constraint, str) or constraint is callable:
        if constraint not in _KEYWORDS:
            raise ValueError(f"unknown parameter constraint {constraint!r}")
        accepts, description = _KEYWORDS[constraint]
        return bool(accepts(value)), description
    return constraint.is_satisfied_by(value), str(constraint)


def _check_constraints(constraints: dict, params: dict, caller: str) -> None:
    for name, allowed in constraints.items():
        if name not in params or allowed == "no_validation":
            continue
        value = params[name]
        checks = [_satisfies(value, constraint) for constraint in allowed]
        if not any(ok for ok, _ in checks):
            wanted = " or ".join(description for _, description in checks)
            raise InvalidParameterError(
                f"The {name!r} parameter of {caller} must be {wanted}. Got {value!r} instead."
            )


def _public_fit_context(*, prefer_skip_nested_validation: bool) -> Callable:
    """Decorate ``fit`` to check the estimator's ``_parameter_constraints`` first."""

    def decorate(fit: Callable) -> Callable:
        @functools.wraps(fit)
        def checked(estimator, *args, **kwargs):
            _check_constraints(
                type(estimator)._parameter_constraints,
                estimator.get_params(deep=False),
                type(estimator).__name__,
            )
            return fit(estimator, *args, **kwargs)

        return checked

    return decorate


# What the ensembles import: scikit-learn's own where the guard allows.
Interval, StrOptions, HasMethods, fit_context = validation_tools()


def check_single_output(y, estimator: str) -> None:
    """Refuse a multilabel or multi-output target, in the words scikit-learn's and
    imbalanced-learn's contract checks expect ("Multilabel and multioutput targets are not
    supported."), with the fix; a single column (n, 1) passes, for ``column_or_1d``.

    >>> check_single_output(np.zeros((4, 2)), "SMOTEBoostClassifier")
    Traceback (most recent call last):
    ...
    ValueError: Multilabel and multioutput targets are not supported. SMOTEBoostClassifier ...
    """
    shape = np.shape(y) if hasattr(y, "shape") else np.shape(np.asarray(y, dtype=object))
    if len(shape) == 2 and shape[1] > 1:
        raise ValueError(
            f"Multilabel and multioutput targets are not supported. {estimator} fits one "
            f"target column, y has {shape[1]}: pass y of shape (n_samples,), or fit one model "
            "per column (sklearn.multioutput.MultiOutputClassifier)."
        )


def check_weights(sample_weight, n_samples: int) -> np.ndarray:
    """``sample_weight`` as a float array of ``n_samples`` finite, non-negative values (a
    number stands for that weight on every row).

    >>> check_weights([1, 2], 2)
    array([1., 2.])
    """
    if isinstance(sample_weight, bool) or np.asarray(sample_weight).dtype == bool:
        raise ValueError(
            "sample_weight must be numbers, not True/False; to drop rows, select them instead."
        )
    if isinstance(sample_weight, Number):
        weights = np.full(n_samples, float(sample_weight))
    else:
        weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {weights.shape} but X has {n_samples} rows: pass one "
            "weight per row."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("sample_weight must be finite and non-negative.")
    if n_samples and not weights.any():
        raise ValueError("sample_weight is zero on every row: give some rows a positive weight.")
    return weights
