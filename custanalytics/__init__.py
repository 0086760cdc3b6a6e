"""custanalytics: customer tiering from transaction logs.

Importing the package changes no global state: no warnings filters, pandas options or
matplotlib settings.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("custanalytics")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .analysis import CUSTOMER_COLUMNS, Note, TieringResult, Unavailable, analyse
from .assignment import Reassignment, propose_reassignment
from .attributes import attribute_tables, price_sensitivity, price_sensitivity_crosstab
from .cohorts import cohort_tables
from .cycles import purchase_cycles
from .data import (
    Customers,
    DataQuality,
    Interactions,
    QualityStep,
    Transactions,
    load_customers,
    load_interactions,
    load_transactions,
    pseudonym,
    pseudonymise,
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
from .lifecycle import LIFECYCLE_STAGES, lifecycle
from .metrics import concentration, headline_metrics, lorenz_curve
from .migration import migration
from .params import (
    AttributesParams,
    ClvParams,
    CohortsParams,
    CustomersParams,
    GradeLevelParams,
    GradeSchemeParams,
    InteractionsParams,
    LifecycleParams,
    ProspectsParams,
    RfmParams,
    RunParams,
    SegmentsParams,
    TransactionsParams,
    load_params,
)
from .plotting import (
    plot_attribute_mix,
    plot_calibration_holdout,
    plot_clv_distribution,
    plot_cohort_retention,
    plot_cohort_revenue,
    plot_expected_purchases_matrix,
    plot_grade_distribution,
    plot_lifecycle_stages,
    plot_lorenz,
    plot_probability_alive_matrix,
    plot_rfm_grid,
    plot_segment_k_curve,
    plot_segment_profiles,
    plot_segment_projection,
    plot_segment_shares,
    report_style,
    use_report_style,
)
from .prospects import grade_prospects
from .report import (
    show_attributes,
    show_clv,
    show_cohorts,
    show_contents,
    show_data_quality,
    show_header,
    show_headline,
    show_lifecycle,
    show_migration,
    show_model_comparison,
    show_policies,
    show_profiles,
    show_prospects,
    show_report,
    show_rfm,
    show_segments,
    show_summary,
    show_tiers,
    show_value_matrix,
)
from .rfm import rfm_grid, rfm_scores
from .segment import CustomerSegmenter, segment_label
from .summary import TIME_UNITS, summarize
from .tiers import grade, grade_levels, grade_scheme, tier_summary
from .value import value_matrix, value_matrix_summary

__all__ = [
    "CUSTOMER_COLUMNS",
    "LIFECYCLE_STAGES",
    "TIME_UNITS",
    "AttributesParams",
    "ClvParams",
    "CohortsParams",
    "CustAnalyticsError",
    "CustomerSegmenter",
    "CustAnalyticsWarning",
    "CustomersParams",
    "Customers",
    "DataError",
    "DataQuality",
    "GradeLevelParams",
    "GradeSchemeParams",
    "Interactions",
    "InteractionsParams",
    "LifecycleParams",
    "MigrationParams",
    "ModelFitError",
    "NotFittedError",
    "Note",
    "ParameterError",
    "ProspectsParams",
    "QualityStep",
    "Reassignment",
    "ReportError",
    "RfmParams",
    "RunParams",
    "SegmentsParams",
    "TieringResult",
    "Transactions",
    "TransactionsParams",
    "Unavailable",
    "__version__",
    "analyse",
    "attribute_tables",
    "cohort_tables",
    "concentration",
    "grade",
    "grade_levels",
    "grade_scheme",
    "grade_prospects",
    "headline_metrics",
    "label",
    "lifecycle",
    "migration",
    "load_customers",
    "load_interactions",
    "load_params",
    "load_transactions",
    "pseudonym",
    "pseudonymise",
    "lorenz_curve",
    "plot_attribute_mix",
    "plot_calibration_holdout",
    "plot_clv_distribution",
    "plot_cohort_retention",
    "plot_cohort_revenue",
    "plot_expected_purchases_matrix",
    "plot_grade_distribution",
    "plot_lifecycle_stages",
    "plot_lorenz",
    "plot_probability_alive_matrix",
    "plot_rfm_grid",
    "plot_segment_k_curve",
    "plot_segment_profiles",
    "plot_segment_projection",
    "plot_segment_shares",
    "price_sensitivity",
    "price_sensitivity_crosstab",
    "propose_reassignment",
    "purchase_cycles",
    "report_style",
    "rfm_grid",
    "rfm_scores",
    "segment_label",
    "show_clv",
    "show_contents",
    "show_attributes",
    "show_cohorts",
    "show_data_quality",
    "show_header",
    "show_headline",
    "show_lifecycle",
    "show_migration",
    "show_model_comparison",
    "show_policies",
    "show_profiles",
    "show_prospects",
    "show_report",
    "show_rfm",
    "show_summary",
    "show_tiers",
    "show_segments",
    "show_value_matrix",
    "summarize",
    "tier_summary",
    "use_report_style",
    "value_matrix",
    "value_matrix_summary",
]
