"""What the sections of one run share: the data, the per-customer table, and caches.

Every summary and every fitted model is computed once per run and reused by the sections
that need it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pandas as pd

from ..cycles import purchase_cycles
from ..data import Customers, InteractionCoverage, Interactions, JoinCoverage, Transactions
from ..errors import ModelFitError
from ..params import RunParams
from ..summary import TIME_UNITS, purchase_days, summarize

__all__ = ["AnalysisContext", "SectionOutput"]

#: Summary columns whose values are durations in the summary's time unit.
DURATION_COLUMNS = ("recency", "T", "duration_holdout")
#: Columns of the per-customer summary that the BTYD models read.
SUMMARY_COLUMNS = (
    "first_purchase",
    "last_purchase",
    "orders",
    "revenue",
    "avg_order_value",
    "frequency",
    "recency",
    "T",
    "monetary_value",
)


@dataclasses.dataclass(frozen=True)
class SectionOutput:
    """What a section returns.

    Attributes
    ----------
    record : object
        The section's record (a registered dataclass) or an ``Unavailable``.
    columns : pandas.DataFrame, optional
        Per-customer columns the section adds, indexed by ``customer_id``.
    """

    record: Any
    columns: pd.DataFrame | None = None


@dataclasses.dataclass
class AnalysisContext:
    """The state of a run while its sections execute, in order.

    Attributes
    ----------
    params : RunParams
        Validated run parameters.
    transactions : Transactions
        The cleaned transactions.
    master : Customers or None
        The customer master, if one was given.
    customers : pandas.DataFrame
        The per-customer table so far (day-resolution summary, master attributes, and the
        columns of the sections that already ran).
    coverage : JoinCoverage or None
        How the master joined the transactions.
    interactions : Interactions or None
        The cleaned interactions table, if one was given.
    interaction_coverage : InteractionCoverage or None
        How the interactions joined the known customers.
    records : dict
        Section name → record of the sections that already ran.
    """

    params: RunParams
    transactions: Transactions
    master: Customers | None
    customers: pd.DataFrame
    coverage: JoinCoverage | None = None
    interactions: Interactions | None = None
    interaction_coverage: InteractionCoverage | None = None
    records: dict[str, Any] = dataclasses.field(default_factory=dict)
    _summaries: dict[tuple, pd.DataFrame] = dataclasses.field(default_factory=dict, repr=False)
    _models: dict[tuple, Any] = dataclasses.field(default_factory=dict, repr=False)

    @property
    def as_of(self) -> dt.date:
        """The run's observation end."""
        return self.params.as_of

    def buyer_summary(self, time_unit: str) -> pd.DataFrame:
        """Return the buyers' summary with durations in ``time_unit``.

        Derived from the day-resolution table (whole days divided by the unit's length, as
        :func:`custanalytics.summarize` does), so the engine is not asked again.

        Parameters
        ----------
        time_unit : {"D", "W", "M", "Y"}
            Unit of ``recency`` and ``T``.

        Returns
        -------
        pandas.DataFrame
            The summary columns of the customers with a purchase.
        """
        key = ("full", time_unit)
        if key not in self._summaries:
            daily = self.customers.loc[self.customers["orders"] > 0, list(SUMMARY_COLUMNS)]
            self._summaries[key] = _in_unit(daily, time_unit, self.as_of, None)
        return self._summaries[key]

    def calibration_summary(self, time_unit: str, calibration_end: dt.date) -> pd.DataFrame:
        """Return the calibration-period summary with holdout columns (computed once).

        Parameters
        ----------
        time_unit : {"D", "W", "M", "Y"}
            Unit of the durations.
        calibration_end : datetime.date
            Last day of the calibration period.

        Returns
        -------
        pandas.DataFrame
            Output of :func:`custanalytics.summarize` with ``calibration_end``.
        """
        key = ("calibration", calibration_end)
        if key not in self._summaries:
            self._summaries[key] = summarize(
                self.transactions, as_of=self.as_of, time_unit="D", calibration_end=calibration_end
            )
        daily = self._summaries[key]
        unit_key = ("calibration", calibration_end, time_unit)
        if unit_key not in self._summaries:
            self._summaries[unit_key] = _in_unit(daily, time_unit, self.as_of, calibration_end)
        return self._summaries[unit_key]

    def purchase_model(
        self,
        name: str,
        period: str,
        time_unit: str,
        calibration_end: dt.date | None = None,
        penalizer: float | None = None,
        penalty: str = "l2",
    ) -> Any:
        """Return a purchase model fitted once per run on the whole window or the calibration.

        Parameters
        ----------
        name : {"bg_nbd", "pareto_nbd", "mbg_nbd"}
            Model code.
        period : {"full", "calibration"}
            Which summary it is fitted on.
        time_unit : {"D", "W"}
            Unit of the summary.
        calibration_end : datetime.date, optional
            End of the calibration period (``period="calibration"``).
        penalizer : float, optional
            Penalty weight; the ``clv.penalizer`` parameter by default.
        penalty : {"l2", "log"}
            Penalty form.

        Returns
        -------
        fitted model

        Raises
        ------
        ModelFitError
            If the data cannot support the model (raised again on every request).
        """
        from ..clv import PURCHASE_MODELS  # scipy sets warning filters on import: load late

        if penalizer is None:
            penalizer = self.params.clv.penalizer
        key = (name, period, time_unit, calibration_end, penalizer, penalty)
        if key not in self._models:
            data = (
                self.buyer_summary(time_unit)
                if period == "full"
                else self.calibration_summary(time_unit, calibration_end)
            )
            try:
                model = PURCHASE_MODELS[name](penalizer=penalizer, penalty=penalty).fit(data)
            except ModelFitError as exc:
                model = exc
            self._models[key] = model
        model = self._models[key]
        if isinstance(model, ModelFitError):
            raise model
        return model

    def remember_model(
        self, model: Any, name: str, period: str, time_unit: str, penalizer: float, penalty: str
    ) -> Any:
        """Keep a model fitted elsewhere (``model: auto``) so that later sections reuse it.

        Parameters
        ----------
        model : fitted model
            The model.
        name, period, time_unit, penalizer, penalty
            What it was fitted on and with, as for :meth:`purchase_model`.

        Returns
        -------
        fitted model
            The same model.
        """
        self._models[(name, period, time_unit, None, penalizer, penalty)] = model
        return model

    def purchase_cycles(self, quantile: float) -> pd.DataFrame:
        """Return the customers' gaps between purchase days (computed once per quantile).

        Parameters
        ----------
        quantile : float
            Quantile of each customer's gaps to include.

        Returns
        -------
        pandas.DataFrame
            Output of :func:`custanalytics.cycles.purchase_cycles`.
        """
        key = ("cycles", quantile)
        if key not in self._summaries:
            self._summaries[key] = purchase_cycles(
                None, quantile=quantile, days=self.purchase_days()
            )
        return self._summaries[key]

    def purchase_days(self) -> pd.DataFrame:
        """Return every purchase day with its spend (computed once per run).

        Returns
        -------
        pandas.DataFrame
            Output of :func:`custanalytics.summary.purchase_days`: ``customer_id``, ``day``,
            ``spend``, sorted by customer and day.
        """
        key = ("purchase_days",)
        if key not in self._summaries:
            self._summaries[key] = purchase_days(self.transactions)
        return self._summaries[key]

    def add_columns(self, columns: pd.DataFrame) -> None:
        """Join a section's per-customer columns into the customers table.

        Parameters
        ----------
        columns : pandas.DataFrame
            Indexed by ``customer_id`` (a subset of the customers); new column names only.
        """
        clash = [c for c in columns.columns if c in self.customers.columns]
        if clash:
            raise ValueError(f"section columns already exist in the customers table: {clash}")
        self.customers = self.customers.join(columns, how="left")


def _in_unit(
    daily: pd.DataFrame, time_unit: str, as_of: dt.date, calibration_end: dt.date | None
) -> pd.DataFrame:
    """Express a day-resolution summary's durations in ``time_unit``."""
    out = daily.copy()
    days = TIME_UNITS[time_unit]
    for column in DURATION_COLUMNS:
        if column in out.columns and days != 1.0:
            out[column] = out[column] / days
    out.attrs.update(
        as_of=as_of.isoformat(),
        time_unit=time_unit,
        calibration_end=None if calibration_end is None else calibration_end.isoformat(),
    )
    return out
