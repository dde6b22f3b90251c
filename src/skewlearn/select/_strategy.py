"""A strategy: one recipe of preprocessing + re-balancing + learner + decision rule."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sklearn.base import BaseEstimator
from sklearn.utils.validation import has_fit_parameter

from skewlearn.evaluation._task_info import TaskInfo
from skewlearn.metrics._score_weight import _plain
from skewlearn.resample import Pipeline
from skewlearn.select._components import DECISION_RULES, LEARNERS, REBALANCES
from skewlearn.select._preprocess import make_preprocessor

_PARTS = {"learner": LEARNERS, "rebalance": REBALANCES, "decision": DECISION_RULES}


@dataclass(frozen=True)
class Strategy:
    """A named recipe for learning from imbalanced data.

    Parameters
    ----------
    learner : str
        One of ``LEARNERS``: logreg, tree, hgb, rf, et, lgbm, and the imbalance ensembles brf,
        spe, underbag, easy.
    rebalance : str, default="none"
        One of ``REBALANCES``: none, balanced (class weights), smote, rus, ros.
    decision : str, default="default"
        One of ``DECISION_RULES``: default, threshold (tuned for the metric), prior
        (probabilities corrected to the true prior after resampling).

    The short spec joins the non-default parts with ``+`` in any order, e.g. ``"hgb+smote"``,
    ``"logreg+threshold"``; :meth:`parse` reads it back.

    Examples
    --------
    >>> Strategy.parse("threshold+logreg+balanced").name
    'logreg+balanced+threshold'
    >>> Strategy("rf", "smote").name
    'rf+smote'
    """

    learner: str
    rebalance: str = "none"
    decision: str = "default"

    def __post_init__(self) -> None:
        for part, table in _PARTS.items():
            value = getattr(self, part)
            if value not in table:
                raise ValueError(f"unknown {part} {value!r}; choose one of {', '.join(table)}")
        learner = LEARNERS[self.learner]
        if learner.rebalances_itself and self.rebalance != "none":
            raise ValueError(
                f"{self.learner} re-balances by itself; it cannot be combined with "
                f"{self.rebalance!r}: use {self.learner!r} alone"
            )
        if self.rebalance == "balanced" and not learner.class_weight:
            raise ValueError(f"{self.learner} takes no class weights: drop 'balanced'")
        if (
            DECISION_RULES[self.decision].needs_sampler
            and REBALANCES[self.rebalance].make_sampler is None
        ):
            raise ValueError(
                f"the {self.decision!r} rule corrects for a resampled training prior; "
                "combine it with a sampler (smote, rus, ros)"
            )

    @property
    def name(self) -> str:
        parts = [self.learner]
        if self.rebalance != "none":
            parts.append(self.rebalance)
        if self.decision != "default":
            parts.append(self.decision)
        return "+".join(parts)

    def __str__(self) -> str:
        return self.name

    @property
    def cost(self) -> float:
        """Relative fitting cost, used to break ties toward cheaper, simpler strategies."""
        return (
            LEARNERS[self.learner].cost
            + REBALANCES[self.rebalance].cost
            + DECISION_RULES[self.decision].cost
        )

    @property
    def description(self) -> str:
        parts = [LEARNERS[self.learner].description]
        if self.rebalance != "none":
            parts.append(REBALANCES[self.rebalance].description)
        if self.decision != "default":
            parts.append(DECISION_RULES[self.decision].description)
        return "; ".join(parts)

    @classmethod
    def parse(cls, spec: str | Strategy) -> Strategy:
        """Read a ``+``-joined spec such as ``"hgb+balanced+threshold"``."""
        if isinstance(spec, Strategy):
            return spec
        found: dict[str, str] = {}
        for token in (t.strip().lower() for t in spec.split("+")):
            part = next((p for p, table in _PARTS.items() if token in table), None)
            if part is None:
                names = [name for table in _PARTS.values() for name in table]
                close = difflib.get_close_matches(token, names, n=2, cutoff=0.6)
                hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
                raise ValueError(
                    f"unknown strategy part {token!r} in {spec!r}; {hint}known parts: "
                    + ", ".join(names)
                )
            if part in found:
                raise ValueError(f"{spec!r} names two {part}s: {found[part]!r} and {token!r}")
            found[part] = token
        if "learner" not in found:
            raise ValueError(f"{spec!r} names no learner; add one of {', '.join(LEARNERS)}")
        return cls(**found)

    def unavailable(self, task: TaskInfo) -> str | None:
        """Why this strategy cannot run on ``task``, or None when it can.

        On weighted rows the learner's fit must take ``sample_weight`` (the pipeline carries
        the weights through the sampler and the decision rule to it); one that cannot is
        unavailable rather than fitted as if the rows had no weights.
        """
        learner, rebalance = LEARNERS[self.learner], REBALANCES[self.rebalance]
        reason = learner.unavailable(task) or rebalance.unavailable(task)
        if reason is None and task.weighted:
            made = learner.make(None, 0)
            if not has_fit_parameter(made, "sample_weight"):
                reason = (
                    f"{learner.description} cannot honour sample weights "
                    f"({type(made).__name__}.fit takes no sample_weight)"
                )
        rows = rebalance.training_rows(task)
        if reason is None and rows < learner.min_rows:
            reason = (
                f"{learner.description} needs about {learner.min_rows} training rows to split "
                f"at all, and {rebalance.description} leaves {rows}"
            )
        return reason

    def build(self, task: TaskInfo, *, metric: str, random_state: int) -> BaseEstimator:
        """The unfitted estimator: preprocessing, sampler, learner, wrapped by the decision rule.

        The steps form a :class:`skewlearn.resample.Pipeline`, imbalanced-learn's pipeline that
        also carries ``sample_weight`` through the sampler to the learner.
        """
        learner = LEARNERS[self.learner]
        rebalance = REBALANCES[self.rebalance]
        steps = [("preprocess", make_preprocessor(scale=learner.scale))]
        if rebalance.make_sampler is not None:
            steps.append(("sampler", rebalance.make_sampler(task, random_state)))
        class_weight = rebalance.class_weight if learner.class_weight else None
        steps.append(("learner", learner.make(class_weight, random_state)))
        estimator = Pipeline(steps)
        wrap = DECISION_RULES[self.decision].wrap
        if wrap is None:
            return estimator
        wrapped = wrap(estimator, metric, random_state)
        if task.score_class_weight is not None:
            params = wrapped.get_params()
            if "score_class_weight" in params:
                # A rule tuned on scores tunes on the corrected ones too.
                wrapped.set_params(score_class_weight=task.score_class_weight)
            elif "target_prior" in params:
                # A prior correction maps back to the prior of the data the rows stand for.
                wrapped.set_params(target_prior=_corrected_prior(task))
        return wrapped


def _corrected_prior(task: TaskInfo) -> dict:
    """Class shares once each class's rows count ``score_class_weight`` times."""
    factors = {_plain(label): factor for label, factor in task.score_class_weight.items()}
    mass = {
        label: count * factors.get(_plain(label), 1.0) for label, count in task.class_counts.items()
    }
    total = sum(mass.values())
    return {label: value / total for label, value in mass.items()}
