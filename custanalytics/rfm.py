"""RFM: recency, frequency and monetary scores, the R x F segment grid and the 8-class model.

The metrics, per buyer (``orders > 0``), from the table of :func:`custanalytics.summarize`:

* **recency**: whole days from ``last_purchase`` to the as-of date (not the BTYD ``recency``
  column, which runs from the first to the last purchase);
* **frequency**: ``orders`` (distinct purchase days, repeat purchases plus one);
* **monetary**: ``revenue`` (default) or ``avg_order_value``.

Prospects (``orders == 0``) get no scores: every column is missing (``<NA>``) for them.

Segment keys are label keys of :mod:`custanalytics.i18n` (``label("champions", "zh")``); a
custom segment map's own names are shown as they are.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import DataError, ParameterError

__all__ = [
    "CLASS8",
    "RFM_METRICS",
    "RF_SEGMENTS",
    "check_rfm_settings",
    "midrank_positions",
    "recency_days",
    "require_columns",
    "rfm_grid",
    "rfm_scores",
]

#: The 10-segment R x F grid: segment → its cells, each written "RF" (R score, then F score).
#: Every one of the 25 cells of a 5 x 5 grid is in exactly one segment.
RF_SEGMENTS: dict[str, tuple[str, ...]] = {
    "champions": ("54", "55"),
    "loyal_customers": ("44", "45", "34", "35"),
    "potential_loyalists": ("52", "53", "42", "43"),
    "new_customers": ("51",),
    "promising": ("41",),
    "need_attention": ("33",),
    "about_to_sleep": ("31", "32"),
    "at_risk": ("23", "24", "13", "14"),
    "cant_lose_them": ("25", "15"),
    "hibernating": ("21", "22", "11", "12"),
}

#: The Chinese 8-class model: "RFM" bits (1 = high; R high = recent) → class key.
CLASS8: dict[str, str] = {
    "111": "important_value",  # 重要价值客户
    "101": "important_development",  # 重要发展客户
    "011": "important_retention",  # 重要保持客户
    "001": "important_recovery",  # 重要挽留客户
    "110": "general_value",  # 一般价值客户
    "100": "general_development",  # 一般发展客户
    "010": "general_retention",  # 一般保持客户
    "000": "general_recovery",  # 一般挽留客户
}

#: The three metrics, in R, F, M order; the keys of ``thresholds``, ``weights`` and ``class8``.
RFM_METRICS = ("recency", "frequency", "monetary")

_MONETARY = ("revenue", "avg_order_value")
_TIES = ("average", "first")


def rfm_scores(
    customers: pd.DataFrame,
    *,
    bins: int | Sequence[float] = 5,
    monetary: str = "revenue",
    ties: str = "average",
    thresholds: Mapping[str, Sequence[float]] | None = None,
    weights: Mapping[str, float] | None = None,
    segments: Mapping[str, Sequence[str]] | None = None,
    class8: str | Mapping[str, float] = "mean",
    as_of: dt.date | str | None = None,
) -> pd.DataFrame:
    """Score every buyer 1-k on recency, frequency and monetary value, and segment them.

    A score cuts the metric's *rank* among buyers, not the metric: each buyer's position is
    ``(rank - 0.5) / n`` (in (0, 1)) and the score is 1 plus the number of quantile edges
    at or below it. Recency is ranked in reverse, so fewer days since the last purchase
    score higher.

    With ``ties="average"`` (default) equal values share their average rank and so one score,
    the score of the quantile holding the middle of the tied group. A metric with fewer
    distinct values than scores therefore leaves some scores unused: when 70 % bought once,
    they all get F = 2 (their middle is at 35 %), two-time buyers the score where their
    group's middle falls, and no buyer gets F = 1; when all buyers are equal, all get the
    middle score (3 of 5). ``ties="first"`` breaks ties by position in the table instead, so
    every score holds a fifth of the buyers (to one customer) but equal customers can get
    different scores.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table of :func:`custanalytics.summarize`: ``orders``, ``last_purchase``
        and the monetary column; ``attrs["as_of"]`` unless ``as_of`` is given.
    bins : int or sequence of float
        Number of equal-frequency scores (2-9), or the inner quantile edges, increasing in
        (0, 1), e.g. ``[0.5, 0.8, 0.95]`` for 4 scores.
    monetary : {"revenue", "avg_order_value"}
        Column scored as M: total revenue (default) or the average order value.
    ties : {"average", "first"}
        How equal values are ranked (see above).
    thresholds : mapping, optional
        Fixed cut points per metric instead of quantiles, ``{"recency": [30, 90, 180, 365]}``,
        one fewer than the number of scores, increasing, in the metric's units (days, orders,
        money). Intervals are closed on the right: a value equal to a cut point is in the
        lower interval, so recency 30 days scores 5 and 31 days 4 with the cuts above.
    weights : mapping, optional
        Weights of ``rfm_score`` per metric (default 1 each).
    segments : mapping, optional
        Segment map: segment name → its "RF" cells; every cell of the k x k grid exactly once.
        Default :data:`RF_SEGMENTS`, which needs 5 scores.
    class8 : {"mean", "median"} or mapping
        Cut of the 8-class model: each metric against the buyers' mean or median, or fixed
        values ``{"recency": 90, "frequency": 2, "monetary": 500}`` (all three). High means
        strictly fewer days than the cut for recency, strictly more for frequency and monetary.
    as_of : date or str, optional
        Observation end; default ``customers.attrs["as_of"]``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``customers``: ``recency_days`` (Int64), ``r_score``, ``f_score``,
        ``m_score`` (Int64), ``rfm_code`` (categorical "RFM" digits such as "545"),
        ``rfm_score`` (weighted mean of the three scores, float), ``rfm_segment`` and
        ``rfm_class8`` (categoricals of segment and class keys). All missing for prospects.
        ``attrs`` are those of ``customers``, so that a join keeps them.

    Raises
    ------
    ParameterError
        If a setting is invalid or no as-of date is known.
    DataError
        If a column is missing, a buyer's value is missing or a last purchase is after as-of.

    Examples
    --------
    >>> scores = rfm_scores(summary)  # doctest: +SKIP
    >>> scores["rfm_segment"].value_counts()  # doctest: +SKIP
    """
    edges = check_rfm_settings(
        bins=bins,
        monetary=monetary,
        ties=ties,
        thresholds=thresholds,
        weights=weights,
        segments=segments,
        class8=class8,
    )
    k = len(edges) + 1
    metrics, buyers = _metrics(customers, monetary, as_of)
    scores = {}
    for sign, name in zip((-1, 1, 1), RFM_METRICS, strict=True):
        values = metrics[name]
        cuts = None if thresholds is None else thresholds.get(name)
        if cuts is not None:
            index = np.searchsorted(np.asarray(cuts, dtype="float64"), values, side="left")
            scores[name] = (k - index) if sign < 0 else (index + 1)
        else:
            position = _positions(sign * values, ties)
            scores[name] = 1 + sum((position >= edge).astype("int64") for edge in edges)
    r, f, m = (scores[name].astype("int64") for name in RFM_METRICS)
    w = np.array([(weights or {}).get(name, 1.0) for name in RFM_METRICS], dtype="float64")
    grid = _segment_grid(segments or RF_SEGMENTS, k)
    bits = _class8_bits(metrics, class8)

    n = len(customers)
    codes = ((r - 1) * k + (f - 1)) * k + (m - 1)
    digits = [
        f"{a}{b}{c}" for a in range(1, k + 1) for b in range(1, k + 1) for c in range(1, k + 1)
    ]
    score = np.full(n, np.nan)
    score[buyers] = (w[0] * r + w[1] * f + w[2] * m) / w.sum()
    order = list(CLASS8)
    lookup = np.array([order.index(f"{c >> 2}{(c >> 1) & 1}{c & 1}") for c in range(8)])
    columns = {
        "recency_days": _on_buyers(metrics["recency"], buyers, n),
        "r_score": _on_buyers(r, buyers, n),
        "f_score": _on_buyers(f, buyers, n),
        "m_score": _on_buyers(m, buyers, n),
        "rfm_code": _categorical(codes, digits, buyers, n),
        "rfm_score": score,
        "rfm_segment": _categorical(grid[r, f], list(segments or RF_SEGMENTS), buyers, n),
        "rfm_class8": _categorical(lookup[bits], list(CLASS8.values()), buyers, n),
    }
    out = pd.DataFrame(columns, index=customers.index, copy=False)  # new arrays: no copies
    out.attrs = dict(customers.attrs)  # so that customers.join(out) keeps them
    return out


def rfm_grid(
    scores: pd.DataFrame, segments: Mapping[str, Sequence[str | int]] | None = None
) -> pd.DataFrame:
    """Count buyers in every cell of the R x F grid, with the cell's segment.

    Parameters
    ----------
    scores : pandas.DataFrame
        Output of :func:`rfm_scores` (``r_score``, ``f_score``).
    segments : mapping, optional
        The segment map the scores were made with (default :data:`RF_SEGMENTS`); its size
        sets the grid's.

    Returns
    -------
    pandas.DataFrame
        One row per cell, R from high to low, F from low to high: ``r_score``, ``f_score``,
        ``customers``, ``customer_share`` (of the buyers) and ``rfm_segment``. Empty cells
        have 0 customers. The table :func:`custanalytics.plot_rfm_grid` draws.
    """
    segments = RF_SEGMENTS if segments is None else segments
    k = math.isqrt(sum(len(cells) for cells in segments.values()))
    _check_segments(segments, k, "")
    grid = _segment_grid(segments, k)
    r, f = np.meshgrid(np.arange(k, 0, -1), np.arange(1, k + 1), indexing="ij")
    r, f = r.ravel(), f.ravel()
    scored = scores[["r_score", "f_score"]].dropna().to_numpy(dtype="int64")
    counts = np.bincount((scored[:, 0] - 1) * k + scored[:, 1] - 1, minlength=k * k)
    customers = counts[(r - 1) * k + f - 1]
    names = list(segments)
    return pd.DataFrame(
        {
            "r_score": r,
            "f_score": f,
            "customers": customers,
            "customer_share": customers / max(len(scored), 1),
            "rfm_segment": pd.Categorical.from_codes(grid[r, f], categories=names),
        }
    )


def check_rfm_settings(
    *,
    bins: int | Sequence[float] = 5,
    monetary: str = "revenue",
    ties: str = "average",
    thresholds: Mapping[str, Sequence[float]] | None = None,
    weights: Mapping[str, float] | None = None,
    segments: Mapping[str, Sequence[str]] | None = None,
    class8: str | Mapping[str, float] = "mean",
    prefix: str = "",
) -> np.ndarray:
    """Validate RFM settings; return the inner quantile edges.

    Parameters
    ----------
    bins, monetary, ties, thresholds, weights, segments, class8
        As for :func:`rfm_scores`.
    prefix : str
        Prefix of the names in messages (``"rfm."`` for the parameter file).

    Returns
    -------
    numpy.ndarray
        The inner quantile edges (``k - 1`` values for ``k`` scores).

    Raises
    ------
    ParameterError
        Naming the setting, the value at fault and the fix.
    """
    if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
        if not 2 <= bins <= 9:
            raise ParameterError(f"{prefix}bins must be between 2 and 9 scores, got {bins}")
        edges = np.arange(1, bins) / bins
    else:
        edges = np.asarray(bins, dtype="float64")
        if (
            edges.ndim != 1
            or not 1 <= len(edges) <= 8
            or not np.all((edges > 0) & (edges < 1))
            or np.any(np.diff(edges) <= 0)
        ):
            raise ParameterError(
                f"{prefix}bins must be a number of scores (2-9) or 1-8 increasing quantile "
                f"edges strictly between 0 and 1 (e.g. [0.5, 0.8, 0.95]), got {bins!r}"
            )
    k = len(edges) + 1
    for name, value, allowed in (("monetary", monetary, _MONETARY), ("ties", ties, _TIES)):
        if value not in allowed:
            raise ParameterError(
                f"{prefix}{name} must be one of {' | '.join(allowed)}, got {value!r}"
            )
    for name, cuts in (thresholds or {}).items():
        _check_metric(name, f"{prefix}thresholds", RFM_METRICS)
        cuts = np.asarray(cuts, dtype="float64")
        if cuts.shape != (k - 1,) or np.any(np.diff(cuts) <= 0):
            raise ParameterError(
                f"{prefix}thresholds.{name} must be {k - 1} increasing cut points for {k} "
                f"scores, got {list(cuts)!r}"
            )
    for name, weight in (weights or {}).items():
        _check_metric(name, f"{prefix}weights", RFM_METRICS)
        if not weight >= 0:
            raise ParameterError(f"{prefix}weights.{name} must be 0 or more, got {weight!r}")
    if weights and sum(weights.get(name, 1.0) for name in RFM_METRICS) <= 0:
        raise ParameterError(f"{prefix}weights must not all be 0")
    _check_segments(segments, k, prefix)
    if isinstance(class8, str):
        if class8 not in ("mean", "median"):
            raise ParameterError(
                f"{prefix}class8 must be mean | median or fixed values per metric, got {class8!r}"
            )
    elif set(class8) != set(RFM_METRICS):
        raise ParameterError(
            f"{prefix}class8 as fixed values needs exactly the keys "
            f"{', '.join(RFM_METRICS)}, got {', '.join(map(str, class8)) or 'none'}"
        )
    return edges


def _check_metric(name: object, key: str, allowed: Sequence[str]) -> None:
    if name not in allowed:
        raise ParameterError(f"{key} has unknown key {name!r}; use {', '.join(allowed)}")


def _check_segments(segments: Mapping[str, Sequence[str]] | None, k: int, prefix: str) -> None:
    segments = RF_SEGMENTS if segments is None else segments
    cells = [(name, str(cell)) for name, group in segments.items() for cell in group]
    seen: dict[str, str] = {}
    for name, cell in cells:
        if cell in seen:
            raise ParameterError(
                f"{prefix}segments: cell {cell!r} is in both {seen[cell]!r} and {name!r}; "
                "each R x F cell must be in exactly one segment"
            )
        seen[cell] = name
    expected = {f"{r}{f}" for r in range(1, k + 1) for f in range(1, k + 1)}
    missing, extra = sorted(expected - set(seen)), sorted(set(seen) - expected)
    if missing or extra:
        which = "standard R x F grid (5 x 5)" if segments is RF_SEGMENTS else "segment map"
        raise ParameterError(
            f"{prefix}segments: the {which} must label each of the {k * k} cells of the "
            f"{k} x {k} grid exactly once; missing {missing[:5] or 'none'}, unknown "
            f"{extra[:5] or 'none'} (cells are 'RF' digits such as '54'); give "
            f"{prefix}segments for {k} scores"
        )


def require_columns(customers: pd.DataFrame, columns: Sequence[str], caller: str) -> None:
    """Raise :class:`DataError` naming the columns of ``columns`` that ``customers`` lacks.

    Parameters
    ----------
    customers : pandas.DataFrame
        The per-customer table.
    columns : sequence of str
        Columns needed.
    caller : str
        Name of the function that needs them, for the message.
    """
    missing = [c for c in columns if c not in customers.columns]
    if missing:
        raise DataError(
            f"{caller} needs column(s) {', '.join(missing)} of the per-customer table; "
            "pass the output of custanalytics.summarize (joined with the columns named)"
        )


def recency_days(customers: pd.DataFrame, as_of: dt.date | str | None = None) -> np.ndarray:
    """Return whole days from each buyer's last purchase to the as-of date (0 for prospects).

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``orders`` and ``last_purchase``.
    as_of : date or str, optional
        Observation end; default ``customers.attrs["as_of"]``.

    Returns
    -------
    numpy.ndarray
        int64 days per customer, in table order.

    Raises
    ------
    ParameterError
        If no as-of date is known.
    DataError
        If a buyer's last purchase is missing or after the as-of date.
    """
    require_columns(customers, ["orders", "last_purchase"], "recency")
    end = as_of if as_of is not None else customers.attrs.get("as_of")
    if end is None:
        raise ParameterError(
            "as_of is not known: pass as_of= or a table from summarize (attrs['as_of'])"
        )
    end = np.datetime64(pd.Timestamp(end).normalize().to_datetime64(), "D")
    buyers = customers["orders"].to_numpy() > 0
    last = customers["last_purchase"].to_numpy(dtype="datetime64[D]")
    _refuse(customers, np.isnat(last) & buyers, "last_purchase is missing", "fill or drop them")
    days = np.where(buyers, (end - last).astype("int64"), 0)
    _refuse(
        customers,
        days < 0,
        "last_purchase is after as_of",
        f"use an as_of on or after the last purchase (as_of is {end})",
    )
    return days


def _metrics(
    customers: pd.DataFrame, monetary: str, as_of: dt.date | str | None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Return recency (days), frequency and monetary per buyer, and the buyers' mask."""
    require_columns(customers, ["orders", "last_purchase", monetary], "rfm_scores")
    days = recency_days(customers, as_of)
    orders = customers["orders"].to_numpy()
    buyers = orders > 0
    money = customers[monetary].to_numpy(dtype="float64")
    _refuse(customers, np.isnan(money) & buyers, f"{monetary} is missing", "fill or drop them")
    if buyers.all():  # no prospects: no copies
        return {"recency": days, "frequency": orders, "monetary": money}, buyers
    return {"recency": days[buyers], "frequency": orders[buyers], "monetary": money[buyers]}, buyers


