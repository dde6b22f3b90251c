"""CalibratedClassifier: out-of-fold Brier and log-loss before and after calibration."""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.naive_bayes import GaussianNB

from skewlearn.decision import CalibratedClassifier
from skewlearn.decision._calibration import brier


def test_calibrating_naive_bayes_lowers_log_loss_out_of_fold():
    X, y = make_classification(n_samples=1500, n_informative=3, n_redundant=6, weights=[0.8],
                               random_state=0)  # fmt: skip
    model = CalibratedClassifier(GaussianNB(), cv=3).fit(X, y)
    results = model.cv_results_
    assert results["brier_before"].shape == (3,)
    assert results["mean_log_loss_after"] < results["mean_log_loss_before"]
    assert results["mean_brier_after"] < results["mean_brier_before"]
    assert model.improves_
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)


def test_brier_matches_registry_binary_and_multiclass():
    from skewlearn import metrics

    rng = np.random.default_rng(0)
    for k in (2, 3):
        proba = rng.dirichlet(np.ones(k), 50)
        y = rng.integers(0, k, 50)
        expected = metrics.brier(y, proba, labels=np.arange(k))
        assert np.isclose(brier(y, proba), expected)


def test_folds_shrink_to_the_smallest_class_instead_of_failing():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = np.array([1] * 4 + [0] * 36)
    X[y == 1] += 2
    # Default cv=5 with 4 rows of class 1: 4 outer folds, each training fold holds 3 of them,
    # so 3 calibration folds there; the refit on all rows uses 4.
    model = CalibratedClassifier(LogisticRegression()).fit(X, y)
    assert model.cv_results_["brier_before"].shape == (4,)
    reference = CalibratedClassifierCV(LogisticRegression(), cv=4).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X))


def test_a_class_too_small_to_cross_validate_is_refused_with_the_fix():
    import pytest
    from sklearn.linear_model import LogisticRegression

    X = np.arange(20.0).reshape(10, 2)
    y = np.array([0] * 8 + [1] * 2)
    with pytest.raises(ValueError, match="a class has 1 there. Give each class at least 3 rows"):
        CalibratedClassifier(LogisticRegression()).fit(X, y)


def test_multilabel_target_gets_the_standard_message():
    import pytest
    from sklearn.linear_model import LogisticRegression

    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(ValueError, match="Multilabel and multioutput targets are not supported"):
        CalibratedClassifier(LogisticRegression()).fit(X, np.zeros((10, 2)))


def test_bad_parameters_are_refused_naming_the_parameter_and_what_it_takes():
    import pytest
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples=60, random_state=0)
    bad = [
        ({"method": "platt"}, r"'method' parameter of CalibratedClassifier must be a str among"),
        ({"cv": 1}, r"'cv' parameter of CalibratedClassifier must be an int in the range \[2,"),
        ({"n_jobs": "all"}, r"'n_jobs' parameter of CalibratedClassifier must be"),
        # Splits name rows of all of X; the calibration folds split a training fold.
        ({"cv": [(np.arange(30), np.arange(30, 60))]}, r"'cv' parameter of CalibratedClassifier"),
    ]
    for params, message in bad:
        with pytest.raises(ValueError, match=message):
            CalibratedClassifier(LogisticRegression(), **params).fit(X, y)
    with pytest.raises(ValueError, match="'estimator' parameter of CalibratedClassifier"):
        CalibratedClassifier("a model").fit(X, y)
    # What the constraints accept still fits: isotonic, a splitter, None.
    from sklearn.model_selection import StratifiedKFold

    accepted = [({"method": "isotonic"}, 5), ({"cv": StratifiedKFold(3)}, 3), ({"cv": None}, 5)]
    for params, folds in accepted:
        model = CalibratedClassifier(LogisticRegression(), **params).fit(X, y)
        assert model.cv_results_["brier_after"].shape == (folds,)


def _sklearn_before(major: int, minor: int) -> bool:
    import sklearn

    return tuple(int(part) for part in sklearn.__version__.split(".")[:2]) < (major, minor)


def test_temperature_scaling_keeps_each_fold_models_order_of_classes_and_lowers_log_loss():
    import pytest

    if _sklearn_before(1, 8):
        pytest.skip("temperature scaling is scikit-learn 1.8's")
    X, y = make_classification(n_samples=600, n_classes=3, n_informative=4, n_redundant=6,
                               weights=[0.7, 0.2], random_state=0)  # fmt: skip
    model = CalibratedClassifier(GaussianNB(), method="temperature", cv=3).fit(X, y)
    assert model.improves_
    assert (
        model.cv_results_["mean_log_loss_after"] < 0.9 * model.cv_results_["mean_log_loss_before"]
    )
    for fold in model.estimator_.calibrated_classifiers_:
        np.testing.assert_array_equal(
            fold.predict_proba(X).argmax(axis=1), fold.estimator.predict_proba(X).argmax(axis=1)
        )


def test_temperature_on_an_older_scikit_learn_is_refused_with_the_fix():
    import pytest

    if not _sklearn_before(1, 8):
        pytest.skip("this scikit-learn has temperature scaling")
    X, y = make_classification(n_samples=100, random_state=0)
    with pytest.raises(ValueError, match="needs scikit-learn 1.8 or newer.*method='sigmoid'"):
        CalibratedClassifier(GaussianNB(), method="temperature").fit(X, y)
