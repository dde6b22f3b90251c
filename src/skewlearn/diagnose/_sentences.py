"""Plain sentences for the largest findings of a diagnosis, each from one stated rule.

The rules, all in :class:`FindingRules` (a finding is said when its rule holds, never
otherwise, and its sentence prints the numbers the rule rests on):

``unsafe_minority``
    per minority class: borderline share >= ``borderline`` (0.30) or rare + outlier share
    >= ``rare_or_outlier`` (0.20) of the typology (5 nearest neighbours).
``small_disjuncts``
    per minority class: at least ``min_groups`` (3) groups of ``min_group_size`` (2) rows
    or more among its small disjuncts.
``minority_overlap``
    per minority class: that class's N3 (share of its rows whose nearest neighbour is of
    another class) >= ``minority_n3`` (0.30).
``overlap``
    overall N3 >= ``n3`` (0.10).
``imbalance``
    C2 >= ``c2`` (0.50); the sentence says "strongly" from ``c2_strong`` (0.90) up.
``label_noise``
    per class: label-noise suspects (confident learning) >= ``noise`` (0.10) of its rows.
``shift``
    the domain classifier tells the new data from the training data: p-value < the
    diagnosis's ``alpha`` (0.05).
``prior_shift``
    some class's estimated share in the new data is ``prior_ratio`` (1.5) times its training
    share or more, or that many times less.

The thresholds are conventions of this module (Napierala & Stefanowski's types, Lorena et
al.'s measures), not yet fitted on benchmark evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class FindingRules:
    """Thresholds of the rules behind :func:`findings` (see the module docstring)."""

    borderline: float = 0.30
    rare_or_outlier: float = 0.20
    min_groups: int = 3
    min_group_size: int = 2
    minority_n3: float = 0.30
    n3: float = 0.10
    c2: float = 0.50
    c2_strong: float = 0.90
    noise: float = 0.10
    prior_ratio: float = 1.5


DEFAULT_RULES = FindingRules()


@dataclass(frozen=True)
class Finding:
    """One plain-language finding.

    Attributes
    ----------
    rule : str
        The rule that holds (a name of the module docstring's list).
    sentence : str
        What it means, with the numbers it rests on.
    numbers : dict
        Those numbers, for scripts.
    label : object or None
        The minority class the finding is about, or None for the whole data.
    """

    rule: str
    sentence: str
    numbers: dict = field(default_factory=dict)
    label: object = None


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _unsafe_minority(diagnosis, rules: FindingRules) -> list[Finding]:
    found = []
    for label, shares in diagnosis.typology.shares().items():
        borderline = shares["borderline"]
        rare = shares["rare"] + shares["outlier"]
        if borderline < rules.borderline and rare < rules.rare_or_outlier:
            continue
        cause = []
        if borderline >= rules.borderline:
            cause.append("expect threshold tuning and cleaning samplers to matter")
        if rare >= rules.rare_or_outlier:
            cause.append("SMOTE-like oversamplers may interpolate from isolated rows")
        found.append(
            Finding(
                "unsafe_minority",
                f"{_pct(borderline)} of the minority (class {label!r}) is borderline and "
                f"{_pct(rare)} rare or outlier: {'; '.join(cause)}.",
                {"borderline": borderline, "rare_or_outlier": rare},
                label,
            )
        )
    return found


def _small_disjuncts(diagnosis, rules: FindingRules) -> list[Finding]:
    found = []
    for label, sizes in diagnosis.disjuncts.sizes.items():
        groups = int((sizes >= rules.min_group_size).sum())
        if groups < rules.min_groups:
            continue
        largest = float(sizes[0] / sizes.sum())
        single = int((sizes == 1).sum())
        found.append(
            Finding(
                "small_disjuncts",
                f"the minority (class {label!r}) forms {groups} groups of "
                f"{rules.min_group_size}+ rows (and {single} lone rows), the largest "
                f"{_pct(largest)}: small disjuncts, which a learner fitting one region "
                "(a linear model, a shallow tree) will miss.",
                {"groups": groups, "largest_share": largest, "lone_rows": single},
                label,
            )
        )
    return found


def _minority_overlap(diagnosis, rules: FindingRules) -> list[Finding]:
    per_class = diagnosis.complexity.per_class["N3"]
    found = []
    for label in diagnosis.typology.counts:
        value = per_class[label]
        if value >= rules.minority_n3:
            found.append(
                Finding(
                    "minority_overlap",
                    f"N3 of class {label!r} = {value:.2f}: the nearest neighbour of "
                    f"{_pct(value)} of its rows is of another class, so the classes overlap "
                    "where the minority lives.",
                    {"N3": value},
                    label,
                )
            )
    return found


def _overlap(diagnosis, rules: FindingRules) -> list[Finding]:
    value = diagnosis.complexity.values["N3"]
    if not value >= rules.n3:
        return []
    return [
        Finding(
            "overlap",
            f"N3 = {value:.2f}: about one row in {round(1 / value)} is misclassified by its "
            "nearest neighbour.",
            {"N3": value},
        )
    ]


def _imbalance(diagnosis, rules: FindingRules) -> list[Finding]:
    value = diagnosis.complexity.values["C2"]
    if not value >= rules.c2:
        return []
    counts = diagnosis.class_counts
    ratio = max(counts.values()) / min(counts.values())
    strength = "strongly" if value >= rules.c2_strong else "moderately"
    return [
        Finding(
            "imbalance",
            f"C2 = {value:.2f}: {strength} imbalanced (largest/smallest class "
            f"{ratio:.1f}): default decision rules favour the majority.",
            {"C2": value, "largest_over_smallest": ratio},
        )
    ]


def _label_noise(diagnosis, rules: FindingRules) -> list[Finding]:
    noise = diagnosis.label_noise
    if noise is None:
        return []
    found = []
    for label, suspects in noise.class_counts.items():
        rows = diagnosis.class_counts[label]
        share = suspects / rows
        if share < rules.noise:
            continue
        suggested = [b for (a, b) in noise.pairs if a == label][0]
        found.append(
            Finding(
                "label_noise",
                f"{_pct(share)} of class {label!r} ({suspects} of {rows} rows) look mislabelled "
                f"(confident learning, mostly as {suggested!r} instead): check those rows "
                "before trusting its scores; cleaning them may matter more than re-balancing.",
                {"suspects": suspects, "share": share},
                label,
            )
        )
    return found


def _shift(diagnosis, rules: FindingRules) -> list[Finding]:
    found = diagnosis.shift
    if found is None or not found.shifted:
        return []
    drifted = found.drifted()
    more = f" (+{len(drifted) - 5} more)" if len(drifted) > 5 else ""
    named = ", ".join(map(repr, drifted[:5])) + more
    said = (
        f"drifted features (Holm, {found.alpha:.0%}): {named}"
        if drifted
        else "no single feature drifts significantly: the change is in how features combine"
    )
    return [
        Finding(
            "shift",
            f"the new data differs from the training data (domain classifier ROC-AUC "
            f"{found.domain_auc:.2f}, p = {found.p_value:.3g} over {found.permutations} "
            f"permutations); {said}.",
            {"domain_auc": found.domain_auc, "p_value": found.p_value, "drifted": drifted},
        )
    ]


def _ratio(train: dict, new: dict) -> tuple[str, str]:
    minority = min(train, key=train.get)
    majority = max(train, key=train.get)

    def one_to(prior):
        k = prior[majority] / prior[minority]
        if k < 1:  # the training minority is the new majority
            return f"{1 / k:.1f}:1"
        return f"1:{k:.0f}" if k >= 10 else f"1:{k:.1f}"

    return one_to(new), one_to(train)


def _shares(prior: dict) -> str:
    return ", ".join(f"{label!r} {share:.1%}" for label, share in prior.items())


def _prior_shift(diagnosis, rules: FindingRules) -> list[Finding]:
    found = diagnosis.shift
    if found is None or found.prior is None:
        return []
    train, new = found.priors()
    change = max(abs(np.log(new[label] / train[label])) for label in train)
    if change < np.log(rules.prior_ratio):
        return []
    if len(train) == 2:
        now, before = _ratio(train, new)
        said = f"the new data's prior looks like {now}, not the {before} you trained on"
    else:
        said = f"the new data's class shares look like {_shares(new)}, not {_shares(train)}"
    return [
        Finding(
            "prior_shift",
            f"{said} (EM of Saerens et al. on the model's probabilities): correct the model's "
            "probabilities to it with PriorCorrectedClassifier(model, target_prior=...).",
            {"train_prior": train, "new_prior": new},
        )
    ]


_RULES = (
    _unsafe_minority,
    _small_disjuncts,
    _minority_overlap,
    _overlap,
    _imbalance,
    _label_noise,
    _shift,
    _prior_shift,
)


def findings(diagnosis, rules: FindingRules | None = None) -> list[Finding]:
    """The findings of a :class:`Diagnosis` whose rules hold, in the order of the rules.

    Parameters
    ----------
    diagnosis : Diagnosis
    rules : FindingRules or None
        Thresholds (None: the defaults of the module docstring).

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> import textwrap
    >>> from sklearn.datasets import make_classification
    >>> from skewlearn.diagnose import diagnose
    >>> X, y = make_classification(600, 5, weights=[0.9], class_sep=1.0, random_state=0)
    >>> for finding in findings(diagnose(X, y)):
    ...     print(textwrap.fill(finding.sentence, 88))
    C2 = 0.77: moderately imbalanced (largest/smallest class 8.7): default decision rules
    favour the majority.
    """
    rules = DEFAULT_RULES if rules is None else rules
    return [found for rule in _RULES for found in rule(diagnosis, rules)]
