"""Amounts written as text: currency signs, thousands separators, decimal commas, brackets.

Numbers pass as they are. Text such as ``"1,234.50"``, ``"¥1,234"``, ``"￥1,234元"`` or
``"(12.50)"`` (accounting negative) is parsed and counted as ``amounts_from_text``; with
``decimal=","`` so are ``"€1.234,50"`` and ``"230,30"``. Ambiguous text (``"1.234,50"`` with
the default decimal point) is an error with examples, or dropped and counted.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError
from ._parse import first_values, record_correction
from ._quality import DataQuality

__all__ = ["parse_amounts"]

_CURRENCY = re.compile(r"^(?:rmb|cny|usd|eur|[¥$€£元])|(?:rmb|cny|usd|eur|[¥$€£元])$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DOT_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


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