def _refuse(customers: pd.DataFrame, bad: np.ndarray, what: str, fix: str) -> None:
    if bad.any():
        raise DataError(
            f"{what} for {int(bad.sum()):,} buyer(s), e.g. customer "
            f"{customers.index[bad][0]!r}; {fix}"
        )


def _positions(values: np.ndarray, ties: str) -> np.ndarray:
    """Return ``(rank - 0.5) / n`` per value, in (0, 1): ties share it or go in table order."""
    n = len(values)
    if ties == "first":
        out = np.empty(n)
        out[np.argsort(values, kind="stable")] = (np.arange(n) + 0.5) / n
        return out
    return midrank_positions(values)


def midrank_positions(values: np.ndarray) -> np.ndarray:
    """Return ``(average rank - 0.5) / n`` per value: tied values share their average rank.

    Integers of a small range are counted (no sort); other values are sorted once.

    Parameters
    ----------
    values : numpy.ndarray
        One-dimensional, without missing values.

    Returns
    -------
    numpy.ndarray
        Positions in (0, 1), in the order of ``values``.
    """
    n = len(values)
    if n == 0:
        return np.empty(0)
    if values.dtype.kind in "iu":
        low = values.min()
        if values.max() - low <= 4 * n + 1024:
            counts = np.bincount(values - low)
            middle = np.cumsum(counts) - counts / 2
            return (middle / n)[values - low]
    order = np.argsort(values)
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, n])
    out = np.empty(n)
    out[order] = np.repeat((starts + counts / 2) / n, counts)
    return out


