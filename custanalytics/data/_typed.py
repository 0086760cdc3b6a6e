"""From a raw source to the typed table: canonical columns, one type each, in the engine.

In-memory sources (DataFrames, files) are typed in pandas (``_parse``) and moved into an
in-process DuckDB; database sources are typed in their own engine by the same rules. Either
way the result has ``customer_id`` (text), ``date`` (timestamp), ``amount`` (exact money,
missing when the source has no amount) and, when mapped, ``order_id``, ``quantity`` and
``discounted`` (boolean: the row was bought on discount).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import ibis
import ibis.expr.operations as ops
import pandas as pd

from ..errors import DataError, ParameterError
from ._amounts import parse_amounts
from ._dates import NUMERIC_DATE, decide_date_order, record_date_order
from ._discounts import (
    FLAG_FALSE,
    FLAG_TRUE,
    handle_invalid_discounts,
    parse_discounts,
    record_missing_discounts,
)
from ._money import MONEY, as_money, check_money_range, money_sum
from ._parse import (
    FLOAT_INTEGER_ID,
    INTEGER_ID,
    MISSING_IDS,
    OFFSET,
    handle_unparsable_dates,
    parse_dates,
    parse_ids,
    record_correction,
)
from ._quality import DataQuality
from ._readers import RawSource

__all__ = ["Spec", "materialise", "scalar", "typed_from_frame", "typed_from_table"]


@dataclasses.dataclass(frozen=True)
class Spec:
    """The column mapping and the parsing options of one load.

    Attributes
    ----------
    customer, date : str
        Source columns of the customer id and the timestamp.
    amount, price, order, quantity : str or None
        Source columns; ``amount`` or ``price`` (× ``quantity``) or neither.
    discount : str or None
        Source column of the discount on the row.
    discount_kind : str or None
        How ``discount`` is written (see :mod:`custanalytics.data._discounts`).
    duplicates, invalid_dates, invalid_amounts : str
        Policies, see :func:`custanalytics.load_transactions`.
    date_format : str or None
        Explicit date format.
    dayfirst : bool or None
        Order of ``DD?MM?YYYY`` dates.
    decimal : str
        Decimal mark of text amounts.
    labels : tuple of (str, str)
        Text columns carried through, stripped (empty text is missing): pairs of the
        canonical name and the source column, e.g. ``("owner", "销售负责人")``.
    """

    customer: str
    date: str
    amount: str | None = None
    price: str | None = None
    order: str | None = None
    quantity: str | None = None
    discount: str | None = None
    discount_kind: str | None = None
    duplicates: str = "drop"
    invalid_dates: str = "error"
    invalid_amounts: str = "error"
    date_format: str | None = None
    dayfirst: bool | None = None
    decimal: str = "."
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def has_amount(self) -> bool:
        """Whether the source gives amounts (directly or as price × quantity)."""
        return self.amount is not None or self.price is not None

    @property
    def amount_label(self) -> str:
        """The source column(s) behind ``amount``, for messages."""
        if self.price is not None:
            return f"{self.price}' × '{self.quantity}"
        return str(self.amount)

    def mapped(self) -> list[str]:
        """Source columns mapped to a role."""
        roles = (self.customer, self.date, self.amount, self.price, self.order, self.quantity)
        return [c for c in (*roles, self.discount) if c is not None] + [c for _, c in self.labels]


def scalar(expr: Any) -> Any:
    """Execute a scalar expression."""
    return expr.to_pyarrow().as_py()


def materialise(table: Any) -> Any:
    """Cache a table in its engine (lazy where the backend has no temporary tables)."""
    try:
        return table.cache()
    except NotImplementedError:
        return table


def _first_row(rows: pd.DataFrame) -> dict:
    """Return the smallest row (as text, column by column): one example in any row order."""
    text = rows.astype(str).reset_index(drop=True)
    return rows.iloc[text.sort_values(list(text.columns)).index[0]].to_dict()


def _duplicates_detail(columns: list[str], mapped: list[str], example: Any) -> str:
    detail = f"identical in every one of the {len(columns)} source columns, e.g. {example}"
    if set(columns) <= set(mapped):
        detail += (
            "; the source has only the mapped columns, so separate rows that look the same "
            "(two equal lines of one order, two calls on one day) count as duplicates too: "
            "read every column (SELECT * in query=), or set duplicates: keep if each is a real "
            "purchase or contact"
        )
    return detail


# --- in-memory sources ------------------------------------------------------------------------


def typed_from_frame(raw: RawSource, spec: Spec, quality: DataQuality) -> Any:
    """Type a DataFrame source and move it into an in-process DuckDB.

    Parameters
    ----------
    raw : RawSource
        The source, with ``frame`` set.
    spec : Spec
        Mapping and options.
    quality : DataQuality
        Record of the load; ``revenue_read`` is set here.

    Returns
    -------
    ibis.Table
        The typed table.
    """
    frame = raw.frame
    duplicated_amount = None
    if spec.duplicates == "drop":
        dup = frame.duplicated()
        if dup.any():
            duplicated_amount = _amounts(frame[dup], spec, quality, quiet=True)[0]
            quality.record(
                "duplicate_rows",
                int(dup.sum()),
                "dropped",
                _duplicates_detail(
                    list(map(str, frame.columns)), spec.mapped(), _first_row(frame[dup])
                ),
                money_sum(duplicated_amount) if spec.has_amount else None,
            )
        frame = frame[~dup]
    amounts, quantity, unparsable_amounts = _amounts(frame, spec, quality)
    if spec.has_amount:
        both = [amounts] + ([duplicated_amount] if duplicated_amount is not None else [])
        quality.revenue_read = sum(money_sum(a) for a in both)
    keep = ~unparsable_amounts
    frame, amounts, quantity = frame[keep], amounts[keep], quantity[keep]
    dates, unparsable = parse_dates(
        frame[spec.date],
        spec.date,
        invalid=spec.invalid_dates,
        quality=quality,
        date_format=spec.date_format,
        dayfirst=spec.dayfirst,
    )
    if spec.has_amount:
        quality.set_amount("unparsable_dates", money_sum(amounts[unparsable]))
    keep = ~unparsable
    frame, dates, amounts, quantity = frame[keep], dates[keep], amounts[keep], quantity[keep]
    if spec.discount:
        discounted, bad = parse_discounts(
            frame[spec.discount],
            spec.discount,
            spec.discount_kind,
            quality,
            decimal=spec.decimal,
            invalid=spec.invalid_amounts,
        )
        if spec.has_amount:
            quality.set_amount("unparsable_discounts", money_sum(amounts[bad]))
        keep = ~bad
        frame, dates, amounts, quantity = frame[keep], dates[keep], amounts[keep], quantity[keep]
    typed = pd.DataFrame({"customer_id": parse_ids(frame[spec.customer]), "date": dates})
    typed["amount"] = amounts
    if spec.order:
        typed["order_id"] = parse_ids(frame[spec.order])
    if spec.quantity:
        typed["quantity"] = quantity
    if spec.discount:
        typed["discounted"] = discounted[keep]
    for name, column in spec.labels:
        text = frame[column].astype("string").str.strip()
        typed[name] = text.mask(text.eq("")).to_numpy(dtype=object, na_value=None)
    con = ibis.duckdb.connect()
    table = con.create_table("transactions_typed", typed.reset_index(drop=True), temp=True)
    return table.mutate(amount=as_money(_nan_to_null(table.amount, con)))


def _amounts(
    frame: pd.DataFrame, spec: Spec, quality: DataQuality, *, quiet: bool = False
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Amounts as floats (price × quantity where mapped so), quantities, unparsable rows.

    With ``quiet`` (rows about to be dropped as duplicates) nothing is recorded or raised.
    """
    nothing = pd.Series(float("nan"), index=frame.index)
    bad = pd.Series(False, index=frame.index)
    quantity = nothing
    if spec.quantity is not None:
        # a factor of the amount follows invalid_amounts; otherwise it must parse
        invalid = "drop" if quiet else spec.invalid_amounts if spec.price else "error"
        quantity, bad_quantity = _parse(frame[spec.quantity], spec, quality, invalid, quiet)
        if spec.price is not None:
            bad = bad_quantity
    if not spec.has_amount:
        return nothing, quantity, bad
    invalid = "drop" if quiet else spec.invalid_amounts
    money = spec.amount if spec.amount is not None else spec.price
    # rows already failing on the quantity are not parsed (and counted) a second time
    amounts, bad_money = _parse(frame.loc[~bad, money], spec, quality, invalid, quiet)
    amounts = amounts.reindex(frame.index)
    bad = bad | bad_money.reindex(frame.index, fill_value=False)
    if spec.price is not None:
        amounts = amounts * quantity
    check_money_range(amounts.abs().max() if len(amounts) else None, spec.amount_label)
    return amounts, quantity, bad


