"""The analysis: ``analyse(params)`` → :class:`TieringResult`, computed once per run.

Notebooks, the HTML report, ``metrics.json``, exports and the next run's migration all read
the result; none of them computes.
"""

from ._analyse import SECTIONS, analyse
from ._attributes import AttributesRecord
from ._clv import ClvRecord, HoldoutRecord, default_holdout_days
from ._cohorts import CohortsRecord
from ._columns import CUSTOMER_COLUMNS
from ._comparison import ModelComparisonRecord
from ._lifecycle import LifecycleRecord
from ._overview import DataQualityRecord, HeadlineRecord
from ._prospects import ProspectsRecord
from ._records import Note, Unavailable
from ._result import METRICS_SCHEMA_VERSION, RunMetadata, TieringResult, parameter_hash
from ._value import ValueMatrixRecord

__all__ = [
    "CUSTOMER_COLUMNS",
    "METRICS_SCHEMA_VERSION",
    "SECTIONS",
    "AttributesRecord",
    "ClvRecord",
    "CohortsRecord",
    "DataQualityRecord",
    "HeadlineRecord",
    "HoldoutRecord",
    "LifecycleRecord",
    "ModelComparisonRecord",
    "Note",
    "ProspectsRecord",
    "RunMetadata",
    "TieringResult",
    "Unavailable",
    "ValueMatrixRecord",
    "analyse",
    "default_holdout_days",
    "parameter_hash",
]
