"""Time-invariant covariates in BG/NBD and MBG/NBD (Fader & Hardie 2007)."""

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.clv import BetaGeoModel, ModifiedBetaGeoModel
from custanalytics.clv._inputs import model_inputs
from custanalytics.datasets import simulate_transactions

EFFECT = 0.7  # south buys exp(0.7) = 2x as often: alpha_south = alpha exp(-0.7)


@pytest.fixture(scope="module")
def two_regions():
    frames = []
    for seed, (region, alpha) in enumerate((("north", 20.0), ("south", 20.0 * np.exp(-EFFECT)))):
        log = simulate_transactions(5_000, r=0.5, alpha=alpha, a=0.7, b=2.5, random_state=seed)
        frames.append(
            log.assign(customer_id=region + log["customer_id"].astype(str), region=region)
        )
    log = pd.concat(frames, ignore_index=True)
    tx = ca.load_transactions(
        log, customer="customer_id", date="date", amount="amount", duplicates="keep", returns="keep"
    )
    summary = ca.summarize(tx, as_of="2025-06-28", time_unit="W")
    joined = summary.join(log.groupby("customer_id")["region"].first())
    joined.attrs = summary.attrs  # a join does not carry the time unit along
    return joined


@pytest.fixture(scope="module")
def fitted(two_regions):
    return BetaGeoModel(covariates=["region"]).fit(two_regions)


def test_recovers_the_covariate_effect(fitted):
    assert fitted.feature_names_ == ["region=south"]
    assert fitted.covariate_levels_ == {"region": ["north", "south"]}
    assert list(fitted.params_.index) == [
        "r", "alpha", "a", "b", "purchase[region=south]", "a[region=south]", "b[region=south]"
    ]  # fmt: skip
    truth = pd.Series(
        {"r": 0.5, "alpha": 20.0, "a": 0.7, "b": 2.5, "purchase[region=south]": EFFECT,
         "a[region=south]": 0.0, "b[region=south]": 0.0}
    )  # fmt: skip
    z = ((fitted.params_ - truth) / fitted.standard_errors_).abs()
    assert (z < 3).all(), fitted.summary_  # 3-standard-error rule
    # intervals of the effects are symmetric (they can be negative)
    ci = fitted.confidence_intervals_.loc["purchase[region=south]"]
    assert ci["upper_95"] - EFFECT == pytest.approx(EFFECT - ci["lower_95"], abs=0.2)


def test_predictions_use_each_customers_profile(fitted, two_regions):
    expected = fitted.expected_purchases(two_regions, 52).groupby(two_regions["region"]).mean()
    assert expected["south"] > 1.3 * expected["north"]
    new_north = fitted.expected_purchases_new_customer(52, profile={"region": "north"})
    new_south = fitted.expected_purchases_new_customer(52, profile={"region": "south"})
    assert new_south > 1.5 * new_north
    prospects = pd.DataFrame({"region": ["south", "north"]}, index=["p1", "p2"])
    scored = fitted.expected_purchases_new_customer(12, time_unit="M", profile=prospects)
    assert list(scored.index) == ["p1", "p2"] and scored["p1"] > scored["p2"]
    ranges = fitted.purchases_interval(two_regions.head(50), 52)
    assert (ranges["lower"] <= ranges["upper"]).all()
    band = fitted.expected_purchases_uncertainty(two_regions.head(50), 52)
    assert (band["mean_lower"] <= band["expected_purchases"]).all()


@pytest.mark.parametrize("cls", [BetaGeoModel, ModifiedBetaGeoModel])
def test_zero_or_constant_covariates_reduce_to_the_plain_model(cls, two_regions):
    base = two_regions[["frequency", "recency", "T"]].copy()
    base.attrs = two_regions.attrs
    params = np.array([0.5, 20.0, 0.7, 2.5])
    plain = cls()
    data = model_inputs(base, plain._columns, {})
    reference = plain._log_likelihood(params, data)
    for value in (0.0, 1.7):
        frame = base.assign(z=value)
        model = cls(covariates=["z"])
        inputs = model._collect(frame, {"frequency": None, "recency": None, "T": None}, None, None)
        g = np.array([0.3, -0.2, 0.4])
        shifted = params * np.exp(np.array([0.0, -g[0], g[1], g[2]]) * value)
        ours = model._log_likelihood(np.concatenate([params, g]), inputs)
        np.testing.assert_allclose(
            ours, plain._log_likelihood(shifted, model_inputs(base, plain._columns, {})),
            rtol=1e-12,
        )  # fmt: skip
        if value == 0.0:
            np.testing.assert_allclose(ours, reference, rtol=1e-12)


