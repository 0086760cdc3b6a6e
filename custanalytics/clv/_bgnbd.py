"""BG/NBD (Fader, Hardie & Lee 2005): repeat purchases and dropout after each purchase."""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, gammaln, hyp2f1, psi

from ._base import LikelihoodModel
from ._inputs import ModelInputs
from ._predict import PurchaseModelMixin

__all__ = ["BetaGeoModel"]


class BetaGeoModel(PurchaseModelMixin, LikelihoodModel):
    """BG/NBD model of repeat purchasing.

    While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
    purchase they drop out with probability p ~ Beta(a, b). Time is in the unit of the
    summary table (``time_unit`` of :func:`custanalytics.summarize`): alpha is in that unit.

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
        ``r``, ``alpha``, ``a``, ``b``.
    standard_errors_, confidence_intervals_, covariance_
        Uncertainty of the estimates (observed information).
    log_likelihood_ : float
        Total log-likelihood over customers, in the data's own time unit.

    Examples
    --------
    >>> model = BetaGeoModel().fit(summary)            # doctest: +SKIP
    >>> model.expected_purchases(summary, horizon=39)  # doctest: +SKIP
    """

    _param_names = ("r", "alpha", "a", "b")
    _columns = ("frequency", "recency", "T")

    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        return np.array([1.0, max(float(np.max(data["T"])), 1e-3) / 10.0, 1.0, 1.0])

    @staticmethod
    def _row_terms(params: np.ndarray, data: ModelInputs):
        """Per-row pieces of the log-likelihood, from per-level lookups.

        Returns the frequency levels and codes, the x-only term ``a1 + a2``, and the two
        exponents ``a3`` and ``a4`` (``-inf`` without a repeat purchase) and their log-sum.
        """
        r, alpha, a, b = params
        xv, xc = data.levels("frequency")
        tv, tc = data.levels("T")
        rv, rc = data.levels("recency")
        repeat_v = xv > 0
        x_only = gammaln(r + xv) - gammaln(r) + r * np.log(alpha) + betaln(a, b + xv) - betaln(a, b)
        log_odds_v = np.where(
            repeat_v, np.log(a) - np.log(np.where(repeat_v, b + xv - 1, 1.0)), -np.inf
        )
        log_alpha_t = np.log(alpha + tv)[tc]
        log_alpha_tx = np.log(alpha + rv)[rc]
        r_x = (r + xv)[xc]
        a3 = -r_x * log_alpha_t
        a4 = log_odds_v[xc] - r_x * log_alpha_tx
        total = np.logaddexp(a3, a4)
        return xv, xc, x_only, a3, a4, total, log_alpha_t, log_alpha_tx

    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        _, xc, x_only, _, _, total, _, _ = self._row_terms(params, data)
        return x_only[xc] + total

    def _gradient(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        return self._log_likelihood_and_gradient(params, data)[1]

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        r, alpha, a, b = params
        xv, xc, x_only, a3, a4, total, log_alpha_t, log_alpha_tx = self._row_terms(params, data)
        tv, tc = data.levels("T")
        rv, rc = data.levels("recency")
        w4 = np.exp(a4 - total)
        w3 = 1.0 - w4
        repeat_v = xv > 0
        r_x = (r + xv)[xc]
        d_r = (psi(r + xv) - psi(r) + np.log(alpha))[xc] - w3 * log_alpha_t - w4 * log_alpha_tx
        d_alpha = r / alpha - r_x * (w3 * (1 / (alpha + tv))[tc] + w4 * (1 / (alpha + rv))[rc])
        d_a = (psi(a + b) - psi(a + b + xv))[xc] + w4 / a
        inv_bx1 = np.where(repeat_v, 1 / np.where(repeat_v, b + xv - 1, 1.0), 0.0)
        d_b = (psi(a + b) + psi(b + xv) - psi(b) - psi(a + b + xv))[xc] - w4 * inv_bx1[xc]
        return x_only[xc] + total, np.vstack([d_r, d_alpha, d_a, d_b])

    # -- predictions (natural parameters, arrays) -------------------------------------
    @staticmethod
    def _log_odds_dead(params, x, tx, T) -> np.ndarray:
        """Log of a/(b+x-1) ((alpha+T)/(alpha+tx))^(r+x), -inf for x = 0."""
        r, alpha, a, b = params
        repeat = x > 0
        return np.where(
            repeat,
            np.log(a)
            - np.log(np.where(repeat, b + x - 1, 1.0))
            + (r + x) * (np.log(alpha + T) - np.log(alpha + tx)),
            -np.inf,
        )

    def _probability_alive(self, params, x, tx, T) -> np.ndarray:
        return np.exp(-np.logaddexp(0.0, self._log_odds_dead(params, x, tx, T)))

    def _expected_purchases(self, params, x, tx, T, t) -> np.ndarray:
        r, alpha, a, b = params
        z = t / (alpha + T + t)
        hyp = hyp2f1(r + x, b + x, a + b + x - 1, z)
        tail = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
        numerator = (a + b + x - 1) / (a - 1) * (1 - tail)
        return numerator * self._probability_alive(params, x, tx, T)

    def _expected_purchases_new(self, params, t) -> np.ndarray:
        r, alpha, a, b = params
        t = np.asarray(t, dtype="float64")
        hyp = hyp2f1(r, b, a + b - 1, t / (alpha + t))
        return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)
