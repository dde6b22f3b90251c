"""
Threshold tuning vs SMOTE on a real KEEL set
============================================

The "Balancing the Scales" comparison on one dataset: a logistic regression as it is, with
balanced class weights, after SMOTE, and with its decision threshold tuned for F1 on held-out
folds. Across 113 KEEL sets (``make bench-decision``, ``benchmarks/results/decision-scales.md``)
the tuned threshold gave logistic regression the largest F1 gain (+0.072, p = 3e-9) and, unlike
weights or SMOTE, left its probabilities (Brier score) untouched.
"""

import pandas as pd
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.preprocessing import StandardScaler

from skewlearn.datasets import load_dataset
from skewlearn.decision import DecisionTunedClassifier
from skewlearn.metrics import get_scorer
from skewlearn.resample import SMOTE

data = load_dataset("yeast4")
print(data.y.value_counts().to_dict())


def logreg(**params):
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, **params))


models = {
    "baseline": logreg(),
    "class weights": logreg(class_weight="balanced"),
    "SMOTE": make_pipeline(
        StandardScaler(), SMOTE(random_state=0), LogisticRegression(max_iter=1000)
    ),
    "tuned threshold": DecisionTunedClassifier(logreg(), scoring="f1"),
}
scoring = {"f1": get_scorer("f1"), "brier": get_scorer("brier")}
folds = StratifiedKFold(5, shuffle=True, random_state=0)
rows = {}
for name, model in models.items():
    scores = cross_validate(model, data.X, data.y, cv=folds, scoring=scoring)
    rows[name] = {"F1": scores["test_f1"].mean(), "Brier": abs(scores["test_brier"].mean())}
table = pd.DataFrame(rows).T.round(4)
print(table.to_string())

# %%
# The tuned model keeps the learner's probabilities and moves only the cut, so its Brier score
# is the baseline's; weights and SMOTE buy their F1 by distorting the probabilities.
ax = table["F1"].plot.barh(title="yeast4, 5-fold F1 of the minority class")
ax.set_xlabel("F1")
