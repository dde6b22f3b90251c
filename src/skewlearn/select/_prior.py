"""Evidence from many data sets on how strategies compare, used to steady noisy fold means.

On a small data set the strategy with the best cross-validated mean is often only the luckiest
one.  The nested benchmark (``benchmarks/selection.py``) found that pulling each mean part of
the way toward what other data sets predict (this data set's average plus the strategy's usual
advantage) chose better strategies than the plain best mean, at every size it was run on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# Written by benchmarks/catalog_prior.py: per metric, each default-catalog strategy's mean
# advantage over the average strategy on keel-binary sets.
PRIOR_FILE = Path(__file__).with_name("catalog_prior.json")
# How many samples of the smallest class the prior is worth (see CatalogPrior).
DEFAULT_STRENGTH = 20.0


@dataclass(frozen=True)
class CatalogPrior:
    """Each strategy's usual advantage over the average strategy, and how far to trust it.

    ``adjust`` maps fold means to ``(1 - w) * mean + w * expected``, where a strategy's
    ``expected`` score is the average mean of the strategies compared plus its advantage
    (centred over those strategies; a strategy with no recorded advantage is expected to be
    average), and ``w = strength / (strength + n)`` for ``n`` samples of the smallest class:
    the prior counts as ``strength`` such samples, so it steadies small data and fades on
    large data, where fold means are precise.

    Parameters
    ----------
    advantage : mapping of str to float
        Strategy name to mean score advantage over the average strategy.
    strength : float, default=20
        The prior's worth in samples of the smallest class; 0 turns it off.

    Examples
    --------
    >>> import pandas as pd
    >>> prior = CatalogPrior({"steady": 0.05, "erratic": -0.05}, strength=20)
    >>> prior.adjust(pd.Series({"steady": 0.70, "erratic": 0.74}), n_smallest=20)
    steady     0.735
    erratic    0.705
    dtype: float64
    """

    advantage: Mapping[str, float] = field(default_factory=dict)
    strength: float = DEFAULT_STRENGTH

    def __post_init__(self):
        if not self.strength >= 0:
            raise ValueError(f"prior strength must be >= 0, got {self.strength!r}")

    @classmethod
    def for_metric(cls, metric: str, strength: float = DEFAULT_STRENGTH) -> CatalogPrior | None:
        """The shipped evidence for ``metric``, or None when none was recorded for it."""
        recorded = json.loads(PRIOR_FILE.read_text())["advantage"]
        if metric not in recorded:
            return None
        return cls(recorded[metric], strength)

    def weight(self, n_smallest: int) -> float:
        """How far means are pulled for data whose smallest class has ``n_smallest`` rows."""
        return self.strength / (self.strength + n_smallest) if self.strength else 0.0

    def adjust(self, means: pd.Series, n_smallest: int) -> pd.Series:
        """``means`` (one per strategy) pulled toward the prior."""
        known = pd.Series({name: self.advantage.get(name) for name in means.index}, dtype=float)
        # Centred over the strategies compared, so the average expectation is the average mean.
        advantage = (known - known.mean()).fillna(0.0)
        expected = means.mean() + advantage
        weight = self.weight(n_smallest)
        return (1 - weight) * means + weight * expected
