"""Per-customer facts, written once as an Ibis expression (DuckDB, SQL databases, Spark).

Conventions follow ``lifetimes.utils.summary_data_from_transaction_data`` at day
resolution: a purchase is a distinct (customer, day); ``frequency`` counts repeat purchase
days; ``recency`` is the time from the first to the last purchase day and ``T`` from the
first purchase day to the as-of date, both in whole days divided by the time unit (weeks =
days / 7, as in the CDNOW papers); ``monetary_value`` is the mean spend of the repeat
purchase days (0 for one-time buyers). When the log carries a ``discounted`` column (a
``discount`` column was mapped), ``discount_share`` is the share of the net revenue bought on
discounted rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import pandas as pd
import pyarrow.compute as pc

from .data import Customers, Transactions
from .data._parse import as_date
from .errors import DataError, ParameterError

__all__ = ["TIME_UNITS", "purchase_days", "summarize", "summary_expression"]

#: Supported time units and their length in days.
TIME_UNITS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}


def summary_expression(table: Any, *, as_of: dt.date, time_unit: str = "D") -> Any:
    """Build the per-customer summary as an unexecuted Ibis expression.

    Parameters
    ----------
    table : ibis.Table
        Cleaned transactions with ``customer_id``, ``date`` and ``amount`` columns, and
        optionally ``discounted``.
    as_of : datetime.date
        Observation end; transactions after it must already be excluded.
    time_unit : {"D", "W", "M", "Y"}
        Unit of ``recency`` and ``T``.

    Returns
    -------
    ibis.Table
        One row per customer: ``customer_id``, ``first_purchase``, ``last_purchase``,
        ``orders``, ``revenue``, ``avg_order_value``, ``frequency``, ``recency``, ``T``,
        ``monetary_value``, and with ``discounted`` also ``discount_share``: the discounted
        rows' net amount over the net revenue, clipped to [0, 1] (returns count on the side
        their own row's discount puts them), NULL where the revenue is not positive.
    """
    days = TIME_UNITS[time_unit]
    discounts = "discounted" in table.columns
    daily = _purchase_days(table, discounts=discounts)
    facts = {
        "first_purchase": daily.day.min(),
        "last_purchase": daily.day.max(),
        "orders": daily.day.count(),
        "revenue": daily.spend.sum(),  # exact: amounts are decimals (see data._money)
    }
    if discounts:
        facts["discount_spend"] = daily.discount_spend.sum()
    if _on_duckdb(table):
        # one pass: the repeat days' spend is the total less the first day's (days are
        # distinct per customer, so arg_min is unambiguous), equal to the mean of the repeat
        # days up to rounding (~1e-15 relative); DuckDB would otherwise evaluate the window
        # below by computing the purchase days twice and joining them
        per = daily.group_by("customer_id").aggregate(
            **facts, first_spend=daily.spend.argmin(daily.day)
        )
        repeat_spend = ibis.ifelse(
            per.orders > 1,
            (per.revenue - per.first_spend).cast("float64") / (per.orders - 1),
            ibis.null(),
        )
    else:
        first_day = daily.day.min().over(ibis.window(group_by=daily.customer_id))
        daily = daily.mutate(is_first=daily.day == first_day)
        per = daily.group_by("customer_id").aggregate(
            **facts, repeat_spend=daily.spend.cast("float64").mean(where=~daily.is_first)
        )
        repeat_spend = per.repeat_spend
    end = ibis.date(as_of)
    extra = {}
    if discounts:
        # no discounted row on a day (or at all): NULL sums, i.e. nothing bought on discount
        share = per.discount_spend.fill_null(0).cast("float64") / per.revenue.cast("float64")
        extra["discount_share"] = ibis.ifelse(
            per.revenue > 0, ibis.greatest(ibis.least(share, 1.0), 0.0), ibis.null("float64")
        )
    return per.select(
        "customer_id",
        "first_purchase",
        "last_purchase",
        "orders",
        revenue=per.revenue.cast("float64"),
        # exact sums, divided as floats (a decimal division would round to its scale)
        avg_order_value=per.revenue.cast("float64") / per.orders,
        frequency=per.orders - 1,
        recency=per.last_purchase.delta(per.first_purchase, unit="day").cast("float64") / days,
        T=end.delta(per.first_purchase, unit="day").cast("float64") / days,
        monetary_value=repeat_spend.fill_null(0.0),
        **extra,
    )


def _on_duckdb(table: Any) -> bool:
    """Whether the table lives in DuckDB, which gets a faster plan with the same results.

    DuckDB has a native one-pass ``arg_min``; SQLite, for one, has none, so other engines
    keep the portable window form.
    """
    return table.get_backend().name == "duckdb"


def _fetch(expr: Any) -> pd.DataFrame:
    """Execute the summary into a DataFrame indexed and sorted by ``customer_id``.

    On DuckDB, the engine sorts and Arrow converts: cheaper in time and memory than sorting
    the frame, and several times faster than Ibis' column-by-column conversion, for the same
    frame, as long as no column is a bare SQL literal (DuckDB types ``7.25`` as DECIMAL,
    which Arrow converts to float inexactly). The order is checked in Arrow (byte order of
    UTF-8 is Python's order of text), as pandas would check it by turning every id into a
    Python string; a non-binary collation falls back to ``sort_index``.
    """
    if not _on_duckdb(expr):
        return expr.to_pandas().set_index("customer_id").sort_index()
    table = expr.order_by("customer_id").to_pyarrow()
    ids = table.column("customer_id")
    ordered = len(ids) < 2 or pc.all(pc.less(ids[:-1], ids[1:])).as_py()
    frame = table.to_pandas(date_as_object=False)
    del table, ids
    for name, dtype in expr.schema().items():
        if dtype.is_date():  # as Ibis converts them
            frame[name] = frame[name].astype("datetime64[s]")
    frame = frame.set_index("customer_id")
    return frame if ordered else frame.sort_index()


def _purchase_days(table: Any, *, discounts: bool = False) -> Any:
    """One row per (customer, purchase day) with the day's net ``spend``.

    With ``discounts``, also ``discount_spend``: the net amount of the discounted rows.
    """
    spend = {"spend": lambda t: t.amount.sum()}
    if discounts:
        spend["discount_spend"] = lambda t: t.amount.sum(where=t.discounted)
    return (
        table.mutate(day=table.date.cast("date"))
        .group_by(["customer_id", "day"])
        .aggregate(**spend)
    )


def purchase_days(transactions: Transactions) -> pd.DataFrame:
    """Return every purchase day: one row per distinct (customer, day), with its spend.

    Parameters
    ----------
    transactions : Transactions
        Cleaned transactions.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``day`` (datetime64) and ``spend``, sorted by customer and day.
    """
    days = _purchase_days(transactions.table)
    expr = days.mutate(spend=days.spend.cast("float64")).order_by(["customer_id", "day"])
    frame = expr.to_pyarrow().to_pandas(date_as_object=False)
    frame["day"] = frame["day"].astype("datetime64[s]")
    return frame


def _holdout_expression(table: Any) -> Any:
    daily = _purchase_days(table)
    return daily.group_by("customer_id").aggregate(
        frequency_holdout=daily.day.count(),
        monetary_value_holdout=daily.spend.cast("float64").mean(),
    )


def summarize(
    transactions: Transactions,
    *,
    as_of: dt.date | str,
    time_unit: str = "D",
    calibration_end: dt.date | str | None = None,
    customers: Customers | None = None,
) -> pd.DataFrame:
    """Summarise transactions into one row per customer.

    Parameters
    ----------
    transactions : Transactions
        Output of :func:`custanalytics.load_transactions`.
    as_of : date or str
        Observation end; rows after it are ignored.
    time_unit : {"D", "W", "M", "Y"}
        Unit of ``recency``, ``T`` and ``duration_holdout``: days, weeks (days / 7), months
        (days / 30.4375) or years (days / 365.25); always measured in whole days first.
    calibration_end : date or str, optional
        If given, the summary describes the calibration period up to this day (customers who
        first bought by then) and adds ``frequency_holdout`` (purchase days after it, up to
        ``as_of``), ``monetary_value_holdout`` and ``duration_holdout``.
    customers : Customers, optional
        Customer master; its prospects (no purchase) are added with ``orders == 0`` and its
        attribute columns are joined.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``, sorted by it, with ``first_purchase``, ``last_purchase``,
        ``orders``, ``revenue``, ``avg_order_value``, ``frequency``, ``recency``, ``T``,
        ``monetary_value`` (and the holdout columns, and ``discount_share`` when the log
        has a discount column, see :func:`summary_expression`); the monetary columns are NaN when
        the transactions have no amounts (``has_amount`` False). ``attrs`` holds ``as_of``,
        ``time_unit`` and ``calibration_end``.

    Raises
    ------
    ParameterError
        If the time unit is unknown or the calibration end is not before ``as_of``.
    """
    if time_unit not in TIME_UNITS:
        raise ParameterError(f"time_unit must be one of {', '.join(TIME_UNITS)}, got {time_unit!r}")
    as_of = as_date(as_of, "as_of")
    end = as_of if calibration_end is None else as_date(calibration_end, "calibration_end")
    if end > as_of:
        raise ParameterError(f"calibration_end ({end}) must not be after as_of ({as_of})")
    table = transactions.table
    upto = ibis.timestamp(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    expr = summary_expression(table.filter(table.date < upto), as_of=end, time_unit=time_unit)
    if calibration_end is not None:
        after = table.filter(
            table.date >= upto,
            table.date
            < ibis.timestamp(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())),
        )
        holdout = _holdout_expression(after)
        expr = expr.left_join(holdout, "customer_id").drop("customer_id_right")
        expr = expr.mutate(
            frequency_holdout=expr.frequency_holdout.fill_null(0),
            monetary_value_holdout=expr.monetary_value_holdout.fill_null(0.0),
        )
    result = _fetch(expr)
    if calibration_end is not None:
        # a constant, set here: as a SQL literal it would come back through a DECIMAL
        result["duration_holdout"] = (as_of - end).days / TIME_UNITS[time_unit]
    result = _with_master(result, customers)
    if not transactions.has_amount:  # a purchase log: counts only, money unknown (not 0)
        money = ["revenue", "avg_order_value", "monetary_value", "monetary_value_holdout"]
        money.append("discount_share")
        result[[c for c in money if c in result]] = float("nan")
    result.attrs.update(
        as_of=as_of.isoformat(),
        time_unit=time_unit,
        calibration_end=None if calibration_end is None else end.isoformat(),
    )
    return result


def _with_master(result: pd.DataFrame, customers: Customers | None) -> pd.DataFrame:
    for column in ("first_purchase", "last_purchase"):
        result[column] = pd.to_datetime(result[column])
    if customers is None:
        return result
    clash = [c for c in customers.frame.columns if c in result.columns]
    if clash:
        raise DataError(
            f"customer master column(s) {', '.join(map(repr, clash))} have the name of a summary "
            "column; load the master with columns= that leaves them out, or rename them"
        )
    merged = result.join(customers.frame, how="outer").sort_index()
    # prospects: no purchase, so zero orders, repeat purchases, revenue and spend
    counts, amounts = ["orders", "frequency"], ["revenue", "monetary_value"]
    merged[counts] = merged[counts].fillna(0).astype("int64")
    merged[amounts] = merged[amounts].fillna(0.0)
    return merged
