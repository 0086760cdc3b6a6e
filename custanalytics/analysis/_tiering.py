"""The tiering sections: RFM scores and segments, and grades by every configured scheme."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..rfm import rfm_grid, rfm_scores
from ..tiers import grade, grade_levels, grade_scheme, tier_summary
from ._context import AnalysisContext, SectionOutput
from ._records import Unavailable, record

__all__ = ["GradeSchemeRecord", "GradesRecord", "RfmRecord", "grades_section", "rfm_section"]

#: RFM columns kept in the customers table (days since the last purchase comes from the
#: lifecycle section as ``days_since_purchase``).
RFM_COLUMNS = (
    "r_score",
    "f_score",
    "m_score",
    "rfm_code",
    "rfm_score",
    "rfm_segment",
    "rfm_class8",
)


@record
@dataclasses.dataclass(frozen=True)
class RfmRecord:
    """RFM scores, the R x F grid, the segment and 8-class tables.

    Attributes
    ----------
    settings : dict
        The ``rfm:`` parameters used.
    score_counts : pandas.DataFrame
        Buyers per score (index) for ``r_score``, ``f_score``, ``m_score``.
    grid : pandas.DataFrame
        :func:`custanalytics.rfm_grid`: customers and segment of each R x F cell.
    segments : pandas.DataFrame
        :func:`custanalytics.tier_summary` by ``rfm_segment`` (with a ``total`` row).
    class8 : pandas.DataFrame
        :func:`custanalytics.tier_summary` by ``rfm_class8``.
    class8_cutoffs : dict
        Where R, F and M split into high and low: ``recency_days``, ``orders``, the monetary
        value (buyers' means, medians or the fixed values).
    """

    settings: dict[str, Any]
    score_counts: pd.DataFrame
    grid: pd.DataFrame
    segments: pd.DataFrame
    class8: pd.DataFrame
    class8_cutoffs: dict[str, float]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "rfm_segments": self.segments["customers"].drop("total").to_dict(),
            "rfm_class8": self.class8["customers"].drop("total").to_dict(),
        }


@record
@dataclasses.dataclass(frozen=True)
class GradeSchemeRecord:
    """One grading scheme's levels and the tier summary it gives.

    Attributes
    ----------
    name : str
        Scheme name (``abc``, ``three_tier``, ... or a custom name).
    column : str
        Column of the customers table holding the grade (``grade`` for the primary scheme,
        ``grade_<name>`` for the others).
    levels : pandas.DataFrame
        :func:`custanalytics.grade_levels`: display names (``en``, ``zh``), method, cut and
        published guidance per level, best first.
    summary : pandas.DataFrame
        :func:`custanalytics.tier_summary` with the scheme's guidance and a ``total`` row.
    boundaries : dict
        For cumulative revenue-share schemes: level → revenue share where it ends (for the
        Lorenz curve).
    """

    name: str
    column: str
    levels: pd.DataFrame
    summary: pd.DataFrame
    boundaries: dict[str, float]


@record
@dataclasses.dataclass(frozen=True)
class GradesRecord:
    """Every configured grading scheme; the primary one is the report's tier.

    Attributes
    ----------
    primary : str
        Name of the primary scheme.
    schemes : list of GradeSchemeRecord
        In the order of the ``grades:`` parameter.
    """

    primary: str
    schemes: list[GradeSchemeRecord]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "grades_primary": self.primary,
            "grades": {
                s.name: s.summary["customers"].drop("total").to_dict() for s in self.schemes
            },
        }


def rfm_section(ctx: AnalysisContext) -> SectionOutput:
    """Score every buyer on recency, frequency and monetary value and segment them.

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    SectionOutput
        An :class:`RfmRecord` and the columns :data:`RFM_COLUMNS`; ``Unavailable`` without
        buyers or amounts.
    """
    if not ctx.transactions.has_amount:
        return SectionOutput(Unavailable("no_amounts"))
    table = ctx.customers
    if not (table["orders"] > 0).any():
        return SectionOutput(Unavailable("no_buyers"))
    settings = dataclasses.asdict(ctx.params.rfm)
    scores = rfm_scores(table, **settings, as_of=ctx.as_of)
    joined = table.join(scores[["rfm_segment", "rfm_class8"]])
    counts = pd.DataFrame(
        {m: scores[m].value_counts().sort_index() for m in ("r_score", "f_score", "m_score")}
    ).fillna(0)
    counts = counts.astype("int64").rename_axis("score")
    counts.index = counts.index.astype("int64")
    record_ = RfmRecord(
        settings=settings,
        score_counts=counts,
        grid=rfm_grid(scores, settings["segments"]),
        segments=_summary(joined, "rfm_segment", ctx),
        class8=_summary(joined, "rfm_class8", ctx),
        class8_cutoffs=_class8_cutoffs(table, scores, settings),
    )
    return SectionOutput(record_, scores[list(RFM_COLUMNS)])


def grades_section(ctx: AnalysisContext) -> SectionOutput:
    """Grade every buyer by each scheme of the ``grades:`` parameter.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the CLV section, whose ``clv`` a composite score may weigh).

    Returns
    -------
    SectionOutput
        A :class:`GradesRecord`; columns ``grade`` and ``grade_score`` of the primary scheme
        and ``grade_<name>`` of the others. ``Unavailable`` without buyers or amounts.
    """
    if not ctx.transactions.has_amount:
        return SectionOutput(Unavailable("no_amounts"))
    table = ctx.customers
    if not (table["orders"] > 0).any():
        return SectionOutput(Unavailable("no_buyers"))
    primary = ctx.params.primary_scheme
    columns, schemes = [], []
    for spec in ctx.params.grades:
        scheme = grade_scheme(spec)
        column = "grade" if scheme.name == primary else f"grade_{scheme.name}"
        graded = grade(table, scheme, column=column, as_of=ctx.as_of)
        if column != "grade":
            graded = graded[[column]]
        columns.append(graded)
        summary = tier_summary(
            table.join(graded[[column]]), by=column, scheme=scheme, as_of=ctx.as_of
        )
        schemes.append(
            GradeSchemeRecord(
                name=scheme.name,
                column=column,
                levels=grade_levels(scheme),
                summary=_text_index(summary),
                boundaries=_revenue_boundaries(summary),
            )
        )
    record_ = GradesRecord(primary=primary, schemes=schemes)
    return SectionOutput(record_, pd.concat(columns, axis=1))


def _summary(table: pd.DataFrame, by: str, ctx: AnalysisContext) -> pd.DataFrame:
    return _text_index(tier_summary(table, by=by, as_of=ctx.as_of))


def _text_index(summary: pd.DataFrame) -> pd.DataFrame:
    out = summary.copy()
    out.index = pd.Index([str(i) for i in out.index], name="tier")
    return out


def _revenue_boundaries(summary: pd.DataFrame) -> dict[str, float]:
    """Cumulative revenue share at the end of each level (for the Lorenz chart)."""
    shares = summary["revenue_share"].drop("total").fillna(0).cumsum()
    return {str(k): float(v) for k, v in shares.items()}


def _class8_cutoffs(table, scores, settings) -> dict[str, float]:
    buyers = table["orders"] > 0
    monetary = table.loc[buyers, settings["monetary"]]
    recency = scores.loc[buyers, "recency_days"].astype("float64")
    orders = table.loc[buyers, "orders"].astype("float64")
    how = settings["class8"]
    if isinstance(how, dict):
        return {k: float(v) for k, v in how.items()}
    pick = (lambda s: float(s.median())) if how == "median" else (lambda s: float(s.mean()))
    return {"recency": pick(recency), "frequency": pick(orders), "monetary": pick(monetary)}
