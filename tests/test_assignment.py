"""Owner re-assignment: hand-solved cases, infeasibility, brute force and invariants."""

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.params import PolicyParams, TierPolicy
from custanalytics.policy import CAPACITY_TOLERANCE, DAYS_PER_MONTH, owner_workload

A = DAYS_PER_MONTH / 14  # contacts per month of a top-tier customer: 2.174
B = DAYS_PER_MONTH / 30  # of a second-tier customer: 1.015
C = DAYS_PER_MONTH / 90
POLICIES = {
    "A": TierPolicy(14, "senior", "visit", "project"),
    "B": TierPolicy(30, "junior", "phone", "relationship"),
}
MOVE_COLUMNS = ["customer_id", "tier", "from_owner", "to_owner", "reason", "contacts_per_month"]


def book(rows, levels, **params):
    """Customers from (id, tier, owner, revenue) rows; owners' levels from ``levels``."""
    frame = pd.DataFrame(rows, columns=["customer_id", "tier", "owner", "revenue"])
    frame = frame.set_index("customer_id")
    frame["level"] = frame["owner"].map(levels)
    settings = {
        "owner": "owner",
        "seniority": "level",
        "seniority_order": ["junior", "senior"],
        "capacity": {"junior": 5, "senior": 10},
        **params,
    }
    return frame, PolicyParams(**settings)


def propose(frame, params, policies=POLICIES, **kwargs):
    return ca.propose_reassignment(frame, frame["tier"], policies, params, **kwargs)


def moves_of(result):
    return [tuple(row) for row in result.moves[["customer_id", "from_owner", "to_owner"]].values]


def after(frame, params, result):
    """Owner per customer after the moves (None: moved to nobody)."""
    owner = frame[params.owner].astype(object).copy()
    for row in result.moves.itertuples():
        owner[row.customer_id] = None if pd.isna(row.to_owner) else row.to_owner
    return owner


def test_known_optimum_two_moves():
    # s1 (senior, 10) holds five A: 10.87, over; s2 (senior, 10) two A and a B: 5.36;
    # j (junior, 5) an A it may not hold and a B. The A of j must go to a senior, and s2 is the
    # only one with room; s1 must shed one A (it holds nothing else), to s2 as well (j is
    # junior): s2 ends at 9.71, s1 at 8.70, j at 1.01. No single move does, so 2 is optimal.
    rows = [(f"a{i}", "A", "s1", 100 + i) for i in range(5)]
    rows += [("b1", "A", "s2", 50), ("b2", "A", "s2", 60), ("b3", "B", "s2", 10)]
    rows += [("c1", "A", "j", 70), ("c2", "B", "j", 5)]
    frame, params = book(rows, {"s1": "senior", "s2": "senior", "j": "junior"})
    result = propose(frame, params)
    assert result.status == "optimal" and result.feasible
    assert list(result.moves.columns) == MOVE_COLUMNS
    assert moves_of(result) == [("c1", "j", "s2"), ("a0", "s1", "s2")], "lowest revenue of s1"
    assert list(result.moves["reason"]) == ["below_seniority", "over_capacity"]
    assert result.moves["contacts_per_month"].tolist() == pytest.approx([A, A])
    owners = result.owners
    assert owners["contacts_after"].to_dict() == pytest.approx(
        {"j": B, "s1": 4 * A, "s2": 4 * A + B}
    )
    assert owners["accounts_after"].to_dict() == {"j": 1, "s1": 4, "s2": 5}
    assert owners["over_capacity_before"].to_dict() == {"j": False, "s1": True, "s2": False}
    assert not owners["over_capacity_after"].any()
    assert owners["below_seniority_before"].to_dict() == {"j": 1, "s1": 0, "s2": 0}
    assert (owners["below_seniority_after"] == 0).all()
    assert owners[["moved_out", "moved_in"]].to_dict("index") == {
        "j": {"moved_out": 1, "moved_in": 0},
        "s1": {"moved_out": 1, "moved_in": 0},
        "s2": {"moved_out": 0, "moved_in": 2},
    }
    assert result.missing_capacity == 0 and result.missing_by_level == {}


