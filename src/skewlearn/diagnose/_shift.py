"""Shift between training data and new data: a classifier two-sample test, per-feature drift
tests with Holm's correction, and the new data's class prior (EM, see ``_prior_shift``).

The classifier two-sample test (Lopez-Paz & Oquab, 2017): a domain classifier learns to tell
training rows from new rows; its cross-validated ROC-AUC is 0.5 when the tables come from one
distribution.  Each fold's model is fitted once; the p-value counts how often the mean
held-out AUC is reached when the domain labels are permuted within each held-out fold (a
fold's model never saw that fold, so its AUC under no shift is the Mann-Whitney null).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import chi2_contingency, ks_2samp, rankdata
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold

from skewlearn.datasets._schema import column_differences
from skewlearn.evaluation import holm

from ._config import DEFAULT_CONFIG, DiagnoseConfig
from ._data import check_target, encode_features, plain
from ._oof import default_learner, fit_sample, fold_count, out_of_fold_proba
from ._prior_shift import PriorEstimate, estimate_prior

_CHUNK = 100  # permutations drawn at once: memory is _CHUNK x rows of a fold


@dataclass(frozen=True)
class Shift:
    """How new data differs from the training data, as :func:`shift` found it.

    Attributes
    ----------
    domain_auc : float
        Mean held-out ROC-AUC of the domain classifier (0.5: no detectable shift).
    p_value : float
        Share of ``permutations`` (plus the observed one) whose AUC reached ``domain_auc``.
    permutations, folds : int
    sampled : dict
        ``{"train": rows, "new": rows}`` the domain classifier saw (a uniform sample of each
        table above ``DiagnoseConfig.shift_rows``).
    features : DataFrame
        One row per feature, smallest p-value first: ``feature``, ``test`` ("ks" for numeric
        columns, "chi2" for the others, missing values a category; "none" for a column with
        no values on one side), ``statistic``, ``p_value``, ``p_holm`` (Holm-adjusted over the
        features) and ``drifted`` (``p_holm < alpha``).
    alpha : float
    rows : dict
        ``{"train": rows, "new": rows}``.
    prior : PriorEstimate or None
        The new data's estimated class prior (when training labels were given).
    classes : list or None
        The classes of ``prior``'s entries.
    """

    domain_auc: float
    p_value: float
    permutations: int
    folds: int
    sampled: dict
    features: pd.DataFrame = field(repr=False)
    alpha: float
    rows: dict
    prior: PriorEstimate | None = None
    classes: list | None = None

    @property
    def shifted(self) -> bool:
        """Whether the domain classifier tells the tables apart at level ``alpha``."""
        return self.p_value < self.alpha

    def drifted(self) -> list:
        """The features whose drift test is significant after Holm's correction."""
        return self.features.loc[self.features["drifted"], "feature"].tolist()

    def priors(self) -> tuple[dict, dict] | None:
        """``({class: training share}, {class: estimated new share})``, or None."""
        if self.prior is None:
            return None
        return (
            dict(zip(self.classes, self.prior.train_prior.tolist(), strict=True)),
            dict(zip(self.classes, self.prior.prior.tolist(), strict=True)),
        )


def _as_frame(X, name: str) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        return X.reset_index(drop=True)
    values = X.toarray() if sp.issparse(X) else np.asarray(X)
    if values.ndim != 2:
        raise ValueError(f"{name} must be a table (2-D), got shape {values.shape}.")
    return pd.DataFrame(values)


def align_columns(X_train, X_new) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables as frames with the training columns in the training order, or a clear error."""
    train, new = _as_frame(X_train, "X_train"), _as_frame(X_new, "X_new")
    if isinstance(X_train, pd.DataFrame) and isinstance(X_new, pd.DataFrame):
        differences = column_differences(list(train.columns), list(new.columns))
        if differences:
            raise ValueError(
                f"the new data's columns differ from the training data's: {differences}. "
                "Give the new table the training table's feature columns, with the same names."
            )
        new = new[list(train.columns)]
    elif train.shape[1] != new.shape[1]:
        raise ValueError(
            f"the training data has {train.shape[1]} columns but the new data has "
            f"{new.shape[1]}: give both the same features in the same order."
        )
    else:
        new.columns = train.columns
    for frame, name in ((train, "training"), (new, "new")):
        if len(frame) < 2:
            raise ValueError(
                f"the {name} data has {len(frame)} rows: a shift test needs 2 or more."
            )
    return train, new


def _drift_test(train: pd.Series, new: pd.Series) -> tuple[str, float, float]:
    numeric = all(
        pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        for column in (train, new)
    )
    if numeric:
        a, b = train.dropna().to_numpy(float), new.dropna().to_numpy(float)
        if not len(a) or not len(b):
            return "none", float("nan"), float("nan")
        result = ks_2samp(a, b)
        return "ks", float(result.statistic), float(result.pvalue)
    values = pd.concat([train, new], ignore_index=True).astype(object)
    values = values.where(values.notna(), "missing").astype(str)
    domain = np.r_[np.zeros(len(train), int), np.ones(len(new), int)]
    table = pd.crosstab(domain, values.to_numpy()).to_numpy()
    if table.shape[1] < 2:
        return "chi2", 0.0, 1.0
    result = chi2_contingency(table)
    return "chi2", float(result.statistic), float(result.pvalue)


def feature_drift(train: pd.DataFrame, new: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Per-feature two-sample tests (KS or chi-square) with Holm-adjusted p-values."""
    rows = [(column, *_drift_test(train[column], new[column])) for column in train.columns]
    table = pd.DataFrame(rows, columns=["feature", "test", "statistic", "p_value"])
    tested = table["p_value"].notna()
    table["p_holm"] = np.nan
    table.loc[tested, "p_holm"] = holm(table.loc[tested, "p_value"])
    table["drifted"] = table["p_holm"] < alpha
    return table.sort_values("p_value", kind="stable", ignore_index=True)


