"""Scorers for the regression metrics, built by name for scikit-learn's model selection."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.metrics import make_scorer, mean_absolute_error, root_mean_squared_error

from ._binned_errors import shot_metrics
from ._sera import rare_rmse, sera


def _shot(region: str, stat: str) -> Callable[..., float]:
    def score(y_true, y_pred, *, y_train, **params) -> float:
        return float(shot_metrics(y_true, y_pred, y_train, **params).loc[region, stat])

    score.__name__ = f"{region}_shot_{stat}"
    return score


# name -> (function, description); every entry is an error, lower is better.
_METRICS: dict[str, tuple[Callable[..., float], str]] = {
    "sera": (sera, "squared error-relevance area; params: relevance"),
    "rare_rmse": (
        rare_rmse,
        "RMSE on rare targets (phi >= threshold); params: relevance, threshold",
    ),
    "rmse": (root_mean_squared_error, "root mean squared error"),
    "mae": (mean_absolute_error, "mean absolute error"),
    **{
        f"{region}_shot_{stat}": (
            _shot(region, stat),
            f"{stat.upper()} on {region}-shot targets; params: y_train (required), bins, many, few",
        )
        for region in ("many", "medium", "few")
        for stat in ("mae", "rmse")
    },
}


def list_regression_metrics() -> dict[str, str]:
    """Names accepted by :func:`get_regression_scorer`, with a one-line description each.

    Examples
    --------
    >>> from skewlearn.regression import list_regression_metrics
    >>> sorted(list_regression_metrics())[:3]
    ['few_shot_mae', 'few_shot_rmse', 'mae']
    """
    return {name: description for name, (_, description) in _METRICS.items()}


def get_regression_scorer(name: str, **params):
    """A scikit-learn scorer for a regression metric of this module.

    All are errors, so, as scikit-learn's ``neg_*`` scorers, the scorer returns the
    *negated* metric (greater is better) for model selection.

    Parameters
    ----------
    name : str
        A name from :func:`list_regression_metrics`.
    **params
        Fixed keyword arguments of the metric: ``relevance`` (a fitted :class:`Relevance`,
        so every fold is scored with the same phi; default: the box plot of each fold's
        targets), ``threshold``, and ``y_train`` (required by the shot metrics).

    Returns
    -------
    scorer : callable ``scorer(estimator, X, y) -> float``

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyRegressor
    >>> from skewlearn.regression import Relevance, get_regression_scorer
    >>> y = np.r_[np.arange(18.0), 60.0, 70.0]
    >>> X = y.reshape(-1, 1)
    >>> scorer = get_regression_scorer("sera", relevance=Relevance().fit(y))
    >>> bool(scorer(DummyRegressor().fit(X, y), X, y) < 0)
    True
    """
    if name not in _METRICS:
        raise ValueError(f"unknown regression metric {name!r}; choose one of {sorted(_METRICS)}.")
    func = _METRICS[name][0]
    if name.endswith(("_shot_mae", "_shot_rmse")) and "y_train" not in params:
        raise ValueError(
            f"{name!r} needs y_train=...: the training targets that say how often each target "
            "region was seen."
        )
    if "y_train" in params:
        params["y_train"] = np.asarray(params["y_train"], dtype=np.float64)
    return make_scorer(func, greater_is_better=False, **params)
