"""Reading sources into a raw table: files (CSV, Excel, Parquet), SQL URLs, DataFrames, demos.

Files and DataFrames become pandas DataFrames (messy text is parsed in ``_parse``); SQL
sources stay in their database as Ibis tables so that large data never leaves the engine.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, ParameterError
from ._files import CSV_SUFFIXES, EXCEL_SUFFIXES, is_pattern, read_file

__all__ = ["DEMO_SOURCES", "RawSource", "check_source", "read_source"]

SQL_SCHEMES = ("duckdb://", "sqlite://", "postgres://", "postgresql://", "mysql://", "trino://")


@dataclass
class RawSource:
    """A source read but not yet validated.

    Attributes
    ----------
    description : str
        Where the rows came from, for the data-quality record.
    frame : pandas.DataFrame or None
        The rows, for in-memory sources.
    table : ibis.Table or None
        The rows, for database sources (kept in their engine).
    """

    description: str
    frame: pd.DataFrame | None = None
    table: Any = None

    @property
    def columns(self) -> list[str]:
        """Column names of the source."""
        return list(self.frame.columns if self.frame is not None else self.table.columns)


def _demo_sources() -> dict[str, Any]:
    from .. import datasets

    return {
        "cdnow": datasets.load_cdnow,
        "cdnow_sample": datasets.load_cdnow_sample,
        "b2b_demo": lambda: datasets.load_b2b_demo()[0],
        "b2b_demo_customers": lambda: datasets.load_b2b_demo()[1],
        "b2b_demo_interactions": datasets.load_b2b_demo_interactions,
    }


#: Bundled demo sources: the CDNOW log and its 1/10 sample (from lifetimes' files), and the
#: transactions of the seeded Chinese B2B demo (columns 客户编号, 下单时间, 金额, 订单号, 数量)
#: its customer master with prospects (客户编号, 客户类型, 行业, 地区, 销售负责人, …) and the
#: owners' interactions with its customers (日期, 客户编号, 销售负责人, 联系方式).
DEMO_SOURCES = (
    "cdnow",
    "cdnow_sample",
    "b2b_demo",
    "b2b_demo_customers",
    "b2b_demo_interactions",
)


def read_source(
    source: Any,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    header_row: int | None = None,
    sheet: str | int | None = None,
    table: str | None = None,
    query: str | None = None,
    expected: list[str] | None = None,
) -> RawSource:
    """Read a source as it is, without validation.

    Parameters
    ----------
    source : pandas.DataFrame, str, path-like, ibis.Table or ibis backend
        A DataFrame (copied, never modified), a bundled demo name, a file path
        (``.csv``/``.txt``/``.tsv``, ``.xlsx``/``.xls``, ``.parquet``), a folder or glob
        pattern of CSV or Parquet files, a SQL connection URL, an Ibis table, or an Ibis
        connection (Spark included).
    encoding : str, optional
        CSV text encoding; detected among UTF-8 (with or without BOM) and GB18030 if omitted.
    sep : str, optional
        CSV separator; detected from the header line if omitted.
    header_row : int, optional
        1-based row of the header in a CSV or Excel file with a title block above it.
    sheet : str or int, optional
        Excel sheet name or 0-based position; the first sheet by default.
    table, query : str, optional
        For a SQL URL or connection: the table to read, or a SELECT whose result is read.
    expected : list of str, optional
        The mapped column names, to find an Excel sheet's header row and sheet.

    Returns
    -------
    RawSource
        The rows and a description of where they came from.

    Raises
    ------
    FileNotFoundError
        If a path does not exist.
    ParameterError
        If the source is of an unknown kind or SQL options are missing.
    DataError
        If a file cannot be decoded or parsed.
    """
    _reject_unused_options(
        source,
        encoding=encoding,
        sep=sep,
        header_row=header_row,
        sheet=sheet,
        table=table,
        query=query,
    )
    if isinstance(source, pd.DataFrame):
        return RawSource(f"DataFrame ({len(source):,} rows)", frame=source.copy())
    if _is_ibis_table(source):
        return RawSource("Ibis table", table=source)
    if _is_ibis_backend(source):
        return RawSource(f"{source.name} connection", table=_sql_table(source, table, query))
    if not isinstance(source, str | os.PathLike):
        raise ParameterError(
            f"source must be a DataFrame, a file path, a demo name or a SQL URL, "
            f"got {type(source).__name__}"
        )
    text = os.fspath(source)
    demos = _demo_sources()
    if text in demos:
        return RawSource(text, frame=demos[text]())
    if text.startswith(SQL_SCHEMES):
        check_source(text)
        return RawSource(_redact(text), table=_sql_table(_connect(text), table, query))
    check_source(text)
    frame, description = read_file(
        Path(text),
        encoding=encoding,
        sep=sep,
        header_row=header_row,
        sheet=sheet,
        expected=[c for c in expected or [] if c is not None],
    )
    return RawSource(description, frame=frame)


def _reject_unused_options(source: Any, **options: Any) -> None:
    """Raise if an option is given that this kind of source does not use (a likely mistake)."""
    text = os.fspath(source) if isinstance(source, str | os.PathLike) else None
    suffix = Path(text).suffix.lower() if text else ""
    is_sql = _is_ibis_backend(source) or bool(text and text.startswith(SQL_SCHEMES))
    many = bool(text) and not is_sql and (is_pattern(text) or Path(text).is_dir())
    csv = suffix in CSV_SUFFIXES or (many and suffix not in (".parquet", ".pq"))
    uses = {
        "encoding": csv,
        "sep": csv,
        "header_row": csv or suffix in EXCEL_SUFFIXES,
        "sheet": suffix in EXCEL_SUFFIXES,
        "table": is_sql,
        "query": is_sql,
    }
    for name, value in options.items():
        if value is not None and not uses[name]:
            raise ParameterError(
                f"{name}={value!r} does not apply to the source {text or type(source).__name__}"
                f" ({name} is for {_OPTION_USE[name]}); remove it or fix the source"
            )


_OPTION_USE = {
    "encoding": "CSV/TSV/TXT files",
    "sep": "CSV/TSV/TXT files",
    "header_row": "CSV and Excel files",
    "sheet": "Excel files",
    "table": "SQL URLs and Ibis connections",
    "query": "SQL URLs and Ibis connections",
}


def _is_ibis_table(obj: Any) -> bool:
    return type(obj).__module__.startswith("ibis.") and hasattr(obj, "schema")


def _is_ibis_backend(obj: Any) -> bool:
    return type(obj).__module__.startswith("ibis.backends") and hasattr(obj, "list_tables")


def _redact(url: str) -> str:
    scheme, _, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return f"{scheme}://{rest}"


def _connect(url: str) -> Any:
    import ibis

    try:
        return ibis.connect(url)
    except Exception as exc:  # driver errors vary by backend
        raise DataError(
            f"could not connect to {_redact(url)}: {exc}. Check the URL "
            "(e.g. duckdb:///path/file.db, sqlite:///path/file.db, postgres://user@host/db) "
            "and that the backend's driver is installed"
        ) from None


def _sql_table(con: Any, table: str | None, query: str | None) -> Any:
    if (table is None) == (query is None):
        raise ParameterError(
            "a SQL source needs exactly one of table= (a table name) or query= (a SELECT "
            f"statement); got {'both' if table is not None else 'neither'}"
        )
    if query is None and table not in con.list_tables():
        raise DataError(f"table '{table}' not found in the database; {_tables_text(con)}")
    try:
        return con.table(table) if query is None else con.sql(query)
    except Exception as exc:  # errors from the database driver vary by backend
        what = f"query= {query!r}" if query is not None else f"table '{table}'"
        raise DataError(
            f"reading {what} failed in the database: {exc}. {_tables_text(con)}"
        ) from None


def _tables_text(con: Any) -> str:
    tables = [t for t in con.list_tables() if not t.startswith("ibis_")]
    return (
        f"tables there: {', '.join(tables[:20]) or '(none)'}. Set table= to one of them, or "
        "query= to a SELECT statement that runs in this database"
    )


def check_source(source: str) -> None:
    """Check cheaply, without reading it, that a source named in a parameter file exists.

    Parameters
    ----------
    source : str
        A demo name, a SQL connection URL or a file path.

    Raises
    ------
    FileNotFoundError
        If it is neither a demo name nor a URL and no such file, folder or files matching
        a glob pattern exist (the
        message lists the demo names), or if a ``duckdb://`` or ``sqlite://`` URL names a
        database file that does not exist (connecting would create an empty one).
    """
    if source in DEMO_SOURCES:
        return
    if source.startswith(SQL_SCHEMES):
        database = _local_database(source)
        if database is None or database.exists():
            return
        raise FileNotFoundError(
            f"database file not found: '{database}' (from the URL {_redact(source)}; working "
            f"folder {Path.cwd()}). Write sqlite:///absolute/path.db or sqlite://relative/path.db"
        )
    if Path(source).exists() or (is_pattern(source) and glob.glob(source, recursive=True)):
        return
    raise FileNotFoundError(
        f"source not found: '{source}' is not a file, a folder or a glob pattern matching "
        f"files (working folder {Path.cwd()}), "
        f"a SQL URL ({', '.join(SQL_SCHEMES)}) or a demo name ({', '.join(DEMO_SOURCES)})"
    )


def _local_database(url: str) -> Path | None:
    """Return the file a ``duckdb://`` or ``sqlite://`` URL opens; None if it opens no file."""
    scheme, _, rest = url.partition("://")
    location = rest.split("?", 1)[0]
    if scheme not in ("duckdb", "sqlite") or location in ("", ":memory:", "/:memory:"):
        return None
    if location.startswith(("md:", "motherduck:")):
        return None
    return Path(location)
