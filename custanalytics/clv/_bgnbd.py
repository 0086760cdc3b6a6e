"""BG/NBD (Fader, Hardie & Lee 2005) and the core it shares with MBG/NBD.

Both models: while alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha) and
may drop out, with probability p ~ Beta(a, b), right after a purchase. BG/NBD lets them drop
out after repeat purchases only; MBG/NBD (Batislam et al. 2007) after the first purchase too.
With ``k`` = 0 (BG/NBD) or 1 (MBG/NBD) dropout chances survived by a customer with ``x``
repeat purchases, every formula is the same:

    L = Gamma(r+x) alpha^r / Gamma(r) B(a, b+x+k) / B(a, b)
        [ (alpha+T)^-(r+x) + 1{x+k > 0} a / (b+x+k-1) (alpha+t_x)^-(r+x) ]

and, given alive at T, the future is a fresh BG/NBD process with parameters
(r+x, alpha+T, a, b+x+k).
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc, betaln, gammaln, hyp2f1, psi

from ._base import LikelihoodModel
from ._inputs import ModelInputs
from ._predict import PurchaseModelMixin

__all__ = ["BetaGeoModel"]


class _BetaGeoCore(PurchaseModelMixin, LikelihoodModel):
    """Likelihood, gradient and predictions of BG/NBD (``_k = 0``) and MBG/NBD (``_k = 1``)."""

    _param_names = ("r", "alpha", "a", "b")
    _shape_params = ("r", "a", "b")
    _k = 0

    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        return np.array([1.0, max(float(np.max(data["T"])), 1e-3) / 10.0, 1.0, 1.0])

    # -- likelihood -------------------------------------------------------------------
    def _row_terms(self, params: np.ndarray, data: ModelInputs):
        """Per-row pieces of the log-likelihood, from per-level lookups.

        Terms that depend on the frequency only are computed once per distinct frequency
        and gathered; so are ``log(alpha + T)`` and ``log(alpha + t_x)``.
        """
        r, alpha, a, b = params
        k = self._k
        xv, xc = data.levels("frequency")
        tv, tc = data.levels("T")
        rv, rc = data.levels("recency")
        odds_v = (xv + k) > 0
        x_only = (
            gammaln(r + xv) - gammaln(r) + r * np.log(alpha) + betaln(a, b + xv + k) - betaln(a, b)
        )
        log_odds_v = np.where(
            odds_v, np.log(a) - np.log(np.where(odds_v, b + xv + k - 1, 1.0)), -np.inf
        )
        log_alpha_t = np.log(alpha + tv)[tc]
        log_alpha_tx = np.log(alpha + rv)[rc]
        r_x = (r + xv)[xc]
        a3 = -r_x * log_alpha_t
        a4 = log_odds_v[xc] - r_x * log_alpha_tx
        total = np.logaddexp(a3, a4)
        return x_only[xc] + total, (xv, xc, odds_v, a4, total, log_alpha_t, log_alpha_tx)

    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        return self._row_terms(params, data)[0]

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        r, alpha, a, b = params
        k = self._k
        ll, (xv, xc, odds_v, a4, total, log_alpha_t, log_alpha_tx) = self._row_terms(params, data)
        tv, tc = data.levels("T")
        rv, rc = data.levels("recency")
        w4 = np.exp(a4 - total)
        w3 = 1.0 - w4
        r_x = (r + xv)[xc]
        d_r = (psi(r + xv) - psi(r) + np.log(alpha))[xc] - w3 * log_alpha_t - w4 * log_alpha_tx
        d_alpha = r / alpha - r_x * (w3 * (1 / (alpha + tv))[tc] + w4 * (1 / (alpha + rv))[rc])
        psi_ab, psi_abx = psi(a + b), psi(a + b + xv + k)
        d_a = (psi_ab - psi_abx)[xc] + w4 / a
        inv_odds = np.where(odds_v, 1 / np.where(odds_v, b + xv + k - 1, 1.0), 0.0)
        d_b = (psi_ab + psi(b + xv + k) - psi(b) - psi_abx)[xc] - w4 * inv_odds[xc]
        return ll, np.vstack([d_r, d_alpha, d_a, d_b])

    # -- predictions (natural parameters, arrays) -------------------------------------
    def _log_odds_dead(self, params, x, tx, T) -> np.ndarray:
        """Log of a/(b+x+k-1) ((alpha+T)/(alpha+tx))^(r+x); -inf without a dropout chance."""
        r, alpha, a, b = params
        k = self._k
        odds = (x + k) > 0
        return np.where(
            odds,
            np.log(a)
            - np.log(np.where(odds, b + x + k - 1, 1.0))
            + (r + x) * np.log1p((T - tx) / (alpha + tx)),
            -np.inf,
        )

    def _probability_alive(self, params, x, tx, T) -> np.ndarray:
        return np.exp(-np.logaddexp(0.0, self._log_odds_dead(params, x, tx, T)))

    def _expected_purchases(self, params, x, tx, T, t) -> np.ndarray:
        """E[X(T, T+t) | x, t_x, T]: P(alive) times a fresh process's expectation.

        ``(a+b+x+k-1)/(a-1) [1 - (1-z)^(r+x) 2F1(r+x, b+x+k; a+b+x+k-1; z)]``,
        ``z = t / (alpha+T+t)``, evaluated after Euler's transformation as
        ``1 - (1-z)^(a-1) 2F1(a+b+k-1-r, a-1; a+b+x+k-1; z)``, whose hypergeometric factor
        does not grow with the frequency.
        """
        r, alpha, a, b = params
        c = a + b + x + self._k - 1
        z = t / (alpha + T + t)
        hyp = hyp2f1(a + b + self._k - 1 - r, a - 1.0, c, z)
        one_minus_tail = 1.0 - np.exp((a - 1.0) * np.log1p(-z)) * hyp
        return c / (a - 1) * one_minus_tail * self._probability_alive(params, x, tx, T)

    def _expected_purchases_new(self, params, t) -> np.ndarray:
        zero = np.zeros(np.shape(t))
        return self._expected_purchases(params, zero, zero, zero, np.asarray(t, dtype="float64"))

    def _purchase_pmf(self, params, x, tx, T, t, n: int) -> np.ndarray:
        """P(X(T, T+t) = n | x, t_x, T) (Fader, Hardie & Lee 2005, eq. 8, given alive).

        Given alive at T the future is a BG/NBD process with r' = r+x, alpha' = alpha+T,
        b' = b+x+k:

            P(n) = B(a, b'+n)/B(a, b') NB(n) + 1{n > 0} B(a+1, b'+n-1)/B(a, b') P(N >= n)

        with NB the negative binomial P(N = n) of a Gamma(r', alpha') Poisson count over t.
        """
        r, alpha, a, b = params
        r1, alpha1, b1 = r + x, alpha + T, b + x + self._k
        p_alive = self._probability_alive(params, x, tx, T)
        log_q = np.log(t) - np.log(alpha1 + t)  # log(t / (alpha' + t))
        log_nb = (
            gammaln(r1 + n)
            - gammaln(r1)
            - gammaln(n + 1.0)
            + r1 * (np.log(alpha1) - np.log(alpha1 + t))
            + n * log_q
        )
        alive = np.exp(betaln(a, b1 + n) - betaln(a, b1) + log_nb)
        if n > 0:
            at_least = betainc(float(n), r1, t / (alpha1 + t))  # P(N >= n)
            alive = alive + np.exp(betaln(a + 1.0, b1 + n - 1.0) - betaln(a, b1)) * at_least
        dead = (1.0 - p_alive) if n == 0 else 0.0
        return p_alive * alive + dead


class BetaGeoModel(_BetaGeoCore):
    """BG/NBD model of repeat purchasing.

    While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
    repeat purchase they drop out with probability p ~ Beta(a, b). Time is in the unit of the
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
    summary_ : pandas.DataFrame
        Estimates, standard errors and 95 % intervals.
    log_likelihood_ : float
        Total log-likelihood over customers, in the data's own time unit.
    n_customers_ : int
        Customers fitted.
    time_unit_ : str or None
        Time unit of the data fitted; every prediction checks its input against it.
    converged_ : bool
        Whether the optimiser reported convergence.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting Your Customers' the
    Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24 (2), 275-284.

    Examples
    --------
    >>> model = BetaGeoModel().fit(summary)            # doctest: +SKIP
    >>> model.expected_purchases(summary, horizon=39)  # doctest: +SKIP
    """
