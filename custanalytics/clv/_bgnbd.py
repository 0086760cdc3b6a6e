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
from ._covariates import CovariateMixin
from ._inputs import ModelInputs, _row_codes
from ._predict import PurchaseModelMixin
from ._special import digamma_rising, log_rising

__all__ = ["BetaGeoModel"]


class _BetaGeoCore(CovariateMixin, PurchaseModelMixin, LikelihoodModel):
    """Likelihood, gradient and predictions of BG/NBD (``_k = 0``) and MBG/NBD (``_k = 1``)."""

    _param_names = ("r", "alpha", "a", "b")
    _shape_params = ("r", "a", "b")
    _covariate_targets = (("purchase", 1, -1), ("a", 2, 1), ("b", 3, 1))
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
        if self._features:
            return self._covariate_likelihood(params, data, gradient=False)[0]
        return self._row_terms(params, data)[0]

    def _profiles(self, data: ModelInputs):
        """Distinct covariate profiles and (profile, frequency) pairs of the rows (cached).

        The terms in a_i and b_i depend on a row only through its profile and frequency,
        and there are few such pairs; they are computed per pair and gathered.
        """

        def compute():
            matrix = self._matrix(data)
            profile, n_profiles = _row_codes([matrix[:, j] for j in range(matrix.shape[1])])
            first = np.zeros(n_profiles, dtype=np.intp)
            first[profile[::-1]] = np.arange(len(profile))[::-1]
            pair, n_pairs = _row_codes([profile.astype("float64"), data["frequency"]])
            pair_first = np.zeros(n_pairs, dtype=np.intp)
            pair_first[pair[::-1]] = np.arange(len(pair))[::-1]
            return profile, matrix[first], pair, profile[pair_first], data["frequency"][pair_first]

        return data.cached("profiles", compute)

    def _covariate_likelihood(self, params, data: ModelInputs, gradient: bool = True):
        """Per-row log-likelihood (and gradient) with per-customer alpha, a and b."""
        profile, profile_matrix, pair, pair_profile, pair_x = self._profiles(data)
        r, alpha_p, a_p, b_p = self._expand(params, profile_matrix)  # per profile
        x, tx, T = data["frequency"], data["recency"], data["T"]
        k = self._k
        alpha = alpha_p[profile]
        # per (profile, frequency) pair
        a_c, b_c = a_p[pair_profile], b_p[pair_profile]
        odds_c = (pair_x + k) > 0
        log_odds_c = np.where(
            odds_c, np.log(a_c) - np.log(np.where(odds_c, b_c + pair_x + k - 1, 1.0)), -np.inf
        )
        beta_c = betaln(a_c, b_c + pair_x + k) - betaln(a_c, b_c)
        log_alpha_t, log_alpha_tx = np.log(alpha + T), np.log(alpha + tx)
        a3 = -(r + x) * log_alpha_t
        a4 = log_odds_c[pair] - (r + x) * log_alpha_tx
        total = np.logaddexp(a3, a4)
        ll = log_rising(r, x) + r * np.log(alpha) + beta_c[pair] + total
        if not gradient:
            return ll, None
        w4 = np.exp(a4 - total)
        w3 = 1.0 - w4
        d_r = digamma_rising(r, x) + np.log(alpha) - w3 * log_alpha_t - w4 * log_alpha_tx
        e_alpha = r - (r + x) * alpha * (w3 / (alpha + T) + w4 / (alpha + tx))  # alpha d/d alpha
        psi_ab, psi_abx = psi(a_c + b_c), psi(a_c + b_c + pair_x + k)
        inv_odds_c = np.where(odds_c, 1 / np.where(odds_c, b_c + pair_x + k - 1, 1.0), 0.0)
        e_a = (a_c * (psi_ab - psi_abx))[pair] + w4  # a d/da
        e_b = (b_c * (psi_ab + psi(b_c + pair_x + k) - psi(b_c) - psi_abx))[pair] - w4 * (
            b_c * inv_odds_c
        )[pair]  # b d/db
        columns = data.cached("zt", lambda: np.ascontiguousarray(self._matrix(data).T))
        n_features = columns.shape[0]
        out = np.empty((4 + 3 * n_features, len(x)))
        out[0] = d_r
        np.divide(e_alpha, params[1], out=out[1])
        np.divide(e_a, params[2], out=out[2])
        np.divide(e_b, params[3], out=out[3])
        for block, effect in enumerate((-e_alpha, e_a, e_b)):
            start = 4 + block * n_features
            np.multiply(columns, effect, out=out[start : start + n_features])
        return ll, out

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        if self._features:
            return self._covariate_likelihood(params, data)
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

    def _expected_given_alive(self, params, x, T, t) -> np.ndarray:
        """E[X(T, T+t) | alive at T, x, T]: a fresh process's expectation.

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
        return c / (a - 1) * one_minus_tail

    def _expected_purchases_new(self, params, t) -> np.ndarray:
        zero = np.zeros(np.shape(t))
        return self._expected_purchases(params, zero, zero, zero, np.asarray(t, dtype="float64"))

    def _alive_pmf(self, params, x, T, t, n: int) -> np.ndarray:
        """P(X(T, T+t) = n | alive at T, x, T) (Fader, Hardie & Lee 2005, eq. 8).

        Given alive at T the future is a BG/NBD process with r' = r+x, alpha' = alpha+T,
        b' = b+x+k:

            P(n) = B(a, b'+n)/B(a, b') NB(n) + 1{n > 0} B(a+1, b'+n-1)/B(a, b') P(N >= n)

        with NB the negative binomial P(N = n) of a Gamma(r', alpha') Poisson count over t.
        """
        r, alpha, a, b = params
        r1, alpha1, b1 = r + x, alpha + T, b + x + self._k
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
        return alive


class BetaGeoModel(_BetaGeoCore):
    """BG/NBD model of repeat purchasing.

    While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
    repeat purchase they drop out with probability p ~ Beta(a, b). Time is in the unit of the
    summary table (``time_unit`` of :func:`custanalytics.summarize`): alpha is in that unit.

    Parameters
    ----------
    covariates : list of str, optional
        Time-invariant customer attributes (columns of the customer table) that shift the
        purchase and dropout rates (Fader & Hardie 2007): ``alpha_i = alpha exp(-g1'z_i)``,
        ``a_i = a exp(g2'z_i)``, ``b_i = b exp(g3'z_i)``; numeric columns as they are, others
        one-hot encoded against their first level. A positive ``purchase[...]`` effect means
        more purchases; positive ``a[...]`` / negative ``b[...]`` effects more dropout.
    covariate_penalizer : float
        L2 penalty on the covariate effects (``covariate_penalizer * sum(g ** 2)``).
    penalizer : float
        Penalty weight on the parameters (see :class:`LikelihoodModel`); 0 gives the MLE.
    penalty : {"l2", "log"}
        Penalty form (see :class:`LikelihoodModel`).
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
    feature_names_ : list of str
        Encoded covariates (``region=north``, ...); empty without covariates. Their effects
        are in ``params_`` as ``purchase[...]``, ``a[...]`` and ``b[...]``.
    covariate_levels_ : dict
        Levels of each categorical covariate found at fit (the first is the reference).

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2007), "Incorporating Time-Invariant Covariates into
    the Pareto/NBD and BG/NBD Models", http://brucehardie.com/notes/019/.

    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting Your Customers' the
    Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24 (2), 275-284.

    Examples
    --------
    >>> model = BetaGeoModel().fit(summary)            # doctest: +SKIP
    >>> model.expected_purchases(summary, horizon=39)  # doctest: +SKIP
    """
