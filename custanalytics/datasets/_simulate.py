"""Synthetic transaction logs drawn from the BG/NBD purchase process with Gamma-Gamma spend.

The generative model is the one the CLV models assume (Fader, Hardie & Lee 2005; Fader &
Hardie 2013), so a fitted model can be checked against the true per-customer parameters.
Time is measured in weeks, as in the papers:

* each customer is acquired, with a first purchase, at a time spread uniformly over the first
  ``acquisition_days`` days after ``start``;
* while alive, purchases follow a Poisson process with rate ``lam ~ Gamma(r, rate=alpha)``
  per week;
* after each repeat purchase the customer drops out with probability
  ``p_dropout ~ Beta(a, b)``;
* every purchase is worth ``z ~ Gamma(p, rate=nu)`` with ``nu ~ Gamma(q, rate=gamma)`` per
  customer.

The draw is vectorised: the number of repeat purchases is drawn first (the smaller of a Poisson
count over the customer's window and the geometric purchase number after which the customer
drops out), then the purchase times as the first order statistics of uniform times in the
window, from cumulative exponential spacings.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..errors import ParameterError

__all__ = ["simulate_transactions", "simulate_transactions_rows"]

_SECONDS_PER_WEEK = 7 * 86_400
_PILOT_CUSTOMERS = 20_000
_ROWS_MARGIN = 1.1
_MODEL_PARAMETERS = ("r", "alpha", "a", "b", "p", "q", "gamma")
_DEFAULTS = {
    "r": 0.243,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "p": 6.25,
    "q": 3.74,
    "gamma": 15.44,
    "acquisition_days": 90,
    "observation_days": 545,
}


def simulate_transactions(
    n_customers: int,
    *,
    r: float = 0.243,
    alpha: float = 4.414,
    a: float = 0.793,
    b: float = 2.426,
    p: float = 6.25,
    q: float = 3.74,
    gamma: float = 15.44,
    start: str | pd.Timestamp = "2024-01-01",
    acquisition_days: float = 90,
    observation_days: float = 545,
    random_state: int | np.random.Generator | None = 0,
    return_truth: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate a transaction log from the BG/NBD process with Gamma-Gamma spend.

    The defaults are the published CDNOW estimates (BG/NBD: Fader, Hardie & Lee 2005;
    Gamma-Gamma: Fader & Hardie 2013), with time in weeks.

    Parameters
    ----------
    n_customers : int
        Number of customers; each makes at least the first purchase.
    r, alpha : float
        Shape and rate of the Gamma distribution of the purchase rate ``lam`` (per week).
    a, b : float
        Parameters of the Beta distribution of the dropout probability after each repeat
        purchase.
    p : float
        Shape of the Gamma distribution of a transaction's value given the customer's ``nu``.
    q, gamma : float
        Shape and rate of the Gamma distribution of ``nu``; the mean transaction value is
        ``p * gamma / (q - 1)`` when ``q > 1``.
    start : str or pandas.Timestamp
        Start of the acquisition period and of the observation window.
    acquisition_days : float
        First purchases are spread uniformly over this many days after ``start``.
    observation_days : float
        Length of the observation window in days; no purchase falls at or after
        ``start + observation_days``.
    random_state : int, numpy.random.Generator or None
        Seed or generator passed to :func:`numpy.random.default_rng`.
    return_truth : bool
        Also return the true per-customer parameters.

    Returns
    -------
    pandas.DataFrame or tuple of pandas.DataFrame
        The transactions, one row per purchase, sorted by customer then date: ``customer_id``
        (str, ``"C"`` followed by a number zero-padded to the width of ``n_customers``),
        ``date`` (datetime64[ns], to the second) and ``amount`` (float64, rounded to cents,
        at least 0.01). With ``return_truth=True``, a tuple ``(transactions, truth)`` where
        ``truth`` is indexed by ``customer_id`` with columns ``lam`` (purchase rate per
        week), ``p_dropout``, ``nu`` and ``alive_at_end`` (bool: not dropped out by the end
        of the window).

    Raises
    ------
    ParameterError
        If ``n_customers`` is not a positive integer, a model parameter is not a positive
        finite number, or the acquisition period does not fit in the observation window.
    """
    _check_count("n_customers", n_customers)
    params = _validated_params(
        r=r,
        alpha=alpha,
        a=a,
        b=b,
        p=p,
        q=q,
        gamma=gamma,
        acquisition_days=acquisition_days,
        observation_days=observation_days,
    )
    origin = _timestamp("start", start)
    rng = np.random.default_rng(random_state)
    transactions, truth = _simulate(n_customers, params, origin, rng)
    return (transactions, truth.drop(columns="n_rows")) if return_truth else transactions


