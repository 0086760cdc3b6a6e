"""Model inputs: the summary table or arrays → validated, compressed arrays with weights."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..summary import TIME_UNITS

__all__ = ["ModelInputs", "model_inputs", "table_time_unit"]


@dataclass(frozen=True)
class ModelInputs:
    """Validated model inputs, with identical rows merged into ``weights``.

    Attributes
    ----------
    columns : dict of str to numpy.ndarray
        One array per input column, over the distinct rows.
    weights : numpy.ndarray
        How many customers each distinct row stands for.
    inverse : numpy.ndarray
        Position of each original row among the distinct rows.
    index : pandas.Index
        Index of the original rows (customer ids), for aligning predictions.
    time_unit : str or None
        Time unit of the summary table (``attrs["time_unit"]``), if known.
    """

    columns: dict[str, np.ndarray]
    weights: np.ndarray
    inverse: np.ndarray
    index: pd.Index
    time_unit: str | None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def cached(self, key: str, compute) -> np.ndarray:
        """Return ``compute()``, computed once per inputs (for parameter-free terms).

        Parameters
        ----------
        key : str
            Name of the cached term.
        compute : callable
            Computes the term from the inputs.

        Returns
        -------
        numpy.ndarray
            The cached value.
        """
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def levels(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Distinct values of a column and each row's position among them (cached).

        Likelihood terms that depend on one column only (e.g. ``gammaln(r + x)``) are
        computed once per distinct value and gathered, which is much faster than per row.

        Parameters
        ----------
        name : str
            Column name.

        Returns
        -------
        values : numpy.ndarray
            Distinct values.
        codes : numpy.ndarray
            For each row, the position of its value in ``values``.
        """

        def factorize() -> tuple[np.ndarray, np.ndarray]:
            codes, values = pd.factorize(self.columns[name])
            return np.asarray(values, dtype="float64"), codes

        return self.cached(f"levels:{name}", factorize)

    @property
    def n_customers(self) -> int:
        """Number of customers (original rows)."""
        return len(self.inverse)


def model_inputs(
    customers: pd.DataFrame | None,
    columns: tuple[str, ...],
    arrays: dict[str, object],
    *,
    weights: object = None,
    compress: bool = True,
    time_unit: str | None = None,
    extra: dict[str, np.ndarray] | None = None,
) -> ModelInputs:
    """Collect, validate and compress the columns a model needs.

    Parameters
    ----------
    customers : pandas.DataFrame or None
        Summary table (output of :func:`custanalytics.summarize`) holding ``columns``.
    columns : tuple of str
        Names of the required columns.
    arrays : dict
        Column name → array-like, used when ``customers`` is None.
    weights : array-like, optional
        Number of customers each row stands for (default 1).
    compress : bool
        Merge identical rows into weights (speeds up fitting by orders of magnitude).
    time_unit : {"D", "W", "M", "Y"}, optional
        Time unit of the arrays; for a table it must agree with ``attrs["time_unit"]``.
    extra : dict of str to numpy.ndarray, optional
        Further columns (e.g. encoded covariates, any sign) kept with the rows and used
        when merging identical rows.

    Returns
    -------
    ModelInputs
        Validated arrays.

    Raises
    ------
    DataError
        If a column is missing, empty, not finite or negative; the message names the column,
        the number of bad rows and an example.
    ParameterError
        If ``time_unit`` is unknown or contradicts the table's own.
    """
    if time_unit is not None and time_unit not in TIME_UNITS:
        raise ParameterError(f"time_unit must be one of {', '.join(TIME_UNITS)}, got {time_unit!r}")
    if customers is not None:
        missing = [c for c in columns if c not in customers.columns]
        if missing:
            raise DataError(
                f"column '{missing[0]}' is missing from the customer table (it has "
                f"{', '.join(map(str, customers.columns))}); pass the output of "
                "custanalytics.summarize()"
            )
        values = {c: customers[c].to_numpy(dtype="float64") for c in columns}
        index = customers.index
        own = table_time_unit(customers)
        if time_unit is not None and own is not None and own != time_unit:
            raise ParameterError(
                f"time_unit={time_unit!r} contradicts the customer table's own time unit "
                f"attrs['time_unit'] = {own!r}; omit time_unit (a table carries its unit) or "
                f"summarize the data with time_unit={time_unit!r}"
            )
        time_unit = own or time_unit
    else:
        absent = [c for c in columns if arrays.get(c) is None]
        if absent:
            raise DataError(
                f"pass a customer table or the arrays {', '.join(columns)}; "
                f"'{absent[0]}' is missing"
            )
        values = {c: np.asarray(arrays[c], dtype="float64").ravel() for c in columns}
        index = pd.RangeIndex(len(values[columns[0]]))
    n = len(index)
    if n == 0:
        raise DataError("the customer table is empty: there is nothing to fit")
    for name, column in values.items():
        if len(column) != n:
            raise DataError(f"'{name}' has {len(column)} values, expected {n}")
        bad = ~np.isfinite(column) | (column < 0)
        if bad.any():
            raise DataError(
                f"column '{name}': {int(bad.sum()):,} value(s) are negative, missing or "
                f"infinite, e.g. {column[bad][0]!r}; model inputs must be finite and >= 0"
            )
    w = np.ones(n) if weights is None else np.asarray(weights, dtype="float64").ravel()
    if len(w) != n or (w <= 0).any() or not np.isfinite(w).all():
        raise DataError("weights must be positive finite numbers, one per customer")
    for name, column in (extra or {}).items():
        column = np.asarray(column, dtype="float64")
        if column.shape != (n,) or not np.isfinite(column).all():
            raise DataError(f"column '{name}' must hold {n} finite numbers")
        values[name] = column
    if not compress:
        return ModelInputs(values, w, np.arange(n), index, time_unit)
    inverse, n_distinct = _row_codes(list(values.values()))
    merged = np.bincount(inverse, weights=w, minlength=n_distinct)
    compressed = {}
    for name, column in values.items():
        distinct = np.empty(n_distinct)
        distinct[inverse] = column  # identical rows write identical values
        compressed[name] = distinct
    return ModelInputs(compressed, merged, inverse, index, time_unit)


def _row_codes(columns: list[np.ndarray]) -> tuple[np.ndarray, int]:
    """Give each distinct row of several columns a code (hash-based, no sorting)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, distinct = pd.factorize(column)
        if len(distinct) and key.max(initial=0) > (2**62) // len(distinct):
            key, _ = pd.factorize(key)  # renumber densely before the product overflows
        key = key * len(distinct) + codes
    inverse, distinct_rows = pd.factorize(key)
    return inverse, len(distinct_rows)


def table_time_unit(customers: pd.DataFrame) -> str | None:
    """Return the time unit a summary table records in ``attrs["time_unit"]`` (None if none).

    Parameters
    ----------
    customers : pandas.DataFrame
        Output of :func:`custanalytics.summarize` (or any table).

    Returns
    -------
    str or None
        ``"D"``, ``"W"``, ``"M"`` or ``"Y"``.

    Raises
    ------
    DataError
        If the recorded unit is not one of those.
    """
    unit = customers.attrs.get("time_unit")
    if unit is not None and unit not in TIME_UNITS:
        raise DataError(
            f"the customer table's attrs['time_unit'] is {unit!r}, not one of "
            f"{', '.join(TIME_UNITS)}; pass the output of custanalytics.summarize()"
        )
    return unit
