"""Customer attributes (type, industry, region, ...) cross-tabulated against customer classes.

An *attribute* is a categorical column of the customer master; a *class* column is a result of
the analysis that puts each customer in one class (``grade``, ``rfm_segment``,
``cluster_name``, ``lifecycle_stage``, ``value_cell``, ...). For every attribute value the
tables give customers, revenue and their shares of the whole base, the mix of classes in the
group, and the group's index on each class column's *top class*: the group's share of
customers in the top class divided by the share in the whole base (1.0 = as everybody,
above 1 = over-represented).

Missing attribute values become the explicit group ``UNKNOWN``; values held by fewer than
``min_customers`` customers are pooled into ``OTHER``, so every customer is in exactly one group
of each attribute and the groups add up to the whole base. Customers without a class (e.g.
prospects have no value cell) are counted as ``UNCLASSIFIED`` and left out of the index.

One attribute is derived from the transactions rather than read from the master: the
*price sensitivity*, the share of a customer's net spend bought on discount
(``discount_share``) cut into ``low`` / ``medium`` / ``high`` (:func:`price_sensitivity`);
:func:`price_sensitivity_crosstab` sets it beside a stated decision style.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import ParameterError

__all__ = [
    "CLASS_COLUMNS",
    "OTHER",
    "PRICE_SENSITIVITY",
    "TOP_CLASSES",
    "UNCLASSIFIED",
    "UNKNOWN",
    "AttributeTables",
    "attribute_tables",
    "attribute_values",
    "check_price_sensitivity",
    "default_attribute_columns",
    "price_sensitivity",
    "price_sensitivity_crosstab",
    "top_class",
]

#: Class columns an attribute is crossed with, when present, in order of preference (the
#: first present one is the report's main view).
CLASS_COLUMNS = (
    "grade",
    "rfm_segment",
    "rfm_class8",
    "cluster_name",
    "value_cell",
    "lifecycle_stage",
)
#: Top class of known class columns (candidates, the first present wins). Other columns:
#: the first category of an ordered categorical, else the class with the highest revenue per
#: customer.
TOP_CLASSES: dict[str, tuple[str, ...]] = {
    "value_cell": ("value_customer",),
    "lifecycle_stage": ("active",),
    "rfm_segment": ("champions",),
    "rfm_class8": ("important_value",),
}
#: Group of missing attribute values.
UNKNOWN = "<unknown>"
#: Group of rare attribute values pooled together.
OTHER = "<other>"
#: Class of customers without one (e.g. prospects in the value matrix).
UNCLASSIFIED = "<unclassified>"
#: Classes of the price sensitivity, least sensitive first.
PRICE_SENSITIVITY = ("low", "medium", "high")


@dataclasses.dataclass(frozen=True)
class AttributeTables:
    """The cross-tabulations of attributes against class columns.

    Attributes
    ----------
    groups : pandas.DataFrame
        One row per (``attribute``, ``value``): ``customers``, ``customer_share``,
        ``buyers``, ``prospects``, ``revenue``, ``revenue_share``, ``revenue_per_customer``,
        and per class column ``c``: ``top_share_<c>`` and ``index_<c>``.
    mix : pandas.DataFrame
        One row per (``attribute``, ``value``, ``by``, ``class``): ``customers`` and ``share``
        of the group's customers in that class.
    top_classes : dict
        Class column → its top class.
    class_order : dict
        Class column → its classes in display order (``UNCLASSIFIED`` last).
    """

    groups: pd.DataFrame
    mix: pd.DataFrame
    top_classes: dict[str, str]
    class_order: dict[str, list[str]]


def _present(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Factorize a class column: codes (-1 = missing) and the classes as text."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, [str(u) for u in uniques]


def _class_order(values: pd.Series, column: str, present: Sequence[str]) -> list[str]:
    present = set(present)
    if isinstance(values.dtype, pd.CategoricalDtype):
        order = [str(c) for c in values.cat.categories]
    elif column == "value_cell":
        from .value import VALUE_MATRIX_CELLS

        order = list(VALUE_MATRIX_CELLS.values())
    else:
        order = sorted(present)
    order = [c for c in order if c in present] + sorted(present - set(order))
    return order + ([UNCLASSIFIED] if values.isna().any() else [])


def default_attribute_columns(master: pd.DataFrame, *, max_values: int = 30) -> list[str]:
    """Choose the master's categorical columns: text with 2 .. ``max_values`` distinct values.

    Parameters
    ----------
    master : pandas.DataFrame
        The customer master's attribute columns.
    max_values : int
        Columns with more distinct values (names, phone numbers ...) are skipped.

    Returns
    -------
    list of str
        Column names, in the master's order.
    """
    chosen = []
    for column in master.columns:
        values = master[column]
        text = (
            pd.api.types.is_string_dtype(values)
            or pd.api.types.is_object_dtype(values)
            or isinstance(values.dtype, pd.CategoricalDtype)
        )
        if text and 2 <= values.nunique(dropna=True) <= max_values:
            chosen.append(str(column))
    return chosen


def _codes(values: pd.Series) -> pd.Series:
    """Attribute values as text: whole numbers without ``.0``, missing kept missing."""
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "True", False: "False"})
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.astype("float64")
        whole = numbers.dropna().eq(numbers.dropna().round()).all()
        text = numbers.map(lambda v: f"{v:.0f}" if whole else f"{v:g}", na_action="ignore")
        return text.astype("object")
    return values.astype("object").where(values.notna())


def attribute_values(
    values: pd.Series, *, labels: Mapping[str, str] | None = None, min_customers: int = 1
) -> pd.Series:
    """Turn one attribute column into groups: labelled codes, ``UNKNOWN``, ``OTHER``.

    Parameters
    ----------
    values : pandas.Series
        The attribute per customer (any dtype; numeric codes such as 0/1 are allowed).
    labels : mapping, optional
        Code (as text, ``"1"`` for 1 or 1.0) → label.
    min_customers : int
        Values held by fewer customers are pooled into ``OTHER``. The categories of an
        ordered categorical (a scale such as low / medium / high) are never pooled.

    Returns
    -------
    pandas.Series
        Categorical, same index: values by descending count (an ordered categorical's in
        its own order), then ``OTHER``, ``UNKNOWN``.
    """
    scale = isinstance(values.dtype, pd.CategoricalDtype) and values.cat.ordered
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = _codes(pd.Series(uniques, dtype=values.dtype if len(uniques) else "object"))
    text = text.astype("object").map(lambda v: v.strip() or None, na_action="ignore")
    if labels:
        text = text.map(lambda v: labels.get(v, v), na_action="ignore")
    names = text.fillna(UNKNOWN).to_numpy(dtype="object")
    per_unique = np.bincount(codes[codes >= 0], minlength=len(uniques))
    counts = pd.Series(per_unique, index=names, dtype="int64").groupby(level=0, sort=False).sum()
    missing = int((codes < 0).sum())
    if missing:
        counts[UNKNOWN] = counts.get(UNKNOWN, 0) + missing
    rare = [v for v in counts.index if counts[v] < min_customers and v != UNKNOWN]
    if len(rare) > 1 and not scale:  # pooling a single value would only rename it
        names = np.where(pd.Index(names).isin(rare), OTHER, names).astype("object")
        counts = counts.drop(rare)
        counts[OTHER] = int(per_unique[pd.Index(names) == OTHER].sum())
    known = counts.drop([c for c in (OTHER, UNKNOWN) if c in counts.index])
    if scale:
        position = {str(c): k for k, c in enumerate(values.cat.categories)}
        order = sorted(known.index, key=lambda v: position.get(str(v), len(position)))
    else:
        order = sorted(known.index, key=lambda v: (-known[v], str(v)))
    order += [c for c in (OTHER, UNKNOWN) if c in counts.index]
    position = {name: k for k, name in enumerate(order)}
    mapping = np.array([position[name] for name in names] + [position.get(UNKNOWN, -1)])
    group = mapping[codes]  # code -1 picks the last entry: UNKNOWN
    return pd.Series(
        pd.Categorical.from_codes(group, categories=order), index=values.index, name=values.name
    )


def top_class(customers: pd.DataFrame, column: str) -> str | None:
    """Return the top class of a class column (see :data:`TOP_CLASSES`).

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``column`` (and ``revenue``).
    column : str
        A class column.

    Returns
    -------
    str or None
        The top class; None if the column has no class at all.
    """
    codes, present = _present(customers[column])
    return _top_class(customers, column, codes, present)


def _top_class(customers, column: str, codes: np.ndarray, present: list[str]) -> str | None:
    values = customers[column]
    if not present:
        return None
    for candidate in TOP_CLASSES.get(column, ()):
        if candidate in present:
            return candidate
    if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.ordered:
        return next(str(c) for c in values.cat.categories if str(c) in present)
    known = codes >= 0
    revenue = np.nan_to_num(customers["revenue"].to_numpy(dtype="float64"))
    total = np.bincount(codes[known], weights=revenue[known], minlength=len(present))
    count = np.bincount(codes[known], minlength=len(present))
    return present[int(np.argmax(total / count))]


def attribute_tables(
    customers: pd.DataFrame,
    attributes: Sequence[str],
    classes: Sequence[str],
    *,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    min_customers: int = 1,
) -> AttributeTables:
    """Cross-tabulate attributes against class columns.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table: the attribute and class columns, ``revenue`` and ``orders``.
        Never modified.
    attributes : sequence of str
        Attribute columns.
    classes : sequence of str
        Class columns (missing classes count as ``UNCLASSIFIED``).
    labels : mapping, optional
        Attribute → {code: label}.
    min_customers : int
        Attribute values with fewer customers are pooled into ``OTHER``.

    Returns
    -------
    AttributeTables
        Groups and class mixes; every attribute's groups add up to the whole base.
    """
    labels = labels or {}
    n = len(customers)
    revenue = customers["revenue"].to_numpy(dtype="float64")
    has_revenue = ~np.isnan(revenue)
    money = np.where(has_revenue, revenue, 0.0)
    total_revenue = money.sum() if has_revenue.any() else np.nan
    buyer = (customers["orders"].to_numpy() > 0).astype("float64")
    class_codes, tops, overall, orders = {}, {}, {}, {}
    for column in classes:
        codes, present = _present(customers[column])
        top = _top_class(customers, column, codes, present)
        if top is None:
            continue
        order = _class_order(customers[column], column, present)
        position = {name: k for k, name in enumerate(order)}
        unclassified = position.get(UNCLASSIFIED, len(order))
        mapping = np.array([position[name] for name in present] + [unclassified])
        class_codes[column] = mapping[codes]  # -1 (missing) picks UNCLASSIFIED
        tops[column], orders[column] = top, order
        counts = np.bincount(class_codes[column], minlength=len(order))
        classified = counts.sum() - (counts[unclassified] if UNCLASSIFIED in position else 0)
        overall[column] = counts[position[top]] / max(classified, 1)
    groups, mixes = [], []
    for attribute in attributes:
        group = attribute_values(
            customers[attribute], labels=labels.get(attribute), min_customers=min_customers
        )
        g = group.cat.codes.to_numpy().astype("int64")
        names = [str(c) for c in group.cat.categories]
        size = np.bincount(g, minlength=len(names))
        frame = pd.DataFrame(
            {
                "customers": size,
                "buyers": np.bincount(g, weights=buyer, minlength=len(names)).astype("int64"),
                "revenue": np.bincount(g, weights=money, minlength=len(names)),
            },
            index=pd.Index(names, name="value"),
        )
        if not has_revenue.any():
            frame["revenue"] = np.nan
        frame["prospects"] = frame["customers"] - frame["buyers"]
        frame.insert(1, "customer_share", frame["customers"] / max(n, 1))
        share = frame["revenue"] / total_revenue if total_revenue else np.nan
        frame.insert(frame.columns.get_loc("revenue") + 1, "revenue_share", share)
        frame["revenue_per_customer"] = frame["revenue"] / frame["customers"]
        for column, codes in class_codes.items():
            order = orders[column]
            k = len(order)
            counts = np.bincount(g * k + codes, minlength=len(names) * k).reshape(len(names), k)
            classified = counts.sum(axis=1) - (
                counts[:, order.index(UNCLASSIFIED)] if UNCLASSIFIED in order else 0
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                top_share = counts[:, order.index(tops[column])] / np.where(
                    classified > 0, classified, np.nan
                )
                shares = counts / size[:, None]
            frame[f"top_share_{column}"] = top_share
            frame[f"index_{column}"] = top_share / overall[column] if overall[column] else np.nan
            long = pd.DataFrame(
                {
                    "value": np.repeat(np.array(names, dtype="object"), k),
                    "class": np.tile(np.array(order, dtype="object"), len(names)),
                    "customers": counts.ravel(),
                    "share": shares.ravel(),
                }
            )
            long.insert(0, "by", column)
            long.insert(0, "attribute", attribute)
            mixes.append(long)
        frame = frame.reset_index()
        frame.insert(0, "attribute", attribute)
        groups.append(frame)
    group_columns = ["attribute", "value", "customers", "customer_share", "buyers", "prospects"]
    group_table = (
        pd.concat(groups, ignore_index=True) if groups else pd.DataFrame(columns=group_columns)
    )
    mix_columns = ["attribute", "by", "value", "class", "customers", "share"]
    mix_table = pd.concat(mixes, ignore_index=True) if mixes else pd.DataFrame(columns=mix_columns)
    mix_table["value"] = mix_table["value"].astype(str)
    mix_table["class"] = mix_table["class"].astype(str)
    mix_table = mix_table[mix_columns]
    return AttributeTables(group_table, mix_table, tops, orders)


def check_price_sensitivity(thresholds: Sequence[float], key: str = "thresholds") -> None:
    """Raise unless ``thresholds`` are two strictly increasing shares in (0, 1).

    Parameters
    ----------
    thresholds : sequence of float
        The cuts between low and medium, and medium and high.
    key : str
        Name of the parameter, for the message.

    Raises
    ------
    ParameterError
        Naming ``key``, the value and an example.
    """
    values = list(thresholds)
    ok = (
        len(values) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        and 0 < values[0] < values[1] < 1
    )
    if not ok:
        raise ParameterError(
            f"parameter '{key}' must be two strictly increasing shares of spend bought on "
            f"discount in (0, 1), low | medium | high, e.g. [0.2, 0.5], got {values!r}"
        )


def price_sensitivity(share: pd.Series, thresholds: Sequence[float] = (0.2, 0.5)) -> pd.Series:
    """Cut the share of spend bought on discount into low / medium / high price sensitivity.

    Parameters
    ----------
    share : pandas.Series
        ``discount_share`` per customer (in [0, 1]; NaN where the net spend is not positive,
        prospects included).
    thresholds : sequence of two floats
        Low below the first, medium from the first to below the second, high from the
        second on.

    Returns
    -------
    pandas.Series
        Ordered categorical of :data:`PRICE_SENSITIVITY`, same index and name
        ``price_sensitivity``; missing where ``share`` is.

    Raises
    ------
    ParameterError
        If the thresholds are not two increasing shares in (0, 1).
    """
    check_price_sensitivity(thresholds)
    values = share.to_numpy(dtype="float64")
    codes = np.searchsorted(np.asarray(thresholds, dtype="float64"), values, side="right")
    codes = np.where(np.isnan(values), -1, codes)
    classes = pd.Categorical.from_codes(codes, categories=PRICE_SENSITIVITY, ordered=True)
    return pd.Series(classes, index=share.index, name="price_sensitivity")


def price_sensitivity_crosstab(
    customers: pd.DataFrame,
    style: str,
    *,
    labels: Mapping[str, str] | None = None,
    min_customers: int = 1,
) -> pd.DataFrame:
    """Cross a stated decision style with the price sensitivity the purchases show.

    Only customers with a price sensitivity (positive net spend) are counted, so that a
    manager sees whether the customers who say they are price-oriented buy on discount.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``style``, ``price_sensitivity``, ``discount_share`` and
        ``revenue``. Never modified.
    style : str
        The decision-style column (missing values are the ``UNKNOWN`` group).
    labels : mapping, optional
        Code → label of the style's values.
    min_customers : int
        Styles held by fewer customers are pooled into ``OTHER``.

    Returns
    -------
    pandas.DataFrame
        Indexed by style group (``value``): ``customers``, the share of them in each class
        of :data:`PRICE_SENSITIVITY` (columns named by the class), and ``discount_share``,
        the share of the group's net spend bought on discount.
    """
    known = customers["price_sensitivity"].notna().to_numpy()
    rows = customers.loc[known]
    group = attribute_values(rows[style], labels=labels, min_customers=min_customers)
    g = group.cat.codes.to_numpy().astype("int64")
    names = [str(c) for c in group.cat.categories]
    k = len(PRICE_SENSITIVITY)
    cls = rows["price_sensitivity"].cat.codes.to_numpy().astype("int64")
    counts = np.bincount(g * k + cls, minlength=len(names) * k).reshape(len(names), k)
    size = counts.sum(axis=1)
    revenue = rows["revenue"].to_numpy(dtype="float64")
    spend = np.bincount(g, weights=revenue, minlength=len(names))
    discounted = np.bincount(
        g, weights=revenue * rows["discount_share"].to_numpy(dtype="float64"), minlength=len(names)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame(counts / size[:, None], columns=list(PRICE_SENSITIVITY))
        table.insert(0, "customers", size)
        table["discount_share"] = discounted / spend
    table.index = pd.Index(names, name="value")
    return table
