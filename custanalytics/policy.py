"""Service policy per tier: contact cadence, channel and seniority; due dates and owner workload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import DataError
from .params import PolicyParams, TierPolicy

__all__ = [
    "CAPACITY_TOLERANCE",
    "DAYS_PER_MONTH",
    "contact_plan",
    "owner_capacities",
    "owner_levels",
    "owner_workload",
    "policy_table",
    "tier_policies",
]

DAYS_PER_MONTH = 365.25 / 12

#: Contacts per month by which an owner's load may exceed the capacity and still fit it (sums
#: of ``DAYS_PER_MONTH / cadence_days`` are not exact in floating point).
CAPACITY_TOLERANCE = 1e-6


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
        ``accounts``, ``contacts_per_month`` (required by the policies), ``capacity``
        (:func:`owner_capacities`), ``utilisation``, ``over_capacity`` (more contacts than
        the capacity, beyond :data:`CAPACITY_TOLERANCE`) and ``below_seniority`` (accounts
        whose tier asks for a more senior owner).
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
    levels = owner_levels(customers[graded], params)
    if levels is not None:
        table.insert(0, "seniority", levels.reindex(table.index))
        rank = {s: i for i, s in enumerate(params.seniority_order)}
        required = tier.map({k: rank.get(p.seniority, -1) for k, p in policies.items()})
        held = customers[params.seniority][graded].astype(str).map(rank).fillna(-1)
        table["below_seniority"] = (
            (held < required).groupby(owners).sum().reindex(table.index).astype("int64")
        )
    else:
        table["below_seniority"] = 0
    table["capacity"] = owner_capacities(table.get("seniority"), table.index, params)
    table["utilisation"] = table["contacts_per_month"] / table["capacity"]
    table["over_capacity"] = table["contacts_per_month"] > table["capacity"] + CAPACITY_TOLERANCE
    return table.sort_index()


def owner_levels(customers: pd.DataFrame, params: PolicyParams) -> pd.Series | None:
    """Return each owner's seniority level: the first one given among the owner's rows.

    Parameters
    ----------
    customers : pandas.DataFrame
        Rows with the owner column and the seniority column.
    params : PolicyParams
        Names the columns.

    Returns
    -------
    pandas.Series or None
        Level (text, missing where no row gives one) per owner name, sorted by owner; None
        without a seniority column (``policies.seniority`` not set).
    """
    if params.seniority is None:
        return None
    rows = customers[params.owner].notna()
    owners = customers.loc[rows, params.owner].astype(str)
    level = customers.loc[rows, params.seniority]
    level = level.astype("object").where(level.notna()).map(str, na_action="ignore")
    return level.groupby(owners, sort=True).first().reindex(owners.unique()).sort_index()


def owner_capacities(levels: pd.Series | None, owners: pd.Index, params: PolicyParams) -> pd.Series:
    """Return the contacts per month each owner can make.

    An owner's own ``policies.owner_capacity`` wins; else its level's ``policies.capacity``;
    else ``capacity.default``; else missing.

    Parameters
    ----------
    levels : pandas.Series or None
        Seniority level per owner (:func:`owner_levels`); None without seniority.
    owners : pandas.Index
        The owners.
    params : PolicyParams
        The capacities.

    Returns
    -------
    pandas.Series
        Capacity (float, NaN where none applies) per owner.
    """
    default = float(params.capacity.get("default", np.nan))
    by_level = pd.Series(default, index=owners, dtype="float64")
    if levels is not None:
        given = levels.reindex(owners).map(params.capacity).astype("float64")
        by_level = given.fillna(default)
    own = pd.Series(params.owner_capacity, dtype="float64").reindex(owners)
    return own.fillna(by_level).rename("capacity")


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
