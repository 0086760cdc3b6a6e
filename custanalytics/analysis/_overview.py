"""The first two sections: data quality (what loading did) and the headline figures."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from ..data import DataQuality, JoinCoverage, QualityStep
from ..metrics import concentration, lorenz_curve
from ._context import AnalysisContext, SectionOutput
from ._records import record

__all__ = ["DataQualityRecord", "HeadlineRecord", "data_quality_section", "headline_section"]

#: Headline figures that need amounts.
MONETARY_FIGURES = ("revenue", "top20_revenue_share", "customer_share_for_80", "gini", "hhi")
#: Points kept of the Lorenz curve (enough for a chart, small for a million customers).
LORENZ_POINTS = 1001

record(DataQuality)
record(QualityStep)
record(JoinCoverage)


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
    """

    transactions: DataQuality
    master: DataQuality | None
    coverage: JoinCoverage | None
    has_amount: bool

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        out = {"data_quality": self.transactions.to_dict()}
        if self.coverage is not None:
            out["join_coverage"] = self.coverage.to_dict()
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
    """Collect the data-quality records of the transactions and the customer master.

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
    record_ = DataQualityRecord(
        ctx.transactions.quality, master, ctx.coverage, ctx.transactions.has_amount
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
    table = ctx.customers
    buyers = table[table["orders"] > 0]
    first, last = buyers["first_purchase"].min(), buyers["last_purchase"].max()
    figures = {
        "customers": len(buyers),
        "prospects": int((table["orders"] == 0).sum()),
        "transactions": ctx.transactions.quality.rows_kept,
        "revenue": float(buyers["revenue"].sum()),
        "first_date": None if pd.isna(first) else first.date().isoformat(),
        "last_date": None if pd.isna(last) else last.date().isoformat(),
        **concentration(buyers["revenue"]),
    }
    monetary = ctx.transactions.has_amount and len(buyers) > 0
    if not ctx.transactions.has_amount:  # a purchase log: counts only
        figures |= dict.fromkeys(MONETARY_FIGURES, float("nan"))
    lorenz = _thinned(lorenz_curve(buyers["revenue"])) if monetary else None
    return SectionOutput(HeadlineRecord(figures, lorenz))


def _thinned(curve: pd.DataFrame) -> pd.DataFrame:
    """Keep at most :data:`LORENZ_POINTS` evenly spaced points, both ends included."""
    if len(curve) <= LORENZ_POINTS:
        return curve
    keep = np.unique(np.linspace(0, len(curve) - 1, LORENZ_POINTS).round().astype(int))
    return curve.iloc[keep].reset_index(drop=True)
