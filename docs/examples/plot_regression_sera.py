"""
Imbalanced regression with SERA
===============================

When the rare target values matter most (extreme prices, peak loads), the overall RMSE hides
them. SERA weighs each error by the relevance of the true value. Here SMOTER oversamples the
rare region before a random forest. On 11 skewed regression sets x 2 learners
(``make bench-regression``, ``benchmarks/results/regression.md``) SMOTER lowered SERA on 19 of 22
pairs (median -15.9%) while overall RMSE mostly rose: it is a trade, and SERA is how you see it.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import KFold, cross_val_predict

from skewlearn.datasets import load_dataset
from skewlearn.regression import SMOTER, Relevance, ResampledRegressor, rare_rmse, ser_curve, sera

data = load_dataset("cpu_performance")
X, y = data.X.select_dtypes("number"), data.y.to_numpy(float)
relevance = Relevance().fit(y)
print(f"{np.mean(relevance(y) >= 0.5):.0%} of the rows are rare (relevance >= 0.5)")

folds = KFold(5, shuffle=True, random_state=0)
models = {
    "random forest": RandomForestRegressor(100, random_state=0),
    "SMOTER + random forest": ResampledRegressor(
        RandomForestRegressor(100, random_state=0), SMOTER(random_state=0)
    ),
}
figure, ax = plt.subplots(figsize=(6, 4))
for name, model in models.items():
    predicted = cross_val_predict(model, X, y, cv=folds)
    rmse = np.sqrt(np.mean((predicted - y) ** 2))
    print(
        f"{name:>24}: SERA {sera(y, predicted, relevance=relevance):.3g}, "
        f"rare RMSE {rare_rmse(y, predicted, relevance=relevance):.1f}, RMSE {rmse:.1f}"
    )
    thresholds, errors = ser_curve(y, predicted, relevance=relevance)
    ax.plot(thresholds, errors, label=name)
ax.set(xlabel="relevance threshold t", ylabel="squared error of rows with relevance >= t")
ax.legend()
