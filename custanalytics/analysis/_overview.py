"""The first two sections: data quality (what loading did) and the headline figures."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from ..data import DataQuality, QualityStep
from ..metrics import concentration, lorenz_curve
from ._context import AnalysisContext, SectionOutput
from ._records import record

__all__ = ["DataQualityRecord", "HeadlineRecord", "data_quality_section", "headline_section"]

#: Points kept of the Lorenz curve (enough for a chart, small for a million customers).
LORENZ_POINTS = 1001

record(DataQuality)
record(QualityStep)


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
    """

    transactions: DataQuality
    master: DataQuality | None

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {"data_quality": self.transactions.to_dict()}


@record
@dataclasses.dataclass(frozen=True)
class HeadlineRecord:
    """The headline figures of the customer base.

    Attributes
    ----------
    figures : dict
        ``customers`` (buyers), ``prospects``, ``transactions`` (rows kept), ``revenue``,
        ``first_date``, ``last_date`` and the concentration figures
        (:func:`custanalytics.concentration`).
    lorenz : pandas.DataFrame
        Points of the Lorenz curve (``customer_share``, ``revenue_share``), largest first.
    """

    figures: dict[str, Any]
    lorenz: pd.DataFrame

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
    return SectionOutput(DataQualityRecord(ctx.transactions.quality, master))


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
    return SectionOutput(HeadlineRecord(figures, _thinned(lorenz_curve(buyers["revenue"]))))


def _thinned(curve: pd.DataFrame) -> pd.DataFrame:
    """Keep at most :data:`LORENZ_POINTS` evenly spaced points, both ends included."""
    if len(curve) <= LORENZ_POINTS:
        return curve
    keep = np.unique(np.linspace(0, len(curve) - 1, LORENZ_POINTS).round().astype(int))
    return curve.iloc[keep].reset_index(drop=True)
