"""The policy section: each tier's service policy, next contacts, the work list, owner workload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd

from ..policy import contact_plan, owner_workload, policy_table, tier_policies
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = ["PolicyRecord", "policy_section"]

#: Contacts listed in the report's work list (the exports carry every customer's due date).
WORKLIST_LISTED = 40


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
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        out = {"contacts_due": self.worklist_total, "contacts_overdue": self.overdue_total}
        if self.workload is not None:
            out["owners_over_capacity"] = int(self.workload["over_capacity"].sum())
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
    plan = contact_plan(table, table["grade"], policies, as_of=ctx.as_of)
    end = ctx.as_of + dt.timedelta(days=settings.worklist_days)
    due = plan[plan["next_contact_due"] <= pd.Timestamp(end)]
    rank = table.loc[due.index, "grade"].cat.codes
    order = pd.DataFrame(
        {
            "on_time": due["contact_overdue_days"] <= 0,
            "rank": rank,
            "overdue": -due["contact_overdue_days"],
            "revenue": -table.loc[due.index, "revenue"],
        }
    ).sort_values(["on_time", "rank", "overdue", "revenue"], kind="stable")
    workload = None
    if settings.owner is None or settings.owner not in table.columns:
        notes.append(Note("policy_no_owner"))
    else:
        workload = owner_workload(table, table["grade"], policies, settings)
    record_ = PolicyRecord(
        scheme=scheme.name,
        policies=policy_table(policies),
        worklist=[str(i) for i in order.index[:WORKLIST_LISTED]],
        worklist_total=len(due),
        overdue_total=int((plan["contact_overdue_days"] > 0).sum()),
        worklist_end=end,
        workload=workload,
        notes=notes,
    )
    return SectionOutput(record_, plan)
