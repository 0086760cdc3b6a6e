"""RFM scores, the R x F segment grid and the 8-class model (DOMAIN.md fixtures)."""

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.rfm import CLASS8, RF_SEGMENTS, midrank_positions

AS_OF = pd.Timestamp("2024-06-30")


def table(days, orders, revenue, *, index=None):
    """A per-customer table as summarize makes it; prospects where orders == 0."""
    days, orders = np.asarray(days), np.asarray(orders)
    revenue = np.asarray(revenue, dtype="float64")
    last = AS_OF - pd.to_timedelta(days, unit="D")
    buyer = orders > 0
    frame = pd.DataFrame(
        {
            "first_purchase": last.where(buyer),
            "last_purchase": last.where(buyer),
            "orders": orders,
            "revenue": revenue,
            "avg_order_value": np.where(buyer, revenue / np.maximum(orders, 1), np.nan),
        },
        index=pd.Index(index or [f"c{i:03d}" for i in range(len(days))], name="customer_id"),
    )
    frame.attrs["as_of"] = AS_OF.date().isoformat()
    return frame


# the R x F grid of DOMAIN.md, written out as there: rows R = 5..1, columns F = 1..5
DOMAIN_GRID = {
    5: ["New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"],
    4: [
        "Promising",
        "Potential Loyalists",
        "Potential Loyalists",
        "Loyal Customers",
        "Loyal Customers",
    ],
    3: ["About to Sleep", "About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"],
    2: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
    1: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
}


@pytest.fixture
def grid_customers():
    """25 buyers, one per R x F cell: 5 recency levels x 5 order counts, 5 customers each."""
    days = np.repeat([400, 200, 100, 50, 10], 5)  # R 1..5
    orders = np.tile([1, 2, 3, 5, 8], 5)  # F 1..5
    return table(days, orders, np.arange(1, 26) * 10.0)


def test_each_of_the_25_cells_is_labelled_exactly_once(grid_customers):
    scores = ca.rfm_scores(grid_customers)
    cells = list(zip(scores["r_score"], scores["f_score"], strict=True))
    assert sorted(cells) == [(r, f) for r in range(1, 6) for f in range(1, 6)]
    for (r, f), segment in zip(cells, scores["rfm_segment"], strict=True):
        assert ca.label(segment, "en") == DOMAIN_GRID[r][f - 1], (r, f)
    assert set(scores["rfm_segment"]) == set(RF_SEGMENTS)
    assert sorted(c for cells in RF_SEGMENTS.values() for c in cells) == sorted(
        f"{r}{f}" for r in range(1, 6) for f in range(1, 6)
    )


def test_rfm_grid_counts_and_segments(grid_customers):
    grid = ca.rfm_grid(ca.rfm_scores(grid_customers))
    assert len(grid) == 25 and (grid["customers"] == 1).all()
    assert grid["customer_share"].sum() == pytest.approx(1)
    assert list(grid["r_score"][:5]) == [5] * 5 and list(grid["f_score"][:5]) == [1, 2, 3, 4, 5]
    top_right = grid[(grid["r_score"] == 5) & (grid["f_score"] == 5)]
    assert top_right["rfm_segment"].item() == "champions"


# (R high = bought recently, F high, M high) → the class of DOMAIN.md
CLASS8_FIXTURES = {
    (1, 1, 1): "重要价值客户",
    (1, 0, 1): "重要发展客户",
    (0, 1, 1): "重要保持客户",
    (0, 0, 1): "重要挽留客户",
    (1, 1, 0): "一般价值客户",
    (1, 0, 0): "一般发展客户",
    (0, 1, 0): "一般保持客户",
    (0, 0, 0): "一般挽留客户",
}


@pytest.fixture
def eight_customers():
    """One buyer per bit pattern: 10 or 100 days, 1 or 5 orders, 10 or 1000 revenue."""
    patterns = list(CLASS8_FIXTURES)
    days = [10 if r else 100 for r, _, _ in patterns]
    orders = [5 if f else 1 for _, f, _ in patterns]
    revenue = [1000 if m else 10 for _, _, m in patterns]
    index = ["".join(map(str, p)) for p in patterns]
    return table(days, orders, revenue, index=index)


@pytest.mark.parametrize("pattern", list(CLASS8_FIXTURES))
@pytest.mark.parametrize(
    "cut", ["mean", "median", {"recency": 50, "frequency": 3, "monetary": 100}]
)
def test_class8_each_bit_pattern_with_recent_as_high(eight_customers, pattern, cut):
    scores = ca.rfm_scores(eight_customers, class8=cut)
    key = "".join(map(str, pattern))
    assert ca.label(scores.loc[key, "rfm_class8"], "zh") == CLASS8_FIXTURES[pattern]
    assert CLASS8[key] == scores.loc[key, "rfm_class8"]


