"""Customer lifetime value: BTYD purchase models and spend models, fast and contained.

custanalytics implements the likelihoods itself (vectorised, in log space, with analytic
gradients); ``lifetimes`` serves only as the reference in tests and benchmarks, and is never
imported here. Every model follows one contract: settings in ``__init__``, data in ``fit``,
learned state ending in ``_``, and every prediction checks its input's time unit against the
one the model was fitted in.
"""

from ._bgbb import BetaGeoBetaBinomModel
from ._bgnbd import BetaGeoModel
from ._evaluate import HoldoutEvaluation, ModelComparison, compare_models, evaluate
from ._gammagamma import GammaGammaModel
from ._mbgnbd import ModifiedBetaGeoModel
from ._pareto import ParetoNBDModel
from ._select import (
    CANDIDATE_MODELS,
    PENALIZER_GRID,
    ModelSelection,
    SpendEstimate,
    select_purchase_model,
    spend_per_purchase,
)

#: Parameter code → purchase model class (the candidates of ``model: auto``).
PURCHASE_MODELS = CANDIDATE_MODELS

__all__ = [
    "CANDIDATE_MODELS",
    "PENALIZER_GRID",
    "PURCHASE_MODELS",
    "BetaGeoBetaBinomModel",
    "BetaGeoModel",
    "GammaGammaModel",
    "HoldoutEvaluation",
    "ModelComparison",
    "ModelSelection",
    "ModifiedBetaGeoModel",
    "ParetoNBDModel",
    "SpendEstimate",
    "compare_models",
    "evaluate",
    "select_purchase_model",
    "spend_per_purchase",
]
