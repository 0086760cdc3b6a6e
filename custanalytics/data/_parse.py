"""Column mapping and type parsing of in-memory sources (messy text → typed columns).

Dates: strings in ISO, ``YYYY/MM/DD``, ``YYYYMMDD`` or ``2024年3月5日`` form, Excel dates and
datetime columns are accepted. Time-zone-aware timestamps keep their local wall-clock time
(the day the source recorded) and lose the offset, so a purchase at 23:30 +08:00 stays on its
Chinese calendar day. Amounts: numbers, or text such as ``"1,234.50"``, ``"¥1,234"``,
``"￥1,234元"`` or ``"(12.50)"`` (accounting negative); ambiguous text such as ``"1.234,50"`` is
an error with examples.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from ..errors import DataError
from ._quality import DataQuality

__all__ = ["check_columns", "parse_amounts", "parse_dates", "parse_ids"]

_CURRENCY = re.compile(r"^(?:rmb|cny|usd|eur|[¥$€£元])|(?:rmb|cny|usd|eur|[¥$€£元])$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")


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
        Naming the missing column, the closest existing one and the parameter to change.
    """
    for role, column in mapping.items():
        if column is None or column in available:
            continue
        close = difflib.get_close_matches(str(column), [str(c) for c in available], n=1, cutoff=0)
        raise DataError(
            f"{what}: column '{column}' (mapped as {role}=) not found. Columns in the source: "
            f"{', '.join(map(str, available))}. Closest match: '{close[0] if close else '-'}'. "
            f"Set {role}= (or '{role}:' in the parameter file) to the right column name."
        )


def parse_ids(values: pd.Series) -> pd.Series:
    """Return ids as stripped strings, with empty values as missing.

    Integral floats (``1001.0``, as Excel delivers numeric ids) become ``"1001"``.

    Parameters
    ----------
    values : pandas.Series
        Raw id column.

    Returns
    -------
    pandas.Series
        String ids; missing where the input was empty.
    """
    if pd.api.types.is_float_dtype(values) and (values.dropna() % 1 == 0).all():
        values = values.astype("Int64")
    text = values.astype("string").str.strip()
    return text.mask(text.eq("") | text.str.lower().isin(["nan", "none", "null"])).astype(str)


def parse_dates(values: pd.Series, column: str, *, invalid: str, quality: DataQuality) -> pd.Series:
    """Parse a date column to naive timestamps (local wall-clock time).

    Parameters
    ----------
    values : pandas.Series
        Raw date column.
    column : str
        Source column name, for messages.
    invalid : {"error", "drop"}
        What to do with values that do not parse; dropped rows are counted in ``quality``.
    quality : DataQuality
        Record of corrections.

    Returns
    -------
    pandas.Series
        ``datetime64`` values; ``NaT`` where the input was empty or (with ``invalid="drop"``)
        unparsable.

    Raises
    ------
    DataError
        With the count and three examples of unparsable values when ``invalid="error"``.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        quality.record(
            "timezone_dropped",
            len(values),
            "corrected",
            f"{column}: offset {values.dt.tz} removed, local time kept",
        )
        return values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(values):
        return values
    if pd.api.types.is_integer_dtype(values):
        values = values.astype(str)
    text = values.astype("string").str.strip()
    text = text.str.replace(_CHINESE_DATE, r"\1-\2-\3", regex=True)
    parsed = _to_datetime(text)
    bad = parsed.isna() & text.notna() & text.ne("")
    if bad.any():
        examples = ", ".join(repr(v) for v in text[bad].unique()[:3])
        if invalid == "error":
            raise DataError(
                f"column '{column}': {int(bad.sum()):,} value(s) are not dates, e.g. {examples}. "
                "Fix them in the source, or set invalid_dates: drop to exclude those rows."
            )
        quality.record("unparsable_dates", int(bad.sum()), "dropped", f"{column}: e.g. {examples}")
    return parsed


def _to_datetime(text: pd.Series) -> pd.Series:
    compact = text.str.fullmatch(r"\d{8}").fillna(False)
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if compact.any():
        parsed[compact] = pd.to_datetime(text[compact], format="%Y%m%d", errors="coerce")
    rest = text[~compact]
    try:
        converted = pd.to_datetime(rest, format="mixed", errors="coerce")
    except ValueError:  # mixed time-zone offsets: keep each value's own wall-clock time
        converted = pd.to_datetime(rest.map(_wall_clock, na_action="ignore"), errors="coerce")
    if isinstance(converted.dtype, pd.DatetimeTZDtype):
        converted = converted.dt.tz_localize(None)
    parsed[~compact] = converted
    return parsed


def _wall_clock(value: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(value).tz_localize(None)
    except (ValueError, TypeError):
        return pd.NaT


def parse_amounts(values: pd.Series, column: str) -> pd.Series:
    """Parse an amount column to floats.

    Parameters
    ----------
    values : pandas.Series
        Raw amounts: numbers or text with currency signs and thousands separators.
    column : str
        Source column name, for messages.

    Returns
    -------
    pandas.Series
        ``float64`` amounts; NaN where the input was empty.

    Raises
    ------
    DataError
        With the count and three examples when some text is not an unambiguous number.
    """
    if pd.api.types.is_bool_dtype(values):
        raise DataError(f"column '{column}' holds true/false values, not amounts")
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype("string").map(_normalise_number, na_action="ignore")
    ok = text.isna() | text.str.fullmatch(_PLAIN_NUMBER.pattern).fillna(False)
    if not ok.all():
        examples = ", ".join(repr(v) for v in values[~ok].unique()[:3])
        raise DataError(
            f"column '{column}': {int((~ok).sum()):,} value(s) are not unambiguous amounts, "
            f"e.g. {examples}. Write amounts as plain numbers (1234.50), optionally with a "
            "currency sign and ',' thousands separators, or map amount= to the right column."
        )
    return pd.to_numeric(text).astype("float64")


def _normalise_number(raw: str) -> str | None:
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    text = _CURRENCY.sub("", text.lower()).strip()
    if text.startswith(("-", "+")):
        sign, text = text[0], _CURRENCY.sub("", text[1:])
        text = sign + text
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    return ("-" + text.lstrip("+")) if negative and not text.startswith("-") else text