def test_recent_buyers_score_higher_on_r(eight_customers):
    scores = ca.rfm_scores(eight_customers)
    recent, old = scores.loc["111", "r_score"], scores.loc["011", "r_score"]
    assert recent > old
    assert scores.loc["111", "recency_days"] == 10


@pytest.fixture
def random_customers():
    rng = np.random.default_rng(7)
    n = 2_000
    orders = rng.geometric(0.45, n)
    days = rng.integers(0, 720, n)
    revenue = np.round(orders * rng.lognormal(3.5, 1.0, n), 2)
    return table(days, orders, revenue)


@pytest.mark.parametrize("ties", ["average", "first"])
def test_scores_are_monotone_in_their_metric(random_customers, ties):
    scores = ca.rfm_scores(random_customers, ties=ties)
    for metric, score, ascending in (
        ("recency_days", "r_score", False),
        ("orders", "f_score", True),
        ("revenue", "m_score", True),
    ):
        values = scores["recency_days"] if metric == "recency_days" else random_customers[metric]
        # across distinct values (ties may differ with ties="first"): a larger value never
        # scores lower (higher for recency) than a smaller one
        span = scores[score].astype(int).groupby(values.to_numpy()).agg(["min", "max"])
        if ascending:
            assert (span["max"].to_numpy()[:-1] <= span["min"].to_numpy()[1:]).all(), metric
        else:
            assert (span["min"].to_numpy()[:-1] >= span["max"].to_numpy()[1:]).all(), metric
        assert scores[score].between(1, 5).all()


def test_average_ties_share_a_score_first_ties_fill_quintiles(random_customers):
    average = ca.rfm_scores(random_customers)
    assert average.groupby(random_customers["orders"])["f_score"].nunique().max() == 1
    first = ca.rfm_scores(random_customers, ties="first")
    counts = first["f_score"].value_counts()
    assert (abs(counts - len(random_customers) / 5) <= 1).all()


def test_fewer_distinct_values_than_bins_documented_behaviour():
    # 70 % bought once, 15 % twice, 15 % three times: the middle of each group sets its score
    orders = [1] * 70 + [2] * 15 + [3] * 15
    scores = ca.rfm_scores(table(np.arange(100), orders, np.arange(100) + 1.0))
    by_orders = scores.groupby(pd.Series(orders, index=scores.index))["f_score"].unique()
    assert {k: list(v) for k, v in by_orders.items()} == {1: [2], 2: [4], 3: [5]}


@pytest.mark.parametrize(
    ("days", "orders", "revenue"),
    [
        ([5], [1], [10.0]),  # one customer
        ([5, 6, 7, 8], [1, 1, 1, 1], [10.0] * 4),  # all equal, all one-time buyers
    ],
)
def test_degenerate_inputs_get_the_middle_score(days, orders, revenue):
    scores = ca.rfm_scores(table(days, orders, revenue))
    assert (scores["f_score"] == 3).all() and (scores["m_score"] == 3).all()
    assert scores["rfm_segment"].notna().all() and scores["rfm_class8"].notna().all()


def test_zero_and_negative_revenue_are_scored_lowest():
    scores = ca.rfm_scores(table([1, 2, 3, 4, 5], [1, 1, 2, 2, 3], [-5.0, 0.0, 10, 20, 30]))
    assert list(scores["m_score"]) == [1, 2, 3, 4, 5]


def test_prospects_get_no_scores_and_do_not_move_buyers(random_customers):
    prospects = table([0, 0], [0, 0], [0.0, 0.0], index=["p1", "p2"])
    both = pd.concat([random_customers, prospects])
    both.attrs = random_customers.attrs
    scores = ca.rfm_scores(both)
    assert scores.loc[["p1", "p2"]].isna().all().all()
    pd.testing.assert_frame_equal(
        scores.drop(index=["p1", "p2"]), ca.rfm_scores(random_customers), check_categorical=True
    )


def test_returns_new_frame_and_leaves_input_alone(random_customers):
    before = random_customers.copy()
    scores = ca.rfm_scores(random_customers)
    pd.testing.assert_frame_equal(random_customers, before)
    assert scores.index.equals(random_customers.index)
    assert scores.attrs == random_customers.attrs
    assert list(scores.columns) == [
        "recency_days",
        "r_score",
        "f_score",
        "m_score",
        "rfm_code",
        "rfm_score",
        "rfm_segment",
        "rfm_class8",
    ]
    code = scores["rfm_code"].astype(str)
    expected = (
        scores["r_score"].astype(str)
        + scores["f_score"].astype(str)
        + scores["m_score"].astype(str)
    )
    assert (code == expected).all()


def test_recency_is_days_since_last_purchase_not_btyd_recency(random_customers):
    scores = ca.rfm_scores(random_customers, as_of="2024-07-10")
    expected = (pd.Timestamp("2024-07-10") - random_customers["last_purchase"]).dt.days
    assert (scores["recency_days"] == expected).all()


