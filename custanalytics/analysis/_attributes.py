"""The attributes section: master attributes crossed with the customer classes of the run.

With a discount column in the transactions, the price sensitivity derived from them joins the
attributes (even without a customer master), beside the stated decision style if one is named.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..attributes import (
    CLASS_COLUMNS,
    PRICE_SENSITIVITY,
    attribute_tables,
    default_attribute_columns,
    price_sensitivity,
    price_sensitivity_crosstab,
)
from ..errors import DataError
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = ["AttributesRecord", "attribute_columns", "attributes_section"]


@record
@dataclasses.dataclass(frozen=True)
class AttributesRecord:
    """Customers, revenue and class mix per value of each master attribute.

    Attributes
    ----------
    attributes : list of str
        Attribute columns analysed, in report order: the master's, then ``price_sensitivity``
        when it was derived.
    chosen_by : str
        ``parameters`` (``attributes.columns``), ``default`` (the master's text columns
        with few distinct values) or ``none`` (no customer master: the price sensitivity
        alone).
    classes : list of str
        Class columns crossed (``grade``, ``value_cell``, ``lifecycle_stage`` ...); the first
        is the report's main view.
    top_classes : dict
        Class column → its top class (the index compares each group with the whole base on it).
    class_order : dict
        Class column → its classes in display order.
    min_customers : int
        Attribute values with fewer customers were pooled into one "other" group.
    groups : pandas.DataFrame
        One row per attribute value (see :class:`custanalytics.attributes.AttributeTables`).
    mix : pandas.DataFrame
        Customers and share of each group in each class of each class column.
    price_sensitivity : dict or None
        The rule of the derived price sensitivity: ``thresholds`` (low below the first,
        high from the second), the source ``discount`` column and its ``discount_kind``;
        None without a discount column.
    decision_style : str or None
        The master column crossed with the price sensitivity (``attributes.decision_style``).
    style_crosstab : pandas.DataFrame or None
        Decision style x price sensitivity of the customers with positive net spend (see
        :func:`custanalytics.attributes.price_sensitivity_crosstab`).
    notes : list of Note
        Remarks (a discount column without amounts gives no price sensitivity).
    """

    attributes: list[str]
    chosen_by: str
    classes: list[str]
    top_classes: dict[str, str]
    class_order: dict[str, list[str]]
    min_customers: int
    groups: pd.DataFrame
    mix: pd.DataFrame
    price_sensitivity: dict[str, Any] | None = None
    decision_style: str | None = None
    style_crosstab: pd.DataFrame | None = None
    notes: list[Note] = dataclasses.field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        figures = {"attributes": list(self.attributes), "attribute_classes": list(self.classes)}
        if self.price_sensitivity is not None:
            rows = self.groups[self.groups["attribute"] == "price_sensitivity"]
            counts = dict(zip(rows["value"], rows["customers"], strict=True))
            figures["price_sensitivity_customers"] = {
                c: int(counts.get(c, 0)) for c in PRICE_SENSITIVITY
            }
        return figures


def attribute_columns(ctx: AnalysisContext) -> tuple[list[str], str]:
    """Return the attribute columns of the run and how they were chosen.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (with a customer master).

    Returns
    -------
    columns : list of str
        The named columns (``attributes.columns``), else the master's text columns with
        2 .. ``attributes.max_values`` distinct values.
    chosen_by : {"parameters", "default"}

    Raises
    ------
    DataError
        If a named column is not in the customer master.
    """
    settings = ctx.params.attributes
    frame = ctx.master.frame
    if settings.columns is not None:
        missing = [c for c in settings.columns if c not in frame.columns]
        if missing:
            raise DataError(
                f"attributes.columns names {missing[0]!r}, which is not a column of the "
                f"customer master (columns: {', '.join(map(str, frame.columns))}); fix the "
                "name or add it to customers.columns"
            )
        return list(settings.columns), "parameters"
    return default_attribute_columns(frame, max_values=settings.max_values), "default"


def attributes_section(ctx: AnalysisContext) -> SectionOutput:
    """Cross-tabulate the master's attributes against the class columns present.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the sections whose classes it crosses).

    Returns
    -------
    SectionOutput
        An :class:`AttributesRecord`; with a discount column, the ``price_sensitivity``
        column (ordered categorical low / medium / high, missing without positive spend).

    Raises
    ------
    DataError
        If ``attributes.decision_style`` is not a column of the customer master, or the
        master has a column named ``price_sensitivity``.
    """
    settings = ctx.params.attributes
    sensitivity, notes = _price_sensitivity(ctx)
    if ctx.master is None and sensitivity is None:
        if notes:  # a discount column, but no amounts to weigh it by
            return SectionOutput(Unavailable(notes[0].code, notes[0].values))
        return SectionOutput(Unavailable("no_customer_master"))
    columns, chosen_by = attribute_columns(ctx) if ctx.master is not None else ([], "none")
    if not columns and sensitivity is None:
        return SectionOutput(Unavailable("no_attribute_columns"))
    customers, rule, style, crosstab, added = ctx.customers, None, None, None, None
    if sensitivity is not None:
        customers = customers.assign(price_sensitivity=sensitivity)
        transactions = ctx.params.transactions
        rule = {
            "thresholds": list(settings.price_sensitivity),
            "discount": transactions.discount,
            "discount_kind": transactions.discount_kind,
        }
        style = _decision_style(ctx)
        if style is not None:
            crosstab = price_sensitivity_crosstab(
                customers,
                style,
                labels=settings.labels.get(style),
                min_customers=settings.min_customers,
            )
        added = sensitivity.to_frame()
    attributes = columns + (["price_sensitivity"] if sensitivity is not None else [])
    classes = [c for c in CLASS_COLUMNS if c in customers.columns]
    tables = attribute_tables(
        customers,
        attributes,
        classes,
        labels=settings.labels,
        min_customers=settings.min_customers,
    )
    record_ = AttributesRecord(
        attributes=attributes,
        chosen_by=chosen_by,
        classes=list(tables.top_classes),
        top_classes=tables.top_classes,
        class_order=tables.class_order,
        min_customers=settings.min_customers,
        groups=tables.groups,
        mix=tables.mix,
        price_sensitivity=rule,
        decision_style=style,
        style_crosstab=crosstab,
        notes=notes,
    )
    return SectionOutput(record_, added)


def _price_sensitivity(ctx: AnalysisContext) -> tuple[pd.Series | None, list[Note]]:
    """Return the price sensitivity per customer (with discounts and amounts) and notes."""
    if "discount_share" not in ctx.customers.columns:
        return None, []
    if not ctx.transactions.has_amount:
        column = ctx.params.transactions.discount
        return None, [Note("price_sensitivity_needs_amounts", {"column": column})]
    if ctx.master is not None and "price_sensitivity" in ctx.master.frame.columns:
        raise DataError(
            "the customer master has a column 'price_sensitivity', the name of the price "
            "sensitivity derived from the discounts; leave it out of customers.columns or "
            "rename it"
        )
    thresholds = ctx.params.attributes.price_sensitivity
    return price_sensitivity(ctx.customers["discount_share"], thresholds), []


def _decision_style(ctx: AnalysisContext) -> str | None:
    """Return the master column of the stated decision style, checked; None if not named."""
    style = ctx.params.attributes.decision_style
    if style is None:
        return None
    if ctx.master is None or style not in ctx.master.frame.columns:
        where = (
            f"the customer master (columns: {', '.join(map(str, ctx.master.frame.columns))})"
            if ctx.master is not None
            else "the data: there is no customer master (customers:)"
        )
        raise DataError(
            f"attributes.decision_style names {style!r}, which is not a column of {where}; "
            "fix the name, add it to customers.columns, or leave decision_style out"
        )
    return style
