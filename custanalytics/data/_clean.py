"""Cleaning rules on a typed transaction table, written once as Ibis expressions.

They run unchanged on DuckDB (files and DataFrames are loaded into an in-process DuckDB),
on SQL databases and on Spark. Every rule counts what it changes in the ``DataQuality``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis

from ._quality import DataQuality

__all__ = ["RETURN_POLICIES", "clean_transactions"]

RETURN_POLICIES = ("net", "drop", "keep")


def clean_transactions(
    table: Any,
    quality: DataQuality,
    *,
    as_of: dt.date | None,
    start: dt.date | None,
    returns: str,
    columns: dict[str, str],
) -> Any:
    """Apply the cleaning rules to a typed table with canonical column names.

    Parameters
    ----------
    table : ibis.Table
        Columns ``customer_id`` (string), ``date`` (timestamp), ``amount`` (float64) and
        optionally ``order_id``, ``quantity``; exact duplicates already handled.
    quality : DataQuality
        Record that each rule appends its count to.
    as_of : datetime.date, optional
        Rows after the end of this day are excluded.
    start : datetime.date, optional
        Rows before this day are excluded.
    returns : {"net", "drop", "keep"}
        Policy for negative amounts, see :func:`custanalytics.load_transactions`.
    columns : dict
        Canonical name (``customer_id``, ``date``, ``amount``) → source column name, for the
        details in ``quality``.

    Returns
    -------
    ibis.Table
        The cleaned table (an unexecuted expression).
    """
    counts = (
        table.aggregate(
            missing_customer_id=table.customer_id.isnull().sum(),
            missing_date=(table.customer_id.notnull() & table.date.isnull()).sum(),
            missing_amount=(
                table.customer_id.notnull() & table.date.notnull() & table.amount.isnull()
            ).sum(),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    for check, canonical in (
        ("missing_customer_id", "customer_id"),
        ("missing_date", "date"),
        ("missing_amount", "amount"),
    ):
        quality.record(
            check, counts[check], "dropped", f"column '{columns[canonical]}': empty or missing"
        )
    table = table.filter(table.customer_id.notnull(), table.date.notnull(), table.amount.notnull())
    table = _limit_window(table, quality, as_of=as_of, start=start)
    amount = f"column '{columns['amount']}'"
    if returns == "net":
        return _net_returns(table, quality, amount)
    negative = _count(table.filter(table.amount < 0))
    if returns == "drop":
        quality.record("returns", negative, "dropped", f"{amount}: negative amounts (returns)")
        return table.filter(table.amount >= 0)
    quality.record("returns", negative, "kept", f"{amount}: negative amounts kept as they are")
    return table


def _count(table: Any) -> int:
    return int(table.count().to_pyarrow().as_py())


def _limit_window(
    table: Any, quality: DataQuality, *, as_of: dt.date | None, start: dt.date | None
) -> Any:
    if as_of is not None:
        end = ibis.timestamp(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
        late = _count(table.filter(table.date >= end))
        quality.record(
            "after_as_of", late, "dropped", f"rows dated after {as_of} (as_of includes its day)"
        )
        table = table.filter(table.date < end)
    if start is not None:
        begin = ibis.timestamp(dt.datetime.combine(start, dt.time()))
        early = _count(table.filter(table.date < begin))
        quality.record("before_start", early, "dropped", f"rows dated before {start}")
        table = table.filter(table.date >= begin)
    return table


def _net_returns(table: Any, quality: DataQuality, amount: str) -> Any:
    """Move each return onto the customer's latest purchase at or before it.

    A return without an earlier purchase is dropped; a purchase day whose amount is fully
    returned (net amount <= 0 after netting) stops being a purchase and is dropped too.
    """
    # a RANGE frame includes every row with the same timestamp, so a return recorded at the
    # same time as its purchase always finds it (ROWS would order ties arbitrarily, and
    # differently from one query to the next on Spark)
    history = ibis.window(group_by=table.customer_id, order_by=table.date, range=(None, 0))
    last_purchase = ibis.ifelse(table.amount > 0, table.date, ibis.null()).max().over(history)
    marked = table.mutate(_target=last_purchase, _is_return=table.amount < 0)
    stats = (
        marked.aggregate(
            returns=marked._is_return.sum(),
            orphans=(marked._is_return & marked._target.isnull()).sum(),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    if not stats["returns"]:
        return table
    quality.record(
        "returns_without_purchase",
        stats["orphans"],
        "dropped",
        f"{amount}: negative amounts with no earlier purchase by the same customer",
    )
    quality.record(
        "returns",
        stats["returns"] - stats["orphans"],
        "corrected",
        f"{amount}: negative amounts netted: dated to the customer's latest earlier purchase",
    )
    moved = marked.filter(~(marked._is_return & marked._target.isnull())).mutate(
        date=ibis.ifelse(marked._is_return, marked._target, marked.date)
    )
    day = moved.date.cast("date")
    per_day = ibis.window(group_by=[moved.customer_id, day])
    moved = moved.mutate(
        _day_net=moved.amount.sum().over(per_day),
        _day_has_return=moved._is_return.any().over(per_day),
    )
    refunded = moved._day_has_return & (moved._day_net <= 0)
    quality.record(
        "fully_returned_purchases",
        _count(moved.filter(refunded)),
        "dropped",
        f"{amount}: purchases (and their returns) whose day nets to zero or less",
    )
    return moved.filter(~refunded).drop("_target", "_is_return", "_day_net", "_day_has_return")