def simulate_transactions_rows(
    n_rows: int,
    *,
    random_state: int | np.random.Generator | None = 0,
    **params,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate a transaction log of about ``n_rows`` rows.

    The mean number of rows per customer is estimated from a pilot run of 20,000 customers;
    10 % more customers than needed are then simulated and the last customers are dropped
    whole, so that no customer's history is cut. The result has at most ``n_rows`` rows (unless
    the first customer alone has more) and usually falls short by less than one customer's
    purchases.

    Parameters
    ----------
    n_rows : int
        Target number of transactions.
    random_state : int, numpy.random.Generator or None
        Seed or generator passed to :func:`numpy.random.default_rng`; the pilot run and the
        simulation draw from the same generator.
    **params
        Any keyword argument of :func:`simulate_transactions` except ``n_customers``
        (including ``return_truth``).

    Returns
    -------
    pandas.DataFrame or tuple of pandas.DataFrame
        As :func:`simulate_transactions`; the truth table, if requested, holds the kept
        customers only.

    Raises
    ------
    ParameterError
        If ``n_rows`` is not a positive integer, ``n_customers`` or an unknown keyword is
        passed, or a parameter is invalid (see :func:`simulate_transactions`).
    """
    _check_count("n_rows", n_rows)
    return_truth = params.pop("return_truth", False)
    origin = _timestamp("start", params.pop("start", "2024-01-01"))
    unknown = sorted(set(params) - set(_DEFAULTS))
    if unknown:
        raise ParameterError(
            f"simulate_transactions_rows got unknown parameter(s) {unknown}; the row count "
            "sets n_customers, so pass only model parameters, start, acquisition_days, "
            "observation_days, random_state and return_truth"
        )
    model = _validated_params(**params)
    rng = np.random.default_rng(random_state)
    pilot, _ = _simulate(_PILOT_CUSTOMERS, model, origin, rng)
    rows_per_customer = len(pilot) / _PILOT_CUSTOMERS
    n_customers = math.ceil(_ROWS_MARGIN * n_rows / rows_per_customer) + 100
    transactions, truth = _simulate(n_customers, model, origin, rng)
    rows_by_customer = np.cumsum(truth["n_rows"].to_numpy())
    n_kept = max(1, int(np.searchsorted(rows_by_customer, n_rows, side="right")))
    transactions = transactions.iloc[: rows_by_customer[n_kept - 1]]
    truth = truth.iloc[:n_kept].drop(columns="n_rows")
    return (transactions, truth) if return_truth else transactions


def _validated_params(**given: float) -> dict[str, float]:
    """Merge ``given`` into the defaults and check every value; return the full dict."""
    params = {**_DEFAULTS, **given}
    for name in (*_MODEL_PARAMETERS, "observation_days"):
        value = params[name]
        if not _is_real(value) or not (0 < value < math.inf):
            raise ParameterError(
                f"{name} must be a positive finite number, got {value!r}; pass a value > 0 "
                f"(default {_DEFAULTS[name]})"
            )
    acquisition, observation = params["acquisition_days"], params["observation_days"]
    if not _is_real(acquisition) or not 0 <= acquisition < observation:
        raise ParameterError(
            f"acquisition_days must be a number in [0, observation_days) = [0, {observation}), "
            f"got {acquisition!r}; shorten the acquisition period or lengthen observation_days"
        )
    return {name: float(value) for name, value in params.items()}


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ParameterError(f"{name} must be an integer >= 1, got {value!r}; pass e.g. 1000")


def _is_real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and not math.isnan(value)


def _timestamp(name: str, value: str | pd.Timestamp) -> pd.Timestamp:
    message = f"{name} must be a date without time zone, got {value!r}; pass e.g. '2024-01-01'"
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(message) from exc
    if pd.isna(stamp) or stamp.tz is not None:
        raise ParameterError(message)
    return stamp


def _simulate(
    n_customers: int,
    params: dict[str, float],
    origin: pd.Timestamp,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw customers and their purchases; ``truth`` also carries ``n_rows`` per customer."""
    lam = rng.gamma(params["r"], 1 / params["alpha"], n_customers)
    p_dropout = rng.beta(params["a"], params["b"], n_customers)
    nu = rng.gamma(params["q"], 1 / params["gamma"], n_customers)
    acquired = rng.uniform(0, params["acquisition_days"] / 7, n_customers)
    window = params["observation_days"] / 7 - acquired

    n_events = rng.poisson(lam * window)
    dropout_after = rng.geometric(np.maximum(p_dropout, np.finfo(float).tiny))
    n_repeat = np.minimum(n_events, dropout_after)
    repeat_weeks = _first_arrival_times(n_repeat, n_events, window, rng)

    n_rows = n_repeat + 1
    owner = np.repeat(np.arange(n_customers), n_rows)
    dates = _timestamps(origin, acquired, owner, n_rows, repeat_weeks, params["observation_days"])
    del repeat_weeks
    amounts = rng.gamma(params["p"], 1 / nu[owner])
    np.maximum(np.round(amounts, 2, out=amounts), 0.01, out=amounts)

    ids = _customer_ids(n_customers)
    transactions = pd.DataFrame(
        {
            "customer_id": ids.take(owner).reset_index(drop=True),
            "date": dates,
            "amount": amounts,
        },
        copy=False,
    )
    truth = pd.DataFrame(
        {
            "lam": lam,
            "p_dropout": p_dropout,
            "nu": nu,
            "alive_at_end": dropout_after > n_events,
            "n_rows": n_rows,
        },
        index=pd.Index(ids, name="customer_id"),
    )
    return transactions, truth


