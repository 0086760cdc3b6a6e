"""The discount column of a transaction log: which rows were bought on discount.

Exports write the discount on a row in one of four ways, and the kind is stated once per
column (``discount_kind``), never guessed per value:

* ``amount``: money off the row (``12.5``, ``"¥12.50"``, ``"1.234,50"`` with ``decimal=","``),
  read as amounts are; a row is on discount when its discount is not zero (returns often
  carry it with the return's minus sign, so the sign does not matter);
* ``rate``: the share taken off, between 0 and 1 (``0.1``), or written as a percentage
  (``"10%"``) or the Chinese way as the share paid (``"9折"`` = 10 % off, ``"85折"`` and
  ``"8.5折"`` = 15 % off); on discount when above 0;
* ``percent``: the same, with plain numbers as percentages (``10`` = 10 % off);
* ``flag``: yes or no (``是/否``, ``有/无``, ``Y/N``, ``yes/no``, ``true/false``, ``T/F``,
  ``1/0``, or a boolean column).

An empty discount is no discount (counted as ``discounts_missing``). A value that is not a
discount of the stated kind (a rate above 1, a negative rate, a flag ``maybe``) is an error
with the count and examples, or, with ``invalid_amounts: drop``, dropped and counted as
``unparsable_discounts``.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ._amounts import parse_amounts
from ._parse import first_values
from ._quality import DataQuality

__all__ = [
    "DISCOUNT_KINDS",
    "FLAG_FALSE",
    "FLAG_TRUE",
    "handle_invalid_discounts",
    "parse_discounts",
    "record_missing_discounts",
]

#: How a discount column is written (``discount_kind``).
DISCOUNT_KINDS = ("amount", "rate", "percent", "flag")
#: Flag values (lower case, after Unicode normalisation) read as on discount / not.
FLAG_TRUE = ("1", "1.0", "y", "yes", "t", "true", "是", "有")
FLAG_FALSE = ("0", "0.0", "n", "no", "f", "false", "否", "无")
#: What each kind expects, for messages.
KIND_RULES = {
    "amount": "money off the row, e.g. 12.50 or ¥12.50",
    "rate": "a share off between 0 and 1, e.g. 0.1, '10%' or '9折'",
    "percent": "a percentage off between 0 and 100, e.g. 10, '10%' or '9折'",
    "flag": "yes or no: 是/否, 有/无, Y/N, yes/no, true/false, 1/0",
}
_NUMBER = {
    ".": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    ",": re.compile(r"^[+-]?(\d+(,\d*)?|,\d+)$"),
}
_ZHE = re.compile(r"^(\d+(?:[.,]\d+)?)折$")


def parse_discounts(
    values: pd.Series,
    column: str,
    kind: str,
    quality: DataQuality,
    *,
    decimal: str = ".",
    invalid: str = "error",
) -> tuple[pd.Series, pd.Series]:
    """Tell which rows were bought on discount.

    Parameters
    ----------
    values : pandas.Series
        The raw discount column (numbers, text or booleans).
    column : str
        Source column name, for messages.
    kind : {"amount", "rate", "percent", "flag"}
        How the column is written (see the module docstring).
    quality : DataQuality
        Record of the load: empty discounts, text amounts read, values dropped.
    decimal : {".", ","}
        Decimal mark of discounts written as text.
    invalid : {"error", "drop"}
        What to do with values that are not discounts of ``kind``: raise, or count them in
        ``quality`` as ``unparsable_discounts`` (the caller drops the rows).

    Returns
    -------
    discounted : pandas.Series
        Boolean, same index: True where the row was bought on discount.
    unparsable : pandas.Series
        True where a non-empty value is not a discount of ``kind``.

    Raises
    ------
    ParameterError
        If ``kind`` is not one of :data:`DISCOUNT_KINDS`.
    DataError
        With the count and three examples when values are not discounts of ``kind`` and
        ``invalid="error"``, or when a boolean column is read as anything but a flag.
    """
    if kind not in DISCOUNT_KINDS:
        choices = " | ".join(DISCOUNT_KINDS)
        raise ParameterError(f"discount_kind must be one of {choices}, got {kind!r}")
    if pd.api.types.is_bool_dtype(values):
        if kind != "flag":
            raise DataError(
                f"column '{column}' holds true/false values ({len(values):,} rows, e.g. "
                f"{str(values.iloc[0])!r}), not discounts of kind {kind}; set discount_kind: flag"
            )
        missing = values.isna()
        record_missing_discounts(quality, column, int(missing.sum()))
        return values.fillna(False).astype(bool), pd.Series(False, index=values.index)
    if kind == "amount":
        scratch = DataQuality("", 0)  # its own record: the errors and drops are the discount's
        number, bad = parse_amounts(values, column, scratch, decimal=decimal, invalid="drop")
        for step in scratch.steps:
            if step.check == "amounts_from_text":
                quality.record(step.check, step.rows, step.action, step.detail)
        number, bad = number.to_numpy(), bad.to_numpy()
    elif pd.api.types.is_numeric_dtype(values):
        number = values.to_numpy(dtype="float64") / (100.0 if kind == "percent" else 1.0)
        bad = np.zeros(len(values), dtype=bool)
    else:
        codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
        read = [_read_text(str(u), kind, decimal) for u in uniques]
        parsed = [np.nan if r is None or r is _BAD else r for r in read]
        parsed = np.array(parsed + [np.nan], dtype="float64")
        failed = np.array([r is _BAD for r in read] + [False], dtype=bool)
        number, bad = parsed[codes], failed[codes]
    number = np.where(bad, np.nan, number)
    if kind == "amount":
        on = np.abs(number) > 0
    else:
        outside = (number < 0) | (number > 1) if kind != "flag" else ~np.isin(number, (0.0, 1.0))
        bad = bad | (outside & ~np.isnan(number))
        on = number > 0
    bad = pd.Series(bad, index=values.index)
    if bad.any():
        wrong = values[bad]
        if pd.api.types.is_numeric_dtype(wrong):  # 10, not 10.0
            examples = [f"{v:g}" for v in sorted(wrong.unique())[:3]]
        else:
            examples = first_values(wrong)
        count = int(bad.sum())
        handle_invalid_discounts(column, kind, count, examples, invalid=invalid, quality=quality)
    missing = np.isnan(number) & ~bad.to_numpy()
    record_missing_discounts(quality, column, int(missing.sum()))
    return pd.Series(on & ~bad.to_numpy(), index=values.index), bad


class _Bad:
    """Marker of a text value that is not a discount of the kind."""


_BAD = _Bad()


def _read_text(raw: str, kind: str, decimal: str) -> float | None | _Bad:
    """Read one distinct text value: the rate (or 1/0 flag), None if empty, or ``_BAD``."""
    text = unicodedata.normalize("NFKC", raw).strip().lower().replace(" ", "")
    if not text:
        return None
    if kind == "flag":
        if text in FLAG_TRUE:
            return 1.0
        return 0.0 if text in FLAG_FALSE else _BAD
    zhe = _ZHE.fullmatch(text)
    if zhe:  # the share paid: 9折 = 90 %, 85折 = 8.5折 = 85 %
        paid = float(zhe.group(1).replace(",", "."))
        paid = paid / 10 if paid < 10 else paid / 100
        return 1.0 - paid if 0 < paid <= 1 else _BAD
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 100.0
    elif kind == "percent":
        scale = 100.0
    if not _NUMBER[decimal].fullmatch(text):
        return _BAD
    return float(text.replace(",", ".")) / scale


def _rate_hint(kind: str, examples: list) -> str:
    """Return a hint for values that are not discounts of ``kind`` (rates that look like %)."""
    if kind == "rate":
        numbers = pd.to_numeric(pd.Series(examples), errors="coerce")
        if ((numbers > 1) & (numbers <= 100)).any():
            return " Values above 1 look like percentages: set discount_kind: percent."
    return ""


def handle_invalid_discounts(
    column: str, kind: str, count: int, examples: list, *, invalid: str, quality: DataQuality
) -> None:
    """Raise on values that are not discounts of ``kind``, or count them as dropped.

    Parameters
    ----------
    column : str
        Source column name.
    kind : str
        The column's ``discount_kind``.
    count : int
        Rows whose value is not a discount.
    examples : list
        Up to three of those values.
    invalid : {"error", "drop"}
        ``invalid_amounts`` of the load.
    quality : DataQuality
        Record of the load (``unparsable_discounts`` with ``drop``).

    Raises
    ------
    DataError
        With ``invalid="error"``, naming the column, the count, the examples and the fixes.
    """
    shown = ", ".join(repr(v) for v in examples)
    if invalid == "drop":
        detail = f"column '{column}': not discounts of kind {kind}, e.g. {shown}"
        quality.record("unparsable_discounts", count, "dropped", detail)
        return
    raise DataError(
        f"column '{column}': {count:,} value(s) are not discounts of kind {kind} "
        f"({KIND_RULES[kind]}), e.g. {shown}.{_rate_hint(kind, examples)} Fix the "
        "values, set discount_kind to how the column is written (amount | rate | percent | "
        "flag), or set invalid_amounts: drop to exclude and count those rows."
    )


def record_missing_discounts(quality: DataQuality, column: str, count: int) -> None:
    """Count the rows whose discount is empty (read as no discount).

    Parameters
    ----------
    quality : DataQuality
        Record of the load.
    column : str
        Source column name.
    count : int
        Rows with an empty discount; nothing is recorded when 0.
    """
    detail = f"column '{column}': empty, read as no discount"
    quality.record("discounts_missing", count, "kept", detail)
