"""Public loaders: ``load_transactions``, ``load_customers`` and ``load_interactions``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import ibis
import pandas as pd
from ibis.expr.types import CachedTable

from ..errors import DataError, ParameterError
from ._clean import RETURN_POLICIES, clean_transactions
from ._discounts import DISCOUNT_KINDS
from ._parse import as_date, check_columns, parse_ids
from ._quality import DataQuality
from ._readers import RawSource, read_source
from ._typed import Spec, materialise, scalar, typed_from_frame, typed_from_table

__all__ = [
    "Customers",
    "Interactions",
    "Transactions",
    "load_customers",
    "load_interactions",
    "load_transactions",
]

CANONICAL = ("customer_id", "date", "amount", "order_id", "quantity")


@dataclasses.dataclass
class Transactions:
    """A validated, cleaned transaction log and the record of how it was cleaned.

    Attributes
    ----------
    table : ibis.Table
        Columns ``customer_id`` (string), ``date`` (timestamp, local wall-clock time),
        ``amount`` (exact decimal, 4 places; all missing when ``has_amount`` is False) and,
        when mapped, ``order_id`` (string), ``quantity`` (float64) and ``discounted``
        (boolean: the row was bought on discount, see ``discount``). The table lives in
        its engine: an in-process DuckDB for files and DataFrames, the source database (or
        Spark) for SQL sources.
    quality : DataQuality
        Rows read, kept, each exclusion or correction with its amount, and revenue before
        and after cleaning.
    as_of : datetime.date or None
        Observation end used to exclude later rows, if one was given.
    has_amount : bool
        False for a purchase log without amounts (no ``amount`` or ``price`` mapped): the
        counts (orders, frequency, recency, T) are right, the monetary figures unavailable.
    n_orders : int
        Transactions in the business sense: distinct (customer, order id) pairs when
        ``order`` is mapped (a line-item log has several rows per order), else rows kept.
    """

    table: Any
    quality: DataQuality
    as_of: dt.date | None = None
    has_amount: bool = True
    n_orders: int = 0

    def to_pandas(self) -> pd.DataFrame:
        """Return the cleaned rows as a pandas DataFrame.

        Returns
        -------
        pandas.DataFrame
            The canonical columns, sorted by customer, date, amount and the other columns;
            ``amount`` as float64 (NaN without amounts).
        """
        table = self.table.mutate(amount=self.table.amount.cast("float64"))
        # every column, so that the order is the same in any run (ties differ in nothing)
        return table.order_by(list(table.columns)).to_pandas()

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


@dataclasses.dataclass
class Interactions:
    """A validated, cleaned interactions table (visits, calls, messages) and its cleaning record.

    Attributes
    ----------
    table : ibis.Table
        Columns ``customer_id`` (string), ``date`` (timestamp, local wall-clock time),
        ``owner`` and ``type`` (string; missing throughout when not mapped), in the engine
        of the source, as for the transactions.
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
            ``customer_id``, ``date``, ``owner``, ``type``, sorted by every column.
        """
        return self.table.order_by(list(self.table.columns)).to_pandas()

    def __len__(self) -> int:
        return self.quality.rows_kept

    def __repr__(self) -> str:
        return (
            f"Interactions({self.quality.rows_kept:,} rows kept of {self.quality.rows_read:,} "
            f"read from {self.quality.source}; as_of={self.as_of})"
        )


def load_transactions(
    source: Any,
    *,
    customer: str,
    date: str,
    amount: str | None = None,
    price: str | None = None,
    order: str | None = None,
    quantity: str | None = None,
    discount: str | None = None,
    discount_kind: str | None = None,
    as_of: dt.date | str | None = None,
    start: dt.date | str | None = None,
    returns: str = "net",
    duplicates: str = "drop",
    invalid_dates: str = "error",
    invalid_amounts: str = "error",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    decimal: str = ".",
    encoding: str | None = None,
    sep: str | None = None,
    header_row: int | None = None,
    sheet: str | int | None = None,
    table: str | None = None,
    query: str | None = None,
) -> Transactions:
    """Load, validate and clean a transaction log.

    Parameters
    ----------
    source : DataFrame, str, path-like, ibis.Table or ibis backend
        A DataFrame (never modified); a CSV (UTF-8, UTF-8 with BOM or GBK/GB18030,
        detected; ``,`` ``;`` tab or ``|`` separated, detected), Excel or Parquet file; a
        folder or glob (``data/orders/*.csv``) of CSV or Parquet files, read in one scan; a
        SQL connection URL such as ``duckdb:///file.db``, ``sqlite:///file.db`` or
        ``postgres://user@host/db``; an Ibis table or connection (a Spark session connected
        with ``ibis.pyspark.connect`` included); or a bundled demo name (``cdnow``,
        ``cdnow_sample``).
    customer, date : str
        Source column names of the customer id and purchase timestamp. A timestamp with a
        UTC offset keeps its local wall-clock time (the offset is dropped and counted).
    amount : str, optional
        Source column of the amount. Without it (and without ``price``) the log is a
        purchase log: counts are computed, monetary figures are NaN (``has_amount``).
    price : str, optional
        Source column of the unit price of a line-item log: the amount is ``price`` ×
        ``quantity`` (exact). Give ``amount`` or ``price``, not both.
    order, quantity : str, optional
        Source column names of the order id and quantity.
    discount : str, optional
        Source column of the discount on the row; the table gets ``discounted`` (boolean).
        Cleaning keeps it with its row: a netted return carries its own row's discount (an
        ERP copies the discount of the line returned), and a fully returned day is dropped
        with its discounts. An empty value is no discount (counted).
    discount_kind : {"amount", "rate", "percent", "flag"}
        How ``discount`` is written, required with it: ``amount`` money off the row (on
        discount when not 0, either sign; parsed as amounts are); ``rate`` the share off in
        [0, 1], ``"10%"`` or ``"9折"`` (10 % off; on discount above 0); ``percent`` the same
        with plain numbers as percentages (10 = 10 % off); ``flag`` yes/no (是/否, 有/无,
        Y/N, yes/no, true/false, 1/0, or a boolean column). Other values follow
        ``invalid_amounts``. SQL sources need a numeric column (a boolean or text one too
        for ``flag``).
    as_of : date or str, optional
        Observation end, including its whole day (a purchase at 23:59 on it is kept); rows
        after it are excluded and counted.
    start : date or str, optional
        Rows before this day are excluded and counted.
    returns : {"net", "drop", "keep"}
        Negative amounts (returns): ``net`` (default) dates each return to the customer's
        latest purchase at or before it, so it reduces that purchase, and drops purchase days
        that net to zero, days whose returns exceed their purchases and returns with no
        earlier purchase (each counted apart, with its amount); ``drop`` removes them;
        ``keep`` leaves them.
    duplicates : {"drop", "keep"}
        Exact duplicate rows (every source column equal, mapped or not) are dropped and
        counted by default; ``keep`` them for sources whose identical rows are genuine
        separate purchases.
    invalid_dates, invalid_amounts : {"error", "drop"}
        Dates (amounts) that do not parse raise an error with examples (default) or are
        dropped and counted.
    date_format : str, optional
        Explicit ``strftime`` format of text dates (``"%d.%m.%Y %H:%M"``).
    dayfirst : bool, optional
        Whether ``05.03.2024`` / ``05/03/2024`` is day-first (5 March) or month-first
        (3 May). Decided once for the column when omitted: the order that fits every value,
        or an error when both fit; never one reading per value.
    decimal : {".", ","}
        Decimal mark of amounts written as text (``","`` for ``€1.234,50``).
    encoding : str, optional
        CSV encoding, when detection is not wanted.
    sep : str, optional
        CSV separator, when detection is not wanted.
    header_row : int, optional
        1-based row number of the header in a CSV or Excel file with title rows above it
        (detected in Excel sheets).
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
    _check_choice("invalid_amounts", invalid_amounts, ("error", "drop"))
    _check_choice("decimal", decimal, (".", ","))
    _check_date_options(date_format, dayfirst)
    if amount is not None and price is not None:
        raise ParameterError(f"give amount ({amount!r}) or price ({price!r}) × quantity, not both")
    if discount_kind is not None:
        _check_choice("discount_kind", discount_kind, DISCOUNT_KINDS)
    if (discount is None) != (discount_kind is None):
        raise ParameterError(
            f"give discount ({discount!r}) and discount_kind ({discount_kind!r}) together: "
            "discount_kind says how the discount column is written (amount: money off the "
            "row | rate: 0.1, 10% or 9折 | percent: 10 = 10 % | flag: 是/否, Y/N, 1/0)"
        )
    if price is not None and quantity is None:
        raise ParameterError(
            f"price={price!r} needs quantity= (the amount is price × quantity); map the "
            "quantity column, or map amount= to a column that holds line totals"
        )
    as_of, start = as_date(as_of, "as_of"), as_date(start, "start")
    if as_of and start and start > as_of:
        raise ParameterError(f"start ({start}) is after as_of ({as_of}); swap or fix them")
    spec = Spec(
        customer=customer,
        date=date,
        amount=amount,
        price=price,
        order=order,
        quantity=quantity,
        discount=discount,
        discount_kind=discount_kind,
        duplicates=duplicates,
        invalid_dates=invalid_dates,
        invalid_amounts=invalid_amounts,
        date_format=date_format,
        dayfirst=dayfirst,
        decimal=decimal,
    )
    raw = read_source(
        source,
        encoding=encoding,
        sep=sep,
        header_row=header_row,
        sheet=sheet,
        table=table,
        query=query,
        expected=spec.mapped(),
    )
    mapping = {
        "customer": customer,
        "date": date,
        "amount": amount,
        "price": price,
        "order": order,
        "quantity": quantity,
        "discount": discount,
    }
    quality = DataQuality(raw.description, _count_rows(raw, "transactions"))
    check_columns(raw.columns, mapping, "transactions")
    typed_from = typed_from_frame if raw.frame is not None else typed_from_table
    typed = typed_from(raw, spec, quality)
    names = {"customer_id": customer, "date": date, "amount": spec.amount_label}
    cleaned = clean_transactions(
        typed,
        quality,
        as_of=as_of,
        start=start,
        returns=returns,
        columns=names,
        has_amount=spec.has_amount,
    )
    cleaned = _materialised(cleaned, typed, raw)
    if quality.rows_kept == 0:
        raise DataError(
            f"no transactions left after cleaning {quality.source}: {quality.rows_read:,} "
            f"row(s) read; {_steps_text(quality)}. Check as_of/start and the column mapping."
        )
    if spec.has_amount:
        quality.revenue_kept = round(float(scalar(cleaned.amount.sum()) or 0), 4)
    n_orders = quality.rows_kept
    if order is not None:
        n_orders = scalar(cleaned.select("customer_id", "order_id").distinct().count())
    return Transactions(
        table=cleaned,
        quality=quality,
        as_of=as_of,
        has_amount=spec.has_amount,
        n_orders=int(n_orders),
    )


def load_interactions(
    source: Any,
    *,
    customer: str,
    date: str,
    owner: str | None = None,
    type: str | None = None,
    as_of: dt.date | str | None = None,
    duplicates: str = "drop",
    invalid_dates: str = "error",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    header_row: int | None = None,
    sheet: str | int | None = None,
    table: str | None = None,
    query: str | None = None,
) -> Interactions:
    """Load, validate and clean the optional interactions table (one row per contact).

    The rules are those of :func:`load_transactions`: the same sources, ids (``93.0`` is
    ``93`` when every id of the column is an integer), dates (one day-first or month-first
    reading per column, UTC offsets dropped and counted) and counted exclusions (exact
    duplicates, missing ids or dates, unparsable dates with ``invalid_dates="drop"``,
    rows after ``as_of``).

    Parameters
    ----------
    source : DataFrame, str, path-like, ibis.Table or ibis backend
        Any source :func:`load_transactions` accepts, or the demo name
        ``b2b_demo_interactions``.
    customer, date : str
        Source columns of the customer id and of the contact's date or timestamp.
    owner, type : str, optional
        Source columns of who made the contact and of its kind (visit, call …), kept as
        stripped text (empty text is missing).
    as_of : date or str, optional
        Observation end, including its whole day; later rows are excluded and counted.
    duplicates : {"drop", "keep"}
        Exact duplicate rows (every source column equal) are dropped and counted by default.
    invalid_dates : {"error", "drop"}
        Dates that do not parse raise an error with examples (default) or are dropped and
        counted.
    date_format, dayfirst, encoding, sep, header_row, sheet, table, query
        As in :func:`load_transactions`.

    Returns
    -------
    Interactions
        The cleaned table and its data-quality record.

    Raises
    ------
    FileNotFoundError
        If a file source does not exist.
    DataError
        If a mapped column is missing, the source is empty or dates cannot be parsed.
    ParameterError
        If an option has an invalid value.
    """
    _check_choice("duplicates", duplicates, ("drop", "keep"))
    _check_choice("invalid_dates", invalid_dates, ("error", "drop"))
    _check_date_options(date_format, dayfirst)
    as_of = as_date(as_of, "as_of")
    labels = tuple((name, column) for name, column in (("owner", owner), ("type", type)) if column)
    spec = Spec(
        customer=customer,
        date=date,
        duplicates=duplicates,
        invalid_dates=invalid_dates,
        date_format=date_format,
        dayfirst=dayfirst,
        labels=labels,
    )
    raw = read_source(
        source,
        encoding=encoding,
        sep=sep,
        header_row=header_row,
        sheet=sheet,
        table=table,
        query=query,
        expected=spec.mapped(),
    )
    mapping = {"customer": customer, "date": date, "owner": owner, "type": type}
    check_columns(raw.columns, mapping, "interactions")
    quality = DataQuality(raw.description, _count_rows(raw, "interactions"))
    typed_from = typed_from_frame if raw.frame is not None else typed_from_table
    typed = typed_from(raw, spec, quality)
    names = {"customer_id": customer, "date": date}
    cleaned = clean_transactions(
        typed, quality, as_of=as_of, start=None, returns="keep", columns=names, has_amount=False
    )
    mapped = dict(labels)
    text = {
        name: cleaned[name].cast("string") if name in mapped else ibis.null("string")
        for name in ("owner", "type")
    }
    cleaned = _materialised(cleaned.select("customer_id", "date", **text), typed, raw)
    return Interactions(table=cleaned, quality=quality, as_of=as_of)


def _materialised(cleaned: Any, typed: Any, raw: RawSource) -> Any:
    """Cache the cleaned rows in their engine and free the typed copy they came from."""
    materialised = materialise(cleaned)
    if raw.frame is not None and materialised is not cleaned:
        # the cleaned rows are a table of their own now: free the typed copy of the frame
        typed.get_backend().drop_table("transactions_typed", force=True)
    elif materialised is not cleaned and isinstance(typed, CachedTable):
        typed.release()  # the same for the typed copy cached in the source database
    return materialised


def _check_date_options(date_format: str | None, dayfirst: bool | None) -> None:
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise ParameterError(f"dayfirst must be true or false, got {dayfirst!r}")
    if date_format is not None and dayfirst is not None:
        raise ParameterError(
            "give date_format or dayfirst, not both: a format already fixes the order"
        )


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {' | '.join(choices)}, got {value!r}")


def _steps_text(quality: DataQuality) -> str:
    return "; ".join(f"{s.check}: {s.rows:,} {s.action}" for s in quality.steps) or "none dropped"


def _count_rows(raw: RawSource, what: str) -> int:
    rows = len(raw.frame) if raw.frame is not None else scalar(raw.table.count())
    if not rows:
        raise DataError(
            f"the {what} source {raw.description} has no data rows (columns: "
            f"{', '.join(map(str, raw.columns)) or '(none)'}), so there is nothing to analyse. "
            "Check that the file, sheet=, table= or query= points at the data."
        )
    return rows


def load_customers(
    source: Any,
    *,
    customer: str,
    name: str | None = None,
    columns: list[str] | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    header_row: int | None = None,
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
    name : str, optional
        Column of the customer's name; kept even when ``columns`` leaves it out.
    columns : list of str, optional
        Attribute columns to keep (type, industry, region, owner …); all by default.
    encoding, sep, header_row, sheet, table, query
        As in :func:`load_transactions`.

    Returns
    -------
    Customers
        The master indexed by ``customer_id`` and its data-quality record. Ids follow the
        rules of the transactions (``93.0`` is ``93`` when every id of the column is an
        integer). Rows without an id are dropped; repeated ids keep their first row; both
        counted.

    Raises
    ------
    FileNotFoundError
        If a file source does not exist.
    DataError
        If a column is missing or the source is empty.
    """
    raw = read_source(
        source,
        encoding=encoding,
        sep=sep,
        header_row=header_row,
        sheet=sheet,
        table=table,
        query=query,
        expected=[customer, *([name] if name else []), *(columns or [])],
    )
    if columns is not None and name is not None and name not in columns:
        columns = [name, *columns]
    wanted = {"customer": customer, "name": name}
    wanted |= {f"columns[{i}]": c for i, c in enumerate(columns or [])}
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
        example = master.loc[repeated, "customer_id"].min()
        quality.record(
            "repeated_customer_id",
            int(repeated.sum()),
            "dropped",
            f"column '{customer}': later rows of an id already seen, e.g. {example!r}; "
            "first row kept",
        )
    return Customers(frame=master[~repeated].set_index("customer_id"), quality=quality)
