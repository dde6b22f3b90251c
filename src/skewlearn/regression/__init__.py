"""Imbalanced regression: relevance, SERA and friends, re-weighting, samplers, meta-estimators.

Rare target values (extreme prices, rare ages, large fires) are the regression face of
imbalance. A relevance function ``phi(y)`` in [0, 1] says which targets matter (by default the
box-plot extremes); metrics weight errors by it; samplers grow the rare regions of the target
and shrink the common ones; weights make a learner pay more for errors on rare targets; and
the meta-estimators put either in front of any regressor, so that resampling or re-weighting
happens inside ``fit`` only.
"""

from ._batches import StratifiedBatchSampler
from ._binned_errors import error_by_relevance, shot_metrics
from ._density_weights import dense_weight, inverse_density_weight, mdi_weight
from ._lds import lds_kernel_window, lds_weight
from ._random_samplers import RegressionRandomOverSampler, RegressionRandomUnderSampler
from ._relevance import Relevance, box_plot_control_points, pchip_relevance
from ._resampled import ResampledRegressor
from ._scorers import get_regression_scorer, list_regression_metrics
from ._sera import rare_rmse, ser_curve, sera
from ._smoter import SMOGN, SMOTER
from ._weighted import WeightedRegressor, get_weighting

__all__ = [
    "SMOGN",
    "SMOTER",
    "RegressionRandomOverSampler",
    "RegressionRandomUnderSampler",
    "Relevance",
    "ResampledRegressor",
    "StratifiedBatchSampler",
    "WeightedRegressor",
    "box_plot_control_points",
    "dense_weight",
    "error_by_relevance",
    "get_regression_scorer",
    "get_weighting",
    "inverse_density_weight",
    "lds_kernel_window",
    "lds_weight",
    "list_regression_metrics",
    "mdi_weight",
    "pchip_relevance",
    "rare_rmse",
    "ser_curve",
    "sera",
    "shot_metrics",
]
