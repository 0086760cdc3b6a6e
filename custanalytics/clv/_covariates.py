"""Time-invariant covariates: customer attributes encoded as numeric columns.

Numeric columns are used as they are; any other column (text, categories, booleans) is
one-hot encoded against its first level (sorted), which becomes the reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ._inputs import ModelInputs, model_inputs

__all__ = ["CovariateMixin", "encode_covariates"]


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


class CovariateMixin:
    """Covariate settings, encoding and per-row parameters shared by the purchase models.

    A model lists in ``_covariate_targets`` which parameters the covariates shift:
    ``(name, index, sign)`` makes parameter ``index`` of customer i equal to the population
    value times ``exp(sign * g_name'z_i)``.
    """

    _covariate_targets: tuple[tuple[str, int, int], ...] = ()

    def __init__(
        self,
        *,
        covariates: list[str] | None = None,
        covariate_penalizer: float = 0.0,
        penalizer: float = 0.0,
        penalty: str = "l2",
        max_iter: int = 2000,
        tol: float = 1e-8,
    ):
        super().__init__(penalizer=penalizer, penalty=penalty, max_iter=max_iter, tol=tol)
        self.covariates = covariates
        self.covariate_penalizer = covariate_penalizer

    # -- covariates (Fader & Hardie 2007) ---------------------------------------------
    _features: tuple[str, ...] = ()
    _levels: dict = {}  # noqa: RUF012 (replaced, never mutated)

    def _after_fit(self, data: ModelInputs) -> None:
        self.feature_names_ = list(self._features)
        self.covariate_levels_ = dict(self._levels)

    def _check_settings(self) -> None:
        super()._check_settings()
        check_covariate_names(self.covariates)
        weight = self.covariate_penalizer
        if not (isinstance(weight, int | float) and np.isfinite(weight) and weight >= 0):
            raise ParameterError(f"covariate_penalizer must be a number >= 0, got {weight!r}")

    def _collect(self, customers, arrays, weights, time_unit) -> ModelInputs:
        names = check_covariate_names(self.covariates)
        self._features, self._levels = (), {}
        if not names:
            return super()._collect(customers, arrays, weights, time_unit)
        if customers is None:
            raise ParameterError(
                "covariates name columns of the customer table: pass fit(customers) with "
                f"{', '.join(names)} next to frequency, recency and T"
            )
        matrix, features, levels = encode_covariates(customers, names)
        self._features, self._levels = tuple(features), levels
        extra = {f"z:{f}": matrix[:, j] for j, f in enumerate(features)}
        return model_inputs(
            customers, self._columns, arrays, weights=weights, time_unit=time_unit, extra=extra
        )

    def _extra_names(self) -> list[str]:
        groups = [name for name, _, _ in self._covariate_targets]
        return [f"{group}[{f}]" for group in groups for f in self._features]

    def _extra_penalizer(self) -> float:
        return float(self.covariate_penalizer)

    def _covariate_columns(self, customers) -> dict | None:
        if not self._features:
            return None
        if customers is None:
            raise ParameterError(
                f"{type(self).__name__} was fitted with covariates "
                f"({', '.join(self.covariates)}): pass a customer table that has them"
            )
        matrix, features, _ = encode_covariates(customers, tuple(self.covariates), self._levels)
        return {f"z:{f}": matrix[:, j] for j, f in enumerate(features)}

    def _matrix(self, data: ModelInputs) -> np.ndarray:
        return data.cached("z", lambda: np.column_stack([data[f"z:{f}"] for f in self._features]))

    def _rp(self, params, data: ModelInputs):
        if not self._features:
            return params
        return self._expand(params, self._matrix(data))

    def _expand(self, params, matrix: np.ndarray):
        """Per-row parameters: each target multiplied by ``exp(sign * g'z)``."""
        k = len(self._features)
        out = list(params[: len(self._param_names)])
        for block, (_, index, sign) in enumerate(self._covariate_targets):
            effects = params[len(self._param_names) + block * k :][:k]
            out[index] = out[index] * np.exp(sign * (matrix @ effects))
        return tuple(out)

    def expected_purchases_new_customer(self, horizon, *, time_unit=None, profile=None):
        """Predict the repeat purchases of a newly acquired customer in their first ``horizon``.

        The unconditional expectation (no purchase history yet): what a prospect is worth in
        purchases once won. With covariates, for a given attribute profile: customers like
        them, as the fitted covariate effects describe them.

        Parameters
        ----------
        horizon : float
            Length of the period after acquisition, in ``time_unit``.
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``horizon`` (default: the unit the model was fitted in).
        profile : dict or pandas.DataFrame, optional
            Covariate values (required for a model with covariates): one profile as a dict,
            or one row per prospect.

        Returns
        -------
        float or pandas.Series
            Expected repeat purchases; a Series ``expected_purchases`` aligned with
            ``profile`` when it is a DataFrame.
        """
        from ._predict import convert_horizon

        params = self._check_fitted()
        t = convert_horizon(horizon, time_unit, self.time_unit_)
        if not self._features:
            if profile is not None:
                raise ParameterError(
                    f"{type(self).__name__} was fitted without covariates; omit profile"
                )
            return float(self._expected_purchases_new(params, t))
        if profile is None:
            raise ParameterError(
                f"{type(self).__name__} was fitted with covariates ({', '.join(self.covariates)})"
                ": pass profile={...} with their values"
            )
        frame = pd.DataFrame([profile]) if isinstance(profile, dict) else profile
        matrix, _, _ = encode_covariates(frame, tuple(self.covariates), self._levels)
        zero = np.zeros(len(frame))
        values = self._expected_purchases(self._expand(params, matrix), zero, zero, zero, t)
        if isinstance(profile, dict):
            return float(values[0])
        return pd.Series(values, index=frame.index, name="expected_purchases")
