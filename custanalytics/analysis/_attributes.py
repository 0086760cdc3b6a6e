"""The attributes section: master attributes crossed with the customer classes of the run."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..attributes import CLASS_COLUMNS, attribute_tables, default_attribute_columns
from ..errors import DataError
from ._context import AnalysisContext, SectionOutput
from ._records import Unavailable, record

__all__ = ["AttributesRecord", "attribute_columns", "attributes_section"]


@record
@dataclasses.dataclass(frozen=True)
class AttributesRecord:
    """Customers, revenue and class mix per value of each master attribute.

    Attributes
    ----------
    attributes : list of str
        Attribute columns analysed, in report order.
    chosen_by : str
        ``parameters`` (``attributes.columns``) or ``default`` (the master's text columns
        with few distinct values).
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
    """

    attributes: list[str]
    chosen_by: str
    classes: list[str]
    top_classes: dict[str, str]
    class_order: dict[str, list[str]]
    min_customers: int
    groups: pd.DataFrame
    mix: pd.DataFrame

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {"attributes": list(self.attributes), "attribute_classes": list(self.classes)}


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
        An :class:`AttributesRecord` (no per-customer columns).
    """
    if ctx.master is None:
        return SectionOutput(Unavailable("no_customer_master"))
    columns, chosen_by = attribute_columns(ctx)
    if not columns:
        return SectionOutput(Unavailable("no_attribute_columns"))
    settings = ctx.params.attributes
    classes = [c for c in CLASS_COLUMNS if c in ctx.customers.columns]
    tables = attribute_tables(
        ctx.customers,
        columns,
        classes,
        labels=settings.labels,
        min_customers=settings.min_customers,
    )
    record_ = AttributesRecord(
        attributes=columns,
        chosen_by=chosen_by,
        classes=list(tables.top_classes),
        top_classes=tables.top_classes,
        class_order=tables.class_order,
        min_customers=settings.min_customers,
        groups=tables.groups,
        mix=tables.mix,
    )
    return SectionOutput(record_)