def _parse(
    values: pd.Series, spec: Spec, quality: DataQuality, invalid: str, quiet: bool
) -> tuple[pd.Series, pd.Series]:
    record = DataQuality("", 0) if quiet else quality
    return parse_amounts(values, str(values.name), record, decimal=spec.decimal, invalid=invalid)


# --- database sources -------------------------------------------------------------------------


def typed_from_table(raw: RawSource, spec: Spec, quality: DataQuality) -> Any:
    """Type a database table in its engine, with the same rules as the DataFrame path.

    Parameters
    ----------
    raw : RawSource
        The source, with ``table`` set.
    spec : Spec
        Mapping and options.
    quality : DataQuality
        Record of the load; ``revenue_read`` is set here.

    Returns
    -------
    ibis.Table
        The typed table, cached in the engine.
    """
    table = raw.table
    schema = table.schema()
    _check_types(schema, spec)
    backend = table.get_backend()
    money = _sql_money(table, spec, backend)
    if spec.has_amount:
        totals = table.aggregate(total=money.sum(), largest=money.abs().max())
        totals = totals.to_pyarrow().to_pylist()[0]
        check_money_range(_float(totals["largest"]), spec.amount_label)
        quality.revenue_read = _float(totals["total"]) or 0.0
    if spec.duplicates == "drop":
        distinct = table.distinct()
        rows = quality.rows_read - scalar(distinct.count())
        if rows:
            amount = None
            if spec.has_amount:
                kept = _float(scalar(_sql_money(distinct, spec, backend).sum())) or 0.0
                amount = quality.revenue_read - kept
            detail = _duplicates_detail(list(table.columns), spec.mapped(), "exact duplicates")
            quality.record("duplicate_rows", rows, "dropped", detail, _round(amount))
        table = distinct
    dates = table[spec.date].cast("timestamp")
    if schema[spec.date].is_string():
        table, dates = _text_dates(table, spec, quality=quality)
    if spec.discount:
        # the dates ride along as a column, so that they follow the rows a check drops
        table = _checked_discounts(table.mutate(_date=dates), spec, schema, quality)
        dates = table._date
    columns = {
        "customer_id": _sql_ids(table, spec.customer, schema[spec.customer]),
        "date": dates,
        "amount": _sql_money(table, spec, backend),
    }
    if spec.order:
        columns["order_id"] = _sql_ids(table, spec.order, schema[spec.order])
    if spec.quantity:
        columns["quantity"] = _nan_to_null(table[spec.quantity].cast("float64"), backend)
    if spec.discount:
        columns["discounted"] = _sql_discounts(table, spec, schema[spec.discount])[0]
    for name, column in spec.labels:
        columns[name] = table[column].cast("string").strip().nullif("")
    # cached once in the engine: the cleaning rules then count on a plain table instead of
    # repeating the typing (regexes, casts) in every query, which also keeps SQLite's parser
    # within its nesting limit
    return materialise(table.select(**columns))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _check_types(schema: Any, spec: Spec) -> None:
    date_type = schema[spec.date]
    if not (date_type.is_temporal() or date_type.is_string()):
        raise DataError(
            f"column '{spec.date}' has type {date_type}, not a date, timestamp or text; "
            f"convert it in a query= SELECT (e.g. CAST({spec.date} AS TIMESTAMP))"
        )
    for column in (spec.amount, spec.price, spec.quantity):
        if column is not None and not schema[column].is_numeric():
            raise DataError(
                f"column '{column}' has type {schema[column]}, not a number; "
                f"convert it in a query= SELECT (e.g. CAST({column} AS DOUBLE))"
            )
    if spec.discount is None:
        return
    dtype = schema[spec.discount]
    if spec.discount_kind == "flag":
        if not (dtype.is_boolean() or dtype.is_numeric() or dtype.is_string()):
            raise DataError(
                f"column '{spec.discount}' has type {dtype}, not a flag (boolean, 0/1 or text "
                "such as 是/否); convert it in a query= SELECT"
            )
    elif not dtype.is_numeric():
        raise DataError(
            f"column '{spec.discount}' has type {dtype}, not a number (discount_kind: "
            f"{spec.discount_kind}); convert it in a query= SELECT, e.g. "
            f"CAST(REPLACE({spec.discount}, '%', '') AS DOUBLE) with discount_kind: percent"
        )


