"""Benchmark the policies section's work, tier migration and the owner re-assignment.

Usage::

    python bench/policy.py [--customers 1000000] [--owners 2000] [--repeats 5]
                           [--assign 10000:100 10000:100:0.2 ...] [--assign-repeats 5]

Part (a): a per-customer table of ``--customers`` customers as :func:`custanalytics.summarize`
returns it (``bench/tiering.py``'s ``generate``, 2 % prospects) is graded once with the
``three_tier`` preset and given an owner and the owner's seniority (``assign_owners``), not
timed. Timed, ``--repeats`` times: ``policy_section`` exactly as a run calls it (the policies of
the tiers, every customer's next contact, the work list and its order, the owners' workload)
and, on their own, its two per-customer steps ``contact_plan`` and ``owner_workload``; and
``migration`` of the grades against an earlier grading (20 % of the customers a tier up or
down, 3 % new, 3 % exited).

Part (b): for each ``N:M[:SPARE]`` of ``--assign``, ``N`` customers and ``M`` owners made the
same way (capacities per seniority level set so that the owners can carry the load with SPARE,
default 5 %, to spare overall and at every level, but not as they hold it now: some over
capacity, some top-tier accounts with junior owners), timed ``propose_reassignment`` with its
defaults (``time_limit`` 10 s); every proposal is checked (every owner within capacity, every
customer with an owner of the required seniority, nobody moved twice).

The tables show medians (and minima) of the runs; peak memory is the process's ``VmHWM``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from tiering import generate  # noqa: E402

import custanalytics as ca  # noqa: E402
from custanalytics.analysis._context import AnalysisContext  # noqa: E402
from custanalytics.analysis._policy import policy_section  # noqa: E402
from custanalytics.analysis._tiering import GradeSchemeRecord, GradesRecord  # noqa: E402
from custanalytics.params import PolicyParams, TierPolicy  # noqa: E402
from custanalytics.policy import (  # noqa: E402
    CAPACITY_TOLERANCE,
    contact_plan,
    owner_workload,
    tier_policies,
)

AS_OF = dt.date(2024, 6, 30)
LEVELS = ["junior", "mid", "senior", "manager"]
LEVEL_SHARES = [0.4, 0.3, 0.2, 0.1]
TIERS = {
    "tier_1": TierPolicy(14, "senior", "visit", "project"),
    "tier_2": TierPolicy(30, "mid", "phone", "relationship"),
    "tier_3": TierPolicy(90, "junior", "automated", "keep_in_touch"),
}


def peak_mib() -> float:
    """Return the process's peak resident set size in MiB (``VmHWM``)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def graded_table(n: int, seed: int = 0) -> pd.DataFrame:
    """Return ``n`` customers as summarize gives them, with the ``three_tier`` grade."""
    customers = generate(n, seed=seed)
    return customers.join(ca.grade(customers, "three_tier"))


def assign_owners(customers: pd.DataFrame, n_owners: int, seed: int = 0, room: float = 0.05):
    """Give every customer an owner; return the table and the PolicyParams.

    Owners' levels are drawn 40 / 30 / 20 / 10 % junior / mid / senior / manager. 92 % of the
    graded customers go to an owner senior enough for their tier, the rest to any owner;
    owners draw customers in proportion to a log-normal weight (some end up over capacity),
    1 % of the customers have no owner. Capacities per level (1, 1.1, 1.2, 1.3 times a base)
    are the smallest that leave ``room`` (5 %) spare overall and at every seniority level.
    """
    rng = np.random.default_rng([seed, 11])
    n = len(customers)
    names = np.char.add("owner_", np.arange(n_owners).astype("U5"))
    level = rng.choice(len(LEVELS), n_owners, p=LEVEL_SHARES)
    level[: len(LEVELS)] = np.arange(len(LEVELS))  # every level present
    weight = rng.lognormal(0.0, 0.3, n_owners)
    grade = customers["grade"].cat.codes.to_numpy()
    required = np.array([LEVELS.index(p.seniority) for p in TIERS.values()])
    pick = rng.random(n)
    chosen = np.empty(n, dtype="int64")
    for code in range(-1, len(TIERS)):
        rows = np.flatnonzero(grade == code)
        allowed = level >= (required[code] if code >= 0 else 0)
        p = weight * allowed / (weight * allowed).sum()
        chosen[rows] = rng.choice(n_owners, len(rows), p=p)
    anyone = pick < 0.08
    chosen[anyone] = rng.choice(n_owners, int(anyone.sum()), p=weight / weight.sum())
    owner = names[chosen].astype(object)
    owner[rng.random(n) < 0.01] = None
    table = customers.assign(owner=owner, owner_level=np.array(LEVELS, dtype=object)[level][chosen])
    load = np.array([ca.policy.DAYS_PER_MONTH / p.cadence_days for p in TIERS.values()])
    held = np.bincount(grade[grade >= 0], minlength=len(TIERS)) * load
    factor = np.array([1.0, 1.1, 1.2, 1.3])
    base = max(
        held[required >= k].sum() / factor[level[level >= k]].sum() for k in range(len(LEVELS))
    )
    capacity = {
        name: round(float(base * f * (1 + room)), 1) for name, f in zip(LEVELS, factor, strict=True)
    }
    params = PolicyParams(
        owner="owner",
        seniority="owner_level",
        seniority_order=LEVELS,
        capacity=capacity,
        tiers=dict(TIERS),
    )
    return table, params


