"""
Diagnose a real set: why is it hard?
====================================

:func:`~skewlearn.diagnose.diagnose` says what makes a data set hard: how many minority rows
are safe, borderline, rare or outliers (Napierala and Stefanowski), the standard complexity
measures, and small disjuncts; :func:`~skewlearn.diagnose.findings` turns them into plain
sentences, each with the number it rests on. ``skewlearn diagnose yeast4`` prints the same.
"""

from skewlearn.datasets import load_dataset
from skewlearn.diagnose import diagnose, findings

data = load_dataset("yeast4")
diagnosis = diagnose(data.X, data.y)
for finding in findings(diagnosis):
    print("-", finding.sentence)

# %%
# Most of yeast4's minority rows sit among the majority: a sampler that trusts neighbours
# (SMOTE) has little safe ground to interpolate on, which is when a tuned threshold or an
# ensemble of under-sampled learners is the better bet.
print(diagnosis.typology.counts)
