"""The ``custanalytics`` command line."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from .. import __version__
from .._redact import redact
from ..analysis import analyse
from ..data._readers import check_source
from ..errors import CustAnalyticsError
from ..i18n import LANGUAGES
from ..params import load_params
from ._index import write_index
from ._run import params_for_notebook, render_report, report_notebook

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="custanalytics",
        description="Customer tiering from transaction logs: RFM, CLV, grades and "
        "shareable HTML reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    report = commands.add_parser(
        "report",
        help="render a tiering report from a parameter file",
        description="Run the tiering report notebook with the parameters of PARAMS and write "
        "a self-contained HTML report (report.html) and its headline figures (metrics.json) "
        "to the output folder. A failed run exits non-zero and leaves the previous report "
        "in place.",
    )
    report.add_argument(
        "params",
        metavar="PARAMS.yaml",
        nargs="+",
        help="parameter file(s) (see params/template.yaml for every key); several files run "
        "one after the other",
    )
    report.add_argument(
        "--output",
        metavar="DIR",
        help="output folder (overrides output_dir in the parameter file); {as_of} in it "
        "becomes the as-of date, e.g. reports/sales/{as_of}",
    )
    report.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="observation end (overrides as_of); every figure is relative to it",
    )
    report.add_argument(
        "--lang", choices=LANGUAGES, help="language of the report labels (overrides lang)"
    )
    report.add_argument(
        "--notebook",
        default="tiering_report",
        metavar="NAME",
        help="report to render: tiering_report (default), clv_deep_dive (compares the CLV "
        "models on your data), or the path of an .ipynb with the same parameters cell",
    )
    report.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print a line per step (loading, each section, notebook, HTML, exports) with its time",
    )
    report.add_argument(
        "--cell-timeout",
        type=int,
        default=1800,
        metavar="SECONDS",
        help="seconds one notebook cell may run before the run fails (default: %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        Exit status: 0 on success, 1 if rendering a report failed, 2 for invalid
        parameters or data (nothing is written for that file), 130 when interrupted
        (Ctrl-C); with several files, the worst status of them.
    """
    args = _parser().parse_args(argv)
    if args.verbose:
        _log_steps()
    if args.output and len(args.params) > 1:
        print(
            "custanalytics: error: --output with several parameter files would write every "
            "report into one folder; give each file its own output_dir instead",
            file=sys.stderr,
        )
        return 2
    status = 0
    for path in args.params:
        code = _report(path, args)
        if code == 130:
            return code
        status = max(status, code)
    return status


def _report(path: str, args: argparse.Namespace) -> int:
    """Run one parameter file; return its exit status."""
    try:
        params = load_params(path, as_of=args.as_of, lang=args.lang, output_dir=args.output)
        check_source(params.transactions.source)
        report_notebook(args.notebook)
        params = params_for_notebook(params, args.notebook)
        result = analyse(params)
    except (FileNotFoundError, CustAnalyticsError) as exc:
        print(f"custanalytics: error: {redact(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("custanalytics: interrupted; nothing was written", file=sys.stderr)
        return 130

    try:
        files = render_report(
            params, notebook=args.notebook, result=result, cell_timeout=args.cell_timeout
        )
    except (FileNotFoundError, CustAnalyticsError) as exc:
        print(f"custanalytics: error: {redact(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("custanalytics: interrupted; the previous report was left in place", file=sys.stderr)
        return 130
    index = write_index(params.reports_dir, params.lang)
    print(
        f"report: {files.html}\nmetrics: {files.metrics}\nresult: {files.result}\n"
        f"exports: {files.exports}\nindex: {index}"
    )
    return 0


def _log_steps() -> None:
    """Print the package's step timings (its INFO log) to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("custanalytics: %(message)s"))
    logger = logging.getLogger("custanalytics")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


if __name__ == "__main__":
    sys.exit(main())
