"""Fitting and predictions shared by the purchase models (BG/NBD, MBG/NBD, Pareto/NBD).

Expected purchases, P(alive), the predictive distribution of the number of purchases and
discounted customer lifetime value, with explicit and checked time units.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy.special import betainc, betaln

from ..errors import CustAnalyticsWarning, DataError, ModelFitError, ParameterError
from ..summary import TIME_UNITS
from ._base import _check_level, unit_factor
from ._inputs import ModelInputs, _row_codes, model_inputs, table_time_unit

__all__ = ["PurchaseModelMixin", "convert_horizon"]

#: Probability of the purchase count left out when a CLV range mixes over the count.
_PMF_TAIL = 1e-7
#: Bisection steps for a quantile of the CLV distribution (log scale, bracket of about e^23
#: wide, narrowed to about 0.2), then Newton steps (quadratic: below 1e-9 relative).
_BISECTION_STEPS = 7
_NEWTON_STEPS = 4
#: Purchase counts less likely than this are left out of a CLV range's mixture.
_MIX_MIN = 1e-8
#: Cells (customers x purchase counts) per block of the CLV range computation.
_CLV_BLOCK = 1 << 16
#: Purchases counted at most per customer when building a predictive distribution.
_PMF_MAX_COUNT = 100_000


def convert_horizon(horizon: float, time_unit: str | None, model_unit: str | None) -> float:
    """Express ``horizon`` (given in ``time_unit``) in the model's time unit.

    Parameters
    ----------
    horizon : float
        Length of the horizon, > 0.
    time_unit : {"D", "W", "M", "Y"} or None
        Unit of ``horizon``; None means the model's own unit.
    model_unit : str or None
        Time unit of the data the model was fitted on (None if fitted on bare arrays
        without ``time_unit``).

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
    if not (
        isinstance(horizon, int | float | np.integer | np.floating)
        and math.isfinite(horizon)
        and horizon > 0
    ):
        raise ParameterError(f"horizon must be a positive number, got {horizon!r}")
    if time_unit is None:
        return float(horizon)
    if time_unit not in TIME_UNITS:
        raise ParameterError(f"time_unit must be one of {', '.join(TIME_UNITS)}, got {time_unit!r}")
    if model_unit is None:
        raise ParameterError(
            "the model was fitted on arrays without a time unit, so a horizon in "
            f"time_unit={time_unit!r} cannot be converted; fit it on the output of "
            "summarize() (which records its time unit) or pass fit(..., time_unit=...)"
        )
    return float(horizon) * TIME_UNITS[time_unit] / TIME_UNITS[model_unit]


def _discount_check(discount_rate) -> None:
    if not (isinstance(discount_rate, int | float) and 0 <= discount_rate < 1):
        raise ParameterError(
            f"discount_rate is an annual rate in [0, 1) (0.1 = 10 % a year), got {discount_rate!r}"
        )


