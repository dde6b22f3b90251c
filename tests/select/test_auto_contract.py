"""The contract properties that AutoBalancedClassifier's known failures switch off.

scikit-learn's checks for these fit on data with a class of a single sample, which the
selector refuses (it cross-validates); here the same properties are checked on data with
enough rows per class, with a tiny catalog so each test takes a few seconds.
"""

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from skewlearn.select import AutoBalancedClassifier, Strategy

N_ROWS = 60


def _small_auto():
    # One nested object (a Strategy) beside a spec string, so "deep" parameters are exercised.
    return AutoBalancedClassifier(
        [Strategy.parse("logreg"), "tree+balanced"], cv=2, n_repeats=1, random_state=0
    )


def _data(n_classes):
    X, y = make_classification(
        n_samples=N_ROWS,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        weights=[0.6, 0.4] if n_classes == 2 else [0.5, 0.3, 0.2],
        random_state=0,
    )
    return X, y


@pytest.fixture(scope="module", params=[2, 3], ids=["binary", "multiclass"])
def fitted(request):
    X, y = _data(request.param)
    return _small_auto().fit(X, y), X, y


def _public(estimator):
    return {k: v for k, v in vars(estimator).items() if not k.startswith("_")}


def test_no_attributes_set_in_init():
    auto = _small_auto()
    assert set(vars(auto)) == set(auto.get_params(deep=False))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_fit_leaves_parameters_unchanged(n_classes):
    X, y = _data(n_classes)
    auto = _small_auto()
    before = {k: joblib.hash(v) for k, v in auto.get_params(deep=True).items()}
    public_before = _public(auto)
    auto.fit(X, y)
    after = {k: joblib.hash(v) for k, v in auto.get_params(deep=True).items()}
    assert after == before
    # fit adds only learned attributes (trailing underscore) and rebinds no parameter
    added = {k for k in _public(auto) if not k.endswith("_")} - set(public_before)
    assert not added
    assert all(getattr(auto, k) is v for k, v in public_before.items())


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_predict_leaves_the_estimator_unchanged(fitted, method):
    auto, X, _ = fitted
    before = dict(vars(auto))
    digest = joblib.hash(vars(auto))
    getattr(auto, method)(X)
    assert vars(auto) == before  # nothing rebound
    assert joblib.hash(vars(auto)) == digest  # nothing changed in place


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_predictions_follow_the_rows(fitted, method):
    auto, X, _ = fitted
    order = np.random.default_rng(0).permutation(len(X))
    whole = getattr(auto, method)(X)
    np.testing.assert_allclose(getattr(auto, method)(X[order]), whole[order])
    # in batches (subset invariance), as a prediction service would call it
    batches = np.concatenate([getattr(auto, method)(X[i : i + 7]) for i in range(0, len(X), 7)])
    np.testing.assert_allclose(batches, whole)


def test_fortran_ordered_input_gives_the_same_model(fitted):
    auto, X, y = fitted
    X_f = np.asfortranarray(X)
    refitted = clone(auto).fit(X_f, y)
    assert refitted.best_strategy_.name == auto.best_strategy_.name
    np.testing.assert_allclose(refitted.predict_proba(X_f), auto.predict_proba(X))
    np.testing.assert_array_equal(auto.predict(X_f), auto.predict(X))


def test_one_dimensional_rows_are_a_clear_error(fitted):
    auto, X, _ = fitted
    with pytest.raises(ValueError, match="2D array"):
        auto.predict(X[0])


def test_a_class_too_small_to_cross_validate_is_a_clear_error():
    """Why the generic checks fail: their data has a class of one sample."""
    X, y = _data(2)
    y = np.where(np.arange(len(y)) == 0, 1, 0)
    with pytest.raises(ValueError, match="class 1 has 1 sample; cross-validation needs at least 2"):
        _small_auto().fit(X, y)