@pytest.mark.parametrize("cls", [BetaGeoModel, ModifiedBetaGeoModel])
def test_covariate_gradient_is_exact(cls, two_regions):
    frame = two_regions.iloc[::25].assign(size=np.linspace(-1, 2, 400))  # both regions
    model = cls(covariates=["region", "size"])
    data = model._collect(frame, {"frequency": None, "recency": None, "T": None}, None, None)
    params = np.array([0.6, 15.0, 0.8, 3.0, 0.4, -0.3, 0.2, 0.1, -0.5, 0.3])
    analytic = model._gradient(params, data) @ data.weights
    numeric = np.empty_like(params)
    for i in range(len(params)):
        step = 1e-6 * max(abs(params[i]), 1.0)
        up, down = params.copy(), params.copy()
        up[i] += step
        down[i] -= step
        numeric[i] = (
            data.weights @ model._log_likelihood(up, data)
            - data.weights @ model._log_likelihood(down, data)
        ) / (2 * step)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def test_covariate_errors_name_the_column(fitted, two_regions):
    with pytest.raises(ca.DataError, match="level the model was not fitted on, e.g. 'west'"):
        fitted.probability_alive(two_regions.head(3).assign(region="west"))
    with pytest.raises(ca.DataError, match="covariate column 'region' is missing"):
        fitted.probability_alive(two_regions[["frequency", "recency", "T"]])
    with pytest.raises(ca.ParameterError, match="pass a customer table"):
        fitted.probability_alive(frequency=[1], recency=[1], T=[2])
    with pytest.raises(ca.ParameterError, match="pass profile"):
        fitted.expected_purchases_new_customer(52)
    with pytest.raises(ca.ParameterError, match="covariates must be a list"):
        BetaGeoModel(covariates="region").fit(two_regions)
    with pytest.raises(ca.ParameterError, match="fit\\(customers\\)"):
        BetaGeoModel(covariates=["region"]).fit(frequency=[1, 2], recency=[1, 2], T=[3, 3])
    missing = two_regions.head(20).copy()
    missing["region"] = missing["region"].where(missing.index != missing.index[3])
    with pytest.raises(ca.DataError, match="1 customer\\(s\\) have no value"):
        BetaGeoModel(covariates=["region"]).fit(missing)
    with pytest.raises(ca.ParameterError, match="covariate_penalizer"):
        BetaGeoModel(covariates=["region"], covariate_penalizer=-1).fit(two_regions)


def test_covariate_penalizer_shrinks_the_effects(two_regions):
    strong = BetaGeoModel(covariates=["region"], covariate_penalizer=10.0).fit(two_regions)
    assert abs(strong.params_["purchase[region=south]"]) < 0.1


def pareto_groups(n, seed, purchase=0.6, dropout=-0.5):
    """Pareto/NBD customers in two groups; group B's alpha and beta are shifted."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n)
    r, alpha, s, beta, T = 0.6, 8.0, 0.8, 12.0, 52.0
    lam = rng.gamma(r, 1 / (alpha * np.exp(-purchase * group)), n)
    mu = rng.gamma(s, 1 / (beta * np.exp(-dropout * group)), n)
    active = np.minimum(rng.exponential(1 / mu), T)
    x = rng.poisson(lam * active).astype(float)
    tx = np.where(x > 0, active * rng.beta(np.maximum(x, 1), 1), 0.0)
    frame = pd.DataFrame(
        {"frequency": x, "recency": tx, "T": T, "group": np.where(group == 1, "B", "A")}
    )
    frame.attrs["time_unit"] = "W"
    return frame


def test_pareto_recovers_covariate_effects():
    from custanalytics.clv import ParetoNBDModel

    frame = pareto_groups(20_000, seed=3)
    model = ParetoNBDModel(covariates=["group"]).fit(frame)
    truth = pd.Series(
        {"r": 0.6, "alpha": 8.0, "s": 0.8, "beta": 12.0, "purchase[group=B]": 0.6,
         "dropout[group=B]": -0.5}
    )  # fmt: skip
    z = ((model.params_ - truth) / model.standard_errors_).abs()
    assert (z < 3).all(), model.summary_  # 3-standard-error rule
    p_alive = model.probability_alive(frame).groupby(frame["group"]).mean()
    assert p_alive["B"] > p_alive["A"]  # group B drops out later
    assert np.isfinite(model.purchases_interval(frame.head(200), 26).to_numpy()).all()
    new = model.expected_purchases_new_customer(52, profile=pd.DataFrame({"group": ["A", "B"]}))
    assert new.iloc[1] > new.iloc[0]


def test_pareto_covariates_reduce_to_the_plain_model_and_gradient_is_exact():
    from custanalytics.clv import ParetoNBDModel

    frame = pareto_groups(300, seed=4).assign(zero=0.0, size=np.round(np.linspace(-1, 1, 300), 1))
    params = np.array([0.6, 8.0, 0.8, 12.0])
    plain = ParetoNBDModel()
    base = model_inputs(frame, plain._columns, {})
    model = ParetoNBDModel(covariates=["zero"])
    data = model._collect(frame, {"frequency": None, "recency": None, "T": None}, None, None)
    np.testing.assert_allclose(
        model._log_likelihood(np.append(params, [0.4, -0.3]), data),
        plain._log_likelihood(params, base),
        rtol=1e-12,
    )
    model = ParetoNBDModel(covariates=["group", "size"])
    data = model._collect(frame, {"frequency": None, "recency": None, "T": None}, None, None)
    full = np.concatenate([params, [0.4, 0.2, -0.3, 0.1]])
    analytic = model._gradient(full, data) @ data.weights
    numeric = np.empty_like(full)
    for i in range(len(full)):
        step = 1e-6 * max(abs(full[i]), 1.0)
        up, down = full.copy(), full.copy()
        up[i] += step
        down[i] -= step
        numeric[i] = (
            data.weights @ model._log_likelihood(up, data)
            - data.weights @ model._log_likelihood(down, data)
        ) / (2 * step)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)
