"""Service policy per tier: contact cadence, channel and seniority; due dates and owner workload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._codes import aligned, positions, text_codes
from .errors import DataError
from .params import PolicyParams, TierPolicy

__all__ = [
    "CAPACITY_TOLERANCE",
    "DAYS_PER_MONTH",
    "contact_plan",
    "owner_capacities",
    "owner_codes",
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
    # arrays rather than Series: pandas rebuilds a string index's engine on Series operations
    tier = aligned(tiers, customers.index)
    code = positions(tier, list(policies))
    known = code >= 0
    cadence = np.array([p.cadence_days for p in policies.values()], dtype="float64")
    cadence = np.where(known, cadence[code], np.nan)
    channel = np.array([p.channel for p in policies.values()], dtype=object)
    channel = pd.array(np.where(known, channel[code], np.nan), dtype="str")
    last = customers["last_purchase"]
    if not pd.api.types.is_datetime64_any_dtype(last):
        last = pd.to_datetime(last)
    if last_contact is not None:
        contact = pd.to_datetime(last_contact.reindex(customers.index)).astype(last.dtype)
        later = contact.notna() & (last.isna() | (contact > last))
        last = contact.where(later, last)
    due = last.array + pd.to_timedelta(cadence, unit="D").array
    overdue = (pd.Timestamp(as_of) - due).days.astype("float64")
    shown = last.array.copy()
    shown[tier.isna().to_numpy()] = pd.NaT
    return pd.DataFrame(
        {
            "contact_channel": channel,
            "contact_cadence_days": cadence,
            "last_contact": shown,
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
    names = list(policies)
    tier_code = positions(aligned(tiers, customers.index), names)
    owner_code, owners = owner_codes(customers, params)
    graded = (tier_code >= 0) & (owner_code >= 0)
    tier_code, owner_code = tier_code[graded], owner_code[graded]
    present = np.flatnonzero(np.bincount(owner_code, minlength=len(owners)))
    position = np.zeros(len(owners), dtype="int64")
    position[present] = np.arange(len(present))
    owner_code = position[owner_code]  # among the owners with a graded customer
    accounts = np.bincount(
        owner_code * len(names) + tier_code, minlength=len(present) * len(names)
    ).reshape(len(present), len(names))
    table = pd.DataFrame(
        accounts,
        index=pd.Index(owners[present], name="owner"),
        columns=[f"accounts_{c}" for c in names],
    )
    table["accounts"] = accounts.sum(axis=1)
    load = np.array([DAYS_PER_MONTH / p.cadence_days for p in policies.values()])
    table["contacts_per_month"] = np.bincount(
        owner_code, weights=load[tier_code], minlength=len(present)
    )
    if params.seniority is not None:
        level_code, level_names = text_codes(customers[params.seniority])
        level_code = level_code[graded]
        table.insert(0, "seniority", _first_level(owner_code, level_code, level_names, table.index))
        rank = {s: i for i, s in enumerate(params.seniority_order)}
        held = pd.Index(params.seniority_order).get_indexer(level_names)
        held = np.where(level_code >= 0, held[level_code], -1)
        required = np.array([rank.get(p.seniority, -1) for p in policies.values()])
        below = held < required[tier_code]
        table["below_seniority"] = np.bincount(
            owner_code, weights=below, minlength=len(present)
        ).astype("int64")
    else:
        table["below_seniority"] = 0
    table["capacity"] = owner_capacities(table.get("seniority"), table.index, params)
    table["utilisation"] = table["contacts_per_month"] / table["capacity"]
    table["over_capacity"] = table["contacts_per_month"] > table["capacity"] + CAPACITY_TOLERANCE
    return table


def owner_codes(customers: pd.DataFrame, params: PolicyParams) -> tuple[np.ndarray, pd.Index]:
    """Return each customer's owner as a code into the owners' names (as text, sorted).

    Parameters
    ----------
    customers : pandas.DataFrame
        Rows with the owner column.
    params : PolicyParams
        Names the column.

    Returns
    -------
    codes : numpy.ndarray
        Position of the row's owner in ``owners``; -1 without an owner.
    owners : pandas.Index
        The distinct owners as text, sorted.
    """
    return text_codes(customers[params.owner])


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
        Level (text, missing where no row gives one) per owner of :func:`owner_codes`;
        None without a seniority column (``policies.seniority`` not set).
    """
    if params.seniority is None:
        return None
    owner_code, owners = owner_codes(customers, params)
    level_code, level_names = text_codes(customers[params.seniority])
    rows = owner_code >= 0
    return _first_level(owner_code[rows], level_code[rows], level_names, owners)


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


def _first_level(
    owner_code: np.ndarray, level_code: np.ndarray, level_names: pd.Index, owners: pd.Index
) -> pd.Series:
    """Return the first level given per owner (rows in table order), missing where none is."""
    rows = np.flatnonzero(level_code >= 0)
    found, first = np.unique(owner_code[rows], return_index=True)
    level = np.full(len(owners), np.nan, dtype=object)
    level[found] = np.asarray(level_names, dtype=object)[level_code[rows[first]]]
    return pd.Series(level, index=owners, dtype="str")
