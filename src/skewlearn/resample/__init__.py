"""Re-balancing data: imbalanced-learn compatible samplers on a fast shared neighbour engine.

The neighbour-based samplers are our own (same results as imbalanced-learn, much faster on
skewed data); the rest are imbalanced-learn's own classes, extended only to take
``sample_weight`` as every sampler here does, so that one namespace holds them all.
"""

from ._combine import SMOTEENN, SMOTETomek
from ._condensed_nearest_neighbour import CondensedNearestNeighbour
from ._edited_nearest_neighbours import (
    AllKNN,
    EditedNearestNeighbours,
    RepeatedEditedNearestNeighbours,
)
from ._imblearn_samplers import (
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    ClusterCentroids,
    InstanceHardnessThreshold,
    KMeansSMOTE,
    RandomOverSampler,
    RandomUnderSampler,
)
from ._near_miss import NearMiss
from ._neighbourhood_cleaning_rule import NeighbourhoodCleaningRule
from ._one_sided_selection import OneSidedSelection
from ._pipeline import Pipeline, make_pipeline
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
    "Pipeline",
    "RandomOverSampler",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "SMOTETomek",
    "TomekLinks",
    "make_pipeline",
]
