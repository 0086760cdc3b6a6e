"""CLV models, ours vs lifetimes, same data, same process.

    python bench/clv.py [--customers 1000000] [--models bgnbd mbgnbd pareto gg]
                        [--repeats 3] [--lifetimes-repeats 1] [--ranges] [--no-fit]
    python bench/clv.py --coverage

Data: customers simulated from the BG/NBD process with Gamma-Gamma spend
(custanalytics.datasets.simulate_transactions), summarised at day resolution. For each
model: fit time (median of repeats), prediction time for all customers, and the largest
relative difference of the fitted parameters. ``--ranges`` also times the predictive
ranges of each purchase model; ``--coverage`` measures how often the predictive intervals
hold the actual holdout purchases on CDNOW (sample and full data).
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
    parser.add_argument("--ranges", action="store_true", help="time the predictive ranges")
    parser.add_argument("--no-fit", action="store_true", help="skip the fit comparison")
    parser.add_argument("--coverage", action="store_true", help="CDNOW interval coverage")
    parser.add_argument(
        "--covariates", action="store_true", help="time BG/NBD and MBG/NBD with covariates"
    )
    args = parser.parse_args()
    if args.coverage:
        coverage()
        return
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
    for key in [] if args.no_fit else args.models:
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
    if args.ranges:
        prediction_timings(summary, args.repeats, [k for k in args.models if k != "gg"])
    if args.covariates:
        covariate_timings(summary, args.repeats)


def covariate_timings(summary, repeats: int) -> None:
    """Fit BG/NBD and MBG/NBD with a 4-level region and a numeric covariate (random)."""
    rng = np.random.default_rng(0)
    table = summary.assign(
        region=rng.choice(["east", "north", "south", "west"], len(summary)),
        size=np.round(rng.normal(size=len(summary)), 1),
    )
    table.attrs = summary.attrs
    print("\n| model, covariates region (4 levels) + size | fit s (median) | plain fit s |")
    print("|---|---:|---:|")
    for cls in (BetaGeoModel, ModifiedBetaGeoModel):
        with_cov, model = timed(lambda c=cls: c(covariates=["region", "size"]).fit(table), repeats)
        plain, _ = timed(lambda c=cls: c().fit(summary), repeats)
        print(
            f"| {cls.__name__} ({len(model.params_)} parameters) | {with_cov:.2f} | {plain:.2f} |"
        )


def prediction_timings(summary, repeats: int, keys) -> None:
    """Time each purchase model's predictions for every customer, ranges included."""
    spend = GammaGammaModel().fit(summary)
    clv = {"horizon": 12, "time_unit": "M", "discount_rate": 0.1}
    classes = {"bgnbd": BetaGeoModel, "mbgnbd": ModifiedBetaGeoModel, "pareto": ParetoNBDModel}
    print("\n| prediction, all customers | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    fitted = {k: classes[k]().fit(summary) for k in keys}
    calls = [
        ("P(alive)", lambda m: m.probability_alive(summary)),
        ("expected purchases, 30 days", lambda m: m.expected_purchases(summary, 30)),
        (
            "same, 95 % band of the expectation",
            lambda m: m.expected_purchases_uncertainty(summary, 30),
        ),
        ("80 % purchases interval, 30 days", lambda m: m.purchases_interval(summary, 30)),
        (
            "80 % purchases interval, 12 months",
            lambda m: m.purchases_interval(summary, 12, time_unit="M"),
        ),
        ("CLV, 12 months", lambda m: m.customer_lifetime_value(summary, 30.0, **clv)),
        (
            "same, 95 % band of the expectation",
            lambda m: m.customer_lifetime_value_uncertainty(summary, 30.0, **clv),
        ),
        (
            "80 % CLV range, known spend",
            lambda m: m.customer_lifetime_value_interval(summary, 30.0, **clv),
        ),
        (
            "80 % CLV range, Gamma-Gamma spend",
            lambda m: m.customer_lifetime_value_interval(summary, spend, **clv),
        ),
    ]
    for name, call in calls:
        cells = [f"{timed(lambda m=fitted[k], c=call: c(m), repeats)[0]:.3f}" for k in keys]
        print(f"| {name} | " + " | ".join(cells) + " |")


def coverage() -> None:
    """Share of customers whose holdout purchases fall in their predictive interval (CDNOW)."""
    from custanalytics.clv import evaluate
    from custanalytics.datasets import load_cdnow, load_cdnow_sample

    print("| data | model | holdout RMSE | 50 % | 80 % | 90 % | 80 % is [0, 0] |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, frame in (("CDNOW sample", load_cdnow_sample()), ("CDNOW full", load_cdnow())):
        tx = ca.load_transactions(
            frame, customer="customer_id", date="date", amount="amount", duplicates="keep"
        )
        calibration = ca.summarize(
            tx, as_of="1998-06-30", time_unit="W", calibration_end="1997-09-30"
        )
        for cls in (BetaGeoModel, ModifiedBetaGeoModel, ParetoNBDModel):
            model = cls().fit(calibration)
            cells = {lv: evaluate(model, calibration, level=lv) for lv in (0.5, 0.8, 0.9)}
            horizon = float(calibration["duration_holdout"].iloc[0])
            ranges = model.purchases_interval(calibration, horizon, level=0.8)
            zero = float((ranges["upper"] == 0).mean())
            print(
                f"| {name} ({len(calibration):,}) | {cls.__name__} | {cells[0.8].rmse:.3f} | "
                + " | ".join(f"{cells[lv].interval_coverage:.1%}" for lv in (0.5, 0.8, 0.9))
                + f" | {zero:.1%} |"
            )


if __name__ == "__main__":
    main()
