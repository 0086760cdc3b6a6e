"""Discounts: the discount column's kinds, discount_share by hand, price sensitivity, the report."""

import numpy as np
import pandas as pd
import pytest
from test_data_loading import write_database
from test_report import ALLOWED_IN_CHINESE, english_words

import custanalytics as ca
from custanalytics.attributes import (
    PRICE_SENSITIVITY,
    UNCLASSIFIED,
    UNKNOWN,
    attribute_values,
    price_sensitivity,
)
from custanalytics.report import _views

AS_OF = "2024-01-31"


def log(discounts, **columns) -> pd.DataFrame:
    """One purchase of 10.0 per row, on consecutive days of one customer each."""
    n = len(discounts)
    frame = pd.DataFrame(
        {
            "客户": [f"c{i}" for i in range(n)],
            "日期": "2024-01-02",
            "金额": 10.0,
            "折扣": pd.Series(discounts, dtype=columns.pop("dtype", None)),
        }
    )
    return frame.assign(**columns)


def load(frame, kind, **options):
    options.setdefault("duplicates", "keep")
    return ca.load_transactions(
        frame,
        customer="客户",
        date="日期",
        amount="金额",
        discount="折扣",
        discount_kind=kind,
        as_of=AS_OF,
        **options,
    )


def discounted(transactions) -> list[bool]:
    rows = transactions.to_pandas().sort_values("customer_id", key=lambda c: c.str[1:].astype(int))
    return rows["discounted"].tolist()


def steps(transactions) -> dict[str, int]:
    return {s.check: s.rows for s in transactions.quality.steps}


# --- the discount column ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        ("amount", [12.5, 0.0, -3.0, None], [True, False, True, False]),
        ("amount", ["¥12.50", "0", "1,234.50", "", "(2.00)"], [True, False, True, False, True]),
        (
            "rate",
            ["10%", "0.1", "9折", "85折", "8.5折", "0", "0%", "", None, "10折"],
            [True, True, True, True, True, False, False, False, False, True],
        ),
        ("rate", [0.1, 0.0, 1.0, np.nan], [True, False, True, False]),
        ("percent", [10, 0, 15.5, 100], [True, False, True, True]),
        ("percent", ["10", "0", "5%", "9折"], [True, False, True, True]),
        (
            "flag",
            ["是", "否", "Y", "n", "TRUE", "false", "1", "0", "有", "无", " ", None, "Ｙｅｓ"],
            [True, False, True, False, True, False, True, False, True, False, False, False, True],
        ),
        ("flag", [1, 0, 1.0, None], [True, False, True, False]),
        ("flag", [True, False, None], [True, False, False]),
    ],
)
def test_each_kind_of_discount_column(kind, values, expected):
    frame = log(values)
    if kind == "flag" and values[0] is True:
        frame["折扣"] = frame["折扣"].astype("boolean")
    tx = load(frame, kind)
    assert discounted(tx) == expected
    empty = sum(
        v is None or (isinstance(v, float) and np.isnan(v)) or v in ("", " ") for v in values
    )
    assert steps(tx).get("discounts_missing", 0) == empty


def test_the_shares_read_from_text():
    from custanalytics.data._discounts import _read_text

    assert _read_text("9折", "rate", ".") == pytest.approx(0.1)
    assert _read_text("85折", "rate", ".") == pytest.approx(0.15)
    assert _read_text("8.5折", "rate", ".") == pytest.approx(0.15)
    assert _read_text("12.5%", "rate", ".") == pytest.approx(0.125)
    assert _read_text("12,5%", "rate", ",") == pytest.approx(0.125)
    assert _read_text("12.5", "percent", ".") == pytest.approx(0.125)


def test_decimal_comma_discounts():
    tx = load(log(["0,1", "10,5%", "0"]), "rate", decimal=",")
    assert discounted(tx) == [True, True, False]
    tx = load(log(["1.234,50", "0,00"]), "amount", decimal=",")
    assert discounted(tx) == [True, False]


