"""Diagnose: why a classification data set is hard.

Minority example typology (Napierala & Stefanowski), the standard complexity measures
(Lorena et al., 2019) with per-class overlap, small disjuncts, label-noise suspects
(confident learning, with the extra ``noise``) and, against new data, shift (a classifier
two-sample test, per-feature drift tests, the new class prior by EM) from one call to
:func:`diagnose`; :func:`findings` says the largest in plain sentences.  Every measure
is oriented so that higher means harder.
"""

from ._complexity import ComplexityMeasures, complexity_measures
from ._config import DiagnoseConfig
from ._diagnosis import Diagnosis, diagnose
from ._disjuncts import SmallDisjuncts
from ._noise import LabelNoise, label_noise
from ._prior_shift import PriorEstimate, estimate_prior
from ._sentences import Finding, FindingRules, findings
from ._shift import Shift, shift
from ._typology import MinorityTypology, minority_typology

__all__ = [
    "ComplexityMeasures",
    "DiagnoseConfig",
    "Diagnosis",
    "Finding",
    "FindingRules",
    "LabelNoise",
    "MinorityTypology",
    "PriorEstimate",
    "Shift",
    "SmallDisjuncts",
    "complexity_measures",
    "diagnose",
    "estimate_prior",
    "findings",
    "label_noise",
    "minority_typology",
    "shift",
]
