"""``BiasCorrectedClassifier``: BiC-style affine correction of chosen classes' logits."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._oof import log_proba, scores_of, take
from ._wrapper import DecisionWrapper


def balanced_subset(y_index: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """Rows with the same number of each class (the rarest class's count), drawn at random."""
    per_class = np.bincount(y_index).min()
    return np.sort(
        np.concatenate(
            [
                rng.choice(np.flatnonzero(y_index == k), per_class, replace=False)
                for k in np.unique(y_index)
            ]
        )
    )


def fit_bias(logits: np.ndarray, y_index: np.ndarray, mask: np.ndarray) -> tuple[float, float]:
    """``(alpha, beta)`` minimising the cross-entropy of ``alpha · z + beta`` on masked classes.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.log(np.array([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.3, 0.7]]))
    >>> alpha, beta = fit_bias(z, np.array([0, 1, 1, 1]), np.array([False, True]))
    >>> beta > 0
    True
    """
    rows = np.arange(len(y_index))

    def loss_and_grad(params):
        alpha, beta = params
        z = np.where(mask, alpha * logits + beta, logits)
        log_p = log_softmax(z, axis=1)
        # d(-mean log p_y)/dz = p - onehot(y); chain rule only through the masked columns.
        residual = np.exp(log_p)
        residual[rows, y_index] -= 1.0
        residual = residual * mask / len(y_index)
        return -log_p[rows, y_index].mean(), np.array([(residual * logits).sum(), residual.sum()])

    result = minimize(loss_and_grad, x0=[1.0, 0.0], jac=True, method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


class BiasCorrectedClassifier(DecisionWrapper):
    """Correct a classifier's bias against chosen classes with two parameters (BiC).

    The estimator is fitted on a training split; on a class-balanced held-out split the logits
    ``z = log p`` of the chosen classes become ``alpha · z + beta`` (other classes unchanged),
    with ``alpha, beta`` minimising the cross-entropy (Wu et al., 2019, *Large Scale
    Incremental Learning*). The estimator is not refitted on the held-out rows: the correction
    is for the bias of the model as fitted.

    Parameters
    ----------
    estimator : classifier with predict_proba
    classes : array-like or None, default=None
        Classes to correct; ``None`` means every class rarer than the most frequent one.
    validation_size : float, default=0.2
        Fraction of rows held out (stratified) before balancing them.
    random_state : int, RandomState or None, default=None
        Seeds the split and the balancing draw.

    Attributes
    ----------
    estimator_ : classifier
        Fitted on the training split only.
    classes_ : ndarray of shape (n_classes,)
    corrected_classes_ : ndarray
    alpha_, beta_ : float
    n_validation_ : int
        Rows in the balanced held-out split.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = make_classification(n_samples=600, weights=[0.85], random_state=0)
    >>> model = BiasCorrectedClassifier(LogisticRegression(), random_state=0).fit(X, y)
    >>> model.corrected_classes_.tolist(), model.beta_ > 0
    ([1], True)
    """

    def __init__(self, estimator, *, classes=None, validation_size=0.2, random_state=None):
        self.estimator = estimator
        self.classes = classes
        self.validation_size = validation_size
        self.random_state = random_state

    def fit(self, X, y):
        """Fit on a training split, then fit ``alpha_, beta_`` on a balanced held-out split.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : BiasCorrectedClassifier
        """
        X, y, classes, y_index = self._check_Xy(X, y)
        if not 0.0 < self.validation_size < 1.0:
            raise ValueError(f"validation_size must be in (0, 1), got {self.validation_size!r}.")
        counts = np.bincount(y_index)
        if self.classes is None:
            mask = counts < counts.max()
        else:
            chosen = np.asarray(self.classes)
            unknown = np.setdiff1d(chosen, classes)
            if len(unknown):
                raise ValueError(f"classes {unknown.tolist()} are not in y ({classes.tolist()}).")
            mask = np.isin(classes, chosen)
        self.corrected_classes_ = classes[mask]

        rng = check_random_state(self.random_state)
        if counts.min() < 2:
            raise ValueError(
                f"class {classes[counts.argmin()]!r} has {counts.min()} sample; a held-out split "
                "for bias correction needs at least 2 of each class."
            )
        train, val = train_test_split(
            np.arange(len(y)),
            test_size=max(self.validation_size, len(classes) / len(y)),
            stratify=y_index,
            random_state=rng,
        )
        val = val[balanced_subset(y_index[val], rng)]
        self.n_validation_ = len(val)
        self.estimator_ = clone(self.estimator).fit(take(X, train), take(y, train))
        logits = log_proba(scores_of(self.estimator_, take(X, val), "predict_proba", classes))
        self.alpha_, self.beta_ = fit_bias(logits, y_index[val], mask)
        return self

    def decision_function(self, X):
        """Corrected logits (binary: their difference, ``> 0`` for ``classes_[1]``).

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        z = self._logits(X)
        return z[:, 1] - z[:, 0] if len(self.classes_) == 2 else z

    def _logits(self, X) -> np.ndarray:
        check_is_fitted(self)
        z = log_proba(scores_of(self.estimator_, X, "predict_proba", self.classes_))
        mask = np.isin(self.classes_, self.corrected_classes_)
        return np.where(mask, self.alpha_ * z + self.beta_, z)

    def predict_proba(self, X):
        """Probabilities after the correction (softmax of the corrected logits).

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        return softmax(self._logits(X), axis=1)

    def predict(self, X):
        """Most probable class after the correction.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self._logits(X), axis=1)]