class PurchaseModelMixin:
    """Fit and public predictions of a purchase model.

    The model implements ``_probability_alive(params, x, tx, T)``,
    ``_expected_given_alive(params, x, T, t)`` and ``_alive_pmf(params, x, T, t, n)``
    (P(X(t) = n | alive at T) for one count ``n``): given alive at T, every model's future
    is a fresh process with updated parameters, and P(alive) is computed once.
    """

    _columns = ("frequency", "recency", "T")

    def fit(
        self,
        customers: pd.DataFrame | None = None,
        *,
        frequency=None,
        recency=None,
        T=None,
        weights=None,
        time_unit: str | None = None,
    ):
        """Fit the model by maximum likelihood.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table (output of :func:`custanalytics.summarize`) with ``frequency``,
            ``recency`` and ``T``; its time unit (``attrs["time_unit"]``) becomes the
            model's.
        frequency, recency, T : array-like, optional
            The same as arrays, when no table is given.
        weights : array-like, optional
            Number of customers each row stands for.
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``recency`` and ``T`` when they are arrays (a table carries its own; a
            different value is an error). Without it the model has no unit: predictions
            then take arrays in the unit of ``T`` and refuse unit conversions.

        Returns
        -------
        self
            The fitted model.

        Raises
        ------
        DataError
            If inputs are missing, negative, not finite or inconsistent.
        ModelFitError
            If the data cannot identify the model: nobody bought twice, the estimates run
            to a boundary, or the likelihood is flat; the message says what to change and
            ``reason`` holds a code.
        """
        arrays = {"frequency": frequency, "recency": recency, "T": T}
        return self._fit(customers, arrays, weights, time_unit)

    def _validate(self, data: ModelInputs) -> None:
        """Check the BTYD inputs' consistency and that someone bought more than once."""
        _check_btyd(data)
        if not (data["frequency"] > 0).any():
            raise ModelFitError(
                f"{type(self).__name__} cannot be fitted: none of the "
                f"{int(data.weights.sum()):,} customers bought more than once, so repeat "
                "behaviour is unknown. Use a longer data window; a penalizer cannot fix this.",
                reason="no_repeat_buyers",
                values={"customers": int(data.weights.sum())},
            )

    # -- inputs at prediction time ------------------------------------------------------
    def _inputs(self, customers, frequency=None, recency=None, T=None) -> ModelInputs:
        """Prediction inputs over distinct rows, in the model's time unit.

        A table must carry the unit the model was fitted in; another unit is converted
        with a :class:`~custanalytics.CustAnalyticsWarning`. Arrays are taken in the
        model's own unit.
        """
        arrays = {"frequency": frequency, "recency": recency, "T": T}
        extra = self._covariate_columns(customers)
        data = model_inputs(customers, self._columns, arrays, extra=extra)
        _check_btyd(data)
        if customers is None:
            return data
        model_unit, unit = self.time_unit_, table_time_unit(customers)
        if unit == model_unit:
            return data
        name = type(self).__name__
        if unit is None:
            raise DataError(
                f"the customer table records no time unit (attrs['time_unit']), so its "
                f"recency and T cannot be checked against the unit {name} was fitted in "
                f"({model_unit!r}); pass the output of summarize(..., time_unit="
                f"{model_unit!r}), set table.attrs['time_unit'], or pass arrays in that unit"
            )
        if model_unit is None:
            raise ParameterError(
                f"{name} was fitted on arrays without a time unit, and this table is in "
                f"{unit!r}; refit with fit(..., time_unit=...) or pass arrays in the unit of "
                "the fit"
            )
        factor = unit_factor(unit, model_unit)
        warnings.warn(
            f"the customer table is in time unit {unit!r} but {name} was fitted in "
            f"{model_unit!r}: recency and T of its {data.n_customers:,} customers were "
            f"converted to {model_unit!r} (x {factor:.6g}); summarize with time_unit="
            f"{model_unit!r} to avoid this",
            CustAnalyticsWarning,
            stacklevel=3,
        )
        columns = dict(data.columns, recency=data["recency"] * factor, T=data["T"] * factor)
        return ModelInputs(columns, data.weights, data.inverse, data.index, model_unit)

    @staticmethod
    def _xs(data: ModelInputs):
        return data["frequency"], data["recency"], data["T"]

    def _expected_purchases(self, params, x, tx, T, t) -> np.ndarray:
        """E[X(T, T+t) | x, t_x, T] = P(alive) E[X(T, T+t) | alive]."""
        return self._expected_given_alive(params, x, T, t) * self._probability_alive(
            params, x, tx, T
        )

    def _purchase_pmf(self, params, x, tx, T, t, n: int, p_alive=None) -> np.ndarray:
        """P(X(T, T+t) = n | x, t_x, T): dead customers buy nothing."""
        if p_alive is None:
            p_alive = self._probability_alive(params, x, tx, T)
        value = p_alive * self._alive_pmf(params, x, T, t, n)
        return value + (1.0 - p_alive) if n == 0 else value

    def _covariate_columns(self, customers) -> dict | None:
        """Return the encoded covariates of the customers (models with covariates)."""
        return None

    def _rp(self, params, data: ModelInputs):
        """Return the parameters for each row of ``data`` (per-row with covariates)."""
        return params

    def _horizon(self, horizon, time_unit) -> float:
        return convert_horizon(horizon, time_unit, self.time_unit_)

    # -- predictions ------------------------------------------------------------------
    def probability_alive(
        self, customers: pd.DataFrame | None = None, *, frequency=None, recency=None, T=None
    ) -> pd.Series:
        """Predict the probability that each customer is still active at the end of the data.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency``, ``recency`` and ``T``, in the model's time
            unit (another unit is converted, with a warning).
        frequency, recency, T : array-like, optional
            The same as arrays, in the model's time unit.

        Returns
        -------
        pandas.Series
            ``p_alive`` aligned with the customers. BG/NBD gives 1 to customers without a
            repeat purchase.

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        DataError
            If the inputs are invalid or the table records no time unit.
        """
        params = self._check_fitted()
        data = self._inputs(customers, frequency, recency, T)
        values = self._probability_alive(self._rp(params, data), *self._xs(data))[data.inverse]
        return pd.Series(values, index=data.index, name="p_alive")

    def expected_purchases(
        self,
        customers: pd.DataFrame | None = None,
        horizon: float = 1.0,
        *,
        time_unit: str | None = None,
        frequency=None,
        recency=None,
        T=None,
    ) -> pd.Series:
        """Predict each customer's expected number of purchases in the next ``horizon``.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency``, ``recency`` and ``T``.
        horizon : float
            Length of the future period, in ``time_unit``.
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``horizon`` (default: the unit the model was fitted in).
        frequency, recency, T : array-like, optional
            The inputs as arrays, in the model's time unit.

        Returns
        -------
        pandas.Series
            ``expected_purchases`` aligned with the customers.

        See Also
        --------
        expected_purchases_uncertainty : the same with a band for the parameters' error.
        purchases_interval : a range for the number of purchases itself.
        """
        params = self._check_fitted()
        t = self._horizon(horizon, time_unit)
        data = self._inputs(customers, frequency, recency, T)
        values = self._expected_purchases(self._rp(params, data), *self._xs(data), t)
        values = values[data.inverse]
        return pd.Series(values, index=data.index, name="expected_purchases")

    def expected_purchases_uncertainty(
        self,
        customers: pd.DataFrame | None = None,
        horizon: float = 1.0,
        *,
        time_unit: str | None = None,
        level: float = 0.95,
        frequency=None,
        recency=None,
        T=None,
    ) -> pd.DataFrame:
        """Predict expected purchases with the uncertainty of that expectation (delta method).

        The band reflects only how precisely the model's parameters are estimated: it
        narrows as the data grow and says nothing about how many purchases a customer will
        actually make (for that, see :meth:`purchases_interval`).

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency``, ``recency`` and ``T``.
        horizon : float
            Length of the future period, in ``time_unit``.
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``horizon`` (default: the model's unit).
        level : float
            Confidence level of the band, e.g. 0.95.
        frequency, recency, T : array-like, optional
            The inputs as arrays, in the model's time unit.

        Returns
        -------
        pandas.DataFrame
            ``expected_purchases``, ``mean_lower``, ``mean_upper`` aligned with the
            customers.
        """
        self._check_fitted()
        t = self._horizon(horizon, time_unit)
        data = self._inputs(customers, frequency, recency, T)
        xs = self._xs(data)
        bounds = self._mean_uncertainty(
            lambda p: self._expected_purchases(self._rp(p, data), *xs, t), level
        )
        names = ("expected_purchases", "mean_lower", "mean_upper")
        return pd.DataFrame(
            {k: v[data.inverse] for k, v in zip(names, bounds, strict=True)}, index=data.index
        )

    def purchases_distribution(
        self,
        customers: pd.DataFrame | None = None,
        horizon: float = 1.0,
        *,
        time_unit: str | None = None,
        max_purchases: int = 10,
        frequency=None,
        recency=None,
        T=None,
    ) -> pd.DataFrame:
        """Predict P(X(t) = n | history): the distribution of each customer's purchases.

        Closed form (BG/NBD, MBG/NBD) or a one-dimensional Gauss-Legendre integral
        (Pareto/NBD) of the purchase count in the next ``horizon``, given the customer's
        frequency, recency and T.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency``, ``recency`` and ``T``.
        horizon : float
            Length of the future period, in ``time_unit``.
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``horizon`` (default: the model's unit).
        max_purchases : int
            Largest count given its own column.
        frequency, recency, T : array-like, optional
            The inputs as arrays, in the model's time unit.

        Returns
        -------
        pandas.DataFrame
            Columns ``0 .. max_purchases`` (probabilities) and ``more`` (probability of
            more than ``max_purchases``), aligned with the customers; each row sums to 1.
        """
        params = self._check_fitted()
        if not (isinstance(max_purchases, int | np.integer) and max_purchases >= 0):
            raise ParameterError(
                f"max_purchases must be a whole number >= 0, got {max_purchases!r}"
            )
        t = self._horizon(horizon, time_unit)
        data = self._inputs(customers, frequency, recency, T)
        xs, row_params = self._xs(data), self._rp(params, data)
        p_alive = self._probability_alive(row_params, *xs)
        columns, total = {}, np.zeros(len(xs[0]))
        for n in range(max_purchases + 1):
            columns[n] = self._purchase_pmf(row_params, *xs, t, n, p_alive)
            total += columns[n]
        columns["more"] = np.clip(1.0 - total, 0.0, 1.0)
        return pd.DataFrame({k: v[data.inverse] for k, v in columns.items()}, index=data.index)

    def purchases_interval(
        self,
        customers: pd.DataFrame | None = None,
        horizon: float = 1.0,
        *,
        time_unit: str | None = None,
        level: float = 0.8,
        frequency=None,
        recency=None,
        T=None,
    ) -> pd.DataFrame:
        """Predict a range for each customer's number of purchases in the next ``horizon``.

        ``lower`` is the smallest n with P(X <= n) >= (1 - level) / 2 and ``upper`` the
        smallest n with P(lower <= X <= n) >= ``level``: the equal-tailed interval, except
        that when ``lower`` is 0 (a customer likely to buy nothing, or to have dropped out)
        the whole tail left out is on the upper side. An equal-tailed interval would then
        hold at least (1 + level) / 2 of the probability (90 % for an "80 %" interval), as
        nothing can be cut below 0. Counts are whole numbers, so no interval holds exactly
        ``level``: ``upper`` is the bound whose interval holds the probability closest to
        it (slightly more or slightly less), so that across customers the share inside
        their intervals is close to ``level``, not systematically above it. Customers
        almost certain to buy nothing get [0, 0], which holds more than ``level``; their
        weight in a customer base sets how far coverage exceeds ``level``
        (``bench/RESULTS.md``). Parameters are taken as known: their estimation error is small
        next to a single customer's randomness (compare
        :meth:`expected_purchases_uncertainty`).

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency``, ``recency`` and ``T``.
        horizon : float
            Length of the future period, in ``time_unit``.
        time_unit : {"D", "W", "M", "Y"}, optional
            Unit of ``horizon`` (default: the model's unit).
        level : float
            Probability the interval is to hold, e.g. 0.8.
        frequency, recency, T : array-like, optional
            The inputs as arrays, in the model's time unit.

        Returns
        -------
        pandas.DataFrame
            ``expected_purchases`` (float), ``lower`` and ``upper`` (whole numbers) aligned
            with the customers.
        """
        params = self._check_fitted()
        _check_level(level)
        t = self._horizon(horizon, time_unit)
        data = self._inputs(customers, frequency, recency, T)
        xs, row_params = self._xs(data), self._rp(params, data)
        pmf = self._pmf_table(row_params, xs, t, (1 + level) / 2)
        lower, upper = _count_interval(np.cumsum(pmf, axis=0), level)
        expected = self._expected_purchases(row_params, *xs, t)
        return pd.DataFrame(
            {
                "expected_purchases": expected[data.inverse],
                "lower": lower[data.inverse],
                "upper": upper[data.inverse],
            },
            index=data.index,
        )

    def _pmf_table(self, params, xs, t, coverage: float) -> np.ndarray:
        """P(X = n) for n = 0, 1, ... until every row holds ``coverage`` (shape (n, rows))."""
        rows = len(xs[0])
        out, cdf = [], np.zeros(rows)
        active = np.arange(rows)
        p_alive = self._probability_alive(params, *xs)
        target = coverage
        for n in range(_PMF_MAX_COUNT):
            column = np.zeros(rows)
            sub = tuple(v[active] for v in xs)
            prm = tuple(p[active] if np.ndim(p) else p for p in params)
            column[active] = self._purchase_pmf(prm, *sub, t, n, p_alive[active])
            out.append(column)
            cdf[active] += column[active]
            active = active[cdf[active] < target - 1e-12]
            if active.size == 0:
                break
        return np.vstack(out)

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
        t = self._horizon(horizon, time_unit)
        return float(self._expected_purchases_new(params, t))

    # -- lifetime value -----------------------------------------------------------------
    def _clv_setup(self, customers, spend, horizon, time_unit, discount_rate):
        self._check_fitted()
        _discount_check(discount_rate)
        if self.time_unit_ is None:
            raise ParameterError(
                f"{type(self).__name__} was fitted on arrays without a time unit, so a CLV "
                "horizon cannot be laid out in months; fit it on the output of summarize() "
                "or pass fit(..., time_unit=...)"
            )
        months = convert_horizon(horizon, time_unit, "M")
        model_months = convert_horizon(1.0, "M", self.time_unit_)
        data = self._inputs(customers)
        if isinstance(spend, int | float | np.integer | np.floating):
            spend_values = np.full(data.n_customers, float(spend))
        else:
            spend_values = pd.Series(spend).reindex(data.index).to_numpy(dtype="float64")
            missing = ~np.isfinite(spend_values)
            if missing.any():
                example = data.index[np.flatnonzero(missing)[0]]
                raise DataError(
                    f"spend: {int(missing.sum()):,} customer(s) have no finite spend per "
                    f"purchase, e.g. customer {example!r}; pass a Series indexed like the "
                    "customer table (e.g. GammaGammaModel.expected_spend) or one number"
                )
        edges = np.append(np.arange(1, math.ceil(months)), months)
        xs = self._xs(data)

        def discounted_purchases(p: np.ndarray) -> np.ndarray:
            value, previous = 0.0, 0.0
            row_params = self._rp(p, data)
            x, _, T = xs
            for k, edge in enumerate(edges, start=1):
                cumulative = self._expected_given_alive(row_params, x, T, edge * model_months)
                value = value + (cumulative - previous) / (1 + discount_rate) ** (k / 12)
                previous = cumulative
            return value * self._probability_alive(row_params, *xs)

        return data, spend_values, discounted_purchases, months * model_months

    def customer_lifetime_value(
        self,
        customers: pd.DataFrame,
        spend: pd.Series | float,
        *,
        horizon: float,
        time_unit: str,
        discount_rate: float,
    ) -> pd.Series:
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

        Returns
        -------
        pandas.Series
            ``clv`` aligned with the customers.

        Raises
        ------
        ParameterError
            If the discount rate is not an annual rate in [0, 1), the units are invalid, or
            the model has no time unit.
        DataError
            If a customer has no finite spend.
        """
        data, spend_values, discounted, _ = self._clv_setup(
            customers, spend, horizon, time_unit, discount_rate
        )
        values = discounted(self.params_.to_numpy())[data.inverse] * spend_values
        return pd.Series(values, index=data.index, name="clv")

    def customer_lifetime_value_uncertainty(
        self,
        customers: pd.DataFrame,
        spend: pd.Series | float,
        *,
        horizon: float,
        time_unit: str,
        discount_rate: float,
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Predict CLV with the uncertainty of that expectation from the model's parameters.

        A delta-method band of the *expected* value (see
        :meth:`expected_purchases_uncertainty`); for a range of what a customer may be
        worth, see :meth:`customer_lifetime_value_interval`.

        Parameters
        ----------
        customers, spend, horizon, time_unit, discount_rate
            As for :meth:`customer_lifetime_value`.
        level : float
            Confidence level of the band, e.g. 0.95.

        Returns
        -------
        pandas.DataFrame
            ``clv``, ``mean_lower``, ``mean_upper`` aligned with the customers.
        """
        data, spend_values, discounted, _ = self._clv_setup(
            customers, spend, horizon, time_unit, discount_rate
        )
        bounds = self._mean_uncertainty(discounted, level)
        names = ("clv", "mean_lower", "mean_upper")
        return pd.DataFrame(
            {k: b[data.inverse] * spend_values for k, b in zip(names, bounds, strict=True)},
            index=data.index,
        )

    def customer_lifetime_value_interval(
        self,
        customers: pd.DataFrame,
        spend,
        *,
        horizon: float,
        time_unit: str,
        discount_rate: float,
        level: float = 0.8,
    ) -> pd.DataFrame:
        """Predict a range for each customer's value over the horizon.

        The value is the spend of the purchases the customer will make, discounted. Its
        distribution mixes the predictive distribution of the number of purchases N over
        the horizon (:meth:`purchases_distribution`) with the spread of what those
        purchases will be worth:

        - ``spend`` a fitted :class:`GammaGammaModel`: given the customer's history, the
          total of n purchases is ``scale * B`` with B beta-prime (n p, q + p x) (see
          :meth:`GammaGammaModel.spend_posterior`), so the value is 0 with probability
          P(N = 0) and otherwise a mixture of scaled beta-prime variables, whose quantiles
          are found by bisection;
        - ``spend`` a Series or a number: the spend per purchase is taken as known, and the
          range is that of N times the spend.

        Discounting is applied as the customer's ratio of discounted to undiscounted
        expected purchases (exact without discounting). The bounds follow the rule of
        :meth:`purchases_interval`: equal tails, except that when P(N = 0) is at least
        (1 - level) / 2 the range starts at 0 and the tail left out is all above it.
        Parameters are taken as known.

        Parameters
        ----------
        customers : pandas.DataFrame
            Summary table with ``frequency``, ``recency``, ``T`` (and ``monetary_value``
            when ``spend`` is a Gamma-Gamma model).
        spend : GammaGammaModel, pandas.Series or float
            Fitted spend model, or spend per purchase per customer, or one value.
        horizon, time_unit, discount_rate
            As for :meth:`customer_lifetime_value`.
        level : float
            Probability the range is to hold, e.g. 0.8.

        Returns
        -------
        pandas.DataFrame
            ``clv`` (the expected value, as :meth:`customer_lifetime_value`), ``lower`` and
            ``upper`` aligned with the customers.
        """
        _check_level(level)
        spend_model = spend if hasattr(spend, "spend_posterior") else None
        if spend_model is not None:
            spend = spend_model.expected_spend(customers)
        data, spend_values, discounted, t_total = self._clv_setup(
            customers, spend, horizon, time_unit, discount_rate
        )
        params = self.params_.to_numpy()
        xs, row_params = self._xs(data), self._rp(params, data)
        value_rows = discounted(params)
        expected_rows = self._expected_purchases(row_params, *xs, t_total)
        factor = np.where(expected_rows > 0, value_rows / np.maximum(expected_rows, 1e-300), 1.0)
        clv = value_rows[data.inverse] * spend_values
        if spend_model is None:
            pmf = self._pmf_table(row_params, xs, t_total, (1 + level) / 2)
            lower, upper = _count_interval(np.cumsum(pmf, axis=0), level)
            per_purchase = factor[data.inverse] * spend_values
            bounds = lower[data.inverse] * per_purchase, upper[data.inverse] * per_purchase
        else:
            posterior = spend_model.spend_posterior(customers).reindex(data.index)
            pmf = self._pmf_table(row_params, xs, t_total, 1.0 - _PMF_TAIL)
            bounds = _compound_interval(pmf, data.inverse, factor, posterior, level)
        return pd.DataFrame({"clv": clv, "lower": bounds[0], "upper": bounds[1]}, index=data.index)