def test_gbk_csv_with_a_chinese_discount_column(tmp_path):
    path = tmp_path / "订单.csv"
    log(["9折", "无折扣", "10%"]).to_csv(path, index=False, encoding="gbk")
    with pytest.raises(ca.DataError) as info:
        ca.load_transactions(
            path, customer="客户", date="日期", amount="金额", discount="折扣", discount_kind="rate"
        )
    message = str(info.value)
    assert "column '折扣'" in message and "1 value(s)" in message and "'无折扣'" in message
    path.write_bytes(log(["9折", "", "10%"]).to_csv(index=False).encode("gbk"))
    tx = ca.load_transactions(
        path, customer="客户", date="日期", amount="金额", discount="折扣", discount_kind="rate"
    )
    assert discounted(tx) == [True, False, True]


@pytest.mark.parametrize(
    ("kind", "values", "needles"),
    [
        ("rate", [10, 15, 0, 0.1], ["2 value(s)", "'10'", "'15'", "discount_kind: percent"]),
        ("rate", ["-5%", "0.1"], ["1 value(s)", "'-5%'", "between 0 and 1"]),
        ("percent", [150, 10], ["1 value(s)", "'150'", "between 0 and 100"]),
        ("flag", ["是", "maybe", "否", "也许"], ["2 value(s)", "'maybe'", "'也许'", "是/否"]),
        ("flag", [0.5, 1], ["1 value(s)", "'0.5'"]),
        ("amount", ["¥5", "five"], ["1 value(s)", "'five'"]),
    ],
)
def test_values_that_are_not_discounts_are_an_error_naming_the_column(kind, values, needles):
    with pytest.raises(ca.DataError) as info:
        load(log(values), kind)
    message = str(info.value)
    assert "column '折扣'" in message and "invalid_amounts: drop" in message
    for needle in needles:
        assert needle in message


def test_values_that_are_not_discounts_dropped_and_counted():
    tx = load(log([10, 0.2, 15, 0]), "rate", invalid_amounts="drop")
    step = next(s for s in tx.quality.steps if s.check == "unparsable_discounts")
    assert (step.rows, step.action, step.amount) == (2, "dropped", 20.0)
    assert tx.quality.rows_kept == 2 and tx.quality.revenue_kept == 20.0
    assert discounted(tx) == [True, False]


def test_a_boolean_column_is_a_flag():
    with pytest.raises(ca.DataError, match="set discount_kind: flag"):
        load(log([True, False]), "rate")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"discount": "折扣"}, "give discount"),
        ({"discount_kind": "rate"}, "give discount"),
        ({"discount": "折扣", "discount_kind": "share"}, "discount_kind must be one of"),
        ({"discount": "折后", "discount_kind": "rate"}, r"column '折后' \(mapped as discount=\)"),
    ],
)
def test_discount_options_are_checked(options, message):
    with pytest.raises((ca.ParameterError, ca.DataError), match=message):
        ca.load_transactions(log([0.1]), customer="客户", date="日期", amount="金额", **options)


def test_discount_parameters_come_together():
    base = {"title": "t", "as_of": AS_OF, "transactions": {"source": "x.csv", "discount": "折扣"}}
    with pytest.raises(ca.ParameterError, match="'transactions.discount_kind' must be given"):
        ca.load_params(base)
    base["transactions"]["discount_kind"] = "ratio"
    with pytest.raises(ca.ParameterError, match="transactions.discount_kind' must be one of"):
        ca.load_params(base)
    base["transactions"]["discount_kind"] = "flag"
    assert ca.load_params(base).transactions.discount_kind == "flag"


# --- discount_share by hand -------------------------------------------------------------------

#: customer, day, amount, discount (rate). Expected shares:
#: A: 100 on discount, 50 not -> 100 / 150.
#: B: 200 on discount, a return of 50 of it (carrying its discount) netted onto that day, then
#:    50 not on discount -> 150 / 200.
#: C: 100 on discount, a return of 40 written without the discount -> 100 / 60, clipped to 1.
#: D: two purchases of 40, one on discount, and a duplicate line of the other -> 40 / 120.
#: E: one purchase of 0.00 (a free sample, on discount): no positive spend -> NaN.
#: F: 30 not on discount, fully returned the same day: the day is dropped, F is no customer.
HAND_ROWS = [
    ("A", "2024-01-02", 100.0, "10%"),
    ("A", "2024-01-09", 50.0, ""),
    ("B", "2024-01-03", 200.0, "0.2"),
    ("B", "2024-01-05", -50.0, "0.2"),
    ("B", "2024-01-10", 50.0, "0"),
    ("C", "2024-01-04", 100.0, "9折"),
    ("C", "2024-01-06", -40.0, None),
    ("D", "2024-01-04", 40.0, "5%"),
    ("D", "2024-01-07", 40.0, "0"),
    ("D", "2024-01-07", 40.0, "0"),
    ("E", "2024-01-08", 0.0, "1"),
    ("F", "2024-01-08 10:00", 30.0, "0"),
    ("F", "2024-01-08 11:00", -30.0, "0"),
]
HAND_SHARES = {"A": 100 / 150, "B": 150 / 200, "C": 1.0, "D": 40 / 120, "E": np.nan}


