"""Grading customers into tiers: schemes as data, presets, grades and the tier summary.

A scheme (:class:`custanalytics.params.GradeSchemeParams`) lists its levels best first, each
with a cut, and a method that reads the cut:

* ``revenue_share``: customers in descending order accumulate revenue; a customer is in the
  first level whose cut their *starting* cumulative share is below, so the customer whose
  share crosses a cut is in the better level; zero or negative revenue is in the last level;
* ``customer_share``: quotas: the first ``ceil(cut x buyers)`` customers in that order are
  in this level or a better one (so quotas are met to within one customer);
* ``score``: a customer is in the first level whose cut their composite score reaches.

Customers are ordered by revenue (or by the composite score with ``order_by: score``), ties
by revenue and then by position in the table (the ``customer_id`` order of
:func:`custanalytics.summarize`). Level names in English and Chinese are part of the scheme
data (:func:`grade_levels`), so a custom scheme brings its own. Shares are compared with a
tolerance of 1e-9 (of total revenue, of the buyers, of a score point).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import DataError, ParameterError
from .params import GradeSchemeParams, grade_scheme_params
from .rfm import midrank_positions, recency_days, require_columns

__all__ = [
    "PRESETS",
    "descending_order",
    "grade",
    "grade_levels",
    "grade_scheme",
    "tier_summary",
]

_TOLERANCE = 1e-9
#: Published guidance for ten levels (DOMAIN.md): level → (customer share, revenue share).
_TEN_LEVEL_GUIDANCE = {
    "level_2": ([0.30, 0.50], [0.20, 0.40]),
    "level_3": ([0.20, 0.30], [0.10, 0.20]),
    "level_4": ([0.10, 0.15], [0.05, 0.10]),
}


def _named(keys: list[str], en: list[str], zh: list[str], cuts: list[float | None]) -> list:
    return [
        {"key": k, "en": e, "zh": z, "cut": c}
        for k, e, z, c in zip(keys, en, zh, cuts, strict=True)
    ]


#: Preset schemes, written as they would be in a parameter file (names: ``GradePreset``).
PRESETS: dict[str, dict[str, typing.Any]] = {
    "three_tier": {
        "name": "three_tier",
        "method": "revenue_share",
        "levels": _named(
            ["tier_1", "tier_2", "tier_3"],
            ["Tier 1 (first 80 % of revenue)", "Tier 2 (next 15 %)", "Tier 3 (rest)"],
            ["一级客户（前 80% 销售额）", "二级客户（其后 15%）", "三级客户（其余）"],
            [0.80, 0.95, None],
        ),
    },
    "abc": {
        "name": "abc",
        "method": "revenue_share",
        "levels": _named(
            ["A", "B", "C"],
            ["A (up to 80 % of revenue)", "B (80-95 %)", "C (rest)"],
            ["A 类客户（累计 80% 销售额）", "B 类客户（80%-95%）", "C 类客户（其余）"],
            [0.80, 0.95, None],
        ),
    },
    "pyramid": {
        "name": "pyramid",
        "method": "customer_share",
        "levels": _named(
            ["platinum", "gold", "iron", "lead"],
            ["Platinum (top 1 %)", "Gold (next 4 %)", "Iron (next 15 %)", "Lead (other 80 %)"],
            [
                "铂金客户（前 1%）",
                "黄金客户（其后 4%）",
                "铁客户（其后 15%）",
                "铅客户（其余 80%）",
            ],
            [0.01, 0.05, 0.20, None],
        ),
    },
    "sabc": {  # S by revenue; A/B/C by an activity score (recent, frequent, CLV when fitted)
        "name": "sabc",
        "method": "score",
        "weights": {"recency": 0.5, "frequency": 0.3, "clv": 0.2},
        "levels": [
            {
                "key": "S",
                "en": "S (top 20 % of customers by revenue)",
                "zh": "S 级客户（销售额前 20% 的客户）",
                "cut": 0.20,
                "method": "customer_share",
            },
            *_named(
                ["A", "B", "C"],
                ["A (score 90 or more)", "B (score 70-89)", "C (score below 70)"],
                ["A 级客户（评分 ≥ 90）", "B 级客户（评分 70-89）", "C 级客户（评分 < 70）"],
                [90.0, 70.0, None],
            ),
        ],
    },
    "ten_level": {  # level 1 = score 90 or more, ..., level 10 = below 10
        "name": "ten_level",
        "method": "score",
        "weights": {"revenue": 0.4, "frequency": 0.2, "recency": 0.2, "clv": 0.2},
        "levels": [
            {
                **level,
                "guidance_customer_share": _TEN_LEVEL_GUIDANCE.get(level["key"], (None, None))[0],
                "guidance_revenue_share": _TEN_LEVEL_GUIDANCE.get(level["key"], (None, None))[1],
            }
            for level in _named(
                [f"level_{i}" for i in range(1, 11)],
                [f"Level {i}" for i in range(1, 11)],
                [f"{c}级" for c in "一二三四五六七八九十"],
                [*(float(cut) for cut in range(90, 0, -10)), None],
            )
        ],
    },
}

#: Composite-score feature → (column, direction); recency is days since the last purchase.
_FEATURES = {
    "revenue": ("revenue", 1.0),
    "frequency": ("orders", 1.0),
    "recency": (None, -1.0),
    "avg_order_value": ("avg_order_value", 1.0),
    "clv": ("clv", 1.0),
}


def grade_scheme(scheme: str | Mapping[str, typing.Any] | GradeSchemeParams) -> GradeSchemeParams:
    """Return a validated grading scheme from a preset name, a dict or a scheme.

    Parameters
    ----------
    scheme : str, mapping or GradeSchemeParams
        A preset name (``three_tier``, ``abc``, ``pyramid``, ``sabc``, ``ten_level``), a dict as
        it would come from a parameter file, or an already validated scheme.

    Returns
    -------
    GradeSchemeParams
        The scheme.

    Raises
    ------
    ParameterError
        If the name is unknown or the dict is invalid; the message names the key.
    """
    if isinstance(scheme, GradeSchemeParams):
        scheme._validate("scheme.")  # made in Python, not read through load_params
        return scheme
    if isinstance(scheme, str):
        if scheme not in PRESETS:
            raise ParameterError(
                f"scheme must be a preset ({' | '.join(PRESETS)}) or a scheme spelled out, "
                f"got {scheme!r}"
            )
        return grade_scheme_params(PRESETS[scheme], key=scheme)
    return grade_scheme_params(scheme)


def grade_levels(scheme: str | Mapping[str, typing.Any] | GradeSchemeParams) -> pd.DataFrame:
    """Return a scheme's levels as a table, best first.

    Parameters
    ----------
    scheme : str, mapping or GradeSchemeParams
        As for :func:`grade_scheme`.

    Returns
    -------
    pandas.DataFrame
        Indexed by level key: ``en``, ``zh`` (display names), ``method``, ``cut``,
        ``guidance_customer_share_min/_max``, ``guidance_revenue_share_min/_max`` (NaN where
        the scheme gives no guidance).
    """
    scheme = grade_scheme(scheme)
    rows = []
    for level in scheme.levels:
        row = {
            "en": level.en or level.key,
            "zh": level.zh or level.en or level.key,
            "method": level.method or scheme.method,
            "cut": np.nan if level.cut is None else level.cut,
        }
        for name in ("guidance_customer_share", "guidance_revenue_share"):
            low, high = getattr(level, name) or (np.nan, np.nan)
            row.update({f"{name}_min": low, f"{name}_max": high})
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index([lv.key for lv in scheme.levels], name="level"))


def grade(
    customers: pd.DataFrame,
    scheme: str | Mapping[str, typing.Any] | GradeSchemeParams = "abc",
    *,
    column: str = "grade",
    as_of: dt.date | str | None = None,
) -> pd.DataFrame:
    """Grade every buyer into one level of a scheme.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table of :func:`custanalytics.summarize` (``orders``, ``revenue``; the
        columns of the scheme's score features and bonuses; ``clv`` if a model was fitted).
    scheme : str, mapping or GradeSchemeParams
        A preset name, a dict as in a parameter file, or a scheme (see module docs).
    column : str
        Name of the grade column; the score column is ``column + "_score"``.
    as_of : date or str, optional
        Observation end for the recency feature; default ``customers.attrs["as_of"]``.

    Returns
    -------
    pandas.DataFrame
        Same index: ``grade`` (ordered categorical of level keys, categories best first) and
        ``grade_score``, the measure of the scheme's method: cumulative revenue share through
        the customer (``revenue_share``), cumulative customer share through the customer
        (``customer_share``) or the composite score (``score``). Both missing for prospects
        (``orders == 0``). ``attrs`` are those of ``customers``, so that a join keeps them.
        A ``clv`` weight is left out, and the others rescaled, when there is no ``clv`` column.

    Raises
    ------
    ParameterError
        If the scheme is invalid.
    DataError
        If a needed column is missing or has missing values for buyers.

    Examples
    --------
    >>> grades = grade(summary, "abc")  # doctest: +SKIP
    >>> grades["grade"].value_counts(sort=False)  # doctest: +SKIP
    """
    scheme = grade_scheme(scheme)
    require_columns(customers, ["orders", "revenue"], "grade")
    buyers = customers["orders"].to_numpy() > 0
    revenue = _buyer_values(customers, "revenue", buyers)
    methods = [level.method or scheme.method for level in scheme.levels]
    needs_score = "score" in methods or scheme.order_by == "score"
    weights = _used_weights(scheme, customers) if needs_score else {}
    score = _composite(customers, buyers, scheme, weights, as_of) if needs_score else None
    shares = None
    if {"revenue_share", "customer_share"} & {*methods, scheme.method}:
        shares = _ShareMeasures(revenue, score if scheme.order_by == "score" else None)
    conditions = [
        _in_level(method, level.cut, score, shares, revenue)
        for method, level in zip(methods, scheme.levels[:-1], strict=False)
    ]
    codes = np.select(conditions, np.arange(len(conditions)), default=len(conditions))
    full = np.full(len(customers), -1, dtype="int8" if len(conditions) < 127 else "int16")
    full[buyers] = codes
    measure = np.full(len(customers), np.nan)
    measure[buyers] = score if scheme.method == "score" else shares.through(scheme.method)
    keys = [level.key for level in scheme.levels]
    columns = {
        column: pd.Categorical.from_codes(full, categories=keys, ordered=True),
        f"{column}_score": measure,
    }
    out = pd.DataFrame(columns, index=customers.index, copy=False)  # new arrays: no copies
    out.attrs = dict(customers.attrs)  # so that customers.join(out) keeps them
    return out


def _buyer_values(customers: pd.DataFrame, column: str, buyers: np.ndarray) -> np.ndarray:
    """Return the buyers' values of ``column``: integers as they are, anything else as float."""
    values = customers[column].to_numpy()
    if values.dtype.kind not in "iu":
        values = values.astype("float64", copy=False)
    values = values if buyers.all() else values[buyers]
    missing = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), bool)
    if missing.any():
        raise DataError(
            f"{column} is missing for {int(missing.sum()):,} buyer(s), e.g. customer "
            f"{customers.index[buyers][missing][0]!r}; fill or drop them first"
        )
    return values


