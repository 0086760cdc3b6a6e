"""The RFM and grades sections of analyse(): columns, records and their sums."""

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca


@pytest.fixture(scope="module")
def result():
    return ca.analyse("params/b2b_demo_zh.yaml")


def test_rfm_section_scores_every_buyer_and_no_prospect(result):
    table = result.customers
    buyers = table["orders"] > 0
    assert table.loc[buyers, ["r_score", "f_score", "m_score"]].notna().all().all()
    assert table.loc[~buyers, ["r_score", "rfm_segment", "rfm_class8"]].isna().all().all()
    rec = result.section("rfm")
    assert rec.segments.loc["total", "customers"] == buyers.sum()
    assert rec.segments["customers"].drop("total").sum() == buyers.sum()
    assert rec.class8["customers"].drop("total").sum() == buyers.sum()
    assert rec.grid["customers"].sum() == buyers.sum() and len(rec.grid) == 25
    assert (rec.score_counts.sum() == buyers.sum()).all()


def test_class8_cutoffs_are_the_buyers_means(result):
    buyers = result.customers[result.customers["orders"] > 0]
    cut = result.section("rfm").class8_cutoffs
    assert cut["frequency"] == pytest.approx(buyers["orders"].mean())
    assert cut["monetary"] == pytest.approx(buyers["revenue"].mean())
    high_r = (
        buyers["rfm_class8"]
        .astype(str)
        .isin(["important_value", "important_development", "general_value", "general_development"])
    )
    assert (buyers.loc[high_r, "days_since_purchase"] < cut["recency"]).all(), "R high = recent"


def test_grades_of_every_scheme(result):
    rec = result.section("grades")
    params = ca.load_params("params/b2b_demo_zh.yaml")
    assert [s.name for s in rec.schemes] == [
        s if isinstance(s, str) else s.name for s in params.grades
    ]
    assert rec.primary == params.primary_scheme
    buyers = result.customers["orders"] > 0
    for scheme in rec.schemes:
        column = result.customers[scheme.column]
        assert column.notna().sum() == buyers.sum(), "every buyer exactly one grade"
        assert scheme.summary["customer_share"].drop("total").sum() == pytest.approx(1)
        assert scheme.summary.loc["total", "revenue"] == pytest.approx(
            result.customers["revenue"].sum()
        )
        assert list(scheme.levels.index) == list(column.cat.categories)
    primary = next(s for s in rec.schemes if s.name == rec.primary)
    assert primary.column == "grade"
    shares = np.array(list(primary.boundaries.values()))
    assert np.all(np.diff(shares) >= 0) and shares[-1] == pytest.approx(1)


def test_abc_crosses_at_80_percent(result):
    scheme = next(s for s in result.section("grades").schemes if s.name == "abc")
    a_share = scheme.summary.loc["A", "revenue_share"]
    assert a_share >= 0.8 and a_share - 0.8 < scheme.summary.loc["A", "revenue"] / 1e6


def test_a_custom_scheme_from_the_parameters():
    params = {
        "title": "t",
        "as_of": "1998-06-30",
        "transactions": {"source": "cdnow_sample", "duplicates": "keep"},
        "grades": [
            {
                "name": "gold_silver",
                "method": "customer_share",
                "levels": [
                    {"key": "gold", "en": "Gold", "zh": "金牌", "cut": 0.1},
                    {"key": "silver", "en": "Silver", "zh": "银牌"},
                ],
            }
        ],
    }
    result = ca.analyse(params)
    counts = result.customers["grade"].value_counts()
    assert abs(counts["gold"] - 0.1 * 2_357) <= 1, "quota met to within one customer"
    assert result.section("grades").schemes[0].levels.loc["gold", "zh"] == "金牌"
    assert result.metrics()["metrics"]["grades"]["gold_silver"]["gold"] == counts["gold"]


def test_purchase_log_has_no_monetary_tiers(tmp_path):
    from custanalytics.datasets import load_cdnow_sample

    csv = tmp_path / "log.csv"
    load_cdnow_sample()[["customer_id", "date"]].to_csv(csv, index=False)
    mapping = {"source": str(csv), "amount": None, "duplicates": "keep"}
    result = ca.analyse({"title": "log", "as_of": "1998-06-30", "transactions": mapping})
    assert result.section("rfm") == ca.Unavailable("no_amounts")
    assert result.section("grades") == ca.Unavailable("no_amounts")
    assert isinstance(result.customers, pd.DataFrame)