def hand_log() -> pd.DataFrame:
    return pd.DataFrame(HAND_ROWS, columns=["客户", "日期", "金额", "折扣"])


def test_discount_share_by_hand():
    tx = load(hand_log(), "rate")
    assert steps(tx) == {"discounts_missing": 2, "returns": 3, "fully_returned_purchases": 2}
    summary = ca.summarize(tx, as_of=AS_OF)
    assert list(summary.index) == list(HAND_SHARES)
    np.testing.assert_allclose(summary["discount_share"], list(HAND_SHARES.values()))
    assert summary.loc["B", "revenue"] == 200.0
    # the share is a column of its own: without a discount column there is none
    plain = ca.load_transactions(
        hand_log(), customer="客户", date="日期", amount="金额", duplicates="keep"
    )
    assert "discount_share" not in ca.summarize(plain, as_of=AS_OF).columns


def test_discount_share_of_prospects_and_purchase_logs_is_missing():
    master = ca.load_customers(pd.DataFrame({"id": ["A", "Z"]}), customer="id")
    summary = ca.summarize(load(hand_log(), "rate"), as_of=AS_OF, customers=master)
    assert np.isnan(summary.loc["Z", "discount_share"])
    counts = ca.load_transactions(
        hand_log(), customer="客户", date="日期", discount="折扣", discount_kind="rate"
    )
    assert ca.summarize(counts, as_of=AS_OF)["discount_share"].isna().all()


@pytest.mark.parametrize("engine", ["sqlite", "duckdb"])
def test_sql_discounts_follow_the_dataframe_rules(tmp_path, engine):
    rows = hand_log()
    rows["折扣"] = (
        rows["折扣"]
        .map({"10%": 0.1, "9折": 0.1, "5%": 0.05, "": None})
        .fillna(pd.to_numeric(rows["折扣"], errors="coerce"))
    )
    rows["标记"] = np.where(rows["折扣"] > 0, "是", np.where(rows["折扣"].isna(), None, "否"))
    path = write_database(tmp_path / f"sales.{engine}", engine, rows)
    common = {"customer": "客户", "date": "日期", "amount": "金额", "as_of": AS_OF}
    for column, kind in (("折扣", "rate"), ("标记", "flag")):
        sql = ca.load_transactions(
            f"{engine}://{path}", table="sales", discount=column, discount_kind=kind, **common
        )
        frame = ca.load_transactions(rows, discount=column, discount_kind=kind, **common)
        assert steps(sql) == steps(frame)
        got = ca.summarize(sql, as_of=AS_OF)["discount_share"]
        expected = ca.summarize(frame, as_of=AS_OF)["discount_share"]
        pd.testing.assert_series_equal(got, expected)
        # D's duplicate line is dropped here (duplicates: drop): 40 / 80
        assert got["D"] == pytest.approx(0.5)
    rows.loc[0, "折扣"] = 10.0
    bad = write_database(tmp_path / f"bad.{engine}", engine, rows)
    with pytest.raises(ca.DataError, match=r"column '折扣': 1 value\(s\) .*'10\.0'"):
        ca.load_transactions(
            f"{engine}://{bad}", table="sales", discount="折扣", discount_kind="rate", **common
        )
    dropped = ca.load_transactions(
        f"{engine}://{bad}",
        table="sales",
        discount="折扣",
        discount_kind="rate",
        invalid_amounts="drop",
        **common,
    )
    step = next(s for s in dropped.quality.steps if s.check == "unparsable_discounts")
    assert (step.rows, step.amount) == (1, 100.0)


# --- price sensitivity ------------------------------------------------------------------------


