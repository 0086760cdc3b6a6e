"""The first two sections: data quality (what loading did) and the headline figures."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..data import DataQuality, InteractionCoverage, JoinCoverage, QualityStep
from ..metrics import headline_metrics, lorenz_curve
from ._context import AnalysisContext, SectionOutput
from ._records import record

__all__ = ["DataQualityRecord", "HeadlineRecord", "data_quality_section", "headline_section"]

#: Points kept of the Lorenz curve (enough for a chart, small for a million customers).
LORENZ_POINTS = 1001

record(DataQuality)
record(QualityStep)
record(JoinCoverage)
record(InteractionCoverage)


@record
@dataclasses.dataclass(frozen=True)
class DataQualityRecord:
    """What loading and cleaning did.

    Attributes
    ----------
    transactions : DataQuality
        Rows read, each exclusion or correction, rows kept, for the transactions.
    master : DataQuality or None
        The same for the customer master, if one was given.
    coverage : JoinCoverage or None
        How the master joins the transactions (matched, buyers not in the master,
        prospects), if a master was given.
    has_amount : bool
        Whether the transactions have amounts (False for a purchase log: monetary figures
        are unavailable, counts are not).
    interactions : DataQuality or None
        The same for the interactions table, if one was given.
    interaction_coverage : InteractionCoverage or None
        How the interactions' customers join the master and the transactions (known,
        unknown, the interactions of the unknown ones), if an interactions table was given.
    """

    transactions: DataQuality
    master: DataQuality | None
    coverage: JoinCoverage | None
    has_amount: bool
    interactions: DataQuality | None
    interaction_coverage: InteractionCoverage | None

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        out = {"data_quality": self.transactions.to_dict()}
        if self.coverage is not None:
            out["join_coverage"] = self.coverage.to_dict()
        if self.interactions is not None:
            out["interactions_quality"] = self.interactions.to_dict()
        if self.interaction_coverage is not None:
            out["interaction_coverage"] = self.interaction_coverage.to_dict()
        return out


@record
@dataclasses.dataclass(frozen=True)
class HeadlineRecord:
    """The headline figures of the customer base.

    Attributes
    ----------
    figures : dict
        ``customers`` (buyers), ``prospects``, ``transactions`` (rows kept; orders when an
        order column is mapped), ``revenue`` (NaN without amounts),
        ``first_date``, ``last_date`` and the concentration figures
        (:func:`custanalytics.concentration`).
    lorenz : pandas.DataFrame or None
        Points of the Lorenz curve (``customer_share``, ``revenue_share``), largest first;
        None without amounts.
    """

    figures: dict[str, Any]
    lorenz: pd.DataFrame | None

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return dict(self.figures)


def data_quality_section(ctx: AnalysisContext) -> SectionOutput:
    """Collect the data-quality records of the transactions, the master and the interactions.

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    SectionOutput
        A :class:`DataQualityRecord`.
    """
    master = ctx.master.quality if ctx.master is not None else None
    interactions = ctx.interactions.quality if ctx.interactions is not None else None
    record_ = DataQualityRecord(
        ctx.transactions.quality,
        master,
        ctx.coverage,
        ctx.transactions.has_amount,
        interactions,
        ctx.interaction_coverage,
    )
    return SectionOutput(record_)


def headline_section(ctx: AnalysisContext) -> SectionOutput:
    """Compute customers, revenue, data window and revenue concentration.

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    SectionOutput
        A :class:`HeadlineRecord`.
    """
    figures = headline_metrics(ctx.transactions, ctx.customers)
    revenue = ctx.customers.loc[ctx.customers["orders"] > 0, "revenue"]
    lorenz = None
    if ctx.transactions.has_amount and len(revenue):
        points = LORENZ_POINTS if len(revenue) >= LORENZ_POINTS else None
        lorenz = lorenz_curve(revenue, points=points)
    return SectionOutput(HeadlineRecord(figures, lorenz))
