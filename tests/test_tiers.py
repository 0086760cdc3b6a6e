"""Grading schemes, grades, concentration, tier summaries and the tiering charts."""

import typing

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.params import GradePreset
from custanalytics.tiers import PRESETS, descending_order

AS_OF = pd.Timestamp("2024-06-30")


def table(revenue, *, orders=None, days=None, index=None, **extra):
    revenue = np.asarray(revenue, dtype="float64")
    n = len(revenue)
    orders = np.ones(n, dtype="int64") if orders is None else np.asarray(orders)
    days = np.arange(n) if days is None else np.asarray(days)
    last = AS_OF - pd.to_timedelta(days, unit="D")
    frame = pd.DataFrame(
        {
            "last_purchase": last.where(orders > 0),
            "orders": orders,
            "revenue": revenue,
            "avg_order_value": revenue / np.maximum(orders, 1),
            **extra,
        },
        index=pd.Index(index or [f"c{i:04d}" for i in range(n)], name="customer_id"),
    )
    frame.attrs["as_of"] = AS_OF.date().isoformat()
    return frame


@pytest.fixture
def random_customers():
    rng = np.random.default_rng(11)
    n = 3_000
    orders = rng.geometric(0.4, n)
    revenue = np.round(orders * rng.lognormal(3.5, 1.2, n), 2)
    revenue[:30] = 0.0
    revenue[30:40] = -12.5
    return table(
        revenue,
        orders=orders,
        days=rng.integers(0, 700, n),
        clv=rng.gamma(2.0, 50.0, n),
        industry=rng.choice(["manufacturing", "services", "retail"], n),
    )


def test_abc_fixture_crossing_customer_and_ties():
    # total positive revenue 100: a 0-40 %, b 40-70 %, c 70-90 % crosses 80 % → A;
    # d and e tie at 5: d (first in the table) starts at 90 % → B, e starts at 95 % → C
    customers = table([20, 40, 5, 30, 5, 0, -5], index=list("cadbefg"))
    grades = ca.grade(customers, "abc")["grade"]
    assert grades.to_dict() == dict(a="A", b="A", c="A", d="B", e="C", f="C", g="C")
    swapped = ca.grade(customers.loc[list("cadbfeg")], "abc")["grade"]
    assert swapped[["d", "e"]].tolist() == ["B", "C"]  # ties in table order
    swapped = ca.grade(customers.loc[list("caebdfg")], "abc")["grade"]
    assert swapped[["e", "d"]].tolist() == ["B", "C"]


def test_abc_boundary_compared_with_a_tolerance():
    # 0.7 + 0.1 is 0.7999999999999999 in floats: the third customer starts at 80 % → B
    grades = ca.grade(table([0.7, 0.1, 0.1, 0.1]), "abc")
    assert grades["grade"].tolist() == ["A", "A", "B", "B"]
    assert grades["grade_score"].tolist() == pytest.approx([0.7, 0.8, 0.9, 1.0])


def test_presets_are_the_documented_names_and_build():
    assert set(PRESETS) == set(typing.get_args(GradePreset))
    for name in PRESETS:
        scheme = ca.grade_scheme(name)
        assert scheme.name == name and scheme.levels[-1].cut is None
    levels = ca.grade_levels("ten_level")
    assert (
        levels["zh"].tolist()[:3] == ["一级", "二级", "三级"]
        and levels.loc["level_10", "zh"] == "十级"
    )
    assert levels.loc[
        "level_2", ["guidance_customer_share_min", "guidance_revenue_share_max"]
    ].tolist() == [0.3, 0.4]


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_buyer_gets_exactly_one_grade(random_customers, name):
    prospects = table([0.0, 0.0], orders=[0, 0], index=["p1", "p2"])
    both = pd.concat([random_customers, prospects])
    both.attrs = random_customers.attrs
    grades = ca.grade(both, name)
    assert grades["grade"].cat.ordered
    assert list(grades["grade"].cat.categories) == [lv.key for lv in ca.grade_scheme(name).levels]
    assert grades.loc[random_customers.index, "grade"].notna().all()
    assert grades.loc[["p1", "p2"]].isna().all().all()
    assert grades.attrs == random_customers.attrs


def test_revenue_share_classes_are_monotone_in_revenue(random_customers):
    for name in ("abc", "three_tier"):
        grades = ca.grade(random_customers, name)
        order = np.argsort(-random_customers["revenue"].to_numpy(), kind="stable")
        codes = grades["grade"].cat.codes.to_numpy()[order]
        assert (np.diff(codes) >= 0).all()
        assert (
            grades["grade"][random_customers["revenue"] <= 0] == grades["grade"].cat.categories[-1]
        ).all()