def test_seniority_fixed_by_a_move_that_makes_room():
    # the A of junior j must go to senior s (capacity 3), who holds a B (1.01): with the A it
    # would carry 3.19, so the B moves to j (the only other owner) to make room
    rows = [("x", "A", "j", 100), ("y", "B", "s", 10)]
    frame, params = book(rows, {"j": "junior", "s": "senior"}, capacity={"junior": 5, "senior": 3})
    result = propose(frame, params)
    assert moves_of(result) == [("x", "j", "s"), ("y", "s", "j")]
    assert list(result.moves["reason"]) == ["below_seniority", "make_room"]
    assert result.feasible


def test_infeasible_reports_the_missing_capacity_and_still_fixes_seniority():
    # senior s (capacity 4) must hold both A (4.35): 0.35 contacts per month are missing at
    # the senior level whatever is done; the B stay with j
    rows = [("x", "A", "s", 100), ("y", "A", "j", 90), ("z", "B", "j", 10), ("w", "B", "j", 5)]
    frame, params = book(rows, {"j": "junior", "s": "senior"}, capacity={"junior": 10, "senior": 4})
    result = propose(frame, params)
    assert result.status == "optimal" and not result.feasible
    assert moves_of(result) == [("y", "j", "s")]
    assert result.missing_capacity == pytest.approx(2 * A - 4)
    assert result.missing_by_level == pytest.approx({"senior": 2 * A - 4})
    assert result.owners.loc["s", "missing_capacity"] == pytest.approx(2 * A - 4)
    assert result.owners.loc["s", "over_capacity_after"]


def test_missing_capacity_counts_whole_customers():
    # two seniors of capacity 3 and three A (6.52 in all, 6 of capacity): split customers
    # would lack 0.52, but one senior must carry two A, 4.35: 1.35 are missing
    rows = [("x", "A", "s1", 3), ("y", "A", "s1", 2), ("z", "A", "s1", 1)]
    rows += [("p", None, "s2", 0)]  # s2 holds only a customer without a tier
    frame, params = book(rows, {"s1": "senior", "s2": "senior"}, capacity={"senior": 3})
    result = propose(frame, params)
    assert result.missing_capacity == pytest.approx(2 * A - 3)
    assert moves_of(result) == [("z", "s1", "s2")], "one move; the lowest revenue"
    assert result.customers_without_tier == 1 and result.customers == 3


def test_a_tier_no_owner_may_hold_moves_to_nobody():
    params = {"seniority_order": ["junior", "senior", "manager"], "capacity": {"default": 10}}
    policies = {"A": TierPolicy(14, "manager"), "B": TierPolicy(30, "junior")}
    rows = [("x", "A", "s", 5), ("y", "A", "j", 4), ("z", "B", "j", 3)]
    frame, params = book(rows, {"j": "junior", "s": "senior"}, **params)
    result = propose(frame, params, policies)
    assert moves_of(result) == [("y", "j", None), ("x", "s", None)]
    assert result.moves["to_owner"].isna().all()
    assert result.customers_without_eligible_owner == 2 and not result.feasible
    assert result.missing_by_level == pytest.approx({"manager": 2 * A})
    assert result.owners["accounts_after"].to_dict() == {"j": 1, "s": 0}


def test_of_equally_few_moves_a_lower_tier_moves():
    # o2 carries an A, a B and two C (3.87 contacts) with room for 3.4: moving the A or the B
    # relieves it with one move each; the B moves, the top-tier customer stays
    rows = [("a", "A", "o2", 86), ("b", "B", "o2", 128), ("c1", "C", "o2", 1022)]
    rows += [("c2", "C", "o2", 366), ("d", "B", "o1", 66), ("e", "C", "o1", 97)]
    rows += [("f", "B", "o1", 173), ("g", "C", "o0", 358)]
    levels = dict.fromkeys(["o0", "o1", "o2"], "senior")
    frame, params = book(rows, levels, seniority_order=LEVELS, capacity={"senior": 3.4})
    result = propose(frame, params, THREE)
    assert [(m[0], m[1]) for m in moves_of(result)] == [("b", "o2")]
    assert result.moves["reason"].tolist() == ["over_capacity"] and result.feasible


