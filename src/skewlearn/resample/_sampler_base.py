"""What all our samplers share on top of imbalanced-learn's public ``BaseSampler``.

``BaseSampler.fit_resample`` is the template (target checks, pandas round trip, validation,
``sampling_strategy_``); our classes only add the algorithm in ``_fit_resample``.  Parameter
constraints use plain types only, because scikit-learn's richer constraint objects are private.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

from imblearn.base import BaseSampler

_STRATEGY_CONSTRAINT = [numbers.Real, str, Mapping, list, callable]


class SelectingSampler(BaseSampler):
    """A sampler that keeps a subset of the rows and exposes them as ``sample_indices_``."""

    _parameter_constraints: dict = {"sampling_strategy": _STRATEGY_CONSTRAINT}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        return tags


class CleaningSampler(SelectingSampler):
    """Removes noisy or borderline rows; ``sampling_strategy`` names the classes to clean."""

    _sampling_type = "clean-sampling"


class UnderSampler(SelectingSampler):
    """Keeps a target number of rows per class."""

    _sampling_type = "under-sampling"


def check_positive_int(value, name: str) -> int:
    """``value`` as an int >= 1, or a ValueError that says what to pass instead."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(
            f"{name} must be an int >= 1, got {value!r}. A custom neighbours estimator is "
            "not supported here: pass an int, or use imbalanced-learn's class of the same name."
        )
    return int(value)