def test_price_sensitivity_classes_and_boundaries():
    share = pd.Series([0.0, 0.1999, 0.2, 0.4999, 0.5, 1.0, np.nan], index=list("abcdefg"))
    classes = price_sensitivity(share, [0.2, 0.5])
    assert classes.astype(object).fillna("none").tolist() == [
        "low", "low", "medium", "medium", "high", "high", "none",
    ]  # fmt: skip
    assert list(classes.cat.categories) == list(PRICE_SENSITIVITY) and classes.cat.ordered
    assert classes.index.equals(share.index)


@pytest.mark.parametrize(
    "thresholds", [[0.5, 0.2], [0, 0.5], [0.2, 1], [0.2], [0.3, 0.3], [0.2, 0.5, 0.8], [-0.1, 0.5]]
)
def test_price_sensitivity_thresholds_are_checked(thresholds):
    params = {"title": "t", "as_of": AS_OF, "transactions": {"source": "cdnow"}}
    with pytest.raises(ca.ParameterError, match="'attributes.price_sensitivity' must be two"):
        ca.load_params(params | {"attributes": {"price_sensitivity": thresholds}})
    with pytest.raises(ca.ParameterError, match="strictly increasing"):
        price_sensitivity(pd.Series([0.1]), thresholds)


def test_a_scale_keeps_its_order_and_is_never_pooled():
    values = pd.Series(
        pd.Categorical(
            ["high"] * 5 + ["low"] * 2 + ["medium"] + [None],
            categories=PRICE_SENSITIVITY,
            ordered=True,
        )
    )
    groups = attribute_values(values, min_customers=3)
    assert list(groups.cat.categories) == ["low", "medium", "high", UNKNOWN]


@pytest.fixture(scope="module")
def b2b():
    return ca.analyse("params/b2b_demo_zh.yaml")


def test_price_sensitivity_in_the_b2b_demo_adds_up_to_the_tier_summary(b2b):
    record = b2b.section("attributes")
    assert record.attributes[-1] == "price_sensitivity"
    assert record.price_sensitivity == {
        "thresholds": [0.2, 0.5],
        "discount": "折扣",
        "discount_kind": "amount",
    }
    customers = b2b.customers
    expected = price_sensitivity(customers["discount_share"], [0.2, 0.5])
    pd.testing.assert_series_equal(customers["price_sensitivity"], expected)
    groups = record.groups[record.groups["attribute"] == "price_sensitivity"]
    assert list(groups["value"]) == [*PRICE_SENSITIVITY, UNKNOWN]
    unknown = groups.set_index("value").loc[UNKNOWN]
    assert unknown["customers"] == customers["discount_share"].isna().sum()
    assert unknown["buyers"] == 0  # every demo buyer has a positive net spend
    # the price-sensitivity groups add up to the tier summary: customers and revenue per tier
    grades = b2b.section("grades")
    summary = next(s for s in grades.schemes if s.name == grades.primary).summary
    mix = record.mix[
        (record.mix["attribute"] == "price_sensitivity") & (record.mix["by"] == "grade")
    ]
    per_tier = mix.groupby("class")["customers"].sum()
    for tier, count in summary["customers"].drop("total").items():
        assert per_tier[tier] == count
    assert groups["buyers"].sum() == summary.loc["total", "customers"]
    assert per_tier[UNCLASSIFIED] == len(customers) - summary.loc["total", "customers"]
    assert groups["customers"].sum() == len(customers)  # prospects included, as unknown
    np.testing.assert_allclose(groups["revenue"].sum(), customers["revenue"].sum())
    assert record.metrics()["price_sensitivity_customers"] == dict(
        zip(groups["value"][:3], groups["customers"][:3].astype(int), strict=True)
    )


def test_decision_style_crosstab_in_the_b2b_demo(b2b):
    record = b2b.section("attributes")
    cross = record.style_crosstab
    customers = b2b.customers
    spending = customers[customers["revenue"] > 0]
    assert record.decision_style == "决策风格"
    assert cross["customers"].sum() == len(spending)
    np.testing.assert_allclose(cross[list(PRICE_SENSITIVITY)].sum(axis=1), 1.0)
    price = spending[spending["决策风格"] == "价格导向"]
    by_hand = (price["revenue"] * price["discount_share"]).sum() / price["revenue"].sum()
    assert cross.loc["价格导向", "discount_share"] == pytest.approx(by_hand)
    # the demo draws discounts from the decision style: price-oriented buy on discount most
    assert cross["discount_share"].idxmax() == "价格导向"
    assert cross.loc["价格导向", "high"] > 2 * cross.loc["质量导向", "high"]