def test_nothing_to_do_gives_no_moves():
    rows = [("x", "A", "s", 5), ("y", "B", "j", 4), ("z", "B", "s", 3)]
    frame, params = book(rows, {"j": "junior", "s": "senior"})
    result = propose(frame, params)
    assert result.moves.empty and list(result.moves.columns) == MOVE_COLUMNS
    assert result.status == "optimal" and result.feasible and result.missing_capacity == 0
    pd.testing.assert_series_equal(
        result.owners["contacts_after"], result.owners["contacts_before"], check_names=False
    )


def test_left_out_customers_and_owners_without_seniority_are_counted():
    rows = [
        ("x", "A", "n", 5),  # n has no seniority: may not hold A
        ("y", "B", "n", 4),  # ... but may hold B, which asks for none
        ("z", "A", None, 3),  # no owner
        ("p", None, "s", 0),  # no tier
        ("q", None, None, 0),
    ]
    policies = {"A": TierPolicy(14, "senior"), "B": TierPolicy(30, None)}
    frame, params = book(rows, {"s": "senior"}, capacity={"senior": 10, "default": 4})
    result = propose(frame, params, policies)
    assert (result.customers, result.customers_without_tier) == (2, 2)
    assert result.customers_without_owner == 1 and result.owners_without_seniority == 1
    assert moves_of(result) == [("x", "n", "s")]
    assert pd.isna(result.owners.loc["n", "seniority"])
    assert result.owners.loc["n", "capacity"] == 4, "capacity.default for owners without level"


def test_owner_capacity_wins_over_the_level():
    rows = [("x", "B", "j1", 5), ("y", "B", "j1", 4), ("z", "B", "j2", 3)]
    levels = {"j1": "junior", "j2": "junior"}
    frame, params = book(rows, levels, owner_capacity={"j1": 1.5})
    result = propose(frame, params)
    assert result.owners["capacity"].to_dict() == {"j1": 1.5, "j2": 5.0}
    assert moves_of(result) == [("y", "j1", "j2")], "the lower revenue leaves"
    workload = owner_workload(frame, frame["tier"], POLICIES, params)
    assert workload["capacity"].to_dict() == {"j1": 1.5, "j2": 5.0}
    assert workload["over_capacity"].to_dict() == {"j1": True, "j2": False}


def test_without_seniority_column_only_capacity_counts():
    rows = [("x", "A", "j", 5), ("y", "A", "j", 4), ("z", "B", "k", 3)]
    frame, _ = book(rows, {})
    params = PolicyParams(owner="owner", capacity={"default": 4})
    result = propose(frame.drop(columns="level"), params)
    assert not result.seniority_checked and "seniority" not in result.owners.columns
    assert moves_of(result) == [("y", "j", "k")]
    assert result.missing_by_level == {}


def test_value_none_moves_in_table_order_and_input_is_not_changed():
    rows = [(f"a{i}", "A", "s1", 100 - i) for i in range(5)] + [("b", "A", "s2", 1)]
    frame, params = book(rows, {"s1": "senior", "s2": "senior"})
    copy = frame.copy()
    assert moves_of(propose(frame, params, value=None)) == [("a0", "s1", "s2")]
    assert moves_of(propose(frame, params)) == [("a4", "s1", "s2")]
    pd.testing.assert_frame_equal(frame, copy)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"capacity": {"junior": 5}}, ca.ParameterError, "seniority level 'senior'"),
        ({"owner_capacity": {"nobody": 3}}, ca.ParameterError, "'nobody'"),
        ({"owner": None}, ca.ParameterError, "policies.owner"),
        ({"owner": "account_owner"}, ca.DataError, "'account_owner'"),
        ({"capacity": {"junior": -1, "senior": 3}}, ca.ParameterError, "0 or more"),
    ],
)
def test_bad_parameters_name_the_key(change, error, message):
    rows = [("x", "A", "s", 5), ("y", "B", "j", 4)]
    with pytest.raises(error, match=message):
        frame, params = book(rows, {"j": "junior", "s": "senior"}, **change)
        propose(frame, params)


