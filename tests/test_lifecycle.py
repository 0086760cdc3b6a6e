"""Lifecycle stages on a hand-built log: each rule, its fallbacks and its boundaries."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.lifecycle import population_cycle

AS_OF = dt.date(2024, 12, 31)

#: customer → purchase days before as-of
HISTORY = {
    "A": [130, 100, 70, 40, 10],  # every 30 days, bought 10 days ago
    "B": [166, 136, 106, 76, 46],  # 46 days since: beyond 1.5 x 30 = 45
    "B_edge": [165, 135, 105, 75, 45],  # exactly 45: not beyond
    "C": [211, 181, 151, 121, 91],  # beyond max(p90 gap, 3 x 30) = 90
    "F": [800, 770, 5],  # came back after 765 days
    "D": [150],  # one purchase: the population rule
    "D2": [200],
    "D3": [400],
    "E": [30],  # first purchase 30 days ago
    "E_edge": [90],  # exactly new_days ago: still new
    "E_after": [91],
    "R": list(range(720, 0, -30)),  # monthly for two years
}


def transactions():
    rows = [
        (customer, AS_OF - dt.timedelta(days=d), 10.0)
        for customer, days in HISTORY.items()
        for d in days
    ]
    frame = pd.DataFrame(rows, columns=["customer", "day", "amount"])
    return ca.load_transactions(frame, customer="customer", date="day", amount="amount")


@pytest.fixture(scope="module")
def data():
    tx = transactions()
    customers = ca.summarize(tx, as_of=AS_OF)
    prospect = pd.DataFrame({"orders": [0], "frequency": [0], "revenue": [0.0]}, index=["P"])
    prospect.index.name = "customer_id"
    customers = pd.concat([customers, prospect])
    return customers, ca.purchase_cycles(tx)


def stages(data, **rules):
    customers, cycles = data
    table = ca.lifecycle(customers, cycles, as_of=AS_OF, rules=ca.LifecycleParams(**rules))
    return table["lifecycle_stage"].astype(str).to_dict(), table


def population_thresholds():
    gaps = np.concatenate([-np.diff(d) for d in HISTORY.values() if len(d) > 1]).astype(float)
    return gaps.mean() + gaps.std(ddof=1), gaps.mean() + 2 * gaps.std(ddof=1)


def test_population_cycle_pools_every_gap(data):
    gaps = np.concatenate([-np.diff(d) for d in HISTORY.values() if len(d) > 1]).astype(float)
    population = population_cycle(data[1])
    assert population.gaps == len(gaps)
    assert population.mean_days == pytest.approx(gaps.mean())
    assert population.sd_days == pytest.approx(gaps.std(ddof=1))


def test_own_cycle_rule(data):
    at_risk, churned = population_thresholds()
    assert 150 < at_risk < 200 < churned < 400  # the fixture's one-time buyers straddle them
    stage, table = stages(data)
    assert stage == {
        "A": "active",
        "B": "at_risk",
        "B_edge": "active",
        "C": "churned",
        "F": "reactivated",
        "D": "active",
        "D2": "at_risk",
        "D3": "churned",
        "E": "new",
        "E_edge": "new",
        "E_after": "active",
        "R": "active",
        "P": "prospect",
    }
    assert table.loc["B", "at_risk_after"] == 45 and table.loc["C", "churned_after"] == 90
    assert table.loc["D2", "at_risk_after"] == pytest.approx(at_risk)
    assert table.loc["B", "days_overdue"] == 16  # 46 days since, usual gap 30
    assert table.loc["A", "days_overdue"] == 0
    assert np.isnan(table.loc["P", "days_overdue"])


def test_fixed_rule_boundaries(data):
    stage, _ = stages(data, rule="fixed", at_risk_days=150, churned_days=300)
    assert stage["D"] == "active", "exactly at the threshold is not beyond it"
    assert stage["D2"] == "at_risk" and stage["D3"] == "churned"
    assert stage["C"] == "active" and stage["F"] == "reactivated"


def test_population_rule(data):
    stage, _ = stages(data, rule="population")
    assert stage["B"] == "active", "46 days is nothing against the population's cycle"
    assert stage["D2"] == "at_risk" and stage["D3"] == "churned"


def test_p_alive_rule_falls_back_for_one_time_buyers(data):
    customers, cycles = data
    customers = customers.assign(p_alive=1.0)
    customers.loc["A", "p_alive"] = 0.3
    customers.loc["R", "p_alive"] = 0.1
    table = ca.lifecycle(customers, cycles, as_of=AS_OF, rules=ca.LifecycleParams(rule="p_alive"))
    stage = table["lifecycle_stage"].astype(str)
    assert stage["A"] == "at_risk" and stage["R"] == "churned"
    assert stage["C"] == "active", "P(alive) 1 beats the calendar for repeat buyers"
    assert stage["D3"] == "churned", "one-time buyers use the population rule"


def test_p_alive_rule_needs_the_column(data):
    customers, cycles = data
    with pytest.raises(ca.DataError, match="needs a p_alive column"):
        ca.lifecycle(customers, cycles, as_of=AS_OF, rules=ca.LifecycleParams(rule="p_alive"))


def test_purchase_patterns(data):
    _, table = stages(data)
    pattern = table["purchase_pattern"].astype(str)
    assert pattern["R"] == "regular", "monthly for two years"
    assert pattern["A"] == "occasional", "steady but only 130 days of tenure"
    assert pattern["F"] == "occasional", "long tenure, but an irregular rhythm"
    assert pattern["P"] == "potential"
    assert table.loc["R", "frequency_class"] == "high" and pd.isna(
        table.loc["P", "frequency_class"]
    )


def test_input_is_not_modified(data):
    customers, cycles = data
    before = customers.copy()
    ca.lifecycle(customers, cycles, as_of=AS_OF)
    pd.testing.assert_frame_equal(customers, before)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"at_risk_days": 400}, "'lifecycle.at_risk_days' must be positive and less than"),
        ({"churned_factor": 1.0}, "'lifecycle.churned_factor' must be larger than"),
        ({"population_sd": [2, 1]}, "'lifecycle.population_sd' must be two increasing"),
        ({"p_alive": [0.2, 0.5]}, "'lifecycle.p_alive' must be two decreasing"),
        ({"churned_quantile": 1.5}, "'lifecycle.churned_quantile' must be in"),
        ({"rule": "calendar"}, "'lifecycle.rule' must be one of"),
    ],
)
def test_thresholds_are_checked(settings, message):
    params = {"title": "t", "as_of": "2024-12-31", "transactions": {"source": "cdnow"}}
    with pytest.raises(ca.ParameterError, match=message):
        ca.load_params(params | {"lifecycle": settings})


def test_lifecycle_section_in_the_result():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    record = result.section("lifecycle")
    stages_ = result.customers["lifecycle_stage"].value_counts()
    assert record.stages["customers"].to_dict() == {s: stages_[s] for s in ca.LIFECYCLE_STAGES}
    assert record.stages["customer_share"].sum() == pytest.approx(1)
    assert record.stages["revenue"].sum() == pytest.approx(result.customers["revenue"].sum())
    revenue = result.customers.loc[record.at_risk, "revenue"]
    assert revenue.is_monotonic_decreasing
    assert (result.customers.loc[record.at_risk, "lifecycle_stage"] == "at_risk").all()


def test_stage_by_tier_adds_up_to_the_stages():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    record = result.section("lifecycle")
    matrix = record.stage_by_tier
    graded = result.customers["grade"].notna()
    assert matrix.to_numpy().sum() == graded.sum()
    stages = result.customers.loc[graded, "lifecycle_stage"].value_counts()
    assert matrix.sum(axis=1).to_dict() == {s: int(stages.get(s, 0)) for s in matrix.index}
    assert list(matrix.columns) == list(result.customers["grade"].cat.categories)
