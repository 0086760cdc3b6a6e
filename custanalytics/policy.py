"""Service policy per tier: cadence, channel, seniority; due dates, workload, visit compliance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

import ibis
import numpy as np
import pandas as pd

from ._codes import aligned, positions, text_codes
from .data import Interactions
from .errors import DataError
from .params import PolicyParams, TierPolicy

__all__ = [
    "CAPACITY_TOLERANCE",
    "COMPLIANCE_COLUMNS",
    "CONTACT_SOURCES",
    "DAYS_PER_MONTH",
    "contact_history",
    "contact_plan",
    "owner_capacities",
    "owner_codes",
    "owner_levels",
    "owner_workload",
    "policy_table",
    "tier_policies",
    "visit_compliance",
]

DAYS_PER_MONTH = 365.25 / 12
#: Where a customer's last contact comes from (the ``last_contact_source`` column).
CONTACT_SOURCES = ("interaction", "purchase")
#: Columns of a visit-compliance table, in order.
COMPLIANCE_COLUMNS = [
    "customers",
    "contacts_required",
    "contacts_made",
    "compliance",
    "never_contacted",
]

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
        Latest interaction per customer. Where a customer has one it is the last contact,
        even when a purchase came later (the interactions are the record of contacts, as
        the visit compliance counts them); the last purchase stands in where missing.

    Returns
    -------
    pandas.DataFrame
        Same index: ``contact_channel``, ``contact_cadence_days``, ``last_contact``,
        ``last_contact_source`` (``interaction`` or ``purchase``), ``next_contact_due`` and
        ``contact_overdue_days`` (days past due at as-of, 0 if not yet due); missing for
        customers without a tier.
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
    source = np.full(len(last), np.nan, dtype=object)
    source[last.notna().to_numpy()] = CONTACT_SOURCES[1]
    if last_contact is not None:
        contact = pd.to_datetime(last_contact.reindex(customers.index)).astype(last.dtype)
        last = contact.where(contact.notna(), last)
        source[contact.notna().to_numpy()] = CONTACT_SOURCES[0]
    due = last.array + pd.to_timedelta(cadence, unit="D").array
    overdue = (pd.Timestamp(as_of) - due).days.astype("float64")
    untiered = tier.isna().to_numpy()
    shown = last.array.copy()
    shown[untiered] = pd.NaT
    source[untiered] = np.nan
    return pd.DataFrame(
        {
            "contact_channel": channel,
            "contact_cadence_days": cadence,
            "last_contact": shown,
            "last_contact_source": pd.Series(source, index=customers.index, dtype="object"),
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


def contact_history(
    interactions: Interactions,
    *,
    as_of: dt.date,
    period_days: int,
    contact_types: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Sum up the interactions that count as contacts, in their engine.

    Parameters
    ----------
    interactions : Interactions
        Output of :func:`custanalytics.load_interactions`.
    as_of : datetime.date
        Observation end; later interactions are left out.
    period_days : int
        Length of the compliance period: the ``period_days`` days up to and including
        ``as_of``.
    contact_types : sequence of str, optional
        Values of the ``type`` column that count as a contact; every interaction by default.

    Returns
    -------
    per_customer : pandas.DataFrame
        Indexed by ``customer_id``: ``last_interaction`` (day of the latest contact up to
        as-of, midnight, as the purchase days) and ``contacts`` (contacts dated within the
        period), for every customer with a contact.
    per_owner : pandas.Series
        Contacts within the period per value of the ``owner`` column (who made them),
        sorted by owner; empty when the column is not mapped.
    """
    table = interactions.table
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    start = dt.datetime.combine(as_of - dt.timedelta(days=period_days - 1), dt.time())
    table = table.filter(table.date < ibis.timestamp(end))
    if contact_types is not None:
        table = table.filter(table.type.isin(list(contact_types)))
    in_period = table.date >= ibis.timestamp(start)
    per_customer = (
        table.group_by("customer_id")
        .aggregate(last_interaction=table.date.max(), contacts=table.count(where=in_period))
        .order_by("customer_id")
        .to_pandas()
        .set_index("customer_id")
    )
    per_customer["last_interaction"] = per_customer["last_interaction"].dt.normalize()
    per_customer["contacts"] = per_customer["contacts"].astype("int64")
    logged = table.filter(in_period & table.owner.notnull())
    per_owner = (
        logged.group_by("owner")
        .aggregate(contacts=logged.count())
        .order_by("owner")
        .to_pandas()
        .set_index("owner")["contacts"]
        .astype("int64")
    )
    return per_customer, per_owner


