"""The purchase models by the codes the parameters use."""

from ._bgnbd import BetaGeoModel
from ._mbgnbd import ModifiedBetaGeoModel
from ._pareto import ParetoNBDModel

__all__ = ["PURCHASE_MODELS"]

#: Parameter code → purchase model class.
PURCHASE_MODELS = {
    "bg_nbd": BetaGeoModel,
    "pareto_nbd": ParetoNBDModel,
    "mbg_nbd": ModifiedBetaGeoModel,
}
