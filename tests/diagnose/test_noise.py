"""Label-noise suspects: flipped labels are found, clean data has none, cleanlab is optional."""

import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from skewlearn.diagnose import DiagnoseConfig, diagnose, label_noise
from skewlearn.diagnose._oof import out_of_fold_proba


def flipped_data(seed=0):
    """Well separated classes (1:4) with 12 minority and 12 majority labels flipped."""
    X, y = make_classification(1200, 6, weights=[0.8], class_sep=2.5, flip_y=0, random_state=seed)
    rng = np.random.default_rng(seed)
    to_majority = rng.choice(np.flatnonzero(y == 1), 12, replace=False)
    to_minority = rng.choice(np.flatnonzero(y == 0), 12, replace=False)
    noisy = y.copy()
    noisy[to_majority], noisy[to_minority] = 0, 1
    return X, noisy, to_majority, to_minority


@pytest.fixture(scope="module")
def found():
    X, y, to_majority, to_minority = flipped_data()
    return label_noise(X, y), y, to_majority, to_minority


def test_flipped_labels_are_found_in_both_directions(found):
    noise, y, to_majority, to_minority = found
    assert np.isin(to_majority, noise.rows).mean() >= 0.75
    assert np.isin(to_minority, noise.rows).mean() >= 0.75
    # Few clean rows are accused: precision of at least a half.
    flipped = np.r_[to_majority, to_minority]
    assert np.isin(noise.rows, flipped).mean() >= 0.5


def test_suspects_are_consistent_and_exportable(found):
    noise, y, *_ = found
    np.testing.assert_array_equal(noise.given, y[noise.rows])
    assert np.all(noise.given != noise.suggested)
    assert np.all(np.diff(noise.self_confidence) >= 0)  # least self-confident first
    assert np.all((noise.self_confidence >= 0) & (noise.self_confidence <= 0.5))
    assert sum(noise.pairs.values()) == len(noise.rows) == sum(noise.class_counts.values())
    assert set(noise.pairs) <= {(0, 1), (1, 0)}
    assert noise.share == pytest.approx(len(noise.rows) / len(y))
    frame = noise.frame()
    assert list(frame.columns) == ["row", "given", "suggested", "self_confidence"]
    assert frame["row"].tolist() == noise.rows.tolist()
    assert noise.folds == 5 and "HistGradientBoosting" in noise.learner


def test_clean_separated_data_has_almost_no_suspect():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (300, 2)), rng.normal(12, 1, (60, 2))]
    y = np.r_[np.zeros(300), np.ones(60)]
    noise = label_noise(X, y)
    # Gradient boosting splits at the edge of the training rows' bins, so the most extreme
    # majority row, held out, can land on the minority side: one suspect, nothing more.
    assert noise.rows.tolist() == [int(np.argmax(X[:300, 0]))]
    assert noise.class_counts == {0.0: 1, 1.0: 0}
    assert len(label_noise(X, y, learner=LogisticRegression()).rows) == 0


def test_out_of_fold_probabilities_match_cross_val_predict():
    X, y = make_classification(300, 4, weights=[0.7], random_state=1)
    learner = LogisticRegression()
    proba, folds, largest = out_of_fold_proba(
        X, y, learner=learner, folds=4, train_rows=10_000, random_state=3
    )
    cv = StratifiedKFold(4, shuffle=True, random_state=3)
    expected = cross_val_predict(learner, X, y, cv=cv, method="predict_proba")
    np.testing.assert_allclose(proba, expected)
    assert np.bincount(folds).tolist() == [75] * 4 and largest == 225


def test_capped_fits_still_predict_every_row():
    X, y = make_classification(2000, 4, weights=[0.9], random_state=2)
    proba, _, largest = out_of_fold_proba(
        X, y, learner=LogisticRegression(), folds=5, train_rows=300, random_state=0
    )
    assert 295 <= largest <= 305
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    noise = label_noise(X, y, config=DiagnoseConfig(noise_rows=300))
    assert noise.fitted_rows <= 305


def test_folds_adapt_to_a_small_class_and_labels_stay_as_given():
    X, y = make_classification(200, 4, weights=[0.95], random_state=0)
    labels = pd.Series(np.where(np.arange(200) < 3, "rare", "common"))
    noise = label_noise(pd.DataFrame(X), labels, learner=LogisticRegression())
    assert noise.folds == 3
    assert set(noise.class_counts) == {"rare", "common"}
    assert "LogisticRegression" in noise.learner


def test_a_class_of_one_row_is_a_clear_error_and_skipped_in_diagnose():
    X, y = make_classification(100, 4, random_state=0)
    y[0] = 2
    with pytest.raises(ValueError, match="a class has 1 row"):
        label_noise(X, y)
    diagnosis = diagnose(X, y)
    assert diagnosis.label_noise is None
    assert "2 or more rows of every class" in diagnosis.skipped["label_noise"]


def test_without_cleanlab_the_rest_of_the_diagnosis_works(monkeypatch):
    monkeypatch.setitem(sys.modules, "cleanlab", None)
    monkeypatch.setitem(sys.modules, "cleanlab.filter", None)
    X, y, *_ = flipped_data()
    with pytest.raises(ImportError, match=r"pip install skewlearn\[noise\]"):
        label_noise(X, y)
    diagnosis = diagnose(X, y)
    assert diagnosis.label_noise is None
    assert diagnosis.skipped == {"label_noise": "label-noise suspects need cleanlab: "
                                                "pip install skewlearn[noise]"}  # fmt: skip
    assert diagnosis.typology.counts[1] and "label_noise" not in diagnosis.seconds


def test_diagnose_holds_the_suspects_and_can_leave_them_out(found):
    X, y, *_ = flipped_data()
    diagnosis = diagnose(X, y)
    noise = found[0]
    np.testing.assert_array_equal(diagnosis.label_noise.rows, noise.rows)
    assert diagnosis.skipped == {} and "label_noise" in diagnosis.seconds
    assert diagnose(X, y, noise=False).label_noise is None


def test_a_given_learner_is_used():
    X, y, to_majority, _ = flipped_data(1)
    noise = label_noise(X, y, learner=HistGradientBoostingClassifier(max_iter=20))
    assert "max_iter=20" in noise.learner
    assert np.isin(to_majority, noise.rows).mean() >= 0.5
