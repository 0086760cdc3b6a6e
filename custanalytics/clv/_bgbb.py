"""BG/BB (Fader, Hardie & Shang 2010): repeat purchasing at discrete transaction opportunities."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln, psi

from ..errors import DataError, ModelFitError, ParameterError
from ._base import LikelihoodModel
from ._inputs import ModelInputs, model_inputs

__all__ = ["BetaGeoBetaBinomModel"]

#: Cells of the (rows x dropout periods) matrix evaluated at once; bounds memory use.
_BLOCK_CELLS = 1 << 21


class BetaGeoBetaBinomModel(LikelihoodModel):
    """BG/BB model of repeat purchasing at discrete transaction opportunities.

    At each of n opportunities (yearly fund-raising campaigns, weekly issues, ...) a customer
    who is alive buys with probability p ~ Beta(alpha, beta); before each opportunity after
    the first they drop out for good with probability theta ~ Beta(gamma, delta). A customer
    is described by ``frequency`` x (opportunities with a purchase, the first one excluded),
    ``recency`` t_x (the opportunity of the last purchase, 0 if none) and ``n_periods`` n.

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
        ``alpha``, ``beta``, ``gamma``, ``delta``.
    standard_errors_, confidence_intervals_, covariance_
        Uncertainty of the estimates (observed information).
    log_likelihood_ : float
        Total log-likelihood over customers.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Shang, J. (2010), "Customer-Base Analysis in a
    Discrete-Time Noncontractual Setting", Marketing Science 29 (6), 1086-1108.

    Examples
    --------
    >>> model = BetaGeoBetaBinomModel().fit(donations)  # doctest: +SKIP
    >>> model.expected_purchases(donations, horizon=5)  # doctest: +SKIP
    """

    _param_names = ("alpha", "beta", "gamma", "delta")
    _columns = ("frequency", "recency", "n_periods")
    _shape_params = ("alpha", "beta", "gamma", "delta")
    _timed = False

    def fit(
        self,
        customers: pd.DataFrame | None = None,
        *,
        frequency=None,
        recency=None,
        n_periods=None,
        weights=None,
    ) -> BetaGeoBetaBinomModel:
        """Fit the model by maximum likelihood.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Table with integer columns ``frequency``, ``recency`` and ``n_periods``, one row
            per customer or per purchase pattern; a ``weights`` column (customers per row) is
            used when ``weights`` is not given.
        frequency, recency, n_periods : array-like, optional
            The same as arrays, when no table is given.
        weights : array-like, optional
            Number of customers each row stands for.

        Returns
        -------
        BetaGeoBetaBinomModel
            The fitted model.

        Raises
        ------
        DataError
            If inputs are missing, negative, not whole numbers, or inconsistent
            (``frequency <= recency <= n_periods``, and recency 0 without repeat purchases).
        ModelFitError
            If no row has a repeat purchase, or the optimiser does not converge; the message
            suggests what to change.
        """
        if weights is None and customers is not None and "weights" in customers.columns:
            weights = customers["weights"].to_numpy(dtype="float64")
        arrays = {"frequency": frequency, "recency": recency, "n_periods": n_periods}
        return self._fit(customers, arrays, weights)

    def _collect(self, customers, arrays, weights, time_unit) -> ModelInputs:
        return self._inputs(
            customers, arrays["frequency"], arrays["recency"], arrays["n_periods"], weights=weights
        )

    def _inputs(self, customers, frequency, recency, n_periods, *, weights=None, compress=True):
        data = model_inputs(
            customers,
            self._columns,
            {"frequency": frequency, "recency": recency, "n_periods": n_periods},
            weights=weights,
            compress=compress,
        )
        _check_patterns(data)
        return data

    def _validate(self, data: ModelInputs) -> None:
        if not (data["frequency"] > 0).any():
            raise ModelFitError(
                f"{type(self).__name__}: none of the {data.n_customers:,} rows has a repeat "
                "purchase (frequency > 0), so purchase and dropout probabilities cannot be "
                "told apart; use a longer window or more customers",
                reason="no_repeat_buyers",
                values={"customers": data.n_customers},
            )

    # -- likelihood -------------------------------------------------------------------
    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        return np.ones(4)

    @staticmethod
    def _parts(params, x, tx, n, gradient: bool = False):
        """Log of the 'alive throughout' and 'dropped out' parts of the likelihood.

        Returns ``(log_alive, log_dropout)`` and, with ``gradient``, their gradients with
        respect to the parameters, each of shape (4, rows). The dropout part sums over the
        n - t_x periods after the last purchase in which the customer may have dropped out;
        rows are padded to the longest such run and processed in blocks.
        """
        alpha, beta, gamma, delta = params
        base = betaln(alpha, beta) + betaln(gamma, delta)
        log_alive = betaln(alpha + x, beta + n - x) + betaln(gamma, delta + n) - base
        span = n - tx
        width = max(int(span.max(initial=0)), 1)
        log_dropout = np.empty(len(x))
        sums = np.empty((4, len(x))) if gradient else None
        step = max(1, _BLOCK_CELLS // width)
        j = np.arange(width)
        for start in range(0, len(x), step):
            rows = slice(start, start + step)
            xb, txb = x[rows, None], tx[rows, None]
            valid = j < span[rows, None]
            after = txb + j  # opportunities before the dropout, shape (rows, width)
            terms = betaln(alpha + xb, beta + after - xb) + betaln(gamma + 1, delta + after)
            terms = np.where(valid, terms, -np.inf)
            top = terms.max(axis=1)
            top = np.where(np.isfinite(top), top, 0.0)
            scaled = np.exp(terms - top[:, None])
            total = scaled.sum(axis=1)
            with np.errstate(divide="ignore"):  # no dropout period when t_x = n
                log_dropout[rows] = np.log(total) + top - base
            if gradient:
                share = scaled / np.where(total > 0, total, 1.0)[:, None]
                ab = psi(alpha + beta + after)
                gd = psi(gamma + delta + 1 + after)
                sums[0, rows] = -(share * ab).sum(axis=1)
                sums[1, rows] = (share * (psi(beta + after - xb) - ab)).sum(axis=1)
                sums[2, rows] = -(share * gd).sum(axis=1)
                sums[3, rows] = (share * (psi(delta + after) - gd)).sum(axis=1)
        if not gradient:
            return log_alive, log_dropout
        d_base_ab = psi(alpha + beta)
        d_base_gd = psi(gamma + delta)
        d_alive = np.vstack(
            [
                psi(alpha + x) - psi(alpha + beta + n) - psi(alpha) + d_base_ab,
                psi(beta + n - x) - psi(alpha + beta + n) - psi(beta) + d_base_ab,
                d_base_gd - psi(gamma + delta + n) + np.zeros_like(x),
                psi(delta + n) - psi(gamma + delta + n) - psi(delta) + d_base_gd,
            ]
        )
        d_dropout = sums + np.vstack(
            [
                psi(alpha + x) - psi(alpha) + d_base_ab,
                np.full_like(x, d_base_ab - psi(beta)),
                np.full_like(x, psi(gamma + 1) - psi(gamma) + d_base_gd),
                np.full_like(x, d_base_gd - psi(delta)),
            ]
        )
        return log_alive, log_dropout, d_alive, d_dropout

    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        log_alive, log_dropout = self._parts(
            params, data["frequency"], data["recency"], data["n_periods"]
        )
        return np.logaddexp(log_alive, log_dropout)

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        log_alive, log_dropout, d_alive, d_dropout = self._parts(
            params, data["frequency"], data["recency"], data["n_periods"], gradient=True
        )
        total = np.logaddexp(log_alive, log_dropout)
        w_alive, w_dropout = np.exp(log_alive - total), np.exp(log_dropout - total)
        return total, w_alive * d_alive + w_dropout * d_dropout

    # -- predictions (natural parameters, arrays) -------------------------------------
    def _probability_alive(self, params, x, tx, n, ahead) -> np.ndarray:
        alpha, beta, gamma, delta = params
        log_alive, log_dropout = self._parts(params, x, tx, n)
        log_survive = (
            log_alive + betaln(gamma, delta + n + ahead) - betaln(gamma, delta + n)
        )  # P(data, alive at opportunity n + ahead)
        return np.exp(log_survive - np.logaddexp(log_alive, log_dropout))

    def _expected_purchases(self, params, x, tx, n, horizon) -> np.ndarray:
        alpha, beta, gamma, delta = params
        log_alive, log_dropout = self._parts(params, x, tx, n)
        log_front = (
            betaln(alpha + x + 1, beta + n - x)
            - betaln(alpha, beta)
            - np.logaddexp(log_alive, log_dropout)
            + np.log(delta)
            + gammaln(gamma + delta)
            - gammaln(1 + delta)
        )
        # delta/(gamma-1) Gamma(gamma+delta)/Gamma(1+delta) [G(n) - G(n+horizon)] with
        # G(k) = Gamma(1+delta+k)/Gamma(gamma+delta+k); the bracket over (gamma - 1) is
        # evaluated without cancellation, and by its limit when gamma is 1.
        log_now = gammaln(1 + delta + n) - gammaln(gamma + delta + n)
        log_later = gammaln(1 + delta + n + horizon) - gammaln(gamma + delta + n + horizon)
        if abs(gamma - 1) > 1e-8:
            ratio = -np.exp(log_now) * np.expm1(log_later - log_now) / (gamma - 1)
        else:
            ratio = psi(1 + delta + n + horizon) - psi(1 + delta + n)
        return np.exp(log_front) * ratio

    def probability_alive(
        self,
        customers: pd.DataFrame | None = None,
        *,
        periods_ahead: int = 0,
        frequency=None,
        recency=None,
        n_periods=None,
    ) -> pd.Series:
        """Predict the probability that each customer is alive.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Table with ``frequency``, ``recency`` and ``n_periods``.
        periods_ahead : int
            0 (default): alive at the last observed opportunity n, i.e. at the end of the
            data; m > 0: still alive at opportunity n + m. ``periods_ahead=1`` is Fader,
            Hardie & Shang's P(alive in period n + 1) (eq. 11); lifetimes'
            ``conditional_probability_alive(m, ...)`` uses the same convention.
        frequency, recency, n_periods : array-like, optional
            The same as arrays.

        Returns
        -------
        pandas.Series
            ``p_alive`` aligned with the customers.

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        DataError
            If the inputs are invalid.
        """
        params = self._check_fitted()
        if not (isinstance(periods_ahead, int | np.integer) and periods_ahead >= 0):
            raise ParameterError(
                f"periods_ahead must be a whole number >= 0, got {periods_ahead!r}"
            )
        data = self._inputs(customers, frequency, recency, n_periods, compress=False)
        values = self._probability_alive(params, *_xs(data), periods_ahead)
        return pd.Series(values, index=data.index, name="p_alive")

    def expected_purchases(
        self,
        customers: pd.DataFrame | None = None,
        horizon: float = 1.0,
        *,
        frequency=None,
        recency=None,
        n_periods=None,
    ) -> pd.Series:
        """Predict each customer's number of purchases in the next ``horizon`` opportunities.

        This is E(X(n, n + n*) | alpha, beta, gamma, delta, x, t_x, n) of Fader, Hardie &
        Shang (2010), eq. 13 (lifetimes'
        ``conditional_expected_number_of_purchases_up_to_time``).

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Table with ``frequency``, ``recency`` and ``n_periods``.
        horizon : float
            Number of future transaction opportunities n* (> 0).
        frequency, recency, n_periods : array-like, optional
            The inputs as arrays.

        Returns
        -------
        pandas.Series
            ``expected_purchases`` aligned with the customers.

        Raises
        ------
        NotFittedError
            If the model is not fitted.
        DataError
            If the inputs are invalid.
        ParameterError
            If the horizon is not a positive number.
        """
        params = self._check_fitted()
        data, xs, t = self._prediction_setup(customers, horizon, frequency, recency, n_periods)
        values = self._expected_purchases(params, *xs, t)
        return pd.Series(values, index=data.index, name="expected_purchases")

    def expected_purchases_uncertainty(
        self,
        customers: pd.DataFrame | None = None,
        horizon: float = 1.0,
        *,
        level: float = 0.95,
        frequency=None,
        recency=None,
        n_periods=None,
    ) -> pd.DataFrame:
        """Predict expected purchases with the uncertainty of that expectation (delta method).

        The band reflects only how precisely the parameters are estimated, not how many
        purchases a customer will make.

        Parameters
        ----------
        customers : pandas.DataFrame, optional
            Table with ``frequency``, ``recency`` and ``n_periods``.
        horizon : float
            Number of future transaction opportunities n* (> 0).
        level : float
            Confidence level, e.g. 0.95.
        frequency, recency, n_periods : array-like, optional
            The inputs as arrays.

        Returns
        -------
        pandas.DataFrame
            ``expected_purchases``, ``mean_lower``, ``mean_upper`` aligned with the customers.
        """
        self._check_fitted()
        data, xs, t = self._prediction_setup(customers, horizon, frequency, recency, n_periods)
        point, lower, upper = self._mean_uncertainty(
            lambda prm: self._expected_purchases(prm, *xs, t), level
        )
        return pd.DataFrame(
            {"expected_purchases": point, "mean_lower": lower, "mean_upper": upper},
            index=data.index,
        )

    def _prediction_setup(self, customers, horizon, frequency, recency, n_periods):
        valid = isinstance(horizon, int | float | np.integer | np.floating)
        if not (valid and math.isfinite(horizon) and horizon > 0):
            raise ParameterError(
                f"horizon must be a positive number of transaction opportunities, got {horizon!r}"
            )
        data = self._inputs(customers, frequency, recency, n_periods, compress=False)
        return data, _xs(data), float(horizon)


def _xs(data: ModelInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return data["frequency"], data["recency"], data["n_periods"]


def _check_patterns(data: ModelInputs) -> None:
    """Raise DataError unless every row is a possible BG/BB purchase pattern."""
    x, tx, n = _xs(data)
    rows = np.bincount(data.inverse, minlength=len(x))  # original rows per distinct row
    checks = [
        (name, values != np.round(values), "it counts transaction opportunities and must be whole")
        for name, values in zip(("frequency", "recency", "n_periods"), (x, tx, n), strict=True)
    ]
    checks += [
        ("recency", tx > n, "recency (the opportunity of the last purchase) exceeds n_periods"),
        (
            "frequency",
            x > tx,
            "frequency exceeds recency (each purchase takes an opportunity up to the last one)",
        ),
        ("recency", (x == 0) & (tx > 0), "recency must be 0 for customers with frequency 0"),
    ]
    for column, bad, reason in checks:
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"column '{column}': {int(rows[bad].sum()):,} row(s) are invalid: {reason}; "
                f"e.g. frequency={x[first]:g}, recency={tx[first]:g}, n_periods={n[first]:g}"
            )