def test_exports_carry_the_discount_columns(b2b, tmp_path):
    from custanalytics.report import export_customers

    export_customers(b2b, tmp_path, formats=("csv", "xlsx"), lang="zh")
    csv = pd.read_csv(tmp_path / "customers.csv", encoding="utf-8-sig", index_col=0)
    assert {"discount_share", "price_sensitivity"} <= set(csv.columns)
    assert set(csv["price_sensitivity"].dropna()) == set(PRICE_SENSITIVITY)
    sheet = pd.read_excel(tmp_path / "customers.xlsx", sheet_name=1)
    assert {"折扣购买占比", "价格敏感度"} <= set(sheet.columns)
    assert set(sheet["价格敏感度"].dropna()) == {"低", "中", "高"}


def shown(show, result, lang, monkeypatch) -> str:
    """Run a view and return what it displayed (tables as HTML, Markdown as text)."""
    parts = []

    def collect(obj):
        if hasattr(obj, "to_html"):
            parts.append(obj.to_html())
        elif isinstance(getattr(obj, "data", None), str):
            parts.append(obj.data)

    with monkeypatch.context() as patch:
        patch.setattr(_views, "display", collect)
        show(result, lang)
    return "\n".join(parts)


def test_the_report_part_in_chinese_and_english(b2b, monkeypatch):
    zh = shown(_views.show_attributes, b2b, "zh", monkeypatch)
    assert "价格敏感度" in zh and "折扣列为“折扣”" in zh and "按折扣金额读取" in zh
    assert "低于 20% 为**低**" in zh and "50% 及以上为**高**" in zh
    assert "决策风格 × 价格敏感度" in zh and "组内消费额中折扣购买占比" in zh
    assert english_words(zh) <= ALLOWED_IN_CHINESE, "English left in the Chinese part"
    en = shown(_views.show_attributes, b2b, "en", monkeypatch)
    assert "**Low** below 20%" in en and "**high** 50% or more" in en
    assert "决策风格 x price sensitivity" in en and "Share of the group's spend on discount" in en


def test_price_sensitivity_without_a_customer_master(tmp_path, monkeypatch):
    from custanalytics.datasets import load_b2b_demo

    transactions, _ = load_b2b_demo(120, 0, random_state=1)
    path = tmp_path / "orders.csv"
    transactions.to_csv(path, index=False, encoding="gbk")
    mapping = {"source": str(path), "customer": "客户编号", "date": "下单时间", "amount": "金额"}
    mapping |= {"discount": "折扣", "discount_kind": "amount"}
    params = {"title": "t", "as_of": "2025-12-31", "transactions": mapping}
    result = ca.analyse(params | {"segments": {"enabled": False}})
    record = result.section("attributes")
    assert record.chosen_by == "none" and record.attributes == ["price_sensitivity"]
    assert record.groups["customers"].sum() == len(result.customers)
    assert record.style_crosstab is None
    text = shown(_views.show_attributes, result, "en", monkeypatch)
    assert "There is no customer master" in text and "Price sensitivity" in text
    # a decision style needs the master it lives in
    styled = params | {"attributes": {"decision_style": "决策风格"}}
    failed = ca.analyse(styled | {"segments": {"enabled": False}}).section("attributes")
    assert failed.reason == "section_failed" and "'决策风格'" in failed.detail["error"]


def test_a_purchase_log_with_discounts_says_why_there_is_no_price_sensitivity(tmp_path):
    path = tmp_path / "log.csv"
    hand_log().drop(columns="金额").to_csv(path, index=False)
    mapping = {"source": str(path), "customer": "客户", "date": "日期", "amount": None}
    mapping |= {"discount": "折扣", "discount_kind": "rate", "duplicates": "keep"}
    params = {"title": "t", "as_of": AS_OF, "transactions": mapping}
    record = ca.analyse(params).section("attributes")
    assert record.reason == "price_sensitivity_needs_amounts"
    assert record.detail == {"column": "折扣"}


def test_template_documents_the_discount_keys():
    from pathlib import Path

    text = (Path(__file__).parent.parent / "params" / "template.yaml").read_text(encoding="utf-8")
    for key in ("discount:", "discount_kind:", "price_sensitivity:", "decision_style:"):
        assert key in text, key
    for kind in ("amount", "rate", "percent", "flag"):
        assert kind in text
