"""The parts a strategy is made of, as lookup tables: learners, re-balancing steps, decision rules.

Each part knows how to build itself for a task, what it costs (for breaking ties toward the
cheaper strategy), and when it cannot apply (returning the reason a user will read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.util import find_spec

from sklearn.base import BaseEstimator
from sklearn.ensemble import (
    ExtraTreesClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from skewlearn.evaluation._task_info import TaskInfo


@dataclass(frozen=True)
class Learner:
    """A classifier family. ``make(class_weight, seed)`` returns an unfitted estimator."""

    name: str
    make: Callable[[str | None, int], BaseEstimator]
    cost: float
    description: str
    scale: bool = False
    class_weight: bool = True
    # An imbalance ensemble re-balances by itself: no sampler or class weight goes with it.
    rebalances_itself: bool = False
    requires: str | None = None
    # Fewest training rows it learns anything from (gradient boosting's default leaves hold
    # 20 rows: below 40 rows it cannot split and predicts a constant).
    min_rows: int = 0
    # Fit seconds per training row relative to logistic regression, for budget estimates
    # (measured on 20,000 x 20 synthetic rows, 1:99, one core; only the magnitude matters).
    relative_time: float = 1.0

    def unavailable(self, task: TaskInfo) -> str | None:
        if self.requires and find_spec(self.requires) is None:
            return f"{self.requires} is not installed (pip install 'skewlearn[{self.requires}]')"
        return None


@dataclass(frozen=True)
class Rebalance:
    """How the training data or loss is re-balanced before the learner sees it."""

    name: str
    cost: float
    description: str
    class_weight: str | None = None
    make_sampler: Callable[[TaskInfo, int], BaseEstimator] | None = None
    unavailable: Callable[[TaskInfo], str | None] = field(default=lambda task: None)
    # Under-sampling to the smallest class leaves that many rows of every class.
    to_smallest_class: bool = False

    def training_rows(self, task: TaskInfo) -> int:
        """About how many rows the learner is trained on in a training fold."""
        if self.to_smallest_class:
            return task.n_classes * task.smallest_train_class
        return task.n_samples


@dataclass(frozen=True)
class DecisionRule:
    """How scores become class labels. ``wrap(estimator, metric, seed)`` returns an estimator."""

    name: str
    cost: float
    description: str
    wrap: Callable[[BaseEstimator, str, int], BaseEstimator] | None = None
    needs_sampler: bool = False
    # Fits of the learner it makes, in full-data equivalents (for budget estimates).
    fits: float = 1.0


def _lightgbm(class_weight: str | None, seed: int) -> BaseEstimator:
    from lightgbm import LGBMClassifier

    return LGBMClassifier(class_weight=class_weight, random_state=seed, n_jobs=1, verbose=-1)


def _balanced_random_forest(class_weight: str | None, seed: int) -> BaseEstimator:
    from imblearn.ensemble import BalancedRandomForestClassifier

    return BalancedRandomForestClassifier(
        n_estimators=200,
        sampling_strategy="all",
        replacement=True,
        bootstrap=False,
        random_state=seed,
        n_jobs=1,
    )


def _self_paced(class_weight: str | None, seed: int) -> BaseEstimator:
    from skewlearn.ensemble import SelfPacedEnsembleClassifier

    return SelfPacedEnsembleClassifier(n_estimators=50, random_state=seed)


def _under_bagging(class_weight: str | None, seed: int) -> BaseEstimator:
    from skewlearn.ensemble import UnderBaggingClassifier

    return UnderBaggingClassifier(n_estimators=50, random_state=seed, n_jobs=1)


def _easy_ensemble(class_weight: str | None, seed: int) -> BaseEstimator:
    from imblearn.ensemble import EasyEnsembleClassifier

    return EasyEnsembleClassifier(n_estimators=10, random_state=seed, n_jobs=1)


LEARNERS: dict[str, Learner] = {
    learner.name: learner
    for learner in [
        Learner(
            "logreg",
            lambda cw, seed: LogisticRegression(max_iter=2000, class_weight=cw),
            cost=1.0,
            description="logistic regression on standardised, one-hot encoded features",
            scale=True,
        ),
        Learner(
            "tree",
            lambda cw, seed: DecisionTreeClassifier(class_weight=cw, random_state=seed),
            cost=1.0,
            description="a single decision tree",
        ),
        Learner(
            "hgb",
            lambda cw, seed: HistGradientBoostingClassifier(class_weight=cw, random_state=seed),
            cost=2.0,
            description="histogram gradient boosting",
            min_rows=40,
            relative_time=5.0,
        ),
        Learner(
            "rf",
            lambda cw, seed: RandomForestClassifier(
                n_estimators=200, class_weight=cw, random_state=seed, n_jobs=1
            ),
            cost=3.0,
            description="random forest, 200 trees",
            relative_time=150.0,
        ),
        Learner(
            "et",
            lambda cw, seed: ExtraTreesClassifier(
                n_estimators=200, class_weight=cw, random_state=seed, n_jobs=1
            ),
            cost=3.0,
            description="extra trees, 200 trees",
            relative_time=40.0,
        ),
        Learner(
            "lgbm",
            _lightgbm,
            cost=2.0,
            description="LightGBM gradient boosting",
            requires="lightgbm",
            min_rows=40,
            relative_time=6.0,
        ),
        Learner(
            "brf",
            _balanced_random_forest,
            cost=3.0,
            description="balanced random forest (each tree on a class-balanced bootstrap)",
            class_weight=False,
            rebalances_itself=True,
            relative_time=600.0,
        ),
        Learner(
            "spe",
            _self_paced,
            cost=3.0,
            description="self-paced ensemble: 50 trees on hardness-balanced under-samples",
            class_weight=False,
            rebalances_itself=True,
            relative_time=250.0,
        ),
        Learner(
            "underbag",
            _under_bagging,
            cost=3.0,
            description="under-bagging: 50 trees, each on a random balanced under-sample",
            class_weight=False,
            rebalances_itself=True,
            relative_time=250.0,
        ),
        Learner(
            "easy",
            _easy_ensemble,
            cost=4.0,
            description="EasyEnsemble: AdaBoost learners on balanced under-samples",
            class_weight=False,
            rebalances_itself=True,
            relative_time=450.0,
        ),
    ]
}


def _smote(task: TaskInfo, seed: int) -> BaseEstimator:
    from skewlearn.resample import SMOTE

    # k_neighbors="auto": 5, or fewer for a class too small for 5, decided on the rows fitted.
    return SMOTE(random_state=seed)


def _smote_unavailable(task: TaskInfo) -> str | None:
    if task.n_numeric == 0:
        return "SMOTE interpolates numeric features and every column is categorical"
    if task.smallest_train_class < 2:
        return (
            f"the smallest class has {task.smallest_train_class} sample per training fold; "
            "SMOTE needs at least 2"
        )
    return None


def _random_under(task: TaskInfo, seed: int) -> BaseEstimator:
    from skewlearn.resample import RandomUnderSampler

    return RandomUnderSampler(random_state=seed)


def _random_over(task: TaskInfo, seed: int) -> BaseEstimator:
    from skewlearn.resample import RandomOverSampler

    return RandomOverSampler(random_state=seed)


REBALANCES: dict[str, Rebalance] = {
    rebalance.name: rebalance
    for rebalance in [
        Rebalance("none", cost=0.0, description="no re-balancing"),
        Rebalance(
            "balanced",
            cost=0.0,
            description="class weights inversely proportional to class frequency",
            class_weight="balanced",
        ),
        Rebalance(
            "smote",
            cost=1.0,
            description="SMOTE over-sampling of the minority classes",
            make_sampler=_smote,
            unavailable=_smote_unavailable,
        ),
        Rebalance(
            "rus",
            cost=0.5,
            description="random under-sampling of the majority classes",
            make_sampler=_random_under,
            to_smallest_class=True,
        ),
        Rebalance(
            "ros",
            cost=0.5,
            description="random over-sampling of the minority classes",
            make_sampler=_random_over,
        ),
    ]
}


def _tuned_threshold(estimator: BaseEstimator, metric: str, seed: int) -> BaseEstimator:
    from sklearn.model_selection import StratifiedKFold

    from skewlearn.decision import DecisionTunedClassifier

    # Three shuffled inner folds: enough out-of-fold scores to place a threshold, at 4 fits.
    inner = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    return DecisionTunedClassifier(estimator, scoring=metric, cv=inner)


def _prior_corrected(estimator: BaseEstimator, metric: str, seed: int) -> BaseEstimator:
    from skewlearn.decision import PriorCorrectedClassifier

    return PriorCorrectedClassifier(estimator)


DECISION_RULES: dict[str, DecisionRule] = {
    rule.name: rule
    for rule in [
        DecisionRule("default", cost=0.0, description="the learner's own rule (argmax)"),
        DecisionRule(
            "threshold",
            cost=1.5,
            description="threshold (or per-class offsets) tuned for the metric on inner folds",
            wrap=_tuned_threshold,
            fits=3.0,
        ),
        DecisionRule(
            "prior",
            cost=0.1,
            description="probabilities mapped back to the true class prior after resampling",
            wrap=_prior_corrected,
            needs_sampler=True,
        ),
    ]
}
