"""The diagnose flow: why a dataset is hard, as a :class:`Diagnosis` and as one JSON record.

``skewlearn diagnose`` is a thin shell around :func:`run_diagnose` and
:func:`diagnosis_record`.
"""

from __future__ import annotations

import math

from skewlearn.datasets import Dataset
from skewlearn.diagnose import Diagnosis, diagnose, findings


def run_diagnose(dataset: Dataset, *, seed: int = 0) -> Diagnosis:
    """Diagnose a classification dataset (a regression target is refused, with a clear error).

    Examples
    --------
    >>> from skewlearn.datasets import load_dataset
    >>> run_diagnose(load_dataset("ecoli1")).class_counts
    {'negative': 259, 'positive': 77}
    """
    if dataset.meta.get("task") == "regression":
        raise ValueError(
            f"target {dataset.y.name!r} holds numbers (a regression target); diagnose needs "
            "class labels: pass a class column with --target."
        )
    return diagnose(dataset.X, dataset.y, random_state=seed)


def _number(value):
    # JSON has no NaN: a measure that was not computed is null.
    return None if isinstance(value, float) and math.isnan(value) else value


def diagnosis_record(diagnosis: Diagnosis, dataset: Dataset) -> dict:
    """Every number of a diagnosis as plain JSON-ready values; class labels become strings."""
    complexity = diagnosis.complexity
    return {
        "name": dataset.meta.get("name"),
        "rows": len(dataset.X),
        "features": dataset.X.shape[1],
        "class_counts": {str(label): count for label, count in diagnosis.class_counts.items()},
        "typology": {
            str(label): dict(counts) for label, counts in diagnosis.typology.counts.items()
        },
        "complexity": {name: _number(value) for name, value in complexity.values.items()},
        "complexity_per_class": {
            name: {str(label): _number(value) for label, value in by_class.items()}
            for name, by_class in complexity.per_class.items()
        },
        "sampled": dict(complexity.sampled),
        "disjuncts": {
            str(label): sizes.tolist() for label, sizes in diagnosis.disjuncts.sizes.items()
        },
        "findings": [
            {
                "rule": found.rule,
                "class": None if found.label is None else str(found.label),
                "sentence": found.sentence,
                "numbers": found.numbers,
            }
            for found in findings(diagnosis)
        ],
        "seconds": diagnosis.seconds,
    }
