"""Holdout evaluation of purchase models: predicted vs actual purchases after calibration."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["HoldoutEvaluation", "compare_models", "evaluate"]

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
    by_frequency: pd.DataFrame
    per_customer: pd.DataFrame

    def to_dict(self) -> dict[str, float | str]:
        """Return the scalar figures.

        Returns
        -------
        dict
            ``model``, ``mae``, ``rmse``, ``correlation``, ``total_predicted``,
            ``total_actual``.
        """
        fields = ("model", "mae", "rmse", "correlation", "total_predicted", "total_actual")
        return {f: getattr(self, f) for f in fields}


def evaluate(model, customers: pd.DataFrame, *, max_bucket: int = 7) -> HoldoutEvaluation:
    """Compare a model's predictions for the holdout period with what customers bought.

    Parameters
    ----------
    model : BetaGeoModel, ParetoNBDModel or ModifiedBetaGeoModel
        A model fitted on the calibration columns of ``customers``.
    customers : pandas.DataFrame
        Output of :func:`custanalytics.summarize` with ``calibration_end``.
    max_bucket : int
        Calibration frequencies at or above this are pooled into one bucket.

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
    horizon = float(customers["duration_holdout"].iloc[0])
    predicted = model.expected_purchases(customers, horizon).to_numpy()
    actual = customers["frequency_holdout"].to_numpy(dtype="float64")
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
        by_frequency=by_frequency,
        per_customer=per_customer.drop(columns="bucket"),
    )


def compare_models(customers: pd.DataFrame, models) -> pd.DataFrame:
    """Fit each model on the calibration period and rank them by holdout error.

    Parameters
    ----------
    customers : pandas.DataFrame
        Output of :func:`custanalytics.summarize` with ``calibration_end``.
    models : iterable of unfitted models
        E.g. ``[BetaGeoModel(), ParetoNBDModel(), ModifiedBetaGeoModel()]``.

    Returns
    -------
    pandas.DataFrame
        One row per model, best (lowest RMSE) first: ``log_likelihood``, ``mae``, ``rmse``,
        ``correlation``, ``total_predicted``, ``total_actual``; ``attrs["fitted"]`` maps the
        model names to the fitted models.
    """
    rows, fitted = [], {}
    for model in models:
        model.fit(customers)
        name = type(model).__name__
        fitted[name] = model
        rows.append(
            {**evaluate(model, customers).to_dict(), "log_likelihood": model.log_likelihood_}
        )
    table = pd.DataFrame(rows).set_index("model").sort_values("rmse")
    table.attrs["fitted"] = fitted
    return table[
        ["log_likelihood", "mae", "rmse", "correlation", "total_predicted", "total_actual"]
    ]