def _segment_grid(segments: Mapping[str, Sequence[str]], k: int) -> np.ndarray:
    grid = np.full((k + 1, k + 1), -1, dtype="int64")
    for code, cells in enumerate(segments.values()):
        for cell in cells:
            grid[int(str(cell)[0]), int(str(cell)[1])] = code
    return grid


def _class8_bits(metrics: dict[str, np.ndarray], class8: str | Mapping[str, float]) -> np.ndarray:
    bits = np.zeros(len(metrics["frequency"]), dtype="int64")
    if not len(bits):
        return bits
    for weight, name in zip((4, 2, 1), RFM_METRICS, strict=True):
        values = metrics[name]
        if isinstance(class8, str):
            cut = float(np.mean(values) if class8 == "mean" else np.median(values))
        else:
            cut = float(class8[name])
        high = values < cut if name == "recency" else values > cut
        bits += weight * high
    return bits


def _on_buyers(values: np.ndarray, buyers: np.ndarray, n: int) -> pd.arrays.IntegerArray:
    data = np.zeros(n, dtype="int64")
    data[buyers] = values
    return pd.arrays.IntegerArray(data, ~buyers)


def _categorical(
    codes: np.ndarray, categories: list[str], buyers: np.ndarray, n: int
) -> pd.Categorical:
    full = np.full(n, -1, dtype="int8" if len(categories) < 127 else "int16")
    full[buyers] = codes
    return pd.Categorical.from_codes(full, categories=categories)
