"""Pareto/NBD (Schmittlein, Morrison & Colombo 1987): Poisson purchases, exponential lifetimes.

The likelihood follows Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related
Expressions" (2005), eqs. (18)-(20), evaluated in log space. Its awkward part is

    A0 = G(t_x) - G(T),    G(tau) = n * integral_tau^inf (alpha + u)^-(r+x) (beta + u)^-(s+1) du,

with ``n = r + s + x``. Fader & Hardie write ``G(tau) = 2F1(n, b; n + 1; z) / (m + tau)^n``
with ``m = max(alpha, beta)``, ``z = |alpha - beta| / (m + tau)`` in [0, 1) and ``b = s + 1``
(alpha >= beta) or ``b = r + x`` (alpha < beta). Here Euler's transformation
``2F1(n, b; n+1; z) = (1 - z)^(1-b) 2F1(1, n+1-b; n+1; z)`` is applied first (see
:func:`_branch`), so that the hypergeometric factor lies in [1, 1/(1 - z)] however large the
frequency: nothing overflows, and ``log A0`` is ``log G(t_x) + log(1 - exp(d))`` with
``d = log G(T) - log G(t_x) <= 0``. The gradient is analytic: the series of the
hypergeometric factor and of its derivatives in ``b``, ``n`` and ``z`` are summed together,
with central differences of :func:`scipy.special.hyp2f1` for the few rows where ``z`` is too
close to 1 for the series to be fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
from scipy.special import gammaln, hyp2f1

from ._base import LikelihoodModel
from ._covariates import CovariateMixin
from ._inputs import ModelInputs, _row_codes
from ._predict import PurchaseModelMixin
from ._special import digamma_rising, gauss_legendre, log1mexp, log_rising

__all__ = ["ParetoNBDModel"]

# Rows whose hypergeometric argument is at most this are differentiated through the series;
# the others (z close to 1: very unequal alpha and beta, small recency) by finite differences.
_SERIES_MAX_Z = 0.75
_SERIES_MAX_TERMS = 400
_SERIES_TOL = 1e-16
_SERIES_BLOCK = 16384
#: Gauss-Legendre nodes of the lifetime integral in P(X(t) = n).
_PMF_NODES = 48


class ParetoNBDModel(CovariateMixin, PurchaseModelMixin, LikelihoodModel):
    """Pareto/NBD model of repeat purchasing.

    While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); their lifetime
    is exponential with rate mu ~ Gamma(s, beta), independent of lambda, so a customer can
    drop out at any time (not only right after a purchase, as in BG/NBD). Time is in the
    unit of the summary table (``time_unit`` of :func:`custanalytics.summarize`): alpha and
    beta are in that unit.

    Parameters
    ----------
    covariates : list of str, optional
        Time-invariant customer attributes (columns of the customer table) that shift the
        purchase and dropout rates (Fader & Hardie 2007): ``alpha_i = alpha exp(-g1'z_i)``
        and ``beta_i = beta exp(-g2'z_i)``; numeric columns as they are, others one-hot
        encoded against their first level. Positive ``purchase[...]`` effects mean more
        purchases, positive ``dropout[...]`` effects earlier dropout.
    covariate_penalizer : float
        L2 penalty on the covariate effects.
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
        ``r``, ``alpha``, ``s``, ``beta``.
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

    Notes
    -----
    The likelihood, P(alive) and the conditional expectation are Fader & Hardie's (2005)
    eqs. (18)-(20), (36)-(37) and (41), computed in log space with an Euler-transformed,
    bounded hypergeometric factor, so that they stay finite for very frequent buyers.

    References
    ----------
    Schmittlein, D. C., Morrison, D. G. and Colombo, R. (1987), "Counting Your Customers:
    Who Are They and What Will They Do Next?", Management Science 33 (1), 1-24.

    Fader, P. S. and Hardie, B. G. S. (2005), "A Note on Deriving the Pareto/NBD Model and
    Related Expressions", http://brucehardie.com/notes/009/.

    Examples
    --------
    >>> model = ParetoNBDModel().fit(summary)          # doctest: +SKIP
    >>> model.probability_alive(summary)                # doctest: +SKIP
    >>> model.expected_purchases(summary, horizon=39)  # doctest: +SKIP
    """

    _param_names = ("r", "alpha", "s", "beta")
    _shape_params = ("r", "s")
    _covariate_targets = (("purchase", 1, -1), ("dropout", 3, -1))

    def _prepare(self, data: ModelInputs) -> ModelInputs:
        return _with_pairs(data)

    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        scale = max(float(np.max(data["T"])), 1e-3) / 10.0
        return np.array([1.0, scale, 1.0, scale])

    # -- likelihood -------------------------------------------------------------------
    @staticmethod
    def _parts(params, x, tx, T, pairs=None, gradient=False):
        """Per-row pieces of the log-likelihood ``const + logaddexp(alive, died)``.

        Returns the constant ``log[Gamma(r+x) alpha^r beta^s / Gamma(r)]``, the log of the
        "still alive at T" term, the log of the "died in (t_x, T]" term ``s/n A0``,
        ``d = log G(T) - log G(t_x)`` and, if ``gradient``, the gradients of ``log G(t_x)``
        and ``log G(T)``. ``pairs`` (see :func:`_with_pairs`) lets G be evaluated once per
        distinct (frequency, recency) and (frequency, T).
        """
        r, alpha, s, beta = params
        pairs = pairs or {}
        const = log_rising(r, x) + r * np.log(alpha) + s * np.log(beta)
        alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        at_tx = _g_at(params, x, tx, pairs.get("recency"), gradient)
        at_T = _g_at(params, x, T, pairs.get("T"), gradient)
        d = _log_g_difference(params, x, tx, T, at_tx[1], at_T[1])
        died = np.log(s) - np.log(r + s + x) + at_tx[0] + log1mexp(d)
        grads = (at_tx[2], at_T[2]) if gradient else None
        return const, alive, died, d, grads

    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        if self._features:
            return self._covariate_likelihood(params, data, gradient=False)[0]
        x, tx, T = data["frequency"], data["recency"], data["T"]
        const, alive, died, _, _ = self._parts(params, x, tx, T, getattr(data, "pairs", None))
        return const + np.logaddexp(alive, died)

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        if self._features:
            return self._covariate_likelihood(params, data)
        x, tx, T = data["frequency"], data["recency"], data["T"]
        return self._plain_likelihood(params, x, tx, T, getattr(data, "pairs", None))

    def _profile_groups(self, data: ModelInputs):
        """Rows grouped by covariate profile (cached): codes, profile matrix, row groups."""

        def compute():
            matrix = self._matrix(data)
            profile, n_profiles = _row_codes([matrix[:, j] for j in range(matrix.shape[1])])
            order = np.argsort(profile, kind="stable")
            cuts = np.flatnonzero(np.diff(profile[order])) + 1
            groups = np.split(order, cuts)
            return profile, matrix[[g[0] for g in groups]], groups, profile[[g[0] for g in groups]]

        return data.cached("profile_groups", compute)

    def _covariate_likelihood(self, params, data: ModelInputs, gradient: bool = True):
        """Per-row log-likelihood (and gradient) with per-customer alpha and beta.

        Rows are processed per covariate profile, each with its own scalar alpha and beta, so
        that the stable hypergeometric branch is chosen per profile.
        """
        profile, _, groups, group_profile = self._profile_groups(data)
        matrix = self._matrix(data)
        profile_matrix = matrix[[g[0] for g in groups]]
        r, alpha_p, s, beta_p = self._expand(params, profile_matrix)
        x, tx, T = data["frequency"], data["recency"], data["T"]
        ll = np.empty(len(x))
        grad = np.empty((4, len(x))) if gradient else None
        for position, rows in enumerate(groups):
            natural = np.array([r, alpha_p[position], s, beta_p[position]])
            if gradient:
                ll[rows], grad[:, rows] = self._plain_likelihood(
                    natural, x[rows], tx[rows], T[rows]
                )
            else:
                const, alive, died, _, _ = self._parts(natural, x[rows], tx[rows], T[rows])
                ll[rows] = const + np.logaddexp(alive, died)
        if not gradient:
            return ll, None
        order = np.empty(len(groups), dtype=np.intp)
        order[group_profile] = np.arange(len(groups))
        alpha, beta = alpha_p[order[profile]], beta_p[order[profile]]
        e_alpha, e_beta = grad[1] * alpha, grad[3] * beta  # alpha d/d alpha, beta d/d beta
        columns = data.cached("zt", lambda: np.ascontiguousarray(matrix.T))
        k = columns.shape[0]
        out = np.empty((4 + 2 * k, len(x)))
        out[0], out[2] = grad[0], grad[2]
        np.divide(e_alpha, params[1], out=out[1])
        np.divide(e_beta, params[3], out=out[3])
        np.multiply(columns, -e_alpha, out=out[4 : 4 + k])
        np.multiply(columns, -e_beta, out=out[4 + k :])
        return ll, out

    def _plain_likelihood(self, params, x, tx, T, pairs=None) -> tuple[np.ndarray, np.ndarray]:
        """Log-likelihood and gradient of rows sharing one (r, alpha, s, beta)."""
        r, alpha, s, beta = params
        n = r + s + x
        const, alive, died, d, (grad_g_tx, grad_g_T) = self._parts(
            params, x, tx, T, pairs, gradient=True
        )
        total = np.logaddexp(alive, died)
        w_alive, w_died = np.exp(alive - total), np.exp(died - total)
        ratio = np.exp(d)  # G(T) / G(t_x), in [0, 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            grad_a0 = (grad_g_tx - ratio * grad_g_T) / (1.0 - ratio)
        grad_a0 = np.where(ratio < 1.0, grad_a0, 0.0)  # t_x == T: the term is 0
        grad_const = np.vstack(
            [
                digamma_rising(r, x) + np.log(alpha),
                np.full_like(x, r / alpha),
                np.full_like(x, np.log(beta)),
                np.full_like(x, s / beta),
            ]
        )
        grad_alive = np.vstack(
            [
                -np.log(alpha + T),
                -(r + x) / (alpha + T),
                -np.log(beta + T),
                -s / (beta + T),
            ]
        )
        grad_died = grad_a0 + np.vstack(
            [-1.0 / n, np.zeros_like(x), 1.0 / s - 1.0 / n, np.zeros_like(x)]
        )
        gradient = grad_const + w_alive * grad_alive + w_died * grad_died
        return const + total, gradient

    # -- predictions (natural parameters, arrays) -------------------------------------
    def _log_odds_dead(self, params, x, tx, T) -> np.ndarray:
        """Log of P(dead) / P(alive) = (s / n) A0 (alpha+T)^(r+x) (beta+T)^s.

        With per-customer alpha and beta (covariates) the rows are taken per distinct pair.
        """
        r, alpha, s, beta = params
        if np.ndim(alpha) or np.ndim(beta):
            alpha, beta = np.broadcast_arrays(np.asarray(alpha, "float64"), beta, x)[:2]
            codes, _ = _row_codes([alpha, beta])
            order = np.argsort(codes, kind="stable")
            out = np.empty(np.shape(x))
            for rows in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1):
                if rows.size:
                    natural = (r, alpha[rows[0]], s, beta[rows[0]])
                    out[rows] = self._log_odds_dead(natural, x[rows], tx[rows], T[rows])
            return out
        _, alive, died, _, _ = self._parts(params, x, tx, T)
        return died - alive

    def _probability_alive(self, params, x, tx, T) -> np.ndarray:
        return np.exp(-np.logaddexp(0.0, self._log_odds_dead(params, x, tx, T)))

    def _expected_given_alive(self, params, x, T, t) -> np.ndarray:
        r, alpha, s, beta = params
        log_rate = np.log(r + x) + np.log(beta + T) - np.log(alpha + T)
        return np.exp(log_rate) * _lifetime_integral(s, beta + T, t)

    def _expected_purchases_new(self, params, t) -> np.ndarray:
        r, alpha, s, beta = params
        t = np.asarray(t, dtype="float64")
        return r * beta / alpha * _lifetime_integral(s, beta, t)

    def _alive_pmf(self, params, x, T, t, n: int) -> np.ndarray:
        """P(X(T, T+t) = n | alive at T, x, T).

        Given alive at T, lambda ~ Gamma(r+x, alpha+T) and mu ~ Gamma(s, beta+T), and the
        lifetime left has the Lomax CDF ``F(tau) = 1 - (b'/(b'+tau))^s`` (b' = beta+T). With
        NB(n; tau) the negative binomial probability of n purchases in a time tau,

            P(n | alive) = NB(n; t) (1 - F(t)) + integral_0^F(t) NB(n; tau(u)) du,

        ``tau(u) = b' ((1-u)^(-1/s) - 1)`` the lifetime at CDF value u; the integral over
        the CDF is smooth and taken by Gauss-Legendre quadrature.
        """
        r, alpha, s, beta = params
        r1 = (r + x)[:, None]
        alpha1, beta1 = (alpha + T)[:, None], (beta + T)[:, None]
        log_survive = s * (np.log(beta1) - np.log(beta1 + t))  # log(1 - F(t))
        nodes, weights = gauss_legendre(_PMF_NODES)
        upper = -np.expm1(log_survive)  # F(t)
        u = upper * nodes
        tau = beta1 * np.expm1(-np.log1p(-u) / s)
        tau = np.concatenate([tau, np.full_like(beta1, t)], axis=1)
        log_nb = (
            gammaln(r1 + n)
            - gammaln(r1)
            - gammaln(n + 1.0)
            + r1 * (np.log(alpha1) - np.log(alpha1 + tau))
            + n * (np.log(tau) - np.log(alpha1 + tau))
        )
        nb = np.exp(log_nb)
        return nb[:, -1] * np.exp(log_survive[:, 0]) + upper[:, 0] * (nb[:, :-1] @ weights)


# -- the hypergeometric part ------------------------------------------------------------
def _branch(params: np.ndarray, x: np.ndarray, tau: np.ndarray):
    """Hypergeometric parameters and argument of ``G(tau)`` on the stable branch.

    With ``n = r + s + x``::

        alpha >= beta:  G = (alpha+tau)^-(r+x)   (beta+tau)^-s     2F1(1, r+x; n+1; z),
                        z = (alpha - beta) / (alpha + tau)
        alpha <  beta:  G = (alpha+tau)^-(r+x-1) (beta+tau)^-(s+1) 2F1(1, s+1; n+1; z),
                        z = (beta - alpha) / (beta + tau)

    (Fader & Hardie's eqs. (19)-(20) after an Euler transformation). ``z`` is in [0, 1),
    ``b < n + 1``, so the series has positive terms bounded by ``z^k``.
    """
    r, alpha, s, beta = params
    if alpha >= beta:
        b = r + x
        z = (alpha - beta) / (alpha + tau)
        prefactor = -(r + x) * np.log(alpha + tau) - s * np.log(beta + tau)
    else:
        b = np.broadcast_to(s + 1.0, np.shape(x))
        z = (beta - alpha) / (beta + tau)
        prefactor = -(r + x - 1.0) * np.log(alpha + tau) - (s + 1.0) * np.log(beta + tau)
    return b, r + s + x + 1.0, z, prefactor


@dataclass(frozen=True)
class _PairedInputs(ModelInputs):
    """Model inputs plus the distinct (frequency, recency) and (frequency, T) pairs.

    ``pairs[name]`` is ``(frequency, tau, inverse)`` over the distinct pairs, with
    ``inverse`` mapping each row to its pair. G depends on a row only through such a pair,
    and there are far fewer pairs than rows (a few thousand for a million customers).
    """

    pairs: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)


def _with_pairs(data: ModelInputs) -> _PairedInputs:
    """Add the distinct (frequency, recency) and (frequency, T) pairs to ``data``."""
    x = data["frequency"]
    pairs = {}
    for name in ("recency", "T"):
        # complex numbers sort lexicographically: one 1-D unique over (x, tau)
        unique, inverse = np.unique(x + 1j * data[name], return_inverse=True)
        pairs[name] = (unique.real.copy(), unique.imag.copy(), inverse.ravel())
    given = {f.name: getattr(data, f.name) for f in fields(ModelInputs) if f.init}
    return _PairedInputs(**given, pairs=pairs)


def _g_at(params, x, tau, pair=None, gradient=False) -> tuple:
    """:func:`_g_terms` per row, computed once per distinct pair if ``pair`` is given."""
    if pair is None:
        return _g_terms(params, x, tau, gradient)
    x_pair, tau_pair, inverse = pair
    return tuple(value[..., inverse] for value in _g_terms(params, x_pair, tau_pair, gradient))


def _g_terms(params, x, tau, gradient=False) -> tuple:
    """``log G(tau)``, the log of its hypergeometric factor and, optionally, the gradient.

    The gradient of ``log G(tau)`` is with respect to ``(r, alpha, s, beta)``, shape
    (4, rows).
    """
    r, alpha, s, beta = params
    b, c, z, prefactor = _branch(params, x, tau)
    if not gradient:
        log_f = np.log(hyp2f1(1.0, b, c, z))
        return prefactor + log_f, log_f
    log_f, d_b, d_c, d_z = _log_hyp_derivatives(b, c, z)
    if alpha >= beta:  # b = r + x, c = r + s + x + 1, z = (alpha - beta) / (alpha + tau)
        grad = np.vstack(
            [
                -np.log(alpha + tau) + d_b + d_c,
                -(r + x) / (alpha + tau) + d_z * (beta + tau) / (alpha + tau) ** 2,
                -np.log(beta + tau) + d_c,
                -s / (beta + tau) - d_z / (alpha + tau),
            ]
        )
    else:  # b = s + 1, c = r + s + x + 1, z = (beta - alpha) / (beta + tau)
        grad = np.vstack(
            [
                -np.log(alpha + tau) + d_c,
                -(r + x - 1.0) / (alpha + tau) - d_z / (beta + tau),
                -np.log(beta + tau) + d_b + d_c,
                -(s + 1.0) / (beta + tau) + d_z * (alpha + tau) / (beta + tau) ** 2,
            ]
        )
    return prefactor + log_f, log_f, grad


def _log_g_difference(params, x, tx, T, log_f_tx, log_f_T) -> np.ndarray:
    """``d = log G(T) - log G(t_x) <= 0``, without cancellation when t_x is close to T."""
    r, alpha, s, beta = params
    gap = T - tx
    if alpha >= beta:
        d_pre = -(r + x) * np.log1p(gap / (alpha + tx)) - s * np.log1p(gap / (beta + tx))
    else:
        d_pre = -(r + x - 1.0) * np.log1p(gap / (alpha + tx)) - (s + 1.0) * np.log1p(
            gap / (beta + tx)
        )
    # G decreases in tau; rounding must not make d positive when t_x is close to T
    return np.minimum(d_pre + (log_f_T - log_f_tx), 0.0)


def _log_hyp_derivatives(b: np.ndarray, c: np.ndarray, z: np.ndarray):
    """``log 2F1(1, b; c; z)`` and its derivatives in ``b``, ``c`` and ``z``.

    For ``z <= _SERIES_MAX_Z`` the series ``sum_k (b)_k / (c)_k z^k`` and its derivatives are
    summed together (terms bounded by ``z^k``); the remaining rows use central differences
    of :func:`scipy.special.hyp2f1`.
    """
    b, c, z = np.broadcast_arrays(np.asarray(b, dtype="float64"), np.asarray(c, dtype="float64"), z)
    out = np.empty((4, z.size))
    series = z <= _SERIES_MAX_Z
    if series.any():
        out[:, series] = _series_derivatives(b[series], c[series], z[series])
    rest = ~series
    if rest.any():
        out[:, rest] = _numeric_derivatives(b[rest], c[rest], z[rest])
    return out[0], out[1], out[2], out[3]


def _series_derivatives(b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Series for ``log 2F1(1, b; c; z)`` and the derivatives of that log, shape (4, rows).

    Rows are grouped by ``z`` (sorted on ``z`` rounded to 1/64) and summed in cache-sized
    blocks, each until its tails are negligible (small ``z`` needs few terms).
    """
    order = np.argsort(np.floor(z * 64).astype(np.int16), kind="stable")  # a radix sort
    b, c, z = b[order], c[order], z[order]
    done = np.empty((4, z.size))
    for start in range(0, z.size, _SERIES_BLOCK):
        block = slice(start, start + _SERIES_BLOCK)
        done[:, block] = _series_block(b[block], c[block], z[block])
    out = np.empty_like(done)
    out[:, order] = done
    return out


def _series_block(b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Sum the series of one block.

    With ``t_k = (b)_k / (c)_k z^k`` the sums are ``F = sum t_k``, ``dF/db = sum t_k H_k(b)``,
    ``dF/dc = -sum t_k H_k(c)`` (``H_k(y) = sum_{j<k} 1 / (y + j)``) and
    ``dF/dz = sum k t_k / z``; as ``b < c``, every term is at most ``z`` times the previous.
    """
    term, total = np.ones_like(z), np.ones_like(z)
    h_b, h_c = np.zeros_like(z), np.zeros_like(z)
    sum_b, sum_c, sum_z = np.zeros_like(z), np.zeros_like(z), np.zeros_like(z)
    tail = 1.0 / (1.0 - z) ** 2
    b_k, c_k = b - 1.0, c - 1.0
    for k in range(1, _SERIES_MAX_TERMS + 1):
        b_k += 1.0
        c_k += 1.0
        step = term * b_k / c_k  # t_k / z
        h_b += 1.0 / b_k
        h_c += 1.0 / c_k
        sum_z += k * step
        np.multiply(step, z, out=term)
        total += term
        sum_b += term * h_b
        sum_c -= term * h_c
        if k % 4 == 0 and np.max(step * (k + 1) * (1.0 + h_b + h_c) * tail) < _SERIES_TOL:
            break
    return np.vstack([np.log(total), sum_b / total, sum_c / total, sum_z / total])


def _numeric_derivatives(b: np.ndarray, c: np.ndarray, z: np.ndarray):
    """Central differences of ``log 2F1(1, b; c; z)`` (rows with z close to 1)."""

    def log_f(bb, cc, zz):
        return np.log(hyp2f1(1.0, bb, cc, zz))

    h_b, h_c = 1e-6 * np.maximum(b, 1.0), 1e-6 * np.maximum(c, 1.0)
    d_b = (log_f(b + h_b, c, z) - log_f(b - h_b, c, z)) / (2 * h_b)
    d_c = (log_f(b, c + h_c, z) - log_f(b, c - h_c, z)) / (2 * h_c)
    # d/dz 2F1(1, b; c; z) = b / c 2F1(2, b + 1; c + 1; z)
    value = hyp2f1(1.0, b, c, z)
    d_z = b / c * hyp2f1(2.0, b + 1.0, c + 1.0, z) / value
    return np.log(value), d_b, d_c, d_z


def _lifetime_integral(s: float, start: np.ndarray, t: float) -> np.ndarray:
    """``(1 - (start / (start + t))^(s-1)) / (s - 1)``, its limit ``log(1 + t/start)`` at s = 1."""
    log_ratio = np.log1p(t / start)
    if s == 1.0:
        return log_ratio
    return -np.expm1(-(s - 1.0) * log_ratio) / (s - 1.0)
