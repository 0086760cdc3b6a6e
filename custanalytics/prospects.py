"""Prospects graded by potential: what customers like them are worth.

Prospects (customers in the master with no purchase yet) are known only by their attributes
(type, industry, region, channel ...). A regression model learns, on the existing customers,
how their value depends on the attributes they share with the prospects, and predicts the
prospects' value from theirs. The value is the customer's CLV when a CLV model ran, else their
revenue per year of tenure (tenure at least 90 days, so that new customers are not inflated);
the model is fitted on ``log(1 + value)``, since values are skewed.

The model is judged honestly: k-fold cross-validated R² (on the log scale) beside a baseline
that predicts the mean value for everybody. Only a model that beats the baseline by
``min_improvement`` grades the prospects; otherwise the attributes do not tell the prospects
apart, and the section says so instead of producing noise.

Grades: ``A`` for the ``grade_shares[0]`` of prospects with the highest potential, ``B`` for
the next ``grade_shares[1]``, ``C`` for the rest; prospects with equal scores share a grade.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .attributes import UNKNOWN, attribute_values
from .errors import DataError

__all__ = [
    "MIN_TENURE_DAYS",
    "PROSPECT_GRADES",
    "ProspectGrading",
    "customer_value",
    "grade_prospects",
]

#: Potential grades, best first.
PROSPECT_GRADES = ("A", "B", "C")
#: Shortest tenure a yearly revenue is computed over.
MIN_TENURE_DAYS = 90


@dataclasses.dataclass(frozen=True)
class ProspectGrading:
    """A prospect model's cross-validated check and, if it is useful, the prospects' grades.

    Attributes
    ----------
    target : {"clv", "revenue_per_year"}
        The value learnt.
    model : str
        ``ridge`` or ``gradient_boosting``.
    features : list of str
        Attributes used.
    training_customers : int
        Existing customers the model learnt from.
    cv : pandas.DataFrame
        Per fold: ``model_r2`` and ``baseline_r2`` (R² of log(1 + value) on the held-out fold).
    model_r2, baseline_r2 : float
        Their means over the folds.
    better : bool
        Whether the model beats the baseline by at least ``min_improvement``.
    effects : pandas.DataFrame
        ``ridge``: per attribute value, ``multiplier`` (its effect on the expected value,
        exp of the coefficient), largest effect first; empty for other models.
    score : pandas.Series
        Prospects' potential (the predicted value, in the target's unit); empty unless
        ``better``.
    grade : pandas.Series
        Prospects' grade (``A``, ``B``, ``C``); empty unless ``better``.
    """

    target: str
    model: str
    features: list[str]
    training_customers: int
    cv: pd.DataFrame
    model_r2: float
    baseline_r2: float
    better: bool
    effects: pd.DataFrame
    score: pd.Series
    grade: pd.Series


def customer_value(customers: pd.DataFrame) -> tuple[pd.Series, str]:
    """Return the value a prospect model learns for each buyer, and its name.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``orders`` and ``clv``, or ``revenue`` and ``T`` (days).

    Returns
    -------
    value : pandas.Series
        Per buyer with a value: CLV if the table has it, else revenue per year of tenure.
    target : {"clv", "revenue_per_year"}
    """
    buyers = customers[customers["orders"] > 0]
    if "clv" in buyers.columns and buyers["clv"].notna().any():
        return buyers["clv"].dropna().clip(lower=0), "clv"
    years = np.maximum(buyers["T"].astype("float64"), MIN_TENURE_DAYS) / 365.25
    value = (buyers["revenue"].astype("float64") / years).dropna()
    return value.clip(lower=0), "revenue_per_year"


def _pipeline(model: str, features: Sequence[str], random_state: int):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    encode = ColumnTransformer(
        [("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False), list(features))]
    )
    if model == "ridge":
        regressor = RidgeCV(alphas=np.logspace(-2, 3, 11))
    elif model == "gradient_boosting":
        regressor = HistGradientBoostingRegressor(
            max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=random_state
        )
    else:
        raise ValueError(f"unknown prospect model {model!r}: ridge | gradient_boosting")
    return Pipeline([("encode", encode), ("regress", regressor)])


def _grades(score: pd.Series, shares: Sequence[float]) -> pd.Series:
    """Grade A / B / C by the share of prospects scoring higher; equal scores share one."""
    rank = score.rank(method="min", ascending=False).to_numpy()
    position = (rank - 1) / max(len(score), 1)
    cut_a, cut_b = shares[0], shares[0] + shares[1]
    grade = np.select([position < cut_a, position < cut_b], ["A", "B"], default="C")
    return pd.Series(
        pd.Categorical(grade, categories=PROSPECT_GRADES, ordered=True),
        index=score.index,
        name="potential_grade",
    )


def grade_prospects(
    customers: pd.DataFrame,
    attributes: Sequence[str],
    *,
    model: str = "ridge",
    folds: int = 5,
    min_improvement: float = 0.02,
    grade_shares: Sequence[float] = (0.2, 0.3),
    labels: Mapping[str, Mapping[str, str]] | None = None,
    min_group: int = 1,
    random_state: int = 0,
) -> ProspectGrading:
    """Learn the buyers' value from their attributes, check it, and grade the prospects.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table: ``orders`` (0 for prospects), the value columns of
        :func:`customer_value`, and the attribute columns. Never modified.
    attributes : sequence of str
        Attribute columns the buyers share with the prospects.
    model : {"ridge", "gradient_boosting"}
        Regression on one-hot attributes.
    folds : int
        Folds of the cross-validation (shuffled with ``random_state``).
    min_improvement : float
        Least gain in cross-validated R² over the baseline for the model to be used.
    grade_shares : pair of float
        Shares of prospects graded A and B.
    labels : mapping, optional
        Attribute → {code: label}, as for :func:`custanalytics.attributes.attribute_values`.
    min_group : int
        Attribute values with fewer customers are pooled into one group.
    random_state : int
        Seed of the folds and the model.

    Returns
    -------
    ProspectGrading
        The check, and the prospects' score and grade when the model is better.

    Raises
    ------
    DataError
        If there are no attributes, or fewer buyers with a value than folds.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small tables: threads cost more than they give
        return _grade_prospects(
            customers,
            attributes,
            model=model,
            folds=folds,
            min_improvement=min_improvement,
            grade_shares=grade_shares,
            labels=labels,
            min_group=min_group,
            random_state=random_state,
        )