def test_fixed_thresholds_are_closed_on_the_right():
    customers = table([30, 31, 90, 91, 400], [1, 2, 3, 4, 9], [10.0, 20, 30, 40, 50])
    scores = ca.rfm_scores(
        customers, thresholds={"recency": [30, 90, 180, 365], "frequency": [1, 2, 3, 4]}
    )
    assert list(scores["r_score"]) == [5, 4, 4, 3, 1]
    assert list(scores["f_score"]) == [1, 2, 3, 4, 5]


def test_quantile_edges_and_weights(random_customers):
    top = ["44", "43", "34", "33"]
    rest = [f"{r}{f}" for r in range(1, 5) for f in range(1, 5) if f"{r}{f}" not in top]
    scores = ca.rfm_scores(
        random_customers,
        bins=[0.5, 0.8, 0.95],
        weights={"frequency": 0, "monetary": 0},
        segments={"top": top, "rest": rest},
    )
    assert set(scores["m_score"]) == {1, 2, 3, 4}
    assert (scores["rfm_score"] == scores["r_score"]).all()
    top = scores["m_score"].eq(4).mean()
    assert top == pytest.approx(0.05, abs=0.01)


def test_custom_segment_map_for_three_scores(random_customers):
    segments = {"best": ["33", 32, 23], "middle": ["22", "31", "13", "21", "12"], "rest": ["11"]}
    scores = ca.rfm_scores(random_customers, bins=3, segments=segments)
    assert list(scores["rfm_segment"].cat.categories) == ["best", "middle", "rest"]
    assert scores["rfm_segment"].notna().all()
    grid = ca.rfm_grid(scores, segments)
    assert len(grid) == 9 and grid["customers"].sum() == len(random_customers)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"bins": 10}, "bins must be between 2 and 9"),
        ({"bins": [0.5, 0.4]}, "bins must be a number of scores"),
        ({"bins": 3}, "standard R x F grid (5 x 5) must label each of the 9 cells"),
        ({"monetary": "profit"}, "monetary must be one of revenue | avg_order_value"),
        ({"thresholds": {"recency": [30, 90]}}, "thresholds.recency must be 4 increasing"),
        ({"thresholds": {"days": [1, 2, 3, 4]}}, "thresholds has unknown key 'days'"),
        ({"weights": {"recency": -1}}, "weights.recency must be 0 or more"),
        ({"segments": {"a": ["11", "11"]}}, "cell '11' is in both 'a' and 'a'"),
        ({"class8": "mode"}, "class8 must be mean | median"),
        ({"class8": {"recency": 30}}, "class8 as fixed values needs exactly the keys"),
    ],
)
def test_invalid_settings_name_the_setting(random_customers, settings, message):
    with pytest.raises(ca.ParameterError) as info:
        ca.rfm_scores(random_customers, **settings)
    assert message in str(info.value)


def test_data_errors_name_column_count_and_example(random_customers):
    with pytest.raises(ca.DataError, match="needs column.*last_purchase"):
        ca.rfm_scores(random_customers.drop(columns="last_purchase"))
    with pytest.raises(
        ca.DataError, match=r"after as_of for 2,000 buyer\(s\), e.g. customer 'c000'"
    ):
        ca.rfm_scores(random_customers, as_of="2020-01-01")
    broken = random_customers.copy()
    broken.loc["c005", "revenue"] = np.nan
    with pytest.raises(ca.DataError, match=r"revenue is missing for 1 buyer\(s\), e.g. .*'c005'"):
        ca.rfm_scores(broken)
    unknown = random_customers.copy()
    unknown.attrs = {}
    with pytest.raises(ca.ParameterError, match="as_of is not known"):
        ca.rfm_scores(unknown)


def test_midrank_positions_counting_equals_sorting():
    values = np.random.default_rng(3).integers(0, 50, 1_000)
    counted = midrank_positions(values)
    sorted_ = midrank_positions(values.astype("float64"))
    np.testing.assert_allclose(counted, sorted_)
    ranks = pd.Series(values).rank(method="average").to_numpy()
    np.testing.assert_allclose(counted, (ranks - 0.5) / len(values))


def test_on_a_real_summary(cdnow_weeks):
    scores = ca.rfm_scores(cdnow_weeks)
    buyers = cdnow_weeks["orders"] > 0
    assert scores.loc[buyers, "rfm_segment"].notna().all()
    assert scores["rfm_class8"].value_counts().sum() == buyers.sum()
    assert (scores["r_score"] <= 5).all()


def test_only_prospects_give_no_scores():
    scores = ca.rfm_scores(table([0, 0], [0, 0], [0.0, 0.0]))
    assert scores.isna().all().all() and len(scores) == 2
    assert ca.rfm_grid(scores)["customers"].sum() == 0
