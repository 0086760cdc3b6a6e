"""One exception family for everything custanalytics raises on purpose.

Every message names the parameter or column at fault, how many rows are affected,
an example value and the fix, so that a user never has to read a traceback from
deep inside pandas, DuckDB or lifetimes.
"""

from __future__ import annotations

__all__ = [
    "CustAnalyticsError",
    "CustAnalyticsWarning",
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
    """The data cannot identify the model; the message says what was tried and what to change.

    Raised for every way a fit can fail on the data: nobody bought twice, too few usable
    customers, estimates at a boundary of the parameter space, a flat likelihood (standard
    errors orders of magnitude above the estimates), no finite mean spend (Gamma-Gamma
    ``q <= 1``), or an optimiser that does not converge.

    Parameters
    ----------
    message : str
        What happened and what to change.
    reason : str, optional
        Short machine-readable code: ``"no_repeat_buyers"``, ``"too_few_customers"``,
        ``"boundary"``, ``"flat_likelihood"``, ``"no_finite_mean"`` or ``"not_converged"``.
    values : dict, optional
        Figures behind the reason (e.g. the estimates where the fit ended), for display.

    Attributes
    ----------
    reason : str or None
        As given.
    values : dict
        As given (empty if none).
    """

    def __init__(self, message: str, *, reason: str | None = None, values: dict | None = None):
        super().__init__(message)
        self.reason = reason
        self.values = dict(values or {})


class NotFittedError(CustAnalyticsError, AttributeError):
    """A fitted attribute or prediction was requested before ``fit``."""


class CustAnalyticsWarning(UserWarning):
    """A warning from custanalytics: something was converted or assumed, and the result stands.

    Filter it with ``warnings.filterwarnings("ignore", category=CustAnalyticsWarning)``;
    custanalytics itself never changes the warnings filters.
    """


class ReportError(CustAnalyticsError, RuntimeError):
    """Running or converting the report notebook failed; the previous report is kept."""
