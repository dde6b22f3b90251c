"""Learning when labels are the scarce thing: active learning and self-training.

* A pool-based loop for any scikit-learn classifier: :class:`ActiveLearner` (``teach`` labelled
  rows, ``query`` the pool for the next batch) and :func:`simulate`, which replays a fully
  labelled data set as the oracle and returns a :class:`LearningCurve`.
* Query strategies, each one small class with ``select``: random, least confidence, margin,
  entropy, core-set, class-balanced (BASE-style) and BADGE; :func:`make_strategy` builds them
  by name.
* :class:`TailorSelector` (TAILOR, Zhang et al., NeurIPS 2023) chooses among candidate
  strategies by Thompson sampling, rewarded for labels of the rare classes;
  :class:`RandomChoice` is its baseline.
* :class:`ClassBalancedSelfTraining`: pseudo-labels per class in proportion to a class prior.

The loop, the strategies (BADGE aside) and TAILOR also take a multi-label target: ``y`` an
indicator matrix with one 0/1 column per label, learned by ``OneVsRestClassifier`` or the like.
"""

from ._class_balanced import ClassBalancedSampling
from ._diversity import BadgeSampling, CoreSet
from ._learner import ActiveLearner
from ._registry import make_strategy, strategy_names
from ._self_training import ClassBalancedSelfTraining
from ._simulate import LearningCurve, simulate
from ._strategies import (
    EntropySampling,
    LeastConfidence,
    MarginSampling,
    QueryStrategy,
    RandomSampling,
)
from ._tailor import RandomChoice, TailorSelector

__all__ = [
    "ActiveLearner",
    "BadgeSampling",
    "ClassBalancedSampling",
    "ClassBalancedSelfTraining",
    "CoreSet",
    "EntropySampling",
    "LearningCurve",
    "LeastConfidence",
    "MarginSampling",
    "QueryStrategy",
    "RandomChoice",
    "RandomSampling",
    "TailorSelector",
    "make_strategy",
    "simulate",
    "strategy_names",
]
