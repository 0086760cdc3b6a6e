"""Column mapping and type parsing of in-memory sources (messy text → typed columns).

Dates: strings in ISO, ``YYYY/MM/DD``, ``YYYYMMDD`` or ``2024年3月5日`` form, Excel dates and
datetime columns are accepted. Time-zone-aware timestamps keep their local wall-clock time
(the day the source recorded) and lose the offset, so a purchase at 23:30 +08:00 stays on its
Chinese calendar day; each is counted as ``timezone_dropped``. Amounts: numbers, or text such
as ``"1,234.50"``, ``"¥1,234"``, ``"￥1,234元"`` or ``"(12.50)"`` (accounting negative), counted
as ``amounts_from_text``; ambiguous text such as ``"1.234,50"`` is an error with examples.
The offset pattern and the handling of unparsable dates are shared with database sources.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError, ParameterError
from ._dates import reorder_numeric_dates
from ._quality import DataQuality

__all__ = [
    "CORRECTIONS",
    "first_values",
    "matches",
    "replace_where",
    "FLOAT_INTEGER_ID",
    "INTEGER_ID",
    "MISSING_IDS",
    "OFFSET",
    "as_date",
    "check_columns",
    "handle_unparsable_dates",
    "parse_amounts",
    "parse_dates",
    "parse_ids",
    "record_correction",
]

#: Ids that mean "no id", compared in lower case.
MISSING_IDS = ("nan", "none", "null")
#: An integer id written as a float (``93.0``), and a plain integer id.
FLOAT_INTEGER_ID = r"[+-]?\d+\.0+"
INTEGER_ID = r"[+-]?\d+"
_CURRENCY = re.compile(r"^(?:rmb|cny|usd|eur|[¥$€£元])|(?:rmb|cny|usd|eur|[¥$€£元])$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ISO_PLAIN = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"
_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
#: A timestamp ending in a UTC offset or zone (``10:00+08:00``, ``10:00:00Z``, ``10:00 +0800``,
#: ``10:00 UTC``); group 1 is everything before the offset: the local wall-clock time that is
#: kept. Written for Python ``re`` and the SQL engines' regex dialects alike (no inline
#: flags: PostgreSQL's ``regexp_match`` does not take them where Ibis puts the pattern).
OFFSET = (
    (
        r"^(.*?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
        r"(?:[Zz]|_UTC_|_GMT_|(?:_UTC_|_GMT_)?[+-]\d{1,2}(?::?\d{2})?)$"
    )
    .replace("_UTC_", "[Uu][Tt][Cc]")
    .replace("_GMT_", "[Gg][Mm][Tt]")
)

#: What each counted correction does, for the data-quality record.
CORRECTIONS = {
    "timezone_dropped": "UTC offset removed, local wall-clock time kept",
    "amounts_from_text": "currency signs, thousands separators or accounting brackets removed",
}


def matches(text: pd.Series, pattern: str) -> pd.Series:
    """Tell where ``pattern`` matches, vectorised (Arrow's RE2), missing values as False.

    Parameters
    ----------
    text : pandas.Series
        Text values.
    pattern : str
        Regular expression (its groups are made non-capturing for the test).

    Returns
    -------
    pandas.Series
        Boolean mask.
    """
    test = re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)
    # \d and \s would send pandas to Python's re, value by value; these are what they match
    # in dates and amounts (Unicode digits other than 0-9 fail to parse either way)
    test = test.replace(r"\d", "[0-9]").replace(r"\s", "[ \t\r\n\f\v\u3000]")
    return text.str.contains(test, regex=True).fillna(False).astype(bool)


def replace_where(
    text: pd.Series, pattern: str, replacement: str, where: pd.Series | None = None
) -> pd.Series:
    """Replace ``pattern`` only in the values it matches.

    Group references need Python's ``re``, value by value, so it runs on those values alone.

    Parameters
    ----------
    text : pandas.Series
        Text values.
    pattern : str
        Regular expression with groups.
    replacement : str
        Replacement with numbered group references.
    where : pandas.Series, optional
        The mask of :func:`matches`, when already computed.

    Returns
    -------
    pandas.Series
        The values, replaced where the pattern matches.
    """
    where = matches(text, pattern) if where is None else where
    if not where.any():
        return text
    text = text.copy()
    text[where] = text[where].str.replace(pattern, replacement, regex=True)
    return text


def first_values(values: pd.Series, n: int = 3) -> list:
    """Return the first ``n`` distinct values in sorted order, as text.

    Examples picked so do not depend on the order of the rows.

    Parameters
    ----------
    values : pandas.Series
        Values to pick examples from.
    n : int
        How many.

    Returns
    -------
    list
        Up to ``n`` values.
    """
    return sorted(values.dropna().astype(str).unique())[:n]


def record_correction(
    quality: DataQuality, check: str, column: str, count: int, example: str
) -> None:
    """Count a correction of type ``check`` (a key of ``CORRECTIONS``) in ``quality``.

    Parameters
    ----------
    quality : DataQuality
        Record of corrections.
    check : str
        Key of ``CORRECTIONS``.
    column : str
        Source column name.
    count : int
        Rows corrected; nothing is recorded when 0.
    example : str
        One corrected value, shown in the record.
    """
    detail = f"column '{column}': {CORRECTIONS[check]}, e.g. {example}"
    quality.record(check, count, "corrected", detail)


def as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    """Return a date parameter as a ``datetime.date``.

    Parameters
    ----------
    value : date, datetime, str or None
        The value given; None stays None.
    name : str
        Parameter name, for the message.

    Returns
    -------
    datetime.date or None
        The calendar day.

    Raises
    ------
    ParameterError
        If the value is not a date.
    """
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise ParameterError(
            f"{name} must be a date written as YYYY-MM-DD, got {value!r}"
        ) from None


def check_columns(available: list[str], mapping: dict[str, str | None], what: str) -> None:
    """Raise if a mapped column is not in the source.

    Parameters
    ----------
    available : list of str
        Columns the source has.
    mapping : dict
        Role (``customer``, ``date`` …) → source column name, or None for an unused role.
    what : str
        Name of the input for the message (``"transactions"``, ``"customers"``).

    Raises
    ------
    DataError
        Naming the missing column, the existing columns, the closest one (ignoring case) and
        the parameter to change.
    """
    names = [str(c) for c in available]
    folded = {name.casefold(): name for name in names}
    for role, column in mapping.items():
        if column is None or column in available:
            continue
        close = difflib.get_close_matches(str(column).casefold(), list(folded), n=1, cutoff=0)
        hint = f" Closest match: '{folded[close[0]]}'." if close else ""
        raise DataError(
            f"{what}: column '{column}' (mapped as {role}=) not found. Columns in the source: "
            f"{', '.join(names) or '(none)'}.{hint} Set {role}= (or '{role}:' in the parameter "
            "file) to the right column name."
        )


def parse_ids(values: pd.Series) -> pd.Series:
    """Return ids as stripped strings, with empty values as missing.

    Integral floats (``1001.0``, as Excel delivers numeric ids) become ``"1001"``. A text
    column whose every id is an integer, some written as floats (``"93.0"``, as a CSV
    written from a float column holds them), loses the ``.0`` too: decided once for the
    column, so that ``93.0`` in one table and ``93`` in another are the same customer.
    Like the surrounding spaces that are stripped, that is a change of notation, not of the
    id, so it is not counted as a correction.

    Parameters
    ----------
    values : pandas.Series
        Raw id column.

    Returns
    -------
    pandas.Series
        String ids; missing where the input was empty, whitespace, ``None``, ``NaN`` or the
        text ``nan``, ``none`` or ``null``.
    """
    if pd.api.types.is_float_dtype(values) or values.dtype == object:
        values = values.map(_id_text, na_action="ignore")
    text = values.astype("string").str.strip()
    missing = text.isna() | text.eq("") | text.str.lower().isin(MISSING_IDS)
    text = text.mask(missing)
    present = text.dropna()
    floats = present.str.fullmatch(FLOAT_INTEGER_ID)
    if floats.any() and (floats | present.str.fullmatch(INTEGER_ID)).all():
        text = text.str.replace(r"\.0+$", "", regex=True)
    return text.astype(str)


def _id_text(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return value


def parse_dates(
    values: pd.Series,
    column: str,
    *,
    invalid: str,
    quality: DataQuality,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse a date column to naive timestamps (local wall-clock time).

    A timestamp with a UTC offset keeps the wall-clock time it was written with and loses
    the offset (``2024-03-05T23:30+08:00`` → ``2024-03-05 23:30``), so every purchase stays
    on the calendar day the source recorded, whatever the offsets; each such value is counted
    as ``timezone_dropped``.

    Parameters
    ----------
    values : pandas.Series
        Raw date column.
    column : str
        Source column name, for messages.
    invalid : {"error", "drop"}
        What to do with values that do not parse; with ``"drop"`` they are counted in
        ``quality`` as ``unparsable_dates``.
    quality : DataQuality
        Record of corrections.
    date_format : str, optional
        An explicit ``strftime`` format (``"%d.%m.%Y"``) for every text value.
    dayfirst : bool, optional
        Order of ``DD?MM?YYYY``-shaped values; decided from the column when None (see
        ``_dates``), never per value.

    Returns
    -------
    dates : pandas.Series
        ``datetime64`` values; ``NaT`` where the input was empty or unparsable.
    unparsable : pandas.Series
        True where a non-empty value did not parse (rows for the caller to drop).

    Raises
    ------
    DataError
        With the count and three examples of unparsable values when ``invalid="error"``.
    """
    none = pd.Series(False, index=values.index)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        written = values.dropna()
        if len(written):
            example = repr(str(written.min()))
            record_correction(quality, "timezone_dropped", column, len(written), example)
        return values.dt.tz_localize(None), none
    if pd.api.types.is_datetime64_dtype(values):
        return values, none
    if pd.api.types.is_integer_dtype(values):
        values = values.astype(str)
    text = values.astype("string").str.strip()
    if date_format is not None:
        return _parse_with_format(text, column, date_format, invalid=invalid, quality=quality)
    written = text
    text = replace_where(text, _CHINESE_DATE.pattern, r"\1-\2-\3")
    text = reorder_numeric_dates(text, column, dayfirst=dayfirst, quality=quality)
    offset = matches(text, OFFSET)
    parsed, zoned = _to_datetime(replace_where(text, OFFSET, r"\1", offset))
    zoned |= offset
    if zoned.any():
        example = repr(text[zoned].min())
        record_correction(quality, "timezone_dropped", column, int(zoned.sum()), example)
    bad = parsed.isna() & text.notna() & text.ne("")
    handle_unparsable_dates(
        column, int(bad.sum()), first_values(written[bad]), invalid=invalid, quality=quality
    )
    return parsed, bad


def _parse_with_format(
    text: pd.Series, column: str, date_format: str, *, invalid: str, quality: DataQuality
) -> tuple[pd.Series, pd.Series]:
    parsed = pd.to_datetime(text, format=date_format, errors="coerce")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):  # %z in the format
        parsed = parsed.dt.tz_localize(None)
    written = text.notna() & text.ne("")
    bad = parsed.isna() & written
    handle_unparsable_dates(
        column,
        int(bad.sum()),
        first_values(text[bad]),
        invalid=invalid,
        quality=quality,
        date_format=date_format,
    )
    quality.record(
        "dates_by_format",
        int((written & ~bad).sum()),
        "kept",
        f"column '{column}': read with date_format {date_format!r}",
    )
    return parsed.astype("datetime64[us]"), bad


