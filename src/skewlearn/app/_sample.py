"""A stratified sample of a table larger than memory: small classes whole, large ones drawn.

The sample is the same for any number of workers: how many rows of each class come from
each partition is drawn on the client from a generator seeded with ``(seed, class)``, and
partition ``j`` picks its rows with a generator seeded with ``(seed, j)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from skewlearn.datasets._lazy_profile import class_labels


@dataclass(frozen=True)
class StratifiedSample:
    """Rows drawn class by class, and at what rate.

    Attributes
    ----------
    X : pandas.DataFrame
        The sampled rows' features, in table order within each partition.
    y : pandas.Series
        Their labels.
    population, drawn : pandas.Series
        Rows per class in the table and in the sample.
    """

    X: pd.DataFrame
    y: pd.Series
    population: pd.Series
    drawn: pd.Series

    @property
    def rates(self) -> pd.Series:
        """The share of each class's rows in the sample."""
        return (self.drawn / self.population).rename("rate")

    @property
    def weights(self) -> dict:
        """Weight per class that makes the sample count as the table: 1 / rate."""
        return {label: float(1.0 / rate) for label, rate in self.rates.items()}


def sample_sizes(counts: pd.Series, n_rows: int) -> pd.Series:
    """Rows to draw per class: an equal share of ``n_rows`` each, a class smaller than its
    share whole, the room it leaves shared by the larger classes.

    Examples
    --------
    >>> counts = pd.Series({"ok": 990_000, "fraud": 10_000})
    >>> sample_sizes(counts, 30_000).to_dict()
    {'ok': 20000, 'fraud': 10000}
    >>> sample_sizes(counts, 10_000).to_dict()
    {'ok': 5000, 'fraud': 5000}
    """
    sizes = pd.Series(0, index=counts.index, dtype="int64")
    room = int(min(n_rows, counts.sum()))
    ascending = counts.sort_values(kind="stable")
    for left, (label, count) in zip(range(len(counts), 0, -1), ascending.items()):
        sizes[label] = min(int(count), room // left)
        room -= sizes[label]
    return sizes


def _pick(X_part: pd.DataFrame, y_part: pd.Series, take: dict, seed: int, j: int):
    rng = np.random.default_rng([seed, j])
    labels = np.asarray(y_part)
    picked = [
        rng.choice(np.flatnonzero(labels == label), size=k, replace=False)
        for label, k in take.items()
        if k
    ]
    rows = np.sort(np.concatenate(picked)) if picked else np.zeros(0, dtype=np.intp)
    return X_part.iloc[rows], pd.Series(labels[rows], name=y_part.name)


def draw_stratified(
    X, y, partition_counts: pd.DataFrame, sizes: pd.Series, seed: int
) -> StratifiedSample:
    """Draw ``sizes[label]`` rows of each class from Dask ``X, y``, without replacement.

    ``partition_counts`` is rows per class (columns) in each partition, as
    :func:`skewlearn.datasets._lazy_profile.profile_lazy` counts them.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> frame = pd.DataFrame({"x": range(12), "y": [0] * 9 + [1] * 3})
    >>> ddf = dd.from_pandas(frame, npartitions=3)
    >>> counts = pd.DataFrame({0: [4, 4, 1], 1: [0, 0, 3]})
    >>> sample = draw_stratified(ddf[["x"]], ddf["y"], counts, pd.Series({0: 3, 1: 3}), seed=0)
    >>> sample.drawn.to_dict(), sample.weights
    ({0: 3, 1: 3}, {0: 3.0, 1: 1.0})
    """
    import dask

    n_parts = len(partition_counts)
    per_part = [{} for _ in range(n_parts)]
    for c, label in enumerate(partition_counts.columns):
        populations = partition_counts[label].to_numpy(dtype=np.int64)
        rng = np.random.default_rng([seed, c])
        split = rng.multivariate_hypergeometric(populations, int(sizes.get(label, 0)))
        for j in range(n_parts):
            per_part[j][label] = int(split[j])
    x_parts = X.to_delayed(optimize_graph=False)
    y_parts = y.to_delayed(optimize_graph=False)
    pieces = dask.compute(
        *[
            dask.delayed(_pick)(xp, yp, per_part[j], seed, j)
            for j, (xp, yp) in enumerate(zip(x_parts, y_parts))
        ]
    )
    X_sample = pd.concat([p[0] for p in pieces], ignore_index=True)
    y_sample = class_labels(pd.concat([p[1] for p in pieces], ignore_index=True))
    population = partition_counts.sum().rename("count")
    drawn = y_sample.value_counts().reindex(population.index, fill_value=0).rename("count")
    return StratifiedSample(X_sample, y_sample.rename(y.name), population, drawn)
