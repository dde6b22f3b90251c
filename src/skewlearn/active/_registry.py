"""The query strategies by name: :func:`strategy_names` and :func:`make_strategy`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sklearn.utils import check_random_state

from ._class_balanced import ClassBalancedSampling
from ._diversity import BadgeSampling, CoreSet
from ._strategies import (
    EntropySampling,
    LeastConfidence,
    MarginSampling,
    QueryStrategy,
    RandomSampling,
)
from ._tailor import RandomChoice, TailorSelector

#: The candidates of "tailor" and "random_choice": the standard strategies that work with any
#: probabilistic classifier (BADGE needs a linear model or an MLP, so it is left out).
STANDARD_CANDIDATES = ("least_confidence", "margin", "entropy", "coreset", "class_balanced")

_FACTORIES: dict[str, Callable[[], QueryStrategy]] = {
    "random": RandomSampling,
    "least_confidence": LeastConfidence,
    "margin": MarginSampling,
    "entropy": EntropySampling,
    "coreset": CoreSet,
    "class_balanced": ClassBalancedSampling,
    "badge": BadgeSampling,
    "tailor": lambda: TailorSelector(list(STANDARD_CANDIDATES)),
    "random_choice": lambda: RandomChoice(list(STANDARD_CANDIDATES)),
}


def strategy_names() -> tuple[str, ...]:
    """Names accepted by :func:`make_strategy`.

    Examples
    --------
    >>> from skewlearn.active import strategy_names
    >>> strategy_names()[:3]
    ('random', 'least_confidence', 'margin')
    """
    return tuple(_FACTORIES)


def make_strategy(name: str, random_state: Any = None) -> QueryStrategy:
    """A new query strategy from its name.

    Parameters
    ----------
    name : str
        One of :func:`strategy_names`; "tailor" and "random_choice" choose among
        "least_confidence", "margin", "entropy", "coreset" and "class_balanced".
    random_state : int, RandomState or None, default=None
        Seed of the strategy's draws when ``select`` is called without one.

    Returns
    -------
    QueryStrategy

    Examples
    --------
    >>> from skewlearn.active import make_strategy
    >>> make_strategy("margin")
    MarginSampling()
    """
    if not isinstance(name, str) or name not in _FACTORIES:
        raise ValueError(
            f"Unknown query strategy {name!r}; choose one of {', '.join(_FACTORIES)} or pass "
            "a QueryStrategy instance."
        )
    strategy = _FACTORIES[name]()
    if random_state is not None:
        strategy.random_state = check_random_state(random_state)
    return strategy
