"""BG/NBD against the published CDNOW figures, lifetimes, and on awkward data."""

import warnings

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.clv import BetaGeoModel

with warnings.catch_warnings():  # lifetimes changes pandas options on import
    warnings.simplefilter("ignore")
    import lifetimes  # the reference: if it is broken, these tests fail, never skip

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie & Lee 2005


@pytest.fixture(scope="module")
def fitted(cdnow_weeks):
    return BetaGeoModel().fit(cdnow_weeks)


def test_reproduces_published_parameters(fitted):
    for name, value in PUBLISHED.items():
        assert fitted.params_[name] == pytest.approx(value, rel=5e-3), name
    assert fitted.log_likelihood_ == pytest.approx(-9582.43, abs=0.01)
    assert fitted.time_unit_ == "W"
    assert fitted.n_customers_ == 2357


def test_worked_example_prediction(fitted):
    one = pd.DataFrame({"frequency": [2], "recency": [30.43], "T": [38.86]})
    one.attrs["time_unit"] = "W"
    assert fitted.expected_purchases(one, 39).iloc[0] == pytest.approx(1.226, abs=5e-4)


def test_agrees_with_lifetimes(cdnow_weeks, fitted):
    reference = lifetimes.BetaGeoFitter().fit(
        cdnow_weeks["frequency"], cdnow_weeks["recency"], cdnow_weeks["T"]
    )
    theirs = reference.params_[["r", "alpha", "a", "b"]].to_numpy()
    np.testing.assert_allclose(fitted.params_.to_numpy(), theirs, rtol=1e-4)
    # predictions at identical parameters
    model = BetaGeoModel().fit(cdnow_weeks)
    model.params_[:] = theirs
    f, r, t = cdnow_weeks["frequency"], cdnow_weeks["recency"], cdnow_weeks["T"]
    np.testing.assert_allclose(
        model.expected_purchases(cdnow_weeks, 39),
        reference.conditional_expected_number_of_purchases_up_to_time(39, f, r, t),
        rtol=1e-6,
    )
    for horizon in (1.0, 39.0, 52.0):
        assert model.expected_purchases_new_customer(horizon) == pytest.approx(
            reference.expected_number_of_purchases_up_to_time(horizon), rel=1e-6
        )
    assert model.expected_purchases_new_customer(364, time_unit="D") == pytest.approx(
        model.expected_purchases_new_customer(52)
    )
    np.testing.assert_allclose(
        model.probability_alive(cdnow_weeks),
        reference.conditional_probability_alive(f, r, t),
        rtol=1e-6,
    )


def test_summary_and_intervals(fitted):
    table = fitted.summary_
    assert list(table.columns) == ["estimate", "std_error", "lower_95", "upper_95"]
    assert (table["lower_95"] < table["estimate"]).all()
    assert (table["estimate"] < table["upper_95"]).all()
    assert "r=0.2426" in repr(fitted) and "-9582.43" in repr(fitted)


def test_prediction_interval_brackets_point(fitted, cdnow_weeks):
    result = fitted.expected_purchases_uncertainty(cdnow_weeks, 52, level=0.95)
    assert list(result.columns) == ["expected_purchases", "mean_lower", "mean_upper"]
    assert (result["mean_lower"] <= result["expected_purchases"]).all()
    assert (result["expected_purchases"] <= result["mean_upper"]).all()
    assert result.index.equals(cdnow_weeks.index)


def test_horizon_units_are_converted(fitted, cdnow_weeks):
    in_weeks = fitted.expected_purchases(cdnow_weeks, 52)
    in_days = fitted.expected_purchases(cdnow_weeks, 364, time_unit="D")
    np.testing.assert_allclose(in_weeks, in_days)


def test_clv_units_and_discounting(fitted, cdnow_weeks):
    year = fitted.customer_lifetime_value(
        cdnow_weeks, 30.0, horizon=12, time_unit="M", discount_rate=0.0
    )
    purchases = fitted.expected_purchases(cdnow_weeks, 12, time_unit="M")
    np.testing.assert_allclose(year, purchases * 30.0, rtol=1e-9)
    discounted = fitted.customer_lifetime_value(
        cdnow_weeks, 30.0, horizon=1, time_unit="Y", discount_rate=0.1
    )
    assert (discounted < year).all() and (discounted > year / 1.1).all()
    with pytest.raises(ca.ParameterError, match="annual rate"):
        fitted.customer_lifetime_value(
            cdnow_weeks, 30.0, horizon=12, time_unit="M", discount_rate=10
        )
    with pytest.raises(TypeError):
        fitted.customer_lifetime_value(cdnow_weeks, 30.0, horizon=12, discount_rate=0.1)


def test_not_fitted_and_bad_input():
    model = BetaGeoModel()
    with pytest.raises(ca.NotFittedError, match="call fit"):
        model.probability_alive(frequency=[1], recency=[1], T=[2])
    assert "not fitted" in repr(model)
    with pytest.raises(ca.DataError, match="column 'recency'"):
        model.fit(frequency=[1, 2], recency=[1, -3], T=[5, 5])
    with pytest.raises(ca.DataError, match="missing from the customer table"):
        model.fit(pd.DataFrame({"frequency": [1]}))
    with pytest.raises(ca.DataError, match="1 customer\\(s\\): recency is larger than T"):
        model.fit(frequency=[1, 2], recency=[1, 6], T=[5, 5])
    with pytest.raises(ca.ParameterError, match="penalizer"):
        BetaGeoModel(penalizer=-1).fit(frequency=[1, 0], recency=[1, 0], T=[3, 3])


def test_all_one_time_buyers_is_a_clear_outcome():
    with pytest.raises(ca.ModelFitError, match="none of the 50 customers bought more than once"):
        BetaGeoModel().fit(frequency=np.zeros(50), recency=np.zeros(50), T=np.arange(1, 51.0))


def test_huge_frequencies_stay_finite(fitted):
    big = pd.DataFrame({"frequency": [221, 500], "recency": [103.43, 103.0], "T": [103.57, 104.0]})
    big.attrs["time_unit"] = "W"
    assert np.isfinite(fitted.probability_alive(big)).all()
    assert np.isfinite(fitted.expected_purchases(big, 10)).all()


def test_parameter_recovery_on_simulated_data():
    rng = np.random.default_rng(7)
    n, T = 20_000, 52.0
    r, alpha, a, b = 0.5, 6.0, 0.8, 3.0
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x, tx = np.zeros(n), np.zeros(n)
    t, alive = np.zeros(n), np.ones(n, bool)
    while alive.any():
        t = t + rng.exponential(1 / np.maximum(lam, 1e-12))
        alive &= t < T
        x[alive] += 1
        tx[alive] = t[alive]
        alive &= rng.random(n) > p
    model = BetaGeoModel().fit(frequency=x, recency=tx, T=np.full(n, T))
    truth = pd.Series({"r": r, "alpha": alpha, "a": a, "b": b})
    z = ((model.params_ - truth) / model.standard_errors_).abs()
    assert (z < 3).all(), model.summary_  # 3-standard-error rule
