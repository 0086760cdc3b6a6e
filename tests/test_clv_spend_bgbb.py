"""Gamma-Gamma (CDNOW) and BG/BB (donations): published figures, lifetimes, awkward data."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

import custanalytics as ca
from custanalytics.clv import _bgbb
from custanalytics.clv._bgbb import BetaGeoBetaBinomModel
from custanalytics.clv._gammagamma import GammaGammaModel
from custanalytics.clv._inputs import model_inputs
from custanalytics.datasets import cdnow_path

GG_PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}  # Fader & Hardie (2013), CDNOW sample
BGBB_PUBLISHED = {
    "alpha": 1.204,
    "beta": 0.750,
    "gamma": 0.657,
    "delta": 2.783,
}  # Fader, Hardie & Shang 2010


# -- fixtures --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spend(cdnow_weeks):
    return GammaGammaModel().fit(cdnow_weeks)


@pytest.fixture(scope="module")
def donations():
    return pd.read_csv(cdnow_path("donations.csv")).rename(columns={"periods": "n_periods"})


@pytest.fixture(scope="module")
def bgbb(donations):
    return BetaGeoBetaBinomModel().fit(donations)


@pytest.fixture(scope="module")
def lifetimes():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import lifetimes

        return lifetimes


def _numeric_gradient(model, params, data):
    def total(p):
        return data.weights @ model._log_likelihood(p, data)

    return optimize.approx_fprime(params, total, 1e-7 * params)


# -- Gamma-Gamma -----------------------------------------------------------------------
def test_gg_reproduces_published_parameters(spend):
    for name, value in GG_PUBLISHED.items():
        assert round(spend.params_[name], 2) == value, name
    assert spend.n_customers_ == 946
    assert spend.excluded_ == {"no repeat purchase": 1411, "zero or negative spend": 0}
    assert spend.converged_


def test_gg_repr_and_summary_mention_exclusions(spend):
    text = repr(spend)
    assert "p=6.25" in text and "946 customers" in text
    assert "excluded 1,411 no repeat purchase" in text
    table = spend.summary_
    assert list(table.columns) == ["estimate", "std_error", "lower_95", "upper_95"]
    assert (table["lower_95"] < table["estimate"]).all()
    assert (table["estimate"] < table["upper_95"]).all()
    assert table.attrs == {}  # fitted facts live on the model, not in DataFrame.attrs


def test_gg_frequency_spend_correlation(spend, cdnow_weeks):
    repeat = cdnow_weeks[cdnow_weeks["frequency"] > 0]
    expected = np.corrcoef(repeat["frequency"], repeat["monetary_value"])[0, 1]
    assert spend.frequency_spend_correlation_ == pytest.approx(expected, rel=1e-12)
    assert abs(expected) < 0.3  # about 0.11: no warning on CDNOW
    with warnings.catch_warnings():
        warnings.simplefilter("error", ca.CustAnalyticsWarning)
        GammaGammaModel().fit(cdnow_weeks)


def test_gg_agrees_with_lifetimes(spend, cdnow_weeks, lifetimes):
    repeat = cdnow_weeks[cdnow_weeks["frequency"] > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = lifetimes.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    theirs = reference.params_[["p", "q", "v"]].to_numpy()
    np.testing.assert_allclose(spend.params_.to_numpy(), theirs, rtol=1e-4)
    # log-likelihood and predictions at identical parameters
    nll = reference._negative_log_likelihood(
        np.log(theirs),
        repeat["frequency"].to_numpy(float),
        repeat["monetary_value"].to_numpy(),
        np.ones(len(repeat)),
        0.0,
    )
    data = model_inputs(repeat, ("frequency", "monetary_value"), {}, compress=False)
    assert spend._log_likelihood(theirs, data).sum() == pytest.approx(-nll * len(repeat), 1e-10)
    model = GammaGammaModel().fit(cdnow_weeks)
    model.params_[:] = theirs
    np.testing.assert_allclose(
        model.expected_spend(cdnow_weeks),
        reference.conditional_expected_average_profit(
            cdnow_weeks["frequency"], cdnow_weeks["monetary_value"]
        ),
        rtol=1e-6,
    )


def test_gg_agrees_with_lifetimes_bundled_summary(lifetimes):
    table = pd.read_csv(cdnow_path("cdnow_customers_summary_with_transactions.csv"))
    ours = GammaGammaModel().fit(frequency=table["x"], monetary_value=table["zbar"])
    repeat = table[table["x"] > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = lifetimes.GammaGammaFitter().fit(repeat["x"], repeat["zbar"])
    np.testing.assert_allclose(ours.params_, reference.params_[["p", "q", "v"]], rtol=1e-4)
    assert ours.excluded_["no repeat purchase"] == 1411


def test_gg_expected_spend_for_every_customer(spend, cdnow_weeks):
    p, q, gamma = spend.params_
    result = spend.expected_spend(cdnow_weeks)
    assert result.index.equals(cdnow_weeks.index) and result.name == "expected_spend"
    one_time = cdnow_weeks["frequency"] == 0
    np.testing.assert_allclose(result[one_time], p * gamma / (q - 1), rtol=1e-12)
    assert spend.population_mean_spend == pytest.approx(p * gamma / (q - 1))
    x, m = cdnow_weeks["frequency"], cdnow_weeks["monetary_value"]
    weight = p * x / (p * x + q - 1)
    expected = (1 - weight) * spend.population_mean_spend + weight * m
    np.testing.assert_allclose(result, expected, rtol=1e-12)
    # arrays give the same answer, on a RangeIndex
    arrays = spend.expected_spend(frequency=x.to_numpy(), monetary_value=m.to_numpy())
    np.testing.assert_allclose(arrays, result)
    assert isinstance(arrays.index, pd.RangeIndex)


def test_gg_prediction_interval(spend, cdnow_weeks):
    result = spend.expected_spend_uncertainty(cdnow_weeks, level=0.95)
    assert list(result.columns) == ["expected_spend", "mean_lower", "mean_upper"]
    assert result.index.equals(cdnow_weeks.index)
    assert (result["mean_lower"] < result["expected_spend"]).all()
    assert (result["expected_spend"] < result["mean_upper"]).all()
    np.testing.assert_allclose(result["expected_spend"], spend.expected_spend(cdnow_weeks))


def test_gg_arrays_weights_and_table_agree(spend, cdnow_weeks):
    x, m = cdnow_weeks["frequency"].to_numpy(), cdnow_weeks["monetary_value"].to_numpy()
    on_arrays = GammaGammaModel().fit(frequency=x, monetary_value=m)
    np.testing.assert_allclose(on_arrays.params_, spend.params_, rtol=1e-6)
    doubled = GammaGammaModel().fit(frequency=x, monetary_value=m, weights=np.full(len(x), 2.0))
    np.testing.assert_allclose(doubled.params_, spend.params_, rtol=1e-5)
    assert doubled.n_customers_ == 2 * 946
    assert doubled.excluded_["no repeat purchase"] == 2 * 1411


def test_gg_gradient_matches_numeric():
    rng = np.random.default_rng(1)
    x = rng.integers(1, 10, 300).astype(float)
    data = model_inputs(
        None,
        ("frequency", "monetary_value"),
        {"frequency": x, "monetary_value": rng.gamma(3.0, 10.0, 300)},
    )
    model = GammaGammaModel()
    for params in (np.array([2.0, 3.0, 20.0]), np.array([6.0, 1.5, 4.0])):
        analytic = model._gradient(params, data) @ data.weights
        np.testing.assert_allclose(analytic, _numeric_gradient(model, params, data), rtol=1e-4)


def test_gg_recovers_simulated_parameters():
    rng = np.random.default_rng(2024)
    p, q, gamma, n = 6.0, 4.0, 15.0, 5_000
    x = 1 + rng.poisson(2.0, n)
    nu = rng.gamma(q, 1 / gamma, n)
    m = rng.gamma(p * x, 1 / nu) / x  # mean of x Gamma(p, nu) spends
    fitted = GammaGammaModel().fit(frequency=x, monetary_value=m)
    truth = pd.Series({"p": p, "q": q, "gamma": gamma})
    z = ((fitted.params_ - truth) / fitted.standard_errors_).abs()
    assert (z < 3).all(), fitted.summary_  # 3-standard-error rule
    assert abs(fitted.frequency_spend_correlation_) < 0.3


def test_gg_excludes_zero_and_negative_spend(cdnow_weeks, spend):
    table = cdnow_weeks[["frequency", "monetary_value"]].copy()
    repeat = table.index[table["frequency"] > 0]
    extra = pd.DataFrame(
        {"frequency": [2, 3, 1, 0], "monetary_value": [0.0, -12.5, -1.0, np.nan]},
        index=["R1", "R2", "R3", "N1"],
    )
    fitted = GammaGammaModel().fit(pd.concat([table, extra]))
    assert fitted.excluded_ == {"no repeat purchase": 1412, "zero or negative spend": 3}
    assert "3 zero or negative spend" in repr(fitted)
    np.testing.assert_allclose(fitted.params_, spend.params_, rtol=1e-6)
    result = fitted.expected_spend(extra)
    p, q, gamma = fitted.params_
    assert result["N1"] == pytest.approx(p * gamma / (q - 1))  # missing spend, no repeat: mean
    assert result["R2"] == pytest.approx(p * gamma / (3 * p + q - 1))  # negative spend as 0
    assert len(repeat) == 946


def test_gg_too_few_usable_customers_is_a_model_fit_error():
    frame = pd.DataFrame(
        {
            "frequency": [0] * 20 + [1] * 5 + [2] * 3,
            "monetary_value": [0.0] * 20 + [9.0] * 5 + [0.0] * 3,
        }
    )
    with pytest.raises(ca.ModelFitError, match="only 5 customer") as info:
        GammaGammaModel().fit(frame)
    assert info.value.reason == "too_few_customers"
    assert "20 no repeat purchase" in str(info.value)
    assert "3 zero or negative spend" in str(info.value)


def test_gg_warns_when_spend_depends_on_frequency():
    rng = np.random.default_rng(7)
    x = 1 + rng.poisson(3.0, 2_000)
    m = rng.gamma(5.0, 2.0 * x)  # spend grows with frequency
    with pytest.warns(ca.CustAnalyticsWarning, match="Pearson r = 0\\.[3-9]") as record:
        fitted = GammaGammaModel().fit(frequency=x, monetary_value=m)
    assert record[0].filename == __file__  # points at the caller
    assert fitted.frequency_spend_correlation_ > 0.3


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (pd.DataFrame({"frequency": [1, -1], "monetary_value": [1.0, 2.0]}), "'frequency': 1"),
        (pd.DataFrame({"frequency": [1, 2], "monetary_value": [1.0, np.nan]}), "'monetary_value'"),
        (pd.DataFrame({"frequency": [1, np.inf], "monetary_value": [1.0, 2.0]}), "inf"),
        (pd.DataFrame({"frequency": [1, 2]}), "'monetary_value' is missing"),
        (pd.DataFrame({"frequency": [], "monetary_value": []}), "empty"),
    ],
)
def test_gg_bad_inputs_are_data_errors(frame, match):
    with pytest.raises(ca.DataError, match=match):
        GammaGammaModel().fit(frame)


def test_gg_bad_weights_and_arrays():
    with pytest.raises(ca.DataError, match="weights"):
        GammaGammaModel().fit(frequency=[1] * 20, monetary_value=[5.0] * 20, weights=[0] * 20)
    with pytest.raises(ca.DataError, match="'monetary_value' is missing"):
        GammaGammaModel().fit(frequency=[1, 2])
    with pytest.raises(ca.DataError, match="3 values, expected 2"):
        GammaGammaModel().fit(frequency=[1, 2], monetary_value=[1.0, 2.0, 3.0])


def test_gg_not_fitted(cdnow_weeks):
    model = GammaGammaModel()
    assert "not fitted" in repr(model)
    with pytest.raises(ca.NotFittedError):
        model.expected_spend(cdnow_weeks)
    with pytest.raises(ca.NotFittedError):
        model.summary_  # noqa: B018
    with pytest.raises(ca.NotFittedError):
        model.population_mean_spend  # noqa: B018


def test_gg_unidentified_fit_is_a_model_fit_error():
    # every customer made three repeat purchases worth exactly 10: no spread to fit
    with pytest.raises(ca.ModelFitError):
        GammaGammaModel().fit(frequency=np.full(50, 3.0), monetary_value=np.full(50, 10.0))


def test_gg_heavy_tailed_spend_has_no_mean():
    rng = np.random.default_rng(3)
    x = 1 + rng.poisson(2.0, 3_000)
    m = rng.gamma(4.0 * x, 1 / rng.gamma(0.6, 1 / 10.0, 3_000)) / x  # true q = 0.6 < 1
    model = GammaGammaModel()
    with pytest.raises(ca.ModelFitError, match="no finite mean") as info:
        model.fit(frequency=x, monetary_value=m)  # raised in fit, not first in predict
    assert info.value.reason == "no_finite_mean"
    assert info.value.values["q"] < 1
    assert "penalizer" in str(info.value)
    assert not hasattr(model, "params_")
    with pytest.raises(ca.NotFittedError):
        model.expected_spend(frequency=x, monetary_value=m)


# -- BG/BB -----------------------------------------------------------------------------
def test_bgbb_reproduces_published_parameters(bgbb):
    for name, value in BGBB_PUBLISHED.items():
        assert round(bgbb.params_[name], 3) == value, name
    assert bgbb.n_customers_ == 11_104
    assert bgbb.converged_
    assert bgbb.time_unit_ is None  # opportunities, not a time unit
    assert "alpha=1.204" in repr(bgbb) and "11,104 customers" in repr(bgbb)


def test_bgbb_agrees_with_lifetimes(bgbb, donations, lifetimes):
    f, r, n, w = (donations[c] for c in ("frequency", "recency", "n_periods", "weights"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = lifetimes.BetaGeoBetaBinomFitter().fit(f, r, n, w)
    theirs = reference.params_[["alpha", "beta", "gamma", "delta"]].to_numpy()
    np.testing.assert_allclose(bgbb.params_.to_numpy(), theirs, rtol=1e-4)
    assert bgbb.log_likelihood_ == pytest.approx(
        -reference._negative_log_likelihood_ * w.sum(), rel=1e-8
    )
    # log-likelihood and predictions at identical parameters
    ours_ll = bgbb._log_likelihood(theirs, bgbb._inputs(donations, None, None, None))
    their_ll = reference._loglikelihood(theirs, f.to_numpy(), r.to_numpy(), n.to_numpy())
    np.testing.assert_allclose(np.sort(ours_ll), np.sort(np.asarray(their_ll)), rtol=1e-10, atol=0)
    model = BetaGeoBetaBinomModel().fit(donations)
    model.params_[:] = theirs
    for ahead in (0, 1, 3):
        np.testing.assert_allclose(
            model.probability_alive(donations, periods_ahead=ahead),
            reference.conditional_probability_alive(ahead, f, r, n),
            rtol=1e-6,
        )
    for horizon in (1, 5, 10):
        np.testing.assert_allclose(
            model.expected_purchases(donations, horizon),
            reference.conditional_expected_number_of_purchases_up_to_time(horizon, f, r, n),
            rtol=1e-6,
        )


def test_bgbb_weights_column_arrays_and_expanded_rows_agree(bgbb, donations):
    explicit = BetaGeoBetaBinomModel().fit(
        frequency=donations["frequency"],
        recency=donations["recency"],
        n_periods=donations["n_periods"],
        weights=donations["weights"],
    )
    np.testing.assert_allclose(explicit.params_, bgbb.params_, rtol=1e-6)
    expanded = donations.loc[donations.index.repeat(donations["weights"])].drop(columns="weights")
    per_customer = BetaGeoBetaBinomModel().fit(expanded)
    np.testing.assert_allclose(per_customer.params_, bgbb.params_, rtol=1e-6)
    assert per_customer.log_likelihood_ == pytest.approx(bgbb.log_likelihood_, rel=1e-9)


def test_bgbb_predictions_are_aligned_and_sane(bgbb, donations):
    table = donations.set_index(pd.Index([f"c{i}" for i in range(len(donations))]))
    alive = bgbb.probability_alive(table)
    assert alive.index.equals(table.index) and alive.name == "p_alive"
    assert ((alive > 0) & (alive <= 1)).all()
    assert alive[table["recency"] == table["n_periods"]].eq(1.0).all()  # bought last time
    later = bgbb.probability_alive(table, periods_ahead=1)
    assert (later < alive).all()
    purchases = bgbb.expected_purchases(table, 5)
    assert purchases.index.equals(table.index) and purchases.name == "expected_purchases"
    assert (bgbb.expected_purchases(table, 10) > purchases).all()
    assert (purchases < 5).all()
    band = bgbb.expected_purchases_uncertainty(table, 5, level=0.9)
    assert list(band.columns) == ["expected_purchases", "mean_lower", "mean_upper"]
    assert (band["mean_lower"] < purchases).all() and (purchases < band["mean_upper"]).all()


def test_bgbb_gradient_matches_numeric(donations):
    model = BetaGeoBetaBinomModel()
    data = model._inputs(donations, None, None, None, weights=donations["weights"])
    for params in (np.array([1.2, 0.75, 0.66, 2.8]), np.array([0.5, 2.0, 1.3, 0.7])):
        analytic = model._gradient(params, data) @ data.weights
        np.testing.assert_allclose(analytic, _numeric_gradient(model, params, data), rtol=1e-4)


def test_bgbb_expected_purchases_continuous_at_gamma_one(bgbb, donations):
    x, tx, n = (donations[c].to_numpy(float) for c in ("frequency", "recency", "n_periods"))
    values = [
        bgbb._expected_purchases(np.array([1.2, 0.75, g, 2.8]), x, tx, n, 5.0)
        for g in (1 - 1e-5, 1.0, 1 + 1e-5)
    ]
    np.testing.assert_allclose(values[1], values[0], rtol=1e-4)
    np.testing.assert_allclose(values[1], values[2], rtol=1e-4)


def _simulate_bgbb(rng, n_customers, n_periods, alpha, beta, gamma, delta):
    p = rng.beta(alpha, beta, n_customers)[:, None]
    theta = rng.beta(gamma, delta, n_customers)[:, None]
    alive = np.cumprod(rng.random((n_customers, n_periods)) >= theta, axis=1).astype(bool)
    bought = alive & (rng.random((n_customers, n_periods)) < p)
    opportunity = np.arange(1, n_periods + 1)
    return pd.DataFrame(
        {
            "frequency": bought.sum(axis=1),
            "recency": (bought * opportunity).max(axis=1),
            "n_periods": n_periods,
        }
    )


def test_bgbb_recovers_simulated_parameters_over_long_runs(monkeypatch):
    true = {"alpha": 1.2, "beta": 0.8, "gamma": 0.6, "delta": 2.5}
    table = _simulate_bgbb(np.random.default_rng(11), 4_000, 30, *true.values())
    fitted = BetaGeoBetaBinomModel().fit(table)
    z = ((fitted.params_ - pd.Series(true)) / fitted.standard_errors_).abs()
    assert (z < 3).all(), fitted.summary_  # 3-standard-error rule
    # processing the dropout sum in small blocks gives the same likelihood
    data = fitted._inputs(table, None, None, None)
    whole = fitted._log_likelihood(fitted.params_.to_numpy(), data)
    monkeypatch.setattr(_bgbb, "_BLOCK_CELLS", 50)
    np.testing.assert_allclose(fitted._log_likelihood(fitted.params_.to_numpy(), data), whole)


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ((2, 3, 2), "'recency': 1 row.*exceeds n_periods"),
        ((3, 2, 6), "'frequency': 1 row.*exceeds recency"),
        ((0, 2, 6), "'recency': 1 row.*must be 0"),
        ((1.5, 2, 6), "'frequency': 1 row.*whole"),
        ((1, 2, 6.5), "'n_periods': 1 row.*whole"),
        ((-1, 0, 6), "negative"),
    ],
)
def test_bgbb_bad_patterns_are_data_errors(donations, row, match):
    table = donations.drop(columns="weights").astype("float64")
    table.loc[len(table)] = row
    with pytest.raises(ca.DataError, match=match) as info:
        BetaGeoBetaBinomModel().fit(table)
    assert "e.g." in str(info.value)


def test_bgbb_other_input_errors(bgbb, donations):
    with pytest.raises(ca.DataError, match="'n_periods' is missing"):
        BetaGeoBetaBinomModel().fit(donations.drop(columns="n_periods"))
    with pytest.raises(ca.DataError, match="'recency' is missing"):
        BetaGeoBetaBinomModel().fit(frequency=[1, 2], n_periods=[3, 3])
    with pytest.raises(ca.ParameterError, match="horizon"):
        bgbb.expected_purchases(donations, 0)
    with pytest.raises(ca.ParameterError, match="periods_ahead"):
        bgbb.probability_alive(donations, periods_ahead=-1)
    bad = donations.assign(recency=donations["n_periods"] + 1)
    with pytest.raises(ca.DataError, match="exceeds n_periods"):
        bgbb.probability_alive(bad)


def test_bgbb_without_purchases_is_a_model_fit_error():
    table = pd.DataFrame({"frequency": [0] * 30, "recency": [0] * 30, "n_periods": [6] * 30})
    with pytest.raises(ca.ModelFitError, match="repeat purchase"):
        BetaGeoBetaBinomModel().fit(table)


def test_bgbb_not_fitted(donations):
    model = BetaGeoBetaBinomModel()
    assert "not fitted" in repr(model)
    with pytest.raises(ca.NotFittedError):
        model.probability_alive(donations)
    with pytest.raises(ca.NotFittedError):
        model.expected_purchases(donations, 5)
