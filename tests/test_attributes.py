"""Attribute cross-tabulations: hand-built groups, invariants, codes, and the section in a run."""

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.attributes import (
    OTHER,
    UNCLASSIFIED,
    UNKNOWN,
    attribute_tables,
    attribute_values,
    default_attribute_columns,
    top_class,
)


def customers():
    """Eight customers: two attributes, a value cell (missing for the prospects), a stage."""
    frame = pd.DataFrame(
        {
            "orders": [3, 1, 2, 5, 1, 0, 0, 4],
            "revenue": [300.0, 10.0, 50.0, 500.0, 20.0, 0.0, 0.0, 120.0],
            "industry": ["a", "a", "b", "b", None, "a", "c", "b"],
            "vip": [1, 0, 0, 1, 0, 0, np.nan, 1],
            "value_cell": [
                "value_customer",
                "low_value_customer",
                "low_value_customer",
                "value_customer",
                "low_value_customer",
                None,
                None,
                "secondary_value_customer",
            ],
        },
        index=pd.Index([f"k{i}" for i in range(8)], name="customer_id"),
    )
    frame["lifecycle_stage"] = pd.Categorical(
        ["active", "new", "at_risk", "active", "churned", "prospect", "prospect", "active"],
        categories=ca.LIFECYCLE_STAGES,
        ordered=True,
    )
    return frame


def test_groups_by_hand():
    tables = attribute_tables(customers(), ["industry"], ["value_cell", "lifecycle_stage"])
    groups = tables.groups.set_index("value")
    assert list(groups.index) == ["a", "b", "c", UNKNOWN]  # by count, unknown last
    assert groups["customers"].tolist() == [3, 3, 1, 1]
    assert groups["buyers"].tolist() == [2, 3, 0, 1]
    assert groups["prospects"].tolist() == [1, 0, 1, 0]
    assert groups["revenue"].tolist() == [310.0, 670.0, 0.0, 20.0]
    # value_customer: 2 of the 6 classified customers overall; group a: 1 of its 2 classified
    assert tables.top_classes == {"value_cell": "value_customer", "lifecycle_stage": "active"}
    assert groups.loc["a", "top_share_value_cell"] == pytest.approx(1 / 2)
    assert groups.loc["a", "index_value_cell"] == pytest.approx((1 / 2) / (2 / 6))
    assert groups.loc["b", "index_value_cell"] == pytest.approx((1 / 3) / (2 / 6))
    assert np.isnan(groups.loc["c", "index_value_cell"])  # only a prospect: nothing classified
    # active: 3 of 8 (every customer has a stage)
    assert groups.loc["b", "index_lifecycle_stage"] == pytest.approx((2 / 3) / (3 / 8))
    mix = tables.mix[(tables.mix["by"] == "value_cell") & (tables.mix["value"] == "a")]
    assert dict(zip(mix["class"], mix["customers"], strict=True)) == {
        "value_customer": 1,
        "secondary_value_customer": 0,
        "low_value_customer": 1,
        UNCLASSIFIED: 1,
    }
    # classes present, in their own order
    assert tables.class_order["lifecycle_stage"] == [
        "prospect",
        "new",
        "active",
        "at_risk",
        "churned",
    ]


def test_sums_equal_the_whole_base():
    table = customers()
    tables = attribute_tables(table, ["industry", "vip"], ["value_cell", "lifecycle_stage"])
    sums = tables.groups.groupby("attribute")[["customers", "buyers", "revenue"]].sum()
    assert (sums["customers"] == len(table)).all()
    assert (sums["buyers"] == (table["orders"] > 0).sum()).all()
    np.testing.assert_allclose(sums["revenue"], table["revenue"].sum())
    shares = tables.groups.groupby("attribute")[["customer_share", "revenue_share"]].sum()
    np.testing.assert_allclose(shares.to_numpy(), 1.0)
    mix = tables.mix.groupby(["attribute", "by", "value"])["share"].sum()
    np.testing.assert_allclose(mix.to_numpy(), 1.0)
    per_class = tables.mix.groupby(["attribute", "by", "class"])["customers"].sum()
    stages = table["lifecycle_stage"].value_counts()
    for stage in stages.index[stages > 0]:
        assert per_class["industry", "lifecycle_stage", stage] == stages[stage]


def test_numeric_codes_get_labels_and_missing_is_unknown():
    groups = attribute_values(customers()["vip"], labels={"1": "VIP", "0": "regular"})
    assert groups.value_counts().to_dict() == {"regular": 4, "VIP": 3, UNKNOWN: 1}
    assert list(groups.cat.categories) == ["regular", "VIP", UNKNOWN]
    floats = attribute_values(pd.Series([1.0, 2.5, None]))
    assert floats.tolist() == ["1", "2.5", UNKNOWN]
    blanks = attribute_values(pd.Series(["x", " ", "", None]))
    assert blanks.tolist() == ["x", UNKNOWN, UNKNOWN, UNKNOWN]