def _first_arrival_times(
    n_first: np.ndarray, n_events: np.ndarray, window: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Draw the first ``n_first`` of ``n_events`` uniform times on ``(0, window)``, per customer.

    Uses ``U_(i) = S_i / S_(n+1)`` where ``S`` are cumulative sums of standard exponentials;
    only the first ``n_first`` spacings are drawn, the remainder of ``S_(n+1)`` is one Gamma.
    Returns the times of all customers concatenated, ascending within each customer.
    """
    ends = np.cumsum(n_first)
    cumulative = np.zeros(ends[-1] + 1)
    rng.standard_exponential(out=cumulative[1:])
    np.cumsum(cumulative, out=cumulative)
    before = cumulative[ends - n_first]
    total = cumulative[ends] - before + rng.standard_gamma(n_events - n_first + 1)
    owner = np.repeat(np.arange(len(n_first)), n_first)
    times = cumulative[1:]
    times -= before[owner]
    times *= (window / total)[owner]
    return times


def _timestamps(
    origin: pd.Timestamp,
    acquired: np.ndarray,
    owner: np.ndarray,
    n_rows: np.ndarray,
    repeat_weeks: np.ndarray,
    observation_days: float,
) -> np.ndarray:
    """Return purchase times as datetime64[ns], to the second, before the end of the window.

    ``owner`` maps rows to customers; each customer's first row is the acquisition, the
    others are the repeat purchases ``repeat_weeks`` after it.
    """
    is_repeat = np.ones(len(owner), dtype=bool)
    is_repeat[np.cumsum(n_rows) - n_rows] = False
    seconds = acquired[owner]
    seconds[is_repeat] += repeat_weeks
    seconds *= _SECONDS_PER_WEEK
    np.floor(seconds, out=seconds)
    np.minimum(seconds, round(observation_days * 86_400) - 1, out=seconds)
    nanoseconds = seconds.astype("int64")
    nanoseconds *= 1_000_000_000
    nanoseconds += origin.as_unit("ns").value
    return nanoseconds.view("datetime64[ns]")


def _customer_ids(n_customers: int) -> pd.Series:
    """Return ``"C"`` + the 1-based number zero-padded to the width of ``n_customers``."""
    numbers = pd.Series(np.arange(1, n_customers + 1)).astype("str")
    return "C" + numbers.str.zfill(len(str(n_customers)))
