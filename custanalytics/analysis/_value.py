"""The value-matrix section: current value (revenue) x potential value (CLV)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..value import value_matrix, value_matrix_summary
from ._context import AnalysisContext, SectionOutput
from ._records import Unavailable, record

__all__ = ["ValueMatrixRecord", "value_matrix_section"]


@record
@dataclasses.dataclass(frozen=True)
class ValueMatrixRecord:
    """The 2 x 2 value matrix and the cut-offs that define it.

    Attributes
    ----------
    table : pandas.DataFrame
        Per cell: ``customers``, ``customer_share``, ``revenue``, ``revenue_share``, ``clv``,
        ``clv_share`` (rows in the order of :data:`custanalytics.value.VALUE_MATRIX_CELLS`).
    current_cutoff : float
        Mean revenue of the buyers: above it, current value is high.
    potential_cutoff : float
        Mean CLV of the buyers: above it, potential value is high.
    """

    table: pd.DataFrame
    current_cutoff: float
    potential_cutoff: float

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {"value_matrix": self.table[["customers", "revenue", "clv"]].to_dict("index")}


def value_matrix_section(ctx: AnalysisContext) -> SectionOutput:
    """Place every buyer in the value matrix (needs the CLV section).

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    SectionOutput
        A :class:`ValueMatrixRecord` and the column ``value_cell``; ``Unavailable`` when
        there is no CLV.
    """
    if not ctx.transactions.has_amount:
        return SectionOutput(Unavailable("no_amounts"))
    if "clv" not in ctx.customers.columns:
        return SectionOutput(Unavailable("needs_clv"))
    buyers = ctx.customers[ctx.customers["orders"] > 0]
    current, potential = buyers["revenue"], buyers["clv"]
    cells = value_matrix(current, potential)
    table = value_matrix_summary(cells, current, potential)
    table.index.name = "cell"
    record_ = ValueMatrixRecord(table, float(current.mean()), float(potential.mean()))
    return SectionOutput(record_, cells.rename("value_cell").to_frame())