def _first_at_least(cdf: np.ndarray, q) -> np.ndarray:
    """Per column, the first row index where ``cdf`` reaches ``q`` (last row if never)."""
    reached = cdf >= np.asarray(q) - 1e-12
    return np.where(reached.any(axis=0), reached.argmax(axis=0), cdf.shape[0] - 1)


def _count_interval(cdf: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of a predictive interval from per-column CDFs of counts."""
    columns = np.arange(cdf.shape[1])
    lower = _first_at_least(cdf, (1 - level) / 2)
    below = np.where(lower > 0, cdf[np.maximum(lower - 1, 0), columns], 0.0)
    upper = _first_at_least(cdf, below + level)  # the first bound holding at least `level`
    # one count less if that holds a probability closer to `level`
    shorter = np.maximum(upper - 1, lower)
    held, held_shorter = cdf[upper, columns] - below, cdf[shorter, columns] - below
    closer = (shorter < upper) & (np.abs(held_shorter - level) < np.abs(held - level))
    return lower, np.where(closer, shorter, upper)


def _check_btyd(data: ModelInputs) -> None:
    """Raise DataError unless every row is a possible (frequency, recency, T) summary."""
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


def _compound_interval(pmf, inverse, factor, posterior, level):
    """Bounds of ``factor * scale * sum of N beta-prime parts`` per customer (see above).

    Customers are merged when they share the purchase row and the spend posterior, sorted
    by expected count so that blocks need few counts, and only those whose range is not
    [0, 0] are solved, by bisection on the log scale inside a bracket from the first two
    moments (Cantelli's inequality bounds the upper quantile).
    """
    p = posterior["p"].to_numpy()
    shape = posterior["shape"].to_numpy()
    scale = posterior["scale"].to_numpy()
    codes, n_groups = _row_codes([inverse.astype("float64"), shape, scale])
    first = np.zeros(n_groups, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # one customer per distinct group
    rows, g_p, g_shape = inverse[first], p[first], shape[first]
    g_unit = factor[rows] * scale[first]  # value per unit of the beta-prime variable
    counts = np.arange(pmf.shape[0], dtype="float64")
    alpha = (1 - level) / 2
    at_zero = pmf[0, rows]
    starts_at_zero = at_zero >= alpha - 1e-12
    targets = (
        np.where(starts_at_zero, np.nan, alpha),
        np.where(starts_at_zero, level, 1 - alpha),
    )
    bounds = [np.zeros(n_groups), np.zeros(n_groups)]
    solve = np.flatnonzero(targets[1] > at_zero + 1e-12)
    # counts each purchase row needs (probability above _MIX_MIN): blocks of customers
    # needing as many, each at most _CLV_BLOCK cells
    significant = pmf > _MIX_MIN
    needed = pmf.shape[0] - np.argmax(significant[::-1], axis=0)
    blocks = []
    for width in np.unique(needed[rows[solve]]):
        same = solve[needed[rows[solve]] == width]
        step = max(1, _CLV_BLOCK // int(width))
        blocks += [(int(width), same[i : i + step]) for i in range(0, same.size, step)]
    for width, group in blocks:
        weights, n = pmf[:width, rows[group]], counts[:width]
        a = n[:, None] * g_p[group][None, :]
        b = g_shape[group][None, :]
        # first two moments of the beta-prime mixture, for the bracket
        mean = (weights * a / (b - 1)).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            second = (weights * a * (a + 1) / ((b - 1) * (b - 2))).sum(axis=0)
            spread = np.sqrt(np.maximum(second - mean**2, 0.0))
        tail = np.where(starts_at_zero[group], 1 - level, alpha)
        top = mean + spread * np.sqrt(1 / tail)  # Cantelli: P(X > top) <= tail
        top = np.where(np.isfinite(top) & (g_shape[group] > 2), top, mean * 1e12)
        log_top = np.log(np.maximum(top, 1e-300)) + 0.1
        log_bottom = np.log(np.maximum(mean, 1e-300)) - np.log(1e9)
        zero = weights[0]
        parts, shapes_a = weights[1:], a[1:]
        shapes_b = np.broadcast_to(b, shapes_a.shape)
        log_norm = np.log(np.maximum(parts, 1e-300)) - betaln(shapes_a, shapes_b)

        def cdf(log_y, parts=parts, shapes_a=shapes_a, shapes_b=shapes_b, zero=zero):
            y = np.exp(log_y)[None, :]
            return zero + (parts * betainc(shapes_a, shapes_b, y / (1.0 + y))).sum(axis=0)

        def slope(log_y, shapes_a=shapes_a, shapes_b=shapes_b, log_norm=log_norm):
            # d cdf / d log y = y f(y), f the beta-prime mixture density
            log_y = log_y[None, :]
            log_terms = log_norm + shapes_a * log_y - (shapes_a + shapes_b) * np.logaddexp(0, log_y)
            return np.exp(log_terms).sum(axis=0)

        for target, out in zip(targets, bounds, strict=True):
            wanted = target[group]
            need = np.isfinite(wanted) & (wanted > zero + 1e-12)
            lo, hi = log_bottom.copy(), log_top.copy()
            for _ in range(_BISECTION_STEPS):  # a coarse bracket
                mid = (lo + hi) / 2
                below = cdf(mid) < wanted
                lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
            guess = (lo + hi) / 2
            for _ in range(_NEWTON_STEPS):  # then Newton steps, kept inside the bracket
                gap = cdf(guess) - wanted
                lo, hi = np.where(gap < 0, guess, lo), np.where(gap < 0, hi, guess)
                with np.errstate(divide="ignore", invalid="ignore"):
                    step = guess - gap / slope(guess)
                inside = np.isfinite(step) & (step >= lo) & (step <= hi)  # a root: step = guess
                guess = np.where(inside, step, (lo + hi) / 2)
            out[group] = np.where(need, np.exp(guess), 0.0) * g_unit[group]
    return bounds[0][codes], bounds[1][codes]
