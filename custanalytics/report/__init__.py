"""Running report notebooks and publishing their HTML, metrics and exports."""

from ._offline import remote_references
from ._run import ReportFiles, default_notebook, render_report
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
    "ReportFiles",
    "clv_model_table",
    "holdout_table",
    "top_customers_table",
    "translated",
    "default_notebook",
    "headline_table",
    "quality_table",
    "remote_references",
    "render_report",
    "run_header",
    "write_metrics",
]
