"""Public loaders: ``load_transactions`` and ``load_customers``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import ibis
import pandas as pd

from ..errors import DataError, ParameterError
from ._clean import RETURN_POLICIES, clean_transactions
from ._parse import check_columns, parse_amounts, parse_dates, parse_ids
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
        Source column names of the customer id, purchase timestamp and amount.
    order, quantity : str, optional
        Source column names of the order id and quantity.
    as_of : date or str, optional
        Observation end: rows after this day are excluded and counted.
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
    as_of, start = _as_date(as_of, "as_of"), _as_date(start, "start")
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
    check_columns(raw.columns, mapping, "transactions")
    if raw.frame is not None:
        quality, typed = _typed_from_frame(raw, mapping, duplicates, invalid_dates)
    else:
        quality, typed = _typed_from_table(raw, mapping, duplicates)
    cleaned = clean_transactions(typed, quality, as_of=as_of, start=start, returns=returns)
    cleaned = _materialise(cleaned)
    if quality.rows_kept == 0:
        raise DataError(
            f"no transactions left after cleaning {quality.source}: {quality.rows_read:,} "
            f"row(s) read; {_steps_text(quality)}. Check as_of/start and the column mapping."
        )
    return Transactions(table=cleaned, quality=quality, as_of=as_of)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {' | '.join(choices)}, got {value!r}")


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise ParameterError(
            f"{name} must be a date written as YYYY-MM-DD, got {value!r}"
        ) from None


def _steps_text(quality: DataQuality) -> str:
    return "; ".join(f"{s.check}: {s.rows:,} {s.action}" for s in quality.steps) or "none dropped"


def _typed_from_frame(
    raw: RawSource, mapping: dict[str, str | None], duplicates: str, invalid_dates: str
) -> tuple[DataQuality, Any]:
    frame = raw.frame
    quality = DataQuality(raw.description, len(frame))
    if frame.empty:
        raise DataError(f"the transactions source {raw.description} has no rows")
    if duplicates == "drop":
        dup = frame.duplicated()
        example = frame[dup].iloc[0].to_dict() if dup.any() else {}
        quality.record(
            "duplicate_rows",
            int(dup.sum()),
            "dropped",
            f"exact duplicates, e.g. {example}" if example else "",
        )
        frame = frame[~dup]
    typed = pd.DataFrame(
        {
            "customer_id": parse_ids(frame[mapping["customer"]]),
            "date": parse_dates(
                frame[mapping["date"]], mapping["date"], invalid=invalid_dates, quality=quality
            ),
            "amount": parse_amounts(frame[mapping["amount"]], mapping["amount"]),
        }
    )
    if mapping["order"]:
        typed["order_id"] = parse_ids(frame[mapping["order"]])
    if mapping["quantity"]:
        typed["quantity"] = parse_amounts(frame[mapping["quantity"]], mapping["quantity"])
    typed = typed.reset_index(drop=True)
    con = ibis.duckdb.connect()
    return quality, con.create_table("transactions_typed", typed, temp=True)


def _typed_from_table(
    raw: RawSource, mapping: dict[str, str | None], duplicates: str
) -> tuple[DataQuality, Any]:
    table = raw.table
    rows = int(table.count().to_pyarrow().as_py())
    if rows == 0:
        raise DataError(f"the transactions source {raw.description} has no rows")
    quality = DataQuality(raw.description, rows)
    if duplicates == "drop":
        table = table.distinct()
        quality.record(
            "duplicate_rows",
            rows - int(table.count().to_pyarrow().as_py()),
            "dropped",
            "exact duplicates",
        )
    schema = table.schema()
    date_col, amount_col = mapping["date"], mapping["amount"]
    if not (schema[date_col].is_temporal() or schema[date_col].is_string()):
        raise DataError(
            f"column '{date_col}' has type {schema[date_col]}, not a date or "
            "timestamp; cast it in a query= SELECT"
        )
    if not schema[amount_col].is_numeric():
        raise DataError(
            f"column '{amount_col}' has type {schema[amount_col]}, not a number; "
            "cast it in a query= SELECT"
        )
    columns = {
        "customer_id": table[mapping["customer"]].cast("string").strip().nullif(""),
        "date": table[date_col].cast("timestamp"),
        "amount": table[amount_col].cast("float64"),
    }
    if mapping["order"]:
        columns["order_id"] = table[mapping["order"]].cast("string")
    if mapping["quantity"]:
        columns["quantity"] = table[mapping["quantity"]].cast("float64")
    return quality, table.select(**columns)


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
    frame = raw.frame if raw.frame is not None else raw.table.to_pandas()
    if frame.empty:
        raise DataError(f"the customers source {raw.description} has no rows")
    quality = DataQuality(raw.description, len(frame))
    keep = [c for c in (columns or frame.columns) if c != customer]
    master = frame[keep].copy()
    master.insert(0, "customer_id", parse_ids(frame[customer]))
    missing = master["customer_id"].isna()
    quality.record("missing_customer_id", int(missing.sum()), "dropped", "rows without an id")
    master = master[~missing]
    repeated = master["customer_id"].duplicated()
    if repeated.any():
        example = master.loc[repeated, "customer_id"].iloc[0]
        quality.record(
            "repeated_customer_id",
            int(repeated.sum()),
            "dropped",
            f"later rows of an id already seen, e.g. {example!r}; first row kept",
        )
    return Customers(frame=master[~repeated].set_index("customer_id"), quality=quality)
