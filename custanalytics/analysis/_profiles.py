"""The profiles section: cards for the top tier and the customers at risk."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..errors import DataError
from ..profiles import PROFILE_FACTS, profile_reasons, profiled_customers
from ._context import AnalysisContext, SectionOutput
from ._records import Unavailable, record

__all__ = ["ProfilesRecord", "profiles_section"]


@record
@dataclasses.dataclass(frozen=True)
class ProfilesRecord:
    """Who gets a profile card in the report, and what the cards show.

    Attributes
    ----------
    top_level : str or None
        Best level of the primary scheme (None without tiers).
    top_tier : list of str
        Ids of the top-tier cards shown, highest value first.
    at_risk : list of str
        Ids of the at-risk cards shown (top-tier customers at risk among them first by
        value like the rest).
    totals : dict
        Customers with a card in the exports: ``top_tier``, ``at_risk`` (each counting
        those who are both).
    facts : list of str
        Computed columns a card shows (see :data:`custanalytics.profiles.PROFILE_FACTS`).
    attributes : list of str
        Customer-master columns a card shows.
    name : str or None
        Master column of the customer's name.
    owner : str or None
        Column of the account owner.
    """

    top_level: str | None
    top_tier: list[str]
    at_risk: list[str]
    totals: dict[str, int]
    facts: list[str]
    attributes: list[str]
    name: str | None
    owner: str | None

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {f"profiles_{k}": v for k, v in self.totals.items()}


def profiles_section(ctx: AnalysisContext) -> SectionOutput:
    """Pick the customers who get a profile card and the fields the cards show.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the sections whose columns the cards show).

    Returns
    -------
    SectionOutput
        A :class:`ProfilesRecord` and the column ``profile_reason`` (top_tier, at_risk,
        top_tier_at_risk, or missing), so that the exports carry every card's customer.
    """
    settings, table = ctx.params.profiles, ctx.customers
    grades = ctx.records.get("grades")
    top_level = None
    if grades is not None and not isinstance(grades, Unavailable):
        scheme = next(s for s in grades.schemes if s.name == grades.primary)
        top_level = str(scheme.levels.index[0])
    reasons = profile_reasons(table, top_level)
    if reasons.notna().sum() == 0:
        return SectionOutput(Unavailable("no_profiles"))
    top = reasons.isin(["top_tier", "top_tier_at_risk"])
    risk = reasons.isin(["at_risk", "top_tier_at_risk"])
    name = ctx.params.customers.name if ctx.params.customers else None
    owner = ctx.params.policies.owner
    master = list(ctx.master.frame.columns) if ctx.master is not None else []
    unknown = [c for c in settings.fields or [] if c not in master]
    if unknown:
        raise DataError(
            f"profiles.fields names {unknown[0]!r}, which the customer master does not have "
            f"(its columns: {', '.join(map(str, master)) or 'none: no customers source'}); "
            "name master columns, or leave profiles.fields out to show them all"
        )
    attributes = settings.fields if settings.fields is not None else master
    attributes = [c for c in attributes if c not in (name, owner)]
    record_ = ProfilesRecord(
        top_level=top_level,
        top_tier=profiled_customers(table, reasons[top], settings.top),
        at_risk=profiled_customers(table, reasons[risk], settings.at_risk),
        totals={"top_tier": int(top.sum()), "at_risk": int(risk.sum())},
        facts=[c for c in PROFILE_FACTS if c in table.columns],
        attributes=attributes,
        name=name if name in table.columns else None,
        owner=owner if owner in table.columns else None,
    )
    return SectionOutput(record_, reasons.to_frame())
