"""Cohort retention: customers grouped by the month of their first purchase.

A customer's cohort is the calendar month of their first purchase day. Month ``k`` of a
cohort is the k-th calendar month after that one, so **month 0 is the first-purchase month
itself and its retention is always 100 %** (every member bought in it, by definition).
Retention in month ``k`` is the share of the cohort's customers with at least one purchase day
in that calendar month; revenue is the cohort's spend in it. Months after the as-of month are
not observed yet and stay empty (NaN); the as-of month itself counts as observed (partly, up to
the as-of day).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["CohortTables", "cohort_of", "cohort_tables"]


@dataclasses.dataclass(frozen=True)
class CohortTables:
    """Cohort sizes, retention and revenue by months since the first purchase.

    Attributes
    ----------
    sizes : pandas.DataFrame
        Indexed by cohort (``"YYYY-MM"``, oldest first): ``customers``, ``revenue`` (the
        cohort's whole revenue to date) and ``small`` (fewer customers than the minimum).
    retention : pandas.DataFrame
        Cohort x months since the first purchase (columns ``"0"``, ``"1"``, ...): share of the
        cohort's customers who bought in that month (NaN where not observed yet).
    active : pandas.DataFrame
        The same cells as customer counts (0 where observed without a purchase).
    revenue : pandas.DataFrame
        The same cells as the cohort's spend in that month.
    """

    sizes: pd.DataFrame
    retention: pd.DataFrame
    active: pd.DataFrame
    revenue: pd.DataFrame


def _month_number(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of datetime64 values."""
    return days.astype("datetime64[M]").astype("int64")


def _month_text(numbers: np.ndarray) -> list[str]:
    return [str(m) for m in numbers.astype("datetime64[M]")]


def cohort_of(first_purchase: pd.Series) -> pd.Series:
    """Return each customer's cohort, the month of their first purchase.

    Parameters
    ----------
    first_purchase : pandas.Series
        Day of the first purchase (NaT for prospects).

    Returns
    -------
    pandas.Series
        ``"YYYY-MM"`` text, missing for prospects; same index, named ``cohort``.
    """
    values = pd.to_datetime(first_purchase)
    text = values.dt.strftime("%Y-%m")
    return text.where(values.notna()).rename("cohort")


def cohort_tables(
    purchase_days: pd.DataFrame,
    *,
    as_of: dt.date | str,
    min_customers: int = 20,
    max_months: int | None = None,
    presorted: bool = False,
) -> CohortTables:
    """Compute retention and revenue by first-purchase month and months since it.

    Parameters
    ----------
    purchase_days : pandas.DataFrame
        One row per customer and purchase day: ``customer_id``, ``day`` (datetime64),
        ``spend`` (as :func:`custanalytics.summary.purchase_days` returns; any row order).
    as_of : date or str
        Observation end: months after its month are not observed.
    min_customers : int
        Cohorts with fewer customers are flagged ``small`` (their shares are noisy).
    max_months : int, optional
        Keep months 0 .. ``max_months`` only (all observed months by default).
    presorted : bool
        The rows are sorted by customer, then day (as ``purchase_days`` returns them): the
        customers are found by comparing neighbours instead of hashing every id.

    Returns
    -------
    CohortTables
        Sizes, retention shares, active counts and revenue per cohort and month.
    """
    ids = purchase_days["customer_id"].to_numpy()
    month = _month_number(purchase_days["day"].to_numpy().astype("datetime64[D]"))
    spend = purchase_days["spend"].to_numpy(dtype="float64", na_value=np.nan)
    if presorted:
        new = np.empty(len(ids), dtype=bool)
        new[:1] = True
        new[1:] = ids[1:] != ids[:-1]
        codes = np.cumsum(new) - 1
        first = month[new]  # each customer's earliest day comes first
    else:
        codes, _ = pd.factorize(ids)
        first = pd.Series(month).groupby(codes, sort=True).min().to_numpy(dtype="int64")
    n_customers = int(codes.max()) + 1 if len(codes) else 0
    end = int(_month_number(np.array([np.datetime64(pd.Timestamp(as_of).date(), "D")]))[0])
    if n_customers == 0:
        empty = pd.DataFrame(index=pd.Index([], name="cohort", dtype="object"))
        sizes = empty.assign(customers=pd.Series(dtype="int64"), revenue=0.0, small=False)
        return CohortTables(sizes, empty.copy(), empty.copy(), empty.copy())
    start = int(first.min())
    n_cohorts = end - start + 1
    n_months = end - start + 1 if max_months is None else min(max_months + 1, end - start + 1)
    cohort = first[codes] - start
    offset = month - first[codes]
    # distinct (customer, month) pairs: a customer counts once per month
    pair = codes.astype("int64") * (n_months + n_cohorts + 1) + offset
    keep = offset < n_months
    kept = pair[keep]
    if len(kept) < 2 or (kept[1:] >= kept[:-1]).all():  # sorted by customer and day
        where = np.flatnonzero(np.r_[True, kept[1:] != kept[:-1]])
    else:
        _, where = np.unique(kept, return_index=True)
    cell = cohort[keep] * n_months + offset[keep]
    active = np.bincount(cell[where], minlength=n_cohorts * n_months).reshape(n_cohorts, -1)
    has_spend = ~np.isnan(spend)
    revenue = np.bincount(
        cell, weights=np.where(has_spend, spend, 0.0)[keep], minlength=n_cohorts * n_months
    ).reshape(n_cohorts, -1)
    size = np.bincount(first - start, minlength=n_cohorts)
    total = np.bincount(cohort, weights=np.where(has_spend, spend, 0.0), minlength=n_cohorts)
    # only cohorts with members; months after as-of are not observed
    rows = np.flatnonzero(size > 0)
    observed = (np.arange(n_cohorts)[:, None] + np.arange(n_months)[None, :]) <= (end - start)
    index = pd.Index(_month_text(np.arange(start, end + 1)[rows]), name="cohort")
    columns = [str(k) for k in range(n_months)]
    no_amount = not has_spend.any()

    def table(values: np.ndarray) -> pd.DataFrame:
        frame = np.where(observed, values, np.nan)[rows]
        return pd.DataFrame(frame, index=index, columns=columns)

    counts = table(active.astype("float64"))
    sizes = pd.DataFrame(
        {
            "customers": size[rows].astype("int64"),
            "revenue": np.full(len(rows), np.nan) if no_amount else total[rows],
            "small": size[rows] < min_customers,
        },
        index=index,
    )
    retention = counts.div(sizes["customers"], axis=0)
    money = table(revenue) * (np.nan if no_amount else 1.0)
    return CohortTables(sizes, retention, counts, money)
