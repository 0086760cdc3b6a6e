"""model: auto (select_purchase_model) and the Gamma-Gamma fallback (spend_per_purchase)."""

import math

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.clv import (
    BetaGeoModel,
    GammaGammaModel,
    ModelSelection,
    ParetoNBDModel,
    SpendEstimate,
    select_purchase_model,
    spend_per_purchase,
)
from custanalytics.datasets import load_cdnow_sample


@pytest.fixture(scope="module")
def cdnow():
    tx = ca.load_transactions(
        load_cdnow_sample(), customer="customer_id", date="date", amount="amount", duplicates="keep"
    )
    whole = ca.summarize(tx, as_of="1998-06-30", time_unit="W")
    calibration = ca.summarize(tx, as_of="1998-06-30", time_unit="W", calibration_end="1997-09-30")
    return whole, calibration


def no_dropout(n, seed):
    """Generated customers who never drop out: every unpenalised BG/NBD fit is at a boundary."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(0.8, 1 / 4.0, n)
    T = rng.uniform(30, 52, n)
    count = rng.poisson(lam * T).astype(float)
    tx = np.where(count > 0, T * rng.beta(np.maximum(count, 1), 1), 0.0)
    frame = pd.DataFrame({"frequency": count, "recency": tx, "T": T})
    frame.attrs["time_unit"] = "W"
    return frame


def test_auto_picks_by_holdout_error_on_cdnow(cdnow):
    whole, calibration = cdnow
    selection = select_purchase_model(whole, calibration)
    assert isinstance(selection, ModelSelection)
    table = selection.candidates
    assert list(table["model"]) == ["bg_nbd", "mbg_nbd", "pareto_nbd"]
    assert not table["rejected"].any()
    assert selection.criterion == "holdout_rmse"
    assert selection.reason == "lowest_holdout_error"
    best = table.loc[table["holdout_rmse"].idxmin()]
    assert selection.name == best["model"] and bool(best["chosen"])
    assert table["chosen"].sum() == 1
    assert selection.values["score"] == pytest.approx(best["holdout_rmse"])
    assert selection.values["penalized"] is False
    assert selection.penalizer == 0.0
    # the chosen model is fitted on the whole window, with the same result as a direct fit
    direct = type(selection.model)().fit(whole)
    np.testing.assert_allclose(selection.model.params_, direct.params_)
    assert selection.model.n_customers_ == 2357
    # BIC: -2 log L + 4 log n
    row = table.iloc[0]
    assert row["bic"] == pytest.approx(-2 * row["log_likelihood"] + 4 * math.log(2357))
    assert ((table["holdout_coverage"] > 0.8) & (table["holdout_coverage"] <= 1)).all()


def test_auto_without_holdout_uses_bic(cdnow):
    whole, _ = cdnow
    selection = select_purchase_model(whole)
    assert selection.criterion == "bic" and selection.reason == "lowest_bic"
    assert selection.candidates["holdout_rmse"].isna().all()
    best = selection.candidates.loc[selection.candidates["bic"].idxmin(), "model"]
    assert selection.name == best
    assert selection.values["runner_up"] in {"bg_nbd", "mbg_nbd", "pareto_nbd"}


def test_auto_chooses_a_penalizer_when_every_fit_is_at_a_boundary():
    data = no_dropout(20_000, seed=4)
    for model in (BetaGeoModel(), ca.clv.ModifiedBetaGeoModel()):
        with pytest.raises(ca.ModelFitError):
            model.fit(data)
    selection = select_purchase_model(data, candidates=("bg_nbd", "mbg_nbd"))
    assert selection.values["penalized"] is True
    assert selection.values["rejected"] == {"bg_nbd": "boundary", "mbg_nbd": "boundary"}
    assert selection.penalty == "log" and selection.penalizer == 0.001
    table = selection.candidates
    assert list(table["penalizer"]) == [0.0, 0.0, 0.001, 0.001, 0.01, 0.01]
    assert list(table["rejected"]) == [True, True, False, False, False, False]
    assert list(table["reason"]) == ["boundary", "boundary", None, None, None, None]
    # nobody drops out in these data: the chosen model must say so
    p_alive = selection.model.probability_alive(data)
    assert p_alive.mean() > 0.97
    np.testing.assert_allclose(
        selection.model.expected_purchases(data, 52).sum(),
        (data["frequency"] + 0.8) / (4.0 + data["T"]) @ np.full(len(data), 52.0),
        rtol=0.05,
    )


def test_auto_penalizes_pareto_when_its_likelihood_is_flat():
    data = no_dropout(3_000, seed=4)
    with pytest.raises(ca.ModelFitError) as info:
        ParetoNBDModel().fit(data)
    assert info.value.reason == "flat_likelihood"
    selection = select_purchase_model(data, candidates=["pareto_nbd"])
    assert selection.name == "pareto_nbd" and selection.values["penalized"] is True
    assert selection.reason == "lowest_bic"  # among the two penalizers tried


def test_auto_raises_when_nobody_bought_twice():
    frame = pd.DataFrame({"frequency": 0.0, "recency": 0.0, "T": np.arange(1.0, 41.0)})
    frame.attrs["time_unit"] = "W"
    with pytest.raises(ca.ModelFitError) as info:
        select_purchase_model(frame)
    assert info.value.reason == "no_repeat_buyers"


@pytest.mark.parametrize("candidates", [(), ("bg_nbd", "nbd")])
def test_auto_rejects_unknown_candidates(cdnow, candidates):
    with pytest.raises(ca.ParameterError, match="candidates must be"):
        select_purchase_model(cdnow[0], candidates=candidates)


def test_auto_needs_holdout_columns_in_the_calibration(cdnow):
    whole, _ = cdnow
    with pytest.raises(ca.DataError, match="frequency_holdout"):
        select_purchase_model(whole, whole)


def test_spend_uses_gamma_gamma_when_it_fits(cdnow):
    whole, _ = cdnow
    estimate = spend_per_purchase(whole)
    assert isinstance(estimate, SpendEstimate)
    assert estimate.source == "gamma_gamma" and estimate.reason is None
    pd.testing.assert_series_equal(
        estimate.spend, GammaGammaModel().fit(whole).expected_spend(whole)
    )


def test_spend_falls_back_to_observed_mean_with_a_reason():
    rng = np.random.default_rng(3)
    x = 1 + rng.poisson(2.0, 3_000)
    m = rng.gamma(4.0 * x, 1 / rng.gamma(0.6, 1 / 10.0, 3_000)) / x  # q = 0.6: no mean
    table = pd.DataFrame(
        {"frequency": x, "monetary_value": m, "avg_order_value": m * 0.9},
        index=pd.Index([f"c{i}" for i in range(3_000)], name="customer_id"),
    )
    estimate = spend_per_purchase(table)
    assert estimate.source == "observed_mean" and estimate.model is None
    assert estimate.reason == "no_finite_mean" and estimate.values["q"] < 1
    pd.testing.assert_series_equal(
        estimate.spend, table["avg_order_value"].rename("expected_spend")
    )
    few = table.iloc[:5]
    assert spend_per_purchase(few).reason == "too_few_customers"
    with pytest.raises(ca.DataError, match="avg_order_value"):
        spend_per_purchase(few.drop(columns="avg_order_value"))


def test_spend_flags_frequency_spend_correlation():
    rng = np.random.default_rng(7)
    x = 1 + rng.poisson(3.0, 2_000)
    table = pd.DataFrame({"frequency": x, "monetary_value": rng.gamma(5.0, 2.0 * x)})
    estimate = spend_per_purchase(table)
    assert estimate.source == "gamma_gamma"
    assert estimate.reason == "frequency_spend_correlated"
    assert estimate.values["frequency_spend_correlation"] > 0.3


def test_model_names_have_one_home():
    import typing

    allowed = typing.get_args(typing.get_type_hints(ca.ClvParams)["model"])
    assert set(allowed) == {"auto", *ca.clv.CANDIDATE_MODELS}
    assert ca.clv.PURCHASE_MODELS is ca.clv.CANDIDATE_MODELS
    assert ca.ClvParams().model == "auto"
