"""Benchmark reading a folder of daily CSV files against the user's own pandas read + concat.

Usage::

    python bench/data.py [--files 305] [--lines 542000] [--repeats 5] [--folder PATH]

A folder of daily CSV exports shaped like the UCI Online Retail log (InvoiceNo, StockCode,
Description, Quantity, InvoiceDate, UnitPrice, CustomerID written as ``17850.0``, Country;
returns as ``C`` invoices with negative quantities) is generated once, then, in this one
process and on the same files, four approaches are timed:

* ``ours``: ``load_transactions(folder, ...)``: one DuckDB scan of the folder, then typing
  and cleaning (line items: ``price`` × ``quantity``, ``order``);
* ``pandas``: ``pd.concat([pd.read_csv(f) for f in files])``, then ``load_transactions`` of
  that frame with the same options: what a user would write without folder support;
* ``ours_read`` and ``pandas_read``: the reading alone (``read_source`` of the folder; the
  concatenation of ``read_csv``), for the share of the total.

The results are checked first: the cleaned rows and the data-quality counts of ``ours`` and
``pandas`` are equal. Runs of one repeat are interleaved in a rotating order; the table shows
medians. Peak memory is measured per approach in a child process
(``python bench/data.py --only APPROACH --folder PATH``) as its ``VmHWM``, the peak resident
set size, after importing the package (``baseline``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

APPROACHES = ("ours", "pandas", "ours_read", "pandas_read")
OPTIONS = {
    "customer": "CustomerID",
    "date": "InvoiceDate",
    "price": "UnitPrice",
    "quantity": "Quantity",
    "order": "InvoiceNo",
}
WORDS = np.array(
    [
        "WHITE HANGING HEART T-LIGHT HOLDER ",
        "CREAM CUPID HEARTS COAT HANGER ",
        "KNITTED UNION FLAG HOT WATER BOTTLE ",
        "SET 7 BABUSHKA NESTING BOXES ",
        "GLASS STAR FROSTED T-LIGHT HOLDER ",
        "HAND WARMER UNION JACK ",
    ]
)
COUNTRIES = np.array(["United Kingdom"] * 8 + ["Germany", "France", "EIRE", "Spain"])


def generate(folder: Path, files: int, lines: int, seed: int = 0) -> None:
    """Write ``files`` daily CSVs of about ``lines`` lines in all into ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per_file = lines // files
    products = [f"{code:05d}" for code in rng.choice(90000, size=3000, replace=False) + 10000]
    prices = np.round(rng.lognormal(0.8, 0.8, size=len(products)), 2)
    invoice = 536365
    for day in range(files):
        date = dt.date(2010, 12, 1) + dt.timedelta(days=day)
        n = per_file
        invoices = invoice + np.sort(rng.integers(0, 60, size=n))  # ~60 invoices a day
        invoice = int(invoices[-1]) + 1
        product = rng.integers(0, len(products), size=n)
        quantity = rng.choice([1, 2, 3, 4, 6, 12, 24], size=n)
        returned = rng.random(n) < 0.02
        quantity = np.where(returned, -quantity, quantity)
        customer = rng.integers(12346, 18288, size=n).astype(float)
        customer[rng.random(n) < 0.25] = np.nan  # a quarter of the lines without a customer
        minutes = np.sort(rng.integers(8 * 60, 20 * 60, size=n))
        frame = pd.DataFrame(
            {
                "InvoiceNo": np.where(returned, "C", "") + invoices.astype(str),
                "StockCode": np.array(products)[product],
                "Description": np.char.add(
                    WORDS[product % len(WORDS)], np.array(products)[product]
                ),
                "Quantity": quantity,
                "InvoiceDate": [
                    f"{date:%Y-%m-%d} {m // 60:02d}:{m % 60:02d}" for m in minutes.tolist()
                ],
                "UnitPrice": prices[product],
                "CustomerID": customer,
                "Country": rng.choice(COUNTRIES, size=n),
            }
        )
        frame.to_csv(folder / f"{date:%Y-%m-%d}.csv", index=False)


