"""A prior that knows the data: each strategy's advantage on the benchmark data sets most like
this one.

A strategy's advantage depends on the data: undersampling before a gradient-boosted tree
loses 0.3-0.9 F1 where the smallest class has about 20 rows (the tree cannot split on the
few rows left) and nothing where it has a few hundred.  :class:`DataPrior` places a data set
among the benchmark's data sets by :func:`data_measures` and expects of each strategy what it
did on the nearest of them (k nearest neighbours on the standardised measures), so evidence
from tiny data is not applied to large data.

It is not the selector's default: replayed on the nested benchmark (``benchmarks/selection.py``,
97 keel-binary sets, the product's racing rule), it chose worse than the flat
:class:`CatalogPrior` (regret 0.0295 against 0.0256 leave-one-dataset-out, 0.0373 against
0.0329 on a third of the sets held back from its tuning).  ``AutoBalancedClassifier(prior="data")``
uses it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from skewlearn.select._prior import DEFAULT_STRENGTH, CatalogPrior
from skewlearn.select._prior_measures import data_measures

# Written by benchmarks/catalog_prior.py: measures and per-metric advantages of the benchmark
# data sets, and the neighbourhood chosen on the nested benchmark.
DATA_PRIOR_FILE = Path(__file__).with_name("data_prior.json")


@dataclass(frozen=True)
class DataPrior:
    """Each strategy's expected advantage, from the benchmark data sets nearest to the data.

    A data set is described by ``measures`` (see :func:`data_measures`), each divided by its
    standard deviation over the evidence; a strategy's expected advantage is its mean
    advantage over the nearest data sets (Euclidean distance) on which it was scored:
    ``n_neighbors`` of them for the strategies scored on the most data sets, the same share
    of its data sets for a strategy scored on fewer (so that its neighbours are as near).  :meth:`for_data` turns that into a :class:`CatalogPrior` for one data set, which
    pulls fold means as the flat prior does.

    Parameters
    ----------
    measures : DataFrame
        One row per evidence data set, one column per measure used.
    advantage : DataFrame
        One row per evidence data set (same index), one column per strategy: its score less
        the data set's reference score; NaN where it was not scored.
    n_neighbors : int, default=20
        Neighbours of the strategies scored on the most data sets.
    strength : float, default=20
        The prior's worth in samples of the smallest class (see :class:`CatalogPrior`).

    Examples
    --------
    >>> import pandas as pd
    >>> measures = pd.DataFrame({"log_minority": [1.0, 1.1, 2.5, 2.6]}, index=list("abcd"))
    >>> advantage = pd.DataFrame({"rus": [-0.6, -0.7, 0.0, 0.02]}, index=list("abcd"))
    >>> prior = DataPrior(measures, advantage, n_neighbors=2)
    >>> prior.expected({"log_minority": 1.2})
    {'rus': -0.65}
    >>> prior.expected({"log_minority": 3.0})
    {'rus': 0.01}
    """

    measures: pd.DataFrame
    advantage: pd.DataFrame
    n_neighbors: int = 20
    strength: float = DEFAULT_STRENGTH

    def __post_init__(self):
        if not self.measures.index.equals(self.advantage.index):
            raise ValueError(
                "measures and advantage must describe the same data sets in the same order; "
                "align them with advantage.reindex(measures.index)"
            )
        if self.n_neighbors < 1:
            raise ValueError(f"n_neighbors must be >= 1, got {self.n_neighbors!r}")
        if not self.strength >= 0:
            raise ValueError(f"prior strength must be >= 0, got {self.strength!r}")

    @classmethod
    def for_metric(
        cls, metric: str, strength: float = DEFAULT_STRENGTH, path: Path = DATA_PRIOR_FILE
    ) -> DataPrior | None:
        """The shipped evidence for ``metric``, or None when none was recorded for it."""
        recorded = json.loads(Path(path).read_text())
        if metric not in recorded["advantage"]:
            return None
        measures = pd.DataFrame(recorded["measures"]).T[recorded["use"]]
        advantage = pd.DataFrame(recorded["advantage"][metric]).T.reindex(measures.index)
        return cls(measures, advantage, recorded["n_neighbors"], strength)

    def _nearest(self, measures: Mapping[str, float]) -> pd.Series:
        """Distance of every evidence data set to ``measures``, nearest first."""
        missing = [name for name in self.measures.columns if name not in measures]
        if missing:
            raise ValueError(f"measures lack {missing}: compute them with data_measures(X, y)")
        scale = self.measures.std(ddof=0).replace(0.0, 1.0)
        query = pd.Series({name: measures[name] for name in self.measures.columns})
        gaps = (self.measures - query) / scale
        return np.sqrt((gaps**2).sum(axis=1)).sort_values(kind="stable")

    def _k(self, strategy: str) -> int:
        """Neighbours of ``strategy``: ``n_neighbors`` times its share of the most evidence."""
        scored = self.advantage.notna().sum()
        return max(1, round(self.n_neighbors * scored[strategy] / scored.max()))

    def neighbours(self, measures: Mapping[str, float], strategy: str) -> list[str]:
        """The evidence data sets behind ``strategy``'s expected advantage, nearest first."""
        scored = self.advantage[strategy].dropna().index
        nearest = self._nearest(measures)
        return nearest[nearest.index.isin(scored)].index[: self._k(strategy)].tolist()

    def expected(
        self, measures: Mapping[str, float], strategies: Sequence[str] | None = None
    ) -> dict[str, float]:
        """Each strategy's mean advantage over its nearest evidence data sets."""
        nearest = self._nearest(measures).index
        ordered = self.advantage.loc[nearest]
        names = self.advantage.columns if strategies is None else strategies
        return {
            name: round(float(ordered[name].dropna().iloc[: self._k(name)].mean()), 4)
            for name in names
            if name in ordered.columns and ordered[name].notna().any()
        }

    def for_data(self, X, y, *, random_state: int = 0) -> CatalogPrior:
        """The prior for one data set: its measures, then each strategy's expected advantage."""
        measures = data_measures(X, y, random_state=random_state)
        return CatalogPrior(self.expected(measures), self.strength)
