"""Benchmark the per-customer summary against lifetimes and a hand-written DuckDB query.

Usage::

    python bench/summary.py [--rows 1000000 10000000] [--repeats 5]

For each size a BG/NBD transaction log is generated once
(``simulate_transactions_rows(n, random_state=0)``) and, in this one process and on the same
data, three approaches are timed:

* ``ours``: ``custanalytics.summarize(transactions, as_of=...)`` on a ``Transactions`` loaded
  once, outside the timing, with ``load_transactions(frame, ..., duplicates="keep",
  returns="keep")`` (its time is reported separately);
* ``lifetimes``: ``lifetimes.utils.summary_data_from_transaction_data`` on the frame;
* ``duckdb``: a hand-written DuckDB SQL query on the frame registered in a connection.

For reference, the same query is also timed on a native DuckDB table holding the frame
(``duckdb_table``; the copy is not timed), as ``ours`` runs on the table that
``load_transactions`` materialises.

The results are checked to agree first (same customers; frequency, recency and T
equal; monetary value to 1e-9). The runs of one repeat are interleaved (in a rotating order),
so that the noise of a shared machine hits every approach alike; the table shows medians.
Peak memory is measured per approach in a child process running
``python bench/summary.py --only APPROACH --rows N``: the peak resident set size of the child
(``VmHWM``, which is what ``ru_maxrss`` reports, without the parent's peak that Linux carries
over into ``ru_maxrss`` across the fork and exec). It includes generating the data, whose peak
alone is reported as ``generate``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

APPROACHES = ("ours", "lifetimes", "duckdb")
#: A lifetimes run slower than this is repeated fewer times (3), one slower than
#: ``--lifetimes-budget`` is run once only.
SLOW_SECONDS = 30.0


def generate(rows: int) -> tuple[pd.DataFrame, dt.date]:
    """Return the transaction log of about ``rows`` rows and its as-of date (the last day)."""
    from custanalytics.datasets import simulate_transactions_rows

    frame = simulate_transactions_rows(rows, random_state=0)
    return frame, frame["date"].max().date()


def load(frame: pd.DataFrame) -> Any:
    """Return the ``Transactions`` that ``ours`` summarises."""
    import custanalytics

    return custanalytics.load_transactions(
        frame,
        customer="customer_id",
        date="date",
        amount="amount",
        duplicates="keep",
        returns="keep",
    )


def run_ours(transactions: Any, as_of: dt.date) -> pd.DataFrame:
    """Summarise with custanalytics."""
    import custanalytics

    return custanalytics.summarize(transactions, as_of=as_of)


def run_lifetimes(frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Summarise with lifetimes."""
    from lifetimes.utils import summary_data_from_transaction_data

    return summary_data_from_transaction_data(
        frame,
        "customer_id",
        "date",
        monetary_value_col="amount",
        observation_period_end=as_of.isoformat(),
    )


def handwritten_sql(as_of: dt.date, table: str = "transactions") -> str:
    """The query one would write by hand: two aggregations, no window, no join."""
    end = as_of + dt.timedelta(days=1)
    return f"""
        SELECT
            customer_id,
            min(day) AS first_purchase,
            max(day) AS last_purchase,
            count(*) AS orders,
            sum(spend) AS revenue,
            sum(spend) / count(*) AS avg_order_value,
            count(*) - 1 AS frequency,
            CAST(max(day) - min(day) AS DOUBLE) AS recency,
            CAST(DATE '{as_of.isoformat()}' - min(day) AS DOUBLE) AS T,
            CASE WHEN count(*) > 1
                THEN (sum(spend) - arg_min(spend, day)) / (count(*) - 1)
                ELSE 0.0
            END AS monetary_value
        FROM (
            SELECT customer_id, CAST(date AS DATE) AS day, sum(amount) AS spend
            FROM {table}
            WHERE date < TIMESTAMP '{end.isoformat()} 00:00:00'
            GROUP BY customer_id, day
        )
        GROUP BY customer_id
        ORDER BY customer_id
    """


def handwritten(
    frame: pd.DataFrame, as_of: dt.date, *, copy: bool = False
) -> Callable[[], pd.DataFrame]:
    """Return a function running the hand-written query on ``frame`` (registered once).

    With ``copy``, on a DuckDB table made from the frame beforehand instead.
    """
    import duckdb

    con = duckdb.connect()
    con.register("transactions", frame)
    if copy:
        con.execute("CREATE TABLE copied AS SELECT * FROM transactions")
        con.unregister("transactions")
    sql = handwritten_sql(as_of, "copied" if copy else "transactions")

    def run() -> pd.DataFrame:
        return con.sql(sql).df().set_index("customer_id")

    run.connection = con  # keep the connection (and the registration) alive
    return run


# --- agreement -------------------------------------------------------------------------------


