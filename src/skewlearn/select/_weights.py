"""The row weights of a selection: what each fit and each fold score counts a row as.

Two sources, kept apart because they mean different things:

* ``sample_weight``, the user's weights of the rows: every fit of the race and the final refit
  is weighted by them, and every fold score counts each test row with its weight;
* ``score_class_weight``, a factor per class on the fold scores only (fits never see it): it
  corrects scores measured on a sample whose classes were drawn at other rates than the data
  it stands for.  A class kept at rate ``r`` gets ``1 / r``; each test row then stands for as
  many rows of the full data as it was drawn for, so counts of true and false positives, and
  the precision, recall and F1 made of them, are those of the full data in expectation.
"""

from __future__ import annotations


def weight_notes(weighted: bool, class_weight: dict | None) -> list[str]:
    """What a report should say about the weights behind the scores."""
    notes = []
    if weighted:
        notes.append(
            "Every fit and every fold score used the given sample weights; strategies whose "
            "learner takes no sample weights were not raced."
        )
    if class_weight is not None:
        factors = ", ".join(f"{label!r}: {w:g}" for label, w in class_weight.items())
        notes.append(
            f"Fold scores are corrected per class (score_class_weight {{{factors}}}): each test "
            "row counts that many times, so the scores estimate those of the data the sample "
            "was drawn from; fits were not weighted by it."
        )
    return notes
