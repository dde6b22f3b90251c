"""Diagnose: why a classification data set is hard.

Minority example typology (Napierala & Stefanowski), the standard complexity measures
(Lorena et al., 2019) with per-class overlap, and small disjuncts, from one call to
:func:`diagnose`; :func:`findings` says the largest in plain sentences.  Every measure
is oriented so that higher means harder.
"""

from ._complexity import ComplexityMeasures, complexity_measures
from ._config import DiagnoseConfig
from ._diagnosis import Diagnosis, diagnose
from ._disjuncts import SmallDisjuncts
from ._sentences import Finding, FindingRules, findings
from ._typology import MinorityTypology, minority_typology

__all__ = [
    "ComplexityMeasures",
    "DiagnoseConfig",
    "Diagnosis",
    "Finding",
    "FindingRules",
    "MinorityTypology",
    "SmallDisjuncts",
    "complexity_measures",
    "diagnose",
    "findings",
    "minority_typology",
]
