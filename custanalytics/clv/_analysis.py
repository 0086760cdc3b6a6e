"""The CLV analysis of a report: holdout check, fit on the whole window, per-customer values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings

import pandas as pd

from ..data import Transactions
from ..errors import DataError, ModelFitError, ParameterError
from ..summary import summarize
from ._evaluate import HoldoutEvaluation, evaluate
from ._gammagamma import GammaGammaModel
from ._select import CANDIDATE_MODELS, select_purchase_model

__all__ = ["PURCHASE_MODELS", "ClvResult", "clv_analysis", "default_holdout_days"]

PURCHASE_MODELS = CANDIDATE_MODELS  # one home of the model names (clv._select)


@dataclasses.dataclass
class ClvResult:
    """Everything the CLV section shows.

    Attributes
    ----------
    purchase_model : fitted purchase model
        Fitted on the whole data window.
    spend_model : GammaGammaModel or None
        Fitted on the repeat buyers of the whole window; None when Gamma-Gamma cannot be
        used on these data (then each customer's observed average spend is used, see
        ``notes``).
    customers : pandas.DataFrame
        Per customer: ``p_alive``, ``expected_purchases``, ``expected_spend``, ``clv``,
        ``clv_lower``, ``clv_upper`` (95 % interval from the purchase model's parameters).
    evaluation : HoldoutEvaluation or None
        The holdout check (a model of the same kind fitted on the calibration period).
    calibration_end : datetime.date or None
        End of the calibration period of the holdout check.
    settings : dict
        The settings used (model, time unit, horizon and its unit, discount rate).
    notes : list of str
        What was skipped and why (e.g. a holdout check the calibration data cannot support).
    """

    purchase_model: object
    spend_model: GammaGammaModel | None
    customers: pd.DataFrame
    evaluation: HoldoutEvaluation | None
    calibration_end: dt.date | None
    settings: dict
    notes: list[str] = dataclasses.field(default_factory=list)


def _spend_per_purchase(
    summary: pd.DataFrame, notes: list[str]
) -> tuple[GammaGammaModel | None, pd.Series]:
    """Gamma-Gamma expected spend, or each customer's observed average when it cannot fit."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            model = GammaGammaModel().fit(summary)
            spend = model.expected_spend(summary)
    except (ModelFitError, DataError) as exc:
        notes.append(
            f"Gamma-Gamma not used ({exc}); spend per purchase is each customer's observed "
            "average order value"
        )
        return None, summary["avg_order_value"].clip(lower=0).rename("expected_spend")
    notes.extend(str(w.message) for w in caught)
    return model, spend


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
    return 0 if window < 90 else min(365, window // 3)


def clv_analysis(
    transactions: Transactions,
    *,
    as_of: dt.date,
    model: str = "auto",
    time_unit: str = "W",
    horizon: float = 12.0,
    horizon_unit: str = "M",
    discount_rate: float = 0.10,
    holdout_days: int | None = None,
    penalizer: float = 0.0,
) -> ClvResult:
    """Fit the purchase and spend models and value every customer.

    Parameters
    ----------
    transactions : Transactions
        Cleaned transactions.
    as_of : datetime.date
        Observation end.
    model : {"auto", "bg_nbd", "pareto_nbd", "mbg_nbd"}
        Purchase model; "auto" chooses on the data (see ``select_purchase_model``).
    time_unit : {"D", "W"}
        Unit the models are fitted in.
    horizon : float
        CLV horizon, in ``horizon_unit``.
    horizon_unit : {"D", "W", "M", "Y"}
        Unit of ``horizon``.
    discount_rate : float
        Annual discount rate.
    holdout_days : int, optional
        Holdout length for the model check; see :func:`default_holdout_days`. 0: no check.
    penalizer : float
        L2 penalty on the purchase model's parameters.

    Returns
    -------
    ClvResult
        Fitted models, per-customer values and the holdout check.

    Raises
    ------
    ParameterError
        If the model name is unknown.
    ModelFitError
        If a model cannot be fitted (the message says what to change).
    """
    if model != "auto" and model not in PURCHASE_MODELS:
        allowed = ", ".join(["auto", *PURCHASE_MODELS])
        raise ParameterError(f"model must be one of {allowed}, got {model!r}")
    summary = summarize(transactions, as_of=as_of, time_unit=time_unit)
    first = summary["first_purchase"].min().date()
    days = default_holdout_days(first, as_of) if holdout_days is None else holdout_days
    evaluation, calibration_end, notes = None, None, []
    selection, penalty = None, "l2"
    if model == "auto":  # model: auto (issue 8); the lead moves this into the analysis
        calibration = None
        if days > 0:
            calibration = summarize(
                transactions,
                as_of=as_of,
                time_unit=time_unit,
                calibration_end=as_of - dt.timedelta(days=days),
            )
        selection = select_purchase_model(summary, calibration, penalizer=penalizer)
        model, penalizer, penalty = selection.name, selection.penalizer, selection.penalty
    if days > 0:
        calibration_end = as_of - dt.timedelta(days=days)
        calibration = summarize(
            transactions, as_of=as_of, time_unit=time_unit, calibration_end=calibration_end
        )
        try:
            checked = PURCHASE_MODELS[model](penalizer=penalizer, penalty=penalty).fit(calibration)
        except ModelFitError as exc:
            notes.append(
                f"holdout check skipped: the calibration period up to {calibration_end} "
                f"cannot be fitted ({exc})"
            )
        else:
            evaluation = evaluate(checked, calibration)
    else:
        notes.append("holdout check skipped: the data window is shorter than 90 days")
    purchases = (
        selection.model
        if selection is not None
        else PURCHASE_MODELS[model](penalizer=penalizer).fit(summary)
    )
    spend, expected_spend = _spend_per_purchase(summary, notes)
    clv = purchases.customer_lifetime_value_uncertainty(
        summary,
        expected_spend,
        horizon=horizon,
        time_unit=horizon_unit,
        discount_rate=discount_rate,
        level=0.95,
    )
    customers = pd.DataFrame(
        {
            "p_alive": purchases.probability_alive(summary),
            "expected_purchases": purchases.expected_purchases(
                summary, horizon, time_unit=horizon_unit
            ),
            "expected_spend": expected_spend,
            "clv": clv["clv"],
            "clv_lower": clv["mean_lower"],
            "clv_upper": clv["mean_upper"],
        }
    )
    settings = {
        "model": model,
        "time_unit": time_unit,
        "horizon": horizon,
        "horizon_unit": horizon_unit,
        "discount_rate": discount_rate,
        "selection": selection,
    }
    return ClvResult(purchases, spend, customers, evaluation, calibration_end, settings, notes)
