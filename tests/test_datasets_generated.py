"""Generated datasets: the BG/NBD + Gamma-Gamma simulator and the Chinese B2B demo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln, gammaln

from custanalytics.datasets._b2b import load_b2b_demo
from custanalytics.datasets._simulate import simulate_transactions, simulate_transactions_rows
from custanalytics.errors import ParameterError

CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "gamma": 15.44}
OTHER = {"r": 1.2, "alpha": 9.0, "a": 2.0, "b": 5.0, "p": 3.0, "q": 5.0, "gamma": 40.0}
B2B_COLUMNS = ["客户编号", "订单号", "下单时间", "金额", "数量", "产品类别", "折扣"]
MASTER_COLUMNS = [
    "客户编号", "客户名称", "客户类型", "行业", "地区", "省份", "渠道",
    "销售负责人", "负责人资历", "决策风格", "首次接触日期",
]  # fmt: skip


# --- simulator -----------------------------------------------------------------------------


def test_simulation_is_deterministic_per_seed():
    first = simulate_transactions(300, random_state=7)
    pd.testing.assert_frame_equal(first, simulate_transactions(300, random_state=7))
    assert not first.equals(simulate_transactions(300, random_state=8))


def test_simulation_schema_window_and_order():
    start = pd.Timestamp("2023-03-01")
    frame = simulate_transactions(
        500, start=start, acquisition_days=30, observation_days=200, random_state=3
    )
    assert list(frame.columns) == ["customer_id", "date", "amount"]
    assert pd.api.types.is_string_dtype(frame["customer_id"])
    assert pd.api.types.is_datetime64_dtype(frame["date"])
    assert frame["amount"].dtype == np.float64
    assert frame["customer_id"].nunique() == 500
    assert frame["customer_id"].iloc[0] == "C001"
    assert (frame["amount"] > 0).all()
    assert np.allclose(frame["amount"], frame["amount"].round(2), rtol=0, atol=1e-9)
    assert frame["date"].min() >= start
    assert frame["date"].max() < start + pd.Timedelta(days=200)
    first = frame.groupby("customer_id")["date"].min()
    assert first.max() < start + pd.Timedelta(days=30)
    assert (frame["date"].dt.second != 0).any()  # a time of day, not just a date
    ordered = frame.sort_values(["customer_id", "date"], kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(frame, ordered)


def test_truth_table_matches_transactions():
    frame, truth = simulate_transactions(400, random_state=5, return_truth=True)
    assert list(truth.columns) == ["lam", "p_dropout", "nu", "alive_at_end"]
    assert truth.index.name == "customer_id"
    assert list(truth.index) == list(frame["customer_id"].unique())
    assert truth["alive_at_end"].dtype == bool
    assert ((truth["p_dropout"] > 0) & (truth["p_dropout"] < 1)).all()
    assert (truth[["lam", "nu"]] > 0).all().all()
    single = frame["customer_id"].value_counts().reindex(truth.index) == 1
    assert truth.loc[~truth["alive_at_end"]].index.isin(single[~single].index).all()


def bgnbd_pmf(x: int, t: float, r: float, alpha: float, a: float, b: float) -> float:
    """P(X(t) = x) under BG/NBD: Fader, Hardie & Lee (2005), equation (8)."""
    log_nbd = gammaln(r + x) - gammaln(r) - gammaln(x + 1)
    log_nbd += r * np.log(alpha / (alpha + t)) + x * np.log(t / (alpha + t))
    value = np.exp(betaln(a, b + x) - betaln(a, b) + log_nbd)
    if x > 0:
        j = np.arange(x)
        partial = np.exp(
            gammaln(r + j) - gammaln(r) - gammaln(j + 1) + j * np.log(t / (alpha + t))
        ).sum()
        tail = 1 - (alpha / (alpha + t)) ** r * partial
        value += np.exp(betaln(a + 1, b + x - 1) - betaln(a, b)) * tail
    return float(value)


@pytest.mark.parametrize("params", [CDNOW, OTHER], ids=["cdnow", "other"])
def test_repeat_purchase_counts_follow_bgnbd(params):
    n, weeks = 20_000, 39
    bgnbd = {name: params[name] for name in ("r", "alpha", "a", "b")}
    frame = simulate_transactions(n, **params, random_state=11)
    since_first = frame["date"] - frame.groupby("customer_id")["date"].transform("min")
    in_period = since_first <= pd.Timedelta(weeks=weeks)
    repeats = in_period.groupby(frame["customer_id"]).sum() - 1
    assert len(repeats) == n
    for x in range(3):
        expected = bgnbd_pmf(x, weeks, **bgnbd)
        tolerance = 4 * np.sqrt(expected * (1 - expected) / n)  # 4 binomial standard errors
        assert abs((repeats == x).mean() - expected) < tolerance, (x, expected)
    # the check has power: a rate per day instead of per week moves P(X=0) far outside it
    per_day = bgnbd_pmf(0, 7 * weeks, **bgnbd)
    assert abs(per_day - bgnbd_pmf(0, weeks, **bgnbd)) > 10 * np.sqrt(0.25 / n)


@pytest.mark.parametrize("params", [CDNOW, OTHER], ids=["cdnow", "other"])
def test_mean_amount_matches_gamma_gamma(params):
    frame = simulate_transactions(20_000, **params, random_state=12)
    expected = params["p"] * params["gamma"] / (params["q"] - 1)
    amounts = frame["amount"]
    mean = amounts.mean()
    # amounts of one customer share nu: cluster-robust standard error of the mean
    per_customer = amounts.groupby(frame["customer_id"]).agg(["sum", "size"])
    residual = per_customer["sum"] - mean * per_customer["size"]
    standard_error = np.sqrt((residual**2).sum()) / len(amounts)
    assert abs(mean - expected) < 4 * standard_error, (mean, expected, standard_error)
    assert 4 * standard_error < 0.05 * expected  # tight enough to catch a wrong scale


def test_rows_variant_hits_the_requested_size():
    frame, truth = simulate_transactions_rows(50_000, random_state=2, return_truth=True)
    assert 45_000 <= len(frame) <= 55_000
    assert list(truth.index) == list(frame["customer_id"].unique())
    small = simulate_transactions_rows(5_000, r=1.0, alpha=5.0, random_state=2)
    assert 4_500 <= len(small) <= 5_500


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: simulate_transactions(0), "n_customers"),
        (lambda: simulate_transactions(10.5), "n_customers"),
        (lambda: simulate_transactions(10, r=0), "r"),
        (lambda: simulate_transactions(10, alpha=-1.0), "alpha"),
        (lambda: simulate_transactions(10, a=float("nan")), "a"),
        (lambda: simulate_transactions(10, b=0), "b"),
        (lambda: simulate_transactions(10, p=-2), "p"),
        (lambda: simulate_transactions(10, q=0), "q"),
        (lambda: simulate_transactions(10, gamma=float("inf")), "gamma"),
        (lambda: simulate_transactions(10, observation_days=0), "observation_days"),
        (lambda: simulate_transactions(10, acquisition_days=600), "acquisition_days"),
        (lambda: simulate_transactions(10, start="not a date"), "start"),
        (lambda: simulate_transactions_rows(0), "n_rows"),
        (lambda: simulate_transactions_rows(100, n_customers=5), "n_customers"),
        (lambda: simulate_transactions_rows(100, q=-1), "q"),
        (lambda: load_b2b_demo(0), "n_customers"),
        (lambda: load_b2b_demo(10, -1), "n_prospects"),
        (lambda: load_b2b_demo(10, as_of="someday"), "as_of"),
    ],
)
def test_bad_parameters_raise_parameter_error(call, name):
    with pytest.raises(ParameterError, match=name) as caught:
        call()
    assert isinstance(caught.value, ValueError)
    assert "got" in str(caught.value)


# --- B2B demo ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def b2b():
    return load_b2b_demo(300, 60, as_of="2025-06-30", random_state=4)


def test_b2b_is_deterministic_per_seed(b2b):
    transactions, master = load_b2b_demo(300, 60, as_of="2025-06-30", random_state=4)
    pd.testing.assert_frame_equal(transactions, b2b[0])
    pd.testing.assert_frame_equal(master, b2b[1])
    other, _ = load_b2b_demo(300, 60, as_of="2025-06-30", random_state=5)
    assert not other.equals(transactions)


def test_b2b_schema(b2b):
    transactions, master = b2b
    assert list(transactions.columns) == B2B_COLUMNS
    assert list(master.columns) == MASTER_COLUMNS
    assert pd.api.types.is_datetime64_dtype(transactions["下单时间"])
    assert pd.api.types.is_datetime64_dtype(master["首次接触日期"])
    assert transactions["金额"].dtype == np.float64
    assert pd.api.types.is_integer_dtype(transactions["数量"])
    assert transactions["下单时间"].is_monotonic_increasing
    assert master["客户编号"].is_unique and master["客户名称"].is_unique
    assert master["客户编号"].str.fullmatch(r"KH\d{5}").all()
    assert set(master["客户类型"]) == {"企业", "个人", "政府"}
    assert master["客户类型"].value_counts().idxmax() == "企业"
    assert set(master["地区"]) == {"国内", "国际"}
    assert set(master["负责人资历"]) == {"初级", "中级", "高级", "经理"}
    assert set(master["决策风格"]) == {"质量导向", "价格导向", "服务导向"}
    assert 10 <= master["销售负责人"].nunique() <= 14
    assert (master.groupby("销售负责人")["负责人资历"].nunique() == 1).all()


def test_b2b_customers_and_prospects(b2b):
    transactions, master = b2b
    buyers = set(transactions["客户编号"])
    assert len(master) == 360
    assert buyers <= set(master["客户编号"])
    assert len(set(master["客户编号"]) - buyers) == 60
    first_purchase = transactions.groupby("客户编号")["下单时间"].min()
    contact = master.set_index("客户编号")["首次接触日期"].reindex(first_purchase.index)
    assert (contact <= first_purchase).all()


def test_b2b_window_lifecycle_and_concentration(b2b):
    transactions, _ = b2b
    as_of = pd.Timestamp("2025-06-30")
    assert transactions["下单时间"].max() < as_of
    assert transactions["下单时间"].min() >= as_of - pd.Timedelta(days=731)
    purchases = transactions[transactions["金额"] > 0].drop_duplicates()
    per_customer = purchases.groupby("客户编号")["下单时间"].agg(["min", "max", "size"])
    assert (per_customer["size"] == 1).mean() > 0.05
    assert (per_customer["max"] < as_of - pd.Timedelta(days=365)).mean() > 0.05
    assert (per_customer["min"] >= as_of - pd.Timedelta(days=60)).mean() > 0.03
    revenue = transactions.groupby("客户编号")["金额"].sum().sort_values(ascending=False)
    top_share = revenue.iloc[: round(0.2 * len(revenue))].sum() / revenue.sum()
    assert 0.6 <= top_share <= 0.9


def test_b2b_has_returns_and_duplicates_to_clean(b2b):
    transactions, _ = b2b
    returns = transactions[transactions["金额"] < 0]
    assert 0.005 <= len(returns) / len(transactions) <= 0.03
    assert (returns["数量"] < 0).all()
    purchases = transactions[transactions["金额"] > 0]
    original = returns.reset_index().merge(
        purchases, on=["客户编号", "订单号"], suffixes=("", "_original")
    )
    assert original["index"].nunique() == len(returns)  # every return has its purchase
    assert (original["下单时间_original"] <= original["下单时间"]).all()
    assert (-original["金额"] <= original["金额_original"] + 0.01).all()
    duplicated = transactions.duplicated().sum()
    assert 1 <= duplicated <= 0.02 * len(transactions)
