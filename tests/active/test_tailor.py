"""TAILOR and the random choice of candidates: posteriors, decay, rewards, and preference."""

import numpy as np
import pytest

from skewlearn.active import QueryStrategy, RandomChoice, TailorSelector
from skewlearn.active._tailor import class_diversity_reward


class RowsOfClass(QueryStrategy):
    """A user-written candidate: random rows of one class of a known pool (an oracle's cheat,
    so the test controls which labels each candidate delivers)."""

    def __init__(self, y_pool, label):
        self.y_pool, self.label = np.asarray(y_pool), label

    def select(self, estimator, X_pool, batch_size, *, X_labelled=None, y_labelled=None,
               classes=None, random_state=None):  # fmt: skip
        rows = np.flatnonzero(self.y_pool == self.label)
        rng = np.random.default_rng(random_state)
        return rng.permutation(rows)[:batch_size]


def test_class_diversity_reward_values():
    # 1 / max(1, n); a class with more than half the labels counts negative; exactly half not.
    assert class_diversity_reward(np.array([5, 3, 2, 0])).tolist() == [1 / 5, 1 / 3, 1 / 2, 1.0]
    assert class_diversity_reward(np.array([7, 3, 0])).tolist() == [-1 / 7, 1 / 3, 1.0]
    assert class_diversity_reward(np.array([0, 0])).tolist() == [1.0, 1.0]


def test_posterior_update_and_decay_on_a_hand_made_sequence():
    y_pool = np.array([0] * 50 + [1] * 50)
    X_pool = np.zeros((100, 1))
    tailor = TailorSelector({"zeros": RowsOfClass(y_pool, 0), "ones": RowsOfClass(y_pool, 1)})
    expected = np.ones((2, 2))
    for round_, seed in enumerate([0, 1, 2]):
        rows = tailor.select(None, X_pool, 6, y_labelled=[0, 1], classes=[0, 1],
                             random_state=seed)  # fmt: skip
        arms = [tailor.candidate_names.index(name) for name in tailor.last_choices_]
        labels = y_pool[rows]
        # each row came from the candidate recorded for it: "zeros" rows are 0, "ones" are 1
        assert labels.tolist() == arms
        tailor.update(labels, [0, 1], {})
        gained = np.zeros((2, 2))
        for arm, label in zip(arms, labels, strict=True):
            gained[arm, label] += 1
        expected = 0.9 * expected + gained
        np.testing.assert_allclose(tailor.stats_, expected, err_msg=f"round {round_}")


def _run(tailor, y_pool, y_labelled, rounds):
    """Rounds of select + update with the true labels; the candidate names of each row."""
    names = []
    for round_ in range(rounds):
        rows = tailor.select(None, np.zeros((len(y_pool), 1)), 10, y_labelled=y_labelled,
                             classes=[0, 1], random_state=round_)  # fmt: skip
        tailor.update(y_pool[rows], [0, 1], {})
        y_labelled = [*y_labelled, *y_pool[rows].tolist()]
        names.append(tailor.last_choices_)
    return names, np.asarray(y_labelled)


def test_it_prefers_the_candidate_that_delivers_rare_labels():
    y_pool = np.array([0] * 900 + [1] * 100)
    candidates = {"majority": RowsOfClass(y_pool, 0), "rare": RowsOfClass(y_pool, 1)}
    tailor = TailorSelector(candidates)
    names, _ = _run(tailor, y_pool, [0] * 100 + [1] * 2, rounds=6)
    # Rare labels are worth 1/n_1 > 0, majority ones -1/n_0 (more than half the labels):
    # once the posteriors have seen a round, "rare" takes nearly every row.
    late = sum(names[2:], [])
    assert late.count("rare") / len(late) > 0.9
    assert tailor.stats_[1, 1] > 10 * tailor.stats_[1, 0]


def test_it_balances_the_labels_once_the_rare_class_catches_up():
    y_pool = np.array([0] * 900 + [1] * 100)
    candidates = {"majority": RowsOfClass(y_pool, 0), "rare": RowsOfClass(y_pool, 1)}
    _, y_labelled = _run(TailorSelector(candidates), y_pool, [0] * 18 + [1] * 2, rounds=15)
    # A class above half of the labels turns negative, so the reward flips between the two
    # candidates and the labelled set ends near balance (the pool is 10% rare).
    assert 0.35 < y_labelled.mean() < 0.65


