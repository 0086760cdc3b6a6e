"""Tier migration between two runs: who moved up, down, came in or left."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["CHANGES", "MigrationTable", "migration"]

#: Kinds of movement, per customer.
CHANGES = ("upgrade", "stable", "downgrade", "new", "exited")
NEW, EXITED = "new", "exited"


@dataclasses.dataclass(frozen=True)
class MigrationTable:
    """The movement between two gradings of the same scheme.

    Attributes
    ----------
    matrix : pandas.DataFrame
        Customers by previous tier (rows, plus ``new``) and current tier (columns, plus
        ``exited``). Row sums are the previous tier counts (``new``: customers graded now
        but not then); column sums the current ones (``exited``: graded then, not now).
    counts : dict
        Customers per kind of movement (:data:`CHANGES`).
    rates : dict
        ``upgrade``, ``stable`` and ``downgrade`` as shares of the customers graded in both
        runs.
    changes : pandas.DataFrame
        Per customer of either run: ``previous_grade``, ``current_grade`` and ``grade_change``.
    """

    matrix: pd.DataFrame
    counts: dict[str, int]
    rates: dict[str, float]
    changes: pd.DataFrame


def migration(previous: pd.Series, current: pd.Series, levels: Sequence[str]) -> MigrationTable:
    """Compare two gradings of the same scheme.

    Parameters
    ----------
    previous, current : pandas.Series
        Tier per customer id in each run (missing: not graded, e.g. a prospect).
    levels : sequence of str
        The scheme's levels, best first (a move towards the front is an upgrade).

    Returns
    -------
    MigrationTable
        Matrix, counts, rates and the per-customer changes.

    Raises
    ------
    ValueError
        If a tier is not one of ``levels``.
    """
    levels = [str(x) for x in levels]
    before = previous.dropna().astype(str)
    after = current.dropna().astype(str)
    unknown = sorted((set(before) | set(after)) - set(levels))
    if unknown:
        raise ValueError(f"tier {unknown[0]!r} is not a level of the scheme ({', '.join(levels)})")
    ids = before.index.union(after.index)
    was = before.reindex(ids).fillna(NEW)
    now = after.reindex(ids).fillna(EXITED)
    rank = {level: i for i, level in enumerate(levels)}
    was_rank = was.map(rank).to_numpy(dtype="float64")
    now_rank = now.map(rank).to_numpy(dtype="float64")
    change = np.select(
        [
            was.eq(NEW).to_numpy(),
            now.eq(EXITED).to_numpy(),
            now_rank < was_rank,
            now_rank > was_rank,
        ],
        [NEW, EXITED, "upgrade", "downgrade"],
        default="stable",
    )
    rows = pd.Categorical(was, categories=[*levels, NEW])
    columns = pd.Categorical(now, categories=[*levels, EXITED])
    matrix = pd.crosstab(rows, columns, dropna=False).rename_axis(index="previous", columns=None)
    matrix.index = pd.Index([str(i) for i in matrix.index], name="previous")
    matrix.columns = [str(c) for c in matrix.columns]
    counts = {kind: int((change == kind).sum()) for kind in CHANGES}
    both = counts["upgrade"] + counts["stable"] + counts["downgrade"]
    rates = {
        k: counts[k] / both if both else float("nan") for k in ("upgrade", "stable", "downgrade")
    }
    changes = pd.DataFrame(
        {
            "previous_grade": before.reindex(ids),
            "current_grade": after.reindex(ids),
            "grade_change": pd.Categorical(change, categories=CHANGES),
        },
        index=ids,
    )
    changes.index.name = previous.index.name or "customer_id"
    return MigrationTable(matrix, counts, rates, changes)
