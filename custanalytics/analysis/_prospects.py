"""The prospects section: prospects graded by the value of existing customers like them."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..prospects import PROSPECT_GRADES, customer_value, grade_prospects
from ._attributes import attribute_columns
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = ["ProspectsRecord", "prospects_section"]

#: Prospects listed in the report, most promising first.
PROSPECTS_LISTED = 30
#: Attribute effects listed in the report, largest first.
EFFECTS_LISTED = 12


@record
@dataclasses.dataclass(frozen=True)
class ProspectsRecord:
    """The prospect model's honest check and the prospects' potential grades.

    Attributes
    ----------
    target : {"clv", "revenue_per_year"}
        The value learnt from the existing customers.
    model : {"ridge", "gradient_boosting"}
        The regression.
    features : list of str
        Attributes used (known for prospects and varying among the customers).
    training_customers, prospects : int
        Existing customers learnt from; prospects graded.
    cv : pandas.DataFrame
        Per fold: ``model_r2``, ``baseline_r2``.
    model_r2, baseline_r2 : float
        Cross-validated R² of log(1 + value): the model and the mean-for-everybody baseline.
    min_improvement : float
        The gain over the baseline the model needed.
    better : bool
        Whether it had it (only then are prospects graded).
    grade_shares : list of float
        Shares of prospects graded A and B.
    grades : pandas.DataFrame
        Per grade: ``prospects``, ``score_min``, ``score_mean``, ``score_max`` (empty unless
        ``better``).
    top : list of str
        Ids of the most promising prospects, highest potential first.
    effects : pandas.DataFrame
        The largest attribute effects: ``attribute``, ``value``, ``multiplier``.
    notes : list of Note
        E.g. a model no better than the baseline.
    """

    target: str
    model: str
    features: list[str]
    training_customers: int
    prospects: int
    cv: pd.DataFrame
    model_r2: float
    baseline_r2: float
    min_improvement: float
    better: bool
    grade_shares: list[float]
    grades: pd.DataFrame
    top: list[str]
    effects: pd.DataFrame
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "prospect_model_r2": self.model_r2,
            "prospect_baseline_r2": self.baseline_r2,
            "prospect_model_better": self.better,
            "prospect_grades": self.grades["prospects"].to_dict() if self.better else {},
        }


def prospects_section(ctx: AnalysisContext) -> SectionOutput:
    """Grade the prospects by the value of existing customers with the same attributes.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the CLV section: CLV is the value learnt when present).

    Returns
    -------
    SectionOutput
        A :class:`ProspectsRecord` and, when the model beats the baseline, the prospects'
        ``potential_score`` and ``potential_grade``.
    """
    if ctx.master is None:
        return SectionOutput(Unavailable("no_customer_master"))
    table = ctx.customers
    prospect = table["orders"].to_numpy() == 0
    if not prospect.any():
        return SectionOutput(Unavailable("no_prospects"))
    settings = ctx.params.prospects
    candidates, _ = attribute_columns(ctx)
    buyers = table.loc[~prospect]
    features = [
        c
        for c in candidates
        if table.loc[prospect, c].notna().any() and buyers[c].nunique(dropna=True) >= 2
    ]
    if not features:
        return SectionOutput(Unavailable("prospects_no_attributes"))
    value, _ = customer_value(table)
    if len(value) < settings.min_customers:
        return SectionOutput(
            Unavailable(
                "prospects_too_few_customers",
                {"customers": len(value), "minimum": settings.min_customers},
            )
        )
    grading = grade_prospects(
        table,
        features,
        model=settings.model,
        folds=settings.folds,
        min_improvement=settings.min_improvement,
        grade_shares=settings.grade_shares,
        labels=ctx.params.attributes.labels,
        min_group=ctx.params.attributes.min_customers,
        random_state=settings.random_state,
    )
    notes = []
    if not grading.better:
        notes.append(
            Note(
                "prospects_no_better",
                {
                    "model_r2": round(grading.model_r2, 3),
                    "baseline_r2": round(grading.baseline_r2, 3),
                    "min_improvement": settings.min_improvement,
                },
            )
        )
    score = grading.score
    grades = pd.DataFrame(columns=["prospects", "score_min", "score_mean", "score_max"])
    columns = None
    if grading.better:
        by = score.groupby(grading.grade, observed=False)
        grades = pd.DataFrame(
            {
                "prospects": by.size().astype("int64"),
                "score_min": by.min(),
                "score_mean": by.mean(),
                "score_max": by.max(),
            }
        ).reindex(list(PROSPECT_GRADES))
        grades["prospects"] = grades["prospects"].fillna(0).astype("int64")
        grades.index = pd.Index([str(g) for g in grades.index], name="potential_grade")
        columns = pd.DataFrame({"potential_score": score, "potential_grade": grading.grade})
    ranked = score.sort_index().sort_values(ascending=False, kind="stable")
    record_ = ProspectsRecord(
        target=grading.target,
        model=grading.model,
        features=grading.features,
        training_customers=grading.training_customers,
        prospects=int(prospect.sum()),
        cv=grading.cv,
        model_r2=grading.model_r2,
        baseline_r2=grading.baseline_r2,
        min_improvement=settings.min_improvement,
        better=grading.better,
        grade_shares=list(settings.grade_shares),
        grades=grades,
        top=[str(i) for i in ranked.index[:PROSPECTS_LISTED]],
        effects=grading.effects.head(EFFECTS_LISTED).reset_index(drop=True),
        notes=notes,
    )
    return SectionOutput(record_, columns)
