"""The estimator contract of the CLV models: checked time units, one error for unidentified
fits, plain fitted state, stable return types."""

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
)
from custanalytics.datasets import load_cdnow_sample

PURCHASE = [BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel]


@pytest.fixture(scope="module")
def cdnow_days():
    tx = ca.load_transactions(
        load_cdnow_sample(), customer="customer_id", date="date", amount="amount", duplicates="keep"
    )
    return ca.summarize(tx, as_of="1997-09-30", time_unit="D")


@pytest.fixture(scope="module")
def weekly_models(cdnow_weeks):
    return {cls: cls().fit(cdnow_weeks) for cls in PURCHASE}


def test_weekly_model_given_daily_table_converts_instead_of_silently_misreading(
    weekly_models, cdnow_weeks, cdnow_days
):
    # issue 8: customer 0002 got P(alive) 0.212 from the weekly table and 0.084 from the
    # daily one, because the daily recency and T were read as weeks
    model = weekly_models[BetaGeoModel]
    weekly = model.probability_alive(cdnow_weeks)
    assert weekly["0002"] == pytest.approx(0.212, abs=5e-4)
    with pytest.warns(ca.CustAnalyticsWarning, match="converted to 'W'"):
        daily = model.probability_alive(cdnow_days)
    np.testing.assert_allclose(daily, weekly, rtol=1e-12)
    with pytest.warns(ca.CustAnalyticsWarning):
        in_days = model.expected_purchases(cdnow_days, 12, time_unit="M")
    np.testing.assert_allclose(
        in_days, model.expected_purchases(cdnow_weeks, 12, time_unit="M"), rtol=1e-12
    )


@pytest.mark.parametrize("cls", PURCHASE)
def test_every_prediction_checks_the_unit(cls, weekly_models, cdnow_weeks, cdnow_days):
    model = weekly_models[cls]
    calls = [
        lambda t: model.probability_alive(t),
        lambda t: model.expected_purchases(t, 10),
        lambda t: model.expected_purchases_uncertainty(t, 10),
        lambda t: model.purchases_interval(t, 10),
        lambda t: model.purchases_distribution(t, 10, max_purchases=2),
        lambda t: model.customer_lifetime_value(
            t, 30.0, horizon=12, time_unit="M", discount_rate=0.1
        ),
    ]
    for call in calls:
        with pytest.warns(ca.CustAnalyticsWarning):
            converted = call(cdnow_days)
        pd.testing.assert_frame_equal(
            pd.DataFrame(converted), pd.DataFrame(call(cdnow_weeks)), rtol=1e-6
        )
    unlabelled = cdnow_weeks[["frequency", "recency", "T"]].copy()
    unlabelled.attrs = {}
    with pytest.raises(ca.DataError, match="records no time unit"):
        model.probability_alive(unlabelled)


def test_model_fitted_on_arrays_has_no_unit_fallback(cdnow_weeks):
    x, tx, T = (cdnow_weeks[c].to_numpy() for c in ("frequency", "recency", "T"))
    bare = BetaGeoModel().fit(frequency=x, recency=tx, T=T)
    assert bare.time_unit_ is None
    with pytest.raises(ca.ParameterError, match="fitted on arrays without a time unit"):
        bare.customer_lifetime_value(
            cdnow_weeks, 30.0, horizon=12, time_unit="M", discount_rate=0.1
        )
    with pytest.raises(ca.ParameterError, match="fit\\(..., time_unit=...\\)"):
        bare.probability_alive(cdnow_weeks)
    with pytest.raises(ca.ParameterError, match="cannot be converted"):
        bare.expected_purchases(frequency=x, recency=tx, T=T, horizon=1, time_unit="M")
    labelled = BetaGeoModel().fit(frequency=x, recency=tx, T=T, time_unit="W")
    assert labelled.time_unit_ == "W"
    np.testing.assert_allclose(
        labelled.probability_alive(cdnow_weeks),
        bare.probability_alive(frequency=x, recency=tx, T=T),
    )
    with pytest.raises(ca.ParameterError, match="contradicts"):
        BetaGeoModel().fit(cdnow_weeks, time_unit="D")


