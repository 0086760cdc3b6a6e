"""custanalytics: customer tiering from transaction logs.

Importing the package changes no global state: no warnings filters, pandas options or
matplotlib settings.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("custanalytics")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .data import (
    Customers,
    DataQuality,
    QualityStep,
    Transactions,
    load_customers,
    load_transactions,
)
from .errors import (
    CustAnalyticsError,
    CustAnalyticsWarning,
    DataError,
    ModelFitError,
    NotFittedError,
    ParameterError,
    ReportError,
)
from .i18n import label
from .metrics import concentration, headline_metrics, lorenz_curve
from .params import ClvParams, CustomersParams, RunParams, TransactionsParams, load_params
from .plotting import (
    plot_calibration_holdout,
    plot_clv_distribution,
    plot_expected_purchases_matrix,
    plot_lorenz,
    plot_probability_alive_matrix,
    use_report_style,
)
from .summary import TIME_UNITS, summarize
from .value import value_matrix, value_matrix_summary

__all__ = [
    "TIME_UNITS",
    "ClvParams",
    "CustAnalyticsError",
    "CustAnalyticsWarning",
    "CustomersParams",
    "Customers",
    "DataError",
    "DataQuality",
    "ModelFitError",
    "NotFittedError",
    "ParameterError",
    "QualityStep",
    "ReportError",
    "RunParams",
    "Transactions",
    "TransactionsParams",
    "__version__",
    "concentration",
    "headline_metrics",
    "label",
    "load_customers",
    "load_params",
    "load_transactions",
    "lorenz_curve",
    "plot_calibration_holdout",
    "plot_clv_distribution",
    "plot_expected_purchases_matrix",
    "plot_lorenz",
    "plot_probability_alive_matrix",
    "summarize",
    "use_report_style",
    "value_matrix",
    "value_matrix_summary",
]
