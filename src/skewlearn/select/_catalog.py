"""The default catalog of strategies the selector races.

Chosen from published evidence and our own reference runs:

- Balancing the Scales (2024; 30 datasets x 15 models): decision-threshold calibration is the
  most consistently useful treatment; class weights and SMOTE beat doing nothing on F1 on average.
  Every learner therefore appears plain, class-weighted, with SMOTE and with a tuned threshold.
- A reference run on 108 keel-binary sets (n <= 3000, this project, recorded in issue 5 and the
  decision-layer issue): threshold tuning gave logistic regression its largest, most consistent
  gain; balanced class weights were the most consistent gain for gradient boosting; RF + SMOTE was
  the best single fixed strategy; balanced random forest and under-sampling ensembles were strong
  and cheap (CLIMB, 2023, finds the same for ensembles of under-sampled learners).
- Plain learners stay in as the baseline every other strategy has to beat.
"""

from __future__ import annotations

from skewlearn.select._strategy import Strategy

DEFAULT_SPECS: tuple[str, ...] = (
    # logistic regression: the linear baseline, its weighted and tuned forms
    "logreg",
    "logreg+balanced",
    "logreg+threshold",
    "logreg+smote",
    "logreg+smote+threshold",
    "logreg+rus",
    # histogram gradient boosting
    "hgb",
    "hgb+balanced",
    "hgb+threshold",
    "hgb+balanced+threshold",
    "hgb+smote",
    "hgb+rus+prior",
    # random forest and extra trees
    "rf",
    "rf+balanced",
    "rf+threshold",
    "rf+smote",
    "rf+rus",
    "et+balanced",
    "et+smote",
    # imbalance ensembles
    "brf",
    "brf+threshold",
    "spe",
    "underbag",
    "easy",
    # LightGBM, raced only when installed
    "lgbm+balanced",
    "lgbm+threshold",
)


def default_catalog() -> list[Strategy]:
    """The strategies :class:`AutoBalancedClassifier` races by default.

    Examples
    --------
    >>> [s.name for s in default_catalog()][:3]
    ['logreg', 'logreg+balanced', 'logreg+threshold']
    """
    return [Strategy.parse(spec) for spec in DEFAULT_SPECS]
