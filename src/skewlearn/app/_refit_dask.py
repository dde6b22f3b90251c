"""Refitting a selected strategy on every row of a Dask table, where the strategy allows it.

The strategies with a Dask path are those whose learner is fitted on under-samples drawn
from the whole table: ``spe``, ``underbag``, ``easy``, and a learner with ``rus`` (random
under-sampling to the smallest class), each with its default decision rule. ``rus`` becomes
an :class:`~skewlearn.ensemble.UnderBaggingClassifier` of one member around the learner:
every row of the smaller classes and an equal random draw of the others, the same draw
``RandomUnderSampler`` makes in memory. The preprocessing (imputation, scaling) is the one
fitted on the selection sample; each partition is transformed on the workers.

A decision rule (a tuned threshold or per-class offsets, a prior correction) is kept as it
was fitted on the selection sample and wraps the refitted model, as the in-memory selector
applies a threshold tuned on inner folds to the model refitted on all rows. Both refits
train on class-balanced rows (every class down to the smallest), so the training prior a
prior correction divides out is the same.
"""

from __future__ import annotations

import copy

import pandas as pd
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from skewlearn.datasets._lazy_profile import class_labels
from skewlearn.decision._wrapper import DecisionWrapper
from skewlearn.select._schema import TableSchema
from skewlearn.select._strategy import Strategy

_ENSEMBLES = ("spe", "underbag", "easy")


def has_dask_path(strategy: Strategy) -> bool:
    """Whether ``strategy`` can be refitted on a Dask table (see the module docstring).

    Examples
    --------
    >>> has_dask_path(Strategy.parse("spe")), has_dask_path(Strategy.parse("rf+rus+prior"))
    (True, True)
    >>> has_dask_path(Strategy.parse("hgb+smote")), has_dask_path(Strategy.parse("hgb"))
    (False, False)
    """
    return strategy.learner in _ENSEMBLES or strategy.rebalance == "rus"


def _dask_learner(strategy: Strategy, learner, seed: int):
    """The unfitted estimator that fits ``learner``'s recipe on Dask collections."""
    from skewlearn.ensemble import EasyEnsembleClassifier, UnderBaggingClassifier

    if strategy.learner == "easy":
        # The catalog's EasyEnsemble is imbalanced-learn's; ours has its sampling and
        # defaults and fits on Dask.
        mine = EasyEnsembleClassifier().get_params(deep=False)
        return EasyEnsembleClassifier(
            **{key: value for key, value in learner.get_params(deep=False).items() if key in mine}
        )
    if strategy.learner in _ENSEMBLES:
        return learner
    return UnderBaggingClassifier(learner, n_estimators=1, random_state=seed, n_jobs=1)


def _transform(part: pd.DataFrame, schema: TableSchema, preprocess) -> pd.DataFrame:
    # Integer column names: the members are fitted without feature names, as in a Pipeline.
    return pd.DataFrame(preprocess.transform(schema.conform(part)), index=part.index)


def refit_keeping_rule(fitted, refit):
    """``refit(model)`` of ``fitted``'s model; a decision rule wrapping it is kept as fitted."""
    if isinstance(fitted, DecisionWrapper):
        wrapped = copy.copy(fitted)
        wrapped.estimator_ = refit(fitted.estimator_)
        return wrapped
    return refit(fitted)


def refit_on_dask(strategy: Strategy, fitted, X, y, schema: TableSchema, seed: int):
    """``strategy`` refitted on every row of Dask ``X, y`` (``has_dask_path`` must hold).

    ``fitted`` is the strategy's model fitted on the selection sample: its preprocessing and
    decision rule are kept, its learner's parameters are reused.
    """
    return refit_keeping_rule(
        fitted, lambda model: _refit_model(strategy, model, X, y, schema, seed)
    )


def _refit_model(strategy: Strategy, fitted, X, y, schema: TableSchema, seed: int):
    preprocess = fitted.named_steps["preprocess"]
    learner = _dask_learner(strategy, clone(fitted.named_steps["learner"]), seed)
    width = len(preprocess.get_feature_names_out())
    meta = pd.DataFrame({i: pd.Series(dtype="float64") for i in range(width)})
    X_ready = X.map_partitions(_transform, schema, preprocess, meta=meta)
    y_ready = y.map_partitions(class_labels, meta=y._meta.pipe(class_labels))
    learner.fit(X_ready, y_ready)
    return Pipeline([("preprocess", preprocess), ("learner", learner)])


# Member fit time grows like rows**1.27 for the default tree (benchmarks/results/massive.md:
# 5x the rows per member took 7.3x to 7.7x the member fit time); learners closer to linear
# in their rows (HGB, linear models) are projected on the high side.
FIT_TIME_EXPONENT = 1.27


def scaled_fit_seconds(seconds: float, factor: float) -> float:
    """The fit time of ``factor`` times the rows, from ``seconds`` measured on the sample.

    >>> round(scaled_fit_seconds(10.0, 32.0))
    816
    """
    return seconds * max(factor, 1.0) ** FIT_TIME_EXPONENT


def factor_within(seconds: float, room: float) -> float:
    """The largest row factor whose fit, scaled from ``seconds``, takes at most ``room``.

    >>> round(factor_within(10.0, scaled_fit_seconds(10.0, 32.0)), 6)
    32.0
    """
    return (max(room, 0.0) / max(seconds, 1e-3)) ** (1 / FIT_TIME_EXPONENT)


def _learner_of(fitted):
    return (fitted.estimator_ if isinstance(fitted, DecisionWrapper) else fitted).named_steps[
        "learner"
    ]


def table_passes(strategy: Strategy, fitted) -> int:
    """How many times a Dask refit of ``strategy`` reads the whole table.

    Every fit scans the labels and gathers the classes kept whole; under-bagging (and so a
    learner with rus) and EasyEnsemble then draw all members in one pass, Self-paced
    Ensemble draws each member and scores it in a pass of its own (the last is not scored).
    """
    if strategy.learner == "spe":
        return 2 + 2 * _learner_of(fitted).n_estimators - 1
    return 3


def projected_refit_seconds(
    strategy: Strategy,
    fitted,
    sample_refit_seconds: float,
    sample_counts: pd.Series,
    table_counts: pd.Series,
    pass_seconds: float,
) -> float:
    """About how long ``refit_on_dask`` will take, from what the run has measured so far.

    The members are fitted on every row of the smallest class and as many of each other
    class, so their fits scale from the refit on the selection sample (``sample_refit_seconds``
    with ``sample_counts`` rows per class) by the ratio of smallest classes to the power
    ``FIT_TIME_EXPONENT``; each read of the table (``table_passes``) takes about as long as
    the profile's (``pass_seconds``).

    Examples
    --------
    >>> counts = lambda minority, majority: pd.Series({0: majority, 1: minority})
    >>> seconds = projected_refit_seconds(
    ...     Strategy.parse("hgb+rus"), None, 10.0, counts(1_000, 9_000), counts(32_000, 9_000_000), 20.0
    ... )  # 10 s x 32**1.27 + 3 passes x 20 s
    >>> int(seconds)
    875
    """
    ratio = float(table_counts.min()) / max(float(sample_counts.min()), 1.0)
    fits = scaled_fit_seconds(sample_refit_seconds, ratio)
    return fits + table_passes(strategy, fitted) * pass_seconds
