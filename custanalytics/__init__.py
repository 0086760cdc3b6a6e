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
    DataError,
    ModelFitError,
    NotFittedError,
    ParameterError,
    ReportError,
)
from .i18n import label
from .metrics import concentration, headline_metrics, lorenz_curve
from .params import (
    ClvParams,
    CustomersParams,
    GradeLevelParams,
    GradeSchemeParams,
    RfmParams,
    RunParams,
    TransactionsParams,
    load_params,
)
from .plotting import (
    plot_calibration_holdout,
    plot_clv_distribution,
    plot_expected_purchases_matrix,
    plot_grade_distribution,
    plot_lorenz,
    plot_probability_alive_matrix,
    plot_rfm_grid,
    use_report_style,
)
from .rfm import rfm_grid, rfm_scores
from .summary import TIME_UNITS, summarize
from .tiers import grade, grade_levels, grade_scheme, tier_summary
from .value import value_matrix, value_matrix_summary

__all__ = [
    "TIME_UNITS",
    "ClvParams",
    "CustAnalyticsError",
    "CustomersParams",
    "Customers",
    "DataError",
    "DataQuality",
    "GradeLevelParams",
    "GradeSchemeParams",
    "ModelFitError",
    "NotFittedError",
    "ParameterError",
    "QualityStep",
    "ReportError",
    "RfmParams",
    "RunParams",
    "Transactions",
    "TransactionsParams",
    "__version__",
    "concentration",
    "grade",
    "grade_levels",
    "grade_scheme",
    "headline_metrics",
    "label",
    "load_customers",
    "load_params",
    "load_transactions",
    "lorenz_curve",
    "plot_calibration_holdout",
    "plot_clv_distribution",
    "plot_expected_purchases_matrix",
    "plot_grade_distribution",
    "plot_lorenz",
    "plot_probability_alive_matrix",
    "plot_rfm_grid",
    "rfm_grid",
    "rfm_scores",
    "summarize",
    "tier_summary",
    "use_report_style",
    "value_matrix",
    "value_matrix_summary",
]
