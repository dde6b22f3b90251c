"""Query strategies: known answers on hand-made probabilities and points, shared invariants."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skewlearn.active import (
    BadgeSampling,
    ClassBalancedSampling,
    CoreSet,
    EntropySampling,
    LeastConfidence,
    MarginSampling,
    RandomSampling,
    make_strategy,
    strategy_names,
)
from skewlearn.active._class_balanced import fill_fewest


class FixedProba:
    """A 'fitted classifier' whose probabilities for the pool are given by hand."""

    def __init__(self, proba):
        self.proba = np.asarray(proba, dtype=float)
        self.classes_ = np.arange(self.proba.shape[1])

    def predict_proba(self, X):
        assert len(X) == len(self.proba)
        return self.proba


# Rows: confident, near-tie of two classes, three-way spread, fairly confident, tie of two.
PROBA = np.array(
    [
        [0.98, 0.01, 0.01],
        [0.45, 0.44, 0.11],
        [0.34, 0.33, 0.33],
        [0.80, 0.15, 0.05],
        [0.50, 0.50, 0.00],
    ]
)
X5 = np.zeros((5, 1))


def test_least_confidence_picks_lowest_max_probability():
    rows = LeastConfidence().select(FixedProba(PROBA), X5, 3, random_state=0)
    # max p: 0.98, 0.45, 0.34, 0.80, 0.50 -> lowest first: rows 2, 1, 4
    assert rows.tolist() == [2, 1, 4]


def test_margin_picks_smallest_gap_between_top_two():
    rows = MarginSampling().select(FixedProba(PROBA), X5, 3, random_state=0)
    # gaps: 0.97, 0.01, 0.01, 0.65, 0.00 -> row 4, then rows 1 and 2 (equal gaps)
    assert rows[0] == 4
    assert sorted(rows[1:].tolist()) == [1, 2]


def test_entropy_picks_most_spread_distribution():
    rows = EntropySampling().select(FixedProba(PROBA), X5, 2, random_state=0)
    entropy = -np.sum(np.where(PROBA > 0, PROBA * np.log(np.where(PROBA > 0, PROBA, 1)), 0), 1)
    assert rows.tolist() == np.argsort(-entropy)[:2].tolist() == [2, 1]


def test_equal_scores_are_broken_at_random_but_by_seed():
    tied = FixedProba(np.full((50, 2), 0.5))
    X = np.zeros((50, 1))
    first = [tuple(MarginSampling().select(tied, X, 5, random_state=s)) for s in range(5)]
    assert len(set(first)) > 1
    again = [tuple(MarginSampling().select(tied, X, 5, random_state=s)) for s in range(5)]
    assert first == again


def test_coreset_picks_the_farthest_point_first_then_spreads():
    X_pool = np.array([[1.0, 0.0], [2.0, 0.0], [10.0, 0.0], [0.0, 6.0], [9.0, 1.0]])
    X_labelled = np.zeros((1, 2))
    rows = CoreSet(scale=False).select(None, X_pool, 3, X_labelled=X_labelled)
    # farthest from the origin is (10, 0); then farthest from both is (0, 6); (9, 1) is next
    # to (10, 0), so the third is (2, 0)... distances to {0, (10,0), (0,6)}: (1,0)->1,
    # (2,0)->2, (9,1)->sqrt(2): (2, 0).
    assert rows.tolist() == [2, 3, 1]


def test_coreset_scales_features_unless_told_not_to():
    # Feature 1 is in thousands: unscaled it decides alone, scaled both count.
    X_pool = np.array([[0.0, 3000.0], [5.0, 0.0], [0.0, 0.0]])
    labelled = np.array([[0.0, 0.0], [0.0, 3000.0], [5.0, 3000.0], [5.0, 0.0]])
    assert CoreSet(scale=False).select(None, X_pool, 1, X_labelled=labelled[:1]).tolist() == [0]
    assert CoreSet(scale=True).select(None, X_pool, 1, X_labelled=labelled[:1]).tolist() == [0]
    mixed = np.array([[4.0, 100.0], [0.0, 2000.0]])
    assert CoreSet(scale=False).select(None, mixed, 1, X_labelled=labelled[:1]).tolist() == [1]
    ref = np.array([[0.0, 0.0], [5.0, 2000.0]])
    # scaled by the spread of pool and labelled rows: column 0 spread 2.5, column 1 1000
    assert CoreSet(scale=True).select(None, mixed, 1, X_labelled=ref[:1]).tolist() == [1]


def test_coreset_on_a_large_pool_chooses_among_a_seeded_random_subset():
    # Points on a line, one labelled at 0: the farthest row of the pool is its last.
    X_pool = np.arange(1.0, 301.0).reshape(-1, 1)
    labelled = np.zeros((1, 1))
    whole = CoreSet(scale=False, max_candidates=None).select(None, X_pool, 1, X_labelled=labelled)
    assert whole.tolist() == [299]
    # A batch of 2 on a pool above max(max_candidates, 10 * batch) = 20 rows: the farthest
    # row of a random (seeded) 20-row subset, then the row of that subset farthest from both.
    subset = np.sort(np.random.RandomState(3).choice(300, size=20, replace=False))
    rows = CoreSet(scale=False, max_candidates=5).select(
        None, X_pool, 2, X_labelled=labelled, random_state=3
    )
    assert set(rows.tolist()) <= set(subset.tolist())
    assert rows[0] == subset[-1]
    far = np.minimum(X_pool[subset, 0], np.abs(X_pool[subset, 0] - X_pool[rows[0], 0]))
    assert rows[1] == subset[np.argmax(far)]
    # A pool no larger than the subset is taken whole.
    assert CoreSet(scale=False, max_candidates=300).select(
        None, X_pool, 1, X_labelled=labelled, random_state=3
    ).tolist() == [299]


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_coreset_refuses_a_bad_max_candidates(bad):
    with pytest.raises(ValueError, match="max_candidates must be a positive int or None"):
        CoreSet(max_candidates=bad)


def test_class_balanced_picks_the_rarest_class_boundary():
    # Class 2 has 1 label, classes 0 and 1 many: a batch of one goes to class 2's boundary,
    # the row where p_2 is closest to its strongest rival (row 3: |0.45 - 0.5|).
    proba = np.array(
        [
            [0.50, 0.49, 0.01],  # on the 0|1 boundary, far from class 2
            [0.10, 0.10, 0.80],  # deep in class 2
            [0.90, 0.05, 0.05],
            [0.50, 0.05, 0.45],  # near class 2's boundary
            [0.30, 0.30, 0.40],  # |0.40 - 0.30| = 0.10
        ]
    )
    y_labelled = np.array([0] * 20 + [1] * 10 + [2])
    strategy = ClassBalancedSampling()
    rows = strategy.select(FixedProba(proba), X5, 1, y_labelled=y_labelled, random_state=0)
    assert rows.tolist() == [3]
    # Two slots: class 2 (1 label) then again class 2 (2 < 10): rows 3 and 4.
    rows = strategy.select(FixedProba(proba), X5, 2, y_labelled=y_labelled, random_state=0)
    assert rows.tolist() == [3, 4]


def test_class_balanced_fills_the_fewest_first():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(3), size=200)
    y_labelled = np.array([0] * 10 + [1] * 4 + [2] * 1)
    rows = ClassBalancedSampling().select(
        FixedProba(proba), np.zeros((200, 1)), 12, y_labelled=y_labelled, random_state=0
    )
    # Counts 10, 4, 1 and 12 slots: class 2 takes 3 (up to 4), then classes 1 and 2
    # alternate (ties to the first): 5 more for class 1, 4 more for class 2; none for 0.
    slots = fill_fewest(np.array([10, 4, 1]), 12)
    assert slots[:4] == [2, 2, 2, 1]
    assert np.bincount(slots, minlength=3).tolist() == [0, 5, 7]
    assert len(set(rows.tolist())) == 12


def _linear_model():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=120) > 0.8).astype(int)
    return X, y, LogisticRegression().fit(X, y)


def test_badge_embeddings_favour_uncertain_rows():
    X, _, model = _linear_model()
    rows = BadgeSampling().select(model, X, 10, random_state=0)
    margin = np.abs(model.predict_proba(X)[:, 1] - 0.5)
    # Gradient embeddings are long where p is far from the predicted label's 1: the batch is
    # more uncertain than the pool on average.
    assert margin[rows].mean() < margin.mean()


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_badge_works_through_a_pipeline_and_an_mlp():
    X, y, _ = _linear_model()
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    assert len(set(BadgeSampling().select(pipe, X, 7, random_state=0).tolist())) == 7
    mlp = MLPClassifier(hidden_layer_sizes=(5,), max_iter=300, random_state=0).fit(X, y)
    assert len(set(BadgeSampling().select(mlp, X, 7, random_state=0).tolist())) == 7


def test_badge_refuses_a_model_without_last_layer_features():
    X, y, _ = _linear_model()
    model = HistGradientBoostingClassifier(max_iter=5).fit(X, y)
    with pytest.raises(TypeError, match="BadgeSampling needs gradient embeddings.*coef_"):
        BadgeSampling().select(model, X, 3)


FITTED = _linear_model()


@pytest.mark.parametrize("name", strategy_names())
def test_every_strategy_returns_distinct_rows_in_range(name):
    X, y, model = FITTED
    rows = make_strategy(name).select(
        model, X[30:], 12, X_labelled=X[:30], y_labelled=y[:30], classes=[0, 1], random_state=0
    )
    assert rows.dtype.kind == "i" and rows.shape == (12,)
    assert len(np.unique(rows)) == 12 and rows.min() >= 0 and rows.max() < 90


@pytest.mark.parametrize("name", strategy_names())
def test_a_batch_larger_than_the_pool_returns_the_whole_pool(name):
    X, y, model = FITTED
    rows = make_strategy(name).select(
        model, X[:7], 50, X_labelled=X[7:], y_labelled=y[7:], classes=[0, 1], random_state=0
    )
    assert sorted(rows.tolist()) == list(range(7))


@pytest.mark.parametrize("name", strategy_names())
def test_same_seed_same_rows(name):
    X, y, model = FITTED
    context = {"X_labelled": X[:30], "y_labelled": y[:30], "classes": [0, 1]}
    first = make_strategy(name).select(model, X[30:], 9, **context, random_state=3)
    second = make_strategy(name).select(model, X[30:], 9, **context, random_state=3)
    assert first.tolist() == second.tolist()


def test_make_strategy_seed_is_used_when_select_gets_none():
    X = np.zeros((100, 1))
    a = make_strategy("random", random_state=5).select(None, X, 5)
    b = make_strategy("random", random_state=5).select(None, X, 5)
    assert a.tolist() == b.tolist()


@pytest.mark.parametrize("strategy", [CoreSet(), BadgeSampling()])
def test_nan_in_the_pool_is_refused_by_distance_strategies(strategy):
    X, y, model = FITTED
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite values; impute them first"):
        strategy.select(model, X_nan, 3, X_labelled=X[:5], random_state=0)


def test_nan_in_the_pool_is_fine_for_a_model_that_handles_it():
    X, y, _ = FITTED
    X_nan = X.copy()
    X_nan[::7, 0] = np.nan
    model = HistGradientBoostingClassifier(max_iter=10).fit(X_nan, y)
    assert len(MarginSampling().select(model, X_nan, 5, random_state=0)) == 5


def test_bad_input_errors():
    X, y, model = FITTED
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        MarginSampling().select(model, X, 0)
    with pytest.raises(TypeError, match="batch_size must be a positive int"):
        MarginSampling().select(model, X, 2.5)
    with pytest.raises(ValueError, match="The pool is empty"):
        RandomSampling().select(None, np.zeros((0, 3)), 2)
    with pytest.raises(ValueError, match="needs the fitted estimator; got None"):
        LeastConfidence().select(None, X, 2)
    with pytest.raises(TypeError, match="needs a classifier with predict_proba"):
        EntropySampling().select(object(), X, 2)
    with pytest.raises(ValueError, match="Unknown query strategy 'marg'"):
        make_strategy("marg")


def test_coreset_without_labelled_rows_starts_at_random_then_goes_far():
    X_pool = np.array([[0.0], [1.0], [2.0], [10.0]])
    rows = CoreSet(scale=False).select(None, X_pool, 2, random_state=0)
    first = rows[0]
    farthest = int(np.argmax(np.abs(X_pool[:, 0] - X_pool[first, 0])))
    assert rows[1] == farthest
