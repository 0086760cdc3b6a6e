"""Running report notebooks and publishing their HTML, metrics and exports."""

from ._offline import remote_references
from ._run import NOTEBOOKS, ReportFiles, render_report, report_notebook
from ._sections import (
    clv_model_table,
    headline_table,
    holdout_table,
    quality_table,
    run_header,
    top_customers_table,
    translated,
    write_metrics,
)

__all__ = [
    "NOTEBOOKS",
    "ReportFiles",
    "clv_model_table",
    "holdout_table",
    "top_customers_table",
    "translated",
    "headline_table",
    "quality_table",
    "remote_references",
    "render_report",
    "report_notebook",
    "run_header",
    "write_metrics",
]
