"""The interactions table: loading and cleaning, join coverage, last contact, visit compliance.

Every expected number is worked out by hand from the small fixtures written here.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.data import interaction_coverage
from custanalytics.datasets import load_b2b_demo, load_b2b_demo_interactions
from custanalytics.params import TierPolicy
from custanalytics.policy import contact_history, contact_plan, visit_compliance

AS_OF = dt.date(2024, 6, 30)
COLUMNS = {"customer": "客户编号", "date": "日期", "owner": "销售负责人", "type": "联系方式"}
#: A CRM export: GBK, day-first dates, ids written as floats, a duplicate, a row without an
#: id, a row after as-of and an owner with spaces around the name.
CRM_ROWS = [
    ("05/03/2024", "93.0", "张伟", "拜访"),
    ("13/03/2024", "94.0", "李娜", "电话"),
    ("13/03/2024", "94.0", "李娜", "电话"),
    ("20/03/2024", "", "张伟", "微信"),
    ("02/04/2024", "93.0", " 张伟 ", "邮件"),
    ("15/07/2024", "93.0", "张伟", "拜访"),
]


def steps(quality) -> list[tuple[str, int, str]]:
    return [(s.check, s.rows, s.action) for s in quality.steps]


def crm_frame() -> pd.DataFrame:
    return pd.DataFrame(CRM_ROWS, columns=["日期", "客户编号", "销售负责人", "联系方式"])


def test_gbk_csv_with_chinese_columns_day_first_dates_and_counted_cleaning(tmp_path):
    path = tmp_path / "拜访记录.csv"
    crm_frame().to_csv(path, index=False, encoding="gbk")
    loaded = ca.load_interactions(path, as_of=AS_OF, **COLUMNS)
    assert loaded.quality.source == f"{path} (gb18030, separator ',')"
    assert steps(loaded.quality) == [
        ("duplicate_rows", 1, "dropped"),
        ("dates_day_first", 5, "kept"),
        ("missing_customer_id", 1, "dropped"),
        ("after_as_of", 1, "dropped"),
    ]
    assert (loaded.quality.rows_read, loaded.quality.rows_kept, len(loaded)) == (6, 3, 3)
    assert loaded.quality.steps[0].amount is None, "no amounts in an interactions table"
    rows = loaded.to_pandas()
    assert rows["customer_id"].tolist() == ["93", "93", "94"]  # never "93.0"
    assert rows["date"].tolist() == [
        pd.Timestamp(d) for d in ("2024-03-05", "2024-04-02", "2024-03-13")
    ]
    assert rows["owner"].tolist() == ["张伟", "张伟", "李娜"]
    assert rows["type"].tolist() == ["拜访", "邮件", "电话"]


def test_sql_source_gives_the_same_rows_and_record(tmp_path):
    database = tmp_path / "crm.duckdb"
    with duckdb.connect(str(database)) as con:
        frame = crm_frame()  # noqa: F841 (read by DuckDB by name)
        con.execute("CREATE TABLE visits AS SELECT * FROM frame")
    from_sql = ca.load_interactions(f"duckdb:///{database}", table="visits", as_of=AS_OF, **COLUMNS)
    from_frame = ca.load_interactions(crm_frame(), as_of=AS_OF, **COLUMNS)
    pd.testing.assert_frame_equal(from_sql.to_pandas(), from_frame.to_pandas())
    assert steps(from_sql.quality) == steps(from_frame.quality)


def test_owner_and_type_are_optional_and_then_missing():
    loaded = ca.load_interactions(crm_frame(), customer="客户编号", date="日期", as_of=AS_OF)
    rows = loaded.to_pandas()
    assert list(rows.columns) == ["customer_id", "date", "owner", "type"]
    assert rows["owner"].isna().all() and rows["type"].isna().all()
    # without the owner and type columns mapped, the duplicate is still a duplicate
    assert steps(loaded.quality)[0] == ("duplicate_rows", 1, "dropped")


def test_missing_column_names_the_column_the_role_and_the_closest():
    with pytest.raises(ca.DataError) as info:
        ca.load_interactions(crm_frame(), **(COLUMNS | {"owner": "负责人"}))
    message = str(info.value)
    assert "interactions: column '负责人' (mapped as owner=) not found" in message
    assert "Closest match: '销售负责人'" in message


def test_unparsable_dates_stop_with_examples_or_are_dropped_and_counted():
    rows = crm_frame()
    rows.loc[1, "日期"] = "next Tuesday"
    with pytest.raises(ca.DataError, match="column '日期': 1 value"):
        ca.load_interactions(rows, as_of=AS_OF, **COLUMNS)
    loaded = ca.load_interactions(rows, as_of=AS_OF, invalid_dates="drop", **COLUMNS)
    assert ("unparsable_dates", 1, "dropped") in steps(loaded.quality)
    assert loaded.quality.rows_kept == 3  # 94's duplicate is no longer a duplicate, and kept


def test_duplicates_can_be_kept():
    loaded = ca.load_interactions(crm_frame(), as_of=AS_OF, duplicates="keep", **COLUMNS)
    assert "duplicate_rows" not in [s.check for s in loaded.quality.steps]
    assert loaded.quality.rows_kept == 4


# --- join coverage ----------------------------------------------------------------------------


def _transactions(ids: list[str]) -> ca.Transactions:
    frame = pd.DataFrame({"c": ids, "d": ["2024-01-01"] * len(ids), "a": [1.0] * len(ids)})
    return ca.load_transactions(frame, customer="c", date="d", amount="a")


def _interactions(ids: list[str]) -> ca.Interactions:
    frame = pd.DataFrame({"c": ids, "d": [f"2024-02-{i + 1:02d}" for i in range(len(ids))]})
    return ca.load_interactions(frame, customer="c", date="d")


def test_unknown_customers_are_counted_with_examples():
    master = ca.load_customers(pd.DataFrame({"id": ["A", "B", "P"]}), customer="id")
    coverage = interaction_coverage(
        _interactions(["A", "P", "P", "X", "X", "Y"]), _transactions(["A", "B"]), master
    )
    assert (coverage.customers, coverage.matched, coverage.unknown) == (4, 2, 2)
    assert coverage.unknown_rows == 3 and coverage.unknown_examples == ("X", "Y")
    assert coverage.to_dict()["matched_share"] == 0.5


def test_implausible_overlap_is_an_error_naming_the_fix():
    with pytest.raises(ca.DataError) as info:
        interaction_coverage(_interactions(["1", "2", "3"]), _transactions(["001", "002"]))
    message = str(info.value)
    assert "name 3 customers, of whom only 0 (0%) are in the transactions" in message
    assert "'1', '2', '3'" in message and "'001', '002'" in message
    assert "leading zeros" in message


# --- last contact and compliance, by hand -----------------------------------------------------


def test_contact_history_counts_the_period_and_the_kinds_that_count():
    frame = pd.DataFrame(
        {
            "c": ["a", "a", "a", "a", "b"],
            "d": [
                "2024-05-31 23:00",  # the day before the 30-day period
                "2024-06-01 09:00",  # its first day
                "2024-06-30 23:59",  # as-of, its last day
                "2024-07-01 08:00",  # after as-of: left out
                "2024-03-10 10:00",
            ],
            "o": ["x", "x", "y", "x", "x"],
            "t": ["visit", "visit", "call", "visit", "email"],
        }
    )
    loaded = ca.load_interactions(frame, customer="c", date="d", owner="o", type="t")
    per_customer, per_owner = contact_history(loaded, as_of=AS_OF, period_days=30)
    assert per_customer.to_dict("index") == {
        "a": {"last_interaction": pd.Timestamp("2024-06-30"), "contacts": 2},
        "b": {"last_interaction": pd.Timestamp("2024-03-10"), "contacts": 0},
    }
    assert per_owner.to_dict() == {"x": 1, "y": 1}
    visits, by_owner = contact_history(loaded, as_of=AS_OF, period_days=30, contact_types=["visit"])
    assert visits.to_dict("index") == {
        "a": {"last_interaction": pd.Timestamp("2024-06-01"), "contacts": 1}
    }
    assert by_owner.to_dict() == {"x": 1}


def test_last_contact_is_the_latest_interaction_else_the_last_purchase():
    customers = pd.DataFrame(
        {"last_purchase": pd.to_datetime(["2024-06-01", "2024-06-01", "2024-06-01", None])},
        index=["later", "earlier", "none", "prospect"],
    )
    tiers = pd.Series({"later": "A", "earlier": "A", "none": "A", "prospect": None})
    contacts = pd.Series(
        {"later": pd.Timestamp("2024-06-20"), "earlier": pd.Timestamp("2024-05-01")}
    )
    plan = contact_plan(customers, tiers, {"A": TierPolicy(14)}, as_of=AS_OF, last_contact=contacts)
    assert plan["last_contact"].tolist()[:3] == [
        pd.Timestamp("2024-06-20"),  # an interaction after the purchase
        pd.Timestamp("2024-05-01"),  # the interaction, though a purchase came later
        pd.Timestamp("2024-06-01"),  # no interaction: the last purchase
    ]
    assert plan["last_contact_source"].tolist()[:3] == ["interaction", "interaction", "purchase"]
    assert plan["contact_overdue_days"].tolist()[:3] == [0.0, 46.0, 15.0]
    assert plan.loc["prospect", ["last_contact", "last_contact_source"]].isna().all()
    without = contact_plan(customers, tiers, {"A": TierPolicy(14)}, as_of=AS_OF)
    assert without["last_contact_source"].tolist()[:3] == ["purchase"] * 3


def test_visit_compliance_per_tier_and_per_owner_by_hand():
    customers = pd.DataFrame(
        {
            "first_purchase": pd.to_datetime(
                ["2024-01-01", "2024-06-21", "2024-02-01", "2024-03-01", None]
            ),
            "owner": ["x", "y", "x", None, "y"],
        },
        index=["a", "b", "c", "d", "p"],
    )
    tiers = pd.Series({"a": "A", "b": "A", "c": "B", "d": "B", "p": None})
    policies = {"A": TierPolicy(10), "B": TierPolicy(30), "C": TierPolicy(90)}
    contacts = pd.Series({"a": 5, "c": 2, "p": 3})
    options = {"as_of": AS_OF, "period_days": 30}
    by_tier = visit_compliance(customers, tiers, policies, contacts, **options)
    # a: 30 days / 10 = 3 required, 5 made, 3 credited; b: first purchase 21 June, 10 days
    # -> 1 required, none made; c and d: 30 / 30 = 1 each, c made 2 (1 credited), d none
    assert by_tier.to_dict("index") == {
        "A": {
            "customers": 2,
            "contacts_required": 4.0,
            "contacts_made": 5,
            "compliance": 0.75,
            "never_contacted": 1,
        },
        "B": {
            "customers": 2,
            "contacts_required": 2.0,
            "contacts_made": 2,
            "compliance": 0.5,
            "never_contacted": 1,
        },
        "C": {
            "customers": 0,
            "contacts_required": 0.0,
            "contacts_made": 0,
            "compliance": pytest.approx(np.nan, nan_ok=True),
            "never_contacted": 0,
        },
    }
    by_owner = visit_compliance(
        customers, tiers, policies, contacts, by=customers["owner"], **options
    )
    # x holds a and c: 4 required, 7 made, 4 credited; y holds b; d has no owner; p no tier
    assert by_owner["compliance"].to_dict() == {"x": 1.0, "y": 0.0}
    assert by_owner["contacts_made"].to_dict() == {"x": 7, "y": 0}
    assert by_owner["never_contacted"].to_dict() == {"x": 0, "y": 1}


# --- the analysis -----------------------------------------------------------------------------


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def tiny(tmp_path):
    """Three buyers graded A, B, C by revenue (200, 20, 2), a prospect, and their contacts."""
    transactions = _write(
        tmp_path / "orders.csv",
        "cust,day,value\nc1,2024-01-10,100\nc1,2024-05-20,100\nc2,2024-02-01,20\nc3,2024-06-25,2\n",
    )
    master = _write(tmp_path / "master.csv", "id,owner\nc1,张伟\nc2,李娜\nc3,张伟\np1,李娜\n")
    interactions = _write(
        tmp_path / "contacts.csv",
        "day,cust,by,kind\n"
        "2024-06-05,c1,张伟,拜访\n2024-06-15,c1,李娜,电话\n2024-06-25,c1,张伟,拜访\n"
        "2024-06-26,c1,张伟,微信\n2024-01-15,c2,李娜,拜访\n2024-06-10,c9,王磊,电话\n"
        "2024-07-02,c2,李娜,拜访\n",
    )
    return {
        "title": "tiny",
        "as_of": AS_OF.isoformat(),
        "transactions": {
            "source": transactions,
            "customer": "cust",
            "date": "day",
            "amount": "value",
        },
        "customers": {"source": master, "customer": "id"},
        "interactions": {
            "source": interactions,
            "customer": "cust",
            "date": "day",
            "owner": "by",
            "type": "kind",
        },
        "policies": {
            "owner": "owner",
            "compliance_days": 30,
            "tiers": {
                "A": {"cadence_days": 10},
                "B": {"cadence_days": 30},
                "C": {"cadence_days": 90},
            },
        },
        "migration": {"enabled": False},
        "segments": {"enabled": False},
    }


def test_analysis_with_interactions_by_hand(tiny, tmp_path):
    result = ca.analyse(tiny)
    quality = result.section("data_quality")
    assert steps(quality.interactions) == [("after_as_of", 1, "dropped")]
    coverage = quality.interaction_coverage
    assert (coverage.customers, coverage.unknown, coverage.unknown_examples) == (3, 1, ("c9",))
    table = result.customers
    assert table.loc[["c1", "c2", "c3"], "grade"].tolist() == ["A", "B", "C"]
    assert pd.isna(table.loc["p1", "grade"])
    assert table.loc["c1", "last_contact"] == pd.Timestamp("2024-06-26")
    assert table.loc["c2", "last_contact"] == pd.Timestamp("2024-01-15"), "before its purchase"
    assert table.loc["c3", "last_contact"] == pd.Timestamp("2024-06-25"), "its purchase"
    sources = table["last_contact_source"]
    assert sources[["c1", "c2", "c3"]].tolist() == ["interaction", "interaction", "purchase"]
    assert pd.isna(sources["p1"]), "a prospect has no tier, so no policy"
    assert table.loc["c2", "contact_overdue_days"] == 137  # due 14 February
    policy = result.section("policies")
    assert policy.contact_sources == {"interaction": 2, "purchase": 1}
    compliance = policy.compliance
    assert (compliance.period_start, compliance.period_end) == (dt.date(2024, 6, 1), AS_OF)
    # c1: 3 required (30 / 10), 4 made, 3 credited; c2: 1 required, none in the period;
    # c3: first purchase 25 June, 6 days / 90 required, none made
    required = 3 + 1 + 6 / 90
    assert compliance.total["contacts_required"] == pytest.approx(required)
    assert compliance.total["contacts_made"] == 4
    assert compliance.total["compliance"] == pytest.approx(3 / required)
    assert compliance.total["never_contacted"] == 2
    assert compliance.by_tier["compliance"].tolist() == pytest.approx([1.0, 0.0, 0.0])
    owners = compliance.by_owner
    assert list(owners.index) == ["张伟", "李娜", "王磊"]  # 王磊 logged a contact, holds none
    assert owners.loc["张伟", "compliance"] == pytest.approx(3 / (3 + 6 / 90))
    assert owners.loc["李娜", "compliance"] == 0.0
    assert owners["contacts_logged"].to_dict() == {"张伟": 3, "李娜": 1, "王磊": 1}
    assert owners.loc["王磊", "customers"] == 0 and np.isnan(owners.loc["王磊", "compliance"])
    figures = json.loads(json.dumps(result.metrics(), allow_nan=False))["metrics"]
    assert figures["visit_compliance"] == pytest.approx(3 / required)
    assert figures["interaction_coverage"]["unknown_rows"] == 1
    assert figures["last_contact_sources"] == {"interaction": 2, "purchase": 1}
    result.save(tmp_path / "saved")
    again = ca.TieringResult.load(tmp_path / "saved")
    pd.testing.assert_frame_equal(again.section("policies").compliance.by_owner, owners)


def test_contact_types_restrict_what_counts(tiny):
    tiny["policies"]["contact_types"] = ["拜访", "上门"]
    result = ca.analyse(tiny)
    compliance = result.section("policies").compliance
    assert compliance.contact_types == ["拜访", "上门"]
    assert compliance.total["contacts_made"] == 2  # c1's two visits in June
    assert result.customers.loc["c1", "last_contact"] == pd.Timestamp("2024-06-25")
    (note,) = [n for n in result.section("policies").notes if n.code == "contact_types_not_found"]
    assert note.values["types"] == "上门" and "微信" in note.values["values"]


def test_analysis_without_interactions(tiny):
    del tiny["interactions"]
    result = ca.analyse(tiny)
    policy = result.section("policies")
    assert policy.compliance == ca.Unavailable("no_interactions")
    assert result.section("data_quality").interactions is None
    assert policy.contact_sources == {"interaction": 0, "purchase": 3}
    assert result.customers.loc["c2", "last_contact"] == pd.Timestamp("2024-02-01")
    assert "visit_compliance" not in result.metrics()["metrics"]


def test_contact_types_need_the_type_column(tiny):
    tiny["policies"]["contact_types"] = ["拜访"]
    del tiny["interactions"]["type"]
    with pytest.raises(ca.ParameterError, match="interactions.type"):
        ca.load_params(tiny)
    with pytest.raises(ca.ParameterError, match="policies.compliance_days"):
        ca.load_params(tiny | {"policies": {"compliance_days": 0}})


# --- the B2B demo -----------------------------------------------------------------------------


def test_demo_interactions_are_seeded_and_carry_what_cleaning_counts():
    log = load_b2b_demo_interactions(300, 60, as_of="2025-06-30", random_state=4)
    again = load_b2b_demo_interactions(300, 60, as_of="2025-06-30", random_state=4)
    pd.testing.assert_frame_equal(log, again)
    assert list(log.columns) == ["日期", "客户编号", "销售负责人", "联系方式"]
    assert set(log["联系方式"]) == {"拜访", "电话", "微信", "邮件"}
    assert log.duplicated().sum() == 6
    assert (log["日期"] >= pd.Timestamp("2025-07-01")).sum() == 2
    transactions, master = load_b2b_demo(300, 60, as_of="2025-06-30", random_state=4)
    assert (~log["客户编号"].isin(master["客户编号"])).sum() == 2
    assert log["日期"].min() >= pd.Timestamp("2024-06-30")
    # high-value customers are contacted more often than low-value ones
    revenue = transactions.groupby("客户编号")["金额"].sum()
    contacts = log.groupby("客户编号").size().reindex(revenue.index, fill_value=0)
    top = revenue >= revenue.quantile(0.9)
    bottom = revenue <= revenue.quantile(0.5)
    assert contacts[top].median() > 3 * contacts[bottom].median()
