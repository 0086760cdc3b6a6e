"""Customer lifetime value: BTYD purchase models and spend models, fast and contained.

custanalytics implements the likelihoods itself (vectorised, in log space, with analytic
gradients where they exist); ``lifetimes`` serves only as the reference in tests and
benchmarks, and is never imported here.
"""

from ._bgbb import BetaGeoBetaBinomModel
from ._bgnbd import BetaGeoModel
from ._evaluate import HoldoutEvaluation, compare_models, evaluate
from ._gammagamma import GammaGammaModel
from ._mbgnbd import ModifiedBetaGeoModel
from ._models import PURCHASE_MODELS
from ._pareto import ParetoNBDModel

__all__ = [
    "PURCHASE_MODELS",
    "BetaGeoBetaBinomModel",
    "BetaGeoModel",
    "GammaGammaModel",
    "HoldoutEvaluation",
    "ModifiedBetaGeoModel",
    "ParetoNBDModel",
    "compare_models",
    "evaluate",
]
