"""Profile cards: who gets one, in which order, and what a card shows (escaped)."""

import pandas as pd

import custanalytics as ca
from custanalytics.profiles import profile_reasons, profiled_customers
from custanalytics.report._cards import profile_cards_html

TABLE = pd.DataFrame(
    {
        "grade": pd.Categorical(["A", "A", "B", "C", "A"], categories=["A", "B", "C"]),
        "lifecycle_stage": ["active", "at_risk", "at_risk", "churned", "active"],
        "revenue": [500.0, 900.0, 300.0, 50.0, 500.0],
        "clv": [100.0, 50.0, 20.0, 1.0, 100.0],
    },
    index=pd.Index(["e", "b", "c", "d", "a"], name="customer_id"),
)


def test_reasons_by_hand():
    reasons = profile_reasons(TABLE, "A")
    assert reasons.astype(object).fillna("none").to_dict() == {
        "e": "top_tier",
        "b": "top_tier_at_risk",
        "c": "at_risk",
        "d": "none",
        "a": "top_tier",
    }
    without_tiers = profile_reasons(TABLE, None).astype(object).fillna("none")
    assert without_tiers.to_dict() == {
        "e": "none",
        "b": "at_risk",
        "c": "at_risk",
        "d": "none",
        "a": "none",
    }


def test_cards_are_ordered_by_clv_then_revenue_then_id():
    reasons = profile_reasons(TABLE, "A")
    top = reasons[reasons.isin(["top_tier", "top_tier_at_risk"])]
    # a and e tie on CLV and revenue: the id decides, so the order never depends on row order
    assert profiled_customers(TABLE, top, 10) == ["a", "e", "b"]
    assert profiled_customers(TABLE, top, 2) == ["a", "e"]
    assert profiled_customers(TABLE.drop(columns="clv"), top, 10) == ["b", "a", "e"]


def test_a_card_escapes_what_comes_from_the_data():
    table = TABLE.assign(name=["<script>x</script>", "b", "c", "d", "a"], need="a & b")
    record = ca.analysis.ProfilesRecord(
        top_level="A",
        top_tier=["e"],
        at_risk=[],
        totals={"top_tier": 3, "at_risk": 2},
        facts=["grade", "revenue", "clv"],
        attributes=["need"],
        name="name",
        owner=None,
    )
    html = profile_cards_html(table, ["e"], record, {"A": "Key accounts"}, "en", currency="¥")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &amp; b" in html and "Key accounts" in html and "¥500" in html


def test_section_on_the_b2b_demo():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    record = result.section("profiles")
    customers = result.customers
    top = customers["grade"] == "A"
    risk = customers["lifecycle_stage"] == "at_risk"
    assert record.totals == {"top_tier": int(top.sum()), "at_risk": int(risk.sum())}
    assert len(record.top_tier) == 10 and set(record.top_tier) <= set(customers.index[top])
    clv = customers.loc[record.top_tier, "clv"]
    assert clv.is_monotonic_decreasing
    assert clv.min() >= customers.loc[top, "clv"].nlargest(10).min()
    assert record.name == "客户名称" and record.owner == "销售负责人"
    assert "客户名称" not in record.attributes and "行业" in record.attributes
    flagged = customers["profile_reason"].notna()
    assert flagged.sum() == (top | risk).sum(), "every card's customer is flagged for the exports"


def test_unknown_field_makes_the_section_say_why():
    params = ca.load_params("params/b2b_demo_zh.yaml").to_dict()
    record = ca.analyse(params | {"profiles": {"fields": ["需求"]}}).section("profiles")
    assert record.reason == "section_failed"
    assert "profiles.fields names '需求'" in record.detail["error"]
    assert "customer master does not have" in record.detail["error"]
