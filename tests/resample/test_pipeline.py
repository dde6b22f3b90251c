"""The weight-carrying Pipeline: imbalanced-learn's own without weights, and with them every
step gets the weights of the rows that reach it (routing on and off)."""

import re

import numpy as np
import pytest
import sklearn
from imblearn import FunctionSampler
from imblearn import pipeline as imblearn_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from skewlearn.resample import SMOTE, Pipeline, TomekLinks, make_pipeline

ROUTING = pytest.mark.parametrize("routing", [False, True], ids=["routing-off", "routing-on"])


class Recorder(ClassifierMixin, BaseEstimator):
    """Keeps what its fit was given."""

    def fit(self, X, y, sample_weight=None):
        self.X_, self.y_, self.weight_ = np.asarray(X), np.asarray(y), sample_weight
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _data(n=200):
    X, y = make_classification(n_samples=n, weights=[0.85], flip_y=0.05, random_state=0)
    # Distinct weights, so each weight names the row it belongs to.
    return X, y, 1.0 + np.arange(n) / n


@pytest.mark.parametrize(
    "steps",
    [
        lambda: [StandardScaler(), SMOTE(random_state=0), LogisticRegression()],
        lambda: [RandomUnderSampler(random_state=0), TomekLinks(), LogisticRegression()],
        lambda: [StandardScaler(), "passthrough", LogisticRegression()],
    ],
    ids=["scale-smote-logreg", "rus-tomek-logreg", "passthrough"],
)
@ROUTING
def test_without_weights_it_is_imbalanced_learns_pipeline(steps, routing):
    X, y, _ = _data()
    with sklearn.config_context(enable_metadata_routing=routing):
        ours = make_pipeline(*steps()).fit(X, y)
        theirs = imblearn_pipeline.make_pipeline(*steps()).fit(X, y)
        np.testing.assert_array_equal(ours.predict_proba(X), theirs.predict_proba(X))
        resampler = [s for s in steps() if not isinstance(s, LogisticRegression)]
        if any(hasattr(s, "fit_resample") for s in resampler):
            ours_res = make_pipeline(*resampler).fit_resample(X, y)
            theirs_res = imblearn_pipeline.make_pipeline(*resampler).fit_resample(X, y)
            for a, b in zip(ours_res, theirs_res, strict=True):
                np.testing.assert_array_equal(a, b)
    assert type(ours).__mro__[1] is imblearn_pipeline.Pipeline


@pytest.mark.parametrize("sampler", [RandomUnderSampler, SMOTE, TomekLinks])
@ROUTING
def test_the_learner_gets_the_weights_of_the_rows_that_reach_it(sampler, routing):
    X, y, w = _data()
    params = {"random_state": 0} if "random_state" in sampler().get_params() else {}
    with sklearn.config_context(enable_metadata_routing=routing):
        pipe = make_pipeline(sampler(**params), Recorder()).fit(X, y, sample_weight=w)
    recorder = pipe[-1]
    if sampler is RandomUnderSampler:  # imbalanced-learn's: weights taken by its indices
        reference = sampler(**params)
        X_res, w_res = reference.fit_resample(X, y)[0], w[reference.sample_indices_]
    else:
        X_res, _, w_res = sampler(**params).fit_resample(X, y, sample_weight=w)
    np.testing.assert_array_equal(recorder.X_, X_res)
    np.testing.assert_array_equal(recorder.weight_, w_res)
    # Every kept row arrives with its own weight.
    original = {row.tobytes(): i for i, row in enumerate(X)}
    kept = [(original[row.tobytes()], weight) for row, weight in zip(recorder.X_, recorder.weight_)
            if row.tobytes() in original]  # fmt: skip
    assert kept and all(weight == w[i] for i, weight in kept)


def test_weights_pass_through_a_transformer_that_takes_none():
    X, y, w = _data()
    X[::7, 0] = np.nan
    impute = ColumnTransformer([("impute", SimpleImputer(), [0])], remainder="passthrough")
    pipe = make_pipeline(impute, RandomUnderSampler(random_state=0), Recorder())
    pipe.fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(pipe[-1].weight_, w[pipe[1].sample_indices_])


@ROUTING
def test_unit_weights_are_no_weights(routing):
    X, y, _ = _data()
    steps = [StandardScaler(), SMOTE(random_state=0), LogisticRegression()]
    with sklearn.config_context(enable_metadata_routing=routing):
        plain = make_pipeline(*steps).fit(X, y).predict_proba(X)
        unit = make_pipeline(*steps).fit(X, y, sample_weight=np.ones(len(y))).predict_proba(X)
    np.testing.assert_allclose(unit, plain, rtol=1e-6, atol=1e-9)