def _sql_discounts(table: Any, spec: Spec, dtype: Any) -> tuple[Any, Any, Any]:
    """Discount rules in the database: on discount, not a discount of the kind, empty."""
    column = table[spec.discount]
    kind = spec.discount_kind
    if dtype.is_boolean():
        return column.fill_null(False), ibis.literal(False), column.isnull()
    if dtype.is_string():  # flags only (checked before)
        text = column.strip().lower()
        missing = column.isnull() | (text == "")
        on = text.isin(FLAG_TRUE)
        bad = ~missing & ~on & ~text.isin(FLAG_FALSE)
        return on.fill_null(False), bad.fill_null(False), missing
    number = _nan_to_null(column.cast("float64"), table.get_backend())
    if kind == "percent":
        number = number / 100
    missing = number.isnull()
    if kind == "amount":
        on, bad = number.abs() > 0, ibis.literal(False)
    else:
        bad = ~number.isin([0.0, 1.0]) if kind == "flag" else (number < 0) | (number > 1)
        on = number > 0
    bad = bad.fill_null(False)
    return (on & ~bad).fill_null(False), bad, missing


def _checked_discounts(table: Any, spec: Spec, schema: Any, quality: DataQuality) -> Any:
    """Count empty discounts; raise on values that are not discounts, or drop and count them."""
    _, bad, missing = _sql_discounts(table, spec, schema[spec.discount])
    aggregates = {"bad": bad.sum(), "missing": missing.sum()}
    if spec.has_amount:
        aggregates["amount"] = _sql_money(table, spec, table.get_backend()).sum(where=bad)
    counts = table.aggregate(**aggregates).to_pyarrow().to_pylist()[0]
    if counts["bad"]:
        examples = _examples(table, bad, table[spec.discount].cast("string"))
        handle_invalid_discounts(
            spec.discount,
            spec.discount_kind,
            int(counts["bad"]),
            examples,
            invalid=spec.invalid_amounts,
            quality=quality,
        )
        quality.set_amount("unparsable_discounts", _round(_float(counts.get("amount"))))
        table = table.filter(~bad)
    record_missing_discounts(quality, spec.discount, int(counts["missing"] or 0))
    return table


