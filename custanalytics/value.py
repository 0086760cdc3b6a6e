"""The value matrix: current value x potential value, each high or low against the mean."""

from __future__ import annotations

import pandas as pd

from .errors import DataError

__all__ = ["VALUE_MATRIX_CELLS", "value_matrix", "value_matrix_summary"]

#: (current high, potential high) → cell key; labels in :mod:`custanalytics.i18n`.
VALUE_MATRIX_CELLS = {
    (True, True): "value_customer",  # 价值客户
    (True, False): "secondary_value_customer",  # 次价值客户
    (False, True): "potential_value_customer",  # 潜在价值客户
    (False, False): "low_value_customer",  # 低价值客户
}


def value_matrix(current: pd.Series, potential: pd.Series) -> pd.Series:
    """Place each customer in the 2 x 2 value matrix.

    A customer is "high" on a dimension when strictly above the population mean.

    Parameters
    ----------
    current : pandas.Series
        Current value per customer (e.g. revenue so far).
    potential : pandas.Series
        Potential value per customer (e.g. CLV), with the same index.

    Returns
    -------
    pandas.Series
        Cell key per customer: ``value_customer`` (high, high), ``secondary_value_customer``
        (high current, low potential), ``potential_value_customer`` (low current, high
        potential) or ``low_value_customer`` (low, low).

    Raises
    ------
    DataError
        If the indexes differ or values are missing.

    Examples
    --------
    >>> value_matrix(pd.Series([78, 87, 69, 74], index=list("ABCD")),
    ...              pd.Series([80, 55, 62, 75], index=list("ABCD"))).tolist()
    ['value_customer', 'secondary_value_customer', 'low_value_customer', \
'potential_value_customer']
    """
    if not current.index.equals(potential.index):
        raise DataError("current and potential value must have the same customers (index)")
    for name, values in (("current", current), ("potential", potential)):
        if values.isna().any():
            raise DataError(
                f"{name} value is missing for {int(values.isna().sum()):,} customer(s), e.g. "
                f"{values.index[values.isna()][0]!r}; fill or drop them first"
            )
    high_current = current > current.mean()
    high_potential = potential > potential.mean()
    cells = [VALUE_MATRIX_CELLS[(c, p)] for c, p in zip(high_current, high_potential, strict=True)]
    return pd.Series(cells, index=current.index, name="value_matrix")


def value_matrix_summary(
    cells: pd.Series, revenue: pd.Series, potential: pd.Series
) -> pd.DataFrame:
    """Sum up customers, revenue and potential value per cell of the value matrix.

    Parameters
    ----------
    cells : pandas.Series
        Output of :func:`value_matrix`.
    revenue : pandas.Series
        Current value per customer (same index).
    potential : pandas.Series
        Potential value per customer (same index).

    Returns
    -------
    pandas.DataFrame
        One row per cell in the order of ``VALUE_MATRIX_CELLS``: ``customers``,
        ``customer_share``, ``revenue``, ``revenue_share``, ``clv``, ``clv_share``.
    """
    frame = pd.DataFrame({"cell": cells, "revenue": revenue, "clv": potential})
    table = frame.groupby("cell").agg(
        customers=("revenue", "size"), revenue=("revenue", "sum"), clv=("clv", "sum")
    )
    table = table.reindex(list(VALUE_MATRIX_CELLS.values()), fill_value=0)
    table.insert(1, "customer_share", table["customers"] / max(len(frame), 1))
    table.insert(3, "revenue_share", table["revenue"] / frame["revenue"].sum())
    table["clv_share"] = table["clv"] / frame["clv"].sum()
    return table
