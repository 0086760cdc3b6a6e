"""Behavioural segments at scale: CustomerSegmenter vs plain scikit-learn KMeans, same matrix.

    python bench/segment.py [--customers 1000000] [--repeats 3] [--k-low 2] [--k-high 10]
                            [--skip-plain-selection]

Data: a customer table (durations in days) drawn from five behavioural groups with
heavy-tailed (log-normal) orders, order values and gaps, plus CLV and P(alive) columns, so that
the default feature set is used. Ours: features, log + scaling, k chosen over k-low..k-high by
the silhouette on a 10,000-customer sample, final fit (mini-batch k-means above 100,000
buyers), profiles, names and the stability refits — the whole ``fit``. Plain: scikit-learn
``KMeans(n_clusters=k, n_init="auto")`` on the same scaled matrix at the k we chose, and the
usual notebook "elbow": one full KMeans per k over the same range (a silhouette on all
customers would need 10^12 distances, so that notebook cannot choose k by silhouette at all).
Times are medians of the repeats; peak memory is traced (tracemalloc, numpy included) in a
separate run of each.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from custanalytics import CustomerSegmenter

GROUPS = (  # share, days since purchase, orders, order value, tenure days
    (0.10, 15, 25, 400, 900),
    (0.25, 250, 2, 60, 700),
    (0.20, 20, 1.2, 50, 40),
    (0.15, 60, 8, 1500, 600),
    (0.30, 120, 4, 120, 500),
)


def customer_table(n: int, seed: int = 0) -> pd.DataFrame:
    """A per-customer table like ``TieringResult.customers`` (days), n buyers."""
    rng = np.random.default_rng(seed)
    group = rng.choice(len(GROUPS), size=n, p=[g[0] for g in GROUPS])
    spec = np.array([g[1:] for g in GROUPS], dtype="float64")[group]
    days = np.exp(rng.normal(np.log(spec[:, 0]), 0.5))
    orders = np.maximum(1, np.round(np.exp(rng.normal(np.log(spec[:, 1]), 0.4))))
    aov = np.exp(rng.normal(np.log(spec[:, 2]), 0.5))
    tenure = np.maximum(np.exp(rng.normal(np.log(spec[:, 3]), 0.3)), days + 1)
    revenue = orders * aov
    p_alive = np.clip(1 - days / (days + tenure / orders), 0.01, 1.0)
    table = pd.DataFrame(
        {
            "orders": orders.astype("int64"),
            "frequency": (orders - 1).astype("int64"),
            "revenue": revenue,
            "avg_order_value": aov,
            "recency": tenure - days,
            "T": tenure,
            "p_alive": p_alive,
            "clv": revenue / tenure * 365 * p_alive,
        },
        index=pd.Index([f"C{i:08d}" for i in range(n)], name="customer_id"),
    )
    return table


def timed(fn, repeats: int):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--k-low", type=int, default=2)
    parser.add_argument("--k-high", type=int, default=10)
    parser.add_argument("--skip-plain-selection", action="store_true")
    args = parser.parse_args()
    from sklearn.cluster import KMeans

    start = time.perf_counter()
    table = customer_table(args.customers)
    print(f"table of {len(table):,} customers built in {time.perf_counter() - start:.1f} s")

    def ours():
        return CustomerSegmenter(k_range=(args.k_low, args.k_high), random_state=0).fit(table)

    ours_s, seg = timed(ours, args.repeats)
    ours_peak = peak_mib(ours)
    k = seg.k_
    matrix = np.ascontiguousarray(seg.feature_matrix(table).to_numpy())
    print(
        f"ours: k = {k} ({seg.model_kind_}), stability ARI {seg.stability_['mean_ari']:.3f}, "
        f"names {list(seg.names_.values())}"
    )
    print(seg.k_curve_.round(4).to_string())

    def plain():
        return KMeans(n_clusters=k, n_init="auto", random_state=0).fit(matrix)

    plain_s, model = timed(plain, args.repeats)
    plain_peak = peak_mib(plain)
    from sklearn.metrics import adjusted_rand_score

    agreement = adjusted_rand_score(
        model.labels_, seg.labels_.loc[table.index].to_numpy(dtype="int64")
    )
    rows = [
        (f"ours: features + k {args.k_low}..{args.k_high} + fit + profiles", ours_s, ours_peak),
        (f"plain KMeans, k = {k}, same matrix", plain_s, plain_peak),
    ]
    if not args.skip_plain_selection:

        def elbow():
            return [
                KMeans(n_clusters=j, n_init="auto", random_state=0).fit(matrix).inertia_
                for j in range(args.k_low, args.k_high + 1)
            ]

        elbow_s, _ = timed(elbow, 1)
        rows.append((f"plain KMeans elbow, k {args.k_low}..{args.k_high}", elbow_s, float("nan")))
    print(f"\n| step, {args.customers:,} customers | median s | peak MiB |\n|---|---:|---:|")
    for name, seconds, peak in rows:
        print(f"| {name} | {seconds:.2f} | {peak:,.0f} |")
    print(f"\nARI ours vs plain KMeans at k = {k}: {agreement:.3f}")


if __name__ == "__main__":
    main()
