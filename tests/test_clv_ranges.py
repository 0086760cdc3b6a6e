"""Predictive ranges: P(X(t) = n | history), purchase intervals and CLV ranges."""

import warnings

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.clv import (
    BetaGeoModel,
    GammaGammaModel,
    ModifiedBetaGeoModel,
    ParetoNBDModel,
    evaluate,
)
from custanalytics.datasets import simulate_transactions

with warnings.catch_warnings():  # lifetimes changes pandas options on import
    warnings.simplefilter("ignore")
    import lifetimes  # the reference: if it is broken, these tests fail, never skip

MODELS = [BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel]
THEIRS = {
    BetaGeoModel: (lifetimes.BetaGeoFitter, ["r", "alpha", "a", "b"]),
    ModifiedBetaGeoModel: (lifetimes.ModifiedBetaGeoFitter, ["r", "alpha", "a", "b"]),
    ParetoNBDModel: (lifetimes.ParetoNBDFitter, ["r", "alpha", "s", "beta"]),
}


@pytest.fixture(scope="module")
def fitted(cdnow_weeks):
    return {cls: cls().fit(cdnow_weeks) for cls in MODELS}


def one_row(x, tx, T):
    frame = pd.DataFrame({"frequency": [x], "recency": [tx], "T": [T]}, dtype="float64")
    frame.attrs["time_unit"] = "W"
    return frame


@pytest.mark.parametrize("cls", MODELS)
def test_distribution_sums_to_one_and_has_the_expected_mean(cls, fitted, cdnow_weeks):
    model = fitted[cls]
    dist = model.purchases_distribution(cdnow_weeks, 39, max_purchases=80)
    assert list(dist.columns[:3]) == [0, 1, 2] and dist.columns[-1] == "more"
    np.testing.assert_allclose(dist.sum(axis=1), 1.0, atol=1e-12)
    assert (dist.to_numpy() >= 0).all()
    light = dist["more"] < 1e-12
    assert light.mean() > 0.99
    mean = dist.drop(columns="more").to_numpy() @ np.arange(81)
    expected = model.expected_purchases(cdnow_weeks, 39)
    np.testing.assert_allclose(mean[light], expected[light], rtol=1e-7, atol=1e-10)


def test_new_customer_distribution_matches_lifetimes(fitted):
    # a customer just acquired (x = t_x = T = 0) is lifetimes' unconditional P(X(t) = n)
    # (lifetimes has it for BG/NBD; Pareto/NBD is checked in its conditional form below,
    # MBG/NBD through its BG/NBD twin)
    cls = BetaGeoModel
    fitter, names = THEIRS[cls]
    reference = fitter()
    reference.params_ = pd.Series(fitted[cls].params_.to_numpy(), index=names)
    dist = fitted[cls].purchases_distribution(one_row(0, 0, 0), 39, max_purchases=6)
    for n in range(7):
        theirs = float(np.asarray(reference.probability_of_n_purchases_up_to_time(39, n)))
        assert dist[n].iloc[0] == pytest.approx(theirs, rel=1e-9), n


def test_pareto_conditional_distribution_matches_lifetimes(fitted, cdnow_weeks):
    model = fitted[ParetoNBDModel]
    reference = lifetimes.ParetoNBDFitter()
    reference.params_ = pd.Series(model.params_.to_numpy(), index=["r", "alpha", "s", "beta"])
    rows = pd.concat([cdnow_weeks.iloc[:300], cdnow_weeks.nlargest(20, "frequency")])
    dist = model.purchases_distribution(rows, 39, max_purchases=12)
    for n in (0, 1, 2, 5, 12):
        theirs = reference.conditional_probability_of_n_purchases_up_to_time(
            n, 39, rows["frequency"], rows["recency"], rows["T"]
        )
        np.testing.assert_allclose(dist[n], np.asarray(theirs), rtol=1e-8, atol=1e-13)


def test_mbg_distribution_is_bgnbd_with_one_more_dropout_chance(fitted):
    # MBG/NBD given alive is a BG/NBD process with b' = b + x + 1 (BG/NBD: b + x)
    mbg = fitted[ModifiedBetaGeoModel]
    r, alpha, a, b = mbg.params_
    twin = BetaGeoModel()
    twin.params_ = pd.Series([r, alpha, a, b + 1.0], index=["r", "alpha", "a", "b"])
    twin.time_unit_ = "W"
    ours = mbg.purchases_distribution(one_row(3, 20, 30), 26, max_purchases=8)
    alive = mbg.probability_alive(one_row(3, 20, 30)).iloc[0]
    fresh = twin.purchases_distribution(one_row(3, 20, 30), 26, max_purchases=8)
    bg_alive = twin.probability_alive(one_row(3, 20, 30)).iloc[0]
    # strip each model's P(alive) mixture: the alive parts agree
    for n in range(1, 9):
        assert ours[n].iloc[0] / alive == pytest.approx(fresh[n].iloc[0] / bg_alive, rel=1e-10)


