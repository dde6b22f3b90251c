"""Re-balancing data: imbalanced-learn compatible samplers on a fast shared neighbour engine.

The neighbour-based samplers are our own (same results as imbalanced-learn, much faster on
skewed data); the rest of imbalanced-learn's samplers are re-exported so that one namespace
holds them all.
"""

from imblearn.over_sampling import SMOTEN, SMOTENC, SVMSMOTE, KMeansSMOTE, RandomOverSampler
from imblearn.under_sampling import ClusterCentroids, InstanceHardnessThreshold, RandomUnderSampler

from ._combine import SMOTEENN, SMOTETomek
from ._condensed_nearest_neighbour import CondensedNearestNeighbour
from ._edited_nearest_neighbours import (
    AllKNN,
    EditedNearestNeighbours,
    RepeatedEditedNearestNeighbours,
)
from ._near_miss import NearMiss
from ._neighbourhood_cleaning_rule import NeighbourhoodCleaningRule
from ._one_sided_selection import OneSidedSelection
from ._smote import ADASYN, SMOTE, BorderlineSMOTE
from ._tomek_links import TomekLinks

__all__ = [
    "ADASYN",
    "SMOTE",
    "SMOTEENN",
    "SMOTEN",
    "SMOTENC",
    "SVMSMOTE",
    "AllKNN",
    "BorderlineSMOTE",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "KMeansSMOTE",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomOverSampler",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "SMOTETomek",
    "TomekLinks",
]
