"""Each finding is said when its rule holds, and not otherwise, with the number it rests on."""

import numpy as np
import pytest

from skewlearn.diagnose import FindingRules, diagnose, findings


def blobs(centres, sizes, spread=0.05, seed=0):
    """Rows around each centre (2 features), labelled by the index of its class."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(c, spread, (n, 2)) for c, n in zip(centres, sizes, strict=True)])


def rules_said(diagnosis, rules=None):
    return {found.rule for found in findings(diagnosis, rules)}


@pytest.fixture(scope="module")
def separated():
    """A balanced majority far from one tight minority blob: no difficulty but imbalance."""
    X = blobs([(0, 0), (10, 10)], [150, 150])
    return diagnose(X, np.r_[np.zeros(150), np.ones(150)])


@pytest.fixture(scope="module")
def mixed():
    """The minority drawn from the majority's own distribution: every rule holds."""
    rng = np.random.default_rng(1)
    X = rng.normal(0, 1, (330, 2))
    return diagnose(X, np.r_[np.zeros(300), np.ones(30)])


def test_separated_balanced_data_has_no_finding(separated):
    assert findings(separated) == []


def test_mixed_minority_trips_every_rule(mixed):
    said = rules_said(mixed)
    assert said == {
        "unsafe_minority",
        "small_disjuncts",
        "minority_overlap",
        "overlap",
        "imbalance",
        "label_noise",
    }


def test_unsafe_minority_prints_its_shares(mixed):
    (found,) = [f for f in findings(mixed) if f.rule == "unsafe_minority"]
    shares = mixed.typology.shares()[1.0]
    assert found.numbers["borderline"] == shares["borderline"]
    assert f"{shares['borderline']:.0%} of the minority (class 1.0) is borderline" in found.sentence
    assert f"{shares['rare'] + shares['outlier']:.0%} rare or outlier" in found.sentence


def test_small_disjuncts_counts_groups_of_two_or_more():
    # Four tight minority clusters in a field of majority rows that keeps clear of them.
    corners = [(0, 0), (3, 0), (0, 3), (3, 3)]
    field = np.random.default_rng(2).uniform(-1, 4, (400, 2))
    clear = np.min([np.hypot(*(field - c).T) for c in corners], axis=0) > 0.5
    X = np.vstack([blobs(corners, [10] * 4), field[clear]])
    y = np.r_[np.ones(40), np.zeros(clear.sum())]
    diagnosis = diagnose(X, y)
    assert list(diagnosis.disjuncts.sizes[1.0]) == [10, 10, 10, 10]
    (found,) = [f for f in findings(diagnosis) if f.rule == "small_disjuncts"]
    assert found.numbers == {"groups": 4, "largest_share": 0.25, "lone_rows": 0}
    assert "forms 4 groups of 2+ rows (and 0 lone rows), the largest 25%" in found.sentence


def test_one_minority_group_is_no_small_disjunct():
    X = blobs([(0, 0), (10, 10)], [200, 20])
    diagnosis = diagnose(X, np.r_[np.zeros(200), np.ones(20)])
    assert list(diagnosis.disjuncts.sizes[1.0]) == [20]
    assert "small_disjuncts" not in rules_said(diagnosis)
    assert rules_said(diagnosis) == {"imbalance"}  # 200:20 is C2 >= 0.5


def test_overlap_says_one_row_in_n(mixed):
    (found,) = [f for f in findings(mixed) if f.rule == "overlap"]
    n3 = mixed.complexity.values["N3"]
    assert found.sentence.startswith(f"N3 = {n3:.2f}: about one row in {round(1 / n3)} ")


def test_imbalance_names_strength_and_ratio(mixed, separated):
    (found,) = [f for f in findings(mixed) if f.rule == "imbalance"]
    c2 = mixed.complexity.values["C2"]
    assert 0.5 <= c2 < 0.9  # 300:30
    assert found.sentence.startswith(f"C2 = {c2:.2f}: moderately imbalanced")
    assert "(largest/smallest class 10.0)" in found.sentence
    assert separated.complexity.values["C2"] == pytest.approx(0.0)
    (strong,) = [f for f in findings(mixed, FindingRules(c2_strong=c2)) if f.rule == "imbalance"]
    assert "strongly imbalanced" in strong.sentence