@pytest.mark.parametrize("cls", PURCHASE)
def test_return_types_are_stable(cls, weekly_models, cdnow_weeks):
    model = weekly_models[cls]
    assert isinstance(model.expected_purchases(cdnow_weeks, 5), pd.Series)
    clv = model.customer_lifetime_value(
        cdnow_weeks, 30.0, horizon=12, time_unit="M", discount_rate=0.1
    )
    assert isinstance(clv, pd.Series) and clv.name == "clv"
    band = model.customer_lifetime_value_uncertainty(
        cdnow_weeks, 30.0, horizon=12, time_unit="M", discount_rate=0.1
    )
    assert list(band.columns) == ["clv", "mean_lower", "mean_upper"]
    np.testing.assert_allclose(band["clv"], clv)
    assert model.summary_.attrs == {}


def test_fit_failure_leaves_no_fitted_state(cdnow_weeks):
    model = BetaGeoModel().fit(cdnow_weeks)
    with pytest.raises(ca.ModelFitError) as info:
        model.fit(frequency=np.zeros(20), recency=np.zeros(20), T=np.arange(1, 21.0))
    assert info.value.reason == "no_repeat_buyers"
    assert not hasattr(model, "params_") and not hasattr(model, "time_unit_")
    with pytest.raises(ca.NotFittedError):
        model.probability_alive(cdnow_weeks)


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        ({"penalizer": -1}, "penalizer must be a number >= 0"),
        ({"penalizer": "0.1"}, "penalizer must be a number >= 0"),
        ({"penalty": "l1"}, "penalty must be one of l2, log"),
        ({"max_iter": 0}, "max_iter must be a whole number >= 1"),
        ({"tol": 0}, "tol must be a number > 0"),
    ],
)
def test_bad_settings_are_named(settings, match, cdnow_weeks):
    for cls in (*PURCHASE, GammaGammaModel):
        with pytest.raises(ca.ParameterError, match=match):
            cls(**settings).fit(cdnow_weeks)


def _no_dropout(n, seed):
    """Customers who never drop out: BG/NBD's a -> 0 and Pareto/NBD's s -> 0."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(0.8, 1 / 4.0, n)
    T = rng.uniform(30, 52, n)
    count = rng.poisson(lam * T).astype(float)
    tx = np.where(count > 0, T * rng.beta(np.maximum(count, 1), 1), 0.0)
    frame = pd.DataFrame({"frequency": count, "recency": tx, "T": T})
    frame.attrs["time_unit"] = "W"
    return frame


# Pareto/NBD is rejected (flat) at 3,000 customers already; at 20,000 its creep to the
# boundary costs half a minute of hypergeometric functions near z = 1
@pytest.mark.parametrize(
    ("cls", "n"), [(BetaGeoModel, 20_000), (ModifiedBetaGeoModel, 20_000), (ParetoNBDModel, 3_000)]
)
def test_boundary_fit_is_a_model_fit_error_saying_what_to_change(cls, n):
    with pytest.raises(ca.ModelFitError, match="penalizer") as info:
        cls().fit(_no_dropout(n, seed=4))
    assert info.value.reason in {"boundary", "flat_likelihood"}
    assert set(info.value.values) == set(cls._param_names)
    # the log penalty pulls the dropout parameters back from 0 and identifies the model
    fitted = cls(penalizer=0.01, penalty="log").fit(_no_dropout(n, seed=4))
    assert (fitted.standard_errors_ < fitted.params_).all()
    assert "log penalizer 0.01" in repr(fitted)


def test_penalised_fits_shrink_towards_the_reference(cdnow_weeks):
    plain = BetaGeoModel().fit(cdnow_weeks)
    mild = BetaGeoModel(penalizer=1e-4, penalty="log").fit(cdnow_weeks)
    strong = BetaGeoModel(penalizer=10.0, penalty="log").fit(cdnow_weeks)
    np.testing.assert_allclose(mild.params_, plain.params_, rtol=0.05)
    reference = np.array([1.0, cdnow_weeks["T"].max() / 10, 1.0, 1.0])
    np.testing.assert_allclose(strong.params_, reference, rtol=0.1)
    assert mild.log_likelihood_ < plain.log_likelihood_  # reported unpenalised


def test_gamma_gamma_has_no_time_unit(cdnow_weeks):
    assert GammaGammaModel().fit(cdnow_weeks).time_unit_ is None


def test_importing_the_models_changes_no_warning_filters():
    before = list(warnings.filters)
    import importlib

    import custanalytics.clv

    importlib.reload(custanalytics.clv)
    assert list(warnings.filters) == before
