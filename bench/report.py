"""End-to-end report at scale: analyse (each section timed), notebook + HTML, exports.

Usage (from the repository root)::

    .venv/bin/python bench/report.py --customers 1000000

Generates a BG/NBD + Gamma-Gamma log (``simulate_transactions``, about 3 transactions per
customer) as Parquet, then runs the same steps as ``custanalytics report`` with the timing
of each step from the package's log, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import logging
import resource
import tempfile
import time
from pathlib import Path

from custanalytics import analyse, load_params
from custanalytics.datasets import simulate_transactions
from custanalytics.report import render_report


class _Timings(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument(
        "--mask-ids", action="store_true", help="pseudonymise the ids (mask_ids) as well"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ca-bench-report-"))
    started = time.perf_counter()
    log = simulate_transactions(args.customers, random_state=0)
    source = folder / "transactions.parquet"
    log.to_parquet(source)
    print(
        f"generated {len(log):,} transactions for {args.customers:,} customers "
        f"in {time.perf_counter() - started:.1f} s"
    )
    params = load_params(
        {
            "title": f"bench {args.customers:,}",
            "as_of": log["date"].max().date().isoformat(),
            "transactions": {"source": str(source), "duplicates": "keep"},
            "output_dir": str(folder / "out"),
            "mask_ids": args.mask_ids,
            "mask_key": "bench" if args.mask_ids else None,
        }
    )
    timings = _Timings()
    logger = logging.getLogger("custanalytics")
    logger.addHandler(timings)
    logger.setLevel(logging.INFO)
    del log
    started = time.perf_counter()
    result = analyse(params)
    analysed = time.perf_counter() - started
    started = time.perf_counter()
    files = render_report(params, result=result, progress_bar=False)
    rendered = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    for line in timings.lines:
        print("  ", line)
    print(
        f"analyse: {analysed:.1f} s; notebook, HTML, metrics and exports: {rendered:.1f} s; "
        f"total {analysed + rendered:.1f} s; peak RSS {peak:.2f} GiB"
    )
    size = files.html.stat().st_size / 1024**2
    print(
        f"report.html {size:.1f} MB; exports: "
        + ", ".join(
            f"{p.name} {p.stat().st_size / 1024**2:.0f} MB" for p in files.exports.iterdir()
        )
    )


if __name__ == "__main__":
    main()