def test_bad_data_is_named():
    rows = [("x", "A", "s", 5), ("y", "B", "j", 4)]
    frame, params = book(rows, {"j": "junior", "s": "boss"})
    with pytest.raises(ca.DataError, match="'boss'"):
        propose(frame, params)
    frame, params = book(rows, {"j": "junior", "s": "senior"})
    with pytest.raises(ca.DataError, match="tier without a policy, e.g. 'A'"):
        propose(frame, params, {"B": POLICIES["B"]})
    with pytest.raises(ca.DataError, match="must be numeric"):
        propose(frame.assign(revenue="x"), params)
    with pytest.raises(ca.ParameterError, match="time_limit"):
        propose(frame, params, time_limit=0)


# --- brute force and invariants on generated data -------------------------------------------

LEVELS = ["junior", "mid", "senior"]
THREE = {
    "A": TierPolicy(14, "senior"),
    "B": TierPolicy(30, "mid"),
    "C": TierPolicy(90, "junior"),
}


def generated(n, n_owners, seed, room=1.0):
    """Random customers, owners and capacities; the top level is always present."""
    rng = np.random.default_rng(seed)
    owners = [f"o{i}" for i in range(n_owners)]
    levels = dict(zip(owners, rng.choice(LEVELS, n_owners), strict=True))
    levels[owners[0]] = "senior"
    tiers = rng.choice(["A", "B", "C"], n, p=[0.3, 0.3, 0.4])
    frame = pd.DataFrame(
        {
            "tier": tiers,
            "owner": rng.choice(owners, n),
            "revenue": np.round(rng.lognormal(5, 1, n), 2),
        },
        index=pd.Index([f"c{i}" for i in range(n)], name="customer_id"),
    )
    frame["level"] = frame["owner"].map(levels)
    per_owner = frame["tier"].map({"A": A, "B": B, "C": C}).sum() / n_owners * room
    capacity = {
        level: round(per_owner * f, 1) for level, f in zip(LEVELS, (0.8, 1.0, 1.2), strict=True)
    }
    params = PolicyParams(
        owner="owner", seniority="level", seniority_order=LEVELS, capacity=capacity
    )
    return frame, params


def brute_force(frame, params):
    """Least overload and fewest moves over every assignment that respects seniority."""
    owners = sorted(frame["owner"].unique())
    level = frame.groupby("owner")["level"].first()
    rank = {s: i for i, s in enumerate(params.seniority_order)}
    load = frame["tier"].map({k: DAYS_PER_MONTH / p.cadence_days for k, p in THREE.items()})
    need = frame["tier"].map({k: rank[p.seniority] for k, p in THREE.items()}).to_numpy()
    capacity = np.array([params.capacity[level[o]] for o in owners])
    owner_rank = np.array([rank[level[o]] for o in owners])
    now = np.array([owners.index(o) for o in frame["owner"]])
    best = (np.inf, np.inf)
    for choice in itertools.product(range(len(owners)), repeat=len(frame)):
        choice = np.array(choice)
        if (owner_rank[choice] < need).any():
            continue
        held = np.bincount(choice, weights=load.to_numpy(), minlength=len(owners))
        overload = np.maximum(held - capacity, 0)
        overload = overload[overload > CAPACITY_TOLERANCE].sum()
        moves = int((choice != now).sum())
        if overload < best[0] - 1e-9 or (abs(overload - best[0]) <= 1e-9 and moves < best[1]):
            best = (overload, moves)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_fewest_moves_and_least_overload_as_brute_force(seed):
    frame, params = generated(6, 3, seed, room=[0.6, 1.0, 1.4][seed % 3])
    result = propose(frame, params, THREE)
    overload, moves = brute_force(frame, params)
    assert result.missing_capacity == pytest.approx(overload, abs=1e-9)
    assert len(result.moves) == moves
    assert result.feasible == (overload == 0)


