"""Run the report notebook with papermill and publish its outputs atomically."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from ..analysis import TieringResult, analyse
from ..errors import ReportError
from ..params import RunParams
from ._exports import export_customers
from ._kernel import KERNEL_NAME, kernel_manager_for

logger = logging.getLogger("custanalytics")

__all__ = ["NOTEBOOKS", "ReportFiles", "params_for_notebook", "render_report", "report_notebook"]

REPORT_FILE = "report.html"
METRICS_FILE = "metrics.json"
RESULT_FOLDER = "result"
EXPORTS_FOLDER = "exports"


@dataclasses.dataclass(frozen=True)
class ReportFiles:
    """Paths a successful run wrote.

    Attributes
    ----------
    html : pathlib.Path
        The self-contained HTML report.
    metrics : pathlib.Path
        The run's figures as JSON (:meth:`TieringResult.metrics`).
    result : pathlib.Path
        The saved result (:meth:`TieringResult.save`), read by re-display and migration.
    exports : pathlib.Path
        The folder of per-customer exports (CSV, Parquet, XLSX).
    """

    html: Path
    metrics: Path
    result: Path
    exports: Path


NOTEBOOKS = ("tiering_report", "clv_deep_dive")
#: Parameters a bundled notebook needs switched on (the deep dive shows the model comparison).
NOTEBOOK_SETTINGS = {"clv_deep_dive": {"clv": {"compare_models": True}}}


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


def params_for_notebook(params: RunParams, notebook: str) -> RunParams:
    """Return the parameters with what the notebook needs switched on.

    Parameters
    ----------
    params : RunParams
        Run parameters.
    notebook : str
        Notebook name or path.

    Returns
    -------
    RunParams
        ``params``, with e.g. ``clv.compare_models`` on for the CLV deep dive.
    """
    settings = NOTEBOOK_SETTINGS.get(notebook)
    if not settings:
        return params
    changes = {
        key: dataclasses.replace(getattr(params, key), **values) for key, values in settings.items()
    }
    return dataclasses.replace(params, **changes)


def render_report(
    params: RunParams,
    *,
    notebook: str = "tiering_report",
    result: TieringResult | None = None,
    cell_timeout: int = 1800,
    progress_bar: bool | None = None,
) -> ReportFiles:
    """Analyse (unless a result is given), render the notebook, and publish the outputs.

    The analysis runs in this process, so bad parameters and data mapping errors stop the
    run before any kernel starts. The notebook then only displays the saved result, in a
    fresh kernel on this interpreter, in the current working folder. Outputs are written to
    a staging folder and moved into ``params.run_dir`` only when everything succeeded,
    so a failed or interrupted run never replaces the previous good report.

    Parameters
    ----------
    params : RunParams
        Validated run parameters.
    notebook : str
        Bundled notebook name (``tiering_report``, ``clv_deep_dive``) or an ``.ipynb`` path.
    result : TieringResult, optional
        The analysis of ``params`` (see :func:`params_for_notebook`), if already computed.
    cell_timeout : int
        Seconds a single cell may run before the run fails.
    progress_bar : bool, optional
        Show papermill's progress bar; by default only when stderr is a terminal.

    Returns
    -------
    ReportFiles
        Paths of the report, the metrics and the saved result.

    Raises
    ------
    ReportError
        If a cell fails (the message carries the cell's error) or the conversion fails.
    CustAnalyticsError
        If the analysis fails (invalid parameters or data).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from ._html import notebook_to_html

    source = report_notebook(notebook)
    params = params_for_notebook(params, notebook)
    if result is None:
        result = analyse(params)
    output_dir = params.run_dir.resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=output_dir))
    sockets = tempfile.mkdtemp(prefix="ca-kernel-")
    kernels = kernel_manager_for(sockets)
    try:
        started = time.perf_counter()
        saved = result.save(staging / RESULT_FOLDER)
        parameters = params.to_dict() | {"result_dir": str(saved)}
        try:
            executed = papermill.execute_notebook(
                str(source),
                str(staging / "executed.ipynb"),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                kernel_manager_class=kernels,
                execution_timeout=cell_timeout,
                progress_bar=sys.stderr.isatty() if progress_bar is None else progress_bar,
                cwd=str(Path.cwd()),
            )
        except PapermillExecutionError as exc:
            raise ReportError(
                f"the report failed in cell {exc.exec_count or exc.cell_index}: "
                f"{exc.ename}: {exc.evalue}"
            ) from None
        logger.info("result saved and notebook run in %.2f s", time.perf_counter() - started)
        started = time.perf_counter()
        html = notebook_to_html(nbformat.from_dict(executed), title=params.title, lang=params.lang)
        (staging / REPORT_FILE).write_text(html, encoding="utf-8")
        result.write_metrics(staging / METRICS_FILE)
        logger.info("HTML and metrics in %.2f s", time.perf_counter() - started)
        started = time.perf_counter()
        exports = params.exports
        export_customers(
            result, staging / EXPORTS_FOLDER, formats=tuple(exports.formats), owner=exports.owner
        )
        logger.info("exports in %.2f s", time.perf_counter() - started)
        _publish(staging, output_dir)
    except BaseException:
        for manager in kernels.instances:  # e.g. Ctrl-C: no kernel outlives the run
            manager.kill_now()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)
    return ReportFiles(
        html=output_dir / REPORT_FILE,
        metrics=output_dir / METRICS_FILE,
        result=output_dir / RESULT_FOLDER,
        exports=output_dir / EXPORTS_FOLDER,
    )


def _publish(staging: Path, output_dir: Path) -> None:
    """Move the result, the exports, the metrics and then the report from staging into place."""
    for folder in (RESULT_FOLDER, EXPORTS_FOLDER):
        target = output_dir / folder
        old = output_dir / f".{folder}-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging / folder, target)
        shutil.rmtree(old, ignore_errors=True)
    for name in (METRICS_FILE, REPORT_FILE):
        os.replace(staging / name, output_dir / name)
