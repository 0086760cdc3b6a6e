"""Pareto/NBD and MBG/NBD against the published CDNOW figures, lifetimes, and awkward data."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate

import custanalytics as ca
from custanalytics.clv._inputs import model_inputs
from custanalytics.clv._mbgnbd import ModifiedBetaGeoModel
from custanalytics.clv._pareto import ParetoNBDModel, _with_pairs

with warnings.catch_warnings():  # lifetimes changes pandas options on import
    warnings.simplefilter("ignore")
    import lifetimes  # the reference: if it is broken, these tests fail, never skip

# Fader & Hardie: Pareto/NBD on the CDNOW sample, 39-week calibration, weeks
PUBLISHED_PARETO = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
CDNOW_PARETO = np.array([0.553, 10.578, 0.606, 11.669])
COLUMNS = ("frequency", "recency", "T")


@pytest.fixture(scope="module")
def arrays(cdnow_weeks):
    return tuple(cdnow_weeks[c].to_numpy(dtype="float64") for c in COLUMNS)


@pytest.fixture(scope="module")
def pareto(cdnow_weeks):
    return ParetoNBDModel().fit(cdnow_weeks)


@pytest.fixture(scope="module")
def mbg(cdnow_weeks):
    return ModifiedBetaGeoModel().fit(cdnow_weeks)


@pytest.fixture(scope="module")
def lifetimes_pareto(arrays):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # lifetimes stops Nelder-Mead at tol=1e-4 by default (beta is then off by 1e-4
        # relative); a tight tolerance and a fixed start make its MLE exact and deterministic
        return lifetimes.ParetoNBDFitter().fit(
            *arrays, tol=1e-12, maxiter=50_000, initial_params=np.ones(4)
        )


@pytest.fixture(scope="module")
def lifetimes_mbg(arrays):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lifetimes.ModifiedBetaGeoFitter().fit(*arrays)


def with_params(model_class, params, time_unit="W"):
    """A model of ``model_class`` carrying given parameters, for predictions only."""
    model = model_class()
    model.params_ = pd.Series(np.asarray(params, dtype="float64"), index=model._param_names)
    model.time_unit_ = time_unit
    return model


def table(frequency, recency, T, time_unit="W"):
    frame = pd.DataFrame({"frequency": frequency, "recency": recency, "T": T}, dtype="float64")
    frame.attrs["time_unit"] = time_unit
    return frame


def pareto_p_alive_by_quadrature(params, x, tx, T):
    """P(alive) from the integral form: odds dead = s int_tx^T ... d tau (Fader & Hardie)."""
    r, alpha, s, beta = params
    if T == tx:
        return 1.0

    def log_integrand(tau):
        return (
            (r + x) * (np.log(alpha + T) - np.log(alpha + tau))
            + s * (np.log(beta + T) - np.log(beta + tau))
            - np.log(beta + tau)
        )

    peak = log_integrand(tx)
    value, _ = integrate.quad(
        lambda tau: np.exp(log_integrand(tau) - peak), tx, T, epsabs=0, epsrel=1e-12, limit=200
    )
    return 1.0 / (1.0 + np.exp(np.log(s) + peak + np.log(value)))


def check_gradient(model, params, x, tx, T, rtol=1e-6):
    data = model_inputs(None, COLUMNS, {"frequency": x, "recency": tx, "T": T}, compress=False)
    analytic = model._gradient(params, data)
    numeric = np.empty_like(analytic)
    for i in range(len(params)):
        values = []
        for k in (-2, -1, 1, 2):  # five-point stencil
            shifted = params.copy()
            shifted[i] += k * 1e-4 * params[i]
            values.append(model._log_likelihood(shifted, data))
        numeric[i] = (values[0] - 8 * values[1] + 8 * values[2] - values[3]) / (12e-4 * params[i])
    np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=rtol)


# -- Pareto/NBD -----------------------------------------------------------------------------
def test_pareto_reproduces_published_parameters(pareto):
    for name, value in PUBLISHED_PARETO.items():
        assert pareto.params_[name] == pytest.approx(value, rel=1e-3), name
    assert pareto.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)
    assert pareto.converged_
    assert pareto.time_unit_ == "W"
    assert pareto.n_customers_ == 2357
    assert np.isfinite(pareto.summary_.to_numpy()).all()


def test_pareto_matches_lifetimes_fit(pareto, lifetimes_pareto):
    reference = lifetimes_pareto.params_[list(pareto.params_.index)]
    np.testing.assert_allclose(pareto.params_.to_numpy(), reference.to_numpy(), rtol=1e-4)


def test_pareto_log_likelihood_matches_lifetimes(arrays):
    data = model_inputs(None, COLUMNS, dict(zip(COLUMNS, arrays, strict=True)), compress=False)
    for params in (CDNOW_PARETO, np.array([0.5, 2.0, 1.3, 40.0]), np.array([2.0, 50.0, 0.3, 1.5])):
        ours = ParetoNBDModel()._log_likelihood(params, data)
        reference = lifetimes.ParetoNBDFitter._conditional_log_likelihood(params, *arrays)
        np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-10)


def test_pareto_distinct_pairs_change_nothing(cdnow_weeks):
    data = model_inputs(cdnow_weeks, COLUMNS, {})
    paired = _with_pairs(data)
    assert paired.pairs["T"][0].size < data.weights.size
    model = ParetoNBDModel()
    for params in (CDNOW_PARETO, np.array([2.0, 50.0, 0.3, 1.5])):
        np.testing.assert_array_equal(
            model._log_likelihood(params, paired), model._log_likelihood(params, data)
        )
        np.testing.assert_allclose(
            model._gradient(params, paired), model._gradient(params, data), rtol=1e-12
        )


def test_pareto_predictions_match_lifetimes(cdnow_weeks, arrays, lifetimes_pareto):
    model = with_params(ParetoNBDModel, lifetimes_pareto.params_[["r", "alpha", "s", "beta"]])
    np.testing.assert_allclose(
        model.probability_alive(cdnow_weeks).to_numpy(),
        lifetimes_pareto.conditional_probability_alive(*arrays),
        rtol=1e-6,
    )
    for horizon in (1.0, 10.0, 39.0, 520.0):
        np.testing.assert_allclose(
            model.expected_purchases(cdnow_weeks, horizon).to_numpy(),
            lifetimes_pareto.conditional_expected_number_of_purchases_up_to_time(horizon, *arrays),
            rtol=1e-6,
        )
        np.testing.assert_allclose(
            model.expected_purchases_new_customer(horizon),
            lifetimes_pareto.expected_number_of_purchases_up_to_time(horizon),
            rtol=1e-6,
        )


@pytest.mark.parametrize(
    "params",
    [CDNOW_PARETO, (0.55, 1.0, 0.6, 50.0), (0.55, 50.0, 0.6, 1.0), (0.243, 4.41, 1.0, 2.43)],
)
def test_pareto_probability_alive_is_exact_and_finite_for_heavy_buyers(params):
    model = with_params(ParetoNBDModel, params)
    cases = table(
        [221, 221, 2000, 500, 5, 0, 30],
        [103.43, 50.0, 100.0, 103.0, 1.0, 0.0, 30.0],
        [103.57, 103.57, 104.0, 104.0, 100.0, 40.0, 30.0],
    )
    p_alive = model.probability_alive(cases).to_numpy()
    assert np.isfinite(p_alive).all()
    assert ((p_alive >= 0) & (p_alive <= 1)).all()
    reference = [pareto_p_alive_by_quadrature(params, *row) for row in cases.to_numpy()]
    np.testing.assert_allclose(p_alive, reference, rtol=1e-8)
    for horizon in (10.0, 520.0):
        expected = model.expected_purchases(cases, horizon).to_numpy()
        assert np.isfinite(expected).all() and (expected >= 0).all()


def test_pareto_heavy_buyer_with_fitted_model(pareto):
    heavy = table([221], [103.43], [103.57])
    p_alive = pareto.probability_alive(heavy).iloc[0]
    assert 0.99 < p_alive <= 1.0
    expected = pareto.expected_purchases_uncertainty(heavy, 10, level=0.95)
    assert np.isfinite(expected.to_numpy()).all()
    # an active customer buying about twice a week keeps doing so
    assert 15 < expected["expected_purchases"].iloc[0] < 25


@pytest.mark.parametrize(
    "params",
    [
        CDNOW_PARETO,  # alpha < beta, small hypergeometric argument
        np.array([0.5, 2.0, 1.3, 40.0]),  # alpha << beta: z near 1 for small recency
        np.array([2.0, 50.0, 0.3, 1.5]),  # alpha >> beta
        np.array([0.3, 4.0, 0.8, 4.0]),  # alpha == beta: z = 0
    ],
)
def test_pareto_gradient_is_exact(params):
    x = np.array([0.0, 0, 1, 5, 29, 221, 3, 2])
    tx = np.array([0.0, 0, 3, 20, 38.4, 103.43, 0.5, 10.0])
    T = np.array([0.5, 39, 39, 39, 38.9, 103.57, 39, 10.0])
    check_gradient(ParetoNBDModel(), params.copy(), x, tx, T)


def test_pareto_recovers_simulated_parameters():
    rng = np.random.default_rng(11)
    n, T = 20_000, 52.0
    r, alpha, s, beta = 0.6, 8.0, 0.8, 12.0
    lam = rng.gamma(r, 1 / alpha, n)
    lifetime = rng.exponential(1 / rng.gamma(s, 1 / beta, n))
    active = np.minimum(lifetime, T)
    x = rng.poisson(lam * active).astype(float)
    tx = np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1), 0.0)  # last of x uniforms
    model = ParetoNBDModel().fit(frequency=x, recency=tx, T=np.full(n, T))
    truth = pd.Series({"r": r, "alpha": alpha, "s": s, "beta": beta})
    z = ((model.params_ - truth) / model.standard_errors_).abs()
    assert (z < 3).all(), model.summary_  # 3-standard-error rule


# -- MBG/NBD --------------------------------------------------------------------------------
def test_mbg_matches_lifetimes_fit(mbg, lifetimes_mbg):
    reference = lifetimes_mbg.params_[list(mbg.params_.index)]
    np.testing.assert_allclose(mbg.params_.to_numpy(), reference.to_numpy(), rtol=1e-4)
    assert mbg.converged_
    assert mbg.n_customers_ == 2357
    assert np.isfinite(mbg.summary_.to_numpy()).all()


def test_mbg_log_likelihood_matches_lifetimes(arrays, mbg):
    params = mbg.params_.to_numpy()
    mean_nll = lifetimes.ModifiedBetaGeoFitter._negative_log_likelihood(
        np.log(params), *arrays, np.ones(len(arrays[0])), 0.0
    )
    assert mbg.log_likelihood_ == pytest.approx(-mean_nll * len(arrays[0]), rel=1e-12)


def test_mbg_predictions_match_lifetimes(cdnow_weeks, arrays, lifetimes_mbg):
    model = with_params(ModifiedBetaGeoModel, lifetimes_mbg.params_[["r", "alpha", "a", "b"]])
    np.testing.assert_allclose(
        model.probability_alive(cdnow_weeks).to_numpy(),
        lifetimes_mbg.conditional_probability_alive(*arrays),
        rtol=1e-6,
    )
    for horizon in (1.0, 10.0, 39.0, 520.0):
        np.testing.assert_allclose(
            model.expected_purchases(cdnow_weeks, horizon).to_numpy(),
            lifetimes_mbg.conditional_expected_number_of_purchases_up_to_time(horizon, *arrays),
            rtol=1e-6,
        )
        np.testing.assert_allclose(
            model.expected_purchases_new_customer(horizon),
            lifetimes_mbg.expected_number_of_purchases_up_to_time(horizon),
            rtol=1e-6,
        )


def test_mbg_one_time_buyers_can_be_inactive(mbg, cdnow_weeks):
    p_alive = mbg.probability_alive(cdnow_weeks)
    one_time = cdnow_weeks["frequency"] == 0
    assert (p_alive[one_time] < 1).all()
    r, alpha, a, b = mbg.params_
    # below the limit 1 / (1 + a/b) at T = 0: the longer the silence, the lower
    assert (p_alive[one_time] < 1 / (1 + a / b)).all()
    assert p_alive[one_time].corr(cdnow_weeks.loc[one_time, "T"]) < 0


def test_mbg_heavy_buyers_stay_finite(mbg):
    heavy = table([221, 500, 2000], [103.43, 103.0, 100.0], [103.57, 104.0, 104.0])
    p_alive = mbg.probability_alive(heavy).to_numpy()
    assert np.isfinite(p_alive).all() and ((p_alive >= 0) & (p_alive <= 1)).all()
    for horizon in (10.0, 520.0):  # the untransformed 2F1 overflows here for x = 500
        expected = mbg.expected_purchases(heavy, horizon).to_numpy()
        assert np.isfinite(expected).all() and (expected >= 0).all()


@pytest.mark.parametrize(
    "params",
    [np.array([0.525, 6.18, 0.891, 1.614]), np.array([2.0, 50.0, 0.3, 0.7])],
)
def test_mbg_gradient_is_exact(params):
    x = np.array([0.0, 0, 1, 5, 29, 221])
    tx = np.array([0.0, 0, 3, 20, 38.4, 103.43])
    T = np.array([0.5, 39, 39, 39, 38.9, 103.57])
    check_gradient(ModifiedBetaGeoModel(), params.copy(), x, tx, T)


def test_mbg_recovers_simulated_parameters():
    rng = np.random.default_rng(5)
    n, T = 20_000, 52.0
    r, alpha, a, b = 0.5, 6.0, 0.8, 3.0
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    purchases = rng.poisson(lam * T)  # repeat purchases an immortal customer would make
    lasting = rng.geometric(p) - 1  # purchases survived, counting the first one
    x = np.minimum(purchases, lasting).astype(float)
    # the x-th of `purchases` uniform purchase times on (0, T)
    tx = np.where(x > 0, T * rng.beta(np.maximum(x, 1), purchases - x + 1), 0.0)
    model = ModifiedBetaGeoModel().fit(frequency=x, recency=tx, T=np.full(n, T))
    truth = pd.Series({"r": r, "alpha": alpha, "a": a, "b": b})
    z = ((model.params_ - truth) / model.standard_errors_).abs()
    assert (z < 3).all(), model.summary_  # 3-standard-error rule


# -- both models ----------------------------------------------------------------------------
MODELS = [ParetoNBDModel, ModifiedBetaGeoModel]


@pytest.mark.parametrize("model_class", MODELS)
def test_not_fitted(model_class):
    model = model_class()
    assert "not fitted" in repr(model)
    with pytest.raises(ca.NotFittedError, match="call fit"):
        model.probability_alive(frequency=[1], recency=[1], T=[2])
    with pytest.raises(ca.NotFittedError):
        model.expected_purchases(frequency=[1], recency=[1], T=[2], horizon=4)
    with pytest.raises(ca.NotFittedError):
        _ = model.summary_


@pytest.mark.parametrize("model_class", MODELS)
def test_all_one_time_buyers_is_a_clear_error(model_class):
    with pytest.raises(ca.ModelFitError, match="none of the 50 customers bought more than once"):
        model_class().fit(frequency=np.zeros(50), recency=np.zeros(50), T=np.arange(1, 51.0))


@pytest.mark.parametrize("model_class", MODELS)
@pytest.mark.parametrize("row", [(3.0, 20.0, 30.0), (0.0, 0.0, 30.0)])
# a one-customer "fit" may end with huge standard errors, whose intervals overflow in the base
@pytest.mark.filterwarnings("ignore:overflow encountered in exp:RuntimeWarning")
def test_single_customer_fits_or_fails_cleanly(model_class, row):
    x, tx, T = row
    try:
        model = model_class().fit(frequency=[x], recency=[tx], T=[T])
    except ca.ModelFitError as error:
        assert "penalizer" in str(error) or "bought more than once" in str(error)
    else:
        assert np.isfinite(model.params_.to_numpy()).all()


@pytest.mark.parametrize("model_class", MODELS)
def test_bad_input_is_a_data_error(model_class):
    with pytest.raises(ca.DataError, match="column 'recency'"):
        model_class().fit(frequency=[1, 2], recency=[1, -3], T=[5, 5])
    with pytest.raises(ca.DataError, match="recency is larger than T"):
        model_class().fit(frequency=[1, 2], recency=[1, 6], T=[5, 5])


@pytest.mark.parametrize("fixture", ["pareto", "mbg"])
def test_intervals_and_time_units(fixture, request, cdnow_weeks):
    model = request.getfixturevalue(fixture)
    result = model.expected_purchases_uncertainty(cdnow_weeks, 39, level=0.95)
    assert list(result.columns) == ["expected_purchases", "mean_lower", "mean_upper"]
    assert np.isfinite(result.to_numpy()).all()
    assert (result["mean_lower"] <= result["expected_purchases"]).all()
    assert (result["expected_purchases"] <= result["mean_upper"]).all()
    assert (result["mean_lower"] < result["mean_upper"]).any()
    in_days = model.expected_purchases(cdnow_weeks, 273, time_unit="D")
    np.testing.assert_allclose(in_days.to_numpy(), result["expected_purchases"].to_numpy())
    clv = model.customer_lifetime_value(
        cdnow_weeks, 30.0, horizon=12, time_unit="M", discount_rate=0.1
    )
    assert np.isfinite(clv.to_numpy()).all() and (clv >= 0).all()