def context(table: pd.DataFrame, params: PolicyParams) -> AnalysisContext:
    """Return a run's state after the grades section, as the policies section sees it."""
    run = ca.load_params(
        {
            "title": "bench",
            "as_of": AS_OF.isoformat(),
            "transactions": {"source": "cdnow", "customer": "c", "date": "d", "amount": "a"},
            "policies": {
                "owner": params.owner,
                "seniority": params.seniority,
                "seniority_order": params.seniority_order,
                "capacity": params.capacity,
                "tiers": {k: vars(p) for k, p in params.tiers.items()},
            },
        }
    )
    scheme = ca.grade_scheme("three_tier")
    grades = GradesRecord(
        primary=scheme.name,
        schemes=[GradeSchemeRecord(scheme.name, "grade", ca.grade_levels(scheme), None, {})],
    )
    return AnalysisContext(run, None, None, table, records={"grades": grades})


def earlier_grades(grade: pd.Series, seed: int = 0) -> pd.Series:
    """Return a previous grading: 20 % a tier off, 3 % not graded then, 3 % more exited."""
    rng = np.random.default_rng([seed, 12])
    codes = grade.cat.codes.to_numpy().copy()
    k = len(grade.cat.categories)
    draw = rng.random(len(codes))
    shift = np.where(draw < 0.1, -1, np.where(draw < 0.2, 1, 0))
    codes = np.where(codes >= 0, np.clip(codes + shift, 0, k - 1), codes)
    codes[(draw >= 0.2) & (draw < 0.23)] = -1
    previous = pd.Series(pd.Categorical.from_codes(codes, grade.cat.categories), grade.index)
    exited = grade.index[(draw >= 0.23) & (draw < 0.26) & (grade.notna().to_numpy())]
    previous = previous.drop(exited[: len(exited) // 2])
    return pd.concat([previous, pd.Series("tier_3", index="X" + exited[: len(exited) // 2])])


def timed(function) -> tuple[float, object]:
    """Return seconds and the result of one call."""
    started = time.perf_counter()
    out = function()
    return time.perf_counter() - started, out


def bench_policies(n: int, n_owners: int, repeats: int) -> None:
    """Part (a): print the timings of the policies section and migration."""
    started = time.perf_counter()
    table, params = assign_owners(graded_table(n), n_owners)
    ctx = context(table, params)
    previous = earlier_grades(table["grade"])
    prepared = time.perf_counter() - started
    before = peak_mib()
    levels = list(table["grade"].cat.categories)
    policies = tier_policies(levels, ctx.params.policies)
    steps = {
        "policy_section (policies, contact plan, work list, workload)": lambda: policy_section(ctx),
        "  of which contact_plan": lambda: contact_plan(
            table, table["grade"], policies, as_of=AS_OF
        ),
        "  of which owner_workload": lambda: owner_workload(
            table, table["grade"], policies, ctx.params.policies
        ),
        "migration (previous vs current grades)": lambda: ca.migration(
            previous, table["grade"], levels
        ),
    }
    runs: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            runs[name].append(timed(step)[0])
    total = [a + b for a, b in zip(runs[next(iter(steps))], runs[list(steps)[-1]], strict=True)]
    workload = policy_section(ctx).record.workload
    print(
        f"### (a) {len(table):,} customers ({int(table['grade'].notna().sum()):,} graded), "
        f"{n_owners:,} owners; prepared in {prepared:.1f} s (not timed)"
    )
    print()
    print(f"| step | median s (of {repeats}) | min s |")
    print("|---|---:|---:|")
    for name, values in runs.items():
        print(f"| {name} | {statistics.median(values):.3f} | {min(values):.3f} |")
    print(f"| **policy_section + migration** | **{statistics.median(total):.3f}** | "
          f"{min(total):.3f} |")  # fmt: skip
    print()
    print(
        f"owners over capacity: {int(workload['over_capacity'].sum())}; peak memory "
        f"{before:,.0f} MiB before the timed steps, {peak_mib():,.0f} MiB after"
    )
    print()


def check(result: ca.Reassignment, table: pd.DataFrame, params: PolicyParams) -> None:
    """Raise if the proposal breaks a constraint."""
    if result.status == "not_solved":  # no proposal: nothing to check
        return
    owners = result.owners
    assert result.moves["customer_id"].is_unique, "a customer moved twice"
    over = owners["contacts_after"] > owners["capacity"] + CAPACITY_TOLERANCE
    assert result.feasible == (not over.any()), "feasible but an owner over capacity"
    assert (owners["below_seniority_after"] == 0).all(), "seniority broken after the moves"
    after = table["owner"].copy()
    moves = result.moves.set_index("customer_id")
    after.loc[moves.index] = moves["to_owner"]
    rank = {level: i for i, level in enumerate(params.seniority_order)}
    level = owners["seniority"].map(rank)
    need = table["grade"].map({k: rank[p.seniority] for k, p in params.tiers.items()})
    held = after.map(level)
    graded = need.notna() & after.notna()
    assert (held[graded].astype(int) >= need[graded].astype(int)).all(), "seniority broken"


def bench_assignment(sizes: list[tuple[int, int, float]], repeats: int) -> None:
    """Part (b): print the timings of propose_reassignment."""
    print(f"### (b) propose_reassignment (median and min of {repeats})")
    print()
    print(
        "| customers | owners | spare capacity | groups (tier x owner) | median s | min s | "
        "median CPU s | status | moves | below seniority before | over capacity before / after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|")
    for n, n_owners, room in sizes:
        table, params = assign_owners(graded_table(n, seed=1), n_owners, seed=1, room=room)
        policies = tier_policies(list(table["grade"].cat.categories), params)
        seconds, cpu, statuses, result = [], [], [], None
        for _ in range(repeats):
            started = time.process_time()
            took, result = timed(
                lambda table=table, params=params, policies=policies: ca.propose_reassignment(
                    table, table["grade"], policies, params
                )
            )
            cpu.append(time.process_time() - started)
            seconds.append(took)
            statuses.append(result.status)
            check(result, table, params)
        owners = result.owners
        graded = table["grade"].notna() & table["owner"].notna()
        groups = table[graded].groupby(["grade", "owner"], observed=True).ngroups
        status = ", ".join(f"{k} {v}" for k, v in pd.Series(statuses).value_counts().items())
        print(
            f"| {n:,} | {n_owners:,} | {room:.0%} | {groups:,} | "
            f"{statistics.median(seconds):.3f} | {min(seconds):.3f} | "
            f"{statistics.median(cpu):.3f} | {status} | {len(result.moves):,} | "
            f"{int(owners['below_seniority_before'].sum()):,} | "
            f"{int(owners['over_capacity_before'].sum())} / "
            f"{int(owners['over_capacity_after'].sum())} |"
        )
    print()
    print(f"peak memory {peak_mib():,.0f} MiB")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--owners", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--assign",
        nargs="*",
        default=["10000:100", "10000:100:0.2", "100000:500", "100000:500:0.2"],
        help="N:M or N:M:SPARE (customers, owners, spare capacity; default 0.05)",
    )
    parser.add_argument("--assign-repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"scipy {__import__('scipy').__version__}; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print()
    if args.customers:
        bench_policies(args.customers, args.owners, args.repeats)
    sizes = [
        (int(n), int(m), float(rest[0]) if rest else 0.05)
        for n, m, *rest in (size.split(":") for size in args.assign)
    ]
    if sizes:
        bench_assignment(sizes, args.assign_repeats)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
