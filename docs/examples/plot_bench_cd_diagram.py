"""
The benchmark harness and its critical-difference diagram
=========================================================

:func:`~skewlearn.bench.run_bench` runs strategies x datasets x folds into a resumable SQLite
store; :func:`~skewlearn.bench.summarize` ranks them with Friedman and Nemenyi tests. This small
run uses 10 small KEEL sets and 4 catalog strategies; ``skewlearn bench run`` does the same from
the command line, and ``make bench-climb`` is the 32-method, 119-set version of it.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

from skewlearn.bench import critical_difference_groups, run_bench, summarize
from skewlearn.evaluation import SQLiteStore

datasets = [
    "glass_0_4_vs_5",
    "appendicitis",
    "hepatitis",
    "glass6",
    "new_thyroid2",
    "ecoli3",
    "haberman",
    "ecoli4",
    "glass4",
    "ecoli2",
]
strategies = ["tree", "logreg", "logreg+balanced", "spe"]
path = Path(tempfile.mkdtemp()) / "bench.sqlite"
with SQLiteStore(path) as store:
    run = run_bench(store, datasets, strategies, cv=3, repeats=1, metrics=["average_precision"])
    summary = summarize(store)
print(f"{run.ran} tasks run, {run.failed} failed")
section = summary.sections[0]
print(f"Friedman p = {section.friedman[1]:.3g}, Nemenyi CD = {section.critical_difference:.2f}")
print(section.ranks.round(2).to_string())

# %%
# The diagram: average rank (lower is better); strategies joined by a bar are not
# significantly different at alpha 0.05.
ranks = section.ranks.sort_values()
cd = section.critical_difference
figure, ax = plt.subplots(figsize=(7, 3), layout="constrained")
ax.scatter(ranks, [0] * len(ranks), color="black", zorder=3)
for i, (name, rank) in enumerate(ranks.items()):
    # Each name on its own line, joined to its point, so close ranks stay readable.
    ax.annotate(
        f"{name} ({rank:.2f})",
        (rank, 0),
        xytext=(rank, 0.35 + 0.25 * i),
        ha="center",
        fontsize=8,
        arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.6},
    )
for level, group in enumerate(critical_difference_groups(ranks, cd)):
    ax.plot([ranks[group].min(), ranks[group].max()], [-0.2 - 0.15 * level] * 2, lw=3)
ax.plot([1, 1 + cd], [-0.8, -0.8], color="grey")
ax.annotate(f"CD = {cd:.2f}", (1 + cd / 2, -0.75), ha="center", fontsize=8)
ax.set(xlim=(0.8, len(ranks) + 0.2), ylim=(-1, 0.6 + 0.25 * len(ranks)), yticks=[])
ax.set(xlabel="average rank (lower is better)")