def _nan_to_null(column: Any, backend: Any) -> Any:
    if column.type().is_floating() and backend.has_operation(ops.IsNan):
        return column.isnan().ifelse(ibis.null(), column)
    return column


def _sql_money(table: Any, spec: Spec, backend: Any) -> Any:
    """Return the exact amount column of a database table (NaN as missing)."""
    if not spec.has_amount:
        return ibis.null(MONEY)
    if spec.amount is not None:
        return as_money(_nan_to_null(table[spec.amount].cast("float64"), backend))
    price = as_money(_nan_to_null(table[spec.price].cast("float64"), backend))
    quantity = as_money(_nan_to_null(table[spec.quantity].cast("float64"), backend))
    return (price * quantity).cast(MONEY)


def _sql_ids(table: Any, column: str, dtype: Any) -> Any:
    """Ids with the rules of ``parse_ids``: stripped text, ``.0`` of integral floats removed."""
    value = table[column]
    if dtype.is_floating():
        text = ibis.ifelse(
            value == value.floor(), value.cast("int64").cast("string"), value.cast("string")
        )
    else:
        text = value.cast("string")
    text = text.strip()
    text = ibis.ifelse(text.lower().isin(MISSING_IDS) | (text == ""), ibis.null("string"), text)
    if dtype.is_string():
        floats = text.re_search(f"^{FLOAT_INTEGER_ID}$")
        integers = text.re_search(f"^{INTEGER_ID}$")
        shape = table.aggregate(
            floats=floats.sum(), others=(text.notnull() & ~floats & ~integers).sum()
        )
        shape = shape.to_pyarrow().to_pylist()[0]
        if shape["floats"] and not shape["others"]:
            text = ibis.ifelse(floats, text.re_extract(r"^([+-]?\d+)\.0+$", 1), text)
    return text


# --- text dates in a database -----------------------------------------------------------------

