"""MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD with dropout at the first purchase too."""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln, hyp2f1, psi

from ._base import LikelihoodModel
from ._inputs import ModelInputs
from ._predict import PurchaseModelMixin

__all__ = ["ModifiedBetaGeoModel"]

_TABLE_MAX = 100_000


class ModifiedBetaGeoModel(PurchaseModelMixin, LikelihoodModel):
    """MBG/NBD model of repeat purchasing.

    While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); at the first
    purchase and after each repeat purchase they drop out with probability p ~ Beta(a, b).
    Unlike BG/NBD, a customer without repeat purchases can already be inactive, so their
    P(alive) is below 1. Time is in the unit of the summary table (``time_unit`` of
    :func:`custanalytics.summarize`): alpha is in that unit.

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

    Notes
    -----
    The likelihood and P(alive) are Batislam et al.'s (2007), the conditional expectation is
    Wagner & Hoppe's (2008) correction; the hypergeometric term of the expectation is used
    in its Euler-transformed form, which stays finite for very frequent buyers.

    References
    ----------
    Batislam, E. P., Denizel, M. and Filiztekin, A. (2007), "Empirical validation and
    comparison of models for customer base analysis", International Journal of Research in
    Marketing 24 (3), 201-209.

    Wagner, U. and Hoppe, D. (2008), "Erratum on the MBG/NBD Model", International Journal of
    Research in Marketing 25 (3), 225-226.

    Examples
    --------
    >>> model = ModifiedBetaGeoModel().fit(summary)    # doctest: +SKIP
    >>> model.expected_purchases(summary, horizon=39)  # doctest: +SKIP
    """

    _param_names = ("r", "alpha", "a", "b")
    _columns = ("frequency", "recency", "T")

    def _initial_params(self, data: ModelInputs) -> np.ndarray:
        return np.array([1.0, max(float(np.max(data["T"])), 1e-3) / 10.0, 1.0, 1.0])

    @staticmethod
    def _terms(params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray):
        """Log-likelihood ``a1 + a2 + logaddexp(a3, a4)`` in pieces.

        ``a3`` is "alive at T", ``a4`` "dropped out at the last purchase, at t_x" (at the
        first purchase, t_x = 0, for customers without repeat purchases).
        """
        r, alpha, a, b = params
        a1 = log_rising(r, x) + r * np.log(alpha)
        a2 = log_rising(b, x + 1) - log_rising(a + b, x + 1)  # log B(a, b+x+1) / B(a, b)
        a3 = -(r + x) * np.log(alpha + T)
        a4 = np.log(a) - np.log(b + x) - (r + x) * np.log(alpha + tx)
        return a1, a2, a3, a4

    def _log_likelihood(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        a1, a2, a3, a4 = self._terms(params, data["frequency"], data["recency"], data["T"])
        return a1 + a2 + np.logaddexp(a3, a4)

    def _gradient(self, params: np.ndarray, data: ModelInputs) -> np.ndarray:
        return self._log_likelihood_and_gradient(params, data)[1]

    def _log_likelihood_and_gradient(
        self, params: np.ndarray, data: ModelInputs
    ) -> tuple[np.ndarray, np.ndarray]:
        r, alpha, a, b = params
        x, tx, T = data["frequency"], data["recency"], data["T"]
        a1, a2, a3, a4 = self._terms(params, x, tx, T)
        total = np.logaddexp(a3, a4)
        w4 = np.exp(a4 - total)
        w3 = 1.0 - w4
        log_alpha_t, log_alpha_tx = np.log(alpha + T), np.log(alpha + tx)
        psi_ab = digamma_rising(a + b, x + 1)
        d_r = digamma_rising(r, x) + np.log(alpha) - w3 * log_alpha_t - w4 * log_alpha_tx
        d_alpha = r / alpha - (r + x) * (w3 / (alpha + T) + w4 / (alpha + tx))
        d_a = -psi_ab + w4 / a
        d_b = digamma_rising(b, x + 1) - psi_ab - w4 / (b + x)
        return a1 + a2 + total, np.vstack([d_r, d_alpha, d_a, d_b])

    # -- predictions (natural parameters, arrays) -------------------------------------
    @staticmethod
    def _log_odds_dead(params, x, tx, T) -> np.ndarray:
        """Log of a/(b+x) ((alpha+T)/(alpha+tx))^(r+x); finite for x = 0 too."""
        r, alpha, a, b = params
        return np.log(a) - np.log(b + x) + (r + x) * np.log1p((T - tx) / (alpha + tx))

    def _probability_alive(self, params, x, tx, T) -> np.ndarray:
        return np.exp(-np.logaddexp(0.0, self._log_odds_dead(params, x, tx, T)))

    def _expected_purchases(self, params, x, tx, T, t) -> np.ndarray:
        r, alpha, a, b = params
        return (
            (a + b + x)
            / (a - 1)
            * _one_minus_tail(params, x, alpha + T, t)
            * self._probability_alive(params, x, tx, T)
        )

    def _expected_purchases_new(self, params, t) -> np.ndarray:
        r, alpha, a, b = params
        t = np.asarray(t, dtype="float64")
        return b / (a - 1) * _one_minus_tail(params, 0.0, alpha, t)


def _one_minus_tail(params, x, start, t) -> np.ndarray:
    """``1 - 2F1(r+x, b+x+1; a+b+x; z) (1-z)^(r+x)`` with ``z = t / (start + t)``.

    Evaluated as ``1 - (1-z)^(a-1) 2F1(a+b-r, a-1; a+b+x; z)`` (Euler's transformation),
    whose hypergeometric factor does not grow with the frequency ``x``.
    """
    r, alpha, a, b = params
    z = t / (start + t)
    hyp = hyp2f1(a + b - r, a - 1.0, a + b + x, z)
    return 1.0 - np.exp((a - 1.0) * np.log1p(-z)) * hyp


def _counts(x: np.ndarray) -> np.ndarray | None:
    """``x`` as integer indices if it holds whole numbers small enough for a lookup table."""
    x = np.asarray(x)
    if x.size == 0 or x.min() < 0 or x.max() > _TABLE_MAX or not np.all(x == np.floor(x)):
        return None
    return x.astype(np.intp)


def log_rising(y: float, x: np.ndarray) -> np.ndarray:
    """``log Gamma(y + x) - log Gamma(y)``, the log of the rising factorial ``(y)_x``.

    For whole ``x`` (frequencies) it is a cumulative sum of ``log(y + j)`` looked up per
    row: cheaper than two ``gammaln`` per row and free of their cancellation for large ``y``.

    Parameters
    ----------
    y : float
        Positive base.
    x : numpy.ndarray
        Non-negative counts (any non-negative reals are accepted).

    Returns
    -------
    numpy.ndarray
        One value per element of ``x``.
    """
    k = _counts(x)
    if k is None:
        return gammaln(y + x) - gammaln(y)
    table = np.zeros(k.max() + 1)
    np.cumsum(np.log(y + np.arange(k.max())), out=table[1:])
    return table[k]


def digamma_rising(y: float, x: np.ndarray) -> np.ndarray:
    """``psi(y + x) - psi(y)``: the derivative of :func:`log_rising` in ``y``.

    Parameters
    ----------
    y : float
        Positive base.
    x : numpy.ndarray
        Non-negative counts (any non-negative reals are accepted).

    Returns
    -------
    numpy.ndarray
        One value per element of ``x``.
    """
    k = _counts(x)
    if k is None:
        return psi(y + x) - psi(y)
    table = np.zeros(k.max() + 1)
    np.cumsum(1.0 / (y + np.arange(k.max())), out=table[1:])
    return table[k]
