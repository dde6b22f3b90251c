import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skewlearn.diagnose import DiagnoseConfig, Diagnosis, diagnose
from skewlearn.diagnose._complexity import MEASURES


def test_diagnosis_holds_every_part():
    X, y = make_classification(1500, 6, weights=[0.9], random_state=0)
    result = diagnose(X, y)
    assert isinstance(result, Diagnosis)
    assert result.class_counts == {0: int((y == 0).sum()), 1: int((y == 1).sum())}
    assert list(result.complexity.values) == list(MEASURES)
    assert sum(result.typology.counts[1].values()) == result.class_counts[1]
    assert result.disjuncts.sizes[1].sum() == result.class_counts[1]
    assert result.complexity.sampled == {}
    assert set(result.seconds) == {"encode", "typology", "complexity", "label_noise"}
    assert result.label_noise is not None and result.shift is None and result.skipped == {}


def test_large_data_says_what_was_sampled_and_is_seeded():
    X, y = make_classification(3000, 6, weights=[0.9], random_state=1)
    config = DiagnoseConfig(exact_rows=500, linear_rows=1000)
    first = diagnose(X, y, config=config, random_state=3)
    again = diagnose(X, y, config=config, random_state=3)
    assert set(first.complexity.sampled) == {"N1", "N2", "N3", "N4", "T1", "LSC", "L1", "L2", "L3"}
    np.testing.assert_equal(first.complexity.values, again.complexity.values)
    assert np.isnan(first.complexity.values["ONB"])


def test_pandas_and_string_labels():
    X, y = make_classification(400, 4, weights=[0.8], random_state=2)
    frame = pd.DataFrame(X, columns=list("abcd")).assign(kind=np.where(X[:, 0] > 0, "p", "q"))
    labels = pd.Series(np.where(y == 1, "fraud", "ok"))
    result = diagnose(frame, labels)
    assert set(result.class_counts) == {"fraud", "ok"}
    assert list(result.typology.counts) == ["fraud"]
    assert result.complexity.values["T2"] == pytest.approx(6 / 400)  # 4 numbers + 2 one-hot


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.ones((5, 2)), ["a"] * 5, "single class"),
        (np.ones((4, 2)), [0, 1, None, 1], "missing labels"),
        (np.ones((4, 2)), [0.0, 1.0, np.nan, 1.0], "missing labels"),
        (np.ones((4, 2)), [0, 1, 1], "4 rows but y has 3"),
        (np.ones((0, 2)).reshape(4, 0), [0, 1, 0, 1], "no columns"),
    ],
)
def test_clear_errors(X, y, message):
    with pytest.raises(ValueError, match=message):
        diagnose(X, np.asarray(y, dtype=object) if None in list(y) else np.asarray(y))


def test_sparse_and_all_missing_columns():
    import scipy.sparse as sp

    X, y = make_classification(300, 4, weights=[0.8], random_state=4)
    dense = diagnose(X, y)
    assert diagnose(sp.csr_matrix(X), y).typology.counts == dense.typology.counts
    frame = pd.DataFrame(X).assign(empty=np.nan)
    assert diagnose(frame, y).typology.counts == dense.typology.counts
