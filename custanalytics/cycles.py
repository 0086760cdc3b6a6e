"""Per-customer purchase cycles: the gaps in days between consecutive purchase days."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import Transactions
from .summary import purchase_days

__all__ = ["CYCLE_COLUMNS", "purchase_cycles"]

#: Columns of :func:`purchase_cycles`.
CYCLE_COLUMNS = ("gaps", "gap_sum", "gap_median", "gap_quantile", "gap_last", "gap_sum_squares")


def purchase_cycles(
    transactions: Transactions | None, *, quantile: float = 0.9, days: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Summarise each customer's gaps between consecutive purchase days.

    A purchase day is a distinct (customer, day), as in :func:`custanalytics.summarize`, so a
    customer with n purchase days has n - 1 gaps.

    Parameters
    ----------
    transactions : Transactions
        Cleaned transactions (already limited to the as-of date).
    quantile : float
        Which quantile of each customer's gaps ``gap_quantile`` holds (0.9: the 90th
        percentile, linear interpolation).
    days : pandas.DataFrame, optional
        The transactions' :func:`custanalytics.summary.purchase_days`, if already computed
        (then ``transactions`` is not read).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (customers with at least two purchase days only):
        ``gaps`` (count), ``gap_sum``, ``gap_median``, ``gap_quantile``, ``gap_last`` (the
        gap before the latest purchase) and ``gap_sum_squares`` (for the population's
        spread), in days.
    """
    if days is None:
        days = purchase_days(transactions)
    ids = days["customer_id"].to_numpy()
    day = days["day"].to_numpy().astype("datetime64[D]").astype("int64")
    same = np.empty(len(ids), dtype=bool)
    same[:1] = False
    same[1:] = ids[1:] == ids[:-1]
    gap = np.diff(day, prepend=day[:1])[same]
    owner = pd.Index(ids[same], name="customer_id")
    gaps = pd.Series(gap.astype("float64"), index=owner)
    grouped = gaps.groupby(level=0, sort=True)
    table = pd.DataFrame(
        {
            "gaps": grouped.size().astype("int64"),
            "gap_sum": grouped.sum(),
            "gap_median": grouped.median(),
            "gap_quantile": grouped.quantile(quantile),
            "gap_last": grouped.last(),
            "gap_sum_squares": (gaps**2).groupby(level=0, sort=True).sum(),
        }
    )
    return table
