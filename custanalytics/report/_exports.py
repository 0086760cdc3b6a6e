"""Exports of a result for the CRM and for Excel: CSV, Parquet and XLSX, byte for byte stable."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from ..analysis import CODE_COLUMNS, TieringResult, Unavailable
from ..i18n import has_label, label

__all__ = ["EXPORT_FORMATS", "XLSX_MAX_ROWS", "export_customers"]

EXPORT_FORMATS = ("csv", "parquet", "xlsx")
#: Above this many customers the workbook holds the summary only: writing a sheet costs about
#: 0.2 s per thousand customers, and Excel is slow to open large ones; CSV and Parquet always
#: hold everyone.
XLSX_MAX_ROWS = 50_000
CSV_FILE, PARQUET_FILE, XLSX_FILE = "customers.csv", "customers.parquet", "customers.xlsx"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Timestamp written into the workbook and its zip entries, so that the bytes never depend on
#: when the export ran.
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def export_customers(
    result: TieringResult,
    folder: str | Path,
    *,
    formats: tuple[str, ...] = EXPORT_FORMATS,
    owner: str | None = None,
    lang: str | None = None,
) -> list[Path]:
    """Write the per-customer result for other tools.

    CSV (UTF-8 with BOM, so that Excel shows Chinese correctly) and Parquet carry the machine
    column names of :data:`custanalytics.analysis.CUSTOMER_COLUMNS` and the master attributes;
    the XLSX workbook has a summary sheet, a customers sheet with translated headers, frozen
    header row and id column, and with ``owner`` one sheet per account owner.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    folder : str or path-like
        Destination folder (created).
    formats : tuple of str
        Any of ``csv``, ``parquet``, ``xlsx``.
    owner : str, optional
        Column of the account owner (e.g. a master attribute), for one sheet per owner.
    lang : {"en", "zh"}, optional
        Language of the workbook's headers; the run's own by default.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lang = lang or result.meta.parameters.get("lang", "en")
    table = result.customers.reset_index()
    written = []
    if "csv" in formats:
        path = folder / CSV_FILE
        _write_csv(table, path)
        written.append(path)
    if "parquet" in formats:
        path = folder / PARQUET_FILE
        result.customers.to_parquet(path)
        written.append(path)
    if "xlsx" in formats:
        path = folder / XLSX_FILE
        path.write_bytes(_workbook(result, table, owner, lang))
        written.append(path)
    return written


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """CSV in UTF-8 with a BOM, days as YYYY-MM-DD, written by Arrow (several times faster)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    frame = table.copy()
    for column in frame.columns:
        if frame[column].dtype.kind == "M":  # purchase days: no time of day
            frame[column] = frame[column].dt.date
        elif isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("object")
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    with open(path, "wb") as sink:
        sink.write("\ufeff".encode())
        pacsv.write_csv(arrow, sink, pacsv.WriteOptions(quoting_style="needed"))


def _workbook(result: TieringResult, table: pd.DataFrame, owner: str | None, lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # streams rows: fast and small for large tables
    summary = book.create_sheet(_sheet_name(label("export_summary", lang)))
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 24
    rows = _summary_rows(result, lang)
    if len(table) > XLSX_MAX_ROWS:
        rows.append([label("export_too_many_rows", lang).format(rows=len(table))])
    _write_rows(book, summary, rows[0], rows[1:])
    if len(table) <= XLSX_MAX_ROWS:
        headers = [label(c, lang) if has_label(c) else c for c in table.columns]
        table = _codes_in_words(table, lang)
        _sheet(book, label("export_customers", lang), headers, table)
        if owner is not None and owner in table.columns:
            for name, group in table.groupby(table[owner].fillna("–"), sort=True):
                _sheet(book, str(name), headers, group)
    stamp = dt.datetime(*_FIXED_TIME)
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _write_rows(book, sheet, headers: list, rows) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    header = []
    for value in headers:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(row)


def _codes_in_words(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Codes (``at_risk``) as their labels (``At risk`` / ``流失风险客户``) for people."""
    out = table.copy()
    for column, prefix in CODE_COLUMNS.items():
        if column in out.columns:
            words = {c: label(f"{prefix}{c}", lang) for c in out[column].dropna().unique()}
            out[column] = out[column].astype("object").map(words)
    return out


def _summary_rows(result: TieringResult, lang: str) -> list[list]:
    meta = result.meta
    rows = [
        [label("figure", lang), label("value", lang)],
        [label("as_of", lang), meta.as_of.isoformat()],
        [label("data_window", lang), f"{meta.first_date} – {meta.last_date}"],
        [label("parameter_hash", lang), meta.parameter_hash],
    ]
    headline = result.sections.get("headline")
    if headline is not None and not isinstance(headline, Unavailable):
        for key, value in headline.figures.items():
            rows.append([label(key, lang), _cell(value)])
    return rows


def _cell(value):
    if isinstance(value, float) and value != value:
        return None
    return value


def _sheet(book, title: str, headers: list[str], frame: pd.DataFrame) -> None:
    from openpyxl.utils import get_column_letter

    taken = [sheet.title for sheet in book.worksheets]
    sheet = book.create_sheet(_sheet_name(title, taken))
    sheet.freeze_panes = "B2"
    for i, header in enumerate(headers, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(10, min(30, len(header) + 4))
    rows = ([_excel_value(v) for v in row] for row in frame.itertuples(index=False))
    _write_rows(book, sheet, headers, rows)


def _excel_value(value):
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _sheet_name(name: str, taken: list[str] = ()) -> str:
    """Return a valid, unique sheet name: at most 31 characters, no brackets, colons etc."""
    base = _SHEET_FORBIDDEN.sub("_", name)[:31] or "_"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    return candidate


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a workbook with fixed times: zip entries and docProps carry the time of saving."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" when saving
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(fixed, content)
    return out.getvalue()
