"""The error of the sampled neighbourhood measures against their exact values.

Measured (exact on 4000 rows vs a stratified sample of 1000, make_classification, 8
features; seed: exact value, sample error), when this test was written:
seed 0: N1 0.069 +0.022, T1 0.165 +0.067, LSC 0.980 -0.002, N3 0.041 +0.004
seed 1: N1 0.240 +0.036, T1 0.482 +0.053, LSC 0.996 -0.001, N3 0.161 -0.003
seed 2: N1 0.008 +0.005, T1 0.033 +0.015, LSC 0.754 +0.007, N3 0.005 -0.003
and on 8000 rows vs 2000: N1 +0.014/+0.011/+0.002, T1 +0.044/+0.019/+0.013,
LSC within 0.002, N2/N3/N4 within 0.017.  N1 and T1 are computed on the sample itself,
which is sparser than the data, so they over-estimate; N2, N3, N4 and LSC use exact
neighbours in the whole data for the sampled rows, so they are unbiased.  ONB on the
sample would be off by +0.167, +0.213 and +0.063 (exact 0.147, 0.272, 0.045), so it is
left NaN where rows are sampled.
"""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from skewlearn.diagnose import DiagnoseConfig, complexity_measures

# (lowest, highest) allowed sample error, a margin above the largest measured.
BOUNDS = {
    "N1": (-0.01, 0.05),
    "T1": (-0.01, 0.09),
    "LSC": (-0.015, 0.015),
    "N2": (-0.015, 0.015),
    "N3": (-0.025, 0.025),
    "N4": (-0.025, 0.025),
}


@pytest.mark.parametrize(
    ("seed", "class_sep", "weight", "flip"),
    [(0, 1.0, 0.9, 0.01), (1, 0.5, 0.8, 0.05), (2, 2.0, 0.95, 0.0)],
)
def test_sampled_measures_stay_near_exact(seed, class_sep, weight, flip):
    X, y = make_classification(
        4000,
        8,
        n_informative=5,
        weights=[weight],
        class_sep=class_sep,
        flip_y=flip,
        random_state=seed,
    )
    exact = complexity_measures(X, y, config=DiagnoseConfig(exact_rows=4000))
    sampled = complexity_measures(X, y, config=DiagnoseConfig(exact_rows=1000))
    assert exact.sampled == {}
    assert sampled.sampled["N1"] == pytest.approx(1000, abs=2)
    assert np.isnan(sampled.values["ONB"]) and not np.isnan(exact.values["ONB"])
    for name, (low, high) in BOUNDS.items():
        error = sampled.values[name] - exact.values[name]
        assert low <= error <= high, (name, exact.values[name], error)
