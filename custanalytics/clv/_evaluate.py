"""Holdout evaluation of purchase models: predicted vs actual purchases after calibration."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..errors import DataError
from ._base import _check_level
from ._inputs import table_time_unit

__all__ = ["HoldoutEvaluation", "ModelComparison", "compare_models", "evaluate"]

HOLDOUT_COLUMNS = ("frequency", "recency", "T", "frequency_holdout", "duration_holdout")


@dataclasses.dataclass(frozen=True)
class HoldoutEvaluation:
    """How well a fitted model predicts purchases in the holdout period.

    Attributes
    ----------
    model : str
        Class name of the evaluated model.
    mae, rmse : float
        Mean absolute and root-mean-square error of predicted vs actual holdout purchases
        per customer.
    correlation : float
        Pearson correlation of predicted and actual holdout purchases.
    total_predicted, total_actual : float
        Holdout purchases summed over customers.
    interval_level : float
        Level of the predictive interval checked (``purchases_interval``).
    interval_coverage : float
        Share of customers whose actual holdout purchases lie inside their interval.
    by_frequency : pandas.DataFrame
        Per calibration-frequency bucket (0, 1, …, 7+): ``customers``, ``actual`` and
        ``predicted`` mean holdout purchases.
    per_customer : pandas.DataFrame
        ``predicted`` and ``actual`` holdout purchases of each customer.
    """

    model: str
    mae: float
    rmse: float
    correlation: float
    total_predicted: float
    total_actual: float
    interval_level: float
    interval_coverage: float
    by_frequency: pd.DataFrame
    per_customer: pd.DataFrame

    def to_dict(self) -> dict[str, float | str]:
        """Return the scalar figures.

        Returns
        -------
        dict
            ``model``, ``mae``, ``rmse``, ``correlation``, ``total_predicted``,
            ``total_actual`` (the interval figures are attributes of their own).
        """
        fields = ("model", "mae", "rmse", "correlation", "total_predicted", "total_actual")
        return {f: getattr(self, f) for f in fields}


def evaluate(
    model, customers: pd.DataFrame, *, max_bucket: int = 7, level: float = 0.8
) -> HoldoutEvaluation:
    """Compare a model's predictions for the holdout period with what customers bought.

    Parameters
    ----------
    model : BetaGeoModel, ParetoNBDModel or ModifiedBetaGeoModel
        A model fitted on the calibration columns of ``customers``.
    customers : pandas.DataFrame
        Output of :func:`custanalytics.summarize` with ``calibration_end``.
    max_bucket : int
        Calibration frequencies at or above this are pooled into one bucket.
    level : float
        Level of the predictive interval whose coverage is measured.

    Returns
    -------
    HoldoutEvaluation
        Error measures overall and by calibration-frequency bucket.

    Raises
    ------
    DataError
        If the holdout columns are missing.
    """
    missing = [c for c in HOLDOUT_COLUMNS if c not in customers.columns]
    if missing:
        raise DataError(
            f"column '{missing[0]}' is missing: evaluate() needs a summary with a holdout "
            "period, e.g. summarize(transactions, as_of=..., calibration_end=...)"
        )
    _check_level(level)
    horizon = float(customers["duration_holdout"].iloc[0])
    unit = table_time_unit(customers)
    interval = model.purchases_interval(customers, horizon, time_unit=unit, level=level)
    predicted = interval["expected_purchases"].to_numpy()
    actual = customers["frequency_holdout"].to_numpy(dtype="float64")
    inside = (interval["lower"].to_numpy() <= actual) & (actual <= interval["upper"].to_numpy())
    error = predicted - actual
    bucket = np.minimum(customers["frequency"].to_numpy(), max_bucket).astype(int)
    per_customer = pd.DataFrame(
        {"predicted": predicted, "actual": actual, "bucket": bucket}, index=customers.index
    )
    by_frequency = per_customer.groupby("bucket").agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    by_frequency.index = [f"{b}+" if b == max_bucket else str(b) for b in by_frequency.index]
    by_frequency.index.name = "frequency"
    correlation = (
        float(np.corrcoef(predicted, actual)[0, 1]) if np.std(actual) > 0 else float("nan")
    )
    return HoldoutEvaluation(
        model=type(model).__name__,
        mae=float(np.mean(np.abs(error))),
        rmse=float(np.sqrt(np.mean(error**2))),
        correlation=correlation,
        total_predicted=float(predicted.sum()),
        total_actual=float(actual.sum()),
        interval_level=float(level),
        interval_coverage=float(inside.mean()),
        by_frequency=by_frequency,
        per_customer=per_customer.drop(columns="bucket"),
    )


@dataclasses.dataclass(frozen=True)
class ModelComparison:
    """Purchase models fitted on a calibration period and ranked by holdout error.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per model (index: class name), best (lowest RMSE) first:
        ``log_likelihood``, ``mae``, ``rmse``, ``correlation``, ``total_predicted``,
        ``total_actual``, ``interval_coverage``.
    fitted : dict
        Class name -> fitted model, in the order of ``table``.
    evaluations : dict
        Class name -> :class:`HoldoutEvaluation`.
    best : str
        Class name of the first row.
    """

    table: pd.DataFrame
    fitted: dict
    evaluations: dict
    best: str


def compare_models(customers: pd.DataFrame, models) -> ModelComparison:
    """Fit each model on the calibration period and rank them by holdout error.

    Parameters
    ----------
    customers : pandas.DataFrame
        Output of :func:`custanalytics.summarize` with ``calibration_end``.
    models : iterable of unfitted models
        E.g. ``[BetaGeoModel(), ParetoNBDModel(), ModifiedBetaGeoModel()]``.

    Returns
    -------
    ModelComparison
        The ranking table, the fitted models and their holdout evaluations.

    Raises
    ------
    ModelFitError
        If a model cannot be fitted (see :func:`select_purchase_model` for a selection that
        rejects such models instead).
    """
    rows, fitted, evaluations = [], {}, {}
    for model in models:
        model.fit(customers)
        name = type(model).__name__
        fitted[name] = model
        evaluations[name] = evaluation = evaluate(model, customers)
        rows.append(
            {
                **evaluation.to_dict(),
                "log_likelihood": model.log_likelihood_,
                "interval_coverage": evaluation.interval_coverage,
            }
        )
    table = pd.DataFrame(rows).set_index("model").sort_values("rmse", kind="stable")
    columns = ["log_likelihood", "mae", "rmse", "correlation", "total_predicted", "total_actual"]
    table = table[[*columns, "interval_coverage"]]
    order = list(table.index)
    return ModelComparison(
        table=table,
        fitted={k: fitted[k] for k in order},
        evaluations={k: evaluations[k] for k in order},
        best=order[0],
    )