def test_a_batch_mixes_candidates_and_never_repeats_a_row():
    y_pool = np.array([0, 1] * 20)
    both = {"zeros": RowsOfClass(y_pool, 0), "ones": RowsOfClass(y_pool, 1)}
    tailor = TailorSelector(both)
    rows = tailor.select(None, np.zeros((40, 1)), 15, y_labelled=[0, 1], classes=[0, 1],
                         random_state=0)  # fmt: skip
    assert len(set(rows.tolist())) == 15
    assert set(tailor.last_choices_) == {"zeros", "ones"}


def test_equal_sampled_values_are_shared_at_random_between_candidates():
    y_pool = np.array([0, 1] * 100)
    both = {"zeros": RowsOfClass(y_pool, 0), "ones": RowsOfClass(y_pool, 1)}
    # Every class worth the same: theta . v is 1 for both candidates, whatever theta is.
    tailor = TailorSelector(both, reward=lambda counts: np.ones(len(counts)))
    tailor.select(None, np.zeros((200, 1)), 100, y_labelled=[0, 1], classes=[0, 1],
                  random_state=0)  # fmt: skip
    assert 30 < tailor.last_choices_.count("zeros") < 70


def test_a_new_class_grows_the_statistics():
    y_pool = np.array([0] * 10 + [1] * 10 + [2] * 10)
    tailor = TailorSelector({"a": RowsOfClass(y_pool, 2), "b": RowsOfClass(y_pool, 0)})
    rows = tailor.select(None, np.zeros((30, 1)), 4, y_labelled=[0, 1], classes=[0, 1],
                         random_state=0)  # fmt: skip
    tailor.update(y_pool[rows], [0, 1, 2], {})
    assert tailor.classes_.tolist() == [0, 1, 2]
    assert tailor.stats_.shape == (2, 3)
    gained = np.bincount([tailor.candidate_names.index(n) for n in tailor.last_choices_],
                         minlength=2)  # fmt: skip
    np.testing.assert_allclose(tailor.stats_.sum(axis=1), 0.9 * 3 + gained)


def test_a_custom_reward_is_used():
    y_pool = np.array([0] * 50 + [1] * 50)
    # A reward that values class 0 only: the candidate of class 0 wins once learned.
    tailor = TailorSelector(
        {"zeros": RowsOfClass(y_pool, 0), "ones": RowsOfClass(y_pool, 1)},
        reward=lambda counts: np.array([1.0, 0.0]),
    )
    picks = []
    for round_ in range(10):
        rows = tailor.select(None, np.zeros((100, 1)), 10, y_labelled=[0, 1], classes=[0, 1],
                             random_state=round_)  # fmt: skip
        tailor.update(y_pool[rows], [0, 1], {})
        if round_ >= 5:
            picks += tailor.last_choices_
    assert picks.count("zeros") / len(picks) > 0.9


def test_random_choice_uses_one_candidate_per_round_uniformly():
    y_pool = np.array([0] * 50 + [1] * 50)
    chooser = RandomChoice({"zeros": RowsOfClass(y_pool, 0), "ones": RowsOfClass(y_pool, 1)})
    names = []
    for seed in range(200):
        chooser.select(None, np.zeros((100, 1)), 5, random_state=seed)
        assert len(set(chooser.last_choices_)) == 1
        names.append(chooser.last_choices_[0])
    assert 70 < names.count("zeros") < 130


def test_bad_input():
    with pytest.raises(ValueError, match="decay must be in"):
        TailorSelector(["margin"], decay=0)
    with pytest.raises(ValueError, match="reward must be one of"):
        TailorSelector(["margin"], reward="pos")
    with pytest.raises(TypeError, match="has no select"):
        TailorSelector({"x": object()})
    with pytest.raises(ValueError, match="candidates is empty"):
        TailorSelector([])
    with pytest.raises(ValueError, match="share the name 'margin'"):
        TailorSelector(["margin", "margin"])
    # A candidate breaking the contract (too few rows) is named in the error.
    short = TailorSelector({"short": RowsOfClass(np.array([0, 0, 1, 1]), 1)})
    with pytest.raises(ValueError, match="candidate 'short' returned 2 rows for a batch of 3"):
        short.select(None, np.zeros((4, 1)), 3, classes=[0, 1], random_state=0)
    tailor = TailorSelector(["random"])
    tailor.select(None, np.zeros((10, 1)), 3, classes=[0, 1], random_state=0)
    with pytest.raises(ValueError, match="update got 2 labels but the last batch had 3"):
        tailor.update([0, 1], [0, 1], {})
