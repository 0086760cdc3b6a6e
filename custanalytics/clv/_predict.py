"""Predictions shared by the purchase models (BG/NBD, MBG/NBD, Pareto/NBD).

Expected purchases, P(alive) and discounted customer lifetime value, with explicit time units.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import DataError, ModelFitError, ParameterError
from ..summary import TIME_UNITS
from ._inputs import model_inputs

__all__ = ["PurchaseModelMixin", "convert_horizon"]


def convert_horizon(horizon: float, time_unit: str | None, model_unit: str | None) -> float:
    """Express ``horizon`` (given in ``time_unit``) in the model's time unit.

    Parameters
    ----------
    horizon : float
        Length of the horizon, > 0.
    time_unit : {"D", "W", "M", "Y"} or None
        Unit of ``horizon``; None means the model's own unit.
    model_unit : str or None
        Time unit of the data the model was fitted on (None if fitted on bare arrays).

    Returns
    -------
    float
        The horizon in the model's unit.

    Raises
    ------
    ParameterError
        If the horizon is not positive, a unit is unknown, or a unit is given for a model
        whose own unit is unknown.
    """
    if not (isinstance(horizon, int | float) and math.isfinite(horizon) and horizon > 0):
        raise ParameterError(f"horizon must be a positive number, got {horizon!r}")
    if time_unit is None:
        return float(horizon)
    if time_unit not in TIME_UNITS:
        raise ParameterError(f"time_unit must be one of {', '.join(TIME_UNITS)}, got {time_unit!r}")
    if model_unit is None:
        raise ParameterError(
            "the model was fitted on arrays without a time unit, so a horizon in "
            f"time_unit={time_unit!r} cannot be converted; fit it on the output of "
            "summarize() (which records its time unit) or omit time_unit and give the horizon "
            "in the unit of T"
        )
    return float(horizon) * TIME_UNITS[time_unit] / TIME_UNITS[model_unit]


class PurchaseModelMixin:
    """Public predictions of a fitted purchase model.

    The model implements ``_probability_alive`` and ``_expected_purchases``.
    """

    def fit(
        self,
        customers: pd.DataFrame | None = None,
        *,
        frequency=None,
        recency=None,
        T=None,
        weights=None,
    ):
        """Fit the model by maximum likelihood.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table (output of :func:`custanalytics.summarize`) with ``frequency``,
            ``recency`` and ``T``; its time unit becomes the model's.
        frequency, recency, T : array-like, optional
            The same as arrays, when no table is given.
        weights : array-like, optional
            Number of customers each row stands for.

        Returns
        -------
        self
            The fitted model.

        Raises
        ------
        DataError
            If inputs are missing, negative, not finite or inconsistent.
        ModelFitError
            If nobody bought twice or the optimiser does not converge; the message says
            what to change.
        """
        data = model_inputs(
            customers,
            self._columns,
            {"frequency": frequency, "recency": recency, "T": T},
            weights=weights,
        )
        self._fit_inputs(self._prepare(data))
        return self

    def _prepare(self, data):
        """Precompute what the likelihood needs (a hook; identity by default)."""
        return data

    def _validate(self, data) -> None:
        """Check the BTYD inputs' consistency and that someone bought more than once."""
        x, tx, T = data["frequency"], data["recency"], data["T"]
        for bad, what in (
            (tx > T + 1e-9, "recency is larger than T"),
            ((x == 0) & (tx > 0), "recency is > 0 for customers without a repeat purchase"),
            (x != np.round(x), "frequency is not a whole number"),
        ):
            if bad.any():
                raise DataError(
                    f"{int(data.weights[bad].sum()):,} customer(s): {what}, e.g. "
                    f"frequency={x[bad][0]}, recency={tx[bad][0]}, T={T[bad][0]}; pass the "
                    "output of custanalytics.summarize()"
                )
        if not (x > 0).any():
            raise ModelFitError(
                f"{type(self).__name__} cannot be fitted: none of the "
                f"{int(data.weights.sum()):,} customers bought more than once, so repeat "
                "behaviour is unknown. Use a longer data window; a penalizer cannot fix this."
            )

    def _arrays(self, customers, frequency, recency, T):
        """Return the inputs over distinct rows (expand results with ``data.inverse``)."""
        data = model_inputs(
            customers, self._columns, {"frequency": frequency, "recency": recency, "T": T}
        )
        return data, (data["frequency"], data["recency"], data["T"])

    def probability_alive(
        self, customers: pd.DataFrame | None = None, *, frequency=None, recency=None, T=None
    ) -> pd.Series:
        """Predict the probability that each customer is still active at the end of the data.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency``, ``recency`` and ``T``.
        frequency, recency, T : array-like, optional
            The same as arrays.

        Returns
        -------
        pandas.Series
            ``p_alive`` aligned with the customers. Note that BG/NBD gives 1 to customers
            without a repeat purchase.
        """
        params = self._check_fitted()
        data, xs = self._arrays(customers, frequency, recency, T)
        values = self._probability_alive(params, *xs)[data.inverse]
        return pd.Series(values, index=data.index, name="p_alive")

    def expected_purchases(
        self,
        customers: pd.DataFrame | None = None,
        horizon: float = 1.0,
        *,
        time_unit: str | None = None,
        interval: float | None = None,
        frequency=None,
        recency=None,
        T=None,
    ) -> pd.Series | pd.DataFrame:
        """Predict each customer's number of purchases in the next ``horizon``.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency``, ``recency`` and ``T``.
        horizon : float
            Length of the future period, in ``time_unit`` (default: the data's own unit).
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``horizon``; converted to the unit the model was fitted in.
        interval : float, optional
            If given (e.g. 0.95), also return a delta-method interval from the parameters'
            covariance.
        frequency, recency, T : array-like, optional
            The inputs as arrays.

        Returns
        -------
        pandas.Series or pandas.DataFrame
            ``expected_purchases`` aligned with the customers, or a DataFrame with
            ``expected_purchases``, ``lower`` and ``upper`` when ``interval`` is given.
        """
        params = self._check_fitted()
        t = convert_horizon(horizon, time_unit, self.time_unit_)
        data, xs = self._arrays(customers, frequency, recency, T)
        if interval is None:
            values = self._expected_purchases(params, *xs, t)[data.inverse]
            return pd.Series(values, index=data.index, name="expected_purchases")
        point, lower, upper = self._prediction_interval(
            lambda p: self._expected_purchases(p, *xs, t), interval
        )
        columns = {"expected_purchases": point, "lower": lower, "upper": upper}
        return pd.DataFrame({k: v[data.inverse] for k, v in columns.items()}, index=data.index)

    def expected_purchases_new_customer(
        self, horizon: float, *, time_unit: str | None = None
    ) -> float:
        """Predict the repeat purchases of a newly acquired customer in their first ``horizon``.

        The unconditional expectation (no purchase history yet): what a prospect is worth in
        purchases once won, before anything is known about them.

        Parameters
        ----------
        horizon : float
            Length of the period after acquisition, in ``time_unit``.
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``horizon`` (default: the unit the model was fitted in).

        Returns
        -------
        float
            Expected number of repeat purchases.
        """
        params = self._check_fitted()
        t = convert_horizon(horizon, time_unit, self.time_unit_)
        return float(self._expected_purchases_new(params, t))

    def customer_lifetime_value(
        self,
        customers: pd.DataFrame,
        spend: pd.Series | float,
        *,
        horizon: float,
        time_unit: str,
        discount_rate: float,
        interval: float | None = None,
    ) -> pd.Series | pd.DataFrame:
        """Predict the discounted value of each customer's purchases over a horizon.

        The horizon is cut into calendar months (the last one partial); the purchases the
        model expects in month k are valued at ``spend`` and discounted by
        ``(1 + discount_rate) ** (k / 12)``.

        Parameters
        ----------
        customers : pandas.DataFrame
            Summary table with ``frequency``, ``recency`` and ``T``.
        spend : pandas.Series or float
            Expected spend per purchase (e.g. ``GammaGammaModel.expected_spend``), aligned
            with ``customers``, or one value for everybody.
        horizon : float
            Length of the horizon, in ``time_unit``.
        time_unit : {"D", "W", "M", "Y"}
            Unit of ``horizon`` (required: CLV over "12" of the wrong unit is the classic
            mistake).
        discount_rate : float
            Annual discount rate, e.g. 0.10 for 10 % a year; 0 for no discounting.
        interval : float, optional
            If given (e.g. 0.95), also return a delta-method interval reflecting the
            purchase model's parameter uncertainty.

        Returns
        -------
        pandas.Series or pandas.DataFrame
            ``clv`` aligned with the customers (with ``lower`` and ``upper`` when
            ``interval`` is given).

        Raises
        ------
        ParameterError
            If the discount rate is not an annual rate in [0, 1) or the units are invalid.
        """
        params = self._check_fitted()
        if not (isinstance(discount_rate, int | float) and 0 <= discount_rate < 1):
            raise ParameterError(
                f"discount_rate is an annual rate in [0, 1) (0.1 = 10 % a year), got "
                f"{discount_rate!r}"
            )
        months = convert_horizon(horizon, time_unit, "M")
        model_months = convert_horizon(1.0, "M", self.time_unit_ or "M")
        data, xs = self._arrays(customers, None, None, None)
        spend_values = (
            np.full(data.n_customers, float(spend))
            if np.isscalar(spend)
            else pd.Series(spend).reindex(data.index).to_numpy(dtype="float64")
        )
        edges = np.append(np.arange(1, math.ceil(months)), months)

        def discounted_purchases(p: np.ndarray) -> np.ndarray:
            value, previous = 0.0, 0.0
            for k, edge in enumerate(edges, start=1):
                cumulative = self._expected_purchases(p, *xs, edge * model_months)
                value = value + (cumulative - previous) / (1 + discount_rate) ** (k / 12)
                previous = cumulative
            return value

        if interval is None:
            values = discounted_purchases(params)[data.inverse] * spend_values
            return pd.Series(values, index=data.index, name="clv")
        bounds = self._prediction_interval(discounted_purchases, interval)
        columns = {
            name: b[data.inverse] * spend_values
            for name, b in zip(("clv", "lower", "upper"), bounds, strict=True)
        }
        return pd.DataFrame(columns, index=data.index)