def test_abc_a_share_matches_the_80_percent_check(random_customers):
    grades = ca.grade(random_customers, "abc")
    summary = ca.tier_summary(random_customers.join(grades))
    figures = ca.concentration(random_customers)
    assert summary.loc["A", "customer_share"] == pytest.approx(figures["customer_share_for_80"])
    assert summary.loc["A", "revenue_share"] >= 0.8
    assert summary.loc[["A", "B"], "revenue_share"].sum() >= 0.95


def test_pyramid_quotas_met_within_one_customer(random_customers):
    grades = ca.grade(random_customers, "pyramid")["grade"]
    n = len(grades)
    cumulative = grades.value_counts(sort=False).cumsum()
    for key, share in (("platinum", 0.01), ("gold", 0.05), ("iron", 0.20)):
        assert abs(cumulative[key] - share * n) <= 1, key
    top = random_customers["revenue"][grades == "platinum"].min()
    assert (random_customers["revenue"][grades != "platinum"] <= top).all()


def test_score_thresholds_bound_each_level(random_customers):
    grades = ca.grade(random_customers, "ten_level")
    cuts = [90, 80, 70, 60, 50, 40, 30, 20, 10]
    for i, key in enumerate(grades["grade"].cat.categories):
        scores = grades.loc[grades["grade"] == key, "grade_score"]
        if i < len(cuts):
            assert (scores >= cuts[i]).all()
        if i > 0:
            assert (scores < cuts[i - 1]).all()
    assert grades["grade_score"].between(0, 100).all()


def test_sabc_s_is_the_top_fifth_by_revenue_then_score_bands(random_customers):
    grades = ca.grade(random_customers, "sabc")
    s = grades["grade"] == "S"
    assert abs(s.sum() - 0.2 * len(grades)) <= 1
    assert random_customers["revenue"][s].min() >= random_customers["revenue"][~s].max()
    rest = grades[~s]
    assert (rest.loc[rest["grade"] == "A", "grade_score"] >= 90).all()
    assert (rest.loc[rest["grade"] == "C", "grade_score"] < 70).all()


def test_clv_weight_used_only_when_present(random_customers):
    with_clv = ca.grade(random_customers, "ten_level")["grade_score"]
    without = ca.grade(random_customers.drop(columns="clv"), "ten_level")["grade_score"]
    scheme = {**PRESETS["ten_level"], "weights": {"revenue": 0.4, "frequency": 0.2, "recency": 0.2}}
    assert not np.allclose(with_clv, without)
    np.testing.assert_allclose(without, ca.grade(random_customers, scheme)["grade_score"])


def test_bonus_points_from_master_attributes(random_customers):
    base = {
        "name": "strategic",
        "method": "score",
        "weights": {"revenue": 1},
        "levels": [{"key": "top", "cut": 50}, {"key": "rest"}],
    }
    plain = ca.grade(random_customers, base)["grade_score"]
    bonus = ca.grade(random_customers, {**base, "bonuses": {"industry": {"manufacturing": 10}}})
    delta = bonus["grade_score"] - plain
    manufacturing = random_customers["industry"] == "manufacturing"
    assert np.allclose(delta[manufacturing], 10) and np.allclose(delta[~manufacturing], 0)


def test_quota_by_composite_score_and_minmax(random_customers):
    scheme = {
        "name": "engaged",
        "method": "customer_share",
        "order_by": "score",
        "normalise": "minmax",
        "weights": {"frequency": 1, "recency": 1},
        "levels": [{"key": "top", "cut": 0.1}, {"key": "rest"}],
    }
    grades = ca.grade(random_customers, scheme)
    top = grades["grade"] == "top"
    assert abs(top.sum() - 0.1 * len(grades)) <= 1
    scores = ca.grade(
        random_customers,
        {**scheme, "method": "score", "levels": [{"key": "a", "cut": 0}, {"key": "b"}]},
    )
    assert scores["grade_score"][top].min() >= scores["grade_score"][~top].max()


@pytest.mark.parametrize(
    ("revenue", "expected"),
    [
        ([100.0], ["A"]),  # one customer
        ([10.0] * 10, ["A"] * 8 + ["B"] * 2),  # all equal: 8 start below 80 %, 2 below 95 %
        ([0.0, 0.0, 0.0], ["C"] * 3),  # no revenue
        ([-1.0, -2.0], ["C"] * 2),  # only returns
    ],
)
def test_degenerate_inputs(revenue, expected):
    assert ca.grade(table(revenue), "abc")["grade"].tolist() == expected


