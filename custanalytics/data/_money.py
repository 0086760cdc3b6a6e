"""Money held exactly: amounts as DECIMAL(18, 4), so sums and comparisons do not drift.

With floats, ``2.55 * 6 - 15.30`` is not 0 and the sum of a customer's purchases depends on
the order of the rows, so the same file could give different counts and revenues from one
load to the next. Amounts are therefore cast once to a fixed-point decimal with four places
(a hundredth of a cent; values with more places are rounded to it) and every sum and test
(``net <= 0``) is exact. Results leave the engine as float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["MONEY", "MONEY_LIMIT", "as_money", "check_money_range", "money_sum"]

#: The type amounts are held in: exact to 0.0001, up to ±10^14 per row.
MONEY = "decimal(18, 4)"
MONEY_LIMIT = 1e14
_SCALE = 10_000


def as_money(column: Any) -> Any:
    """Cast an Ibis numeric column to the exact money type (NaN must be missing already).

    Parameters
    ----------
    column : ibis.NumericColumn
        Amounts.

    Returns
    -------
    ibis.DecimalColumn
        The amounts rounded to 0.0001.
    """
    return column.cast(MONEY)


def check_money_range(largest: float | None, column: str) -> None:
    """Raise if an amount is too large for the money type.

    Parameters
    ----------
    largest : float or None
        Largest absolute amount of the column.
    column : str
        Source column name(s), for the message.

    Raises
    ------
    DataError
        If ``largest`` is 10^14 or more.
    """
    if largest is None or not largest >= MONEY_LIMIT:  # NaN: no amount at all
        return
    raise DataError(
        f"column '{column}': an amount of {largest:,.0f} is beyond ±10^14, the largest "
        "amount held exactly; check that the column holds money (not an id or a timestamp) "
        "and map amount= to the right column"
    )


def money_sum(values: pd.Series) -> float | None:
    """Sum float amounts exactly at the money precision (0.0001), in any row order.

    Parameters
    ----------
    values : pandas.Series
        Amounts (NaN ignored).

    Returns
    -------
    float or None
        The sum, or None when ``values`` is None.
    """
    if values is None:
        return None
    units = np.round(values.dropna().to_numpy(dtype="float64") * _SCALE).astype("int64")
    return int(units.sum()) / _SCALE