#: Year-first dates with ``/``, ``.`` or Chinese 年月日, and ``YYYYMMDD``: rewritten as ISO
#: in the database, as ``_parse`` reads them in files. Groups: year, month, day, the rest.
_YEAR_FIRST = r"^(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?((?:[ T].*)?)$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"


def _iso(year: Any, month: Any, day: Any, rest: Any) -> Any:
    return year.concat("-", month.lpad(2, "0"), "-", day.lpad(2, "0"), rest)


def _text_dates(table: Any, spec: Spec, *, quality: DataQuality) -> tuple:
    """Parse a text date column in the database with the rules of ``parse_dates``.

    UTC offsets are removed (the wall-clock time is kept) and counted; year-first, compact
    and ``DD?MM?YYYY`` dates (one order per column) are rewritten as ISO; text the database
    cannot cast to a timestamp is an error with examples, or dropped and counted.
    """
    column = spec.date
    text = table[column].strip().nullif("")
    written = text.notnull()
    if spec.date_format is not None:
        text = _rewrite_by_format(text, spec.date_format)
    else:
        text = _rewrite_numeric_dates(table, text, spec, quality)
    # cached: the rewritten text once, instead of the rewriting nested in every later query
    # (which also keeps SQLite's parser within its nesting limit)
    table = materialise(table.mutate(_iso_date=text, _written=written))
    text = table._iso_date
    with_offset = None
    if spec.date_format is None:
        with_offset = text.re_search(OFFSET)
        local = ibis.ifelse(with_offset, text.re_extract(OFFSET, 1), text)
    else:
        local = text
    backend = table.get_backend()
    if backend.name == "postgres":  # Ibis' try_cast is a plain CAST there, which raises
        parsed = ibis.ifelse(_valid_iso(local), local.cast("timestamp"), ibis.null("timestamp"))
    elif backend.has_operation(ops.TryCast):
        parsed = local.try_cast("timestamp")
    else:  # SQLite: CAST gives NULL for text that is not a date
        parsed = local.cast("timestamp")
    unparsable = table._written & (parsed.isnull() | ~_real_day(parsed))
    return _finish_dates(table, parsed, unparsable, with_offset, spec, quality)


def _rewrite_numeric_dates(table: Any, text: Any, spec: Spec, quality: DataQuality) -> Any:
    """Rewrite day-first/month-first (one order per column), year-first and compact as ISO."""
    column = spec.date
    numeric = text.re_search(NUMERIC_DATE)
    first = text.re_extract(NUMERIC_DATE, 1)
    second = text.re_extract(NUMERIC_DATE, 2)
    pairs = (
        table.filter(numeric)
        .group_by(first=first.cast("int64"), second=second.cast("int64"))
        .aggregate(rows=lambda t: t.count(), example=text.min())
        .to_pandas()
    )
    order = decide_date_order(pairs, column, spec.dayfirst)
    record_date_order(quality, column, order)
    if order is not None:
        day, month = (first, second) if order.dayfirst else (second, first)
        year = _full_year(text.re_extract(NUMERIC_DATE, 3))
        text = ibis.ifelse(numeric, _iso(year, month, day, text.re_extract(NUMERIC_DATE, 4)), text)
    year_first = text.re_search(_YEAR_FIRST)
    return ibis.ifelse(
        year_first,
        _iso(*(text.re_extract(_YEAR_FIRST, i) for i in (1, 2, 3, 4))),
        ibis.ifelse(
            text.re_search(_COMPACT),
            _iso(*(text.re_extract(_COMPACT, i) for i in (1, 2, 3)), ibis.literal("")),
            text,
        ),
    )


def _full_year(year: Any) -> Any:
    """Four-digit years; two-digit ones as Python's ``%y`` reads them."""
    return ibis.ifelse(
        year.length() == 4, year, ibis.ifelse(year.cast("int64") < 69, "20", "19").concat(year)
    )


#: The ``date_format`` directives that SQL sources support, with what they match.
_DIRECTIVES = {
    "%d": ("day", r"(\d{1,2})"),
    "%m": ("month", r"(\d{1,2})"),
    "%Y": ("year", r"(\d{4})"),
    "%y": ("year2", r"(\d{2})"),
    "%H": ("hour", r"(\d{1,2})"),
    "%M": ("minute", r"(\d{2})"),
    "%S": ("second", r"(\d{2})"),
}
_REGEX_SPECIAL = set(".^$*+?()[]{}|\\")


