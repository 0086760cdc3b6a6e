"""Benchmark RFM, every preset grading scheme and concentration against a numpy baseline.

Usage::

    python bench/tiering.py [--customers 1000000 10000000] [--repeats 5]

For each size a per-customer table as :func:`custanalytics.summarize` returns it is generated
once with numpy (``generate(n)``: geometric orders, log-normal spend, 1 % zero and 0.5 %
negative revenue, last purchases over two years, 2 % prospects), and in this one process two
approaches are timed on it:

* ``ours``: ``rfm_scores(customers)``, ``grade(customers, name)`` for each of the five
  presets and ``concentration(customers)``;
* ``baseline``: a minimal hand-written numpy/pandas version of the same outputs: the same
  sorts (pandas ``rank`` for the RFM and composite-score features, a stable ``argsort`` of
  revenue per share scheme, ``np.sort`` for concentration) and the same cuts
  (``searchsorted``, ``np.select``), without validation, errors or labels.

Their outputs are checked to agree first (scores, codes, segments, classes and grades equal;
scores and figures to 1e-12). Runs are interleaved, the table shows medians and the time of
each part of ``ours``. Peak memory (``VmHWM``) is measured per approach in a child process
(``--only APPROACH``), including the generated table (and the imported package), whose peak
alone is ``generate``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

AS_OF = np.datetime64("2024-06-30", "D")
PRESETS = ("three_tier", "abc", "pyramid", "sabc", "ten_level")
APPROACHES = ("ours", "baseline")


def generate(n: int, seed: int = 0) -> pd.DataFrame:
    """Return a per-customer table of ``n`` customers (2 % prospects), as summarize makes it."""
    rng = np.random.default_rng(seed)
    orders = rng.geometric(0.35, n)
    orders[rng.random(n) < 0.02] = 0
    buyer = orders > 0
    revenue = np.round(orders * rng.lognormal(3.5, 1.1, n), 2)
    special = rng.random(n)
    revenue[special < 0.01] = 0.0
    revenue[(special >= 0.01) & (special < 0.015)] *= -0.1
    revenue[~buyer] = 0.0
    recency = rng.integers(0, 730, n)
    span = rng.integers(0, 730, n)
    last = (AS_OF - recency).astype("datetime64[s]")
    first = (AS_OF - recency - span * (orders > 1)).astype("datetime64[s]")
    frame = pd.DataFrame(
        {
            "first_purchase": np.where(buyer, first, np.datetime64("NaT")),
            "last_purchase": np.where(buyer, last, np.datetime64("NaT")),
            "orders": orders,
            "revenue": revenue,
            "avg_order_value": np.where(buyer, revenue / np.maximum(orders, 1), np.nan),
            "frequency": np.maximum(orders - 1, 0),
            "recency": np.where(buyer, span * (orders > 1), 0).astype("float64"),
            "T": np.where(buyer, recency + span * (orders > 1), 0).astype("float64"),
            "monetary_value": np.where(orders > 1, revenue / np.maximum(orders, 1), 0.0),
        },
        index=pd.Index(np.char.add("C", np.arange(n).astype("U9")), name="customer_id"),
    )
    frame.attrs["as_of"] = str(AS_OF)
    return frame


# --- ours ------------------------------------------------------------------------------------


def run_ours(customers: pd.DataFrame) -> dict[str, Any]:
    """All of the tiering core with custanalytics; the time of each part in ``seconds``."""
    import custanalytics as ca

    out, seconds = {}, {}
    parts: list[tuple[str, Callable[[], Any]]] = [("rfm", lambda: ca.rfm_scores(customers))]
    parts += [(name, lambda name=name: ca.grade(customers, name)) for name in PRESETS]
    parts += [("concentration", lambda: ca.concentration(customers))]
    for name, part in parts:
        start = time.perf_counter()
        out[name] = part()
        seconds[name] = time.perf_counter() - start
    out["seconds"] = seconds
    return out


# --- baseline --------------------------------------------------------------------------------

GRID = np.array(  # segment code per (R, F), rows R = 1..5, columns F = 1..5, as RF_SEGMENTS
    [[9, 9, 7, 7, 8], [9, 9, 7, 7, 8], [6, 6, 5, 1, 1], [4, 2, 2, 1, 1], [3, 2, 2, 0, 0]]
)
CLASS8_CODE = np.array([7, 3, 6, 2, 5, 1, 4, 0])  # "RFM" bits as a number → class code


def _pct(values: np.ndarray) -> np.ndarray:
    return (pd.Series(values).rank(method="average").to_numpy() - 0.5) / len(values)


def baseline_rfm(customers: pd.DataFrame) -> dict[str, np.ndarray]:
    """Quintile scores on average ranks, the R x F grid and the 8-class model, by hand."""
    buyers = customers["orders"].to_numpy() > 0
    days = (AS_OF - customers["last_purchase"].to_numpy()[buyers].astype("datetime64[D]")).astype(
        "int64"
    )
    orders = customers["orders"].to_numpy()[buyers]
    revenue = customers["revenue"].to_numpy()[buyers]
    edges = np.arange(1, 5) / 5
    r, f, m = (1 + np.searchsorted(edges, _pct(x), "right") for x in (-days, orders, revenue))
    bits = 4 * (days < days.mean()) + 2 * (orders > orders.mean()) + (revenue > revenue.mean())
    return {
        "r": r,
        "f": f,
        "m": m,
        "code": ((r - 1) * 5 + f - 1) * 5 + m - 1,
        "score": (r + f + m) / 3,
        "segment": GRID[r - 1, f - 1],
        "class8": CLASS8_CODE[bits],
    }


def _shares(revenue: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-revenue, kind="stable")
    positive = np.clip(revenue[order], 0, None)
    cumulative = np.cumsum(positive)
    before = np.empty(len(revenue))
    before[order] = (cumulative - positive) / cumulative[-1]
    position = np.empty(len(revenue))
    position[order] = np.arange(len(revenue)) / len(revenue)
    return before, position


def _score(customers: pd.DataFrame, buyers: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    days = (AS_OF - customers["last_purchase"].to_numpy()[buyers].astype("datetime64[D]")).astype(
        "int64"
    )
    features = {
        "revenue": customers["revenue"].to_numpy()[buyers],
        "frequency": customers["orders"].to_numpy()[buyers],
        "recency": -days,
    }
    total = sum(weights.values())
    return 100 * sum(w / total * _pct(features[name]) for name, w in weights.items())


def baseline_grades(customers: pd.DataFrame) -> dict[str, np.ndarray]:
    """The five presets by hand: one stable sort of revenue per share scheme, score cuts."""
    buyers = customers["orders"].to_numpy() > 0
    revenue = customers["revenue"].to_numpy()[buyers]
    tol = 1e-9
    out = {}
    for name in ("three_tier", "abc"):
        before, _ = _shares(revenue)
        out[name] = np.select(
            [(before < 0.8 - tol) & (revenue > 0), (before < 0.95 - tol) & (revenue > 0)], [0, 1], 2
        )
    _, position = _shares(revenue)
    out["pyramid"] = np.select([position < c - tol for c in (0.01, 0.05, 0.2)], [0, 1, 2], 3)
    _, position = _shares(revenue)
    activity = _score(customers, buyers, {"recency": 0.5, "frequency": 0.3})
    out["sabc"] = np.select(
        [position < 0.2 - tol, activity >= 90 - tol, activity >= 70 - tol], [0, 1, 2], 3
    )
    composite = _score(customers, buyers, {"revenue": 0.4, "frequency": 0.2, "recency": 0.2})
    cuts = np.arange(90, 0, -10)
    out["ten_level"] = np.select([composite >= c - tol for c in cuts], np.arange(9), 9)
    return out


def baseline_concentration(customers: pd.DataFrame) -> dict[str, float]:
    """Top shares, the 80 % holders, Gini and HHI from one sort."""
    revenue = customers["revenue"].to_numpy()[customers["orders"].to_numpy() > 0]
    values = np.sort(np.clip(revenue, 0, None))[::-1]
    n, total = len(values), values.sum()
    cumulative = np.cumsum(values) / total
    out = {f"top{p}_revenue_share": float(cumulative[-(-p * n // 100) - 1]) for p in (1, 5, 10, 20)}
    out["customer_share_for_80"] = (np.searchsorted(cumulative, 0.8 - 1e-12) + 1) / n
    ranks = np.arange(1, n + 1)
    out["gini"] = float(2 * np.sum(ranks * values[::-1]) / (n * total) - (n + 1) / n)
    out["hhi"] = float(np.sum((values / total) ** 2))
    return out


def run_baseline(customers: pd.DataFrame) -> dict[str, Any]:
    """All of the tiering core by hand."""
    return {
        "rfm": baseline_rfm(customers),
        "grades": baseline_grades(customers),
        "concentration": baseline_concentration(customers),
    }


# --- agreement -------------------------------------------------------------------------------


def check_agreement(customers: pd.DataFrame, ours: dict, baseline: dict) -> None:
    """Raise unless both approaches give the same scores, segments, grades and figures."""
    buyers = customers["orders"].to_numpy() > 0
    rfm, hand = ours["rfm"][buyers], baseline["rfm"]
    for column, key in (("r_score", "r"), ("f_score", "f"), ("m_score", "m")):
        _require(np.array_equal(rfm[column].to_numpy(dtype="int64"), hand[key]), column)
    for column, key in (("rfm_code", "code"), ("rfm_segment", "segment"), ("rfm_class8", "class8")):
        _require(np.array_equal(rfm[column].cat.codes.to_numpy(), hand[key]), column)
    _require(np.allclose(rfm["rfm_score"].to_numpy(), hand["score"], rtol=1e-12), "rfm_score")
    for name in PRESETS:
        codes = ours[name]["grade"].cat.codes.to_numpy()[buyers]
        _require(np.array_equal(codes, baseline["grades"][name]), f"grade {name}")
    for key, value in baseline["concentration"].items():
        _require(abs(ours["concentration"][key] - value) <= 1e-12, key)


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise RuntimeError(f"results disagree: {what}")


# --- timing and memory -----------------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Return the wall-clock seconds of one call and its result."""
    gc.collect()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bench_size(n: int, repeats: int) -> dict[str, Any]:
    """Time both approaches on one generated table; return the measurements."""
    print(f"\n== {n:,} customers: generating", flush=True)
    customers = generate(n)
    runners = {"ours": lambda: run_ours(customers), "baseline": lambda: run_baseline(customers)}
    first = {name: timed(run)[1] for name, run in runners.items()}
    check_agreement(customers, first["ours"], first["baseline"])
    print("   results agree", flush=True)
    del first
    times: dict[str, list[float]] = {name: [] for name in runners}
    parts: list[dict[str, float]] = []
    names = list(runners)
    for i in range(repeats):
        for name in names[i % 2 :] + names[: i % 2]:
            seconds, result = timed(runners[name])
            times[name].append(seconds)
            if name == "ours":
                parts.append(result["seconds"])
            del result
        print(
            f"   repeat {i + 1}: "
            + ", ".join(f"{name} {times[name][-1]:.3f} s" for name in names)
            + f"; load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    return {
        "customers": n,
        "times": times,
        "median": {name: statistics.median(values) for name, values in times.items()},
        "min": {name: min(values) for name, values in times.items()},
        "parts": {key: statistics.median(p[key] for p in parts) for key in parts[0]},
    }


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(approach: str, n: int) -> None:
    """Run one approach once after generating the table; print peak RSS as JSON.

    custanalytics is imported first for both approaches, so that both peaks include it.
    """
    import custanalytics  # noqa: F401

    customers = generate(n)
    gc.collect()
    report = {"after_generate_mb": _status_mb("VmRSS"), "generate_peak_mb": _status_mb("VmHWM")}
    start = time.perf_counter()
    (run_ours if approach == "ours" else run_baseline)(customers)
    report["seconds"] = time.perf_counter() - start
    report["peak_mb"] = _status_mb("VmHWM")
    print(json.dumps(report))