@ROUTING
def test_integer_weights_are_repeated_rows(routing):
    X, y, _ = _data(120)
    counts = np.random.default_rng(0).integers(1, 4, size=len(y))
    with sklearn.config_context(enable_metadata_routing=routing):
        weighted = make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10))
        weighted.fit(X, y, sample_weight=counts.astype(float))
        repeated = make_pipeline(StandardScaler(), LogisticRegression(tol=1e-10))
        repeated.fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    # The scaler's weighted mean and the learner's weighted loss both equal the repeats'.
    np.testing.assert_allclose(weighted[0].mean_, repeated[0].mean_, rtol=1e-12)
    np.testing.assert_allclose(weighted[-1].coef_, repeated[-1].coef_, rtol=1e-4)
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-5)


def test_fit_resample_returns_the_weights_of_the_last_sampler():
    X, y, w = _data()
    pipe = make_pipeline(TomekLinks(), SMOTE(random_state=0))
    X_res, y_res, w_res = pipe.fit_resample(X, y, sample_weight=w)
    X_mid, y_mid, w_mid = TomekLinks().fit_resample(X, y, sample_weight=w)
    expected = SMOTE(random_state=0).fit_resample(X_mid, y_mid, sample_weight=w_mid)
    for got, want in zip((X_res, y_res, w_res), expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert len(pipe.fit_resample(X, y)) == 2  # without weights, imbalanced-learn's pair


def test_fit_predict_and_fit_transform_take_weights():
    X, _, w = _data()
    labels = make_pipeline(StandardScaler(), KMeans(2, n_init=1, random_state=0)).fit_predict(
        X, sample_weight=w
    )
    scaled = StandardScaler().fit_transform(X, sample_weight=w)
    expected = KMeans(2, n_init=1, random_state=0).fit_predict(scaled, sample_weight=w)
    np.testing.assert_array_equal(labels, expected)
    transformed = make_pipeline(StandardScaler()).fit_transform(X, sample_weight=w)
    np.testing.assert_allclose(transformed, scaled)


def test_cached_steps_carry_weights(tmp_path):
    X, y, w = _data()
    pipe = Pipeline(
        [("rus", RandomUnderSampler(random_state=0)), ("learner", Recorder())], memory=str(tmp_path)
    )
    for _ in range(2):  # the second fit loads the sampler from the cache
        pipe.fit(X, y, sample_weight=w)
        np.testing.assert_array_equal(pipe[-1].weight_, w[pipe[0].sample_indices_])


def test_an_outer_cross_validation_routes_the_weights():
    X, y, w = _data()
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
        pipe.set_fit_request(sample_weight=True)
        scorer = get_scorer("roc_auc").set_score_request(sample_weight=False)
        scores = cross_validate(pipe, X, y, cv=cv, scoring=scorer, params={"sample_weight": w})
    by_hand = []
    for train, test in cv.split(X, y):
        fitted = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
        fitted.fit(X[train], y[train], sample_weight=w[train])
        by_hand.append(roc_auc_score(y[test], fitted.predict_proba(X[test])[:, 1]))
    np.testing.assert_allclose(scores["test_score"], by_hand)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            lambda: [RandomUnderSampler(random_state=0), KNeighborsClassifier()],
            "step 'kneighborsclassifier' (KNeighborsClassifier) takes no sample_weight in fit",
        ),
        (
            lambda: [FunctionSampler(), LogisticRegression()],
            "step 'functionsampler' cannot carry sample_weight: FunctionSampler neither",
        ),
    ],
    ids=["learner", "sampler"],
)
def test_a_step_that_cannot_take_weights_is_named(steps, message):
    X, y, w = _data()
    with pytest.raises(TypeError, match=re.escape(message)):
        make_pipeline(*steps()).fit(X, y, sample_weight=w)
    make_pipeline(*steps()).fit(X, y)  # without weights it is fine


def test_bad_weights_are_refused():
    X, y, w = _data()
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    with pytest.raises(ValueError, match="sample_weight has shape"):
        pipe.fit(X, y, sample_weight=w[:-1])
    with pytest.raises(ValueError, match="sample_weight is given twice"):
        pipe.fit(X, y, sample_weight=w, logisticregression__sample_weight=w)