def _used_weights(scheme: GradeSchemeParams, customers: pd.DataFrame) -> dict[str, float]:
    weights = {
        name: w
        for name, w in scheme.weights.items()
        if w > 0 and (name != "clv" or "clv" in customers.columns)
    }
    if not weights:
        raise DataError(
            f"scheme {scheme.name!r}: its score uses only clv, and the table has no clv column; "
            "fit a CLV model first or give other weights"
        )
    total = sum(weights.values())
    return {name: w / total for name, w in weights.items()}


def _composite(
    customers: pd.DataFrame,
    buyers: np.ndarray,
    scheme: GradeSchemeParams,
    weights: dict[str, float],
    as_of: dt.date | str | None,
) -> np.ndarray:
    """Composite score on a 0-100 scale (plus bonus points) per buyer."""
    score = np.zeros(int(buyers.sum()))
    for name, weight in weights.items():
        column, direction = _FEATURES[name]
        if column is None:
            values = recency_days(customers, as_of)
            values = values if buyers.all() else values[buyers]
        else:
            require_columns(customers, [column], f"scheme {scheme.name!r}")
            values = _buyer_values(customers, column, buyers)
        norm = midrank_positions(values) if scheme.normalise == "rank" else _minmax(values)
        score += weight * (norm if direction > 0 else 1.0 - norm)
    score *= 100.0
    for column, points in scheme.bonuses.items():
        require_columns(customers, [column], f"scheme {scheme.name!r} bonuses")
        bonus = customers[column][buyers].map(points).astype("float64").fillna(0.0)
        score += bonus.to_numpy()
    return score


