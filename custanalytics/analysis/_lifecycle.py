"""The lifecycle section: stages, purchase patterns and the at-risk list."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..lifecycle import LIFECYCLE_STAGES, lifecycle, population_cycle
from ._context import AnalysisContext, SectionOutput
from ._records import Note, record

__all__ = ["LifecycleRecord", "lifecycle_section"]

#: Customers listed in the report's at-risk table.
AT_RISK_LISTED = 30


@record
@dataclasses.dataclass(frozen=True)
class LifecycleRecord:
    """Counts and revenue per lifecycle stage, the rule that made them, the at-risk list.

    Attributes
    ----------
    rule : str
        The rule used (``own_cycle``, ``population``, ``fixed``, ``p_alive``).
    settings : dict
        The rule's parameters (``lifecycle:`` in the parameter file).
    population : dict
        ``gaps``, ``mean_days`` and ``sd_days`` of everybody's gaps between purchase days.
    stages : pandas.DataFrame
        Per stage (index, in life order): ``customers``, ``customer_share``, ``revenue``,
        ``revenue_share`` (and ``clv``, ``clv_share`` with a CLV).
    patterns : pandas.DataFrame
        Per purchase pattern (index): ``customers``, and how many are high / low frequency
        buyers (``frequency_high``, ``frequency_low``).
    at_risk : list of str
        Ids of the at-risk customers with the highest revenue, highest first.
    at_risk_revenue : float
        Revenue to date of every at-risk customer.
    stage_by_tier : pandas.DataFrame or None
        Customers per lifecycle stage (rows) and tier of the primary scheme (columns), when
        the grades section ran.
    notes : list of Note
        E.g. a rule that fell back to another.
    """

    rule: str
    settings: dict[str, Any]
    population: dict[str, float]
    stages: pd.DataFrame
    patterns: pd.DataFrame
    at_risk: list[str]
    at_risk_revenue: float
    stage_by_tier: pd.DataFrame | None
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "lifecycle_rule": self.rule,
            "lifecycle_customers": self.stages["customers"].to_dict(),
            "at_risk_revenue": self.at_risk_revenue,
        }


def lifecycle_section(ctx: AnalysisContext) -> SectionOutput:
    """Place every customer in a lifecycle stage and list the at-risk customers.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the CLV section, whose P(alive) the ``p_alive`` rule reads).

    Returns
    -------
    SectionOutput
        A :class:`LifecycleRecord` and the columns of :func:`custanalytics.lifecycle`.
    """
    settings, notes = ctx.params.lifecycle, []
    if settings.rule == "p_alive" and "p_alive" not in ctx.customers.columns:
        notes.append(Note("lifecycle_no_p_alive"))
        settings = dataclasses.replace(settings, rule="own_cycle")
    cycles = ctx.purchase_cycles(settings.churned_quantile)
    table = ctx.customers
    columns = lifecycle(table, cycles, as_of=ctx.as_of, rules=settings)
    stages = _stage_table(table.join(columns[["lifecycle_stage"]]))
    at_risk = columns.index[columns["lifecycle_stage"] == "at_risk"]
    revenue = table.loc[at_risk, "revenue"].sort_values(ascending=False, kind="stable")
    patterns = pd.crosstab(
        columns["purchase_pattern"], columns["frequency_class"], dropna=False
    ).rename_axis(index="purchase_pattern", columns=None)
    patterns.columns = [f"frequency_{c}" for c in patterns.columns]
    patterns.insert(0, "customers", columns.groupby("purchase_pattern", observed=False).size())
    patterns.index = pd.Index([str(i) for i in patterns.index], name="purchase_pattern")
    population = population_cycle(cycles)
    record_ = LifecycleRecord(
        rule=settings.rule,
        settings=dataclasses.asdict(settings),
        population=dataclasses.asdict(population),
        stages=stages,
        patterns=patterns,
        at_risk=[str(i) for i in revenue.index[:AT_RISK_LISTED]],
        at_risk_revenue=float(revenue.sum(min_count=1)),
        stage_by_tier=_stage_by_tier(columns["lifecycle_stage"], table),
        notes=notes,
    )
    return SectionOutput(record_, columns)


def _stage_table(table: pd.DataFrame) -> pd.DataFrame:
    values = ["revenue"] + (["clv"] if "clv" in table.columns else [])
    grouped = table.groupby("lifecycle_stage", observed=False)
    out = grouped.agg(customers=("revenue", "size"))
    for value in values:  # NaN, not 0, without amounts
        out[value] = grouped[value].sum(min_count=1)
    out = out.reindex(list(LIFECYCLE_STAGES))
    out["customers"] = out["customers"].fillna(0).astype("int64")
    out.index = pd.Index([str(i) for i in out.index], name="lifecycle_stage")
    out.insert(1, "customer_share", out["customers"] / max(len(table), 1))
    for value in values:
        total = table[value].sum(min_count=1)
        share = out[value].fillna(0) / total if total else out[value] * float("nan")
        out.insert(out.columns.get_loc(value) + 1, f"{value}_share", share)
    return out


def _stage_by_tier(stages: pd.Series, table: pd.DataFrame) -> pd.DataFrame | None:
    if "grade" not in table.columns:
        return None
    grades = table["grade"]
    matrix = pd.crosstab(stages, grades, dropna=False)
    matrix = matrix.reindex(index=list(LIFECYCLE_STAGES), columns=list(grades.cat.categories))
    matrix = matrix.fillna(0).astype("int64")
    matrix.index = pd.Index([str(i) for i in matrix.index], name="lifecycle_stage")
    matrix.columns = [str(c) for c in matrix.columns]
    return matrix