def handle_unparsable_dates(
    column: str,
    count: int,
    examples: list,
    *,
    invalid: str,
    quality: DataQuality,
    date_format: str | None = None,
) -> None:
    """Raise for, or record, date values that do not parse.

    Parameters
    ----------
    column : str
        Source column name.
    count : int
        Number of rows whose date does not parse; nothing happens when 0.
    examples : list
        Up to three of the values.
    invalid : {"error", "drop"}
        Raise, or record the rows as ``unparsable_dates`` (the caller drops them).
    quality : DataQuality
        Record of exclusions.
    date_format : str, optional
        The format the values were read with, named in the message.

    Raises
    ------
    DataError
        When ``invalid="error"`` and ``count > 0``, with the count and the examples.
    """
    if not count:
        return
    shown = ", ".join(repr(str(v)) for v in examples[:3])
    what = f"dates in date_format {date_format!r}" if date_format else "dates"
    if invalid == "error":
        raise DataError(
            f"column '{column}': {count:,} value(s) are not {what}, e.g. {shown}. Fix them in "
            "the source (YYYY-MM-DD works everywhere), set date_format: to the format they are "
            "written in (e.g. '%d.%m.%Y %H:%M'), or set invalid_dates='drop' "
            "('invalid_dates: drop' in the parameter file) to exclude and count those rows."
        )
    quality.record(
        "unparsable_dates", count, "dropped", f"column '{column}': not dates, e.g. {shown}"
    )


