"""Service policies: due dates per cadence, the work list order, owner workload."""

import datetime as dt

import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.params import PolicyParams, TierPolicy
from custanalytics.policy import contact_plan, owner_workload, tier_policies

AS_OF = dt.date(2024, 6, 30)


def test_presets_by_position_and_own_policies():
    params = PolicyParams(seniority_order=["junior", "mid", "senior"])
    policies = tier_policies(["A", "B", "C"], params)
    assert (policies["A"].cadence_days, policies["A"].channel, policies["A"].seniority) == (
        14,
        "visit",
        "senior",
    )
    assert policies["B"].cadence_days == 30 and policies["C"].channel == "automated"
    own = PolicyParams(tiers={"A": TierPolicy(7, None, "visit", "project")})
    assert tier_policies(["A", "B"], own)["A"].cadence_days == 7
    with pytest.raises(ca.DataError, match="level 'Z'"):
        tier_policies(["A"], PolicyParams(tiers={"Z": TierPolicy(7)}))


def test_due_dates_and_overdue_days_per_cadence():
    customers = pd.DataFrame(
        {"last_purchase": pd.to_datetime(["2024-06-20", "2024-05-01", "2024-06-30", None])},
        index=["a", "b", "c", "p"],
    )
    tiers = pd.Series({"a": "A", "b": "A", "c": "B", "p": None})
    policies = {"A": TierPolicy(14), "B": TierPolicy(30)}
    plan = contact_plan(customers, tiers, policies, as_of=AS_OF)
    assert plan.loc["a", "next_contact_due"] == pd.Timestamp("2024-07-04")
    assert plan.loc["a", "contact_overdue_days"] == 0
    assert plan.loc["b", "contact_overdue_days"] == 46  # due 2024-05-15
    assert plan.loc["c", "next_contact_due"] == pd.Timestamp("2024-07-30")
    assert pd.isna(plan.loc["p", "next_contact_due"])
    later = pd.Series({"b": pd.Timestamp("2024-06-25")})
    replanned = contact_plan(customers, tiers, policies, as_of=AS_OF, last_contact=later)
    assert replanned.loc["b", "last_contact"] == pd.Timestamp("2024-06-25"), "a later contact"


def test_workload_against_capacity_and_seniority():
    customers = pd.DataFrame(
        {"owner": ["x", "x", "x", "y"], "level": ["junior", "junior", "junior", "senior"]},
        index=["a", "b", "c", "d"],
    )
    tiers = pd.Series({"a": "A", "b": "A", "c": "B", "d": "B"})
    params = PolicyParams(
        owner="owner",
        seniority="level",
        seniority_order=["junior", "senior"],
        capacity={"junior": 4, "senior": 10},
    )
    policies = {"A": TierPolicy(14, "senior"), "B": TierPolicy(30, "junior")}
    table = owner_workload(customers, tiers, policies, params)
    per_month = 365.25 / 12
    assert table.loc["x", "contacts_per_month"] == pytest.approx(
        2 * per_month / 14 + per_month / 30
    )
    assert table.loc["x", "over_capacity"] and not table.loc["y", "over_capacity"]
    assert table.loc["x", "below_seniority"] == 2, "two top accounts with a junior owner"
    assert table[["accounts_A", "accounts_B"]].to_dict("index") == {
        "x": {"accounts_A": 2, "accounts_B": 1},
        "y": {"accounts_A": 0, "accounts_B": 1},
    }


def test_workload_seniority_from_the_first_row_that_gives_one():
    customers = pd.DataFrame(
        {
            "owner": pd.array([7, 7, 8, None], dtype=object),
            "level": [None, "senior", None, "junior"],
        },
        index=["a", "b", "c", "d"],
    )
    tiers = pd.Series({"a": "A", "b": "B", "c": "B", "d": "A"})
    params = PolicyParams(
        owner="owner",
        seniority="level",
        seniority_order=["junior", "senior"],
        capacity={"senior": 10, "default": 3},
    )
    policies = {"A": TierPolicy(14, "senior"), "B": TierPolicy(30, "junior")}
    table = owner_workload(customers, tiers, policies, params)
    assert list(table.index) == ["7", "8"], "owners as text; the customer without one left out"
    assert table["seniority"].tolist()[0] == "senior" and pd.isna(table.loc["8", "seniority"])
    assert table["capacity"].to_dict() == {"7": 10.0, "8": 3.0}, "no level: capacity.default"
    assert table["below_seniority"].to_dict() == {"7": 1, "8": 1}, "rows without a level"