@pytest.mark.parametrize("cls", MODELS)
def test_purchases_interval_brackets_and_is_whole(cls, fitted, cdnow_weeks):
    model = fitted[cls]
    narrow = model.purchases_interval(cdnow_weeks, 39, level=0.5)
    wide = model.purchases_interval(cdnow_weeks, 39, level=0.95)
    assert list(wide.columns) == ["expected_purchases", "lower", "upper"]
    for frame in (narrow, wide):
        assert (frame["lower"] <= frame["upper"]).all()
        assert (frame[["lower", "upper"]] == frame[["lower", "upper"]].round()).all().all()
    assert (wide["upper"] >= narrow["upper"]).all() and (wide["lower"] <= narrow["lower"]).all()
    heavy = model.purchases_interval(one_row(30, 38, 39), 39, level=0.8).iloc[0]
    assert heavy["lower"] < heavy["expected_purchases"] < heavy["upper"]
    with pytest.raises(ca.ParameterError, match="level must be between 0 and 1"):
        model.purchases_interval(cdnow_weeks, 39, level=80)


def test_interval_holds_the_probability_closest_to_the_level(fitted):
    model = fitted[BetaGeoModel]
    row = one_row(30, 38, 39)
    dist = model.purchases_distribution(row, 39, max_purchases=200).iloc[0]
    cdf = dist.drop("more").cumsum().to_numpy()
    bounds = model.purchases_interval(row, 39, level=0.8).iloc[0]
    lo, hi = int(bounds["lower"]), int(bounds["upper"])
    assert lo > 0 and cdf[lo - 1] < 0.1 <= cdf[lo]  # the 10 % quantile
    held = cdf[hi] - cdf[lo - 1]
    for other in (hi - 1, hi + 1):
        assert abs(held - 0.8) <= abs(cdf[other] - cdf[lo - 1] - 0.8)


@pytest.fixture(scope="module")
def low_dropout_holdout():
    # counts spread over tens of purchases and few customers gone: the discrete intervals
    # can then hold close to their level (customers sure to buy nothing get [0, 0], which
    # holds more; see bench/RESULTS.md for CDNOW)
    log = simulate_transactions(
        4_000, r=2.0, alpha=10.0, a=2.0, b=300.0, observation_days=730, random_state=5
    )
    tx = ca.load_transactions(
        log, customer="customer_id", date="date", amount="amount", duplicates="keep", returns="keep"
    )
    return ca.summarize(tx, as_of="2025-12-30", time_unit="W", calibration_end="2024-12-30")


@pytest.mark.parametrize("cls", [BetaGeoModel, ModifiedBetaGeoModel])
def test_interval_coverage_on_generated_holdout(cls, low_dropout_holdout):
    model = cls().fit(low_dropout_holdout)
    coverage = {
        lv: evaluate(model, low_dropout_holdout, level=lv).interval_coverage for lv in (0.5, 0.8)
    }
    assert 0.75 <= coverage[0.8] <= 0.85, coverage
    assert 0.45 <= coverage[0.5] <= 0.55, coverage


def test_clv_range_with_known_spend_is_the_count_range(fitted, cdnow_weeks):
    model = fitted[BetaGeoModel]
    spend = pd.Series(25.0, index=cdnow_weeks.index)
    ranges = model.customer_lifetime_value_interval(
        cdnow_weeks, spend, horizon=9, time_unit="M", discount_rate=0.0, level=0.8
    )
    counts = model.purchases_interval(cdnow_weeks, 9, time_unit="M", level=0.8)
    np.testing.assert_allclose(ranges["lower"], counts["lower"] * 25.0, rtol=1e-9)
    np.testing.assert_allclose(ranges["upper"], counts["upper"] * 25.0, rtol=1e-9)
    np.testing.assert_allclose(
        ranges["clv"],
        model.customer_lifetime_value(
            cdnow_weeks, spend, horizon=9, time_unit="M", discount_rate=0.0
        ),
    )


def test_clv_range_with_gamma_gamma_matches_simulation(fitted, cdnow_weeks):
    model, spend = fitted[BetaGeoModel], GammaGammaModel().fit(cdnow_weeks)
    customers = cdnow_weeks.nlargest(3, "frequency")
    ranges = model.customer_lifetime_value_interval(
        customers, spend, horizon=39, time_unit="W", discount_rate=0.0, level=0.8
    )
    dist = model.purchases_distribution(customers, 39, max_purchases=300)
    posterior = spend.spend_posterior(customers)
    rng = np.random.default_rng(0)
    for customer in customers.index:
        probabilities = dist.loc[customer].drop("more").to_numpy(dtype="float64")
        n = rng.choice(probabilities.size, size=200_000, p=probabilities / probabilities.sum())
        p, shape, scale = posterior.loc[customer]
        nu = rng.gamma(shape, 1 / scale, n.size)  # the customer's spend rate
        value = np.where(n > 0, rng.gamma(np.maximum(n, 1) * p, 1 / nu), 0.0)
        low, high = np.quantile(value, [0.1, 0.9])
        assert ranges.loc[customer, "lower"] == pytest.approx(low, rel=0.02)
        assert ranges.loc[customer, "upper"] == pytest.approx(high, rel=0.02)


def test_clv_range_solver_agrees_with_plain_bisection(fitted, cdnow_weeks, monkeypatch):
    from custanalytics.clv import _predict

    model, spend = fitted[BetaGeoModel], GammaGammaModel().fit(cdnow_weeks)
    customers = cdnow_weeks.nlargest(40, "frequency")
    settings = {"horizon": 12, "time_unit": "M", "discount_rate": 0.1, "level": 0.8}
    fast = model.customer_lifetime_value_interval(customers, spend, **settings)
    monkeypatch.setattr(_predict, "_BISECTION_STEPS", 45)
    monkeypatch.setattr(_predict, "_NEWTON_STEPS", 0)
    slow = model.customer_lifetime_value_interval(customers, spend, **settings)
    pd.testing.assert_frame_equal(fast, slow, rtol=1e-7)
