"""The cohorts section: retention and revenue by first-purchase month."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from ..cohorts import cohort_of, cohort_tables
from ._context import AnalysisContext, SectionOutput
from ._records import Unavailable, record

__all__ = ["CohortsRecord", "cohorts_section"]


@record
@dataclasses.dataclass(frozen=True)
class CohortsRecord:
    """Cohort sizes, retention and revenue by months since the first purchase.

    Attributes
    ----------
    min_customers : int
        Cohorts with fewer customers are marked ``small``.
    max_months : int
        Months since the first purchase kept (0 .. max_months).
    sizes : pandas.DataFrame
        Per cohort (index ``"YYYY-MM"``): ``customers``, ``revenue``, ``small``.
    retention : pandas.DataFrame
        Cohort x month (``"0"``, ``"1"``, ...): share of the cohort buying in that month
        (month 0 = the first-purchase month, always 1; NaN = not observed yet).
    revenue : pandas.DataFrame
        The cohort's spend in each month.
    revenue_per_customer : pandas.DataFrame
        The same divided by the cohort's number of customers (comparable across cohorts).
    mean_retention : pandas.Series
        Per month: retention over all cohorts observed in it, weighted by cohort size.
    """

    min_customers: int
    max_months: int
    sizes: pd.DataFrame
    retention: pd.DataFrame
    revenue: pd.DataFrame
    revenue_per_customer: pd.DataFrame
    mean_retention: pd.Series

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        mean = self.mean_retention
        return {
            "cohorts": len(self.sizes),
            "small_cohorts": int(self.sizes["small"].sum()),
            "month_1_retention": float(mean["1"]) if "1" in mean.index else None,
        }


def cohorts_section(ctx: AnalysisContext) -> SectionOutput:
    """Group buyers by the month of their first purchase and follow them month by month.

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    SectionOutput
        A :class:`CohortsRecord` and the per-customer ``cohort`` column.
    """
    settings = ctx.params.cohorts
    days = ctx.purchase_days()
    if days.empty:
        return SectionOutput(Unavailable("no_buyers"))
    tables = cohort_tables(
        days,
        as_of=ctx.as_of,
        min_customers=settings.min_customers,
        max_months=settings.max_months,
        presorted=True,  # purchase_days are sorted by customer and day
    )
    sizes = tables.sizes["customers"].to_numpy(dtype="float64")
    active = tables.active.to_numpy(dtype="float64")
    observed = ~np.isnan(active)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(active, axis=0) / (observed * sizes[:, None]).sum(axis=0)
    record_ = CohortsRecord(
        min_customers=settings.min_customers,
        max_months=settings.max_months,
        sizes=tables.sizes,
        retention=tables.retention,
        revenue=tables.revenue,
        revenue_per_customer=tables.revenue.div(tables.sizes["customers"], axis=0),
        mean_retention=pd.Series(mean, index=tables.retention.columns, name="retention"),
    )
    columns = cohort_of(ctx.customers["first_purchase"]).to_frame()
    return SectionOutput(record_, columns)
