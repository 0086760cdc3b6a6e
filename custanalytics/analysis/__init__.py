"""The analysis: ``analyse(params)`` → :class:`TieringResult`, computed once per run.

Notebooks, the HTML report, ``metrics.json``, exports and the next run's migration all read
the result; none of them computes.
"""

from ._analyse import SECTIONS, analyse
from ._attributes import AttributesRecord
from ._clv import ClvRecord, HoldoutRecord, default_holdout_days
from ._cohorts import CohortsRecord
from ._columns import CODE_COLUMNS, CUSTOMER_COLUMNS, is_documented
from ._comparison import ModelComparisonRecord
from ._lifecycle import LifecycleRecord
from ._migration import MigrationRecord
from ._overview import DataQualityRecord, HeadlineRecord
from ._policy import PolicyRecord
from ._profiles import ProfilesRecord
from ._prospects import ProspectsRecord
from ._records import Note, Unavailable
from ._result import METRICS_SCHEMA_VERSION, RunMetadata, TieringResult, parameter_hash
from ._segments import SegmentsRecord
from ._tiering import GradeSchemeRecord, GradesRecord, RfmRecord
from ._value import ValueMatrixRecord

__all__ = [
    "CODE_COLUMNS",
    "CUSTOMER_COLUMNS",
    "METRICS_SCHEMA_VERSION",
    "SECTIONS",
    "AttributesRecord",
    "ClvRecord",
    "CohortsRecord",
    "DataQualityRecord",
    "GradeSchemeRecord",
    "GradesRecord",
    "HeadlineRecord",
    "HoldoutRecord",
    "LifecycleRecord",
    "MigrationRecord",
    "ModelComparisonRecord",
    "Note",
    "PolicyRecord",
    "ProfilesRecord",
    "RfmRecord",
    "ProspectsRecord",
    "RunMetadata",
    "SegmentsRecord",
    "TieringResult",
    "Unavailable",
    "ValueMatrixRecord",
    "analyse",
    "is_documented",
    "default_holdout_days",
    "parameter_hash",
]
