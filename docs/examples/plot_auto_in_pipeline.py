"""
AutoBalancedClassifier in a Pipeline
====================================

:class:`~skewlearn.select.AutoBalancedClassifier` is an ordinary scikit-learn classifier that
races strategies on repeated folds and keeps the winner. In a nested benchmark on 97 KEEL sets
(``make bench-selection``, ``benchmarks/results/selection-n3000.md``) its choice beat the best
fixed strategy by 0.035 F1 with 40% of the fits. Here it sits in a scikit-learn
``Pipeline`` after a column selection, with a short list of strategies to keep the run quick.
"""

from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skewlearn.datasets import load_dataset
from skewlearn.metrics import get_scorer
from skewlearn.select import AutoBalancedClassifier

data = load_dataset("ecoli3")
X_train, X_test, y_train, y_test = train_test_split(data.X, data.y, stratify=data.y, random_state=0)
auto = AutoBalancedClassifier(
    ["logreg", "logreg+balanced", "logreg+threshold", "rf+balanced", "spe"], metric="f1", cv=5
)
model = make_pipeline(
    make_column_transformer(("passthrough", make_column_selector(dtype_include="number"))),
    auto,
)
model.fit(X_train, y_train)
print("winner:", auto.best_strategy_.name, "-", auto.best_strategy_.description)
print(f"held-out F1: {get_scorer('f1')(model, X_test, y_test):.3f}")
print(auto.leaderboard_.to_string())
