"""
A multiclass cost matrix
========================

When mistakes cost different amounts, say so with a cost matrix ``C[i, j]`` (the cost of
predicting class ``j`` for a row of class ``i``) and let
:class:`~skewlearn.decision.DecisionTunedClassifier` learn per-class offsets that minimise the
expected cost on held-out folds. Here, on KEEL's ``balance`` set, calling a rare ``B`` row ``L``
or ``R`` costs 10, every other mistake 1.
"""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from skewlearn.datasets import load_dataset
from skewlearn.decision import DecisionTunedClassifier
from skewlearn.metrics import expected_cost, per_class_scores

data = load_dataset("balance")
classes = np.array(sorted(data.y.unique()))
cost = np.ones((3, 3)) - np.eye(3)
cost[list(classes).index("B")] *= 10
print(classes, "\n", cost)

folds = StratifiedKFold(5, shuffle=True, random_state=0)
plain = LogisticRegression(max_iter=1000)
tuned = DecisionTunedClassifier(LogisticRegression(max_iter=1000), scoring=cost)
for name, model in {"argmax": plain, "cost-tuned offsets": tuned}.items():
    predicted = cross_val_predict(model, data.X, data.y, cv=folds)
    print(
        f"{name:>20}: mean cost per row {expected_cost(data.y, predicted, cost, labels=classes):.3f}"
    )

# %%
# The offsets trade a little recall on the common classes for much more on the costly one.
fitted = tuned.fit(data.X, data.y)
print("offsets:", dict(zip(fitted.classes_, np.round(fitted.decision_rule_, 3))))
print(per_class_scores(data.y, cross_val_predict(tuned, data.X, data.y, cv=folds)))
