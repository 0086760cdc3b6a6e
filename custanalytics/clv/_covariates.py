"""Time-invariant covariates: customer attributes encoded as numeric columns.

Numeric columns are used as they are; any other column (text, categories, booleans) is
one-hot encoded against its first level (sorted), which becomes the reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError

__all__ = ["encode_covariates"]


def check_covariate_names(covariates) -> tuple[str, ...]:
    """Validate the ``covariates`` setting: None or a list of column names."""
    if covariates is None:
        return ()
    if isinstance(covariates, str) or not all(isinstance(c, str) for c in covariates):
        raise ParameterError(
            f"covariates must be a list of column names, e.g. ['region'], got {covariates!r}"
        )
    names = tuple(covariates)
    if len(set(names)) != len(names):
        raise ParameterError(f"covariates lists a column twice: {list(names)!r}")
    return names


def encode_covariates(
    frame: pd.DataFrame, columns: tuple[str, ...], levels: dict | None = None
) -> tuple[np.ndarray, list[str], dict]:
    """Encode covariate columns of ``frame`` as a numeric matrix.

    Parameters
    ----------
    frame : pandas.DataFrame
        Customer table holding ``columns``.
    columns : tuple of str
        Covariate columns.
    levels : dict, optional
        Column -> levels found at fit (None for a numeric column); without it the levels
        are learned from ``frame``.

    Returns
    -------
    matrix : numpy.ndarray
        One row per customer, one column per feature.
    names : list of str
        Feature names: the column, or ``column=level`` for a level of a categorical column.
    levels : dict
        Column -> sorted levels (None for numeric columns).

    Raises
    ------
    DataError
        If a column is missing, has missing values, or (at prediction) a level unseen in
        the fit; the message names the column, the count and an example.
    """
    learn = levels is None
    levels = {} if learn else levels
    parts, names = [], []
    for column in columns:
        if column not in frame.columns:
            raise DataError(
                f"covariate column '{column}' is missing from the customer table (it has "
                f"{', '.join(map(str, frame.columns))}); join the customer attributes first"
            )
        values = frame[column]
        missing = values.isna()
        if missing.any():
            raise DataError(
                f"covariate column '{column}': {int(missing.sum()):,} customer(s) have no "
                f"value, e.g. customer {frame.index[missing.to_numpy()][0]!r}; fill them "
                "(e.g. with an 'unknown' level) or drop those customers"
            )
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if learn:
            levels[column] = None if numeric else sorted(values.astype(str).unique())
        known = levels[column]
        if known is None:
            parts.append(values.to_numpy(dtype="float64")[:, None])
            names.append(column)
            continue
        text = values.astype(str)
        unseen = ~text.isin(known)
        if unseen.any():
            raise DataError(
                f"covariate column '{column}': {int(unseen.sum()):,} customer(s) have a level "
                f"the model was not fitted on, e.g. {text[unseen].iloc[0]!r} (known: "
                f"{', '.join(known)}); refit on data that include it or map it to a known level"
            )
        for level in known[1:]:  # the first level is the reference
            parts.append((text == level).to_numpy(dtype="float64")[:, None])
            names.append(f"{column}={level}")
    matrix = np.hstack(parts) if parts else np.zeros((len(frame), 0))
    return matrix, names, levels
