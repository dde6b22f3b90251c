"""A pipeline that carries sample weights through its samplers to the learner.

imbalanced-learn's users have asked for this since 2018 (its issue 457): ``fit(X, y,
sample_weight=w)`` gives each step the weights of the rows that reach it.

* A sampler resamples the weights with the rows: one of :mod:`skewlearn.resample` returns them
  (a kept row keeps its weight, a new row takes the weight of the nearest original row of its
  class); for any other sampler the same rules are applied to its output (the rows it kept, by
  ``sample_indices_``, or an over-sampler's original rows followed by new ones).  A sampler whose
  rows cannot be told apart is refused, with the step's name.
* A transformer gets the weights when its ``fit`` takes ``sample_weight`` (``StandardScaler``
  then computes weighted means); any other transformer (imputing, encoding, a
  ``ColumnTransformer``) is fitted as it is without weights: it shapes the features and leaves
  the rows, and the weights still reach every step after it.
* The final estimator's ``fit`` gets the weights; one whose ``fit`` takes no ``sample_weight`` is
  refused, with the step's name, rather than fitted as if no weights were given.

``sample_weight`` is the pipeline's own parameter, with scikit-learn's metadata routing on or
off; under routing an outer meta-estimator passes it once the pipeline requests it
(``pipe.set_fit_request(sample_weight=True)``).  Without ``sample_weight`` every method is
imbalanced-learn's own, unchanged.
"""

from __future__ import annotations

import inspect
import timeit
from contextlib import contextmanager

import numpy as np
from imblearn import pipeline as imblearn_pipeline
from sklearn import get_config
from sklearn.base import clone
from sklearn.utils import check_array
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_memory

from .._sklearn_compat import check_weights, validation_tools
from ._sample_weight import class_labels, resampled_weights

_fit_context = validation_tools().fit_context


def _takes_weight(method) -> bool:
    """Whether ``method`` names ``sample_weight`` (a bare ``**kwargs`` does not count: without
    metadata routing scikit-learn's routers refuse what they pass on)."""
    return method is not None and "sample_weight" in inspect.signature(method).parameters


def _n_rows(X, y) -> int:
    if y is not None:
        return np.asarray(y).shape[0]
    return X.shape[0] if hasattr(X, "shape") else len(X)


@contextmanager
def _timed(message: str | None):
    """Print how long a step took, as scikit-learn's ``verbose`` pipelines do."""
    start = timeit.default_timer()
    yield
    if message is not None:
        seconds = timeit.default_timer() - start
        end = (
            f" {message}, total={seconds / 60:4.1f}min"
            if seconds > 60
            else (f" {message}, total= {seconds:5.1f}s")
        )
        print(f"[Pipeline] {'.' * (70 - len('[Pipeline] ') - len(end))}{end}")


def _resample(sampler, X, y, weights, params: dict, name: str):
    """``sampler.fit_resample`` with the weights of the rows it returns."""
    if _takes_weight(sampler.fit_resample):
        X_res, y_res, w_res = sampler.fit_resample(X, y, sample_weight=weights, **params)
        return X_res, y_res, w_res, sampler
    X_res, y_res = sampler.fit_resample(X, y, **params)
    X_fitted = check_array(X, accept_sparse="csr", dtype=None, ensure_all_finite=False)
    try:
        w_res = resampled_weights(
            sampler, weights, X_fitted, class_labels(y), X_res, class_labels(y_res)
        )
    except TypeError as error:
        raise TypeError(f"Pipeline step {name!r} cannot carry sample_weight: {error}") from None
    return X_res, y_res, w_res, sampler


def _transform(transformer, X, y, weights, params: dict):
    """Fit ``transformer`` (weighted when it takes weights) and transform ``X``."""
    fit_params = {**params.get("fit", {}), **params.get("fit_transform", {})}
    if hasattr(transformer, "fit_transform") and _takes_weight(transformer.fit_transform):
        Xt = transformer.fit_transform(X, y, sample_weight=weights, **fit_params)
    elif _takes_weight(transformer.fit):
        transformer.fit(X, y, sample_weight=weights, **fit_params)
        Xt = transformer.transform(X, **params.get("transform", {}))
    elif hasattr(transformer, "fit_transform"):
        Xt = transformer.fit_transform(X, y, **params.get("fit_transform", {}))
    else:
        Xt = transformer.fit(X, y, **params.get("fit", {})).transform(
            X, **params.get("transform", {})
        )
    return Xt, transformer


