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


#: Half the money unit (0.0001): a day nets to zero when its net amount is within it. With
#: exact decimal amounts that is ``net == 0``; on engines that hold decimals as floats
#: (SQLite) it absorbs the float error of sums such as ``2.55 * 6 - 15.30``.
HALF_UNIT = 0.00005


def clean_transactions(
    table: Any,
    quality: DataQuality,
    *,
    as_of: dt.date | None,
    start: dt.date | None,
    returns: str,
    columns: dict[str, str],
    has_amount: bool = True,
) -> Any:
    """Apply the cleaning rules to a typed table with canonical column names.

    Parameters
    ----------
    table : ibis.Table
        Columns ``customer_id`` (string), ``date`` (timestamp), ``amount`` (exact decimal)
        and optionally ``order_id``, ``quantity``; exact duplicates already handled.
    quality : DataQuality
        Record that each rule appends its count and net amount to.
    as_of : datetime.date, optional
        Rows after the end of this day are excluded.
    start : datetime.date, optional
        Rows before this day are excluded.
    returns : {"net", "drop", "keep"}
        Policy for negative amounts, see :func:`custanalytics.load_transactions`.
    columns : dict
        Canonical name (``customer_id``, ``date``, ``amount``) → source column name(s), for
        the details in ``quality``.
    has_amount : bool
        False for a purchase log without amounts: the amount rules are skipped.

    Returns
    -------
    ibis.Table
        The cleaned table (an unexecuted expression).
    """
    missing = {
        "missing_customer_id": table.customer_id.isnull(),
        "missing_date": table.customer_id.notnull() & table.date.isnull(),
    }
    if has_amount:
        missing["missing_amount"] = (
            table.customer_id.notnull() & table.date.notnull() & table.amount.isnull()
        )
    counts = _counts(table, missing, has_amount)
    for check, canonical in zip(missing, ("customer_id", "date", "amount"), strict=False):
        rows, amount = counts[check]
        detail = f"column '{columns[canonical]}': empty or missing"
        quality.record(check, rows, "dropped", detail, amount)
    keep = [table.customer_id.notnull(), table.date.notnull()]
    table = table.filter(*keep, *([table.amount.notnull()] if has_amount else []))
    table = _limit_window(table, quality, as_of=as_of, start=start, has_amount=has_amount)
    if not has_amount:
        return table
    amount = f"column '{columns['amount']}'"
    if returns == "net":
        return _net_returns(table, quality, amount)
    rows, total = _counts(table, {"n": table.amount < 0}, True)["n"]
    if returns == "drop":
        quality.record("returns", rows, "dropped", f"{amount}: negative amounts (returns)", total)
        return table.filter(table.amount >= 0)
    detail = f"{amount}: negative amounts kept as they are"
    quality.record("returns", rows, "kept", detail, total)
    return table


def _counts(table: Any, conditions: dict[str, Any], has_amount: bool) -> dict[str, tuple]:
    """Rows and net amount where each condition holds, in one query."""
    aggregates = {}
    for name, condition in conditions.items():
        aggregates[f"{name}_rows"] = condition.sum()
        if has_amount:
            aggregates[f"{name}_amount"] = table.amount.sum(where=condition)
    values = table.aggregate(**aggregates).to_pyarrow().to_pylist()[0]
    return {
        name: (int(values[f"{name}_rows"] or 0), _money(values.get(f"{name}_amount"), has_amount))
        for name in conditions
    }


def _money(value: Any, has_amount: bool) -> float | None:
    if not has_amount:
        return None
    return 0.0 if value is None else round(float(value), 4)


def _limit_window(
    table: Any,
    quality: DataQuality,
    *,
    as_of: dt.date | None,
    start: dt.date | None,
    has_amount: bool,
) -> Any:
    if as_of is not None:
        end = ibis.timestamp(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
        rows, amount = _counts(table, {"late": table.date >= end}, has_amount)["late"]
        detail = f"rows dated after {as_of} (as_of includes its day)"
        quality.record("after_as_of", rows, "dropped", detail, amount)
        table = table.filter(table.date < end)
    if start is not None:
        begin = ibis.timestamp(dt.datetime.combine(start, dt.time()))
        rows, amount = _counts(table, {"early": table.date < begin}, has_amount)["early"]
        quality.record("before_start", rows, "dropped", f"rows dated before {start}", amount)
        table = table.filter(table.date >= begin)
    return table


def _net_returns(table: Any, quality: DataQuality, amount: str) -> Any:
    """Move each return onto the customer's latest purchase at or before it.

    A return without an earlier purchase is dropped; a purchase day whose amount is fully
    returned (net amount zero after netting) stops being a purchase and is dropped too, and
    so is a day whose returns exceed its purchases (counted apart: dropping it raises
    revenue by the excess).
    """
    # a RANGE frame includes every row with the same timestamp, so a return recorded at the
    # same time as its purchase always finds it (ROWS would order ties arbitrarily, and
    # differently from one query to the next on Spark)
    history = ibis.window(group_by=table.customer_id, order_by=table.date, range=(None, 0))
    last_purchase = ibis.ifelse(table.amount > 0, table.date, ibis.null()).max().over(history)
    marked = table.mutate(_target=last_purchase, _is_return=table.amount < 0)
    orphan = marked._is_return & marked._target.isnull()
    stats = _counts(marked, {"returns": marked._is_return, "orphans": orphan}, True)
    if not stats["returns"][0]:
        return table
    rows, total = stats["orphans"]
    quality.record(
        "returns_without_purchase",
        rows,
        "dropped",
        f"{amount}: negative amounts with no earlier purchase by the same customer",
        total,
    )
    quality.record(
        "returns",
        stats["returns"][0] - rows,
        "corrected",
        f"{amount}: negative amounts netted: dated to the customer's latest earlier purchase",
        round(stats["returns"][1] - total, 4),
    )
    moved = marked.filter(~orphan).mutate(
        date=ibis.ifelse(marked._is_return, marked._target, marked.date)
    )
    day = moved.date.cast("date")
    per_day = ibis.window(group_by=[moved.customer_id, day])
    moved = moved.mutate(
        _day_net=moved.amount.sum().over(per_day),
        _day_has_return=moved._is_return.any().over(per_day),
    )
    refunded = moved._day_has_return & (moved._day_net < HALF_UNIT)
    exceeding = moved._day_has_return & (moved._day_net <= -HALF_UNIT)
    stats = _counts(moved, {"zero": refunded & ~exceeding, "exceeding": exceeding}, True)
    rows, total = stats["zero"]
    quality.record(
        "fully_returned_purchases",
        rows,
        "dropped",
        f"{amount}: purchases and their returns whose day nets to zero",
        total,
    )
    rows, total = stats["exceeding"]
    quality.record(
        "returns_exceeding_purchases",
        rows,
        "dropped",
        f"{amount}: returns larger than the purchases of the day they net against; the "
        f"customer-day is dropped, which raises revenue by {-total:,.2f}",
        total,
    )
    return moved.filter(~refunded).drop("_target", "_is_return", "_day_net", "_day_has_return")
