"""Stratified mini-batches over a sorted target: every batch spans the whole target range."""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike
from sklearn.utils import check_random_state

from ._relevance import _check_target


class StratifiedBatchSampler:
    """Mini-batches with one row from each target stratum (CISIR's stratified sampling).

    The rows are sorted by target and cut into ``batch_size`` contiguous strata of (nearly)
    equal size. Each pass shuffles every stratum and makes batch ``j`` of the ``j``-th row of
    each stratum, so a batch holds one row from every part of the target range, rare tails
    included, and no row repeats within a pass. A pass yields ``n // batch_size`` batches; the
    rows left over (at most one per stratum) differ from pass to pass.

    It is an iterable of index lists with a length, so it serves any mini-batch loop and is a
    ``batch_sampler`` for ``torch.utils.data.DataLoader``. Successive passes draw fresh
    shuffles from one random stream, reproducible from ``random_state``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Training targets.
    batch_size : int
        Rows per batch (the number of strata), at most ``n_samples``.
    random_state : int, RandomState or None, default=None

    References
    ----------
    J. K. Moukpe, P. K. Chan, M. Zhang, "Highly imbalanced regression with tabular data in
    SEP and other applications" (CISIR), arXiv:2509.16339, 2025.

    Examples
    --------
    >>> from skewlearn.regression import StratifiedBatchSampler
    >>> batches = StratifiedBatchSampler(list(range(10)), batch_size=5, random_state=0)
    >>> len(batches)
    2
    >>> [sorted(b // 2 for b in batch) for batch in batches]
    [[0, 1, 2, 3, 4], [0, 1, 2, 3, 4]]
    """

    def __init__(self, y: ArrayLike, batch_size: int, *, random_state=None):
        y = _check_target(y)
        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, numbers.Integral)
            or not 1 <= batch_size <= y.size
        ):
            raise ValueError(
                f"batch_size must be an int in [1, {y.size}] (the number of rows), "
                f"got {batch_size!r}."
            )
        self.batch_size = int(batch_size)
        self._strata = np.array_split(np.argsort(y, kind="stable"), self.batch_size)
        self._rng = check_random_state(random_state)

    def __len__(self) -> int:
        return min(stratum.size for stratum in self._strata)

    def __iter__(self) -> Iterator[list[int]]:
        n_batches = len(self)
        columns = np.column_stack(
            [self._rng.permutation(stratum)[:n_batches] for stratum in self._strata]
        )
        for batch in columns:
            yield batch.tolist()
