"""Headline figures of a customer base: size, revenue, concentration (top 20 %, Gini, HHI)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import Transactions
from .errors import ParameterError

__all__ = ["TOP_SHARES", "concentration", "headline_metrics", "lorenz_curve"]


def lorenz_curve(revenue: pd.Series, *, points: int | None = None) -> pd.DataFrame:
    """Return cumulative revenue share against customer share, largest customers first.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue per customer.
    points : int, optional
        Number of evenly spaced customer shares to return (from 0 to 1, interpolated), for a
        chart of a large customer base; by default one point per customer.

    Returns
    -------
    pandas.DataFrame
        ``customer_share`` and ``revenue_share``, starting at (0, 0) and ending at (1, 1).
    """
    ordered = np.sort(revenue.to_numpy(dtype="float64"))[::-1]
    total = ordered.sum()
    cumulative = np.cumsum(ordered) / total if total else np.zeros_like(ordered)
    n = len(ordered)
    x = np.concatenate([[0.0], np.arange(1, n + 1) / n])
    y = np.concatenate([[0.0], cumulative])
    if points is not None:
        if points < 2:
            raise ParameterError(f"points must be 2 or more, got {points}")
        grid = np.linspace(0.0, 1.0, points)
        x, y = grid, np.interp(grid, x, y)
    return pd.DataFrame({"customer_share": x, "revenue_share": y})


#: Customer shares in percent whose revenue share :func:`concentration` reports
#: (``top1_revenue_share`` …).
TOP_SHARES = (1, 5, 10, 20)


def concentration(revenue: pd.Series | pd.DataFrame) -> dict[str, float]:
    """Measure how concentrated revenue is across customers.

    Parameters
    ----------
    revenue : pandas.Series or pandas.DataFrame
        Revenue per customer, or the per-customer table (its buyers' ``revenue``: prospects,
        ``orders == 0``, are left out). Negative values count as zero.

    Returns
    -------
    dict
        ``top1_revenue_share``, ``top5_revenue_share``, ``top10_revenue_share``,
        ``top20_revenue_share`` (revenue share of the ceil(p x n) largest customers),
        ``customer_share_for_80`` (smallest share of customers that holds 80 % of revenue),
        ``gini`` (0 = equal, towards 1 = one customer has everything; in [0, 1)) and ``hhi``
        (sum of squared revenue shares, 1/n for equal shares, 1 for a monopoly). All NaN
        when there is no customer or no positive revenue.
    """
    if isinstance(revenue, pd.DataFrame):
        frame = revenue
        revenue = frame["revenue"][frame["orders"] > 0] if "orders" in frame else frame["revenue"]
    values = np.sort(np.clip(revenue.to_numpy(dtype="float64"), 0, None))[::-1]
    n, total = len(values), values.sum()
    keys = [f"top{p}_revenue_share" for p in TOP_SHARES]
    if n == 0 or total <= 0:
        return dict.fromkeys((*keys, "customer_share_for_80", "gini", "hhi"), float("nan"))
    cumulative = np.cumsum(values) / total
    holders = int(np.searchsorted(cumulative, 0.8 - 1e-12) + 1)
    ascending = values[::-1]
    ranks = np.arange(1, n + 1)
    gini = float((2 * np.sum(ranks * ascending)) / (n * total) - (n + 1) / n)
    shares = values / total
    # ceil(p % of n) in integers, so that no float rounding adds a customer
    tops = {
        key: float(cumulative[-(-p * n // 100) - 1])
        for key, p in zip(keys, TOP_SHARES, strict=True)
    }
    return {
        **tops,
        "customer_share_for_80": holders / n,
        "gini": max(gini, 0.0),  # rounding can give -1e-17 for equal revenue
        "hhi": float(np.sum(shares**2)),
    }


def headline_metrics(transactions: Transactions, summary: pd.DataFrame) -> dict[str, object]:
    """Compute the headline figures of the report.

    Parameters
    ----------
    transactions : Transactions
        The cleaned transactions.
    summary : pandas.DataFrame
        Output of :func:`custanalytics.summarize` on them (prospects included, if any).

    Returns
    -------
    dict
        ``customers`` (with at least one purchase), ``prospects`` (customers of the master
        without a purchase), ``transactions`` (orders when an order column is mapped, else
        rows kept), ``revenue``, ``first_date``, ``last_date`` (ISO dates, None without a
        purchase) and the figures of :func:`concentration` over the buyers. Without an
        amount column (a purchase log) the money figures are NaN.
    """
    buyers = summary[summary["orders"] > 0]
    first, last = buyers["first_purchase"].min(), buyers["last_purchase"].max()
    figures = {
        "customers": len(buyers),
        "prospects": int((summary["orders"] == 0).sum()),
        "transactions": transactions.n_orders,
        "revenue": float(buyers["revenue"].sum()),
        "first_date": None if pd.isna(first) else pd.Timestamp(first).date().isoformat(),
        "last_date": None if pd.isna(last) else pd.Timestamp(last).date().isoformat(),
        **concentration(buyers["revenue"]),
    }
    if not transactions.has_amount:  # a purchase log: counts only
        money = ["revenue", *concentration(pd.Series(dtype="float64"))]
        figures |= dict.fromkeys(money, float("nan"))
    return figures