def test_policy_section_on_the_b2b_demo():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    rec = result.section("policies")
    graded = result.customers["grade"].notna()
    assert result.customers.loc[graded, "next_contact_due"].notna().all()
    assert rec.workload["accounts"].sum() == graded.sum()
    listed = result.customers.loc[rec.worklist]
    overdue = listed["contact_overdue_days"] > 0
    assert overdue.is_monotonic_decreasing, "overdue contacts first"
    assert rec.worklist_total >= len(rec.worklist)
    # the demo's interactions give most last contacts and the visit compliance
    sources = result.customers.loc[graded, "last_contact_source"]
    assert (sources == "interaction").sum() == rec.contact_sources["interaction"] > graded.sum() / 2
    compliance = rec.compliance
    assert compliance.by_tier["customers"].sum() == graded.sum() == compliance.total["customers"]
    assert compliance.by_tier["contacts_made"].sum() == compliance.total["contacts_made"]
    owners = compliance.by_owner["compliance"]
    assert owners.max() > 0.8 and owners.min() < 0.3, "some owners keep the cadence, some do not"
    top = compliance.by_tier.index[0]
    assert compliance.by_tier.loc[top, "compliance"] == compliance.by_tier["compliance"].max()


def test_worklist_order_by_hand():
    from custanalytics.analysis._policy import _worklist

    table = pd.DataFrame(
        {
            "grade": pd.Categorical(["B", "A", "A", "B", "A"], categories=["A", "B"]),
            "revenue": [10.0, 5.0, 7.0, 99.0, 7.0],
        },
        index=["b1", "a1", "a2", "b2", "a3"],
    )
    plan = pd.DataFrame({"contact_overdue_days": [3.0, 0.0, 3.0, 0.0, 3.0]}, index=table.index)
    due = pd.Series([True, True, True, True, True]).to_numpy()
    # overdue before on time; then best tier, most overdue, highest revenue; ties keep order
    assert _worklist(table, plan, due) == ["a2", "a3", "b1", "a1", "b2"]
    assert _worklist(table, plan, due & [True, False, True, True, False]) == ["a2", "b1", "b2"]


def test_proposed_moves_fix_every_owner_on_the_b2b_demo():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    settings = ca.load_params("params/b2b_demo_zh.yaml").policies
    rec = result.section("policies")
    plan = rec.reassignment
    assert plan.feasible and plan.status == "optimal" and len(plan.moves) > 0
    assert rec.workload["over_capacity"].any() or rec.workload["below_seniority"].any()
    customers = result.customers
    moved = customers["proposed_owner"].notna()
    assert moved.sum() == len(plan.moves)
    assert set(customers.index[moved]) == set(plan.moves["customer_id"])
    # the owners after the moves: every one within capacity and senior enough
    after = customers.assign(
        **{settings.owner: customers["proposed_owner"].fillna(customers[settings.owner])}
    )
    seniority = customers.groupby(settings.owner)[settings.seniority].first()
    after[settings.seniority] = after[settings.owner].map(seniority)
    policies = tier_policies(["A", "B", "C"], settings)
    workload = owner_workload(after, after["grade"], policies, settings)
    assert not workload["over_capacity"].any()
    assert workload["below_seniority"].sum() == 0
    assert rec.metrics()["reassignment_moves"] == len(plan.moves)


def test_without_capacities_there_is_no_proposal_and_the_report_says_why():
    params = ca.load_params("params/b2b_demo_zh.yaml").to_dict()
    params["policies"]["capacity"] = {}
    rec = ca.analyse(params).section("policies")
    assert rec.reassignment is None
    assert "reassignment_needs_capacity" in [n.code for n in rec.notes]
    params["policies"]["capacity"] = {"初级": 30}  # the other levels have none
    rec = ca.analyse(params).section("policies")
    (note,) = [n for n in rec.notes if n.code == "reassignment_not_possible"]
    assert "policies.capacity" in note.values["error"]


def test_reassignment_text_counts_the_customers_left_out():
    import dataclasses

    from custanalytics.report._tables import reassignment_lines

    plan = ca.analyse("params/b2b_demo_zh.yaml").section("policies").reassignment
    assert len(reassignment_lines(plan, "en")) == 1, "nobody left out in the demo"
    lines = reassignment_lines(dataclasses.replace(plan, customers_without_owner=3), "en")
    assert "3 graded customers without an owner" in lines[-1]


def test_too_many_groups_for_a_report_give_a_note_not_a_slow_run(monkeypatch):
    from custanalytics.analysis import _policy

    monkeypatch.setattr(_policy, "REASSIGNMENT_MAX_GROUPS", 5)
    rec = ca.analyse("params/b2b_demo_zh.yaml").section("policies")
    assert rec.reassignment is None
    (note,) = [n for n in rec.notes if n.code == "reassignment_too_large"]
    assert note.values["limit"] == 5 and note.values["groups"] > 5
    assert rec.workload is not None, "the workload is still shown"