def test_degenerate_pyramid_and_concentration():
    assert ca.grade(table([5.0]), "pyramid")["grade"].tolist() == ["platinum"]
    assert ca.concentration(table([5.0]))["gini"] == 0.0
    assert np.isnan(ca.concentration(table([0.0, 0.0]))["gini"])
    equal = ca.concentration(pd.Series([3.0] * 50))
    assert equal["gini"] == pytest.approx(0.0, abs=1e-12) and equal["hhi"] == pytest.approx(1 / 50)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"levels": [{"key": "a"}]}, "scheme.levels needs at least two levels"),
        ({"levels": [{"key": "a"}, {"key": "b"}]}, "scheme.levels[0].cut: every level but"),
        ({"levels": [{"key": "a", "cut": 0.5}, {"key": "b", "cut": 0.9}]}, "scheme.levels[1].cut"),
        ({"levels": [{"key": "a", "cut": 1.5}, {"key": "b"}]}, "share in (0, 1], got 1.5"),
        (
            {"levels": [{"key": "a", "cut": 0.5}, {"key": "b", "cut": 0.4}, {"key": "c"}]},
            "cuts are cumulative and must rise",
        ),
        ({"levels": [{"key": "a", "cut": 0.5}, {"key": "a"}]}, "key 'a' is used more than once"),
        ({"method": "pareto"}, "parameter 'scheme.method' must be one of revenue_share"),
        ({"weights": {"profit": 1}}, "parameter 'scheme.weights key' must be one of revenue"),
        ({"weights": {"revenue": -1}}, "scheme.weights must be 0 or more"),
        (
            {
                "levels": [
                    {"key": "a", "cut": 0.5, "guidance_customer_share": [0.5, 0.2]},
                    {"key": "b"},
                ]
            },
            "guidance_customer_share must be [low, high]",
        ),
        (
            {"levels": [{"key": "a", "cutt": 0.5}, {"key": "b"}]},
            "did you mean 'scheme.levels[0].cut'?",
        ),
    ],
)
def test_invalid_schemes_name_the_key(random_customers, change, message):
    scheme = {
        "name": "x",
        "method": "revenue_share",
        "levels": [{"key": "a", "cut": 0.8}, {"key": "b"}],
    }
    with pytest.raises(ca.ParameterError) as info:
        ca.grade(random_customers, {**scheme, **change})
    assert message in str(info.value)


def test_score_cuts_must_fall_and_unknown_preset():
    with pytest.raises(ca.ParameterError, match="score cuts must fall"):
        ca.grade_scheme(
            {
                "name": "x",
                "method": "score",
                "levels": [{"key": "a", "cut": 50}, {"key": "b", "cut": 60}, {"key": "c"}],
            }
        )
    with pytest.raises(ca.ParameterError, match="scheme must be a preset .*got 'abcd'"):
        ca.grade_scheme("abcd")


def test_missing_columns_are_data_errors(random_customers):
    with pytest.raises(ca.DataError, match="needs column.*revenue"):
        ca.grade(random_customers.drop(columns="revenue"))
    with pytest.raises(ca.DataError, match="bonuses needs column.*region"):
        ca.grade(
            random_customers,
            {
                "name": "x",
                "method": "score",
                "bonuses": {"region": {"north": 5}},
                "levels": [{"key": "a", "cut": 50}, {"key": "b"}],
            },
        )


def test_grade_does_not_mutate_and_column_name(random_customers):
    before = random_customers.copy()
    grades = ca.grade(random_customers, "pyramid", column="pyramid")
    pd.testing.assert_frame_equal(random_customers, before)
    assert list(grades.columns) == ["pyramid", "pyramid_score"]


def test_tier_summary_totals_shares_and_guidance(random_customers):
    graded = random_customers.join(ca.grade(random_customers, "ten_level"))
    summary = ca.tier_summary(graded, scheme="ten_level")
    tiers = summary.drop(index="total")
    assert list(tiers.index) == [f"level_{i}" for i in range(1, 11)]
    for column in ("customer_share", "revenue_share", "clv_share"):
        assert tiers[column].sum() == pytest.approx(1)
        assert summary.loc["total", column] == pytest.approx(1)
    assert summary.loc["total", "customers"] == len(random_customers)
    assert summary.loc["total", "revenue"] == pytest.approx(random_customers["revenue"].sum())
    assert list(summary.columns[:4]) == ["customers", "customer_share", "revenue", "revenue_share"]
    assert summary.loc["level_2", "guidance_customer_share_min"] == 0.3
    medians = graded.groupby("grade", observed=True)["orders"].median()
    assert tiers["median_orders"].dropna().to_dict() == medians.to_dict()