# Each rule at its threshold: said exactly at the measured number, silent just above it.
THRESHOLDS = {
    "unsafe_minority": lambda d, t: FindingRules(borderline=t, rare_or_outlier=2.0),
    "minority_overlap": lambda d, t: FindingRules(minority_n3=t),
    "overlap": lambda d, t: FindingRules(n3=t),
    "imbalance": lambda d, t: FindingRules(c2=t),
    "label_noise": lambda d, t: FindingRules(noise=t),
}
MEASURED = {
    "unsafe_minority": lambda d: d.typology.shares()[1.0]["borderline"],
    "minority_overlap": lambda d: d.complexity.per_class["N3"][1.0],
    "overlap": lambda d: d.complexity.values["N3"],
    "imbalance": lambda d: d.complexity.values["C2"],
    "label_noise": lambda d: max(
        count / d.class_counts[label] for label, count in d.label_noise.class_counts.items()
    ),
}


@pytest.mark.parametrize("rule", sorted(THRESHOLDS))
def test_rule_holds_exactly_from_its_threshold(mixed, rule):
    value = MEASURED[rule](mixed)
    assert rule in rules_said(mixed, THRESHOLDS[rule](mixed, value))
    assert rule not in rules_said(mixed, THRESHOLDS[rule](mixed, value + 1e-9))


def test_small_disjunct_rule_at_its_threshold(mixed):
    groups = int((mixed.disjuncts.sizes[1.0] >= 2).sum())
    assert "small_disjuncts" in rules_said(mixed, FindingRules(min_groups=groups))
    assert "small_disjuncts" not in rules_said(mixed, FindingRules(min_groups=groups + 1))


def test_label_noise_names_the_class_share_and_suggested_label(mixed):
    (found,) = [f for f in findings(mixed) if f.rule == "label_noise"]
    suspects = mixed.label_noise.class_counts[1.0]
    assert found.label == 1.0 and found.numbers == {"suspects": suspects, "share": suspects / 30}
    assert found.sentence.startswith(
        f"{suspects / 30:.0%} of class 1.0 ({suspects} of 30 rows) look mislabelled "
        "(confident learning, mostly as 0.0 instead)"
    )


def two_gaussians(rng, n_negative, n_positive):
    X = np.r_[rng.normal(0, 1, (n_negative, 3)), rng.normal(1.5, 1, (n_positive, 3))]
    return X, np.r_[np.zeros(n_negative), np.ones(n_positive)]


@pytest.fixture(scope="module")
def deployed():
    """Trained at 1:4, deployed at 1:39: the features shift with the prior."""
    rng = np.random.default_rng(3)
    X, y = two_gaussians(rng, 1600, 400)
    X_new, _ = two_gaussians(rng, 1950, 50)
    return diagnose(X, y, against=X_new, noise=False)


def test_prior_shift_says_the_new_ratio_and_the_trained_one(deployed):
    (found,) = [f for f in findings(deployed) if f.rule == "prior_shift"]
    train, new = deployed.shift.priors()
    assert found.numbers == {"train_prior": train, "new_prior": new}
    assert new[1.0] == pytest.approx(50 / 2000, abs=0.015)
    ratio = new[0.0] / new[1.0]
    assert found.sentence.startswith(
        f"the new data's prior looks like 1:{ratio:.0f}, not the 1:4.0 you trained on"
    )
    assert "PriorCorrectedClassifier(model, target_prior=...)" in found.sentence


def test_shift_names_the_drifted_features(deployed):
    (found,) = [f for f in findings(deployed) if f.rule == "shift"]
    drifted = deployed.shift.drifted()
    assert sorted(drifted) == [0, 1, 2] and found.numbers["drifted"] == drifted
    assert f"drifted features (Holm, 5%): {', '.join(map(str, drifted))}." in found.sentence
    assert f"ROC-AUC {deployed.shift.domain_auc:.2f}" in found.sentence


def test_no_shift_no_prior_change_no_finding():
    rng = np.random.default_rng(4)
    X, y = two_gaussians(rng, 800, 200)
    X_new, _ = two_gaussians(rng, 800, 200)
    said = rules_said(diagnose(X, y, against=X_new, noise=False))
    assert not said & {"shift", "prior_shift"}


def test_prior_rule_at_its_threshold(deployed):
    train, new = deployed.shift.priors()
    change = max(max(new[c] / train[c], train[c] / new[c]) for c in train)
    assert "prior_shift" in rules_said(deployed, FindingRules(prior_ratio=change * (1 - 1e-9)))
    assert "prior_shift" not in rules_said(deployed, FindingRules(prior_ratio=change * 1.001))
