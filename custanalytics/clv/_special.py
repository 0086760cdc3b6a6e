"""Special functions shared by the CLV models, in log space and vectorised.

One home for the pieces several likelihoods and predictions use: rising factorials and their
digamma derivatives (cumulative sums for whole counts), ``log(1 - exp(d))``, the negative
binomial probabilities of a Gamma-Poisson count, and Gauss-Legendre nodes.
"""

from __future__ import annotations

import functools

import numpy as np
from scipy.special import gammaln, psi

__all__ = [
    "digamma_rising",
    "gauss_legendre",
    "log1mexp",
    "log_rising",
]

_TABLE_MAX = 100_000


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


def log1mexp(d: np.ndarray) -> np.ndarray:
    """``log(1 - exp(d))`` for ``d <= 0`` (``-inf`` at 0), accurate at both ends.

    Parameters
    ----------
    d : numpy.ndarray
        Non-positive values.

    Returns
    -------
    numpy.ndarray
        ``log(1 - exp(d))``.
    """
    with np.errstate(divide="ignore"):
        return np.where(d > -np.log(2.0), np.log(-np.expm1(d)), np.log1p(-np.exp(d)))


@functools.cache
def gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [0, 1] (read-only, cached).

    Parameters
    ----------
    n : int
        Number of nodes.

    Returns
    -------
    nodes, weights : numpy.ndarray
        ``sum(weights * f(nodes))`` integrates ``f`` over [0, 1].
    """
    nodes, weights = np.polynomial.legendre.leggauss(n)
    nodes, weights = (nodes + 1.0) / 2.0, weights / 2.0
    nodes.flags.writeable = False
    weights.flags.writeable = False
    return nodes, weights
