"""CLV models, ours vs lifetimes, same data, same process.

    python bench/clv.py [--customers 1000000] [--models bgnbd mbgnbd pareto gg]
                        [--repeats 3] [--lifetimes-repeats 1]

Data: customers simulated from the BG/NBD process with Gamma-Gamma spend
(custanalytics.datasets.simulate_transactions), summarised at day resolution. For each
model: fit time (median of repeats), prediction time for all customers, and the largest
relative difference of the fitted parameters.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

import custanalytics as ca
from custanalytics.clv import (
    BetaGeoModel,
    GammaGammaModel,
    ModifiedBetaGeoModel,
    ParetoNBDModel,
)
from custanalytics.datasets import simulate_transactions


def timed(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def customers_table(n_customers: int):
    frame = simulate_transactions(n_customers, random_state=1)
    as_of = frame["date"].max().date()
    tx = ca.load_transactions(
        frame,
        customer="customer_id",
        date="date",
        amount="amount",
        duplicates="keep",
        returns="keep",
    )
    return ca.summarize(tx, as_of=as_of, time_unit="D"), len(frame)


def models():
    """Key → (name, ours, lifetimes' fitter, fit columns, lifetimes' parameter names)."""
    import lifetimes

    btyd = ("frequency", "recency", "T")
    return {
        "bgnbd": ("BG/NBD", BetaGeoModel, lifetimes.BetaGeoFitter, btyd, ["r", "alpha", "a", "b"]),
        "mbgnbd": (
            "MBG/NBD",
            ModifiedBetaGeoModel,
            lifetimes.ModifiedBetaGeoFitter,
            btyd,
            ["r", "alpha", "a", "b"],
        ),
        "pareto": (
            "Pareto/NBD",
            ParetoNBDModel,
            lifetimes.ParetoNBDFitter,
            btyd,
            ["r", "alpha", "s", "beta"],
        ),
        "gg": (
            "Gamma-Gamma",
            GammaGammaModel,
            lifetimes.GammaGammaFitter,
            ("frequency", "monetary_value"),
            ["p", "q", "v"],
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lifetimes-repeats", type=int, default=1)
    parser.add_argument("--models", nargs="+", default=["bgnbd", "mbgnbd", "pareto", "gg"])
    args = parser.parse_args()
    summary, rows = customers_table(args.customers)
    print(
        f"{len(summary):,} customers, {rows:,} transactions, "
        f"{int((summary.frequency > 0).sum()):,} repeat buyers"
    )
    print(
        "| model | ours fit s | lifetimes fit s | speed-up | max rel. param diff |"
        " ours predict s | lifetimes predict s |"
    )
    print("|---|---|---|---|---|---|---|")
    available = models()
    for key in args.models:
        name, ours_cls, theirs_cls, columns, their_names = available[key]
        data = summary if name != "Gamma-Gamma" else summary[summary.frequency > 0]
        ours_s, ours = timed(lambda cls=ours_cls, d=data: cls().fit(d), args.repeats)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs_s, theirs = timed(
                lambda cls=theirs_cls, d=data, c=columns: cls().fit(*[d[k] for k in c]),
                args.lifetimes_repeats,
            )
        diff = np.max(np.abs(ours.params_.to_numpy() / theirs.params_[their_names].to_numpy() - 1))
        if name == "Gamma-Gamma":
            ours_p, _ = timed(lambda m=ours: m.expected_spend(summary), args.repeats)
            theirs_p, _ = timed(
                lambda m=theirs: m.conditional_expected_average_profit(
                    summary["frequency"], summary["monetary_value"]
                ),
                args.lifetimes_repeats,
            )
        else:
            ours_p, _ = timed(lambda m=ours: m.expected_purchases(summary, 30), args.repeats)
            theirs_p, _ = timed(
                lambda m=theirs: m.conditional_expected_number_of_purchases_up_to_time(
                    30, summary["frequency"], summary["recency"], summary["T"]
                ),
                args.lifetimes_repeats,
            )
        print(
            f"| {name} | {ours_s:.3f} | {theirs_s:.2f} | {theirs_s / ours_s:.0f}x | "
            f"{diff:.1e} | {ours_p:.3f} | {theirs_p:.3f} |"
        )
    if "bgnbd" in args.models:
        prediction_timings(summary, args.repeats)


def prediction_timings(summary, repeats: int) -> None:
    """Time BG/NBD's predictions for every customer, with and without 95 % intervals."""
    model = BetaGeoModel().fit(summary)
    clv = {"horizon": 12, "time_unit": "M", "discount_rate": 0.1}
    calls = [
        ("P(alive)", lambda: model.probability_alive(summary)),
        ("expected purchases, 30 days", lambda: model.expected_purchases(summary, 30)),
        ("same, with 95 % interval", lambda: model.expected_purchases(summary, 30, interval=0.95)),
        ("CLV, 12 months", lambda: model.customer_lifetime_value(summary, 30.0, **clv)),
        (
            "same, with 95 % interval",
            lambda: model.customer_lifetime_value(summary, 30.0, interval=0.95, **clv),
        ),
    ]
    print("\n| BG/NBD prediction, all customers | median s |\n|---|---:|")
    for name, call in calls:
        print(f"| {name} | {timed(call, repeats)[0]:.3f} |")


if __name__ == "__main__":
    main()
