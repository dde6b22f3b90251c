"""The diagnose flow: why a dataset is hard, as a :class:`Diagnosis` and as one JSON record.

``skewlearn diagnose`` is a thin shell around :func:`run_diagnose` and
:func:`diagnosis_record`.
"""

from __future__ import annotations

import math

import pandas as pd

from skewlearn.datasets import Dataset
from skewlearn.diagnose import Diagnosis, diagnose, findings


def new_features(dataset: Dataset, new: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``new`` that ``dataset.X`` has: the target and the columns the loader
    dropped (id-like, constant, empty) are left out; other differences are
    :func:`skewlearn.diagnose.shift`'s clear error."""
    ignored = {dataset.y.name, *dataset.meta.get("dropped", {})}
    return new.drop(columns=[column for column in new.columns if column in ignored])


def run_diagnose(
    dataset: Dataset, *, seed: int = 0, against: pd.DataFrame | None = None
) -> Diagnosis:
    """Diagnose a classification dataset (a regression target is refused, with a clear error).

    ``against`` is a table of new rows (its target column, if any, is not used): the
    diagnosis then includes the shift test and the new data's estimated class prior.

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
    if against is not None:
        against = new_features(dataset, against)
    return diagnose(dataset.X, dataset.y, against=against, random_state=seed)


def _number(value):
    # JSON has no NaN: a measure that was not computed is null.
    return None if isinstance(value, float) and math.isnan(value) else value


def _noise_record(diagnosis: Diagnosis) -> dict | None:
    noise = diagnosis.label_noise
    if noise is None:
        return None
    return {
        "learner": noise.learner,
        "folds": noise.folds,
        "fitted_rows": noise.fitted_rows,
        "suspects": len(noise.rows),
        "share": noise.share,
        "class_counts": {str(label): count for label, count in noise.class_counts.items()},
        "pairs": [
            {"given": str(given), "suggested": str(suggested), "rows": count}
            for (given, suggested), count in noise.pairs.items()
        ],
        "rows": [
            {"row": int(row), "given": str(given), "suggested": str(suggested),
             "self_confidence": float(confidence)}
            for row, given, suggested, confidence in zip(
                noise.rows, noise.given, noise.suggested, noise.self_confidence, strict=True
            )
        ],
    }  # fmt: skip


def _shift_record(diagnosis: Diagnosis) -> dict | None:
    found = diagnosis.shift
    if found is None:
        return None
    features = [
        {
            "feature": str(row.feature),
            "test": row.test,
            "statistic": _number(float(row.statistic)),
            "p_value": _number(float(row.p_value)),
            "p_holm": _number(float(row.p_holm)),
            "drifted": bool(row.drifted),
        }
        for row in found.features.itertuples(index=False)
    ]
    record = {
        "rows": dict(found.rows),
        "sampled": dict(found.sampled),
        "domain_auc": found.domain_auc,
        "p_value": found.p_value,
        "permutations": found.permutations,
        "folds": found.folds,
        "alpha": found.alpha,
        "shifted": found.shifted,
        "features": features,
        "prior": None,
    }
    if found.prior is not None:
        train, new = found.priors()
        target = {label: round(share, 6) for label, share in new.items()}
        record["prior"] = {
            "method": "EM (Saerens, Latinne & Decaestecker 2002) on the isotonic-calibrated "
            "probabilities of a HistGradientBoostingClassifier",
            "train": {str(label): share for label, share in train.items()},
            "new": {str(label): share for label, share in new.items()},
            "iterations": found.prior.iterations,
            "converged": found.prior.converged,
            "use": "from skewlearn.decision import PriorCorrectedClassifier; "
            f"model = PriorCorrectedClassifier(your_model, target_prior={target!r})",
        }
    return record


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
        "label_noise": _noise_record(diagnosis),
        "shift": _shift_record(diagnosis),
        "skipped": dict(diagnosis.skipped),
    }