def _refuse(name: str, step, method: str):
    raise TypeError(
        f"Pipeline step {name!r} ({type(step).__name__}) takes no sample_weight in {method}, "
        "so the weights cannot reach it: use an estimator whose "
        f"{method} takes sample_weight, or fit without sample_weight."
    )


class Pipeline(imblearn_pipeline.Pipeline):
    """imbalanced-learn's Pipeline that also carries ``sample_weight`` to every step.

    Parameters are imbalanced-learn's (``steps``, ``transform_input``, ``memory``,
    ``verbose``); so is everything done without weights.  With ``sample_weight`` the samplers
    resample the weights with the rows, transformers whose ``fit`` takes weights get them, and
    the final estimator is fitted on the weights of the rows that reached it; a sampler or final
    estimator that cannot take them is refused with the step's name (see the module's notes).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.resample import RandomUnderSampler
    >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
    >>> weights = np.where(y == 1, 2.0, 1.0)
    >>> pipe = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    >>> pipe.fit(X, y, sample_weight=weights).predict(X[:3]).shape
    (3,)
    """

    def get_metadata_routing(self):
        """The steps' routing (imbalanced-learn's) and ``sample_weight``, the pipeline's own.

        Returns
        -------
        MetadataRouter
        """
        return super().get_metadata_routing().add_self_request(self)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, sample_weight=None, **params):
        """Fit the steps one after the other, carrying ``sample_weight`` through them.

        Parameters
        ----------
        X : iterable
            Training data, as the first step takes it.
        y : iterable, default=None
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows.
        **params : dict
            Step parameters, as imbalanced-learn's Pipeline takes them.

        Returns
        -------
        self : Pipeline
        """
        if sample_weight is None:
            return super().fit(X, y, **params)
        Xt, yt, wt, routed = self._fit_weighted(X, y, sample_weight, "fit", params)
        with _timed(self._log_message(len(self.steps) - 1)):
            name, final = self.steps[-1]
            if final not in (None, "passthrough"):
                if not _takes_weight(final.fit):
                    _refuse(name, final, "fit")
                final.fit(Xt, yt, sample_weight=wt, **self._last_params(routed, params)["fit"])
        return self

    @available_if(imblearn_pipeline.Pipeline._can_fit_transform)
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_transform(self, X, y=None, sample_weight=None, **params):
        """Fit the steps with ``sample_weight`` carried through, and transform with the last.

        Parameters
        ----------
        X : iterable
        y : iterable, default=None
        sample_weight : array-like of shape (n_samples,), default=None
        **params : dict

        Returns
        -------
        Xt : array-like of shape (n_samples_new, n_transformed_features)
            Resampled and transformed rows (samplers run, as in imbalanced-learn's pipeline).
        """
        if sample_weight is None:
            return super().fit_transform(X, y, **params)
        Xt, yt, wt, routed = self._fit_weighted(X, y, sample_weight, "fit_transform", params)
        with _timed(self._log_message(len(self.steps) - 1)):
            final = self._final_estimator
            if final in (None, "passthrough"):
                return Xt
            return _transform(final, Xt, yt, wt, self._last_params(routed, params))[0]

    @available_if(imblearn_pipeline.Pipeline._can_fit_resample)
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X, y=None, sample_weight=None, **params):
        """Fit the steps and resample with the last, weights included.

        Parameters
        ----------
        X : iterable
        y : iterable, default=None
        sample_weight : array-like of shape (n_samples,), default=None
        **params : dict

        Returns
        -------
        Xt, yt : the resampled rows and targets
        wt : ndarray of shape (n_samples_new,)
            Their weights; only when ``sample_weight`` is given.
        """
        if sample_weight is None:
            return super().fit_resample(X, y, **params)
        Xt, yt, wt, routed = self._fit_weighted(X, y, sample_weight, "fit_resample", params)
        with _timed(self._log_message(len(self.steps) - 1)):
            name, final = self.steps[-1]
            if final in (None, "passthrough"):
                return Xt, yt, wt
            own = routed[name].get("fit_resample", {})
            return _resample(final, Xt, yt, wt, own, name)[:3]

    @available_if(lambda self: hasattr(self._final_estimator, "fit_predict"))
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_predict(self, X, y=None, sample_weight=None, **params):
        """Fit the steps with ``sample_weight`` carried through, then ``fit_predict`` the last.

        Parameters
        ----------
        X : iterable
        y : iterable, default=None
        sample_weight : array-like of shape (n_samples,), default=None
        **params : dict

        Returns
        -------
        y_pred : ndarray of shape (n_samples_new,)
        """
        if sample_weight is None:
            return super().fit_predict(X, y, **params)
        Xt, yt, wt, routed = self._fit_weighted(X, y, sample_weight, "fit_predict", params)
        name, final = self.steps[-1]
        if not _takes_weight(final.fit_predict):
            _refuse(name, final, "fit_predict")
        with _timed(self._log_message(len(self.steps) - 1)):
            return final.fit_predict(
                Xt, yt, sample_weight=wt, **routed[name].get("fit_predict", {})
            )

    def _last_params(self, routed, params) -> dict:
        return self._get_metadata_for_step(
            step_idx=len(self) - 1, step_params=routed[self.steps[-1][0]], all_params=params
        )

    def _fit_weighted(self, X, y, sample_weight, method: str, params: dict):
        """imbalanced-learn's ``_fit`` with the weights carried along: fitted steps replace the
        given ones; returns the data, targets and weights the final step gets, and the routed
        step parameters."""
        if not params.keys().isdisjoint(f"{name}__sample_weight" for name, _ in self.steps):
            raise ValueError(
                "sample_weight is given twice: to the pipeline and as <step>__sample_weight; "
                "pass it once, to the pipeline, which carries it to every step."
            )
        if self.transform_input is not None and not get_config()["enable_metadata_routing"]:
            raise ValueError(
                "The `transform_input` parameter can only be set if metadata routing is "
                "enabled: enable it with sklearn.set_config(enable_metadata_routing=True)."
            )
        weights = check_weights(sample_weight, _n_rows(X, y))
        routed = self._check_method_params(method=method, props=params)
        self.steps = list(self.steps)
        self._validate_steps()
        memory = check_memory(self.memory)
        resample_cached, transform_cached = memory.cache(_resample), memory.cache(_transform)
        for step_idx, name, step in self._iter(
            with_final=False, filter_passthrough=False, filter_resample=False
        ):
            with _timed(self._log_message(step_idx)):
                if step is None or step == "passthrough":
                    continue
                # Without caching the step itself is fitted, as imbalanced-learn does.
                if not (hasattr(memory, "location") and memory.location is None):
                    step = clone(step)
                if hasattr(step, "transform") or hasattr(step, "fit_transform"):
                    step_params = self._get_metadata_for_step(
                        step_idx=step_idx, step_params=routed[name], all_params=params
                    )
                    X, fitted = transform_cached(step, X, y, weights, step_params)
                else:
                    own = routed[name].get("fit_resample", {})
                    X, y, weights, fitted = resample_cached(step, X, y, weights, own, name)
            self.steps[step_idx] = (name, fitted)
        return X, y, weights, routed


def make_pipeline(*steps, memory=None, transform_input=None, verbose=False) -> Pipeline:
    """A :class:`Pipeline` of ``steps``, each named after its class in lower case.

    Parameters
    ----------
    *steps : estimators
    memory : str or joblib.Memory, default=None
    transform_input : list of str, default=None
    verbose : bool, default=False

    Returns
    -------
    Pipeline

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skewlearn.resample import SMOTE
    >>> make_pipeline(SMOTE(), LogisticRegression()).steps
    [('smote', SMOTE()), ('logisticregression', LogisticRegression())]
    """
    return Pipeline(
        imblearn_pipeline.make_pipeline(*steps).steps,
        memory=memory,
        transform_input=transform_input,
        verbose=verbose,
    )
