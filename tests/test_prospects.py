"""Prospect grading: a model that beats the baseline when attributes drive value, not otherwise."""

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.prospects import PROSPECT_GRADES, customer_value, grade_prospects

INDUSTRY_EFFECT = {"mining": 3.0, "retail": 0.0, "services": 1.0, "public": 2.0}
REGION_EFFECT = {"north": 0.5, "south": 0.0, "west": -0.5}


def generated(n=400, prospects=100, signal=True, seed=7):
    """Customers whose log value is driven by industry and region (or by nothing)."""
    rng = np.random.default_rng(seed)
    total = n + prospects
    industry = rng.choice(list(INDUSTRY_EFFECT), total)
    region = rng.choice(list(REGION_EFFECT), total)
    effect = np.array([INDUSTRY_EFFECT[i] for i in industry]) + np.array(
        [REGION_EFFECT[r] for r in region]
    )
    log_value = 6.0 + (effect if signal else 0.0) + rng.normal(0, 0.5, total)
    orders = np.r_[rng.integers(1, 10, n), np.zeros(prospects, dtype=int)]
    frame = pd.DataFrame(
        {
            "orders": orders,
            "revenue": np.where(orders > 0, np.expm1(log_value), 0.0),
            "T": np.where(orders > 0, 365.25, np.nan),
            "industry": industry,
            "region": region,
        },
        index=pd.Index([f"c{i:04d}" for i in range(total)], name="customer_id"),
    )
    return frame


def test_attributes_that_drive_value_beat_the_baseline():
    customers = generated()
    grading = grade_prospects(customers, ["industry", "region"])
    assert grading.better and grading.target == "revenue_per_year"
    assert grading.model_r2 > 0.5 and abs(grading.baseline_r2) < 0.05
    assert grading.training_customers == 400 and len(grading.cv) == 5
    assert len(grading.score) == 100 and set(grading.score.index) == set(customers.index[400:])
    # the best prospects are in the best industry; grades follow the score
    best = grading.score.idxmax()
    assert customers.loc[best, "industry"] == "mining"
    mean = grading.score.groupby(grading.grade, observed=True).mean()
    assert mean["A"] > mean["B"] > mean["C"]
    counts = grading.grade.value_counts()
    assert counts["A"] == pytest.approx(20, abs=8) and counts.sum() == 100
    top = grading.effects.iloc[0]
    assert (top["attribute"], top["value"]) in {("industry", "mining"), ("industry", "retail")}


def test_attributes_without_signal_are_no_better():
    grading = grade_prospects(generated(signal=False), ["industry", "region"])
    assert not grading.better
    assert grading.model_r2 < grading.baseline_r2 + 0.02
    assert grading.score.empty and grading.grade.empty


def test_gradient_boosting_and_determinism():
    customers = generated(n=300)
    a = grade_prospects(customers, ["industry", "region"], model="gradient_boosting")
    b = grade_prospects(customers, ["industry", "region"], model="gradient_boosting")
    assert a.better and a.effects.empty
    pd.testing.assert_series_equal(a.score, b.score)
    pd.testing.assert_frame_equal(a.cv, b.cv)


def test_equal_scores_share_a_grade():
    customers = generated()
    grading = grade_prospects(customers, ["industry"])
    groups = pd.DataFrame({"score": grading.score, "grade": grading.grade})
    assert (groups.groupby("score")["grade"].nunique() == 1).all()
    assert set(grading.grade.astype(str)) <= set(PROSPECT_GRADES)


def test_value_is_clv_when_present_and_input_untouched():
    customers = generated()
    customers["clv"] = np.where(customers["orders"] > 0, 100.0, np.nan)
    before = customers.copy()
    value, target = customer_value(customers)
    assert target == "clv" and (value == 100.0).all() and len(value) == 400
    grading = grade_prospects(customers, ["industry"])
    assert not grading.better  # every customer is worth the same
    pd.testing.assert_frame_equal(customers, before)


def test_errors():
    with pytest.raises(ca.DataError, match="at least one attribute"):
        grade_prospects(generated(), [])
    with pytest.raises(ca.DataError, match="at least 5 customers"):
        grade_prospects(generated(n=3, prospects=2), ["industry"])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"grade_shares": [0.6, 0.5]}, "'prospects.grade_shares' must be two positive shares"),
        ({"folds": 1}, "'prospects.folds' must be 2 .. 20"),
        ({"min_customers": 3}, "'prospects.min_customers' must be 10 or more"),
        ({"model": "forest"}, "'prospects.model' must be one of"),
    ],
)
def test_parameters_are_checked(settings, message):
    params = {"title": "t", "as_of": "2024-12-31", "transactions": {"source": "cdnow"}}
    with pytest.raises(ca.ParameterError, match=message):
        ca.load_params(params | {"prospects": settings})


@pytest.fixture(scope="module")
def b2b():
    return ca.analyse("params/b2b_demo_zh.yaml")


def test_prospects_section_in_the_b2b_demo(b2b):
    record = b2b.section("prospects")
    customers = b2b.customers
    prospects = customers[customers["orders"] == 0]
    assert record.prospects == len(prospects) and record.target == "clv"
    assert record.better and record.model_r2 > record.baseline_r2
    assert prospects["potential_grade"].notna().all()
    assert customers.loc[customers["orders"] > 0, "potential_score"].isna().all()
    scores = customers.loc[record.top, "potential_score"]
    assert scores.is_monotonic_decreasing and len(record.top) == 30
    assert record.grades["prospects"].sum() == len(prospects)
    assert "客户名称" not in record.features


def test_prospects_unavailable_cases(tmp_path):
    cdnow = {"title": "t", "as_of": "1998-06-30", "transactions": {"source": "cdnow_sample"}}
    assert ca.analyse(cdnow).section("prospects").reason == "no_customer_master"
    few = ca.load_params("params/b2b_demo_zh.yaml", prospects={"min_customers": 5000})
    record = ca.analyse(few).section("prospects")
    assert record.reason == "prospects_too_few_customers"
    assert record.detail == {"customers": 400, "minimum": 5000}
    strict = ca.load_params("params/b2b_demo_zh.yaml", prospects={"min_improvement": 0.9})
    result = ca.analyse(strict)
    record = result.section("prospects")
    assert not record.better and record.notes[0].code == "prospects_no_better"
    assert "potential_grade" not in result.customers.columns
