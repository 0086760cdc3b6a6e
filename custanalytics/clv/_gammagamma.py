"""Gamma-Gamma (Fader & Hardie 2013): spend per purchase, shrunk towards the population mean."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import gammaln, psi

from ..errors import CustAnalyticsWarning, DataError, ModelFitError
from ._base import LikelihoodModel
from ._inputs import ModelInputs, model_inputs

__all__ = ["GammaGammaModel"]

#: Fewest customers with a repeat purchase and positive spend that a fit accepts.
MIN_CUSTOMERS = 10
#: |Pearson correlation| between frequency and spend above which fit() warns.
CORRELATION_WARNING = 0.3

NO_REPEAT = "no repeat purchase"
NON_POSITIVE = "zero or negative spend"


class GammaGammaModel(LikelihoodModel):
    """Gamma-Gamma model of the mean spend per purchase.

    A customer's purchases are worth z ~ Gamma(p, nu) each, and nu varies across customers
    as Gamma(q, gamma). Only the mean of a customer's x repeat purchases, ``monetary_value``,
    is needed. The expected spend of a customer is a weighted average of the population mean
    ``p * gamma / (q - 1)`` and their own mean; the more purchases, the more weight on their own
    mean. The model assumes spend is independent of purchase frequency (checked by ``fit``).

    Parameters
    ----------
    penalizer : float
        L2 penalty on the parameters (see :class:`LikelihoodModel`); 0 gives the MLE.
    max_iter : int
        Maximum optimiser iterations per start.
    tol : float
        Convergence tolerance.

    Attributes
    ----------
    params_ : pandas.Series
        ``p``, ``q``, ``gamma`` (``gamma`` is lifetimes' ``v``).
    standard_errors_, confidence_intervals_, covariance_
        Uncertainty of the estimates (observed information).
    summary_ : pandas.DataFrame
        Estimates, standard errors and 95 % intervals.
    log_likelihood_ : float
        Total log-likelihood over the customers used.
    n_customers_ : int
        Customers used in the fit (a repeat purchase and positive mean spend).
    excluded_ : dict of str to int
        Customers left out of the fit, by reason: ``"no repeat purchase"`` (frequency 0) and
        ``"zero or negative spend"`` (a repeat purchase but mean spend <= 0, e.g. returns).
    frequency_spend_correlation_ : float
        Pearson correlation between frequency and monetary value over the customers used;
        NaN if either is constant.

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2013), "The Gamma-Gamma Model of Monetary Value",
    http://brucehardie.com/notes/025/.

    Examples
    --------
    >>> spend = GammaGammaModel().fit(summary)  # doctest: +SKIP
    >>> spend.expected_spend(summary)           # doctest: +SKIP
    """

    _param_names = ("p", "q", "gamma")
    _columns = ("frequency", "monetary_value")
    _shape_params = ("p", "q")
    _timed = False

    def fit(
        self,
        customers: pd.DataFrame | None = None,
        *,
        frequency=None,
        monetary_value=None,
        weights=None,
    ) -> GammaGammaModel:
        """Fit the model by maximum likelihood on the repeat buyers with positive spend.

        Customers without a repeat purchase carry no information on spend per purchase, and
        a zero or negative mean spend (returns, credits) lies outside the model; both are left
        out and counted in ``excluded_``.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency`` (number of repeat purchases) and
            ``monetary_value`` (mean spend of the repeat purchases), e.g. the output of
            :func:`custanalytics.summarize`.
        frequency, monetary_value : array-like, optional
            The same as arrays, when no table is given.
        weights : array-like, optional
            Number of customers each row stands for.

        Returns
        -------
        GammaGammaModel
            The fitted model.

        Raises
        ------
        DataError
            If inputs are missing or not finite, or a frequency is negative.
        ModelFitError
            If the data cannot identify the model: fewer than 10 usable customers
            (``reason="too_few_customers"``), estimates at a boundary or a flat likelihood,
            or a fitted q <= 1, for which the mean spend is not defined
            (``reason="no_finite_mean"``); the message says what to change, e.g. a
            penalizer, or :func:`spend_per_purchase` to fall back to the observed spend.

        Warns
        -----
        CustAnalyticsWarning
            If the absolute correlation between frequency and spend exceeds 0.3.
        """
        arrays = {"frequency": frequency, "monetary_value": monetary_value}
        self._fit(customers, arrays, weights)
        self.excluded_, corr = self._exclusions
        self.frequency_spend_correlation_ = corr
        if abs(corr) > CORRELATION_WARNING:
            warnings.warn(
                f"frequency and monetary_value are correlated (Pearson r = {corr:.2f} over "
                f"{self.n_customers_:,} repeat buyers): the Gamma-Gamma model assumes spend per "
                "purchase is independent of purchase frequency, so its expected spend (and any "
                "CLV built on it) is biased; segment the customers or use the observed spend",
                CustAnalyticsWarning,
                stacklevel=2,
            )
        return self

    def _collect(self, customers, arrays, weights, time_unit) -> ModelInputs:
        x, m, _ = _spend_columns(customers, arrays["frequency"], arrays["monetary_value"])
        w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype="float64").ravel()
        if len(w) != len(x) or not np.isfinite(w).all() or (w <= 0).any():
            raise DataError("weights must be positive finite numbers, one per customer")
        no_repeat = x == 0
        non_positive = ~no_repeat & (m <= 0)
        excluded = {
            NO_REPEAT: int(round(w[no_repeat].sum())),
            NON_POSITIVE: int(round(w[non_positive].sum())),
        }
        keep = ~(no_repeat | non_positive)
        usable = float(w[keep].sum())
        if usable < MIN_CUSTOMERS:
            raise ModelFitError(
                f"only {usable:g} customer(s) can be used to fit the Gamma-Gamma model, which "
                f"needs at least {MIN_CUSTOMERS} with a repeat purchase (frequency > 0) and a "
                f"positive monetary_value; excluded: {_describe(excluded) or 'none'}. Use a "
                "longer data window, or the observed spend (spend_per_purchase falls back to it)",
                reason="too_few_customers",
                values={"usable": usable, "minimum": MIN_CUSTOMERS, **excluded},
            )
        self._exclusions = (
            excluded,
            _weighted_correlation(x[keep], m[keep], w[keep]),
        )
        return model_inputs(
            None,
            self._columns,
            {"frequency": x[keep], "monetary_value": m[keep]},
            weights=w[keep],
        )

    def _check_estimates(self, params: pd.Series) -> None:
        if params["q"] <= 1:
            raise ModelFitError(
                f"the fitted Gamma-Gamma q = {params['q']:.3g} is <= 1: the spend distribution "
                "has no finite mean, so no expected spend can be given. Check the data for "
                "extreme spend values, try a penalizer (e.g. penalizer=0.01), or use the "
                "observed spend (spend_per_purchase falls back to it)",
                reason="no_finite_mean",
                values={k: float(f"{v:.6g}") for k, v in params.items()},
            )

    # -- likelihood -------------------------------------------------------------------
    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        mean = float(np.average(data["monetary_value"], weights=data.weights))
        return np.array([1.0, 2.0, max(mean, 1e-6)])

    @staticmethod
    def _constants(data: ModelInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Parameter-free per-row terms: log m, log x and x m (computed once per fit)."""
        x, m = data["frequency"], data["monetary_value"]
        return data.cached("gg", lambda: (np.log(m), np.log(x), x * m))

    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        return self._log_likelihood_and_gradient(params, data)[0]

    def _gradient(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        return self._log_likelihood_and_gradient(params, data)[1]

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        p, q, gamma = params
        log_m, log_x, xm = self._constants(data)
        xv, xc = data.levels("frequency")
        pxv = p * xv
        px = pxv[xc]
        log_total = np.log(xm + gamma)
        ll = (
            (gammaln(pxv + q) - gammaln(pxv) - gammaln(q) + q * np.log(gamma))[xc]
            + (px - 1) * log_m
            + px * log_x
            - (px + q) * log_total
        )
        psi_pxq = psi(pxv + q)
        x = xv[xc]
        d_p = x * ((psi_pxq - psi(pxv))[xc] + log_m + log_x - log_total)
        d_q = (psi_pxq - psi(q) + np.log(gamma))[xc] - log_total
        d_gamma = q / gamma - (px + q) / (xm + gamma)
        return ll, np.vstack([d_p, d_q, d_gamma])

    # -- predictions ------------------------------------------------------------------
    @staticmethod
    def _expected_spend(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
        p, q, gamma = params
        return p * (gamma + x * m) / (p * x + q - 1)

    def _spend_inputs(self, customers, frequency, monetary_value):
        params = self._check_fitted()
        self._check_estimates(self.params_)
        x, m, index = _spend_columns(customers, frequency, monetary_value)
        return params, x, np.where(x > 0, np.maximum(m, 0.0), 0.0), index

    def expected_spend(
        self,
        customers: pd.DataFrame | None = None,
        *,
        frequency=None,
        monetary_value=None,
    ) -> pd.Series:
        """Predict each customer's expected spend per future purchase.

        This is E(M | p, q, gamma, m_x, x) = p (gamma + x m_x) / (p x + q - 1) (Fader & Hardie
        2013, eq. 5; lifetimes' ``conditional_expected_average_profit``): a weighted average
        of the population mean ``p gamma / (q - 1)`` and the customer's own mean spend, with
        weight ``p x / (p x + q - 1)`` on the latter. Customers without a repeat purchase get
        the population mean; a zero or negative mean spend counts as 0 (the estimate is then
        pulled towards 0 by the customer's purchases).

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency`` and ``monetary_value``.
        frequency, monetary_value : array-like, optional
            The same as arrays.

        Returns
        -------
        pandas.Series
            ``expected_spend`` aligned with the customers (every customer, including
            one-time buyers).

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        DataError
            If a column is missing, a frequency is negative, or a value is not finite.
        ModelFitError
            If q <= 1 (parameters set by hand), so that the mean spend is not defined.
        """
        params, x, m, index = self._spend_inputs(customers, frequency, monetary_value)
        return pd.Series(self._expected_spend(params, x, m), index=index, name="expected_spend")

    def expected_spend_uncertainty(
        self,
        customers: pd.DataFrame | None = None,
        *,
        level: float = 0.95,
        frequency=None,
        monetary_value=None,
    ) -> pd.DataFrame:
        """Predict expected spend with the uncertainty of that expectation (delta method).

        The band reflects only how precisely p, q and gamma are estimated, not the spread of
        a customer's future purchases (see :meth:`spend_posterior`).

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency`` and ``monetary_value``.
        level : float
            Confidence level, e.g. 0.95.
        frequency, monetary_value : array-like, optional
            The same as arrays.

        Returns
        -------
        pandas.DataFrame
            ``expected_spend``, ``mean_lower``, ``mean_upper`` aligned with the customers.
        """
        params, x, m, index = self._spend_inputs(customers, frequency, monetary_value)
        point, lower, upper = self._mean_uncertainty(
            lambda prm: self._expected_spend(prm, x, m), level
        )
        return pd.DataFrame(
            {"expected_spend": point, "mean_lower": lower, "mean_upper": upper}, index=index
        )

    def spend_posterior(
        self, customers: pd.DataFrame | None = None, *, frequency=None, monetary_value=None
    ) -> pd.DataFrame:
        """Return each customer's posterior of the spend scale (their next purchases' worth).

        A purchase is worth z ~ Gamma(p, nu) and, given the customer's x repeat purchases
        with mean m_x, nu ~ Gamma(q + p x, gamma + x m_x). The total of n future purchases is
        then ``scale * B`` with B beta-prime distributed with shapes ``(n p, shape)``.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Summary table with ``frequency`` and ``monetary_value``.
        frequency, monetary_value : array-like, optional
            The same as arrays.

        Returns
        -------
        pandas.DataFrame
            ``p`` (shape of one purchase), ``shape`` (q + p x) and ``scale``
            (gamma + x m_x), aligned with the customers.
        """
        params, x, m, index = self._spend_inputs(customers, frequency, monetary_value)
        p, q, gamma = params
        return pd.DataFrame(
            {"p": np.full(len(x), p), "shape": q + p * x, "scale": gamma + x * m}, index=index
        )

    @property
    def population_mean_spend(self) -> float:
        """Mean spend per purchase in the population, ``p * gamma / (q - 1)``.

        Returns
        -------
        float
            The mean (infinite when q <= 1).
        """
        p, q, gamma = self._check_fitted()
        return float(p * gamma / (q - 1)) if q > 1 else float("inf")

    # -- reporting --------------------------------------------------------------------
    def __repr__(self) -> str:
        text = super().__repr__()
        if not hasattr(self, "params_"):
            return text
        excluded = _describe(getattr(self, "excluded_", {}))
        return f"{text[:-1]}; excluded {excluded})" if excluded else text


def _describe(excluded: dict[str, int]) -> str:
    """``"1,411 no repeat purchase, 3 zero or negative spend"`` (non-zero counts only)."""
    return ", ".join(f"{count:,} {reason}" for reason, count in excluded.items() if count)


def _spend_columns(
    customers: pd.DataFrame | None, frequency, monetary_value
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Extract and validate ``frequency`` and ``monetary_value``.

    Negative and zero spend pass (they are excluded from the fit, not errors), and so does a
    missing spend for customers without a repeat purchase.
    """
    names = ("frequency", "monetary_value")
    if customers is not None:
        missing = [c for c in names if c not in customers.columns]
        if missing:
            raise DataError(
                f"column '{missing[0]}' is missing from the customer table (it has "
                f"{', '.join(map(str, customers.columns))}); pass the output of "
                "custanalytics.summarize()"
            )
        x = customers["frequency"].to_numpy(dtype="float64")
        m = customers["monetary_value"].to_numpy(dtype="float64")
        index = customers.index
    else:
        if frequency is None or monetary_value is None:
            absent = "frequency" if frequency is None else "monetary_value"
            raise DataError(
                f"pass a customer table or the arrays frequency, monetary_value; "
                f"'{absent}' is missing"
            )
        x = np.asarray(frequency, dtype="float64").ravel()
        m = np.asarray(monetary_value, dtype="float64").ravel()
        if len(m) != len(x):
            raise DataError(f"'monetary_value' has {len(m)} values, expected {len(x)}")
        index = pd.RangeIndex(len(x))
    if len(x) == 0:
        raise DataError("the customer table is empty: there is nothing to fit or predict")
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        raise DataError(
            f"column 'frequency': {int(bad.sum()):,} value(s) are negative, missing or "
            f"infinite, e.g. {x[bad][0]!r}; frequency counts repeat purchases and must be >= 0"
        )
    bad = ~np.isfinite(m) & (x > 0)
    if bad.any():
        raise DataError(
            f"column 'monetary_value': {int(bad.sum()):,} value(s) of repeat buyers are "
            f"missing or infinite, e.g. {m[bad][0]!r}; it must be the mean spend of the repeat "
            "purchases"
        )
    return x, m, index


def _weighted_correlation(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> float:
    """Pearson correlation of ``a`` and ``b`` with case weights ``w``; NaN if one is constant."""
    da = a - np.average(a, weights=w)
    db = b - np.average(b, weights=w)
    denominator = np.sqrt((w @ da**2) * (w @ db**2))
    return float((w @ (da * db)) / denominator) if denominator > 0 else float("nan")