def test_tier_summary_by_rfm_segment_and_without_clv(random_customers):
    joined = random_customers.drop(columns="clv").join(ca.rfm_scores(random_customers))
    summary = ca.tier_summary(joined, by="rfm_segment")
    assert "clv_share" not in summary.columns
    assert summary.drop(index="total")["customers"].sum() == len(random_customers)
    assert len(summary) == 11  # 10 segments (empty ones kept) and the total


def test_concentration_extended_keys(random_customers):
    figures = ca.concentration(random_customers)
    tops = [figures[f"top{p}_revenue_share"] for p in (1, 5, 10, 20)]
    assert tops == sorted(tops) and 0 < tops[0] < tops[-1] < 1
    assert 0 <= figures["gini"] < 1
    buyers = random_customers["revenue"]
    assert figures == ca.concentration(buyers)
    curve = ca.lorenz_curve(buyers, points=11)
    assert (
        len(curve) == 11
        and curve.iloc[0].tolist() == [0, 0]
        and curve.iloc[-1].tolist() == pytest.approx([1, 1])
    )
    assert (np.diff(curve["revenue_share"]) >= 0).all()
    with pytest.raises(ca.ParameterError, match="points must be 2 or more"):
        ca.lorenz_curve(buyers, points=1)
    monopoly = ca.concentration(pd.Series([100.0] + [0.0] * 9))
    assert monopoly["gini"] == pytest.approx(0.9) and monopoly["hhi"] == 1


def test_custom_scheme_from_yaml(tmp_path, random_customers):
    path = tmp_path / "params.yaml"
    path.write_text(
        """
title: Tiers
as_of: 2024-06-30
transactions: {source: cdnow}
rfm:
  bins: 3
  segments: {best: [33, 32, 23], middle: [22, 31, 13, 21, 12], rest: [11]}
  class8: median
grades:
  - abc
  - name: vip
    method: customer_share
    levels:
      - {key: vip, en: VIP, zh: 贵宾客户, cut: 0.1}
      - {key: regular, en: Regular, zh: 普通客户}
primary_grade: vip
""",
        encoding="utf-8",
    )
    params = ca.load_params(path)
    assert params.primary_scheme == "vip"
    vip = ca.grade(random_customers, params.grades[1])
    assert abs((vip["grade"] == "vip").sum() - 0.1 * len(random_customers)) <= 1
    assert ca.grade_levels(params.grades[1]).loc["vip", "zh"] == "贵宾客户"
    scores = ca.rfm_scores(random_customers, **vars(params.rfm))
    assert set(scores["rfm_segment"]) == {"best", "middle", "rest"}
    assert ca.load_params(params.to_dict()) == params


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tiering_charts_draw_on_given_axes(random_customers, lang):
    scores = ca.rfm_scores(random_customers)
    graded = random_customers.join(ca.grade(random_customers, "abc"))
    _, axes = plt.subplots(1, 3)
    drawn = [
        ca.plot_rfm_grid(ca.rfm_grid(scores), ax=axes[0], lang=lang),
        ca.plot_grade_distribution(
            ca.tier_summary(graded), ax=axes[1], lang=lang, names=ca.grade_levels("abc")[lang]
        ),
        ca.plot_lorenz(
            random_customers["revenue"], ax=axes[2], lang=lang, boundaries={"A": 0.8, "B": 0.95}
        ),
    ]
    assert drawn == list(axes)
    assert len(axes[0].texts) == 25 and ca.label("champions", lang) in axes[0].texts[4].get_text()
    assert len(axes[1].patches) == 6
    assert [t.get_text().split(":")[0] for t in axes[2].texts] == ["A", "B"]
    default = ca.plot_lorenz(random_customers["revenue"], lang=lang)
    assert [t.get_text().split(":")[0] for t in default.texts] == [ca.label("lorenz_80", lang)]


def test_descending_order_is_a_stable_descending_sort():
    rng = np.random.default_rng(5)
    values = rng.integers(0, 30, 5_000).astype("float64")
    np.testing.assert_array_equal(descending_order(values), np.argsort(-values, kind="stable"))
    tiebreak = rng.permutation(len(values))
    np.testing.assert_array_equal(
        descending_order(values, tiebreak=tiebreak), np.lexsort((tiebreak, -values))
    )


@pytest.mark.parametrize("name", list(PRESETS))
def test_only_prospects_give_no_grades(name):
    grades = ca.grade(table([0.0, 0.0], orders=[0, 0]), name)
    assert grades.isna().all().all() and len(grades) == 2


def test_scheme_made_in_python_is_validated_too(random_customers):
    scheme = ca.GradeSchemeParams(
        name="x", method="customer_share", levels=[ca.GradeLevelParams(key="a")] * 2
    )
    with pytest.raises(ca.ParameterError, match="scheme.levels: key 'a' is used more than once"):
        ca.grade(random_customers, scheme)
