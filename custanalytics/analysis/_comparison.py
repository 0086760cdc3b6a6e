"""The CLV model comparison (the deep-dive report): every purchase model, side by side."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd

from ..errors import ModelFitError
from ._clv import holdout_plan, model_table
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = ["ModelComparisonRecord", "model_comparison_section"]


@record
@dataclasses.dataclass(frozen=True)
class ModelComparisonRecord:
    """BG/NBD, Pareto/NBD and MBG/NBD checked on the holdout and fitted on the whole window.

    Attributes
    ----------
    calibration_end : datetime.date or None
        End of the calibration period (None: no holdout check, see ``notes``).
    holdout : pandas.DataFrame
        Per model (index ``model``, best first): ``log_likelihood`` of the calibration fit,
        ``mae``, ``rmse``, ``correlation``, ``total_predicted``, ``total_actual``.
    by_frequency : pandas.DataFrame
        ``model``, ``frequency`` bucket, ``customers``, ``actual``, ``predicted``.
    best_model : str or None
        Model with the lowest holdout RMSE.
    fits : pandas.DataFrame
        Whole-window fits: ``model``, ``parameter``, ``estimate``, ``std_error``,
        ``lower_95``, ``upper_95``.
    log_likelihoods : dict
        Model → log-likelihood of its whole-window fit.
    clv_by_model : pandas.DataFrame
        Per model: ``clv_total``, ``clv_mean``, ``clv_median`` (same spend per purchase).
    rank_correlation : pandas.DataFrame
        Spearman correlation of the models' CLV per customer.
    notes : list of Note
        Models that could not be fitted, skipped checks.
    """

    calibration_end: dt.date | None
    holdout: pd.DataFrame
    by_frequency: pd.DataFrame
    best_model: str | None
    fits: pd.DataFrame
    log_likelihoods: dict[str, float]
    clv_by_model: pd.DataFrame
    rank_correlation: pd.DataFrame
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "best_model": self.best_model,
            "model_comparison": self.holdout.reset_index().to_dict(orient="records"),
        }


def model_comparison_section(ctx: AnalysisContext) -> SectionOutput:
    """Compare the purchase models on the holdout and their CLV on the whole window.

    Runs when ``clv.compare_models`` is on (the ``clv_deep_dive`` report turns it on).

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the CLV section, whose spend per purchase it reuses).

    Returns
    -------
    SectionOutput
        A :class:`ModelComparisonRecord` and one ``clv_<model>`` column per fitted model.
    """
    from ..clv import PURCHASE_MODELS, evaluate  # scipy sets warning filters on import

    if not ctx.transactions.has_amount:
        return SectionOutput(Unavailable("no_amounts"))
    if "expected_spend" not in ctx.customers.columns:
        return SectionOutput(Unavailable("needs_clv"))
    settings = ctx.params.clv
    unit, notes = settings.time_unit, []
    calibration_end, skipped = holdout_plan(ctx)
    rows, buckets = [], []
    if calibration_end is None:
        notes.append(skipped)
    else:
        calibration = ctx.calibration_summary(unit, calibration_end)
        for name in PURCHASE_MODELS:
            try:
                model = ctx.purchase_model(name, "calibration", unit, calibration_end)
            except ModelFitError as exc:
                notes.append(Note("model_fit_failed", {"model": name, "error": str(exc)}))
                continue
            evaluation = evaluate(model, calibration)
            figures = evaluation.to_dict() | {"model": name}
            rows.append(figures | {"log_likelihood": float(model.log_likelihood_)})
            buckets.append(evaluation.by_frequency.reset_index().assign(model=name))
    holdout = _holdout_table(rows)
    summary = ctx.buyer_summary(unit)
    spend = ctx.customers.loc[summary.index, "expected_spend"]
    fits, log_likelihoods, values = [], {}, {}
    for name in PURCHASE_MODELS:
        try:
            model = ctx.purchase_model(name, "full", unit)
        except ModelFitError as exc:
            notes.append(Note("model_fit_failed", {"model": name, "error": str(exc)}))
            continue
        fits.append(model_table(model).reset_index().assign(model=name))
        log_likelihoods[name] = float(model.log_likelihood_)
        values[f"clv_{name}"] = model.customer_lifetime_value(
            summary,
            spend,
            horizon=settings.horizon,
            time_unit=settings.horizon_unit,
            discount_rate=settings.discount_rate,
        )
    clv = pd.DataFrame(values, index=summary.index)
    by_model = pd.DataFrame(
        {"clv_total": clv.sum(), "clv_mean": clv.mean(), "clv_median": clv.median()}
    )
    by_model.index = [c.removeprefix("clv_") for c in by_model.index]
    by_model.index.name = "model"
    ranks = clv.corr(method="spearman")
    ranks.index = ranks.columns = list(by_model.index)
    record_ = ModelComparisonRecord(
        calibration_end=calibration_end,
        holdout=holdout,
        by_frequency=_concat(buckets, ["model", "frequency", "customers", "actual", "predicted"]),
        best_model=None if holdout.empty else str(holdout.index[0]),
        fits=_concat(fits, ["model", "parameter", "estimate", "std_error", "lower_95", "upper_95"]),
        log_likelihoods=log_likelihoods,
        clv_by_model=by_model,
        rank_correlation=ranks,
        notes=notes,
    )
    return SectionOutput(record_, clv)


def _holdout_table(rows: list[dict]) -> pd.DataFrame:
    columns = ["log_likelihood", "mae", "rmse", "correlation", "total_predicted", "total_actual"]
    if not rows:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="model"), dtype="float64")
    table = pd.DataFrame(rows).set_index("model")[columns]
    return table.sort_values("rmse", kind="stable")


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
