"""Bumps: runs of consecutive rare or normal targets, the unit that regression samplers resize.

Branco, Torgo & Ribeiro sort the targets and cut them where relevance crosses the threshold:
each run of targets with ``phi >= threshold`` is a rare bump, each run below it a normal bump.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Bump:
    """Row indices of one bump (in target order) and whether it is rare."""

    rows: NDArray[np.intp]
    rare: bool


def find_bumps(y: NDArray[np.float64], phi: NDArray[np.float64], threshold: float) -> list[Bump]:
    """The bumps of ``y``, from the lowest targets to the highest."""
    order = np.argsort(y, kind="stable")
    rare = phi[order] >= threshold
    cuts = np.flatnonzero(np.diff(rare.astype(np.int8))) + 1
    return [
        Bump(rows=rows, rare=bool(rare[start]))
        for rows, start in zip(np.split(order, cuts), np.r_[0, cuts])
    ]


def check_factor(value, name: str, low: float, high: float) -> float:
    """``value`` as a float in ``[low, high]``, or a ValueError saying what to pass."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
        raise ValueError(f"{name} must be a number in [{low}, {high}], got {value!r}.")
    return float(value)


def balanced_sizes(bumps: list[Bump], rare_total: float, normal_total: float) -> list[int]:
    """New bump sizes: each group shares its total in proportion to its bumps' sizes."""
    sizes = []
    for bump, group_total, group_size in (
        (b, rare_total if b.rare else normal_total, _group_size(bumps, b.rare)) for b in bumps
    ):
        sizes.append(max(1, int(round(group_total * bump.rows.size / group_size))))
    return sizes


def _group_size(bumps: list[Bump], rare: bool) -> int:
    return sum(b.rows.size for b in bumps if b.rare == rare)


def target_sizes(bumps: list[Bump], strategy, *, grow_rare: bool, shrink_normal: bool) -> list[int]:
    """Target size of each bump under a sampler's ``sampling_strategy``.

    ``"balance"`` makes the rare and the normal groups equally large: the over-sampler grows
    the rare group to the normal group's size, the under-sampler shrinks the normal group to
    the rare group's size, and a sampler that does both meets halfway (the data keeps its
    size). A number (or the ``"rare"`` / ``"normal"`` entries of a mapping) multiplies the
    size of each rare (or normal) bump.
    """
    n_rare, n_normal = _group_size(bumps, True), _group_size(bumps, False)
    if isinstance(strategy, str):
        if strategy != "balance":
            raise ValueError(
                f"sampling_strategy must be 'balance', a number or a mapping, got {strategy!r}."
            )
        if grow_rare and shrink_normal:
            half = (n_rare + n_normal) / 2
            rare_total, normal_total = max(half, n_rare), min(half, n_normal)
        elif grow_rare:
            rare_total, normal_total = max(n_normal, n_rare), n_normal
        else:
            rare_total, normal_total = n_rare, min(n_rare, n_normal)
        return balanced_sizes(bumps, rare_total, normal_total)
    if isinstance(strategy, Mapping):
        unknown = set(strategy) - {"rare", "normal"}
        if unknown:
            raise ValueError(
                f"sampling_strategy keys must be 'rare' and/or 'normal', got {sorted(unknown)}."
            )
        over = check_factor(strategy.get("rare", 1.0), "sampling_strategy['rare']", 1.0, np.inf)
        under = check_factor(strategy.get("normal", 1.0), "sampling_strategy['normal']", 0.0, 1.0)
    elif grow_rare and not shrink_normal:
        over, under = check_factor(strategy, "sampling_strategy", 1.0, np.inf), 1.0
    elif shrink_normal and not grow_rare:
        over, under = 1.0, check_factor(strategy, "sampling_strategy", 0.0, 1.0)
    else:
        raise ValueError(
            "sampling_strategy must be 'balance' or a mapping {'rare': >= 1, 'normal': <= 1}, "
            f"got {strategy!r}."
        )
    return [max(1, int(round(b.rows.size * (over if b.rare else under)))) for b in bumps]


def undersample(bump: Bump, size: int, rng: np.random.RandomState) -> NDArray[np.intp]:
    """Rows kept from a bump: all of a rare bump, a random ``size`` of a normal one."""
    if bump.rare or size >= bump.rows.size:
        return bump.rows
    return rng.choice(bump.rows, size, replace=False)
