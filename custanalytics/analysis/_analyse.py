"""``analyse(params)``: load, summarise, and run the sections in their fixed order."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..data import (
    interaction_coverage,
    join_coverage,
    load_customers,
    load_interactions,
    load_transactions,
    pseudonymise,
)
from ..errors import DataError, ModelFitError
from ..params import RunParams, load_params
from ..summary import summarize
from ._attributes import attributes_section
from ._clv import clv_section
from ._cohorts import cohorts_section
from ._comparison import model_comparison_section
from ._context import AnalysisContext, SectionOutput
from ._lifecycle import lifecycle_section
from ._migration import migration_section
from ._overview import data_quality_section, headline_section
from ._policy import policy_section
from ._profiles import profiles_section
from ._prospects import prospects_section
from ._records import Note, Unavailable
from ._result import RunMetadata, TieringResult, package_versions, parameter_hash
from ._segments import segments_section
from ._tiering import grades_section, rfm_section
from ._value import value_matrix_section

__all__ = ["SECTIONS", "analyse"]

logger = logging.getLogger("custanalytics")

Section = Callable[[AnalysisContext], SectionOutput]
Enabled = Callable[[RunParams], bool]


def _always(params: RunParams) -> bool:
    return True


#: The sections of a run, in order: name, function, whether the parameters switch it on.
#: Each reads the per-customer table (and the records of the sections before it).
SECTIONS: tuple[tuple[str, Section, Enabled], ...] = (
    ("data_quality", data_quality_section, _always),
    ("headline", headline_section, _always),
    ("clv", clv_section, _always),
    ("value_matrix", value_matrix_section, _always),
    ("rfm", rfm_section, _always),
    ("grades", grades_section, _always),
    ("lifecycle", lifecycle_section, _always),
    ("migration", migration_section, lambda p: p.migration.enabled),
    ("policies", policy_section, lambda p: p.policies.enabled),
    ("segments", segments_section, lambda p: p.segments.enabled),
    ("attributes", attributes_section, _always),
    ("prospects", prospects_section, _always),
    ("profiles", profiles_section, lambda p: p.profiles.enabled),
    ("cohorts", cohorts_section, _always),
    ("clv_comparison", model_comparison_section, lambda p: p.clv.compare_models),
)


def analyse(params: RunParams | Mapping[str, Any] | str | os.PathLike) -> TieringResult:
    """Run the whole analysis: load, summarise, and compute every section once.

    Parameters
    ----------
    params : RunParams, mapping or path
        Validated parameters, a dict of them, or the path of a YAML parameter file.

    Returns
    -------
    TieringResult
        Run metadata, the per-customer table, and one record per section (``Unavailable``
        with the reason for a section the data cannot support).

    Raises
    ------
    ParameterError
        If the parameters are invalid.
    DataError
        If the data cannot be loaded as mapped (the message names the column and the fix),
        or the customer master and the transactions (or the interactions and both) share
        implausibly few ids.
    """
    if not isinstance(params, RunParams):
        params = load_params(params)
    started = time.perf_counter()
    transactions = load_transactions(**vars(params.transactions), as_of=params.as_of)
    master = load_customers(**vars(params.customers)) if params.customers else None
    interactions = None
    if params.interactions is not None:
        interactions = load_interactions(**vars(params.interactions), as_of=params.as_of)
    notes = []
    if params.mask_ids:
        name = params.customers.name if params.customers else None
        transactions, master, interactions = pseudonymise(
            transactions, master, interactions, name=name, key=params.mask_key
        )
        notes.append(Note("ids_masked" if params.mask_key else "ids_masked_without_key"))
    coverage = join_coverage(transactions, master) if master is not None else None
    contacts_coverage = None
    if interactions is not None:
        contacts_coverage = interaction_coverage(interactions, transactions, master)
    customers = summarize(transactions, as_of=params.as_of, customers=master)
    logger.info("loaded and summarised in %.2f s", time.perf_counter() - started)
    ctx = AnalysisContext(
        params,
        transactions,
        master,
        customers,
        coverage,
        interactions=interactions,
        interaction_coverage=contacts_coverage,
    )
    for name, section, enabled in SECTIONS:
        if not enabled(params):
            continue
        started = time.perf_counter()
        output = _run_section(section, ctx)
        ctx.records[name] = output.record
        if output.columns is not None:
            ctx.add_columns(output.columns)
        logger.info("section %s in %.2f s", name, time.perf_counter() - started)
    headline = ctx.records["headline"].figures
    meta = RunMetadata(
        title=params.title,
        as_of=params.as_of,
        first_date=_date(headline["first_date"]),
        last_date=_date(headline["last_date"]),
        parameters=params.to_dict(),
        parameter_hash=parameter_hash(params),
        versions=package_versions(),
    )
    return TieringResult(
        meta=meta, customers=ctx.customers, sections=dict(ctx.records), notes=notes
    )


def _run_section(section: Section, ctx: AnalysisContext) -> SectionOutput:
    """Run one section; a data problem it did not foresee makes it unavailable, not fatal."""
    try:
        return section(ctx)
    except (DataError, ModelFitError) as exc:
        logger.warning("section %s unavailable: %s", section.__name__, exc)
        return SectionOutput(Unavailable("section_failed", {"error": str(exc)}))


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)
