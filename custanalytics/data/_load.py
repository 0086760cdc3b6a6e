"""Public loaders: ``load_transactions`` and ``load_customers``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import ibis
import ibis.expr.operations as ops
import pandas as pd
from ibis.expr.types import CachedTable

from ..errors import DataError, ParameterError
from ._clean import RETURN_POLICIES, clean_transactions
from ._parse import (
    OFFSET,
    as_date,
    check_columns,
    handle_unparsable_dates,
    parse_amounts,
    parse_dates,
    parse_ids,
    record_correction,
)
from ._quality import DataQuality
from ._readers import RawSource, read_source

__all__ = ["Customers", "Transactions", "load_customers", "load_transactions"]

CANONICAL = ("customer_id", "date", "amount", "order_id", "quantity")


@dataclasses.dataclass
class Transactions:
    """A validated, cleaned transaction log and the record of how it was cleaned.

    Attributes
    ----------
    table : ibis.Table
        Columns ``customer_id`` (string), ``date`` (timestamp, local wall-clock time),
        ``amount`` (float64) and, when mapped, ``order_id`` (string) and ``quantity``
        (float64). The table lives in its engine: an in-process DuckDB for files and
        DataFrames, the source database (or Spark) for SQL sources.
    quality : DataQuality
        Rows read, kept, and each exclusion or correction.
    as_of : datetime.date or None
        Observation end used to exclude later rows, if one was given.
    """

    table: Any
    quality: DataQuality
    as_of: dt.date | None = None

    def to_pandas(self) -> pd.DataFrame:
        """Return the cleaned rows as a pandas DataFrame.

        Returns
        -------
        pandas.DataFrame
            The canonical columns, sorted by customer and date.
        """
        return self.table.order_by(["customer_id", "date"]).to_pandas()

    def __len__(self) -> int:
        return self.quality.rows_kept

    def __repr__(self) -> str:
        return (
            f"Transactions({self.quality.rows_kept:,} rows kept of {self.quality.rows_read:,} "
            f"read from {self.quality.source}; as_of={self.as_of})"
        )


@dataclasses.dataclass
class Customers:
    """A validated customer master: one row per customer, prospects included.

    Attributes
    ----------
    frame : pandas.DataFrame
        Indexed by ``customer_id`` (string); the attribute columns as in the source.
    quality : DataQuality
        Rows read, kept, and each exclusion.
    """

    frame: pd.DataFrame
    quality: DataQuality


def load_transactions(
    source: Any,
    *,
    customer: str,
    date: str,
    amount: str,
    order: str | None = None,
    quantity: str | None = None,
    as_of: dt.date | str | None = None,
    start: dt.date | str | None = None,
    returns: str = "net",
    duplicates: str = "drop",
    invalid_dates: str = "error",
    encoding: str | None = None,
    sheet: str | int | None = None,
    table: str | None = None,
    query: str | None = None,
) -> Transactions:
    """Load, validate and clean a transaction log.

    Parameters
    ----------
    source : DataFrame, str, path-like, ibis.Table or ibis backend
        A DataFrame (never modified); a CSV (UTF-8, UTF-8 with BOM or GBK/GB18030,
        detected), Excel or Parquet file (or folder); a SQL connection URL such as
        ``duckdb:///file.db``, ``sqlite:///file.db`` or ``postgres://user@host/db``; an Ibis
        table or connection (a Spark session connected with ``ibis.pyspark.connect``
        included); or a bundled demo name (``cdnow``, ``cdnow_sample``).
    customer, date, amount : str
        Source column names of the customer id, purchase timestamp and amount. A timestamp
        with a UTC offset keeps its local wall-clock time (the offset is dropped and
        counted); text dates in a database table must be ISO (``YYYY-MM-DD[ HH:MM:SS]``).
    order, quantity : str, optional
        Source column names of the order id and quantity.
    as_of : date or str, optional
        Observation end, including its whole day (a purchase at 23:59 on it is kept); rows
        after it are excluded and counted.
    start : date or str, optional
        Rows before this day are excluded and counted.
    returns : {"net", "drop", "keep"}
        Negative amounts (returns): ``net`` (default) dates each return to the customer's
        latest purchase at or before it, so it reduces that purchase, and drops purchases
        that net to zero or less and returns with no earlier purchase; ``drop`` removes
        them; ``keep`` leaves them. All counted.
    duplicates : {"drop", "keep"}
        Exact duplicate rows (every source column equal) are dropped and counted by default;
        ``keep`` them for sources whose identical rows are genuine separate purchases.
    invalid_dates : {"error", "drop"}
        Dates that do not parse raise an error with examples (default) or are dropped and
        counted.
    encoding : str, optional
        CSV encoding, when detection is not wanted.
    sheet : str or int, optional
        Excel sheet.
    table, query : str, optional
        For SQL sources: the table, or a SELECT statement.

    Returns
    -------
    Transactions
        The cleaned table and its data-quality record.

    Raises
    ------
    FileNotFoundError
        If a file source does not exist.
    DataError
        If a mapped column is missing, values cannot be parsed or no rows are left.
    ParameterError
        If an option has an invalid value.
    """
    _check_choice("returns", returns, RETURN_POLICIES)
    _check_choice("duplicates", duplicates, ("drop", "keep"))
    _check_choice("invalid_dates", invalid_dates, ("error", "drop"))
    as_of, start = as_date(as_of, "as_of"), as_date(start, "start")
    if as_of and start and start > as_of:
        raise ParameterError(f"start ({start}) is after as_of ({as_of}); swap or fix them")
    raw = read_source(source, encoding=encoding, sheet=sheet, table=table, query=query)
    mapping = {
        "customer": customer,
        "date": date,
        "amount": amount,
        "order": order,
        "quantity": quantity,
    }
    quality = DataQuality(raw.description, _count_rows(raw, "transactions"))
    check_columns(raw.columns, mapping, "transactions")
    typed_from = _typed_from_frame if raw.frame is not None else _typed_from_table
    typed = typed_from(raw, mapping, quality, duplicates=duplicates, invalid_dates=invalid_dates)
    names = {"customer_id": customer, "date": date, "amount": amount}
    cleaned = clean_transactions(
        typed, quality, as_of=as_of, start=start, returns=returns, columns=names
    )
    materialised = _materialise(cleaned)
    if raw.frame is not None and materialised is not cleaned:
        # the cleaned rows are a table of their own now: free the typed copy of the frame
        typed.get_backend().drop_table(typed.op().name, force=True)
    elif materialised is not cleaned and isinstance(typed, CachedTable):
        typed.release()  # the same for the typed copy cached in the source database
    cleaned = materialised
    if quality.rows_kept == 0:
        raise DataError(
            f"no transactions left after cleaning {quality.source}: {quality.rows_read:,} "
            f"row(s) read; {_steps_text(quality)}. Check as_of/start and the column mapping."
        )
    return Transactions(table=cleaned, quality=quality, as_of=as_of)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {' | '.join(choices)}, got {value!r}")


def _steps_text(quality: DataQuality) -> str:
    return "; ".join(f"{s.check}: {s.rows:,} {s.action}" for s in quality.steps) or "none dropped"


def _count_rows(raw: RawSource, what: str) -> int:
    rows = len(raw.frame) if raw.frame is not None else _scalar(raw.table.count())
    if not rows:
        raise DataError(
            f"the {what} source {raw.description} has no data rows (columns: "
            f"{', '.join(map(str, raw.columns)) or '(none)'}), so there is nothing to analyse. "
            "Check that the file, sheet=, table= or query= points at the data."
        )
    return rows


def _scalar(expr: Any) -> Any:
    return expr.to_pyarrow().as_py()


def _typed_from_frame(
    raw: RawSource,
    mapping: dict[str, str | None],
    quality: DataQuality,
    *,
    duplicates: str,
    invalid_dates: str,
) -> Any:
    frame = raw.frame
    if duplicates == "drop":
        dup = frame.duplicated()
        if dup.any():
            example = frame[dup].iloc[0].to_dict()
            quality.record("duplicate_rows", int(dup.sum()), "dropped", f"e.g. {example}")
        frame = frame[~dup]
    dates, unparsable = parse_dates(
        frame[mapping["date"]], mapping["date"], invalid=invalid_dates, quality=quality
    )
    frame, dates = frame[~unparsable], dates[~unparsable]
    typed = pd.DataFrame(
        {
            "customer_id": parse_ids(frame[mapping["customer"]]),
            "date": dates,
            "amount": parse_amounts(frame[mapping["amount"]], mapping["amount"], quality),
        }
    )
    if mapping["order"]:
        typed["order_id"] = parse_ids(frame[mapping["order"]])
    if mapping["quantity"]:
        typed["quantity"] = parse_amounts(frame[mapping["quantity"]], mapping["quantity"], quality)
    con = ibis.duckdb.connect()
    return con.create_table("transactions_typed", typed.reset_index(drop=True), temp=True)


def _typed_from_table(
    raw: RawSource,
    mapping: dict[str, str | None],
    quality: DataQuality,
    *,
    duplicates: str,
    invalid_dates: str,
) -> Any:
    """Type a database table in its engine, with the same rules as the DataFrame path."""
    table = raw.table
    if duplicates == "drop":
        table = table.distinct()
        distinct = _scalar(table.count())
        quality.record(
            "duplicate_rows", quality.rows_read - distinct, "dropped", "exact duplicates"
        )
    schema = table.schema()
    date_col, amount_col = mapping["date"], mapping["amount"]
    if not (schema[date_col].is_temporal() or schema[date_col].is_string()):
        raise DataError(
            f"column '{date_col}' has type {schema[date_col]}, not a date, timestamp or text; "
            f"convert it in a query= SELECT (e.g. CAST({date_col} AS TIMESTAMP))"
        )
    for column in (amount_col, mapping["quantity"]):
        if column is not None and not schema[column].is_numeric():
            raise DataError(
                f"column '{column}' has type {schema[column]}, not a number; "
                f"convert it in a query= SELECT (e.g. CAST({column} AS DOUBLE))"
            )
    dates = table[date_col].cast("timestamp")
    if schema[date_col].is_string():
        table, dates = _text_dates(table, date_col, invalid=invalid_dates, quality=quality)
    columns = {
        "customer_id": _sql_ids(table[mapping["customer"]], schema[mapping["customer"]]),
        "date": dates,
        "amount": table[amount_col].cast("float64"),
    }
    if mapping["order"]:
        columns["order_id"] = _sql_ids(table[mapping["order"]], schema[mapping["order"]])
    if mapping["quantity"]:
        columns["quantity"] = table[mapping["quantity"]].cast("float64")
    # cached once in the engine: the cleaning rules then count on a plain table instead of
    # repeating the typing (regexes, casts) in every query, which also keeps SQLite's parser
    # within its nesting limit
    return _materialise(table.select(**columns))


def _text_dates(table: Any, column: str, *, invalid: str, quality: DataQuality) -> tuple:
    """Parse a text date column in the database with the rules of ``parse_dates``.

    UTC offsets are removed (the wall-clock time is kept) and counted; text the database
    cannot cast to a timestamp is an error with examples, or dropped and counted.
    """
    text = table[column].strip().nullif("")
    with_offset = text.re_search(OFFSET)
    local = ibis.ifelse(with_offset, text.re_extract(OFFSET, 1), text)
    if table.get_backend().has_operation(ops.TryCast):
        parsed = local.try_cast("timestamp")
    else:  # SQLite: CAST gives NULL for text that is not a date
        parsed = local.cast("timestamp")
    unparsable = text.notnull() & (parsed.isnull() | ~_real_day(parsed))
    counts = table.aggregate(offsets=with_offset.sum(), unparsable=unparsable.sum())
    counts = counts.to_pyarrow().to_pylist()[0]
    if counts["offsets"]:
        example = repr(_examples(table, with_offset, text)[0])
        record_correction(quality, "timezone_dropped", column, counts["offsets"], example)
    if counts["unparsable"]:
        examples = _examples(table, unparsable, text)
        handle_unparsable_dates(
            column, counts["unparsable"], examples, invalid=invalid, quality=quality
        )
        table = table.filter(~unparsable)
    return table, parsed


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


def _sql_ids(column: Any, dtype: Any) -> Any:
    """Ids as stripped text, empty as NULL, integral floats without ``.0`` (as ``parse_ids``)."""
    if dtype.is_floating():
        text = ibis.ifelse(
            column == column.floor(), column.cast("int64").cast("string"), column.cast("string")
        )
    else:
        text = column.cast("string")
    return text.strip().nullif("")


def _materialise(table: Any) -> Any:
    try:
        return table.cache()
    except NotImplementedError:  # backends without temporary tables: stay lazy
        return table


def load_customers(
    source: Any,
    *,
    customer: str,
    columns: list[str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    table: str | None = None,
    query: str | None = None,
) -> Customers:
    """Load the optional customer master (one row per customer, prospects included).

    Parameters
    ----------
    source : DataFrame, str, path-like, ibis.Table or ibis backend
        Any source :func:`load_transactions` accepts.
    customer : str
        Column of the customer id (the same ids as in the transactions).
    columns : list of str, optional
        Attribute columns to keep (type, industry, region, owner …); all by default.
    encoding, sheet, table, query
        As in :func:`load_transactions`.

    Returns
    -------
    Customers
        The master indexed by ``customer_id`` and its data-quality record. Rows without an
        id are dropped; repeated ids keep their first row; both counted.

    Raises
    ------
    FileNotFoundError
        If a file source does not exist.
    DataError
        If a column is missing or the source is empty.
    """
    raw = read_source(source, encoding=encoding, sheet=sheet, table=table, query=query)
    wanted = {"customer": customer} | {f"columns[{i}]": c for i, c in enumerate(columns or [])}
    check_columns(raw.columns, wanted, "customers")
    quality = DataQuality(raw.description, _count_rows(raw, "customers"))
    frame = raw.frame if raw.frame is not None else raw.table.to_pandas()
    keep = [c for c in (columns or frame.columns) if c != customer]
    master = frame[keep].copy()
    master.insert(0, "customer_id", parse_ids(frame[customer]))
    missing = master["customer_id"].isna()
    quality.record(
        "missing_customer_id",
        int(missing.sum()),
        "dropped",
        f"column '{customer}': empty or missing",
    )
    master = master[~missing]
    repeated = master["customer_id"].duplicated()
    if repeated.any():
        example = master.loc[repeated, "customer_id"].iloc[0]
        quality.record(
            "repeated_customer_id",
            int(repeated.sum()),
            "dropped",
            f"column '{customer}': later rows of an id already seen, e.g. {example!r}; "
            "first row kept",
        )
    return Customers(frame=master[~repeated].set_index("customer_id"), quality=quality)
