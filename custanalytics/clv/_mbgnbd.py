"""MBG/NBD (Batislam, Denizel & Filiztekin 2007): BG/NBD with dropout at the first purchase too."""

from __future__ import annotations

from ._bgnbd import _BetaGeoCore

__all__ = ["ModifiedBetaGeoModel"]


class ModifiedBetaGeoModel(_BetaGeoCore):
    """MBG/NBD model of repeat purchasing.

    While alive, a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); at the first
    purchase and after each repeat purchase they drop out with probability p ~ Beta(a, b).
    Unlike BG/NBD, a customer without repeat purchases can already be inactive, so their
    P(alive) is below 1. Time is in the unit of the summary table (``time_unit`` of
    :func:`custanalytics.summarize`): alpha is in that unit. It shares its likelihood,
    gradient and predictions with :class:`BetaGeoModel` (one more dropout chance).

    Parameters
    ----------
    covariates : list of str, optional
        Customer attributes shifting alpha, a and b (see :class:`BetaGeoModel`).
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

    _k = 1
