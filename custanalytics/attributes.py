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
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "CLASS_COLUMNS",
    "OTHER",
    "TOP_CLASSES",
    "UNCLASSIFIED",
    "UNKNOWN",
    "AttributeTables",
    "attribute_tables",
    "attribute_values",
    "default_attribute_columns",
    "top_class",
]

#: Class columns an attribute is crossed with, when present, in order of preference (the
#: first present one is the report's main view).
CLASS_COLUMNS = (
    "grade",
    "tier",
    "abc_class",
    "rfm_segment",
    "rfm_class",
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
    "rfm_segment": ("champions", "Champions"),
    "rfm_class": ("111",),
}
#: Group of missing attribute values.
UNKNOWN = "<unknown>"
#: Group of rare attribute values pooled together.
OTHER = "<other>"
#: Class of customers without one (e.g. prospects in the value matrix).
UNCLASSIFIED = "<unclassified>"


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


def _class_order(values: pd.Series, column: str) -> list[str]:
    present = set(values.dropna().astype(str).unique())
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
        Values held by fewer customers are pooled into ``OTHER``.

    Returns
    -------
    pandas.Series
        Categorical, same index: values by descending count, then ``OTHER``, ``UNKNOWN``.
    """
    text = _codes(values)
    text = text.str.strip().where(lambda s: s.ne(""))
    if labels:
        text = text.map(lambda v: labels.get(v, v), na_action="ignore")
    text = text.fillna(UNKNOWN)
    counts = text.value_counts(sort=False)
    rare = counts.index[(counts < min_customers) & (counts.index != UNKNOWN)]
    if len(rare) > 1:  # pooling a single value would only rename it
        text = text.where(~text.isin(rare), OTHER)
        counts = text.value_counts(sort=False)
    known = counts.drop([c for c in (OTHER, UNKNOWN) if c in counts.index])
    order = sorted(known.index, key=lambda v: (-known[v], str(v)))
    order += [c for c in (OTHER, UNKNOWN) if c in counts.index]
    return pd.Series(pd.Categorical(text, categories=order), index=values.index, name=values.name)


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
    values = customers[column]
    present = set(values.dropna().astype(str).unique())
    if not present:
        return None
    for candidate in TOP_CLASSES.get(column, ()):
        if candidate in present:
            return candidate
    if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.ordered:
        return next(str(c) for c in values.cat.categories if str(c) in present)
    revenue = customers["revenue"].fillna(0).groupby(values.astype(str)).mean()
    return str(revenue.drop(UNCLASSIFIED, errors="ignore").idxmax())


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
    revenue = customers["revenue"].astype("float64")
    total_revenue = revenue.sum(min_count=1)
    buyer = customers["orders"].to_numpy() > 0
    class_values, tops, overall, orders = {}, {}, {}, {}
    for column in classes:
        top = top_class(customers, column)
        if top is None:
            continue
        values = customers[column].astype("object").where(customers[column].notna())
        class_values[column] = values.fillna(UNCLASSIFIED).astype(str)
        tops[column] = top
        orders[column] = _class_order(customers[column], column)
        classified = class_values[column] != UNCLASSIFIED
        overall[column] = (class_values[column] == top).sum() / max(classified.sum(), 1)
    groups, mixes = [], []
    for attribute in attributes:
        group = attribute_values(
            customers[attribute], labels=labels.get(attribute), min_customers=min_customers
        )
        by = group.groupby(group, observed=True)
        frame = pd.DataFrame(
            {
                "customers": by.size(),
                "buyers": pd.Series(buyer, index=group.index).groupby(group, observed=True).sum(),
                "revenue": revenue.groupby(group, observed=True).sum(min_count=1),
            }
        )
        frame["prospects"] = frame["customers"] - frame["buyers"]
        frame.insert(1, "customer_share", frame["customers"] / max(n, 1))
        share = frame["revenue"] / total_revenue if total_revenue else np.nan
        frame.insert(frame.columns.get_loc("revenue") + 1, "revenue_share", share)
        frame["revenue_per_customer"] = frame["revenue"] / frame["customers"]
        for column, values in class_values.items():
            counts = (
                pd.Series(np.ones(n, dtype="int64"))
                .groupby([group.cat.codes.to_numpy(), values.to_numpy()])
                .sum()
                .unstack(fill_value=0)
            )
            counts.index = group.cat.categories[counts.index]
            counts = counts.reindex(index=frame.index, columns=orders[column], fill_value=0)
            classified = counts.drop(columns=[UNCLASSIFIED], errors="ignore").sum(axis=1)
            top_count = counts[tops[column]] if tops[column] in counts.columns else 0
            top_share = top_count / classified.where(classified > 0)
            frame[f"top_share_{column}"] = top_share
            frame[f"index_{column}"] = top_share / overall[column] if overall[column] else np.nan
            shares = counts.div(frame["customers"], axis=0)
            long = pd.DataFrame(
                {
                    "value": np.repeat(counts.index.astype(str), counts.shape[1]),
                    "class": np.tile(counts.columns.astype(str), counts.shape[0]),
                    "customers": counts.to_numpy().ravel(),
                    "share": shares.to_numpy().ravel(),
                }
            )
            long.insert(0, "by", column)
            long.insert(0, "attribute", attribute)
            mixes.append(long)
        frame.index = pd.Index([str(v) for v in frame.index], name="value")
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
