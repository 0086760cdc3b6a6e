"""Run the report notebook with papermill and publish its outputs atomically."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from ..errors import ReportError
from ..params import RunParams
from ._kernel import KERNEL_NAME, kernel_manager_for

__all__ = ["NOTEBOOKS", "ReportFiles", "render_report", "report_notebook"]

REPORT_FILE = "report.html"
METRICS_FILE = "metrics.json"


@dataclasses.dataclass(frozen=True)
class ReportFiles:
    """Paths a successful run wrote.

    Attributes
    ----------
    html : pathlib.Path
        The self-contained HTML report.
    metrics : pathlib.Path
        The headline figures as JSON.
    """

    html: Path
    metrics: Path


NOTEBOOKS = ("tiering_report", "clv_deep_dive")


def report_notebook(name: str = "tiering_report") -> Path:
    """Return a bundled report notebook, or the notebook at a path.

    Parameters
    ----------
    name : str
        ``tiering_report`` (the default), ``clv_deep_dive``, or the path of an ``.ipynb``
        file with the same parameters cell.

    Returns
    -------
    pathlib.Path
        The notebook, from ``notebooks/`` of the checkout the package is installed from
        (``pip install -e .``, as ``make`` does).

    Raises
    ------
    ReportError
        If the notebook cannot be found.
    """
    if name.endswith(".ipynb"):
        path = Path(name)
    else:
        path = Path(__file__).resolve().parents[2] / "notebooks" / f"{name}.ipynb"
    if not path.is_file():
        known = ", ".join(NOTEBOOKS)
        raise ReportError(
            f"report notebook not found: {path} (bundled notebooks: {known}; they are found "
            "when custanalytics is installed from its checkout with `pip install -e .`, as "
            "`make report` does)"
        )
    return path


def render_report(
    params: RunParams,
    *,
    notebook: str = "tiering_report",
    cell_timeout: int = 1800,
    progress_bar: bool | None = None,
) -> ReportFiles:
    """Execute the report notebook for ``params`` and write the HTML report and metrics.

    The notebook runs in a fresh kernel on this interpreter, in the current working folder
    (relative paths in the parameters are relative to it). Outputs are written to a staging
    folder and moved into ``params.output_dir`` only when everything succeeded, so a failed
    run never replaces the previous good report.

    Parameters
    ----------
    params : RunParams
        Validated run parameters.
    notebook : str
        Bundled notebook name (``tiering_report``, ``clv_deep_dive``) or an ``.ipynb`` path.
    cell_timeout : int
        Seconds a single cell may run before the run fails.
    progress_bar : bool, optional
        Show papermill's progress bar; by default only when stderr is a terminal.

    Returns
    -------
    ReportFiles
        Paths of the report and metrics files.

    Raises
    ------
    ReportError
        If a cell fails (the message carries the cell's error) or the conversion fails.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from ._html import notebook_to_html

    source = report_notebook(notebook)
    output_dir = Path(params.output_dir).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=output_dir))
    sockets = tempfile.mkdtemp(prefix="ca-kernel-")
    try:
        parameters = params.to_dict() | {"staging_dir": str(staging)}
        try:
            executed = papermill.execute_notebook(
                str(source),
                str(staging / "executed.ipynb"),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                kernel_manager_class=kernel_manager_for(sockets),
                execution_timeout=cell_timeout,
                progress_bar=sys.stderr.isatty() if progress_bar is None else progress_bar,
                cwd=str(Path.cwd()),
            )
        except PapermillExecutionError as exc:
            raise ReportError(
                f"the report failed in cell {exc.exec_count or exc.cell_index}: "
                f"{exc.ename}: {exc.evalue}"
            ) from None
        html = notebook_to_html(nbformat.from_dict(executed), title=params.title, lang=params.lang)
        (staging / REPORT_FILE).write_text(html, encoding="utf-8")
        if not (staging / METRICS_FILE).is_file():
            raise ReportError(f"the notebook {source.name} did not write {METRICS_FILE}")
        for name in (METRICS_FILE, REPORT_FILE):
            os.replace(staging / name, output_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)
    return ReportFiles(html=output_dir / REPORT_FILE, metrics=output_dir / METRICS_FILE)
