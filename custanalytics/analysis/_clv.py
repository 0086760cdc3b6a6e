"""The CLV section: holdout check, purchase and spend models, per-customer value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, ModelFitError
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = [
    "ClvRecord",
    "HoldoutRecord",
    "clv_section",
    "default_holdout_days",
    "holdout_plan",
    "model_table",
    "spend_per_purchase",
]

#: Windows shorter than this get no automatic holdout check.
MIN_HOLDOUT_WINDOW_DAYS = 90
#: Longest automatic holdout period.
MAX_HOLDOUT_DAYS = 365
#: Customers listed in the report's "top customers by CLV" table.
TOP_CUSTOMERS = 20
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
        Purchase model code (``bg_nbd``, ``pareto_nbd``, ``mbg_nbd``).
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
    table = model.summary.copy()
    table.index.name = "parameter"
    return table


def spend_per_purchase(summary: pd.DataFrame) -> tuple[Any, pd.Series, list]:
    """Gamma-Gamma expected spend, or each customer's observed average when it cannot fit.

    Parameters
    ----------
    summary : pandas.DataFrame
        Buyers' summary.

    Returns
    -------
    (GammaGammaModel or None, pandas.Series, list of Note)
        The fitted model (None for the fallback), spend per purchase per customer, and
        notes on what happened.
    """
    from ..clv import GammaGammaModel  # scipy sets warning filters on import: load late

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            model = GammaGammaModel().fit(summary)
            spend = model.expected_spend(summary)
    except (ModelFitError, DataError) as exc:
        fallback = summary["avg_order_value"].clip(lower=0).rename("expected_spend")
        return None, fallback, [Note("spend_fallback", {"error": str(exc)})]
    notes = []
    if caught:
        correlation = model.frequency_spend_correlation_
        notes.append(Note("spend_frequency_correlated", {"correlation": float(correlation)}))
    return model, spend, notes


def clv_section(ctx: AnalysisContext) -> SectionOutput:
    """Fit the purchase and spend models, check them on a holdout, and value every buyer.

    Parameters
    ----------
    ctx : AnalysisContext
        The run.

    Returns
    -------
    SectionOutput
        A :class:`ClvRecord` and the columns ``p_alive``, ``expected_purchases``,
        ``expected_spend``, ``clv``, ``clv_lower``, ``clv_upper``; or ``Unavailable`` when
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
    holdout = _holdout(ctx, notes)
    try:
        model = ctx.purchase_model(settings.model, "full", unit)
    except ModelFitError as exc:
        return SectionOutput(
            Unavailable("model_not_identified", {"model": settings.model, "error": str(exc)})
        )
    horizon = {"horizon": settings.horizon, "time_unit": settings.horizon_unit}
    columns = pd.DataFrame(
        {
            "p_alive": model.probability_alive(summary),
            "expected_purchases": model.expected_purchases(summary, **horizon),
        }
    )
    spend_model = None
    if ctx.transactions.has_amount:
        spend_model, spend, spend_notes = spend_per_purchase(summary)
        notes += spend_notes
        clv = model.customer_lifetime_value(
            summary, spend, discount_rate=settings.discount_rate, interval=0.95, **horizon
        )
        columns["expected_spend"] = spend
        columns["clv"] = clv["clv"]
        columns["clv_lower"] = clv["lower"]
        columns["clv_upper"] = clv["upper"]
        spend_name = "observed_mean" if spend_model is None else "gamma_gamma"
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
        model=settings.model,
        time_unit=unit,
        horizon=settings.horizon,
        horizon_unit=settings.horizon_unit,
        discount_rate=settings.discount_rate,
        penalizer=settings.penalizer,
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


def _holdout(ctx: AnalysisContext, notes: list[Note]) -> HoldoutRecord | None:
    settings = ctx.params.clv
    calibration_end, skipped = holdout_plan(ctx)
    if calibration_end is None:
        notes.append(skipped)
        return None
    calibration = ctx.calibration_summary(settings.time_unit, calibration_end)
    try:
        model = ctx.purchase_model(
            settings.model, "calibration", settings.time_unit, calibration_end
        )
    except ModelFitError as exc:
        notes.append(
            Note(
                "holdout_fit_failed",
                {"calibration_end": calibration_end.isoformat(), "error": str(exc)},
            )
        )
        return None
    from ..clv import evaluate

    evaluation = evaluate(model, calibration)
    figures = evaluation.to_dict()
    del figures["model"]
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