def check_invariants(frame, params, result, policies, tiers=None):
    tier = (frame["tier"] if tiers is None else tiers).astype(object)
    rank = {s: i for i, s in enumerate(params.seniority_order)}
    owner = after(frame, params, result)
    graded = tier.notna() & frame[params.owner].notna()
    moved = result.moves.set_index("customer_id")
    assert moved.index.is_unique
    assert (frame.loc[moved.index, params.owner] == moved["from_owner"]).all()
    assert (moved["from_owner"] != moved["to_owner"]).all()
    level = owner[graded].map(result.owners["seniority"]).map(rank)
    need = tier[graded].map({k: rank[p.seniority] for k, p in policies.items()})
    assert (level >= need).all(), "seniority respected after the moves"
    load = tier[graded].map({k: DAYS_PER_MONTH / p.cadence_days for k, p in policies.items()})
    held = load.groupby(owner[graded]).sum().reindex(result.owners.index, fill_value=0)
    np.testing.assert_allclose(held, result.owners["contacts_after"], atol=1e-9)
    over = np.maximum(held - result.owners["capacity"], 0)
    over = over[over > CAPACITY_TOLERANCE]
    assert over.sum() == pytest.approx(result.missing_capacity, abs=1e-9)
    if result.feasible:
        assert (held <= result.owners["capacity"] + CAPACITY_TOLERANCE).all()
    out = moved.groupby("from_owner").size().reindex(result.owners.index, fill_value=0)
    into = moved.groupby("to_owner").size().reindex(result.owners.index, fill_value=0)
    owners = result.owners
    assert (owners["accounts_after"] == owners["accounts_before"] - out + into).all()
    assert (owners["moved_out"] == out).all() and (owners["moved_in"] == into).all()
    # the missing capacity is at least what the seniority levels lack even with split customers
    for k, level_name in enumerate(params.seniority_order):
        tiers = [t for t, p in policies.items() if rank[p.seniority] >= k]
        needed = load[tier[graded].isin(tiers)].sum()
        capacity = owners.loc[owners["seniority"].map(rank) >= k, "capacity"].sum()
        assert result.missing_capacity >= needed - capacity - 1e-9, level_name


@pytest.mark.parametrize(("seed", "room"), [(1, 1.15), (2, 1.3), (3, 0.9), (4, 1.05)])
def test_invariants_on_generated_books(seed, room):
    frame, params = generated(400, 12, seed, room)
    frame.loc[frame.index[:5], "owner"] = None
    frame.loc[frame.index[5:9], "tier"] = None
    result = propose(frame, params, THREE)
    assert result.status == "optimal"
    assert (result.customers_without_owner, result.customers_without_tier) == (5, 4)
    check_invariants(frame, params, result, THREE)
    lacking = result.missing_by_level
    assert sum(lacking.values()) == pytest.approx(result.missing_capacity)
    assert set(lacking) <= set(LEVELS)
    again = propose(frame, params, THREE)
    for field in dataclasses.fields(result):
        mine, other = getattr(result, field.name), getattr(again, field.name)
        if isinstance(mine, pd.DataFrame):
            pd.testing.assert_frame_equal(mine, other, check_exact=True)
        else:
            assert mine == other, field.name


def test_on_the_b2b_demo():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    customers = result.customers
    settings = ca.load_params("params/b2b_demo_zh.yaml").policies
    levels = list(customers["grade"].cat.categories)
    policies = ca.policy.tier_policies(levels, settings)
    proposal = ca.propose_reassignment(customers, customers["grade"], policies, settings)
    assert proposal.status == "optimal" and proposal.feasible
    workload = result.section("policies").workload
    before = proposal.owners.loc[workload.index]
    np.testing.assert_allclose(before["contacts_before"], workload["contacts_per_month"])
    assert (before["below_seniority_before"] == workload["below_seniority"]).all()
    assert before["over_capacity_before"].sum() == workload["over_capacity"].sum() > 0
    assert not proposal.owners["over_capacity_after"].any()
    check_invariants(customers, settings, proposal, policies, customers["grade"])