def run(approach: str, folder: Path):
    """Run one approach on the folder; return its result."""
    import custanalytics
    from custanalytics.data._readers import read_source

    files = sorted(folder.glob("*.csv"))
    if approach == "ours":
        return custanalytics.load_transactions(folder, **OPTIONS)
    if approach == "ours_read":
        return read_source(folder).frame
    frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    if approach == "pandas_read":
        return frame
    return custanalytics.load_transactions(frame, **OPTIONS)


def check(folder: Path) -> dict:
    """Check that ``ours`` and ``pandas`` give the same rows and counts; return the counts."""
    ours, theirs = run("ours", folder), run("pandas", folder)
    pd.testing.assert_frame_equal(ours.to_pandas(), theirs.to_pandas())
    steps = [(s.check, s.rows, s.amount) for s in ours.quality.steps]
    assert steps == [(s.check, s.rows, s.amount) for s in theirs.quality.steps], steps
    assert ours.quality.revenue_kept == theirs.quality.revenue_kept
    return {
        "rows_read": ours.quality.rows_read,
        "rows_kept": ours.quality.rows_kept,
        "orders": ours.n_orders,
        "steps": steps,
        "revenue_read": ours.quality.revenue_read,
        "revenue_kept": ours.quality.revenue_kept,
    }


def peak_rss_mib() -> float:
    """Peak resident set size of this process (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child_peak(approach: str, folder: Path) -> float:
    """Peak RSS of a fresh process that runs ``approach`` once."""
    out = subprocess.run(
        [sys.executable, __file__, "--only", approach, "--folder", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)["peak_rss_mib"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=305)
    parser.add_argument("--lines", type=int, default=542000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--only", choices=(*APPROACHES, "baseline"), default=None)
    args = parser.parse_args()
    if args.only:
        import custanalytics  # noqa: F401  (the baseline includes the import)

        if args.only != "baseline":
            run(args.only, args.folder)
        print(json.dumps({"peak_rss_mib": peak_rss_mib()}))
        return
    with tempfile.TemporaryDirectory(prefix="custanalytics-bench-") as scratch:
        folder = args.folder or Path(scratch) / "orders"
        if not (folder.is_dir() and any(folder.glob("*.csv"))):
            generate(folder, args.files, args.lines)
        files = sorted(folder.glob("*.csv"))
        size = sum(f.stat().st_size for f in files) / 1e6
        counts = check(folder)
        times: dict[str, list[float]] = {a: [] for a in APPROACHES}
        cpu: dict[str, list[float]] = {a: [] for a in APPROACHES}
        for repeat in range(args.repeats):
            order = APPROACHES[repeat % len(APPROACHES) :] + APPROACHES[: repeat % len(APPROACHES)]
            for approach in order:
                gc.collect()
                start, start_cpu = time.perf_counter(), time.process_time()
                result = run(approach, folder)
                times[approach].append(time.perf_counter() - start)
                cpu[approach].append(time.process_time() - start_cpu)
                del result
        peaks = {a: child_peak(a, folder) for a in ("baseline", *APPROACHES)}
    import duckdb
    import ibis

    import custanalytics

    report = {
        "files": len(files),
        "megabytes": round(size, 1),
        "counts": counts,
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "ibis": ibis.__version__,
            "pandas": pd.__version__,
            "custanalytics": custanalytics.__version__,
            "load": os.getloadavg(),
        },
        "approaches": {
            a: {
                "median_s": round(statistics.median(times[a]), 3),
                "min_s": round(min(times[a]), 3),
                "median_cpu_s": round(statistics.median(cpu[a]), 2),
                "runs": len(times[a]),
                "peak_rss_mib": round(peaks[a]),
            }
            for a in APPROACHES
        },
        "baseline_peak_rss_mib": round(peaks["baseline"]),
    }
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
