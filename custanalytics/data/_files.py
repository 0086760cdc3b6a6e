"""Reading files as people export them: CSV, Excel, Parquet, folders and globs of files.

CSV in any common separator and encoding; Excel with title rows above the header and several
sheets; Parquet; and folders or globs of CSV or Parquet files.

Every file becomes a pandas DataFrame of the cells as written (CSV cells as text), for
``_parse`` to type. A folder or glob of CSV or Parquet files is read by DuckDB in one scan.
"""

from __future__ import annotations

import codecs
import csv
import glob
from pathlib import Path

import pandas as pd

from ..errors import CustAnalyticsError, DataError, ParameterError

__all__ = ["CSV_ENCODINGS", "CSV_SUFFIXES", "EXCEL_SUFFIXES", "is_pattern", "read_file"]

#: Encodings tried, in order, when a CSV file's encoding is not given. ``utf-8-sig`` reads
#: UTF-8 with and without a byte-order mark; GB18030 is the superset of GBK/GB2312 that
#: Chinese Excel and ERP systems export.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Separators recognised in a header line, most common first (ties go to the earlier one).
SEPARATORS = (",", ";", "\t", "|")
#: Rows searched for the header row of an Excel sheet with a title block above it.
HEADER_SEARCH_ROWS = 30


def is_pattern(text: str) -> bool:
    """Tell whether a path is a glob pattern (``data/orders/*.csv``)."""
    return any(c in text for c in "*?[")


def read_file(
    path: Path,
    *,
    encoding: str | None,
    sep: str | None,
    header_row: int | None,
    sheet: str | int | None,
    expected: list[str],
) -> tuple[pd.DataFrame, str]:
    """Read a file, folder or glob into a DataFrame.

    Parameters
    ----------
    path : pathlib.Path
        A ``.csv``/``.tsv``/``.txt``, Excel or Parquet file; a folder of CSV or Parquet
        files; or a glob pattern of them.
    encoding : str, optional
        CSV encoding; detected among UTF-8 (with or without BOM) and GB18030 if omitted.
    sep : str, optional
        CSV separator; detected from the header line (``,``, ``;``, tab, ``|``) if omitted.
    header_row : int, optional
        1-based row number of the header (as Excel numbers rows); rows above it (a title
        block) are skipped. Detected in Excel sheets if omitted: the first of the top 30
        rows that holds every expected column name.
    sheet : str or int, optional
        Excel sheet name or 0-based position.
    expected : list of str
        Mapped column names, to find the header row and the sheet.

    Returns
    -------
    frame : pandas.DataFrame
        The rows (CSV cells as text, empty cells missing).
    description : str
        Where they came from, for the data-quality record.

    Raises
    ------
    DataError
        If the file cannot be decoded or parsed, or the mapped columns are on another sheet.
    ParameterError
        If the format cannot be told or an option is invalid.
    """
    if header_row is not None and (isinstance(header_row, bool) or header_row < 1):
        raise ParameterError(
            f"header_row must be the 1-based row number of the header (1 = first row, as "
            f"Excel numbers rows), got {header_row!r}"
        )
    text = str(path)
    suffix = path.suffix.lower()
    if is_pattern(text) or path.is_dir():
        return _read_many(path, encoding=encoding, sep=sep, header_row=header_row)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, encoding, sep, header_row)
    if suffix in EXCEL_SUFFIXES:
        return _guarded(path, "Excel", lambda: _read_excel(path, sheet, header_row, expected))
    if suffix in (".parquet", ".pq"):
        return _guarded(path, "Parquet", lambda: (pd.read_parquet(path), str(path)))
    raise ParameterError(
        f"cannot tell the format of {path}: use a .csv, .tsv, .txt, .xlsx or .parquet file, "
        "a folder or glob of CSV or Parquet files, or a SQL URL"
    )


def _guarded(path: Path, kind: str, read) -> tuple[pd.DataFrame, str]:
    try:
        return read()
    except (CustAnalyticsError, OSError):
        raise
    except Exception as exc:  # pyarrow, openpyxl and zipfile raise their own types
        raise DataError(
            f"{path} is not a readable {kind} file: {exc}. Check that it is a valid {kind} file "
            "(for a folder: files that share one schema)"
        ) from None


# --- folders and globs ------------------------------------------------------------------------


