"""The CLV section: holdout check, purchase and spend models, per-customer value."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ModelFitError
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = [
    "ClvRecord",
    "HoldoutRecord",
    "clv_section",
    "default_holdout_days",
    "holdout_plan",
    "model_table",
    "spend_notes",
]

#: Windows shorter than this get no automatic holdout check.
MIN_HOLDOUT_WINDOW_DAYS = 90
#: Longest automatic holdout period.
MAX_HOLDOUT_DAYS = 365
#: Customers listed in the report's "top customers by CLV" table.
TOP_CUSTOMERS = 20
#: Level of the predictive ranges of purchases and CLV (the honest "how much" range).
PREDICTIVE_LEVEL = 0.8
#: Points on the recency axis of the P(alive) / expected-purchase grids.
GRID_SIZE = 40


@record
@dataclasses.dataclass(frozen=True)
class HoldoutRecord:
    """A model of the same kind fitted on the calibration period, checked on the holdout.

    Attributes
    ----------
    calibration_end : datetime.date
        Last day of the calibration period; the holdout runs from the next day to as-of.
    holdout_days : int
        Length of the holdout period.
    figures : dict
        ``mae``, ``rmse``, ``correlation``, ``total_predicted``, ``total_actual``.
    by_frequency : pandas.DataFrame
        Per calibration-frequency bucket: ``customers``, ``actual`` and ``predicted`` mean
        holdout purchases.
    """

    calibration_end: dt.date
    holdout_days: int
    figures: dict[str, float]
    by_frequency: pd.DataFrame


@record
@dataclasses.dataclass(frozen=True)
class ClvRecord:
    """Everything the CLV section shows.

    Attributes
    ----------
    model : str
        Purchase model code (``bg_nbd``, ``pareto_nbd``, ``mbg_nbd``), chosen on the data
        with ``model: auto``.
    selection : SelectionRecord or None
        How ``model: auto`` chose it (None for a model named in the parameters).
    time_unit : str
        Unit the models were fitted in.
    horizon, horizon_unit, discount_rate, penalizer
        The CLV settings used.
    customers_fitted : int
        Buyers the purchase model was fitted on.
    log_likelihood : float
        Of the purchase model.
    parameters : pandas.DataFrame
        Purchase-model parameters: ``estimate``, ``std_error``, ``lower_95``, ``upper_95``.
    spend_model : str
        ``gamma_gamma``; ``observed_mean`` when Gamma-Gamma could not be used; ``none``
        without amounts (then only purchases and P(alive) are predicted, no CLV).
    spend_parameters : pandas.DataFrame or None
        Gamma-Gamma parameters, like ``parameters``.
    holdout : HoldoutRecord or None
        The holdout check, when the window allowed one.
    grid : pandas.DataFrame
        ``frequency``, ``recency`` (model time unit, at the largest observed T),
        ``p_alive`` and ``expected_purchases`` over the horizon.
    totals : dict
        ``expected_purchases_total``, ``p_alive_mean`` and, with amounts, ``clv_total``,
        ``clv_mean``, ``clv_median``.
    top_customers : list of str
        Ids of the customers with the highest CLV (without amounts: the most expected
        purchases), highest first.
    notes : list of Note
        What was skipped or replaced, and why.
    """

    model: str
    selection: SelectionRecord | None
    time_unit: str
    horizon: float
    horizon_unit: str
    discount_rate: float
    penalizer: float
    customers_fitted: int
    log_likelihood: float
    parameters: pd.DataFrame
    spend_model: str
    spend_parameters: pd.DataFrame | None
    holdout: HoldoutRecord | None
    grid: pd.DataFrame
    totals: dict[str, float]
    top_customers: list[str]
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        out = {
            "clv_model": self.model,
            "clv_parameters": self.parameters["estimate"].to_dict(),
            "clv_log_likelihood": self.log_likelihood,
            "clv_spend_model": self.spend_model,
            **self.totals,
        }
        if self.holdout is not None:
            out["clv_holdout"] = {"calibration_end": self.holdout.calibration_end}
            out["clv_holdout"].update(self.holdout.figures)
        return out


def default_holdout_days(first_purchase: dt.date, as_of: dt.date) -> int:
    """Return the length of the automatic holdout period.

    Parameters
    ----------
    first_purchase : datetime.date
        Earliest purchase in the data.
    as_of : datetime.date
        Observation end.

    Returns
    -------
    int
        A third of the window, at most 365 days; 0 (no check) for windows under 90 days.
    """
    window = (as_of - first_purchase).days
    return 0 if window < MIN_HOLDOUT_WINDOW_DAYS else min(MAX_HOLDOUT_DAYS, window // 3)


def holdout_plan(ctx: AnalysisContext) -> tuple[dt.date | None, Note | None]:
    """Decide the calibration end of the holdout check, or why there is none.

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    (datetime.date or None, Note or None)
        The calibration end, or None and a note saying why the check is skipped.
    """
    requested = ctx.params.clv.holdout_days
    if requested == 0:
        return None, Note("holdout_off")
    first = ctx.buyer_summary("D")["first_purchase"].min().date()
    days = default_holdout_days(first, ctx.as_of) if requested is None else requested
    if days == 0:
        window = (ctx.as_of - first).days
        return None, Note(
            "holdout_short_window", {"window_days": window, "minimum": MIN_HOLDOUT_WINDOW_DAYS}
        )
    return ctx.as_of - dt.timedelta(days=days), None


def model_table(model) -> pd.DataFrame:
    """Return a fitted model's parameter table: estimate, standard error, 95 % interval.

    Parameters
    ----------
    model : fitted CLV model

    Returns
    -------
    pandas.DataFrame
        Indexed by ``parameter``.
    """
    table = model.summary_.copy()
    table.index.name = "parameter"
    return table


def spend_notes(estimate) -> list[Note]:
    """Return the notes on where spend per purchase came from.

    Parameters
    ----------
    estimate : SpendEstimate
        Output of :func:`custanalytics.clv.spend_per_purchase`.

    Returns
    -------
    list of Note
        A fallback to observed spend, or Gamma-Gamma used despite a correlation.
    """
    if estimate.source == "observed_mean":
        return [Note("spend_fallback", {"reason": estimate.reason or "not_converged"})]
    if estimate.reason == "frequency_spend_correlated":
        correlation = float(estimate.values.get("correlation", float("nan")))
        return [Note("spend_frequency_correlated", {"correlation": correlation})]
    return []


def clv_section(ctx: AnalysisContext) -> SectionOutput:
    """Fit the purchase and spend models, check them on a holdout, and value every buyer.

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    SectionOutput
        A :class:`ClvRecord` and the columns ``p_alive``, ``expected_purchases`` with its
        80 % range ``purchases_lower`` / ``purchases_upper``, ``expected_spend``, ``clv``
        with the 95 % band of its expectation ``clv_mean_lower`` / ``clv_mean_upper`` and the
        80 % range of the value itself ``clv_range_lower`` / ``clv_range_upper``; or
        ``Unavailable`` when
        the data cannot support a model (nobody bought twice, a model the data cannot
        identify).
    """
    settings = ctx.params.clv
    unit = settings.time_unit
    summary = ctx.buyer_summary(unit)
    if summary.empty:
        return SectionOutput(Unavailable("no_buyers"))
    repeaters = int((summary["frequency"] > 0).sum())
    if repeaters == 0:
        return SectionOutput(Unavailable("no_repeat_buyers", {"customers": len(summary)}))
    notes: list[Note] = []
    selection = None
    try:
        if settings.model == "auto":
            selection = _select(ctx, summary)
            name, penalty = selection.name, selection.penalty
            penalizer = selection.penalizer
            model = ctx.remember_model(selection.model, name, "full", unit, penalizer, penalty)
        else:
            name, penalizer, penalty = settings.model, settings.penalizer, "l2"
            model = ctx.purchase_model(name, "full", unit)
    except ModelFitError as exc:
        detail = {"model": settings.model, "reason": exc.reason or "not_converged"}
        return SectionOutput(Unavailable("model_not_identified", detail | {"error": str(exc)}))
    holdout = _holdout(ctx, notes, name, penalizer, penalty)
    horizon = {"horizon": settings.horizon, "time_unit": settings.horizon_unit}
    columns = pd.DataFrame(
        {
            "p_alive": model.probability_alive(summary),
            "expected_purchases": model.expected_purchases(summary, **horizon),
        }
    )
    purchases = model.purchases_interval(summary, level=PREDICTIVE_LEVEL, **horizon)
    columns["purchases_lower"] = purchases["lower"]
    columns["purchases_upper"] = purchases["upper"]
    spend_model = None
    if ctx.transactions.has_amount:
        from ..clv import spend_per_purchase

        estimate = spend_per_purchase(summary)
        spend_model, spend = estimate.model, estimate.spend
        notes += spend_notes(estimate)
        value = {"discount_rate": settings.discount_rate, **horizon}
        band = model.customer_lifetime_value_uncertainty(summary, spend, level=0.95, **value)
        ranged = model.customer_lifetime_value_interval(
            summary, spend, level=PREDICTIVE_LEVEL, **value
        )
        columns["expected_spend"] = spend
        columns["clv"] = band["clv"]
        columns["clv_mean_lower"] = band["mean_lower"]
        columns["clv_mean_upper"] = band["mean_upper"]
        columns["clv_range_lower"] = ranged["lower"]
        columns["clv_range_upper"] = ranged["upper"]
        spend_name = estimate.source
    else:
        notes.append(Note("clv_no_amounts"))
        spend_name = "none"
    ranked = "clv" if "clv" in columns else "expected_purchases"
    totals = {
        "expected_purchases_total": float(columns["expected_purchases"].sum()),
        "p_alive_mean": float(columns["p_alive"].mean()),
    }
    if "clv" in columns:
        totals |= {
            "clv_total": float(columns["clv"].sum()),
            "clv_mean": float(columns["clv"].mean()),
            "clv_median": float(columns["clv"].median()),
        }
    top = columns[ranked].sort_values(ascending=False, kind="stable").index[:TOP_CUSTOMERS]
    record_ = ClvRecord(
        model=name,
        selection=None if selection is None else _selection_record(selection),
        time_unit=unit,
        horizon=settings.horizon,
        horizon_unit=settings.horizon_unit,
        discount_rate=settings.discount_rate,
        penalizer=float(penalizer),
        customers_fitted=len(summary),
        log_likelihood=float(model.log_likelihood_),
        parameters=model_table(model),
        spend_model=spend_name,
        spend_parameters=None if spend_model is None else model_table(spend_model),
        holdout=holdout,
        grid=_grid(model, summary, settings.horizon, settings.horizon_unit),
        totals=totals,
        top_customers=[str(i) for i in top],
        notes=notes,
    )
    return SectionOutput(record_, columns)


def _holdout(
    ctx: AnalysisContext, notes: list[Note], name: str, penalizer: float, penalty: str
) -> HoldoutRecord | None:
    settings = ctx.params.clv
    calibration_end, skipped = holdout_plan(ctx)
    if calibration_end is None:
        notes.append(skipped)
        return None
    calibration = ctx.calibration_summary(settings.time_unit, calibration_end)
    try:
        model = ctx.purchase_model(
            name, "calibration", settings.time_unit, calibration_end, penalizer, penalty
        )
    except ModelFitError as exc:
        notes.append(
            Note(
                "holdout_fit_failed",
                {
                    "calibration_end": calibration_end.isoformat(),
                    "reason": exc.reason or "not_converged",
                },
            )
        )
        return None
    from ..clv import evaluate

    evaluation = evaluate(model, calibration)
    figures = evaluation.to_dict()
    del figures["model"]
    figures["interval_coverage"] = float(evaluation.interval_coverage)
    return HoldoutRecord(
        calibration_end=calibration_end,
        holdout_days=(ctx.as_of - calibration_end).days,
        figures=figures,
        by_frequency=evaluation.by_frequency,
    )


def _grid(model, summary: pd.DataFrame, horizon: float, horizon_unit: str) -> pd.DataFrame:
    """P(alive) and expected purchases over a frequency x recency grid at the largest T."""
    top_frequency = int(max(summary["frequency"].quantile(0.99), 1))
    T = float(summary["T"].max())
    frequency, recency = np.meshgrid(
        np.arange(0, top_frequency + 1, dtype="float64"),
        np.linspace(0, T, GRID_SIZE),
        indexing="ij",
    )
    recency = np.where(frequency == 0, 0.0, recency)  # no repeat purchase: recency is 0
    arrays = {
        "frequency": frequency.ravel(),
        "recency": recency.ravel(),
        "T": np.full(recency.size, T),
    }
    grid = pd.DataFrame(
        {
            "frequency": arrays["frequency"].astype("int64"),
            "recency": np.tile(np.linspace(0, T, GRID_SIZE), top_frequency + 1),
            "p_alive": model.probability_alive(**arrays).to_numpy(),
            "expected_purchases": model.expected_purchases(
                horizon=horizon, time_unit=horizon_unit, **arrays
            ).to_numpy(),
        }
    )
    return grid


def _select(ctx: AnalysisContext, summary: pd.DataFrame):
    """Choose the purchase model on the data (``model: auto``), checked on the holdout."""
    from ..clv import select_purchase_model

    settings = ctx.params.clv
    calibration_end, _ = holdout_plan(ctx)
    calibration = (
        None
        if calibration_end is None
        else ctx.calibration_summary(settings.time_unit, calibration_end)
    )
    return select_purchase_model(summary, calibration, penalizer=settings.penalizer)


@record
@dataclasses.dataclass(frozen=True)
class SelectionRecord:
    """How ``model: auto`` chose the purchase model.

    Attributes
    ----------
    criterion : str
        ``holdout_rmse`` or ``bic``.
    reason : str
        ``lowest_holdout_error``, ``lowest_bic`` or ``only_identified``.
    values : dict
        ``score``, ``runner_up``, ``runner_up_score``, ``penalized``, ``rejected``.
    candidates : pandas.DataFrame
        Every fit tried: model, penalizer, log-likelihood, BIC, holdout errors, rejected and
        why, chosen.
    """

    criterion: str
    reason: str
    values: dict[str, Any]
    candidates: pd.DataFrame


def _selection_record(selection) -> SelectionRecord:
    values = {k: v for k, v in selection.values.items()}
    table = selection.candidates.copy()
    for column in ("reason", "penalty", "model"):
        if column in table.columns:
            table[column] = table[column].astype("object").where(table[column].notna(), None)
    table = table.reset_index(drop=True)
    return SelectionRecord(selection.criterion, selection.reason, values, table)
