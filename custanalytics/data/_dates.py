"""Day-first or month-first: one decision per column for dates such as ``05.03.2024``.

``05/03/2024`` is 5 March in most of the world and 3 May in the United States. Reading each
value on its own (as ``pandas.to_datetime(format="mixed")`` does) gives both readings in one
column: values with a day above 12 are read day-first, the others month-first. Here the
order is decided once for the whole column: given by the user (``dayfirst=``), or the only
order that fits every value; when both fit (every day and month ≤ 12) or neither does, the
load stops with examples and the option to set.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import DataError
from ._quality import DataQuality

__all__ = [
    "NUMERIC_DATE",
    "DateOrder",
    "decide_date_order",
    "record_date_order",
    "reorder_numeric_dates",
]

#: ``DD.MM.YYYY`` / ``MM/DD/YYYY`` (``.``, ``/`` or ``-``, the same separator twice, a 2- or
#: 4-digit year), optionally followed by a time. Groups: first number, second number, year,
#: the rest. Written for Python ``re`` and the SQL engines' regex dialects alike.
NUMERIC_DATE = r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})((?:[ T].*)?)$"
#: The same shape, for Arrow's vectorised RE2 (no groups, no ``\d``).
_SHAPE = r"^[0-9]{1,2}[./-][0-9]{1,2}[./-](?:[0-9]{4}|[0-9]{2})(?:[ T].*)?$"


@dataclass(frozen=True)
class DateOrder:
    """How the ``DD?MM?YYYY``-shaped values of a column are read.

    Attributes
    ----------
    dayfirst : bool
        True: the first number is the day; False: it is the month.
    rows : int
        Values of that shape in the column.
    reason : str
        Why this order: given by the user or the only one that fits, with an example.
    """

    dayfirst: bool
    rows: int
    reason: str


def decide_date_order(pairs: pd.DataFrame, column: str, dayfirst: bool | None) -> DateOrder | None:
    """Decide the order of day and month for the whole column.

    Parameters
    ----------
    pairs : pandas.DataFrame
        One row per distinct pair of leading numbers among the values of that shape:
        columns ``first``, ``second`` (integers), ``rows`` (values with that pair) and
        ``example`` (one such value), so that a database can compute it in one query.
    column : str
        Source column name, for messages.
    dayfirst : bool or None
        The user's choice; None decides from the values.

    Returns
    -------
    DateOrder or None
        None when the column has no value of that shape.

    Raises
    ------
    DataError
        If ``dayfirst`` is None and both orders fit every value (every number ≤ 12, and the
        day and month differ somewhere), or the column needs both orders.
    """
    # a value fits neither order when both numbers exceed 12: it stays unparsable
    pairs = pairs[(pairs["first"] <= 12) | (pairs["second"] <= 12)]
    rows = int(pairs["rows"].sum())
    if not rows:
        return None
    if dayfirst is not None:
        how = "day-first" if dayfirst else "month-first"
        return DateOrder(dayfirst, rows, f"{how}, as set by dayfirst: {str(dayfirst).lower()}")
    first, second, text = pairs["first"], pairs["second"], pairs["example"]
    count = pairs["rows"]
    only_day_first = (first > 12) & (second <= 12)
    only_month_first = (second > 12) & (first <= 12)
    option = (
        "Set dayfirst: true (DD/MM/YYYY) or dayfirst: false (MM/DD/YYYY), or date_format: "
        "(e.g. '%d.%m.%Y'), in the parameter file (dayfirst=/date_format= in Python)"
    )
    if only_day_first.any() and only_month_first.any():
        raise DataError(
            f"column '{column}': the dates need both orders: {int(count[only_day_first].sum()):,} "
            f"value(s) only read day-first (e.g. {_examples(text[only_day_first])}) and "
            f"{int(count[only_month_first].sum()):,} only month-first (e.g. "
            f"{_examples(text[only_month_first])}); one column must use one order. Fix the "
            f"source, or choose one order and let the other values fail. {option}."
        )
    if only_day_first.any() or only_month_first.any():
        fits = only_day_first if only_day_first.any() else only_month_first
        how = "day-first" if only_day_first.any() else "month-first"
        reason = (
            f"{how}: the only order that fits every value ({int(count[fits].sum()):,} value(s) "
            f"such as {_examples(text[fits], 1)} have no other reading)"
        )
        return DateOrder(bool(only_day_first.any()), rows, reason)
    differ = (first != second) & (first <= 12) & (second <= 12)
    if differ.any():
        raise DataError(
            f"column '{column}': {int(count[differ].sum()):,} date(s) such as "
            f"{_examples(text[differ])} read both day-first and month-first (no day above 12 "
            f"tells the order), so they are not read either way. {option}."
        )
    return DateOrder(True, rows, "day and month are equal in every value: either order")


def reorder_numeric_dates(
    text: pd.Series, column: str, *, dayfirst: bool | None, quality: DataQuality
) -> pd.Series:
    """Rewrite ``DD?MM?YYYY``-shaped values as ISO dates, in the one order of the column.

    Parameters
    ----------
    text : pandas.Series
        Date values as text.
    column : str
        Source column name, for messages.
    dayfirst : bool or None
        The user's choice; None decides from the values (see :func:`decide_date_order`).
    quality : DataQuality
        Record the decision is added to.

    Returns
    -------
    pandas.Series
        The values, those of that shape as ``YYYY-MM-DD[ time]``; two-digit years as
        Python's ``%y`` reads them (69-99 → 19xx, 00-68 → 20xx).
    """
    shaped = text.str.contains(_SHAPE, regex=True).fillna(False).astype(bool)
    if not shaped.any():
        return text
    parts = text[shaped].str.extract(NUMERIC_DATE)
    first, second = parts[0].astype(int), parts[1].astype(int)
    pairs = (
        pd.DataFrame({"first": first, "second": second, "example": text[shaped]})
        .groupby(["first", "second"], as_index=False)
        .agg(rows=("example", "size"), example=("example", "min"))
    )
    order = decide_date_order(pairs, column, dayfirst)
    if order is None:
        return text
    record_date_order(quality, column, order)
    day, month = (first, second) if order.dayfirst else (second, first)
    year = parts[2].astype(int)
    year = year.where(parts[2].str.len() == 4, year + 1900 + 100 * (year < 69))
    iso = (
        year.astype(str).str.zfill(4)
        + "-"
        + month.astype(str).str.zfill(2)
        + "-"
        + day.astype(str).str.zfill(2)
        + parts[3]
    )
    return text.mask(shaped, iso)


def record_date_order(quality: DataQuality, column: str, order: DateOrder | None) -> None:
    """Record the reading of a column's ``DD?MM?YYYY`` values in ``quality``.

    Parameters
    ----------
    quality : DataQuality
        Record of the load.
    column : str
        Source column name.
    order : DateOrder or None
        The decision; nothing is recorded when None.
    """
    if order is None:
        return
    check = "dates_day_first" if order.dayfirst else "dates_month_first"
    quality.record(check, order.rows, "kept", f"column '{column}': read {order.reason}")


def _examples(values: pd.Series, n: int = 3) -> str:
    return ", ".join(repr(str(v)) for v in sorted(values.astype(str))[:n])
