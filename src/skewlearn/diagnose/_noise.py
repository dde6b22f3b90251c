"""Label-noise suspects: rows whose label disagrees confidently with out-of-fold probabilities.

Confident learning (Northcutt, Jiang & Chuang, 2021) through cleanlab's
``find_label_issues``, an optional extra (``pip install skewlearn[noise]``).  The
probabilities are out of fold (see ``_oof``), from the learner of
:func:`~skewlearn.diagnose._oof.default_learner` unless another is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._config import DEFAULT_CONFIG, DiagnoseConfig
from ._data import check_target, encode_features, plain
from ._oof import LEARNER_NAME, default_learner, fold_count, out_of_fold_proba

INSTALL_HINT = "label-noise suspects need cleanlab: pip install skewlearn[noise]"


@dataclass(frozen=True)
class LabelNoise:
    """Rows whose given label looks wrong, as confident learning finds them.

    Attributes
    ----------
    rows : ndarray of int
        Positions (0-based, in the ``X`` and ``y`` given) of the suspect rows, least
        self-confident first.
    given, suggested : ndarray
        Each suspect's label as given, and the most probable label out of fold.
    self_confidence : ndarray of float
        The out-of-fold probability of the given label.
    pairs : dict
        ``{(given, suggested): rows}``, most rows first.
    class_counts : dict
        ``{class: suspects}`` for every class (0 where none).
    share : float
        Suspects per row.
    learner : str
        The model behind the probabilities.
    folds : int
        Stratified folds (fewer than asked when a class is smaller).
    fitted_rows : int
        The most rows one fold's model was fitted on (fewer than the rows of the other folds
        when ``DiagnoseConfig.noise_rows`` capped it).
    """

    rows: np.ndarray
    given: np.ndarray
    suggested: np.ndarray
    self_confidence: np.ndarray
    pairs: dict
    class_counts: dict
    share: float
    learner: str
    folds: int
    fitted_rows: int = field(repr=False)

    def frame(self) -> pd.DataFrame:
        """The suspects as a table: ``row``, ``given``, ``suggested``, ``self_confidence``."""
        return pd.DataFrame(
            {
                "row": self.rows,
                "given": self.given,
                "suggested": self.suggested,
                "self_confidence": self.self_confidence,
            }
        )


def cleanlab_installed() -> bool:
    """Whether the optional extra ``noise`` (cleanlab) can be imported."""
    try:
        import cleanlab.filter  # noqa: F401
    except ImportError:
        return False
    return True


def noise_from_codes(
    X: np.ndarray,
    codes: np.ndarray,
    classes: np.ndarray,
    config: DiagnoseConfig = DEFAULT_CONFIG,
    random_state: int | None = 0,
    learner=None,
) -> LabelNoise:
    """The suspects of encoded data with class codes (see :func:`label_noise`)."""
    try:
        from cleanlab.filter import find_label_issues
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    folds = fold_count(codes, config.noise_folds)
    proba, _, fitted = out_of_fold_proba(
        X,
        codes,
        learner=default_learner(random_state) if learner is None else learner,
        folds=folds,
        train_rows=config.noise_rows,
        random_state=random_state,
    )
    rows = find_label_issues(codes, proba, return_indices_ranked_by="self_confidence", n_jobs=1)
    given, suggested = codes[rows], proba[rows].argmax(axis=1)
    pair_codes, pair_counts = np.unique(np.c_[given, suggested], axis=0, return_counts=True)
    order = np.argsort(-pair_counts, kind="stable")
    pairs = {
        (plain(classes[a]), plain(classes[b])): int(count)
        for (a, b), count in zip(pair_codes[order], pair_counts[order], strict=True)
    }
    per_class = np.bincount(given, minlength=len(classes))
    return LabelNoise(
        rows=rows,
        given=classes[given],
        suggested=classes[suggested],
        self_confidence=proba[rows, given],
        pairs=pairs,
        class_counts={plain(c): int(k) for c, k in zip(classes, per_class, strict=True)},
        share=len(rows) / len(codes),
        learner=LEARNER_NAME if learner is None else repr(learner),
        folds=folds,
        fitted_rows=fitted,
    )


def label_noise(
    X, y, *, learner=None, config: DiagnoseConfig | None = None, random_state: int | None = 0
) -> LabelNoise:
    """Label-noise suspects of a classification data set (confident learning, cleanlab).

    Out-of-fold probabilities from stratified folds (``config.noise_folds``, fewer when a
    class has fewer rows), each fold's model fitted on at most ``config.noise_rows`` rows,
    then cleanlab's ``find_label_issues`` (prune by noise rate).  Columns are encoded as in
    :func:`diagnose`.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels; every class needs at least 2 rows.
    learner : classifier with predict_proba or None
        None: scikit-learn's ``HistGradientBoostingClassifier`` with its defaults.
    config : DiagnoseConfig or None
    random_state : int or None
        Seeds the folds, the samples and the learner.

    Returns
    -------
    LabelNoise

    Raises
    ------
    ImportError
        When cleanlab is not installed (``pip install skewlearn[noise]``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(600, 5, weights=[0.8], class_sep=2.0, random_state=0)
    >>> flipped = np.random.default_rng(0).choice(np.flatnonzero(y == 1), 10, replace=False)
    >>> y[flipped] = 0
    >>> noise = label_noise(X, y)
    >>> int(np.isin(flipped, noise.rows).sum()), len(noise.rows)
    (9, 13)
    >>> noise.pairs
    {(0, 1): 9, (1, 0): 4}
    """
    classes, codes = check_target(X, y)
    config = DEFAULT_CONFIG if config is None else config
    return noise_from_codes(encode_features(X), codes, classes, config, random_state, learner)
