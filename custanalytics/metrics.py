"""Headline figures of a customer base: size, revenue, concentration (top 20 %, Gini, HHI)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .data import Transactions

__all__ = ["concentration", "headline_metrics", "lorenz_curve"]


def lorenz_curve(revenue: pd.Series) -> pd.DataFrame:
    """Return cumulative revenue share against customer share, largest customers first.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue per customer.

    Returns
    -------
    pandas.DataFrame
        ``customer_share`` and ``revenue_share``, starting at (0, 0) and ending at (1, 1).
    """
    ordered = np.sort(revenue.to_numpy(dtype="float64"))[::-1]
    total = ordered.sum()
    cumulative = np.cumsum(ordered) / total if total else np.zeros_like(ordered)
    n = len(ordered)
    return pd.DataFrame(
        {
            "customer_share": np.concatenate([[0.0], np.arange(1, n + 1) / n]),
            "revenue_share": np.concatenate([[0.0], cumulative]),
        }
    )


def concentration(revenue: pd.Series) -> dict[str, float]:
    """Measure how concentrated revenue is across customers.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue per customer (negative values count as zero for Gini and HHI).

    Returns
    -------
    dict
        ``top20_revenue_share`` (revenue share of the ceil(20 %) largest customers),
        ``customer_share_for_80`` (smallest share of customers that holds 80 % of revenue),
        ``gini`` (0 = equal, 1 = one customer has everything) and ``hhi`` (sum of squared
        revenue shares, 1/n for equal shares, 1 for a monopoly).
    """
    values = np.sort(np.clip(revenue.to_numpy(dtype="float64"), 0, None))[::-1]
    n, total = len(values), values.sum()
    if n == 0 or total <= 0:
        return dict.fromkeys(
            ("top20_revenue_share", "customer_share_for_80", "gini", "hhi"), float("nan")
        )
    cumulative = np.cumsum(values) / total
    top = math.ceil(0.2 * n)
    holders = int(np.searchsorted(cumulative, 0.8 - 1e-12) + 1)
    ascending = values[::-1]
    ranks = np.arange(1, n + 1)
    gini = float((2 * np.sum(ranks * ascending)) / (n * total) - (n + 1) / n)
    shares = values / total
    return {
        "top20_revenue_share": float(cumulative[top - 1]),
        "customer_share_for_80": holders / n,
        "gini": gini,
        "hhi": float(np.sum(shares**2)),
    }


def headline_metrics(transactions: Transactions, summary: pd.DataFrame) -> dict[str, object]:
    """Compute the headline figures of the report.

    Parameters
    ----------
    transactions : Transactions
        The cleaned transactions.
    summary : pandas.DataFrame
        Output of :func:`custanalytics.summarize` on them.

    Returns
    -------
    dict
        ``customers`` (with at least one purchase), ``prospects`` (customers of the master
        without a purchase), ``transactions`` (rows kept), ``revenue``, ``first_date``,
        ``last_date`` (ISO dates) and the figures of :func:`concentration` (over buyers).
    """
    buyers = summary[summary["orders"] > 0]
    table = transactions.table
    span = table.aggregate(first=table.date.min(), last=table.date.max()).to_pandas().iloc[0]
    return {
        "customers": len(buyers),
        "prospects": int((summary["orders"] == 0).sum()),
        "transactions": transactions.quality.rows_kept,
        "revenue": float(buyers["revenue"].sum()),
        "first_date": pd.Timestamp(span["first"]).date().isoformat(),
        "last_date": pd.Timestamp(span["last"]).date().isoformat(),
        **concentration(buyers["revenue"]),
    }
