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
    amount : float or None
        Net amount of the rows affected (dropped, or moved to another date), exact to
        0.0001; None where the amount is not known (no amount column, or amounts that do
        not parse).
    """

    check: str
    rows: int
    action: str
    detail: str = ""
    amount: float | None = None


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
    revenue_read : float or None
        Sum of the amounts of every row read whose amount parses, exact to 0.0001 (None
        without an amount column).
    revenue_kept : float or None
        Sum of the amounts of the rows kept: what the analysis sees as revenue.
    """

    source: str
    rows_read: int
    steps: list[QualityStep] = dataclasses.field(default_factory=list)
    revenue_read: float | None = None
    revenue_kept: float | None = None

    @property
    def rows_excluded(self) -> int:
        """Rows removed by all steps together."""
        return sum(s.rows for s in self.steps if s.action == "dropped")

    @property
    def rows_kept(self) -> int:
        """Rows that reach the analysis."""
        return self.rows_read - self.rows_excluded

    def record(
        self, check: str, rows: int, action: str, detail: str = "", amount: float | None = None
    ) -> None:
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
        amount : float, optional
            Net amount of the rows affected.
        """
        if rows:
            self.steps.append(QualityStep(check, int(rows), action, detail, amount))

    def set_amount(self, check: str, amount: float | None) -> None:
        """Attach the amount to the latest step ``check``, when it is known only later.

        Parameters
        ----------
        check : str
            Machine name of a recorded step; nothing happens if it was not recorded.
        amount : float or None
            Net amount of its rows.
        """
        for i in range(len(self.steps) - 1, -1, -1):
            if self.steps[i].check == check:
                self.steps[i] = dataclasses.replace(self.steps[i], amount=amount)
                return

    def to_frame(self) -> pd.DataFrame:
        """Return the record as a table: one row per step plus read and kept totals.

        Returns
        -------
        pandas.DataFrame
            Columns ``check``, ``rows``, ``amount``, ``action``, ``detail``; the amount of
            the first and last rows is the revenue before and after cleaning.
        """
        first = {"check": "rows_read", "rows": self.rows_read, "amount": self.revenue_read}
        rows = [first | {"action": "", "detail": self.source}]
        rows += [dataclasses.asdict(s) for s in self.steps]
        last = {"check": "rows_kept", "rows": self.rows_kept, "amount": self.revenue_kept}
        rows.append(last | {"action": "", "detail": ""})
        return pd.DataFrame(rows, columns=["check", "rows", "amount", "action", "detail"])

    def to_dict(self) -> dict:
        """Return a JSON-serialisable dict of the record.

        Returns
        -------
        dict
            ``source``, ``rows_read``, ``rows_kept``, ``revenue_read``, ``revenue_kept``
            and ``steps``.
        """
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "revenue_read": self.revenue_read,
            "revenue_kept": self.revenue_kept,
            "steps": [dataclasses.asdict(s) for s in self.steps],
        }
