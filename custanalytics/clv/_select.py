"""Choosing a purchase model on the data (``model: auto``) and spend per purchase with a fallback.

Results are plain records with reason codes and the figures behind them; the words are the
report's business (``custanalytics.i18n``).
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd

from ..errors import CustAnalyticsWarning, DataError, ModelFitError, ParameterError
from ._bgnbd import BetaGeoModel
from ._evaluate import HOLDOUT_COLUMNS, evaluate
from ._gammagamma import GammaGammaModel
from ._mbgnbd import ModifiedBetaGeoModel
from ._pareto import ParetoNBDModel

__all__ = [
    "CANDIDATE_MODELS",
    "PENALIZER_GRID",
    "ModelSelection",
    "SpendEstimate",
    "select_purchase_model",
    "spend_per_purchase",
]

#: Purchase models ``model: auto`` chooses from, by their parameter-file names.
CANDIDATE_MODELS = {
    "bg_nbd": BetaGeoModel,
    "mbg_nbd": ModifiedBetaGeoModel,
    "pareto_nbd": ParetoNBDModel,
}
#: Penalizers tried (``penalty="log"``) when no candidate is identified without one.
PENALIZER_GRID = (0.001, 0.01, 0.1, 1.0)
#: Failures that a penalty can cure; the others (e.g. no repeat buyer) end the search.
_CURABLE = ("boundary", "flat_likelihood", "not_converged")

_CANDIDATE_COLUMNS = [
    "model",
    "penalizer",
    "penalty",
    "n_params",
    "n_customers",
    "log_likelihood",
    "bic",
    "holdout_rmse",
    "holdout_mae",
    "holdout_coverage",
    "rejected",
    "reason",
    "chosen",
]


@dataclasses.dataclass(frozen=True)
class ModelSelection:
    """The purchase model chosen on the data, the candidates tried and why.

    Attributes
    ----------
    name : str
        Chosen model: ``"bg_nbd"``, ``"mbg_nbd"`` or ``"pareto_nbd"``.
    model : BetaGeoModel, ModifiedBetaGeoModel or ParetoNBDModel
        The chosen model fitted on the whole window (``summary``).
    candidates : pandas.DataFrame
        One row per fit tried (candidate x penalizer): ``model``, ``penalizer``,
        ``penalty``, ``n_params``, ``n_customers``, ``log_likelihood`` (whole window,
        unpenalised), ``bic`` (``-2 log_likelihood + n_params log n_customers``),
        ``holdout_rmse``, ``holdout_mae``, ``holdout_coverage`` (share of customers inside
        their 80 % purchases interval; NaN without a holdout), ``rejected``, ``reason`` (code
        of the rejection, None if accepted) and ``chosen``.
    criterion : str
        ``"holdout_rmse"`` (a holdout period was available) or ``"bic"``.
    reason : str
        Code of the choice: ``"lowest_holdout_error"``, ``"lowest_bic"`` or
        ``"only_identified"`` (a single candidate survived).
    values : dict
        Figures behind the choice: ``score`` (the chosen model's RMSE or BIC),
        ``runner_up`` and ``runner_up_score`` (None if none), ``penalized`` (True when no
        candidate was identified without a penalty and one was chosen on the data) and
        ``rejected`` (candidate -> reason code of its unpenalised fit).
    penalizer : float
        Penalizer of the chosen fit (0 for the MLE).
    penalty : str
        Penalty form of the chosen fit (``"l2"`` or ``"log"``).
    """

    name: str
    model: object
    candidates: pd.DataFrame
    criterion: str
    reason: str
    values: dict
    penalizer: float
    penalty: str


def _check_candidates(candidates) -> tuple[str, ...]:
    names = tuple(candidates)
    unknown = [n for n in names if n not in CANDIDATE_MODELS]
    if not names or unknown:
        raise ParameterError(
            f"candidates must be a non-empty selection of {', '.join(CANDIDATE_MODELS)}, got "
            f"{list(names)!r}"
        )
    return names


def _fit_row(name, summary, calibration, penalizer, penalty) -> tuple[dict, object]:
    """Fit one candidate on the window (and the calibration period); return its row."""
    row = dict.fromkeys(_CANDIDATE_COLUMNS)
    row.update(model=name, penalizer=penalizer, penalty=penalty, rejected=False, chosen=False)
    row.update(holdout_rmse=math.nan, holdout_mae=math.nan, holdout_coverage=math.nan)
    cls = CANDIDATE_MODELS[name]
    row["n_params"] = len(cls._param_names)
    try:
        model = cls(penalizer=penalizer, penalty=penalty).fit(summary)
    except ModelFitError as error:
        row.update(rejected=True, reason=error.reason or "not_converged")
        if error.reason not in _CURABLE:
            raise
        return row, None
    row["n_customers"] = model.n_customers_
    row["log_likelihood"] = model.log_likelihood_
    row["bic"] = -2 * model.log_likelihood_ + row["n_params"] * math.log(model.n_customers_)
    if calibration is not None:
        try:
            checked = cls(penalizer=penalizer, penalty=penalty).fit(calibration)
        except ModelFitError as error:
            row.update(rejected=True, reason=f"calibration_{error.reason or 'not_converged'}")
            return row, None
        evaluation = evaluate(checked, calibration)
        row.update(
            holdout_rmse=evaluation.rmse,
            holdout_mae=evaluation.mae,
            holdout_coverage=evaluation.interval_coverage,
        )
    return row, model


def select_purchase_model(
    summary: pd.DataFrame,
    calibration: pd.DataFrame | None = None,
    *,
    candidates=tuple(CANDIDATE_MODELS),
    penalizer: float = 0.0,
    penalty: str = "l2",
    penalizer_grid=PENALIZER_GRID,
) -> ModelSelection:
    """Fit BG/NBD, MBG/NBD and Pareto/NBD, reject fits the data cannot identify, pick one.

    Every candidate is fitted on the whole window; a fit at a boundary of the parameter
    space or with a flat likelihood is rejected (reason code in ``candidates``). With a
    calibration summary (``summarize(..., calibration_end=...)``) each surviving candidate
    is also fitted on the calibration period and the one with the lowest holdout RMSE of
    predicted purchases is chosen; otherwise the one with the lowest BIC (log-likelihood
    with a parameter-count penalty). When no candidate is identified at ``penalizer``, the
    grid ``penalizer_grid`` is searched with ``penalty="log"`` (which pulls parameters
    towards data-scaled references from both sides): the smallest penalizer that identifies
    a candidate and the next one are tried, and the best fit by the same criterion wins.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`custanalytics.summarize` over the whole window.
    calibration : pandas.DataFrame, optional
        The same data summarised with ``calibration_end`` (holdout columns included).
    candidates : iterable of str
        Names among ``"bg_nbd"``, ``"mbg_nbd"``, ``"pareto_nbd"``.
    penalizer : float
        Penalizer of the first round of fits (0: maximum likelihood).
    penalty : {"l2", "log"}
        Penalty form of the first round.
    penalizer_grid : iterable of float
        Penalizers tried, in increasing order, when the first round identifies nothing.

    Returns
    -------
    ModelSelection
        The chosen fitted model, every fit tried, and the reason code of the choice.

    Raises
    ------
    ModelFitError
        If nobody bought twice (``reason="no_repeat_buyers"``), or no candidate is
        identified at any penalizer (``reason="no_identified_model"``).
    DataError
        If ``calibration`` lacks the holdout columns.
    """
    names = _check_candidates(candidates)
    if calibration is not None:
        missing = [c for c in HOLDOUT_COLUMNS if c not in calibration.columns]
        if missing:
            raise DataError(
                f"column '{missing[0]}' is missing from the calibration summary; pass "
                "summarize(transactions, as_of=..., calibration_end=...) or calibration=None"
            )
    rows, fitted = [], {}

    def fit_round(pen: float, form: str) -> list[int]:
        accepted = []
        for name in names:
            row, model = _fit_row(name, summary, calibration, pen, form)
            rows.append(row)
            if model is not None:
                fitted[len(rows) - 1] = model
                accepted.append(len(rows) - 1)
        return accepted

    accepted = fit_round(float(penalizer), penalty)
    first_round = {rows[i]["model"]: rows[i]["reason"] for i in range(len(rows))}
    penalized = False
    if not accepted:
        grid = sorted(float(p) for p in penalizer_grid if p > penalizer)
        for position, pen in enumerate(grid):
            accepted = fit_round(pen, "log")
            if accepted:
                if position + 1 < len(grid):
                    accepted += fit_round(grid[position + 1], "log")
                penalized = True
                break
    if not accepted:
        raise ModelFitError(
            f"no purchase model is identified by these data: {', '.join(names)} were rejected "
            f"({', '.join(f'{k}: {v}' for k, v in first_round.items())}), also with "
            f"penalizers up to {max(penalizer_grid, default=penalizer):g}; use a longer data "
            "window or more customers",
            reason="no_identified_model",
            values={"rejected": first_round},
        )
    with_holdout = [i for i in accepted if not math.isnan(rows[i]["holdout_rmse"])]
    if with_holdout:
        criterion, pool, key = "holdout_rmse", with_holdout, "holdout_rmse"
    else:
        criterion, pool, key = "bic", accepted, "bic"
    pool = sorted(pool, key=lambda i: (rows[i][key], rows[i]["penalizer"]))
    best = pool[0]
    rows[best]["chosen"] = True
    if len(pool) == 1:
        reason = "only_identified"
    else:
        reason = "lowest_holdout_error" if criterion == "holdout_rmse" else "lowest_bic"
    runner = pool[1] if len(pool) > 1 else None
    values = {
        "score": float(rows[best][key]),
        "runner_up": None if runner is None else rows[runner]["model"],
        "runner_up_score": None if runner is None else float(rows[runner][key]),
        "penalized": penalized,
        "rejected": {k: v for k, v in first_round.items() if v is not None},
    }
    table = pd.DataFrame(rows, columns=_CANDIDATE_COLUMNS)
    table["reason"] = pd.Series([row["reason"] for row in rows], dtype=object)  # None, not NaN
    return ModelSelection(
        name=rows[best]["model"],
        model=fitted[best],
        candidates=table,
        criterion=criterion,
        reason=reason,
        values=values,
        penalizer=float(rows[best]["penalizer"]),
        penalty=rows[best]["penalty"],
    )


@dataclasses.dataclass(frozen=True)
class SpendEstimate:
    """Spend per future purchase for every customer, and where it comes from.

    Attributes
    ----------
    spend : pandas.Series
        ``expected_spend`` per customer, aligned with the summary.
    source : str
        ``"gamma_gamma"`` or ``"observed_mean"`` (each customer's own average order value,
        clipped at 0).
    model : GammaGammaModel or None
        The fitted Gamma-Gamma model (None for the fallback).
    reason : str or None
        None when Gamma-Gamma was used without reservation; ``"frequency_spend_correlated"``
        when it was used although spend and frequency are correlated; otherwise the reason
        code of the Gamma-Gamma failure that led to the fallback (``"too_few_customers"``,
        ``"no_finite_mean"``, ``"boundary"``, ``"flat_likelihood"``, ``"not_converged"``).
    values : dict
        Figures behind the reason (e.g. ``q``, ``usable`` customers, the correlation).
    """

    spend: pd.Series
    source: str
    model: GammaGammaModel | None
    reason: str | None
    values: dict


def spend_per_purchase(
    summary: pd.DataFrame, *, penalizer: float = 0.0, penalty: str = "l2"
) -> SpendEstimate:
    """Gamma-Gamma expected spend per purchase, or each customer's observed mean when it fails.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`custanalytics.summarize` (``frequency``, ``monetary_value`` and,
        for the fallback, ``avg_order_value``).
    penalizer : float
        Penalizer of the Gamma-Gamma fit.
    penalty : {"l2", "log"}
        Its form (see :class:`GammaGammaModel`).

    Returns
    -------
    SpendEstimate
        The spend, its source, and the reason code of a fallback.

    Raises
    ------
    DataError
        If Gamma-Gamma fails and the summary has no ``avg_order_value`` to fall back to.
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CustAnalyticsWarning)
            model = GammaGammaModel(penalizer=penalizer, penalty=penalty).fit(summary)
        spend = model.expected_spend(summary)
    except ModelFitError as error:
        if "avg_order_value" not in summary.columns:
            raise DataError(
                f"Gamma-Gamma cannot be fitted ({error.reason}) and the customer table has no "
                "'avg_order_value' column to fall back to; pass the output of "
                "custanalytics.summarize()"
            ) from error
        observed = summary["avg_order_value"].astype("float64").clip(lower=0)
        return SpendEstimate(
            spend=observed.rename("expected_spend"),
            source="observed_mean",
            model=None,
            reason=error.reason or "not_converged",
            values=dict(error.values),
        )
    for warning in caught:  # pass on anything but the correlation note, which we record
        if "Pearson r" not in str(warning.message):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    corr = model.frequency_spend_correlation_
    correlated = bool(np.isfinite(corr) and abs(corr) > 0.3)
    return SpendEstimate(
        spend=spend,
        source="gamma_gamma",
        model=model,
        reason="frequency_spend_correlated" if correlated else None,
        values={"frequency_spend_correlation": float(corr), "n_customers": model.n_customers_},
    )
