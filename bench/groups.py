"""Benchmark the lifecycle, attributes and cohorts sections' work on a large customer base.

Usage::

    python bench/groups.py [--customers 1000000] [--repeats 3]

A BG/NBD transaction log of ``--customers`` customers (about 3 purchases each over the
default 640-day window) is generated once with ``simulate_transactions(n,
observation_days=640, random_state=0)``, given a discount rate per row (``rabatt``: 0.1 on
about a third of the rows, 0 on the others), loaded with ``load_transactions(...,
discount="rabatt", discount_kind="rate")`` and summarised with ``summarize`` (neither is timed:
every run does them before its sections; the summary's extra cost for ``discount_share`` is
timed apart, against the same table without the ``discounted`` column). Each customer gets
five random master attributes (type, industry, region, province, decision style; 2 %
missing) and a value-matrix cell, as a customer master and the value section would give.
Then, timed, exactly what the three sections compute in a run:

* ``purchase_days``: the (customer, day, spend) rows, once per run (``ctx.purchase_days()``),
  shared by the lifecycle and cohorts sections;
* ``lifecycle``: ``purchase_cycles`` from those rows and ``lifecycle()``;
* ``attributes``: ``price_sensitivity`` from ``discount_share``, ``attribute_tables`` of the
  four attributes and the price sensitivity against ``value_cell`` and ``lifecycle_stage``,
  and ``price_sensitivity_crosstab`` of the decision style;
* ``cohorts``: ``cohort_tables`` from the same rows.

The table shows the median of ``--repeats`` runs of each step and their total. Peak memory is
the process's peak resident set (``VmHWM``) after generating and loading (``before``) and at
the end (``after``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time

import numpy as np
import pandas as pd


def peak_mib() -> float:
    """Return the process's peak resident set size in MiB (``VmHWM``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def prepare(n_customers: int, observation_days: float):
    """Return the loaded transactions, the customer table with attributes, and the as-of."""
    import custanalytics as ca
    from custanalytics.datasets import simulate_transactions

    frame = simulate_transactions(n_customers, observation_days=observation_days, random_state=0)
    discounted = np.random.default_rng([0, 7]).random(len(frame)) < 1 / 3  # apart from rng
    frame["rabatt"] = np.where(discounted, 0.1, 0.0)
    as_of = frame["date"].max().date() + dt.timedelta(days=1)
    tx = ca.load_transactions(
        frame,
        customer="customer_id",
        date="date",
        amount="amount",
        discount="rabatt",
        discount_kind="rate",
        duplicates="keep",
        returns="keep",
    )
    customers = ca.summarize(tx, as_of=as_of)
    rng = np.random.default_rng(0)
    n = len(customers)

    def attribute(values, weights=None):
        drawn = rng.choice(np.array(values, dtype=object), n, p=weights)
        drawn[rng.random(n) < 0.02] = None
        return drawn

    customers["type"] = attribute(["enterprise", "individual", "government"], [0.6, 0.3, 0.1])
    customers["industry"] = attribute([f"industry_{k}" for k in range(12)])
    customers["region"] = attribute(["domestic", "international"], [0.85, 0.15])
    customers["province"] = attribute([f"province_{k}" for k in range(31)])
    customers["style"] = attribute(["quality", "price", "service"], [0.4, 0.35, 0.25])
    cells = ["value_customer", "secondary_value_customer", "potential_value_customer"]
    customers["value_cell"] = rng.choice(cells + ["low_value_customer"], n, p=[0.1, 0.1, 0.1, 0.7])
    return tx, customers, as_of, len(frame)


def summary_cost(tx, as_of) -> tuple[float, float]:
    """Time ``summarize`` with and without the ``discounted`` column (same engine table)."""
    import dataclasses

    import custanalytics as ca

    plain = dataclasses.replace(tx, table=tx.table.drop("discounted"))
    times = []
    for transactions in (tx, plain):
        started = time.perf_counter()
        ca.summarize(transactions, as_of=as_of)
        times.append(time.perf_counter() - started)
    return times[0], times[1]


def run_once(tx, customers, as_of) -> dict[str, float]:
    """Time each step once; return seconds per step."""
    from custanalytics import LifecycleParams, lifecycle
    from custanalytics.attributes import (
        attribute_tables,
        price_sensitivity,
        price_sensitivity_crosstab,
    )
    from custanalytics.cohorts import cohort_tables
    from custanalytics.cycles import purchase_cycles
    from custanalytics.summary import purchase_days

    times = {}
    started = time.perf_counter()
    days = purchase_days(tx)
    times["purchase_days"] = time.perf_counter() - started

    started = time.perf_counter()
    cycles = purchase_cycles(None, days=days)
    stages = lifecycle(customers, cycles, as_of=as_of, rules=LifecycleParams())
    times["lifecycle"] = time.perf_counter() - started

    table = customers.join(stages[["lifecycle_stage"]])
    started = time.perf_counter()
    table = table.assign(price_sensitivity=price_sensitivity(table["discount_share"], [0.2, 0.5]))
    tables = attribute_tables(
        table,
        ["type", "industry", "region", "province", "price_sensitivity"],
        ["value_cell", "lifecycle_stage"],
        min_customers=5,
    )
    cross = price_sensitivity_crosstab(table, "style", min_customers=5)
    times["attributes"] = time.perf_counter() - started
    assert (tables.groups.groupby("attribute")["customers"].sum() == len(table)).all()
    assert cross["customers"].sum() == table["price_sensitivity"].notna().sum()

    started = time.perf_counter()
    cohort_tables(days, as_of=as_of, min_customers=20, max_months=24, presorted=True)
    times["cohorts"] = time.perf_counter() - started
    times["total"] = sum(times.values())
    return times


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--observation-days",
        type=float,
        default=640,
        help="length of the simulated window (640: about 3 transactions per customer)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tx, customers, as_of, rows = prepare(args.customers, args.observation_days)
    prepared = time.perf_counter() - started
    before = peak_mib()
    load_before = os.getloadavg()[0]
    runs = [run_once(tx, customers, as_of) for _ in range(args.repeats)]
    costs = [summary_cost(tx, as_of) for _ in range(args.repeats)]
    after = peak_mib()
    load_after = os.getloadavg()[0]
    print(
        f"{len(customers):,} customers, {rows:,} transactions (as-of {as_of}); generated, "
        f"loaded and summarised in {prepared:.1f} s (not timed); Python "
        f"{platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}"
    )
    print()
    print(f"| step | median s (of {args.repeats}) | min s |")
    print("|---|---:|---:|")
    for step in runs[0]:
        values = [run[step] for run in runs]
        print(f"| {step} | {statistics.median(values):.2f} | {min(values):.2f} |")
    print()
    with_share = statistics.median(c[0] for c in costs)
    without = statistics.median(c[1] for c in costs)
    print(
        f"summarize (not in the total): {with_share:.2f} s with discount_share, "
        f"{without:.2f} s without (medians of {args.repeats})"
    )
    print(f"peak memory: {before:,.0f} MiB before the timed steps, {after:,.0f} MiB after")
    print(
        f"load average (1 min) on {os.cpu_count()} cores: {load_before:.1f} before, "
        f"{load_after:.1f} after the timed steps"
    )


if __name__ == "__main__":
    main()
