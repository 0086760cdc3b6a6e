"""The migration section: this run's tiers against an earlier run's (saved or recomputed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CustAnalyticsError
from ..migration import migration
from ..params import AS_OF_PLACEHOLDER, RunParams
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = ["MigrationRecord", "migration_section"]

#: Movers listed per direction in the report.
MOVERS_LISTED = 15
#: Parameters that may differ between two runs that are still comparable.
RUN_SPECIFIC = (
    "title",
    "lang",
    "output_dir",
    "as_of",
    "migration",
    "exports",
    "currency",
    "mask_key",
)


@record
@dataclasses.dataclass(frozen=True)
class MigrationRecord:
    """How customers moved between the tiers of the primary scheme since an earlier run.

    Attributes
    ----------
    previous_as_of : datetime.date
        As-of date of the run compared with.
    source : str
        ``saved`` (a saved result) or ``recomputed`` (the same log graded at that date).
    scheme : str
        The primary grading scheme (the same in both runs).
    levels : list of str
        Its levels, best first.
    matrix : pandas.DataFrame
        Previous tier (rows, plus ``new``) by current tier (columns, plus ``exited``).
    counts : dict
        Customers per movement: upgrade, stable, downgrade, new, exited.
    rates : dict
        Upgrade, stable and downgrade shares of the customers graded in both runs.
    revenue_moved : dict
        Revenue to date of the customers who moved up (``upgrade``) and down (``downgrade``).
    movers : pandas.DataFrame
        The biggest movers each way: ``grade_change``, ``previous_grade``, ``current_grade``,
        revenue and orders then and now (what changed).
    notes : list of Note
        E.g. parameters that differ between the runs.
    """

    previous_as_of: dt.date
    source: str
    scheme: str
    levels: list[str]
    matrix: pd.DataFrame
    counts: dict[str, int]
    rates: dict[str, float]
    revenue_moved: dict[str, float]
    movers: pd.DataFrame
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "migration_previous_as_of": self.previous_as_of,
            "migration_counts": self.counts,
            "migration_rates": self.rates,
        }


def migration_section(ctx: AnalysisContext) -> SectionOutput:
    """Compare the primary scheme's tiers with the previous run's.

    The previous run is ``migration.previous``, else the saved result in ``output_dir``
    (when earlier than this run), else the same log graded ``migration.compare_to`` earlier.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the grades section).

    Returns
    -------
    SectionOutput
        A :class:`MigrationRecord` and the columns ``previous_grade`` and ``grade_change``;
        ``Unavailable`` without tiers, without an earlier run, or when the scheme changed.
    """
    grades = ctx.records.get("grades")
    if grades is None or isinstance(grades, Unavailable):
        return SectionOutput(Unavailable("needs_grades"))
    try:
        previous, source = _previous_result(ctx)
    except CustAnalyticsError as exc:
        return SectionOutput(Unavailable("previous_unreadable", {"error": str(exc)}))
    if previous is None:
        return SectionOutput(Unavailable("no_previous_run"))
    before = previous.sections.get("grades")
    if before is None or isinstance(before, Unavailable):
        return SectionOutput(Unavailable("previous_without_grades"))
    now_scheme = next(s for s in grades.schemes if s.name == grades.primary)
    then_scheme = next(s for s in before.schemes if s.name == before.primary)
    levels = list(now_scheme.levels.index)
    if then_scheme.name != now_scheme.name or list(then_scheme.levels.index) != levels:
        detail = {"previous": then_scheme.name, "current": now_scheme.name}
        return SectionOutput(Unavailable("scheme_changed", detail))
    # a recomputed run differs only in what it leaves out (segments, policies, the holdout)
    notes = (
        []
        if source == "recomputed"
        else _parameter_notes(previous.meta.parameters, ctx.params.to_dict())
    )
    table = migration(previous.customers["grade"], ctx.customers["grade"], levels)
    movers = _movers(table.changes, previous.customers, ctx.customers)
    current = ctx.customers["revenue"].reindex(table.changes.index)
    moved = {
        kind: float(current[table.changes["grade_change"] == kind].sum())
        for kind in ("upgrade", "downgrade")
    }
    record_ = MigrationRecord(
        previous_as_of=previous.meta.as_of,
        source=source,
        scheme=now_scheme.name,
        levels=levels,
        matrix=table.matrix,
        counts=table.counts,
        rates=table.rates,
        revenue_moved=moved,
        movers=movers,
        notes=notes,
    )
    columns = table.changes[["previous_grade", "grade_change"]].reindex(ctx.customers.index)
    return SectionOutput(record_, columns)


def _previous_result(ctx: AnalysisContext):
    from ._analyse import analyse  # the earlier run is a run of its own
    from ._result import TieringResult

    settings = ctx.params.migration
    if settings.previous is not None:
        return TieringResult.load(settings.previous), "saved"
    for saved in _earlier_runs(ctx.params):
        try:
            earlier = TieringResult.load(saved)
        except CustAnalyticsError:  # saved by another version: compare as if there were none
            continue
        if earlier.meta.as_of < ctx.as_of:
            return earlier, "saved"
    if settings.compare_to is None:
        return None, None
    as_of = settings.earlier_as_of(ctx.as_of)
    first = ctx.customers["first_purchase"].min()
    if pd.isna(first) or as_of <= first.date():
        return None, None
    clv = ctx.records.get("clv")
    model = getattr(clv, "model", ctx.params.clv.model)  # the model chosen now, no re-choice
    params = dataclasses.replace(
        ctx.params,
        as_of=as_of,
        migration=dataclasses.replace(settings, enabled=False),
        clv=dataclasses.replace(ctx.params.clv, model=model, holdout_days=0, compare_models=False),
        segments=dataclasses.replace(ctx.params.segments, enabled=False),
        policies=dataclasses.replace(ctx.params.policies, enabled=False),
        interactions=None,
    )  # the earlier run only needs its tiers
    return analyse(params), "recomputed"


def _earlier_runs(params: RunParams) -> list[Path]:
    """Return the saved results this report left before, newest first.

    Without ``{as_of}`` in ``output_dir``: the one in the run's folder. With it: those of the
    sibling folders whose name is an as-of date before this run's.
    """
    if AS_OF_PLACEHOLDER not in params.output_dir:
        saved = params.run_dir / "result"
        return [saved] if (saved / "result.json").is_file() else []
    pattern = "*".join(glob.escape(p) for p in params.output_dir.split(AS_OF_PLACEHOLDER))
    runs = []
    for folder in map(Path, glob.glob(pattern)):
        as_of = _iso_date(folder.name)
        if as_of is not None and as_of < params.as_of and (folder / "result/result.json").is_file():
            runs.append((as_of, folder / "result"))
    return [path for _, path in sorted(runs, reverse=True)]


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _parameter_notes(previous: dict, current: dict) -> list[Note]:
    changed = sorted(
        k
        for k in set(previous) | set(current)
        if k not in RUN_SPECIFIC and previous.get(k) != current.get(k)
    )
    return [Note("migration_parameters_changed", {"keys": ", ".join(changed)})] if changed else []


def _movers(changes: pd.DataFrame, before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Return the customers who moved most: the highest revenue among upgrades, downgrades."""
    moved = changes[changes["grade_change"].isin(["upgrade", "downgrade"])].copy()
    moved["revenue_before"] = before["revenue"].reindex(moved.index)
    moved["revenue_now"] = now["revenue"].reindex(moved.index)
    moved["orders_before"] = before["orders"].reindex(moved.index)
    moved["orders_now"] = now["orders"].reindex(moved.index)
    parts = []
    for kind, value in (("upgrade", "revenue_now"), ("downgrade", "revenue_before")):
        part = moved[moved["grade_change"] == kind]
        parts.append(part.sort_values(value, ascending=False, kind="stable").head(MOVERS_LISTED))
    out = pd.concat(parts)
    out["grade_change"] = out["grade_change"].astype(str)
    return out