def _to_datetime(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse text to naive wall-clock timestamps; also mark the values that carried a zone.

    Offsets that ``OFFSET`` strips never get here; this handles the rarer forms pandas still
    reads as zoned, such as ``2024-03-05T10+08:00`` or ``... +0800 (CST)``.
    """
    compact = text.str.fullmatch(r"\d{8}").fillna(False)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    zoned = pd.Series(False, index=text.index)
    if compact.any():
        parsed[compact] = pd.to_datetime(text[compact], format="%Y%m%d", errors="coerce")
    # plain ISO (most values, after the rewriting above): one vectorised parse, not per value
    iso = text.str.fullmatch(_ISO_PLAIN).fillna(False)
    if iso.any():
        parsed[iso] = pd.to_datetime(text[iso], format="ISO8601", errors="coerce")
    compact |= iso
    if compact.all():
        return parsed, zoned
    rest = text[~compact]
    try:
        converted = pd.to_datetime(rest, format="mixed", errors="coerce")
    except ValueError:  # zones that differ between values: keep each value's wall-clock time
        pairs = rest.map(_wall_clock, na_action="ignore")
        converted = pd.to_datetime(pairs.str[0], errors="coerce")
        zoned[~compact] = pairs.str[1].fillna(False).astype(bool)
    else:
        if isinstance(converted.dtype, pd.DatetimeTZDtype):
            zoned[~compact] = converted.notna()
            converted = converted.dt.tz_localize(None)
    parsed[~compact] = converted
    return parsed, zoned


def _wall_clock(value: str) -> tuple[pd.Timestamp, bool]:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return pd.NaT, False
    return stamp.tz_localize(None), stamp.tzinfo is not None


def parse_amounts(
    values: pd.Series,
    column: str,
    quality: DataQuality,
    *,
    decimal: str = ".",
    invalid: str = "error",
) -> tuple[pd.Series, pd.Series]:
    """Parse an amount column to floats.

    Text with currency signs, thousands separators or accounting brackets is counted in
    ``quality`` as ``amounts_from_text``.

    Parameters
    ----------
    values : pandas.Series
        Raw amounts: numbers or text with currency signs and thousands separators.
    column : str
        Source column name, for messages.
    quality : DataQuality
        Record of corrections.
    decimal : {".", ","}
        Decimal mark of text amounts. With ``","`` (``"€1.234,50"``, ``"230,30"``) the
        thousands separator is ``.`` or a space, and a value such as ``"12.5"`` is
        ambiguous.
    invalid : {"error", "drop"}
        What to do with text that is not an unambiguous amount: raise, or count it in
        ``quality`` as ``unparsable_amounts`` (the caller drops the rows).

    Returns
    -------
    amounts : pandas.Series
        ``float64`` amounts; NaN where the input was empty or unparsable.
    unparsable : pandas.Series
        True where a non-empty value is not an amount.

    Raises
    ------
    DataError
        With the count and three examples when some text is not an unambiguous number and
        ``invalid="error"``, or when the column holds true/false values.
    """
    none = pd.Series(False, index=values.index)
    if pd.api.types.is_bool_dtype(values):
        raise DataError(
            f"column '{column}' holds true/false values, not amounts ({len(values):,} rows, "
            f"e.g. {str(values.iloc[0])!r}). Map amount= to the column with the money amounts."
        )
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64"), none
    raw = values.astype("string").str.strip()
    plain = raw.isna() | raw.str.fullmatch(_PLAIN_NUMBER.pattern).fillna(False)
    if decimal == "." and plain.all():  # the common case, without a look at every value
        return _to_float(raw.mask(raw.eq(""))), none
    normalise = _normalise_comma_number if decimal == "," else _normalise_number
    text = raw.map(normalise, na_action="ignore").astype("string")
    ok = text.isna() | text.str.fullmatch(_PLAIN_NUMBER.pattern).fillna(False)
    if not ok.all():
        examples = ", ".join(repr(v) for v in first_values(raw[~ok]))
        count = int((~ok).sum())
        if invalid == "drop":
            detail = f"column '{column}': not amounts, e.g. {examples}"
            quality.record("unparsable_amounts", count, "dropped", detail)
        else:
            mark = (
                "a decimal point (1234.50) and optionally ',' thousands separators; for a "
                "decimal comma (230,30 or 1.234,50) set decimal: ','"
                if decimal == "."
                else "a decimal comma (1234,50) and optionally '.' or ' ' thousands separators"
            )
            raise DataError(
                f"column '{column}': {count:,} value(s) are not unambiguous amounts, "
                f"e.g. {examples}. Write amounts as plain numbers with {mark}, map the role "
                "to the right column, or set invalid_amounts: drop to exclude and count "
                "those rows."
            )
    ok = pd.Series(ok.to_numpy(dtype=bool), index=ok.index)
    if not ok.all():
        text = text.mask(~ok)
    amounts = _to_float(text)
    changed = ok & text.notna() & text.ne(raw.str.lower())
    if changed.any():
        written = raw[changed].reset_index(drop=True)
        first = written.sort_values().index[0]  # the same example in any row order
        example = f"{written[first]!r} → {amounts[changed].iloc[first]:g}"
        record_correction(quality, "amounts_from_text", column, int(changed.sum()), example)
    return amounts, ~ok


def _to_float(text: pd.Series) -> pd.Series:
    """Convert plain-number text to float64 (Arrow's cast: ten times pandas' speed)."""
    try:
        values = pc.cast(pa.array(text, type=pa.string()), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # forms Arrow does not read, such as "5."
        return pd.to_numeric(text).astype("float64")
    return pd.Series(values.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def _strip_number(raw: str) -> tuple[str, bool] | None:
    """Remove spaces, currency and accounting brackets; return the text and its sign."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    text = _CURRENCY.sub("", text.lower()).strip()
    if text.startswith(("-", "+")):
        sign, text = text[0], _CURRENCY.sub("", text[1:])
        text = sign + text
    return text, negative


def _signed(text: str, negative: bool) -> str:
    return ("-" + text.lstrip("+")) if negative and not text.startswith("-") else text


def _normalise_number(raw: str) -> str | None:
    stripped = _strip_number(raw)
    if stripped is None:
        return None
    text, negative = stripped
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    return _signed(text, negative)


def _normalise_comma_number(raw: str) -> str | None:
    stripped = _strip_number(raw)
    if stripped is None:
        return None
    text, negative = stripped
    if _DOT_THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    elif "." in text:
        return text  # "12.5" with a decimal comma: ambiguous, left to fail
    return _signed(text.replace(",", "."), negative)
