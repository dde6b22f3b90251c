"""Shift against new data: no shift gives a high p-value, a shifted feature is found."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, ks_2samp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from skewlearn.diagnose import DiagnoseConfig, diagnose, shift
from skewlearn.diagnose._shift import _mean_fold_auc


def table(rng, n, moved=0.0, plan_shares=(0.5, 0.3, 0.2)):
    """Four numeric columns (``b`` moved by ``moved``) and one categorical ``plan``."""
    frame = pd.DataFrame(rng.normal(0, 1, (n, 4)), columns=list("abcd"))
    frame["b"] += moved
    frame["plan"] = pd.Categorical(rng.choice(["basic", "plus", "pro"], n, p=plan_shares))
    return frame


def test_no_shift_gives_a_high_p_value_and_no_drifted_feature():
    rng = np.random.default_rng(0)
    found = shift(table(rng, 600), table(rng, 500))
    assert not found.shifted and found.p_value > 0.2
    assert 0.4 < found.domain_auc < 0.6
    assert found.drifted() == [] and found.features["p_holm"].min() > 0.05
    assert found.prior is None and found.priors() is None
    assert (found.permutations, found.folds) == (1000, 5)
    assert found.rows == found.sampled == {"train": 600, "new": 500}


def test_a_shifted_feature_is_found_and_holm_significant():
    rng = np.random.default_rng(1)
    train, new = table(rng, 600), table(rng, 500, moved=0.6)
    found = shift(train, new)
    assert found.shifted and found.p_value <= 0.002
    assert found.domain_auc > 0.55  # the Bayes AUC of this shift is 0.66
    assert found.drifted() == ["b"]
    first = found.features.iloc[0]
    assert (first["feature"], first["test"]) == ("b", "ks")
    expected = ks_2samp(train["b"], new["b"])
    assert first["statistic"] == pytest.approx(expected.statistic)
    assert first["p_holm"] == pytest.approx(min(1.0, 5 * expected.pvalue))


def test_a_categorical_drift_is_tested_by_chi_square():
    rng = np.random.default_rng(2)
    train, new = table(rng, 800), table(rng, 800, plan_shares=(0.3, 0.3, 0.4))
    new.loc[:9, "plan"] = np.nan  # missing values are a category of their own
    found = shift(train, new)
    row = found.features.set_index("feature").loc["plan"]
    assert row["test"] == "chi2" and row["drifted"]
    counts = pd.crosstab(
        np.r_[np.zeros(800), np.ones(800)],
        pd.concat([train["plan"], new["plan"]]).astype(object).fillna("missing").to_numpy(),
    )
    assert row["statistic"] == pytest.approx(chi2_contingency(counts.to_numpy()).statistic)


def test_the_mean_fold_auc_is_scikit_learns_and_its_null_is_centred():
    rng = np.random.default_rng(4)
    scores = rng.normal(0, 1, 600)
    domain = rng.integers(0, 2, 600)
    scores[domain == 1] += 0.5
    folds = np.arange(600) % 3
    auc, null = _mean_fold_auc(scores, domain, folds, 400, rng)
    expected = np.mean([roc_auc_score(domain[folds == k], scores[folds == k]) for k in range(3)])
    assert auc == pytest.approx(expected)
    assert null.mean() == pytest.approx(0.5, abs=0.005)
    # Three folds of 200 rows: the null's spread is about sqrt(1/(12 n1 n0 / (n+1)) / 3).
    assert 0.01 < null.std() < 0.03


def test_p_values_under_no_shift_are_not_too_small():
    """Ten draws of two tables from one distribution: at most two p-values below 0.1."""
    rng = np.random.default_rng(5)
    config = DiagnoseConfig(permutations=200, shift_folds=3)
    p_values = [
        shift(rng.normal(0, 1, (150, 3)), rng.normal(0, 1, (150, 3)),
              learner=LogisticRegression(), config=config, random_state=seed).p_value
        for seed in range(10)
    ]  # fmt: skip
    assert sum(p < 0.1 for p in p_values) <= 2


def test_large_tables_are_sampled_for_the_domain_classifier():
    rng = np.random.default_rng(6)
    found = shift(rng.normal(0, 1, (3000, 2)), rng.normal(0, 1, (900, 2)),
                  config=DiagnoseConfig(shift_rows=500, permutations=100))  # fmt: skip
    assert found.sampled == {"train": 500, "new": 500}
    assert found.rows == {"train": 3000, "new": 900}


def test_mismatched_columns_are_named():
    rng = np.random.default_rng(7)
    train = table(rng, 50)
    new = table(rng, 50).drop(columns=["c", "plan"]).assign(zip_code=1)
    with pytest.raises(
        ValueError, match="missing columns: 'c', 'plan'; unexpected columns: 'zip_code'"
    ):
        shift(train, new)
    with pytest.raises(ValueError, match="3 columns but the new data has 2"):
        shift(np.ones((5, 3)), np.ones((5, 2)))
    with pytest.raises(ValueError, match="new data has 1 rows"):
        shift(train, train.iloc[:1])


def test_columns_are_matched_by_name_not_position():
    rng = np.random.default_rng(8)
    train = table(rng, 300)
    new = table(rng, 300)[["plan", "d", "c", "b", "a"]]
    assert shift(train, new).drifted() == []


@pytest.mark.parametrize(
    ("labels", "message"),
    [([np.nan] * 5 + [1.0] * 45, "missing labels"), ([1] * 50, "single class")],
)
def test_bad_training_labels_are_clear_errors(labels, message):
    rng = np.random.default_rng(9)
    with pytest.raises(ValueError, match=message):
        shift(table(rng, 50), table(rng, 50), np.array(labels))


def test_diagnose_against_new_data_adds_the_shift():
    rng = np.random.default_rng(10)
    train, new = table(rng, 400), table(rng, 300, moved=1.0)
    labels = (train["a"] + rng.normal(0, 1, 400) > 1.5).astype(int)
    diagnosis = diagnose(train, labels, against=new, noise=False)
    assert diagnosis.shift.drifted() == ["b"] and diagnosis.shift.prior is not None
    assert "shift" in diagnosis.seconds
    assert diagnose(train, labels, noise=False).shift is None


def test_sparse_tables_are_accepted():
    import scipy.sparse as sp

    rng = np.random.default_rng(11)
    train, new = rng.normal(0, 1, (200, 3)), rng.normal(0, 1, (200, 3))
    new[:, 1] += 1.0
    found = shift(sp.csr_matrix(train), sp.csr_matrix(new), config=DiagnoseConfig(permutations=100))
    assert found.drifted() == [1]
