"""Lifecycle stages and purchase patterns, from the customer table and the purchase cycles.

Stages, in order: ``prospect`` (no purchase), ``new`` (first purchase at most ``new_days``
before as-of), ``active``, ``reactivated`` (the gap before the latest purchase was longer than
the churn threshold, and the customer is not overdue now), ``at_risk`` and ``churned``
(longer since the latest purchase than the at-risk / churn threshold). The thresholds come from
one of four rules:

``own_cycle``
    the customer's own gaps: at risk beyond ``at_risk_factor`` x their median gap, churned
    beyond their ``churned_quantile`` gap (and at least ``churned_factor`` x the median, so
    churn always comes after at risk); customers with one purchase use the population rule.
``population``
    everybody's gaps pooled: at risk beyond mean + ``population_sd[0]`` SD, churned beyond
    mean + ``population_sd[1]`` SD.
``fixed``
    ``at_risk_days`` and ``churned_days``.
``p_alive``
    the CLV model: at risk below ``p_alive[0]``, churned below ``p_alive[1]``; one-time buyers
    (to whom BG/NBD gives P(alive) = 1) use the population rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from .errors import DataError
from .params import LifecycleParams

__all__ = [
    "LIFECYCLE_STAGES",
    "PURCHASE_PATTERNS",
    "PopulationCycle",
    "lifecycle",
    "population_cycle",
]

#: Lifecycle stages, in the order of a customer's life.
LIFECYCLE_STAGES = ("prospect", "new", "active", "reactivated", "at_risk", "churned")
#: Purchase patterns: steady long-term buyers, the others, and prospects.
PURCHASE_PATTERNS = ("regular", "occasional", "potential")


@dataclasses.dataclass(frozen=True)
class PopulationCycle:
    """The pooled gaps of all customers.

    Attributes
    ----------
    gaps : int
        Number of gaps (repeat purchase days).
    mean_days, sd_days : float
        Mean and standard deviation of the gaps, in days (NaN without gaps).
    """

    gaps: int
    mean_days: float
    sd_days: float


def population_cycle(cycles: pd.DataFrame) -> PopulationCycle:
    """Pool every customer's gaps into one mean and standard deviation.

    Parameters
    ----------
    cycles : pandas.DataFrame
        Output of :func:`custanalytics.cycles.purchase_cycles`.

    Returns
    -------
    PopulationCycle
        Count, mean and sample standard deviation of all gaps.
    """
    n = int(cycles["gaps"].sum())
    if n == 0:
        return PopulationCycle(0, float("nan"), float("nan"))
    mean = float(cycles["gap_sum"].sum()) / n
    squares = float(cycles["gap_sum_squares"].sum())
    variance = (squares - n * mean**2) / (n - 1) if n > 1 else 0.0
    return PopulationCycle(n, mean, float(np.sqrt(max(variance, 0.0))))


def lifecycle(
    customers: pd.DataFrame,
    cycles: pd.DataFrame,
    *,
    as_of: dt.date | str,
    rules: LifecycleParams | None = None,
) -> pd.DataFrame:
    """Place every customer in a lifecycle stage and a purchase pattern.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table (:func:`custanalytics.summarize`, or ``TieringResult.customers``):
        ``orders``, ``first_purchase``, ``last_purchase``, ``T`` in days; ``p_alive`` for the
        ``p_alive`` rule. Never modified.
    cycles : pandas.DataFrame
        Output of :func:`custanalytics.cycles.purchase_cycles` for the same transactions.
    as_of : date or str
        Observation end.
    rules : LifecycleParams, optional
        The rule and thresholds (the ``lifecycle:`` block of the parameter file); the
        defaults if omitted.

    Returns
    -------
    pandas.DataFrame
        Same index as ``customers``: ``lifecycle_stage`` (ordered categorical),
        ``days_since_purchase``, ``typical_gap_days`` (own median gap, else the population
        mean), ``days_overdue`` (days past the typical gap, 0 if not yet due), ``at_risk_after``
        and ``churned_after`` (the thresholds that applied, in days), ``purchase_pattern``
        and ``frequency_class`` (``high`` above the median purchase rate per year of tenure).

    Raises
    ------
    DataError
        If the ``p_alive`` rule is asked for without a ``p_alive`` column.
    """
    rules = rules or LifecycleParams()
    as_of = pd.Timestamp(as_of)
    cycle = cycles.reindex(customers.index)
    population = population_cycle(cycles)
    buyer = customers["orders"].to_numpy() > 0
    since = (as_of - customers["last_purchase"]).dt.days.to_numpy(dtype="float64")
    age = (as_of - customers["first_purchase"]).dt.days.to_numpy(dtype="float64")
    own = cycle["gaps"].fillna(0).to_numpy() > 0
    pop_risk = population.mean_days + rules.population_sd[0] * population.sd_days
    pop_churn = population.mean_days + rules.population_sd[1] * population.sd_days
    median = cycle["gap_median"].to_numpy(dtype="float64")
    at_risk_after = np.full(len(customers), pop_risk)
    churned_after = np.full(len(customers), pop_churn)
    if rules.rule == "fixed":
        at_risk_after[:] = rules.at_risk_days
        churned_after[:] = rules.churned_days
    elif rules.rule == "own_cycle":
        at_risk_after = np.where(own, rules.at_risk_factor * median, at_risk_after)
        own_churn = np.maximum(cycle["gap_quantile"].to_numpy(), rules.churned_factor * median)
        churned_after = np.where(own, own_churn, churned_after)
    if rules.rule == "p_alive":
        if "p_alive" not in customers.columns:
            raise DataError(
                "lifecycle rule 'p_alive' needs a p_alive column (from a fitted CLV model); "
                "choose lifecycle.rule: own_cycle, population or fixed"
            )
        p_alive = customers["p_alive"].to_numpy(dtype="float64")
        model = customers["frequency"].to_numpy() > 0
        risk = np.where(model, p_alive < rules.p_alive[0], since > at_risk_after)
        churn = np.where(model, p_alive < rules.p_alive[1], since > churned_after)
    else:
        risk, churn = since > at_risk_after, since > churned_after
    reactivation = rules.churned_days if rules.rule == "fixed" else pop_churn
    came_back = cycle["gap_last"].to_numpy(dtype="float64") > reactivation
    stage = np.select(
        [~buyer, age <= rules.new_days, churn, risk, came_back],
        ["prospect", "new", "churned", "at_risk", "reactivated"],
        default="active",
    )
    typical = np.where(own, median, population.mean_days)
    overdue = np.clip(since - typical, 0, None)
    out = pd.DataFrame(
        {
            "lifecycle_stage": pd.Categorical(stage, categories=LIFECYCLE_STAGES, ordered=True),
            "days_since_purchase": since,
            "typical_gap_days": np.where(buyer, typical, np.nan),
            "days_overdue": np.where(buyer, overdue, np.nan),
            "at_risk_after": np.where(buyer, at_risk_after, np.nan),
            "churned_after": np.where(buyer, churned_after, np.nan),
        },
        index=customers.index,
    )
    out["purchase_pattern"] = _patterns(customers, cycle, rules, buyer)
    out["frequency_class"] = _frequency_class(customers, rules, buyer)
    return out


def _patterns(customers, cycle, rules: LifecycleParams, buyer: np.ndarray) -> pd.Categorical:
    gaps = cycle["gaps"].fillna(0).to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = cycle["gap_sum"].to_numpy(dtype="float64") / gaps
        variance = cycle["gap_sum_squares"].to_numpy(dtype="float64") / gaps - mean**2
        cv = np.sqrt(np.clip(variance, 0, None)) / mean
    regular = (
        (customers["orders"].to_numpy() >= rules.regular_min_orders)
        & (customers["T"].to_numpy(dtype="float64") >= rules.regular_min_tenure_days)
        & (cv <= rules.regular_max_cv)
    )
    pattern = np.select([~buyer, regular], ["potential", "regular"], default="occasional")
    return pd.Categorical(pattern, categories=PURCHASE_PATTERNS, ordered=True)


def _frequency_class(customers, rules: LifecycleParams, buyer: np.ndarray) -> pd.Categorical:
    """High when the purchase rate per year of tenure is above the buyers' median."""
    tenure = np.maximum(customers["T"].to_numpy(dtype="float64"), rules.new_days)
    rate = customers["orders"].to_numpy(dtype="float64") / tenure * 365.25
    median = np.median(rate[buyer]) if buyer.any() else np.nan
    labels = np.where(rate > median, "high", "low").astype(object)
    labels[~buyer] = None
    return pd.Categorical(labels, categories=("high", "low"), ordered=True)