def visit_compliance(
    customers: pd.DataFrame,
    tiers: pd.Series,
    policies: Mapping[str, TierPolicy],
    contacts: pd.Series,
    *,
    as_of: dt.date,
    period_days: int,
    by: pd.Series | None = None,
) -> pd.DataFrame:
    """Compare the contacts made over the last period with those the tiers' cadence requires.

    A customer requires (days of the period it was a customer) / (its tier's cadence in
    days) contacts, fractions included: the whole period, or from its first purchase when
    that falls within it; its tier is the one at as-of. Its contacts are credited up to that
    requirement, so that extra contacts with one customer do not make up for another's
    missing ones: compliance is the credited contacts over the required ones.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``first_purchase``.
    tiers : pandas.Series
        Tier per customer (missing: no policy, left out).
    policies : mapping
        Level → TierPolicy.
    contacts : pandas.Series
        Contacts per customer within the period (``contact_history``); missing is none.
    as_of : datetime.date
        Observation end, the period's last day.
    period_days : int
        Length of the period in days.
    by : pandas.Series, optional
        Group per customer (e.g. the account owner); the tier by default. Customers whose
        group is missing are left out.

    Returns
    -------
    pandas.DataFrame
        One row per group (the tiers in their order, with empty ones; other groups sorted):
        ``customers``, ``contacts_required``, ``contacts_made``, ``compliance`` (NaN when
        nothing is required) and ``never_contacted`` (customers without a contact in the
        period).
    """
    tier = tiers.reindex(customers.index)
    group = tier if by is None else by.reindex(customers.index)
    kept = tier.notna() & group.notna()
    cadence = tier[kept].astype(str).map({k: p.cadence_days for k, p in policies.items()})
    end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(days=period_days - 1)
    first = pd.to_datetime(customers.loc[kept, "first_purchase"]).dt.normalize()
    days = (end - first.clip(lower=start).fillna(start)).dt.days + 1
    required = days.clip(1, period_days) / cadence.astype("float64")
    made = contacts.reindex(required.index).fillna(0).astype("int64")
    frame = pd.DataFrame(
        {
            "required": required,
            "made": made,
            "credited": np.minimum(made, required),
            "never": made == 0,
        }
    )
    table = frame.groupby(group[kept], sort=True, observed=False).agg(
        customers=("required", "size"),
        contacts_required=("required", "sum"),
        contacts_made=("made", "sum"),
        credited=("credited", "sum"),
        never_contacted=("never", "sum"),
    )
    if by is None:
        table = table.reindex(list(policies), fill_value=0)
    table.index = pd.Index(table.index.astype(str), name="tier" if by is None else by.name)
    required_total = table["contacts_required"].where(table["contacts_required"] > 0)
    table["compliance"] = table.pop("credited") / required_total
    counts = dict.fromkeys(["customers", "contacts_made", "never_contacted"], "int64")
    table = table.astype(counts | {"contacts_required": "float64"})
    return table[COMPLIANCE_COLUMNS]


def _first_level(
    owner_code: np.ndarray, level_code: np.ndarray, level_names: pd.Index, owners: pd.Index
) -> pd.Series:
    """Return the first level given per owner (rows in table order), missing where none is."""
    rows = np.flatnonzero(level_code >= 0)
    found, first = np.unique(owner_code[rows], return_index=True)
    level = np.full(len(owners), np.nan, dtype=object)
    level[found] = np.asarray(level_names, dtype=object)[level_code[rows[first]]]
    return pd.Series(level, index=owners, dtype="str")