def _read_many(
    path: Path, *, encoding: str | None, sep: str | None, header_row: int | None
) -> tuple[pd.DataFrame, str]:
    """Read every CSV (or Parquet) file of a folder or glob with one DuckDB scan."""
    if is_pattern(str(path)):
        files = sorted(glob.glob(str(path), recursive=True))
    else:
        files = sorted(str(p) for p in path.iterdir() if p.is_file())
    csvs = [f for f in files if Path(f).suffix.lower() in CSV_SUFFIXES]
    parquets = [f for f in files if Path(f).suffix.lower() in (".parquet", ".pq")]
    if not csvs and not parquets:
        raise DataError(
            f"{path} holds no CSV or Parquet files ({len(files)} other file(s)); point the "
            "source at a folder or glob of .csv or .parquet files"
        )
    if csvs and parquets:
        raise DataError(
            f"{path} mixes CSV ({len(csvs)}) and Parquet ({len(parquets)}) files; use a glob "
            f"that selects one kind, e.g. {Path(str(path).rstrip('*')) / '*.csv'}"
        )
    import duckdb

    con = duckdb.connect()
    what = f"{path} ({len(csvs or parquets)} files"
    try:
        if parquets:
            if encoding or sep or header_row:
                raise ParameterError("encoding, sep and header_row apply to CSV files only")
            frame = con.read_parquet(parquets, union_by_name=True).arrow().read_pandas()
            return frame, what + ", Parquet)"
        encoding = encoding or _detect_encoding(Path(csvs[0]))
        sep = sep or _detect_separator(Path(csvs[0]), encoding, header_row)
        if _duckdb_encoding(encoding) is None:
            frame = _read_csvs_one_by_one(csvs, encoding, sep, header_row)
            return frame, what + f", {encoding}, read file by file)"
        headers = {tuple(_header(Path(f), encoding, sep, header_row)) for f in csvs}
        # one header for all: no sniffing of every file; otherwise matched up by name
        layout = (
            {"columns": dict.fromkeys(headers.pop(), "VARCHAR"), "auto_detect": False}
            if len(headers) == 1
            else {"all_varchar": True, "union_by_name": True}
        )
        relation = con.read_csv(
            csvs,
            header=True,
            sep=sep,
            encoding=_duckdb_encoding(encoding),
            skiprows=(header_row or 1) - 1,
            quotechar='"',
            escapechar='"',
            strict_mode=False,
            null_padding=True,
            **layout,
        )
        frame = relation.arrow().read_pandas()
    except duckdb.Error as exc:
        raise DataError(
            f"{path}: the CSV files could not be read in one scan: {exc}. Check that they share "
            "one header, separator (sep=) and encoding (encoding=)"
        ) from None
    finally:
        con.close()
    frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    return frame, what + f", {encoding})"


def _header(path: Path, encoding: str, sep: str, header_row: int | None) -> list[str]:
    """Return the column names of a CSV file, as written in its header line."""
    with open(path, encoding=encoding, newline="") as handle:
        for _ in range((header_row or 1) - 1):
            handle.readline()
        names = next(csv.reader([handle.readline()], delimiter=sep), [])
    return [name.replace("\ufeff", "").strip() for name in names]


def _duckdb_encoding(encoding: str) -> str | None:
    """DuckDB's name of an encoding it reads without extensions; None for others."""
    name = codecs.lookup(encoding).name
    return {"utf-8": "utf-8", "utf-8-sig": "utf-8", "utf-16": "utf-16", "latin-1": "latin-1"}.get(
        name
    )


def _read_csvs_one_by_one(
    files: list[str], encoding: str, sep: str, header_row: int | None
) -> pd.DataFrame:
    """Read encodings DuckDB cannot read (GB18030) with pandas, one file after the other."""
    frames = [_read_csv(Path(f), encoding, sep, header_row)[0] for f in files]
    return pd.concat(frames, ignore_index=True)


def _detect_encoding(path: Path) -> str:
    """Return the first of ``CSV_ENCODINGS`` that decodes the start of the file."""
    head = path.read_bytes()[: 1 << 20]
    for candidate in CSV_ENCODINGS:
        try:
            codecs.getincrementaldecoder(candidate)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return candidate
    raise DataError(
        f"{path} could not be decoded as {', '.join(CSV_ENCODINGS)}; it is neither UTF-8 nor "
        "GBK/GB18030 text. Pass encoding= the file's encoding (e.g. utf-16, big5, latin-1)"
    )


