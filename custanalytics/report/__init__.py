"""The report: display blocks for notebooks, the papermill run, HTML and exports, the CLI."""

from ._exports import export_customers
from ._offline import remote_references
from ._run import NOTEBOOKS, ReportFiles, params_for_notebook, render_report, report_notebook
from ._views import (
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
    show_prospects,
    show_report,
    show_rfm,
    show_segments,
    show_summary,
    show_tiers,
    show_value_matrix,
)

__all__ = [
    "NOTEBOOKS",
    "ReportFiles",
    "export_customers",
    "params_for_notebook",
    "remote_references",
    "render_report",
    "report_notebook",
    "show_attributes",
    "show_clv",
    "show_contents",
    "show_cohorts",
    "show_data_quality",
    "show_header",
    "show_headline",
    "show_lifecycle",
    "show_migration",
    "show_model_comparison",
    "show_policies",
    "show_prospects",
    "show_report",
    "show_rfm",
    "show_summary",
    "show_tiers",
    "show_segments",
    "show_value_matrix",
]