def check_agreement(results: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Raise unless the summaries agree; return the largest monetary-value differences."""
    ours = results["ours"]
    differences = {}
    for name, other in results.items():
        if name == "ours":
            continue
        other = other.sort_index()
        _require(list(other.index.astype(str)) == list(ours.index), f"{name}: customers differ")
        columns = ["frequency", "recency", "T"]
        if name.startswith("duckdb"):
            columns += ["first_purchase", "last_purchase", "orders"]
        for column in columns:
            mine, theirs = ours[column].to_numpy(), other[column].to_numpy()
            if column.endswith("purchase"):  # date units differ: datetime64[s] and [us]
                mine, theirs = mine.astype("datetime64[s]"), theirs.astype("datetime64[s]")
            _require(np.array_equal(mine, theirs.astype(mine.dtype)), f"{name}: {column} differs")
        gap = np.abs(ours["monetary_value"].to_numpy() - other["monetary_value"].to_numpy())
        scale = np.maximum(1.0, np.abs(other["monetary_value"].to_numpy()))
        _require(bool((gap <= 1e-9 * scale).all()), f"{name}: monetary_value differs")
        differences[name] = float(gap.max())
        if name.startswith("duckdb"):
            for column in ("revenue", "avg_order_value"):
                np.testing.assert_allclose(ours[column], other[column], rtol=1e-9, atol=1e-9)
    return differences


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(f"results disagree: {message}")


# --- timing ----------------------------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[float, Any, float]:
    """Return the wall-clock seconds of one call, its result and its CPU seconds.

    CPU seconds are those of every thread of this process (DuckDB runs one per core), so on
    a busy machine they show the work done, while wall-clock time also shows the waiting.
    """
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, result, time.process_time() - cpu


def bench_size(rows: int, repeats: int, lifetimes_budget: float) -> dict[str, Any]:
    """Time the three approaches on one generated log; return the measurements."""
    print(f"\n== {rows:,} rows: generating", flush=True)
    frame, as_of = generate(rows)
    load_seconds, transactions, _ = timed(lambda: load(frame))
    customers = frame["customer_id"].nunique()
    print(
        f"   {len(frame):,} transactions, {customers:,} customers, as_of {as_of}; "
        f"load_transactions {load_seconds:.2f} s",
        flush=True,
    )
    runners = {
        "ours": lambda: run_ours(transactions, as_of),
        "lifetimes": lambda: run_lifetimes(frame, as_of),
        "duckdb": handwritten(frame, as_of),
        "duckdb_table": handwritten(frame, as_of, copy=True),
    }
    # first run of each: checks agreement (and warms caches); not timed, except a slow lifetimes
    first = {name: timed(run) for name, run in runners.items()}
    differences = check_agreement({name: result for name, (_, result, _) in first.items()})
    print(f"   results agree; largest monetary_value gap vs ours: {differences}", flush=True)
    lifetimes_first, _, lifetimes_cpu = first["lifetimes"]
    del first
    wanted = dict.fromkeys(runners, repeats)
    times: dict[str, list[float]] = {name: [] for name in runners}
    cpu: dict[str, list[float]] = {name: [] for name in runners}
    note = ""
    if lifetimes_first > lifetimes_budget:
        wanted["lifetimes"] = 1
        times["lifetimes"].append(lifetimes_first)  # the agreement run is the timing
        cpu["lifetimes"].append(lifetimes_cpu)
        note = f"lifetimes took {lifetimes_first:.0f} s > {lifetimes_budget:.0f} s: run once."
    elif lifetimes_first > SLOW_SECONDS:
        wanted["lifetimes"] = min(repeats, 3)
        note = f"lifetimes took {lifetimes_first:.0f} s: {wanted['lifetimes']} runs."
    names = list(runners)
    for i in range(repeats):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            if len(times[name]) < wanted[name]:
                seconds, _, cpu_seconds = timed(runners[name])
                times[name].append(seconds)
                cpu[name].append(cpu_seconds)
        print(
            f"   repeat {i + 1}: "
            + ", ".join(f"{n} {times[n][-1]:.3f} s ({cpu[n][-1]:.2f} CPU)" for n in names)
            + f"; load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    return {
        "rows": len(frame),
        "customers": customers,
        "load_seconds": load_seconds,
        "times": times,
        "median": {name: statistics.median(values) for name, values in times.items()},
        "cpu": {name: statistics.median(values) for name, values in cpu.items()},
        "min": {name: min(values) for name, values in times.items()},
        "differences": differences,
        "note": note,
    }


# --- peak memory in child processes ----------------------------------------------------------


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    ``VmHWM``; ``ru_maxrss`` would also count the parent's peak, which Linux carries over into
    the child across fork and exec. Both agree when the script is started from a shell.
    """
    return _status_mb("VmHWM")


def current_rss_mb() -> float:
    """Current resident set size of this process, in MiB."""
    return _status_mb("VmRSS")


def child(approach: str, rows: int) -> None:
    """Run one approach once after generating the data; print peak RSS as JSON."""
    frame, as_of = generate(rows)
    gc.collect()
    report = {"after_generate_mb": current_rss_mb(), "generate_peak_mb": peak_rss_mb()}
    start = time.perf_counter()
    if approach == "ours":
        run_ours(load(frame), as_of)
    elif approach == "lifetimes":
        run_lifetimes(frame, as_of)
    elif approach == "duckdb":
        handwritten(frame, as_of)()
    report["seconds"] = time.perf_counter() - start
    report["peak_mb"] = peak_rss_mb()
    report["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(report))


def measure_memory(approach: str, rows: int) -> dict[str, float]:
    """Run :func:`child` in a fresh interpreter and return its report."""
    command = [sys.executable, __file__, "--only", approach, "--rows", str(rows)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- report ----------------------------------------------------------------------------------


def machine() -> str:
    """One line describing the machine and the library versions."""
    import duckdb
    import ibis
    import lifetimes

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.machine()
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), cpu)
    return (
        f"nproc {os.cpu_count()}, RAM {memory:.0f} GiB, {cpu}"
        f"; Python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"ibis {ibis.__version__}, pandas {pd.__version__}, lifetimes {lifetimes.__version__}, "
        f"numpy {np.__version__}"
    )


def table(results: list[dict[str, Any]]) -> str:
    """Markdown table of the measurements."""
    lines = [
        "| rows | approach | median s (runs) | min s | median CPU s | ours / this "
        "(median s) | peak RSS MiB |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        rows, median, memory = result["rows"], result["median"], result["memory"]
        baseline = memory["ours"]
        lines.append(
            f"| {rows:,} | generate only (baseline; RSS after it "
            f"{baseline['after_generate_mb']:,.0f}) | – | – | – | – | "
            f"{baseline['generate_peak_mb']:,.0f} |"
        )
        lines.append(
            f"| {rows:,} | load_transactions (once) | {result['load_seconds']:.2f} (1) "
            "| – | – | – | – |"
        )
        for name, label in (
            ("ours", "ours: summarize (incl. load in RSS)"),
            ("lifetimes", "lifetimes"),
            ("duckdb", "hand-written DuckDB SQL on the frame"),
            ("duckdb_table", "same SQL on a DuckDB table (for reference)"),
        ):
            ratio = "1.00" if name == "ours" else f"{median['ours'] / median[name]:.2f}"
            peak = f"{memory[name]['peak_mb']:,.0f}" if name in memory else "–"
            lines.append(
                f"| {rows:,} | {label} | {median[name]:.3f} ({len(result['times'][name])}) | "
                f"{result['min'][name]:.3f} | {result['cpu'][name]:.2f} | {ratio} | {peak} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--lifetimes-budget",
        type=float,
        default=180.0,
        help="seconds; a slower first lifetimes run is the only one (default 180)",
    )
    parser.add_argument("--only", choices=[*APPROACHES, "generate"], help=argparse.SUPPRESS)
    parser.add_argument("--no-memory", action="store_true", help="skip the child processes")
    args = parser.parse_args(argv)
    if args.only:
        (rows,) = args.rows
        child(args.only, rows)
        return
    print("command: python " + " ".join(sys.argv), flush=True)
    print(machine(), flush=True)
    results = []
    for rows in args.rows:
        result = bench_size(rows, args.repeats, args.lifetimes_budget)
        gc.collect()
        if args.no_memory:
            result["memory"] = {
                name: dict.fromkeys(("peak_mb", "generate_peak_mb", "after_generate_mb"), np.nan)
                for name in APPROACHES
            }
        else:
            result["memory"] = {name: measure_memory(name, rows) for name in APPROACHES}
            print(f"   memory: {json.dumps(result['memory'])}", flush=True)
        results.append(result)
    print()
    print(table(results))
    for result in results:
        speedup = result["median"]["lifetimes"] / result["median"]["ours"]
        ratio = result["median"]["ours"] / result["median"]["duckdb"]
        peak = result["memory"]["ours"]["peak_mb"] * 2**20 / 1e9
        print(
            f"\n{result['rows']:,} rows ({result['customers']:,} customers): ours is "
            f"{speedup:.1f}x faster than lifetimes (target >= 3: {_met(speedup >= 3)}) and "
            f"{ratio:.2f}x the hand-written query's time (target <= 1.5: {_met(ratio <= 1.5)}); "
            f"peak RSS of ours with load_transactions {peak:.2f} GB"
            + (f" (target <= 3 GB: {_met(peak <= 3)})" if result["rows"] >= 10_000_000 else "")
            + (f". {result['note']}" if result["note"] else "")
        )


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    main()