# --- single CSV files -------------------------------------------------------------------------


def _detect_separator(path: Path, encoding: str, header_row: int | None) -> str:
    """Return the separator most frequent in the header line (``,`` if none occurs)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        line = ""
        for _ in range(header_row or 1):
            line = handle.readline()
    counts = {sep: line.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(
    path: Path, encoding: str | None, sep: str | None, header_row: int | None
) -> tuple[pd.DataFrame, str]:
    if not path.is_file():
        raise FileNotFoundError(f"source not found: '{path}' (working folder {Path.cwd()})")
    for candidate in (encoding,) if encoding else CSV_ENCODINGS:
        try:
            used_sep = sep or _detect_separator(path, candidate, header_row)
            frame = pd.read_csv(
                path,
                encoding=candidate,
                sep=used_sep,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skipinitialspace=True,
                skiprows=(header_row or 1) - 1,
            )
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise ParameterError(
                f"unknown encoding '{encoding}'; use e.g. utf-8, utf-8-sig, gbk or gb18030"
            ) from None
        except pd.errors.EmptyDataError:
            raise DataError(
                f"{path} is empty: no header row and no data. Check that it is the right file"
            ) from None
        except pd.errors.ParserError as exc:
            raise DataError(
                f"{path} is not a readable CSV file: {exc}. Check the separator (sep=), the "
                "quoting, and title rows above the header (header_row=)"
            ) from None
        # a byte-order mark survives in the header when encoding="utf-8" is given explicitly
        frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
        shown = {"\t": "tab"}.get(used_sep, used_sep)
        return frame, f"{path} ({candidate}, separator '{shown}')"
    tried = encoding or ", ".join(CSV_ENCODINGS)
    raise DataError(
        f"{path} could not be decoded as {tried}; it is neither UTF-8 nor GBK/GB18030 text. "
        "Pass encoding= the file's encoding (e.g. utf-16, big5, latin-1)"
    )


# --- Excel ------------------------------------------------------------------------------------


def _read_excel(
    path: Path, sheet: str | int | None, header_row: int | None, expected: list[str]
) -> tuple[pd.DataFrame, str]:
    with pd.ExcelFile(path) as book:
        sheets = book.sheet_names
        chosen = 0 if sheet is None else sheet
        if chosen not in sheets and chosen not in range(len(sheets)):
            raise DataError(
                f"sheet {sheet!r} not found in {path}; its sheets are: {', '.join(sheets)}. "
                "Set sheet= to one of these names or to a 0-based position"
            )
        name = chosen if isinstance(chosen, str) else sheets[chosen]
        header = header_row - 1 if header_row else _find_header(book, name, expected)
        if header is None and sheet is None:
            _point_at_the_sheet(book, path, expected)
        frame = pd.read_excel(book, sheet_name=name, header=header or 0)
    frame.columns = [str(c).strip() for c in frame.columns]
    where = f"sheet '{name}'" + (f", header on row {header + 1}" if header else "")
    return frame, f"{path} ({where})"


def _find_header(book: pd.ExcelFile, sheet: str, expected: list[str]) -> int | None:
    """0-based row of the first of the top rows that holds every expected name; None if none."""
    if not expected:
        return 0
    top = pd.read_excel(book, sheet_name=sheet, header=None, nrows=HEADER_SEARCH_ROWS)
    wanted = set(expected)
    for row, values in enumerate(top.itertuples(index=False)):
        if wanted <= {str(v).strip() for v in values if pd.notna(v)}:
            return row
    return None


def _point_at_the_sheet(book: pd.ExcelFile, path: Path, expected: list[str]) -> None:
    """Raise naming the sheet that has the mapped columns, when it is not the first."""
    for other in book.sheet_names[1:]:
        row = _find_header(book, other, expected)
        if row is not None:
            raise DataError(
                f"the mapped columns ({', '.join(expected)}) are not on the first sheet "
                f"'{book.sheet_names[0]}' of {path} but on sheet '{other}' (header on row "
                f"{row + 1}); its sheets are: {', '.join(book.sheet_names)}. Set sheet: "
                f"{other} (sheet= in Python)"
            )
