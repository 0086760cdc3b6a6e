"""Running report notebooks and publishing their HTML, metrics and exports."""

from ._html import notebook_to_html, remote_references
from ._run import ReportFiles, default_notebook, render_report
from ._sections import headline_table, quality_table, run_header, write_metrics

__all__ = [
    "ReportFiles",
    "default_notebook",
    "headline_table",
    "notebook_to_html",
    "quality_table",
    "remote_references",
    "render_report",
    "run_header",
    "write_metrics",
]