def test_rare_values_are_pooled():
    values = pd.Series(["a"] * 5 + ["b"] * 3 + ["c", "d", None])
    groups = attribute_values(values, min_customers=2)
    assert groups.value_counts().to_dict() == {"a": 5, "b": 3, OTHER: 2, UNKNOWN: 1}
    # a single rare value is kept under its own name
    single = attribute_values(pd.Series(["a"] * 5 + ["b"]), min_customers=2)
    assert set(single) == {"a", "b"}


def test_top_class_rules():
    table = customers()
    assert top_class(table, "value_cell") == "value_customer"
    table["grade"] = pd.Categorical(
        ["B", "C", "C", "A", "C", None, None, "B"], ["A", "B", "C"], ordered=True
    )
    assert top_class(table, "grade") == "A"
    table["cluster_name"] = ["x", "y", "y", "x", "y", None, None, "z"]
    assert top_class(table, "cluster_name") == "x"  # highest revenue per customer
    table["empty"] = None
    assert top_class(table, "empty") is None


def test_default_columns_skip_ids_numbers_and_constants():
    master = pd.DataFrame(
        {
            "name": [f"n{i}" for i in range(40)],
            "type": ["x", "y"] * 20,
            "size": range(40),
            "same": ["s"] * 40,
        }
    )
    assert default_attribute_columns(master, max_values=30) == ["type"]


def test_input_is_not_modified():
    table = customers()
    before = table.copy()
    attribute_tables(table, ["industry", "vip"], ["value_cell"], labels={"vip": {"1": "y"}})
    pd.testing.assert_frame_equal(table, before)


def test_no_class_columns_still_gives_groups():
    tables = attribute_tables(customers(), ["industry"], [])
    assert tables.mix.empty and tables.groups["customers"].sum() == 8


@pytest.fixture(scope="module")
def b2b():
    return ca.analyse("params/b2b_demo_zh.yaml")


def test_attributes_section_in_the_b2b_demo(b2b):
    record = b2b.section("attributes")
    assert "行业" in record.attributes and "客户名称" not in record.attributes
    assert record.classes[:1] == ["value_cell"] or "grade" in record.classes
    sums = record.groups.groupby("attribute")["customers"].sum()
    assert (sums == len(b2b.customers)).all()
    revenue = record.groups.groupby("attribute")["revenue"].sum()
    np.testing.assert_allclose(revenue, b2b.customers["revenue"].sum())
    # the value-matrix summary agrees with the mix of any attribute
    cells = record.mix[(record.mix["by"] == "value_cell") & (record.mix["attribute"] == "行业")]
    counts = cells.groupby("class")["customers"].sum()
    table = b2b.section("value_matrix").table["customers"]
    for cell, count in table.items():
        assert counts[cell] == count


def test_named_columns_and_labels(tmp_path):
    params = ca.load_params(
        "params/b2b_demo_zh.yaml",
        attributes={"columns": ["地区"], "labels": {"地区": {"国内": "domestic"}}},
    )
    record = ca.analyse(params).section("attributes")
    # the price sensitivity from the demo's discount column follows the named columns
    assert record.attributes == ["地区", "price_sensitivity"] and record.chosen_by == "parameters"
    assert "domestic" in set(record.groups["value"])


def test_without_master_or_with_a_wrong_column():
    params = {
        "title": "t",
        "as_of": "1998-06-30",
        "transactions": {"source": "cdnow_sample", "duplicates": "keep"},
    }
    result = ca.analyse(params)
    record = result.section("attributes")
    assert record.reason == "no_customer_master"
    wrong = ca.load_params("params/b2b_demo_zh.yaml", attributes={"columns": ["colour"]})
    record = ca.analyse(wrong).section("attributes")
    assert record.reason == "section_failed" and "'colour'" in record.detail["error"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"min_customers": 0}, "'attributes.min_customers' must be 1 or more"),
        ({"labels": ["a"]}, "'attributes.labels' must be a mapping"),
        ({"labels": {"vip": {1: 2}}}, r"'attributes.labels.vip.1' must be str"),
        ({"columns": "industry"}, "'attributes.columns' must be a list"),
    ],
)
def test_parameters_are_checked(settings, message):
    params = {"title": "t", "as_of": "2024-12-31", "transactions": {"source": "cdnow"}}
    with pytest.raises(ca.ParameterError, match=message):
        ca.load_params(params | {"attributes": settings})


def test_yaml_numeric_codes_become_text():
    params = {"title": "t", "as_of": "2024-12-31", "transactions": {"source": "cdnow"}}
    loaded = ca.load_params(params | {"attributes": {"labels": {"vip": {0: "no", 1: "yes"}}}})
    assert loaded.attributes.labels == {"vip": {"0": "no", "1": "yes"}}


def test_without_amounts_revenue_is_missing_not_zero():
    table = customers()
    table["revenue"] = np.nan
    groups = attribute_tables(table, ["industry"], ["lifecycle_stage"]).groups
    assert groups["revenue"].isna().all() and groups["revenue_share"].isna().all()
    assert groups["customers"].sum() == len(table)
    assert groups["index_lifecycle_stage"].notna().all()