def _mean_fold_auc(scores, domain, fold_of_row, permutations, rng) -> tuple[float, np.ndarray]:
    """Observed mean held-out AUC and its values under ``permutations`` within-fold shuffles."""
    observed, null = [], np.zeros(permutations)
    for fold in np.unique(fold_of_row):
        members = fold_of_row == fold
        ranks, labels = rankdata(scores[members]), domain[members]
        n_new = int(labels.sum())
        scale, offset = n_new * (len(labels) - n_new), n_new * (n_new + 1) / 2
        observed.append((ranks[labels == 1].sum() - offset) / scale)
        for start in range(0, permutations, _CHUNK):
            size = min(_CHUNK, permutations - start)
            # The n_new smallest of uniform keys: a uniformly drawn set of "new" rows.
            drawn = np.argpartition(rng.random((size, len(ranks))), n_new - 1, axis=1)[:, :n_new]
            null[start : start + size] += (ranks[drawn].sum(axis=1) - offset) / scale
    folds = len(observed)
    return float(np.mean(observed)), null / folds


def _uniform_rows(n: int, size: int, rng) -> np.ndarray:
    return np.arange(n) if n <= size else np.sort(rng.choice(n, size, replace=False))


def shift(
    X_train,
    X_new,
    y_train=None,
    *,
    learner=None,
    config: DiagnoseConfig | None = None,
    random_state: int | None = 0,
) -> Shift:
    """Test whether new data differs from the training data, and estimate its class prior.

    A domain classifier's cross-validated ROC-AUC with a permutation p-value
    (``config.permutations``, ``config.shift_folds``, at most ``config.shift_rows`` rows of
    each table), per-feature KS (numeric) or chi-square (other) tests with Holm's correction
    at ``config.alpha``, and, when ``y_train`` is given, the new data's class prior by EM
    (Saerens et al., 2002) from the probabilities of a model fitted on (at most
    ``config.shift_rows``) training rows and calibrated (isotonic, ``config.shift_folds``
    folds: EM assumes calibrated probabilities).

    Parameters
    ----------
    X_train, X_new : array-like or DataFrame
        Two tables of the same features (DataFrames: matched by column name; arrays: by
        position).
    y_train : array-like of shape (n_train,) or None
        Training labels, for the prior estimate (None: no prior estimate).
    learner : classifier with predict_proba or None
        Domain classifier and prior model (None: ``HistGradientBoostingClassifier()``).
    config : DiagnoseConfig or None
    random_state : int or None

    Returns
    -------
    Shift

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X_train = rng.normal(0, 1, (400, 3))
    >>> X_new = rng.normal(0, 1, (400, 3))
    >>> X_new[:, 2] += 1.0
    >>> found = shift(X_train, X_new)
    >>> found.shifted, found.drifted()
    (True, [2])
    >>> round(found.domain_auc, 2), round(found.p_value, 4)
    (0.61, 0.001)
    """
    config = DEFAULT_CONFIG if config is None else config
    train, new = align_columns(X_train, X_new)
    features = feature_drift(train, new, config.alpha)
    encoded = encode_features(pd.concat([train, new], ignore_index=True))
    enc_train, enc_new = encoded[: len(train)], encoded[len(train) :]
    learner = default_learner(random_state) if learner is None else learner
    rng = np.random.default_rng(random_state)

    picked_train = _uniform_rows(len(train), config.shift_rows, rng)
    picked_new = _uniform_rows(len(new), config.shift_rows, rng)
    domain = np.r_[np.zeros(len(picked_train), int), np.ones(len(picked_new), int)]
    folds = min(config.shift_folds, len(picked_train), len(picked_new))
    proba, fold_of_row, _ = out_of_fold_proba(
        np.vstack([enc_train[picked_train], enc_new[picked_new]]),
        domain,
        learner=learner,
        folds=folds,
        train_rows=len(domain),
        random_state=random_state,
    )
    auc, null = _mean_fold_auc(proba[:, 1], domain, fold_of_row, config.permutations, rng)
    p_value = (1 + int((null >= auc - 1e-12).sum())) / (config.permutations + 1)

    prior, classes = None, None
    if y_train is not None:
        labels, codes = check_target(train, y_train)
        # EM needs calibrated probabilities: boosting's own overstate a 2.5% minority as
        # 3.6-3.9% on the test data of tests/diagnose/test_sentences.py, isotonic 2.2-2.8%.
        calibrated = CalibratedClassifierCV(
            learner,
            method="isotonic",
            cv=StratifiedKFold(fold_count(codes, config.shift_folds), shuffle=True,
                               random_state=random_state),
        )  # fmt: skip
        model, fitted = fit_sample(
            calibrated, enc_train, codes, np.arange(len(codes)), config.shift_rows, rng
        )
        seen = np.bincount(codes[fitted], minlength=len(labels)) / len(fitted)
        prior = estimate_prior(model.predict_proba(enc_new), seen)
        classes = [plain(label) for label in labels]
    return Shift(
        domain_auc=auc,
        p_value=p_value,
        permutations=config.permutations,
        folds=folds,
        sampled={"train": len(picked_train), "new": len(picked_new)},
        features=features,
        alpha=config.alpha,
        rows={"train": len(train), "new": len(new)},
        prior=prior,
        classes=classes,
    )
