"""The data-quality record: rows read, rows kept, and every exclusion or correction."""

from __future__ import annotations

import dataclasses

import pandas as pd

__all__ = ["DataQuality", "QualityStep"]


@dataclasses.dataclass(frozen=True)
class QualityStep:
    """One exclusion or correction applied while cleaning.

    Attributes
    ----------
    check : str
        Stable machine name of the check (e.g. ``"duplicate_rows"``); i18n keys use it.
    rows : int
        Number of input rows affected.
    action : str
        What was done: ``"dropped"``, ``"corrected"`` or ``"kept"``.
    detail : str
        Human-readable explanation, with an example value where useful.
    """

    check: str
    rows: int
    action: str
    detail: str = ""


@dataclasses.dataclass
class DataQuality:
    """Counts of what loading and cleaning did to the input.

    Attributes
    ----------
    source : str
        Description of where the rows came from.
    rows_read : int
        Rows in the source.
    steps : list of QualityStep
        Exclusions and corrections in the order they were applied.
    """

    source: str
    rows_read: int
    steps: list[QualityStep] = dataclasses.field(default_factory=list)

    @property
    def rows_excluded(self) -> int:
        """Rows removed by all steps together."""
        return sum(s.rows for s in self.steps if s.action == "dropped")

    @property
    def rows_kept(self) -> int:
        """Rows that reach the analysis."""
        return self.rows_read - self.rows_excluded

    def record(self, check: str, rows: int, action: str, detail: str = "") -> None:
        """Append a step if it affected any row.

        Parameters
        ----------
        check : str
            Machine name of the check.
        rows : int
            Number of rows affected; steps with zero rows are not recorded.
        action : str
            ``"dropped"`` (rows removed), ``"corrected"`` (values changed) or ``"kept"``
            (noted, left as they are).
        detail : str
            Explanation with an example value.
        """
        if rows:
            self.steps.append(QualityStep(check, int(rows), action, detail))

    def to_frame(self) -> pd.DataFrame:
        """Return the record as a table: one row per step plus read and kept totals.

        Returns
        -------
        pandas.DataFrame
            Columns ``check``, ``rows``, ``action``, ``detail``.
        """
        rows = [{"check": "rows_read", "rows": self.rows_read, "action": "", "detail": self.source}]
        rows += [dataclasses.asdict(s) for s in self.steps]
        rows.append({"check": "rows_kept", "rows": self.rows_kept, "action": "", "detail": ""})
        return pd.DataFrame(rows, columns=["check", "rows", "action", "detail"])

    def to_dict(self) -> dict:
        """Return a JSON-serialisable dict of the record.

        Returns
        -------
        dict
            ``source``, ``rows_read``, ``rows_kept`` and ``steps``.
        """
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "steps": [dataclasses.asdict(s) for s in self.steps],
        }
