"""Service policy per tier: contact cadence, channel and seniority; due dates and owner workload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import DataError
from .params import PolicyParams, TierPolicy

__all__ = ["DAYS_PER_MONTH", "contact_plan", "owner_workload", "policy_table", "tier_policies"]

DAYS_PER_MONTH = 365.25 / 12


def tier_policies(levels: Sequence[str], params: PolicyParams) -> dict[str, TierPolicy]:
    """Return the policy of every level: the parameters' own, else a preset by position.

    The preset gives the best level personal visits every 14 days by the most senior owners
    and project-level discussions, the lowest level automated contact every 90 days and a
    keep-in-touch message, and the levels between phone calls every 30 days for relationship
    maintenance by mid-level owners.

    Parameters
    ----------
    levels : sequence of str
        The scheme's levels, best first.
    params : PolicyParams
        The ``policies:`` parameters.

    Returns
    -------
    dict
        Level → TierPolicy.
    """
    order = list(params.seniority_order)
    senior, junior = (order[-1], order[0]) if order else (None, None)
    middle = order[len(order) // 2] if order else None
    presets = {}
    for i, level in enumerate(levels):
        if i == 0:
            presets[level] = TierPolicy(14, senior, "visit", "project")
        elif i == len(levels) - 1:
            presets[level] = TierPolicy(90, junior, "automated", "keep_in_touch")
        else:
            presets[level] = TierPolicy(30, middle, "phone", "relationship")
    unknown = sorted(set(params.tiers) - set(levels))
    if unknown:
        raise DataError(
            f"policies.tiers has level {unknown[0]!r}, which the primary scheme does not have "
            f"(its levels: {', '.join(levels)}); use those keys"
        )
    return {level: params.tiers.get(level, presets[level]) for level in levels}


def contact_plan(
    customers: pd.DataFrame,
    tiers: pd.Series,
    policies: Mapping[str, TierPolicy],
    *,
    as_of: dt.date,
    last_contact: pd.Series | None = None,
) -> pd.DataFrame:
    """Give every graded customer its next contact date under its tier's policy.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``last_purchase``.
    tiers : pandas.Series
        Tier per customer (missing: no policy, e.g. a prospect).
    policies : mapping
        Level → TierPolicy (:func:`tier_policies`).
    as_of : datetime.date
        Observation end.
    last_contact : pandas.Series, optional
        Latest interaction per customer; the last purchase stands in where missing.

    Returns
    -------
    pandas.DataFrame
        Same index: ``contact_channel``, ``contact_cadence_days``, ``last_contact``,
        ``next_contact_due`` and ``contact_overdue_days`` (days past due at as-of, 0 if not
        yet due).
    """
    tier = tiers.reindex(customers.index).astype("object")
    cadence = tier.map({k: p.cadence_days for k, p in policies.items()}).astype("float64")
    channel = tier.map({k: p.channel for k, p in policies.items()})
    last = pd.to_datetime(customers["last_purchase"])
    if last_contact is not None:
        contact = pd.to_datetime(last_contact.reindex(customers.index)).astype(last.dtype)
        later = contact.notna() & (last.isna() | (contact > last))
        last = contact.where(later, last)
    due = last + pd.to_timedelta(cadence, unit="D")
    overdue = (pd.Timestamp(as_of) - due).dt.days.astype("float64")
    return pd.DataFrame(
        {
            "contact_channel": channel,
            "contact_cadence_days": cadence,
            "last_contact": last.where(tier.notna()),
            "next_contact_due": due,
            "contact_overdue_days": np.clip(overdue, 0, None),
        },
        index=customers.index,
    )


def owner_workload(
    customers: pd.DataFrame,
    tiers: pd.Series,
    policies: Mapping[str, TierPolicy],
    params: PolicyParams,
) -> pd.DataFrame:
    """Sum up each owner's accounts, the contacts their tiers require, and the capacity.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with the owner column (and the seniority column, if named).
    tiers : pandas.Series
        Tier per customer.
    policies : mapping
        Level → TierPolicy.
    params : PolicyParams
        Names the owner and seniority columns and the capacities.

    Returns
    -------
    pandas.DataFrame
        One row per owner: ``seniority``, accounts per tier (``accounts_<level>``),
        ``accounts``, ``contacts_per_month`` (required by the policies), ``capacity``,
        ``utilisation``, ``over_capacity`` and ``below_seniority`` (accounts whose tier asks
        for a more senior owner).
    """
    owner = customers[params.owner]
    graded = tiers.reindex(customers.index).notna() & owner.notna()
    tier = tiers.reindex(customers.index)[graded].astype(str)
    owners = owner[graded].astype(str)
    per_month = tier.map({k: DAYS_PER_MONTH / p.cadence_days for k, p in policies.items()})
    table = pd.crosstab(owners, tier).reindex(columns=list(policies), fill_value=0)
    table.columns = [f"accounts_{c}" for c in table.columns]
    table.index.name = "owner"
    table["accounts"] = table.sum(axis=1)
    table["contacts_per_month"] = per_month.groupby(owners).sum().reindex(table.index)
    if params.seniority is not None:
        level = customers[params.seniority][graded].astype(str).groupby(owners).first()
        table.insert(0, "seniority", level.reindex(table.index))
        rank = {s: i for i, s in enumerate(params.seniority_order)}
        required = tier.map({k: rank.get(p.seniority, -1) for k, p in policies.items()})
        held = customers[params.seniority][graded].astype(str).map(rank).fillna(-1)
        table["below_seniority"] = (
            (held < required).groupby(owners).sum().reindex(table.index).astype("int64")
        )
        table["capacity"] = table["seniority"].map(params.capacity).astype("float64")
    else:
        table["below_seniority"] = 0
        table["capacity"] = float(params.capacity.get("default", np.nan))
    table["utilisation"] = table["contacts_per_month"] / table["capacity"]
    table["over_capacity"] = table["utilisation"] > 1
    return table.sort_index()


def policy_table(policies: Mapping[str, TierPolicy]) -> pd.DataFrame:
    """Return the policies as a table with the contacts per month they require per account.

    Parameters
    ----------
    policies : mapping
        Level → TierPolicy.

    Returns
    -------
    pandas.DataFrame
        Indexed by tier: ``cadence_days``, ``seniority``, ``channel``, ``content``,
        ``contacts_per_month``.
    """
    rows = {k: dataclasses.asdict(p) for k, p in policies.items()}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "tier"
    table["contacts_per_month"] = DAYS_PER_MONTH / table["cadence_days"]
    return table