def _rewrite_by_format(text: Any, date_format: str) -> Any:
    """Rewrite text written in ``date_format`` as ISO in the database; other text as NULL.

    The engines' own format parsers raise on text that does not fit (DuckDB, PostgreSQL) or
    differ in their directives, so the format becomes one regular expression instead.
    """
    pattern, names = "^", []
    for token in re.split(r"(%.)", date_format):
        if re.fullmatch(r"%.", token):
            if token not in _DIRECTIVES:
                raise ParameterError(
                    f"date_format {date_format!r}: the directive {token} is not supported for "
                    f"SQL sources (supported: {', '.join(_DIRECTIVES)}); convert the column "
                    "in a query= SELECT, or use dayfirst: instead"
                )
            name, expression = _DIRECTIVES[token]
            pattern += expression
            names.append(name)
        else:
            pattern += "".join("\\" + c if c in _REGEX_SPECIAL else c for c in token)
    pattern += "$"
    parts = {name: text.re_extract(pattern, i + 1) for i, name in enumerate(names)}
    if "year2" in parts:
        parts["year"] = _full_year(parts["year2"])
    if not {"year", "month", "day"} <= set(parts):
        raise ParameterError(
            f"date_format {date_format!r} must hold the day (%d), month (%m) and year (%Y or %y)"
        )
    clock = [
        parts.get(name, ibis.literal("0")).lpad(2, "0") for name in ("hour", "minute", "second")
    ]
    stamp = ibis.literal(" ").concat(clock[0], ":", clock[1], ":", clock[2])
    iso = _iso(parts["year"], parts["month"], parts["day"], stamp)
    return ibis.ifelse(text.re_search(pattern), iso, ibis.null("string"))


def _finish_dates(table, parsed, unparsable, with_offset, spec, quality) -> tuple:
    column = spec.date
    aggregates = {"unparsable": unparsable.sum(), "read": (table._written & ~unparsable).sum()}
    if with_offset is not None:
        aggregates["offsets"] = with_offset.sum()
    if spec.has_amount:
        money = _sql_money(table, spec, table.get_backend())
        aggregates["amount"] = money.sum(where=unparsable)
    counts = table.aggregate(**aggregates).to_pyarrow().to_pylist()[0]
    if counts.get("offsets"):
        example = repr(_examples(table, with_offset, table[column].strip())[0])
        record_correction(quality, "timezone_dropped", column, counts["offsets"], example)
    if counts["unparsable"]:
        examples = _examples(table, unparsable, table[column].strip())
        handle_unparsable_dates(
            column,
            counts["unparsable"],
            examples,
            invalid=spec.invalid_dates,
            quality=quality,
            date_format=spec.date_format,
        )
        quality.set_amount("unparsable_dates", _round(_float(counts.get("amount"))))
        table = table.filter(~unparsable)
    if spec.date_format is not None:
        detail = f"column '{column}': read with date_format {spec.date_format!r}"
        quality.record("dates_by_format", counts["read"], "kept", detail)
    return table, parsed


#: An ISO date or timestamp; groups: year, month, day, hour, minute, second.
_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"


def _valid_iso(text: Any) -> Any:
    """Tell, without casting, whether text is an ISO timestamp of a real day and time."""
    shaped = text.re_search(_ISO)

    def part(group: int) -> Any:
        value = text.re_extract(_ISO, group).nullif("")
        return ibis.ifelse(shaped & value.notnull(), value, "0").cast("int64")

    year, month, day = part(1), part(2), part(3)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = ibis.cases(
        (month == 2, ibis.ifelse(leap, 29, 28)), (month.isin([4, 6, 9, 11]), 30), else_=31
    )
    return (
        shaped
        & month.between(1, 12)
        & day.between(1, days)
        & (part(4) <= 23)
        & (part(5) <= 59)
        & (part(6) <= 59)
    )


def _real_day(stamp: Any) -> Any:
    """Tell whether the day exists (30 February does not, yet SQLite casts it as given)."""
    year, month = stamp.year(), stamp.month()
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = ibis.cases(
        (month == 2, ibis.ifelse(leap, 29, 28)), (month.isin([4, 6, 9, 11]), 30), else_=31
    )
    return stamp.day() <= days


def _examples(table: Any, condition: Any, value: Any) -> list:
    rows = table.filter(condition).select(example=value).distinct().order_by("example").limit(3)
    return rows.to_pyarrow().column(0).to_pylist()