def _grade_prospects(
    customers,
    attributes,
    *,
    model,
    folds,
    min_improvement,
    grade_shares,
    labels,
    min_group,
    random_state,
) -> ProspectGrading:
    from sklearn.dummy import DummyRegressor
    from sklearn.model_selection import KFold, cross_val_score

    if not attributes:
        raise DataError("grading prospects needs at least one attribute column")
    labels = labels or {}
    features = pd.DataFrame(
        {
            str(a): attribute_values(
                customers[a], labels=labels.get(a), min_customers=min_group
            ).astype(str)
            for a in attributes
        },
        index=customers.index,
    )
    value, target = customer_value(customers)
    if len(value) < max(folds, 2):
        raise DataError(
            f"grading prospects needs at least {max(folds, 2)} customers with a value, "
            f"got {len(value)}"
        )
    x = features.loc[value.index]
    y = np.log1p(value.to_numpy(dtype="float64"))
    split = KFold(n_splits=folds, shuffle=True, random_state=random_state)
    pipeline = _pipeline(model, list(features.columns), random_state)
    model_r2 = cross_val_score(pipeline, x, y, cv=split, scoring="r2")
    baseline_r2 = cross_val_score(DummyRegressor(), x, y, cv=split, scoring="r2")
    cv = pd.DataFrame(
        {"model_r2": model_r2, "baseline_r2": baseline_r2},
        index=pd.Index([str(k + 1) for k in range(folds)], name="fold"),
    )
    better = bool(model_r2.mean() >= baseline_r2.mean() + min_improvement)
    effects = pd.DataFrame(columns=["attribute", "value", "multiplier"])
    score = pd.Series(dtype="float64", name="potential_score")
    grade = pd.Series(dtype="object", name="potential_grade")
    if better:
        pipeline.fit(x, y)
        prospects = features.loc[customers.index[customers["orders"].to_numpy() == 0]]
        if len(prospects):
            predicted = np.expm1(pipeline.predict(prospects))
            score = pd.Series(predicted, index=prospects.index, name="potential_score")
            grade = _grades(score, grade_shares)
        if model == "ridge":
            effects = _effects(pipeline)
    return ProspectGrading(
        target=target,
        model=model,
        features=list(features.columns),
        training_customers=len(value),
        cv=cv,
        model_r2=float(model_r2.mean()),
        baseline_r2=float(baseline_r2.mean()),
        better=better,
        effects=effects,
        score=score,
        grade=grade,
    )


def _effects(pipeline) -> pd.DataFrame:
    """Per one-hot attribute value: exp(coefficient), the factor on the expected value."""
    encoder = pipeline.named_steps["encode"].named_transformers_["onehot"]
    coefficients = pipeline.named_steps["regress"].coef_
    rows = []
    position = 0
    for attribute, categories in zip(encoder.feature_names_in_, encoder.categories_, strict=True):
        for category in categories:
            rows.append((str(attribute), str(category), float(np.exp(coefficients[position]))))
            position += 1
    frame = pd.DataFrame(rows, columns=["attribute", "value", "multiplier"])
    frame = frame[frame["value"] != UNKNOWN]
    order = np.argsort(-np.abs(np.log(frame["multiplier"].to_numpy())), kind="stable")
    return frame.iloc[order].reset_index(drop=True)
