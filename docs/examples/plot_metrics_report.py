"""
Which number to trust: accuracy vs imbalance-aware metrics
==========================================================

On a 1:28 data set a model that never predicts the minority is 97% accurate. The metrics of
:mod:`skewlearn.metrics` look at each class; :func:`~skewlearn.metrics.imbalance_report` puts
them side by side for one set of predictions.
"""

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from skewlearn.datasets import load_dataset
from skewlearn.metrics import imbalance_report

data = load_dataset("yeast4")
trivial = np.full(len(data.y), data.y.value_counts().idxmax())
print(f"always the majority: accuracy {np.mean(trivial == data.y):.3f}")

folds = StratifiedKFold(5, shuffle=True, random_state=0)
model = HistGradientBoostingClassifier(class_weight="balanced", random_state=0)
proba = cross_val_predict(model, data.X, data.y, cv=folds, method="predict_proba")
predicted = np.where(proba[:, 1] >= 0.5, "positive", "negative")
print(imbalance_report(data.y, predicted, proba[:, 1]))
