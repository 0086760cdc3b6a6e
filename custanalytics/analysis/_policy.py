"""The policy section: policies per tier, next contacts, work list, workload, visit compliance."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from ..assignment import Reassignment, propose_reassignment
from ..errors import ParameterError
from ..params import PolicyParams
from ..policy import (
    CONTACT_SOURCES,
    contact_history,
    contact_plan,
    owner_workload,
    policy_table,
    tier_policies,
    visit_compliance,
)
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = ["ComplianceRecord", "PolicyRecord", "policy_section"]

#: Contacts listed in the report's work list (the exports carry every customer's due date).
WORKLIST_LISTED = 40

#: Above this many (tier, owner) groups the proof of the fewest moves takes longer than a
#: report should wait (about 4.5 s at 1,500 groups, more than 10 s at 6,000 on 2 cores), and a
#: solver stopped by its time limit would make the proposal depend on the machine's speed.
REASSIGNMENT_MAX_GROUPS = 1_000

record(Reassignment)  # saved and loaded with the policy record


@record
@dataclasses.dataclass(frozen=True)
class ComplianceRecord:
    """Visit compliance: the contacts made over the last period against the tiers' cadence.

    See :func:`custanalytics.policy.visit_compliance` for how contacts are required and
    credited. A contact is an interaction of the kinds in ``contact_types`` (any without
    them) with a graded customer; it counts for the customer's tier and account owner,
    whoever made it.

    Attributes
    ----------
    period_start, period_end : datetime.date
        First and last day of the period (the last is as-of).
    contact_types : list of str or None
        The kinds of interaction that count; None: every interaction.
    by_tier : pandas.DataFrame
        Per tier: ``customers``, ``contacts_required``, ``contacts_made``, ``compliance``,
        ``never_contacted``.
    by_owner : pandas.DataFrame or None
        The same per account owner (None without ``policies.owner``), with
        ``contacts_logged`` (contacts the owner made in the period, with any customer) when
        the interactions name who made each contact.
    total : dict
        The same figures for every graded customer.
    """

    period_start: dt.date
    period_end: dt.date
    contact_types: list[str] | None
    by_tier: pd.DataFrame
    by_owner: pd.DataFrame | None
    total: dict[str, Any]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "visit_compliance": self.total["compliance"],
            "contacts_required": self.total["contacts_required"],
            "contacts_made": self.total["contacts_made"],
            "customers_not_contacted": self.total["never_contacted"],
            "visit_compliance_by_tier": self.by_tier["compliance"].to_dict(),
        }


@record
@dataclasses.dataclass(frozen=True)
class PolicyRecord:
    """The service policies of the primary scheme's tiers and what they ask of the owners.

    Attributes
    ----------
    scheme : str
        The primary grading scheme.
    policies : pandas.DataFrame
        Per tier: ``cadence_days``, ``seniority``, ``channel``, ``content``,
        ``contacts_per_month`` per account.
    worklist : list of str
        Ids of the contacts due within ``worklist_days``: overdue ones first, then by tier
        (best first), days overdue and revenue; at most :data:`WORKLIST_LISTED`.
    worklist_total : int
        Contacts due in that window.
    overdue_total : int
        Customers whose contact is overdue at as-of.
    worklist_end : datetime.date
        Last day of the work list's window.
    workload : pandas.DataFrame or None
        Per owner: accounts per tier, contacts per month required, capacity, utilisation,
        over capacity, accounts below the required seniority (None without an owner column).
    contact_sources : dict
        Graded customers per source of their last contact: ``interaction`` (the latest
        interaction that counts as a contact) or ``purchase`` (none: the last purchase).
    compliance : ComplianceRecord or Unavailable
        The visit compliance; unavailable (``no_interactions``) without an interactions
        table.
    reassignment : Reassignment or None
        The fewest moves of customers between owners after which every owner is within
        capacity and every account with an owner of the seniority its tier requires
        (:func:`custanalytics.propose_reassignment`); None without an owner column.
    notes : list of Note
        E.g. no owner column.
    """

    scheme: str
    policies: pd.DataFrame
    worklist: list[str]
    worklist_total: int
    overdue_total: int
    worklist_end: dt.date
    workload: pd.DataFrame | None
    contact_sources: dict[str, int]
    compliance: ComplianceRecord | Unavailable
    reassignment: Reassignment | None
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        out = {
            "contacts_due": self.worklist_total,
            "contacts_overdue": self.overdue_total,
            "last_contact_sources": dict(self.contact_sources),
        }
        if self.workload is not None:
            out["owners_over_capacity"] = int(self.workload["over_capacity"].sum())
        if isinstance(self.compliance, ComplianceRecord):
            out.update(self.compliance.metrics())
        if self.reassignment is not None:
            plan = self.reassignment
            out["reassignment_moves"] = len(plan.moves)
            out["reassignment_feasible"] = bool(plan.feasible)
            out["reassignment_missing_capacity"] = float(plan.missing_capacity)
        return out


def policy_section(ctx: AnalysisContext) -> SectionOutput:
    """Plan every graded customer's next contact by its tier's policy; sum up owner workload.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the grades section).

    Returns
    -------
    SectionOutput
        A :class:`PolicyRecord` and the columns of :func:`custanalytics.policy.contact_plan`.
    """
    grades = ctx.records.get("grades")
    if grades is None or isinstance(grades, Unavailable):
        return SectionOutput(Unavailable("needs_grades"))
    settings, notes = ctx.params.policies, []
    scheme = next(s for s in grades.schemes if s.name == grades.primary)
    levels = list(scheme.levels.index)
    policies = tier_policies(levels, settings)
    table = ctx.customers
    history = None
    if ctx.interactions is not None:
        history, logged = contact_history(
            ctx.interactions,
            as_of=ctx.as_of,
            period_days=settings.compliance_days,
            contact_types=settings.contact_types,
        )
        notes += _contact_type_notes(ctx)
    last = None if history is None else history["last_interaction"]
    plan = contact_plan(table, table["grade"], policies, as_of=ctx.as_of, last_contact=last)
    end = ctx.as_of + dt.timedelta(days=settings.worklist_days)
    due = (plan["next_contact_due"] <= pd.Timestamp(end)).to_numpy()
    worklist = _worklist(table, plan, due)
    workload = reassignment = None
    has_owner = settings.owner is not None and settings.owner in table.columns
    if not has_owner:
        notes.append(Note("policy_no_owner"))
    else:
        workload = owner_workload(table, table["grade"], policies, settings)
        reassignment, note = _reassignment(table, policies, settings)
        notes += [note] if note else []
        if reassignment is not None:
            plan = plan.join(_proposed_owners(reassignment, table.index))
    compliance: ComplianceRecord | Unavailable = Unavailable("no_interactions")
    if history is not None:
        owners = table[settings.owner] if has_owner else None
        mapped = ctx.params.interactions.owner is not None
        compliance = _compliance(
            ctx, policies, history["contacts"], owners, logged if mapped else None
        )
    sources = plan["last_contact_source"].value_counts()
    record_ = PolicyRecord(
        scheme=scheme.name,
        policies=policy_table(policies),
        worklist=worklist,
        worklist_total=int(due.sum()),
        overdue_total=int((plan["contact_overdue_days"] > 0).sum()),
        worklist_end=end,
        workload=workload,
        contact_sources={k: int(sources.get(k, 0)) for k in CONTACT_SOURCES},
        compliance=compliance,
        reassignment=reassignment,
        notes=notes,
    )
    return SectionOutput(record_, plan)


def _worklist(table: pd.DataFrame, plan: pd.DataFrame, due: np.ndarray) -> list[str]:
    """Ids of the first contacts due: overdue first, then best tier, most overdue, revenue."""
    overdue = plan["contact_overdue_days"].to_numpy()[due]
    keys = (
        -table["revenue"].to_numpy(dtype="float64", na_value=np.nan)[due],
        -overdue,
        table["grade"].cat.codes.to_numpy()[due],
        overdue <= 0,
    )  # np.lexsort sorts by the last key first; it is stable, so ties keep table order
    order = np.lexsort(keys)[:WORKLIST_LISTED]
    return [str(i) for i in table.index[due][order]]


def _reassignment(table: pd.DataFrame, policies: dict, settings: PolicyParams) -> tuple:
    """Propose a re-assignment when capacities are given; else say why there is none."""
    if not settings.capacity and not settings.owner_capacity:
        return None, Note("reassignment_needs_capacity")
    pairs = table[["grade", settings.owner]].dropna().drop_duplicates()
    if len(pairs) > REASSIGNMENT_MAX_GROUPS:
        values = {"groups": len(pairs), "limit": REASSIGNMENT_MAX_GROUPS}
        return None, Note("reassignment_too_large", values)
    try:
        return propose_reassignment(table, table["grade"], policies, settings), None
    except ParameterError as exc:  # e.g. a seniority level without a capacity
        return None, Note("reassignment_not_possible", {"error": str(exc)})


def _proposed_owners(reassignment: Reassignment, index: pd.Index) -> pd.DataFrame:
    """Per customer: the proposed new owner and why (missing for customers who stay)."""
    moves = reassignment.moves.set_index("customer_id")
    return pd.DataFrame(
        {
            "proposed_owner": moves["to_owner"].astype("object"),
            "reassignment_reason": moves["reason"].astype("object"),
        }
    ).reindex(index)


def _compliance(
    ctx: AnalysisContext,
    policies: dict,
    contacts: pd.Series,
    owners: pd.Series | None,
    logged: pd.Series | None,
) -> ComplianceRecord:
    """Visit compliance per tier, per account owner and in total."""
    settings, table = ctx.params.policies, ctx.customers
    tiers = table["grade"]
    options = {"as_of": ctx.as_of, "period_days": settings.compliance_days}
    by_tier = visit_compliance(table, tiers, policies, contacts, **options)
    everyone = pd.Series("total", index=table.index, name="total")
    total = visit_compliance(table, tiers, policies, contacts, by=everyone, **options)
    by_owner = None
    if owners is not None:
        by_owner = visit_compliance(table, tiers, policies, contacts, by=owners, **options)
        by_owner.index.name = "owner"
        if logged is not None:
            by_owner = by_owner.reindex(by_owner.index.union(logged.index))
            by_owner["contacts_logged"] = logged.reindex(by_owner.index).fillna(0)
            counts = ["customers", "contacts_made", "never_contacted", "contacts_logged"]
            by_owner[counts] = by_owner[counts].fillna(0).astype("int64")
            by_owner["contacts_required"] = by_owner["contacts_required"].fillna(0.0)
            by_owner.index.name = "owner"
    return ComplianceRecord(
        period_start=ctx.as_of - dt.timedelta(days=settings.compliance_days - 1),
        period_end=ctx.as_of,
        contact_types=None if settings.contact_types is None else list(settings.contact_types),
        by_tier=by_tier,
        by_owner=by_owner,
        total={column: total[column].iloc[0].item() for column in total.columns},
    )


def _contact_type_notes(ctx: AnalysisContext) -> list[Note]:
    """Note the kinds of contact in ``policies.contact_types`` that the interactions never use."""
    wanted = ctx.params.policies.contact_types
    if wanted is None:
        return []
    seen = ctx.interactions.table.select("type").distinct().to_pandas()["type"].dropna()
    missing = [t for t in wanted if t not in set(seen)]
    if not missing:
        return []
    values = {"types": ", ".join(missing), "values": ", ".join(sorted(seen)[:10]) or "–"}
    return [Note("contact_types_not_found", values)]
