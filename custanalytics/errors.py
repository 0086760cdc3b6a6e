"""One exception family for everything custanalytics raises on purpose.

Every message names the parameter or column at fault, how many rows are affected,
an example value and the fix, so that a user never has to read a traceback from
deep inside pandas, DuckDB or lifetimes.
"""

from __future__ import annotations

__all__ = [
    "CustAnalyticsError",
    "DataError",
    "ModelFitError",
    "NotFittedError",
    "ParameterError",
    "ReportError",
]


class CustAnalyticsError(Exception):
    """Base class of every error custanalytics raises deliberately."""


class ParameterError(CustAnalyticsError, ValueError):
    """A run parameter (parameter file, papermill dict or CLI option) is invalid."""


class DataError(CustAnalyticsError, ValueError):
    """Input data cannot be used as given (missing column, unparsable values, empty input)."""


class ModelFitError(CustAnalyticsError, ValueError):
    """A model could not be fitted; the message says what was tried and what to change."""


class NotFittedError(CustAnalyticsError, AttributeError):
    """A fitted attribute or prediction was requested before ``fit``."""


class ReportError(CustAnalyticsError, RuntimeError):
    """Running or converting the report notebook failed; the previous report is kept."""
