"""Class priors: the one a model was trained on (read from what its sampler produced) and
``PriorCorrectedClassifier``, which maps its probabilities back to the real prior."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import check_weights
from ._oof import scores_of
from ._wrapper import DecisionWrapper


class _ClassCounter(BaseEstimator):
    """Final pipeline step stand-in: records the classes that reach it (their rows, or their
    weight when the rows are weighted), then fits the real one."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, sample_weight=None, **fit_params):
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        self.counts_ = np.bincount(codes, weights=sample_weight)
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        return self


def _has_sampler(estimator) -> bool:
    steps = getattr(estimator, "steps", None)
    return bool(steps) and any(hasattr(step, "fit_resample") for _, step in steps[:-1])


def fit_with_training_prior(estimator, X, y, classes: np.ndarray, sample_weight=None):
    """Fit a clone of ``estimator`` and return it with the class prior its final step saw.

    For a pipeline with a sampler (``fit_resample``) the final step is fitted through a counter,
    so the prior is what the samplers actually produced; otherwise it is the prior of ``y``.
    With ``sample_weight`` the fit is weighted and the prior is the share of weight per class
    (what a weighted loss sees).

    Examples
    --------
    >>> import numpy as np
    >>> from skewlearn.resample import RandomUnderSampler, make_pipeline
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.arange(40.0).reshape(-1, 1)
    >>> y = np.r_[np.zeros(30, int), np.ones(10, int)]
    >>> pipe = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    >>> fitted, prior = fit_with_training_prior(pipe, X, y, np.array([0, 1]))
    >>> prior.tolist()
    [0.5, 0.5]
    """
    fitted = clone(estimator)
    fit_params = {} if sample_weight is None else {"sample_weight": sample_weight}
    if not _has_sampler(fitted):
        fitted.fit(X, y, **fit_params)
        if sample_weight is None:
            counts = np.array([(np.asarray(y) == c).sum() for c in classes])
        else:
            counts = np.array([sample_weight[np.asarray(y) == c].sum() for c in classes])
        return fitted, counts / counts.sum()
    name, final = fitted.steps[-1]
    fitted.set_params(**{name: _ClassCounter(final)})
    fitted.fit(X, y, **fit_params)
    counter = fitted.steps[-1][1]
    # Put the fitted final estimator back, so the pipeline is the one the user asked for.
    fitted.set_params(**{name: counter.estimator_})
    counts = np.zeros(len(classes))
    counts[np.searchsorted(classes, counter.classes_)] = counter.counts_
    return fitted, counts / counts.sum()


def as_prior(prior, classes: np.ndarray, name: str) -> np.ndarray:
    """A user prior (sequence in class order, or dict class -> weight), normalised."""
    if isinstance(prior, dict):
        missing = set(classes.tolist()) - set(prior)
        if missing:
            raise ValueError(f"{name} has no entry for classes {sorted(missing)}.")
        prior = [prior[c] for c in classes.tolist()]
    prior = np.asarray(prior, dtype=float)
    if prior.shape != classes.shape or np.any(prior <= 0):
        raise ValueError(
            f"{name} must give a positive weight to each of the {len(classes)} classes "
            f"{classes.tolist()}, got {prior.tolist()}."
        )
    return prior / prior.sum()


def correct_prior(proba: np.ndarray, train_prior: np.ndarray, target_prior: np.ndarray):
    """``p_k ∝ p_s,k · π_k / π_s,k``: probabilities under ``target_prior`` instead.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        Probabilities of a model trained under ``train_prior``.
    train_prior : ndarray of shape (n_classes,)
        Class prior the model was trained on (e.g. balanced after under-sampling).
    target_prior : ndarray of shape (n_classes,)
        Class prior the probabilities should reflect (e.g. the real one).

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        The corrected probabilities; each row sums to 1.

    Examples
    --------
    >>> import numpy as np
    >>> correct_prior(np.array([[0.5, 0.5]]), np.array([0.5, 0.5]), np.array([0.9, 0.1]))
    array([[0.9, 0.1]])
    """
    weighted = proba * (target_prior / train_prior)
    return weighted / weighted.sum(axis=1, keepdims=True)


class PriorCorrectedClassifier(DecisionWrapper):
    """Map probabilities of a model trained on resampled data back to the real class prior.

    With training prior ``π_s`` (what the model saw) and real prior ``π``, the corrected
    probabilities are ``p_k ∝ p_s,k · π_k / π_s,k``; for binary under-sampling this is
    Dal Pozzolo et al. (2015), ``p = β p_s / (β p_s - p_s + 1)`` with ``β`` the fraction of
    negatives kept. When ``estimator`` is a pipeline with a sampler, ``π_s`` is read from the
    class counts that actually reached its final step, not guessed from the sampler's settings.

    Parameters
    ----------
    estimator : classifier with predict_proba
        Typically a ``skewlearn.resample.Pipeline`` (or imbalanced-learn's) with a sampler.
    train_prior : array-like or dict, default=None
        Prior the model was trained under, when known from elsewhere (e.g. a sampler outside
        the estimator). ``None`` reads it as described above.
    target_prior : array-like or dict, default=None
        Prior to correct to; ``None`` means the class frequencies of ``y`` given to ``fit``.

    Attributes
    ----------
    estimator_ : classifier
        The fitted estimator.
    classes_ : ndarray of shape (n_classes,)
    train_prior_ : ndarray of shape (n_classes,)
    target_prior_ : ndarray of shape (n_classes,)

    Examples
    --------
    >>> from skewlearn.resample import RandomUnderSampler, make_pipeline
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> pipe = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    >>> model = PriorCorrectedClassifier(pipe).fit(X, y)
    >>> model.train_prior_.tolist(), model.target_prior_.round(2).tolist()
    ([0.5, 0.5], [0.9, 0.1])
    """

    def __init__(self, estimator, *, train_prior=None, target_prior=None):
        self.estimator = estimator
        self.train_prior = train_prior
        self.target_prior = target_prior

    def fit(self, X, y, sample_weight=None):
        """Fit the estimator and record the training and target priors.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows, given to the estimator's fit (which must take them); the
            priors are then shares of weight per class.

        Returns
        -------
        self : PriorCorrectedClassifier
        """
        X, y, classes, y_index = self._check_Xy(X, y)
        weight = None if sample_weight is None else check_weights(sample_weight, len(y))
        self.estimator_, seen_prior = fit_with_training_prior(self.estimator, X, y, classes, weight)
        self.train_prior_ = (
            seen_prior
            if self.train_prior is None
            else as_prior(self.train_prior, classes, "train_prior")
        )
        mass = np.bincount(y_index, weights=weight, minlength=len(classes))
        self.target_prior_ = (
            mass / mass.sum()
            if self.target_prior is None
            else as_prior(self.target_prior, classes, "target_prior")
        )
        return self

    def describe_rule(self) -> str:
        """How the fitted model turns probabilities into labels, in words.

        Returns
        -------
        str

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = make_classification(n_samples=200, weights=[0.9], random_state=0)
        >>> PriorCorrectedClassifier(LogisticRegression()).fit(X, y).describe_rule()
        'the most probable class after correcting probabilities to the true class prior'
        """
        check_is_fitted(self)
        return "the most probable class after correcting probabilities to the true class prior"

    def predict_proba(self, X):
        """Probabilities corrected to ``target_prior_``.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        proba = scores_of(self.estimator_, X, "predict_proba", self.classes_)
        return correct_prior(proba, self.train_prior_, self.target_prior_)

    def predict(self, X):
        """Most probable class under the corrected probabilities.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
