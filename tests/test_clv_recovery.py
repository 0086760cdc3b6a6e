"""Parameter recovery on logs from the data layer's generator, at several sizes.

The summary counts purchase *days* (lifetimes' convention), so two purchases on one day
count once. With a high purchase rate that undercounts frequency by (r + 1) / alpha per
week / 7 (about 3 % for alpha = 6: alpha then comes out 2-3 standard errors too high), so the
recovery test uses a rate low enough for day collisions to be negligible (0.5 %).
"""

import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.clv import BetaGeoModel, GammaGammaModel, ModifiedBetaGeoModel
from custanalytics.datasets import simulate_transactions

TRUTH = {"r": 0.5, "alpha": 20.0, "a": 0.7, "b": 2.5, "p": 6.0, "q": 4.0, "gamma": 15.0}


def weekly_summary(n_customers: int, seed: int) -> pd.DataFrame:
    log = simulate_transactions(n_customers, random_state=seed, **TRUTH)
    as_of = (pd.Timestamp("2024-01-01") + pd.Timedelta(days=545 - 1)).date()
    tx = ca.load_transactions(
        log, customer="customer_id", date="date", amount="amount", duplicates="keep", returns="keep"
    )
    return ca.summarize(tx, as_of=as_of, time_unit="W")


def z_scores(model, names):
    """Distance of each estimate from the truth in standard errors."""
    truth = pd.Series({n: TRUTH[n] for n in names})
    return ((model.params_[names] - truth) / model.standard_errors_[names]).abs()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bgnbd_and_gamma_gamma_recover_the_generator_parameters(seed):
    # Each 95 % interval misses the truth 1 time in 20, so over 7 parameters and 3 seeds a
    # few misses are expected even from a correct fit; the test therefore asks every
    # estimate to be within 3 standard errors (a miss there has probability 0.3 %) and
    # most of them inside their 95 % interval.
    summary = weekly_summary(60_000, seed)
    bgnbd = BetaGeoModel().fit(summary)
    spend = GammaGammaModel().fit(summary)
    scores = pd.concat(
        [z_scores(bgnbd, ["r", "alpha", "a", "b"]), z_scores(spend, ["p", "q", "gamma"])]
    )
    assert (scores < 3).all(), scores
    assert (scores < 1.96).sum() >= 5, scores


@pytest.mark.parametrize("n_customers", [1_000, 10_000, 100_000])
def test_fits_converge_from_1k_to_100k_customers(n_customers):
    summary = weekly_summary(n_customers, seed=3)
    for model in (BetaGeoModel(), ModifiedBetaGeoModel()):
        model.fit(summary)
        assert model.converged_
        assert model.standard_errors_.notna().all()