def _minmax(values: np.ndarray) -> np.ndarray:
    low, high = values.min(), values.max()
    return np.full(len(values), 0.5) if high == low else (values - low) / (high - low)


def descending_order(values: np.ndarray, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Return the order of ``values`` from largest to smallest, ties by ``tiebreak``.

    As ``np.argsort(-values, kind="stable")`` (ties in table order) or, with ``tiebreak``
    (a permutation of ``0 .. n-1``), ties in its ascending order; in about half the time of a
    stable sort: an unstable sort of the values, then one sort of integer keys (tie group x n
    + tiebreak).

    Parameters
    ----------
    values : numpy.ndarray
        Values without NaN.
    tiebreak : numpy.ndarray, optional
        Rank of each value among its ties (e.g. its place in another order).

    Returns
    -------
    numpy.ndarray
        Positions into ``values``.
    """
    n = len(values)
    if n == 0:
        return np.empty(0, dtype="int64")
    order = np.argsort(-values)
    ordered = values[order]
    group = np.cumsum(np.r_[False, ordered[1:] != ordered[:-1]])
    second = order if tiebreak is None else tiebreak[order]
    ranks = np.sort(group * n + second) % n
    if tiebreak is None:
        return ranks
    inverse = np.empty(n, dtype="int64")
    inverse[tiebreak] = np.arange(n)
    return inverse[ranks]


class _ShareMeasures:
    """Cumulative revenue and customer shares before each buyer, in grading order."""

    def __init__(self, revenue: np.ndarray, score: np.ndarray | None) -> None:
        n = len(revenue)
        order = descending_order(revenue)
        if score is not None:  # by score, ties by revenue (then table order)
            place = np.empty(n, dtype="int64")
            place[order] = np.arange(n)
            order = descending_order(score, tiebreak=place)
        self.positive = np.clip(revenue, 0.0, None)
        total = self.positive.sum()
        self.scale = 1.0 / total if total > 0 else 0.0
        self.n = max(n, 1)
        cumulative = np.cumsum(self.positive[order])
        self.rank = np.empty(n, dtype="int64")
        self.rank[order] = np.arange(n)
        self.revenue_before = np.empty(n)
        self.revenue_before[order] = (cumulative - self.positive[order]) * self.scale

    def before(self, method: str) -> np.ndarray:
        """Share of revenue or of customers ahead of each buyer."""
        return self.revenue_before if method == "revenue_share" else self.rank / self.n

    def through(self, method: str) -> np.ndarray:
        """Share of revenue or of customers up to and including each buyer."""
        if method == "revenue_share":
            return self.revenue_before + self.positive * self.scale
        return (self.rank + 1) / self.n


def _in_level(
    method: str,
    cut: float,
    score: np.ndarray | None,
    shares: _ShareMeasures | None,
    revenue: np.ndarray,
) -> np.ndarray:
    """Whether each buyer qualifies for a level with ``cut`` (or a better one)."""
    if method == "score":
        return score >= cut - _TOLERANCE
    qualifies = shares.before(method) < cut - _TOLERANCE
    return qualifies & (revenue > 0) if method == "revenue_share" else qualifies


def tier_summary(
    customers: pd.DataFrame,
    by: str = "grade",
    *,
    scheme: str | Mapping[str, typing.Any] | GradeSchemeParams | None = None,
    as_of: dt.date | str | None = None,
) -> pd.DataFrame:
    """Sum up customers and revenue per tier, customer share next to revenue share.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with the tier column ``by`` (e.g. joined with :func:`grade`),
        ``orders``, ``revenue``, ``last_purchase`` and, when present, ``clv``. Customers
        without a tier (prospects) are left out.
    by : str
        The tier column; a categorical keeps its order and its empty tiers.
    scheme : str, mapping or GradeSchemeParams, optional
        The scheme the tiers come from: adds its published guidance beside the shares.
    as_of : date or str, optional
        Observation end for recency; default ``customers.attrs["as_of"]``.

    Returns
    -------
    pandas.DataFrame
        One row per tier and a ``total`` row: ``customers``, ``customer_share``, ``revenue``,
        ``revenue_share``, ``orders``, ``avg_order_value`` (revenue / orders),
        ``median_recency_days``, ``median_orders``, ``median_revenue``; ``clv`` and
        ``clv_share`` when there is a ``clv`` column; the scheme's ``guidance_*`` columns.
    """
    require_columns(customers, [by, "orders", "revenue", "last_purchase"], "tier_summary")
    graded = customers[customers[by].notna()]
    frame = pd.DataFrame(
        {
            "tier": graded[by],
            "revenue": graded["revenue"].to_numpy(dtype="float64"),
            "orders": graded["orders"].to_numpy(),
            "recency_days": recency_days(graded, as_of or customers.attrs.get("as_of")),
        }
    )
    has_clv = "clv" in graded.columns
    if has_clv:
        frame["clv"] = graded["clv"].to_numpy(dtype="float64")
    aggregations = {
        "customers": ("revenue", "size"),
        "revenue": ("revenue", "sum"),
        "orders": ("orders", "sum"),
        **({"clv": ("clv", "sum")} if has_clv else {}),
        "median_recency_days": ("recency_days", "median"),
        "median_orders": ("orders", "median"),
        "median_revenue": ("revenue", "median"),
    }
    table = frame.groupby("tier", observed=False, sort=True).agg(**aggregations)
    totals = {name: frame[column].agg(how) for name, (column, how) in aggregations.items()}
    table.index = table.index.astype(str)
    table.loc["total"] = totals
    table.index.name = by
    table["customers"] = table["customers"].astype("int64")
    table.insert(1, "customer_share", table["customers"] / max(len(frame), 1))
    table.insert(3, "revenue_share", table["revenue"] / totals["revenue"])
    table.insert(
        5, "avg_order_value", table["revenue"] / table["orders"].where(table["orders"] > 0)
    )
    if has_clv:
        table["clv_share"] = table["clv"] / totals["clv"]
    if scheme is not None:
        guidance = grade_levels(scheme).filter(like="guidance_")
        table = table.join(guidance)
    return table
