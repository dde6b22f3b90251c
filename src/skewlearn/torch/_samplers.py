"""Class-aware samplers: power-law class sampling, progressive sampling, progressive expansion."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch
from torch import Tensor
from torch.utils.data import Sampler


def _as_labels(labels: Tensor | Sequence[int]) -> Tensor:
    labels = torch.as_tensor(labels).detach().cpu()
    if labels.ndim != 1 or labels.numel() == 0 or labels.is_floating_point():
        raise ValueError(
            "labels must be a non-empty 1-D sequence of integer class (or group) ids, got "
            f"shape {tuple(labels.shape)} and dtype {labels.dtype}."
        )
    return labels


def _seed(generator: torch.Generator | None) -> torch.Generator:
    """A generator for one pass: the given one, or one seeded from torch's global RNG as
    ``RandomSampler`` does, so ``torch.manual_seed`` controls unseeded samplers."""
    if generator is not None:
        return generator
    g = torch.Generator()
    g.manual_seed(int(torch.empty((), dtype=torch.int64).random_().item()))
    return g


def _power_law_weights(labels: Tensor | Sequence[int], q: float) -> Tensor:
    """Per-sample weights ``n_c^{q-1}`` so that class ``c`` is drawn with probability
    ``p_c = n_c^q / sum_k n_k^q`` and samples within a class uniformly."""
    _, codes, counts = torch.unique(_as_labels(labels), return_inverse=True, return_counts=True)
    return counts.to(torch.float64).pow(q - 1)[codes]


class ClassPowerSampler(Sampler[int]):
    r"""Draw samples so that class ``c`` comes up with probability ``p_c ∝ n_c^q``.

    The sampling family of Kang et al., "Decoupling Representation and Classifier for
    Long-Tailed Recognition", ICLR 2020, eq. 1 (and Mahajan et al., ECCV 2018 for ``q = 1/2``):
    ``q = 1`` is instance-balanced (each sample equally likely), ``q = 0`` class-balanced
    (each class equally likely) and ``q = 1/2`` square-root sampling. Within a class samples
    are drawn uniformly, with replacement.

    Parameters
    ----------
    labels : sequence or Tensor of shape (n_samples,)
        Class of each sample in the dataset.
    q : float, default=0.0
    num_samples : int, default=None
        Draws per pass (epoch); defaults to the dataset size.
    generator : torch.Generator, default=None

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import ClassPowerSampler
    >>> labels = [0] * 90 + [1] * 10
    >>> sampler = ClassPowerSampler(labels, q=0.0, num_samples=10_000,
    ...                             generator=torch.Generator().manual_seed(0))
    >>> drawn = torch.tensor(labels)[list(sampler)]
    >>> round(drawn.float().mean().item(), 1)  # class 1 now drawn half the time
    0.5
    """

    def __init__(
        self,
        labels: Tensor | Sequence[int],
        q: float = 0.0,
        num_samples: int | None = None,
        generator: torch.Generator | None = None,
    ) -> None:
        self.labels = _as_labels(labels)
        self.q = q
        self.num_samples = len(self.labels) if num_samples is None else int(num_samples)
        self.generator = generator
        self._weights = _power_law_weights(self.labels, q)

    def __iter__(self) -> Iterator[int]:
        drawn = torch.multinomial(
            self._weights, self.num_samples, replacement=True, generator=_seed(self.generator)
        )
        yield from drawn.tolist()

    def __len__(self) -> int:
        return self.num_samples


class ProgressiveClassSampler(Sampler[int]):
    r"""Class sampling that moves from ``q_start`` to ``q_end`` over the epochs.

    Progressively-balanced sampling of Kang et al., ICLR 2020, eq. 2: at epoch ``t`` of ``T``
    the class probabilities are ``(1 - t/T) p^{(q_start)} + (t/T) p^{(q_end)}`` with
    ``p^{(q)}_c ∝ n_c^q``; the defaults go from instance-balanced to class-balanced. Call
    :meth:`set_epoch` at the start of each epoch (as with ``DistributedSampler``).

    Parameters
    ----------
    labels : sequence or Tensor of shape (n_samples,)
    num_epochs : int
        ``T``.
    q_start, q_end : float, default=1.0, 0.0
    num_samples : int, default=None
    generator : torch.Generator, default=None
    """

    def __init__(
        self,
        labels: Tensor | Sequence[int],
        num_epochs: int,
        q_start: float = 1.0,
        q_end: float = 0.0,
        num_samples: int | None = None,
        generator: torch.Generator | None = None,
    ) -> None:
        if num_epochs < 1:
            raise ValueError(f"num_epochs must be >= 1, got {num_epochs}.")
        self.labels = _as_labels(labels)
        self.num_epochs = num_epochs
        self.q_start = q_start
        self.q_end = q_end
        self.num_samples = len(self.labels) if num_samples is None else int(num_samples)
        self.generator = generator
        self.epoch = 0
        start = _power_law_weights(self.labels, q_start)
        end = _power_law_weights(self.labels, q_end)
        # Normalised so each is a distribution over samples before they are mixed.
        self._start, self._end = start / start.sum(), end / end.sum()

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def sample_weights(self) -> Tensor:
        """Probability of each sample at the current epoch."""
        share = min(self.epoch / self.num_epochs, 1.0)
        return (1 - share) * self._start + share * self._end

    def __iter__(self) -> Iterator[int]:
        drawn = torch.multinomial(
            self.sample_weights(),
            self.num_samples,
            replacement=True,
            generator=_seed(self.generator),
        )
        yield from drawn.tolist()

    def __len__(self) -> int:
        return self.num_samples


class ProgressiveDataExpansionSampler(Sampler[int]):
    """Start from a group-balanced subset and add the rest of the data in steps over epochs.

    Progressive data expansion (PDE) of Deng, Yang, Mirzasoleiman and Gu, "Robust Learning
    with Progressive Data Expansion Against Spurious Correlation", NeurIPS 2023: warm up for
    ``warmup_epochs`` on a subset with the same number of samples from every group (the size
    of the smallest group), then add ``expansion_size`` samples drawn at random from the rest
    every ``expansion_every`` epochs until all data is in. Each epoch visits the current subset
    once in random order. The subsets are nested and fixed by ``generator`` at construction.
    Call :meth:`set_epoch` at the start of each epoch.

    Parameters
    ----------
    groups : sequence or Tensor of shape (n_samples,)
        Group (or class) of each sample.
    warmup_epochs : int
    expansion_size : int
    expansion_every : int, default=1
    generator : torch.Generator, default=None

    Examples
    --------
    >>> import torch
    >>> from skewlearn.torch import ProgressiveDataExpansionSampler
    >>> sampler = ProgressiveDataExpansionSampler([0] * 8 + [1] * 2, warmup_epochs=2,
    ...     expansion_size=3, generator=torch.Generator().manual_seed(0))
    >>> sizes = []
    >>> for epoch in range(5):
    ...     sampler.set_epoch(epoch)
    ...     sizes.append(len(sampler))
    >>> sizes
    [4, 4, 7, 10, 10]
    """

    def __init__(
        self,
        groups: Tensor | Sequence[int],
        warmup_epochs: int,
        expansion_size: int,
        expansion_every: int = 1,
        generator: torch.Generator | None = None,
    ) -> None:
        if warmup_epochs < 0 or expansion_size < 1 or expansion_every < 1:
            raise ValueError(
                "need warmup_epochs >= 0, expansion_size >= 1 and expansion_every >= 1, got "
                f"{warmup_epochs}, {expansion_size}, {expansion_every}."
            )
        self.groups = _as_labels(groups)
        self.warmup_epochs = warmup_epochs
        self.expansion_size = expansion_size
        self.expansion_every = expansion_every
        self.generator = generator
        self.epoch = 0
        g = _seed(generator)
        order = torch.randperm(len(self.groups), generator=g)
        shuffled = self.groups[order]
        _, counts = torch.unique(shuffled, return_counts=True)
        # Rank of each sample among the shuffled samples of its group; the first
        # min(counts) of every group form the balanced core.
        by_group = torch.argsort(shuffled, stable=True)
        rank = torch.empty_like(by_group)
        starts = torch.repeat_interleave(torch.cumsum(counts, 0) - counts, counts)
        rank[by_group] = torch.arange(len(by_group)) - starts
        in_core = rank < counts.min()
        self._core = order[in_core]
        self._queue = order[~in_core]

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def active_indices(self) -> Tensor:
        """Indices of the samples used at the current epoch."""
        if self.epoch < self.warmup_epochs:
            steps = 0
        else:
            steps = (self.epoch - self.warmup_epochs) // self.expansion_every + 1
        return torch.cat([self._core, self._queue[: steps * self.expansion_size]])

    def __iter__(self) -> Iterator[int]:
        active = self.active_indices()
        g = _seed(self.generator)
        yield from active[torch.randperm(len(active), generator=g)].tolist()

    def __len__(self) -> int:
        return len(self.active_indices())