def measure_memory(approach: str, n: int) -> dict[str, float]:
    """Run :func:`child` in a fresh interpreter and return its report."""
    command = [sys.executable, __file__, "--only", approach, "--customers", str(n)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    """One line describing the machine and the library versions."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.machine()
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), cpu)
    return (
        f"nproc {os.cpu_count()}, RAM {memory:.0f} GiB, {cpu}; Python "
        f"{platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}"
    )


def table(results: list[dict[str, Any]]) -> str:
    """Markdown tables: totals with memory, then ours part by part."""
    lines = [
        "| customers | approach | median s (runs) | min s | ours / baseline | peak RSS MiB |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for result in results:
        n, median, memory = result["customers"], result["median"], result["memory"]
        lines.append(
            f"| {n:,} | generate only (RSS after it {memory['ours']['after_generate_mb']:,.0f}) "
            f"| – | – | – | {memory['ours']['generate_peak_mb']:,.0f} |"
        )
        for name, label in (
            ("ours", "ours: RFM + 5 presets + concentration"),
            ("baseline", "hand-written numpy/pandas"),
        ):
            lines.append(
                f"| {n:,} | {label} | {median[name]:.3f} ({len(result['times'][name])}) | "
                f"{result['min'][name]:.3f} | {median['ours'] / median['baseline']:.2f} | "
                f"{memory[name]['peak_mb']:,.0f} |"
            )
    keys = list(results[0]["parts"])
    lines += ["", "| customers | " + " | ".join(keys) + " |", "|---:|" + "---:|" * len(keys)]
    for result in results:
        cells = " | ".join(f"{result['parts'][k]:.3f}" for k in keys)
        lines.append(f"| {result['customers']:,} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", choices=APPROACHES, help=argparse.SUPPRESS)
    parser.add_argument("--no-memory", action="store_true", help="skip the child processes")
    args = parser.parse_args(argv)
    if args.only:
        (n,) = args.customers
        child(args.only, n)
        return
    print("command: python " + " ".join(sys.argv), flush=True)
    print(machine(), flush=True)
    results = []
    for n in args.customers:
        result = bench_size(n, args.repeats)
        gc.collect()
        nan = dict.fromkeys(("peak_mb", "generate_peak_mb", "after_generate_mb"), np.nan)
        result["memory"] = (
            dict.fromkeys(APPROACHES, nan)
            if args.no_memory
            else {name: measure_memory(name, n) for name in APPROACHES}
        )
        print(f"   memory: {json.dumps(result['memory'])}", flush=True)
        results.append(result)
    print()
    print(table(results))


if __name__ == "__main__":
    main()
