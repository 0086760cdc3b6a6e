"""Run parameters: a parameter file (YAML) or a papermill dict → a validated, typed object.

The schema is the dataclasses below. Unknown keys and wrong types are errors that name the
key (papermill itself only warns on unknown parameters); dates are parsed.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import difflib
import os
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml

from ._redact import MASK, redact_values
from .attributes import check_price_sensitivity
from .errors import ParameterError
from .rfm import check_rfm_settings

__all__ = [
    "AttributesParams",
    "ClvParams",
    "CohortsParams",
    "CustomersParams",
    "ExportParams",
    "GradeLevelParams",
    "GradeSchemeParams",
    "InteractionsParams",
    "LifecycleParams",
    "MigrationParams",
    "PolicyParams",
    "RfmParams",
    "ProspectsParams",
    "RunParams",
    "TierPolicy",
    "SegmentsParams",
    "TransactionsParams",
    "grade_scheme_params",
    "load_params",
]

RfmMetric = Literal["recency", "frequency", "monetary"]
#: Features of a composite grading score (``frequency`` is ``orders``, ``recency`` days since
#: the last purchase, reversed; ``clv`` is used when the table has a ``clv`` column).
ScoreFeature = Literal["revenue", "frequency", "recency", "avg_order_value", "clv"]
GradeMethod = Literal["revenue_share", "customer_share", "score"]
#: Names of the preset grading schemes of :mod:`custanalytics.tiers`.
GradePreset = Literal["three_tier", "abc", "pyramid", "sabc", "ten_level"]


@dataclasses.dataclass(frozen=True)
class TransactionsParams:
    """Where the transaction log comes from and how its columns are named.

    Attributes
    ----------
    source : str
        A bundled demo name (``cdnow``, ``cdnow_sample``), a file path (CSV, Excel, Parquet),
        a folder or glob of CSV or Parquet files (``data/orders/*.csv``), or a SQL connection
        URL (``duckdb:///file.db``, ``sqlite:///file.db``, ``postgres://…``).
    customer, date : str
        Column names of the customer id and the purchase timestamp in the source.
    amount : str or None
        Column name of the amount; ``null`` for a purchase log without amounts (counts
        only; the monetary sections are unavailable).
    price : str, optional
        Column name of the unit price of a line-item log (set ``amount: null``): the amount
        is price × quantity.
    order, quantity : str, optional
        Column names of the order id and the quantity, if the source has them.
    discount : str, optional
        Column of the discount on the row; the customers then get ``discount_share`` (share
        of their net spend bought on discount) and the attributes section a price
        sensitivity.
    discount_kind : {"amount", "rate", "percent", "flag"}, optional
        How ``discount`` is written, required with it: ``amount`` money off the row (on
        discount when not 0); ``rate`` the share off, 0-1, ``"10%"`` or ``"9折"``;
        ``percent`` plain numbers are percentages (10 = 10 % off); ``flag`` 是/否, 有/无, Y/N,
        yes/no, true/false, 1/0. Values that are not discounts follow ``invalid_amounts``.
    table, query : str, optional
        For a SQL source: the table to read, or a query whose result is read.
    sheet : str or int, optional
        For an Excel source: the sheet name or 0-based position (default: the first sheet).
    header_row : int, optional
        For a CSV or Excel source with title rows above the header: the header's 1-based
        row number, as Excel numbers rows (detected in Excel sheets if omitted).
    encoding : str, optional
        For a CSV source: the text encoding; detected (UTF-8, UTF-8 with BOM, GB18030) if omitted.
    sep : str, optional
        For a CSV source: the separator; detected (``,``, ``;``, tab, ``|``) if omitted.
    date_format : str, optional
        Explicit format of text dates, e.g. ``"%d.%m.%Y %H:%M"``.
    dayfirst : bool, optional
        Whether ``05/03/2024`` is 5 March (true) or 3 May (false); decided once for the
        column from the values if omitted, an error when both orders fit.
    decimal : {".", ","}
        Decimal mark of amounts written as text (``","`` for ``230,30`` or ``1.234,50``).
    returns : {"net", "drop", "keep"}
        What to do with negative amounts (returns): net them against the customer's purchases
        on the same day, drop them, or keep them as they are.
    duplicates : {"drop", "keep"}
        Whether exact duplicate rows are dropped (default) or kept as separate purchases.
    invalid_dates, invalid_amounts : {"error", "drop"}
        Whether dates (amounts) that do not parse stop the run (default) or are dropped and
        counted.
    start : datetime.date, optional
        Rows before this date are excluded and counted.
    """

    source: str
    customer: str = "customer_id"
    date: str = "date"
    amount: str | None = "amount"
    price: str | None = None
    order: str | None = None
    quantity: str | None = None
    discount: str | None = None
    discount_kind: Literal["amount", "rate", "percent", "flag"] | None = None
    table: str | None = None
    query: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    sep: str | None = None
    date_format: str | None = None
    dayfirst: Literal[True, False] | None = None
    decimal: Literal[".", ","] = "."
    returns: Literal["net", "drop", "keep"] = "net"
    duplicates: Literal["drop", "keep"] = "drop"
    invalid_dates: Literal["error", "drop"] = "error"
    invalid_amounts: Literal["error", "drop"] = "error"
    start: dt.date | None = None

    def __post_init__(self):
        """Check that a discount column comes with its kind."""
        _check(
            (self.discount is None) == (self.discount_kind is None),
            "transactions.discount_kind",
            "must be given with transactions.discount, and only with it (amount: money off "
            "the row | rate: 0.1, 10% or 9折 | percent: 10 = 10 % | flag: 是/否, Y/N, 1/0)",
            self.discount_kind,
        )


@dataclasses.dataclass(frozen=True)
class CustomersParams:
    """The optional customer master: one row per customer, prospects included.

    Attributes
    ----------
    source : str
        A bundled demo name (``b2b_demo_customers``), a file path or a SQL connection URL.
    customer : str
        Column of the customer id (the same ids as in the transactions).
    name : str, optional
        Column of the customer's name: shown beside the id in the report's lists and
        profile cards, and masked with the ids under ``mask_ids``.
    columns : list of str, optional
        Attribute columns to keep (type, industry, region, owner …); all by default.
    table, query, sheet, header_row, encoding, sep : optional
        As for the transactions.
    """

    source: str
    customer: str = "customer_id"
    name: str | None = None
    columns: list[str] | None = None
    table: str | None = None
    query: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    sep: str | None = None


@dataclasses.dataclass(frozen=True)
class InteractionsParams:
    """The optional interactions table: visits, calls and messages, one row per contact.

    Attributes
    ----------
    source : str
        A bundled demo name (``b2b_demo_interactions``), a file path (CSV, Excel, Parquet), a
        folder or glob of files, or a SQL connection URL.
    customer, date : str
        Columns of the customer id (the ids of the transactions and the master) and of the
        contact's date or timestamp.
    owner : str, optional
        Column of who made the contact; the owners' compliance table then also counts the
        contacts each owner logged.
    type : str, optional
        Column of the kind of contact (visit, call, e-mail …); ``policies.contact_types``
        may restrict which kinds count as a contact.
    table, query, sheet, header_row, encoding, sep, date_format, dayfirst : optional
        As for the transactions.
    duplicates : {"drop", "keep"}
        Whether exact duplicate rows are dropped (default) or kept as separate contacts.
    invalid_dates : {"error", "drop"}
        Whether dates that do not parse stop the run (default) or are dropped and counted.
    """

    source: str
    customer: str = "customer_id"
    date: str = "date"
    owner: str | None = None
    type: str | None = None
    table: str | None = None
    query: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    sep: str | None = None
    date_format: str | None = None
    dayfirst: Literal[True, False] | None = None
    duplicates: Literal["drop", "keep"] = "drop"
    invalid_dates: Literal["error", "drop"] = "error"


@dataclasses.dataclass(frozen=True)
class ClvParams:
    """Settings of the customer-lifetime-value section.

    Attributes
    ----------
    model : {"auto", "bg_nbd", "pareto_nbd", "mbg_nbd"}
        Purchase model. ``"auto"`` (the default) fits all three, rejects fits the data
        cannot identify (estimates at a boundary, flat likelihood) and keeps the one with the
        lowest holdout error (or, without a holdout, the lowest BIC); when none is identified
        it chooses a penalizer on the data (see
        :func:`custanalytics.clv.select_purchase_model`). Spend comes from the Gamma-Gamma
        model, or each customer's observed average when Gamma-Gamma cannot be used.
    time_unit : {"D", "W"}
        Unit the models are fitted in (weeks as in the CDNOW papers, or days).
    horizon : float
        Length of the CLV horizon, in ``horizon_unit``.
    horizon_unit : {"D", "W", "M", "Y"}
        Unit of ``horizon``.
    discount_rate : float
        Annual discount rate (0.10 = 10 % a year).
    holdout_days : int, optional
        Length of the holdout period for the model check; by default a third of the data
        window, at most 365 days, and no check when the window is shorter than 90 days.
        0 switches the check off.
    penalizer : float
        L2 penalty on the model parameters (0 = maximum likelihood).
    compare_models : bool
        Also check every purchase model on the holdout and fit each on the whole window
        (the ``clv_deep_dive`` report turns it on).
    """

    model: Literal["auto", "bg_nbd", "pareto_nbd", "mbg_nbd"] = "auto"
    time_unit: Literal["D", "W"] = "W"
    horizon: float = 12.0
    horizon_unit: Literal["D", "W", "M", "Y"] = "M"
    discount_rate: float = 0.10
    holdout_days: int | None = None
    penalizer: float = 0.0
    compare_models: bool = False


@dataclasses.dataclass(frozen=True)
class LifecycleParams:
    """The lifecycle rule and its thresholds (see :mod:`custanalytics.lifecycle`).

    Attributes
    ----------
    rule : {"own_cycle", "population", "fixed", "p_alive"}
        Which thresholds decide at risk and churned: the customer's own purchase cycle
        (default), the population's, fixed days, or the CLV model's P(alive).
    new_days : int
        A first purchase at most this many days before as-of makes a customer new.
    at_risk_days, churned_days : int
        The ``fixed`` rule: days since the latest purchase beyond which a customer is at
        risk / churned.
    at_risk_factor : float
        ``own_cycle``: at risk beyond this many times the customer's median gap.
    churned_quantile : float
        ``own_cycle``: churned beyond this quantile of the customer's gaps ...
    churned_factor : float
        ... and beyond at least this many times their median gap (so churn follows at risk).
    population_sd : list of float
        ``population`` (and the fallback for one-time buyers): at risk / churned beyond the
        mean gap plus this many standard deviations.
    p_alive : list of float
        ``p_alive``: at risk below the first, churned below the second probability.
    regular_min_orders, regular_min_tenure_days : int
        A regular buyer has at least this many purchase days and this long a tenure ...
    regular_max_cv : float
        ... and gaps whose coefficient of variation (SD / mean) is at most this.
    """

    rule: Literal["own_cycle", "population", "fixed", "p_alive"] = "own_cycle"
    new_days: int = 90
    at_risk_days: int = 180
    churned_days: int = 365
    at_risk_factor: float = 1.5
    churned_quantile: float = 0.9
    churned_factor: float = 3.0
    population_sd: list[float] = dataclasses.field(default_factory=lambda: [1.0, 2.0])
    p_alive: list[float] = dataclasses.field(default_factory=lambda: [0.5, 0.2])
    regular_min_orders: int = 4
    regular_min_tenure_days: int = 365
    regular_max_cv: float = 1.0

    def __post_init__(self):
        """Check that the thresholds are ordered (at risk before churned)."""
        _check(self.new_days >= 0, "lifecycle.new_days", "must be 0 or more days", self.new_days)
        _check(
            0 < self.at_risk_days < self.churned_days,
            "lifecycle.at_risk_days",
            f"must be positive and less than lifecycle.churned_days ({self.churned_days})",
            self.at_risk_days,
        )
        _check(
            self.at_risk_factor > 0,
            "lifecycle.at_risk_factor",
            "must be positive",
            self.at_risk_factor,
        )
        _check(
            self.churned_factor > self.at_risk_factor,
            "lifecycle.churned_factor",
            f"must be larger than lifecycle.at_risk_factor ({self.at_risk_factor})",
            self.churned_factor,
        )
        _check(
            0 < self.churned_quantile <= 1,
            "lifecycle.churned_quantile",
            "must be in (0, 1], e.g. 0.9",
            self.churned_quantile,
        )
        sd = self.population_sd
        _check(
            len(sd) == 2 and 0 <= sd[0] < sd[1],
            "lifecycle.population_sd",
            "must be two increasing numbers of standard deviations, e.g. [1, 2]",
            sd,
        )
        p = self.p_alive
        _check(
            len(p) == 2 and 1 > p[0] > p[1] > 0,
            "lifecycle.p_alive",
            "must be two decreasing probabilities, at risk then churned, e.g. [0.5, 0.2]",
            p,
        )


@dataclasses.dataclass(frozen=True)
class SegmentsParams:
    """Settings of the behavioural-segments section (see :mod:`custanalytics.segment`).

    Attributes
    ----------
    enabled : bool
        Whether the section runs.
    k : int, optional
        Fixed number of segments; by default chosen in ``k_range``.
    k_range : list of int
        Smallest and largest number of segments tried, e.g. ``[3, 8]``.
    model : {"kmeans", "gmm"}
        k-means (mini-batch above ``minibatch_above`` customers, k by silhouette) or a
        Gaussian mixture (k by BIC).
    features : list of str, optional
        Features (``days_since_purchase``, ``orders``, ``frequency``, ``revenue``,
        ``avg_order_value``, ``monetary_value``, ``tenure_days``, ``clv``, ``p_alive``,
        ``expected_purchases``); by default recency, orders, revenue, average order value
        and tenure, plus CLV and P(alive) when the CLV section ran.
    attributes : list of str
        Customer-master columns added as features (categorical ones one-hot encoded).
    transform : {"log", "quantile"}
        Heavy-tail treatment before scaling.
    sample_size : int
        Customers sampled to choose k (and check stability).
    minibatch_above : int
        More buyers than this: mini-batch k-means.
    stability_refits : int
        Refits for the stability check (0 = none).
    stability_warning : float
        A note warns when the mean adjusted Rand index of the refits is below this.
    crosstabs : list of str, optional
        Categorical columns of the customer table to cross-tabulate with the segments;
        by default those of ``value_cell``, ``lifecycle_stage``, ``grade``, ``rfm_segment``
        the table has.
    previous_result : str, optional
        Folder of a saved result (``TieringResult.save``) whose segments keep their names.
    random_state : int
        Seed of every random choice.
    """

    enabled: bool = True
    k: int | None = None
    k_range: list[int] = dataclasses.field(default_factory=lambda: [3, 8])
    model: Literal["kmeans", "gmm"] = "kmeans"
    features: list[str] | None = None
    attributes: list[str] = dataclasses.field(default_factory=list)
    transform: Literal["log", "quantile"] = "log"
    sample_size: int = 10_000
    minibatch_above: int = 100_000
    stability_refits: int = 5
    stability_warning: float = 0.75
    crosstabs: list[str] | None = None
    previous_result: str | None = None
    random_state: int = 0

    def __post_init__(self):
        """Check the numbers of segments and the sample sizes."""
        if self.k is not None:
            _check(
                self.k >= 2,
                "segments.k",
                "must be at least 2 (or left out to choose k in segments.k_range)",
                self.k,
            )
        kr = self.k_range
        _check(
            len(kr) == 2 and 2 <= kr[0] <= kr[1] <= 30,
            "segments.k_range",
            "must be two whole numbers [smallest, largest] with 2 <= smallest <= largest <= 30, "
            "e.g. [3, 8]",
            kr,
        )
        _check(
            self.sample_size >= 100,
            "segments.sample_size",
            "must be at least 100 customers",
            self.sample_size,
        )
        _check(
            self.minibatch_above >= 1,
            "segments.minibatch_above",
            "must be a positive number of customers",
            self.minibatch_above,
        )
        _check(
            self.stability_refits >= 0,
            "segments.stability_refits",
            "must be 0 or more",
            self.stability_refits,
        )
        _check(
            0 <= self.stability_warning <= 1,
            "segments.stability_warning",
            "must be an adjusted Rand index between 0 and 1, e.g. 0.75",
            self.stability_warning,
        )


@dataclasses.dataclass(frozen=True)
class CohortsParams:
    """Settings of the cohort-retention section (see :mod:`custanalytics.cohorts`).

    Attributes
    ----------
    min_customers : int
        Cohorts (first-purchase months) with fewer customers are marked as small.
    max_months : int
        Months since the first purchase shown (0 .. max_months).
    """

    min_customers: int = 20
    max_months: int = 24

    def __post_init__(self):
        """Check the counts."""
        _check(
            self.min_customers >= 1,
            "cohorts.min_customers",
            "must be 1 or more",
            self.min_customers,
        )
        _check(self.max_months >= 1, "cohorts.max_months", "must be 1 or more", self.max_months)


@dataclasses.dataclass(frozen=True)
class AttributesParams:
    """Which customer-master columns are cross-tabulated (see :mod:`custanalytics.attributes`).

    Attributes
    ----------
    columns : list of str, optional
        Categorical master columns to analyse; by default every text column of the master
        with 2 .. ``max_values`` distinct values.
    labels : dict
        Column → {code: label} for coded values, e.g. ``{vip: {0: no, 1: yes}}``.
    min_customers : int
        Values with fewer customers are pooled into one "other" group.
    max_values : int
        The default choice of columns skips columns with more distinct values than this.
    price_sensitivity : list of float
        With a ``transactions.discount`` column: the two shares of spend bought on discount
        that cut price sensitivity into low (below the first), medium and high (the second
        or more); strictly increasing, in (0, 1).
    decision_style : str, optional
        Customer-master column of the stated decision style (quality- / price- /
        service-oriented), crossed with the price sensitivity.
    """

    columns: list[str] | None = None
    labels: dict[str, dict[str | int, str]] = dataclasses.field(default_factory=dict)
    min_customers: int = 5
    max_values: int = 30
    price_sensitivity: list[float] = dataclasses.field(default_factory=lambda: [0.2, 0.5])
    decision_style: str | None = None

    def __post_init__(self):
        """Check the counts; codes become text (``0:`` in YAML is the number 0)."""
        labels = {str(c): {str(k): v for k, v in m.items()} for c, m in self.labels.items()}
        object.__setattr__(self, "labels", labels)
        _check(
            self.min_customers >= 1,
            "attributes.min_customers",
            "must be 1 or more",
            self.min_customers,
        )
        _check(self.max_values >= 2, "attributes.max_values", "must be 2 or more", self.max_values)
        check_price_sensitivity(self.price_sensitivity, "attributes.price_sensitivity")


@dataclasses.dataclass(frozen=True)
class ProfilesParams:
    """Profile cards of the top tier and of the customers at risk.

    Attributes
    ----------
    enabled : bool
        Show the cards (the exports flag every card's customer in ``profile_reason``).
    top : int
        Top-tier cards in the report, highest CLV (else revenue) first.
    at_risk : int
        At-risk cards in the report, highest CLV (else revenue) first.
    fields : list of str, optional
        Customer-master columns a card shows (needs, pain points, preferences …); by
        default every master column loaded.
    """

    enabled: bool = True
    top: int = 10
    at_risk: int = 10
    fields: list[str] | None = None

    def _validate(self, prefix: str) -> None:
        for key in ("top", "at_risk"):
            value = getattr(self, key)
            _check(0 <= value <= 100, f"{prefix}{key}", "must be between 0 and 100", value)


@dataclasses.dataclass(frozen=True)
class ProspectsParams:
    """How prospects are graded by potential (see :mod:`custanalytics.prospects`).

    Attributes
    ----------
    model : {"ridge", "gradient_boosting"}
        A ridge regression on one-hot attributes, or histogram gradient boosting.
    min_customers : int
        Fewest existing customers with attributes to train on.
    folds : int
        Folds of the cross-validation.
    min_improvement : float
        The model must beat the baseline's cross-validated R² by at least this much.
    grade_shares : list of float
        Shares of prospects graded A and B (highest potential first); the rest are C.
    random_state : int
        Seed of the fold split and the model.
    """

    model: Literal["ridge", "gradient_boosting"] = "ridge"
    min_customers: int = 50
    folds: int = 5
    min_improvement: float = 0.02
    grade_shares: list[float] = dataclasses.field(default_factory=lambda: [0.2, 0.3])
    random_state: int = 0

    def __post_init__(self):
        """Check the counts and shares."""
        _check(
            self.min_customers >= 10,
            "prospects.min_customers",
            "must be 10 or more",
            self.min_customers,
        )
        _check(2 <= self.folds <= 20, "prospects.folds", "must be 2 .. 20", self.folds)
        _check(
            self.min_improvement >= 0,
            "prospects.min_improvement",
            "must be 0 or more",
            self.min_improvement,
        )
        g = self.grade_shares
        _check(
            len(g) == 2 and g[0] > 0 and g[1] > 0 and g[0] + g[1] < 1,
            "prospects.grade_shares",
            "must be two positive shares (A, B) adding up to less than 1, e.g. [0.2, 0.3]",
            g,
        )


#: The placeholder of ``output_dir`` that becomes the run's as-of date.
AS_OF_PLACEHOLDER = "{as_of}"


def _check(ok: bool, key: str, rule: str, value: Any) -> None:
    if not ok:
        raise ParameterError(f"parameter '{key}' {rule}, got {value!r}")


@dataclasses.dataclass(frozen=True)
class TierPolicy:
    """How the customers of one tier are served.

    Attributes
    ----------
    cadence_days : int
        Days between contacts.
    seniority : str, optional
        The least senior owner level allowed to hold these accounts.
    channel : {"visit", "phone", "automated"}
        Personal visit, phone call, or automated e-mail / social message.
    content : str
        What the contact is about: ``project`` (project-level discussions),
        ``relationship`` (relationship maintenance), ``keep_in_touch``, or your own words.
    """

    cadence_days: int
    seniority: str | None = None
    channel: Literal["visit", "phone", "automated"] = "phone"
    content: str = "relationship"

    def __post_init__(self):
        """Check the cadence."""
        _check(self.cadence_days > 0, "cadence_days", "must be a positive number of days",
               self.cadence_days)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class PolicyParams:
    """Service policies per tier of the primary scheme, and the owners who carry them out.

    Attributes
    ----------
    enabled : bool
        Run the policy section.
    owner : str, optional
        Customer-master column of the account owner (workload per owner needs it).
    seniority : str, optional
        Customer-master column of the owner's seniority.
    seniority_order : list of str
        Seniority levels, lowest first (e.g. ``[初级, 中级, 高级]``).
    capacity : dict
        Contacts per month an owner can make, by seniority level (or ``default``, for
        owners whose level has no entry or who have none).
    owner_capacity : dict
        Contacts per month of named owners (values of the ``owner`` column); wins over
        their level's ``capacity``. A separate key, so that a misspelt level in
        ``capacity`` stays an error instead of passing for an owner's name.
    tiers : dict
        Tier level → TierPolicy; levels left out get the preset by position (best: visits
        every 14 days by the most senior; lowest: automated every 90 days; others: phone
        every 30 days).
    worklist_days : int
        The work list holds contacts due within this many days after as-of (and overdue).
    compliance_days : int
        Visit compliance (with an interactions table) covers this many days up to and
        including as-of.
    contact_types : list of str, optional
        Values of the interactions' ``type`` column that count as a contact (for the last
        contact and the compliance); every interaction counts by default.
    """

    enabled: bool = True
    owner: str | None = None
    seniority: str | None = None
    seniority_order: list[str] = dataclasses.field(default_factory=list)
    capacity: dict[str, float] = dataclasses.field(default_factory=dict)
    owner_capacity: dict[str, float] = dataclasses.field(default_factory=dict)
    tiers: dict[str, TierPolicy] = dataclasses.field(default_factory=dict)
    worklist_days: int = 14
    compliance_days: int = 90
    contact_types: list[str] | None = None

    def __post_init__(self):
        """Check that seniorities and capacities refer to known levels; no negative capacity."""
        known = set(self.seniority_order) | {"default"}
        bad = [k for k in self.capacity if k not in known]
        _check(not bad, "policies.capacity", f"keys must be seniority levels of "
               f"policies.seniority_order ({', '.join(self.seniority_order)}) or default",
               bad)  # fmt: skip
        for key, given in (("capacity", self.capacity), ("owner_capacity", self.owner_capacity)):
            bad = {k: v for k, v in given.items() if not v >= 0}
            _check(not bad, f"policies.{key}", "values must be contacts per month, 0 or more",
                   bad)  # fmt: skip
        levels = [p.seniority for p in self.tiers.values() if p.seniority is not None]
        bad = [s for s in levels if s not in self.seniority_order]
        _check(not bad, "policies.tiers.seniority", "must be one of policies.seniority_order",
               bad)  # fmt: skip
        _check(self.worklist_days >= 0, "policies.worklist_days", "must be 0 or more",
               self.worklist_days)  # fmt: skip
        _check(self.compliance_days >= 1, "policies.compliance_days", "must be 1 or more days",
               self.compliance_days)  # fmt: skip
        _check(self.contact_types is None or len(self.contact_types) > 0,
               "policies.contact_types", "must name at least one type (or be left out: every "
               "interaction counts)", self.contact_types)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class MigrationParams:
    """Tier migration: compare this run's tiers with an earlier run's.

    Attributes
    ----------
    enabled : bool
        Run the migration section.
    previous : str, optional
        Folder of a saved result to compare with; by default the ``result/`` the previous
        run left in ``output_dir`` (when it is earlier than this run's as-of); with
        ``{as_of}`` in ``output_dir``, the newest earlier run of those folders.
    compare_to : str, optional
        When there is no earlier saved result: grade the same log at as-of minus this period
        (a number and D, W, M or Y, e.g. ``3M``), so that the first run shows movement too;
        null switches that off.
    """

    enabled: bool = True
    previous: str | None = None
    compare_to: str | None = "3M"

    def __post_init__(self):
        """Check the comparison period."""
        if self.compare_to is not None:
            _check(
                _PERIOD.fullmatch(self.compare_to) is not None,
                "migration.compare_to",
                "must be a number and D, W, M or Y, e.g. 3M",
                self.compare_to,
            )

    def earlier_as_of(self, as_of: dt.date) -> dt.date:
        """Return the as-of date ``compare_to`` before ``as_of``.

        Parameters
        ----------
        as_of : datetime.date
            This run's as-of date.

        Returns
        -------
        datetime.date
            The earlier date (month ends stay month ends).
        """
        number, unit = _PERIOD.fullmatch(self.compare_to).groups()
        n = int(number)
        if unit == "D":
            return as_of - dt.timedelta(days=n)
        if unit == "W":
            return as_of - dt.timedelta(weeks=n)
        months = n if unit == "M" else 12 * n
        year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
        month += 1
        last = calendar.monthrange(year, month)[1]
        end_of_month = as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]
        return dt.date(year, month, last if end_of_month else min(as_of.day, last))


_PERIOD = re.compile(r"(\d+)\s*([DWMY])")


@dataclasses.dataclass(frozen=True)
class ExportParams:
    """The per-customer exports written beside the report.

    Attributes
    ----------
    formats : list of {"csv", "parquet", "xlsx"}
        Files to write into ``exports/`` of the output folder: CSV (UTF-8 with BOM, for
        Excel and CRM imports), Parquet, and an XLSX workbook (summary sheet, customers
        sheet with translated headers; one sheet per owner with ``owner``).
    owner : str, optional
        Column of the account owner (a customer-master attribute) for one sheet per owner.
    """

    formats: list[Literal["csv", "parquet", "xlsx"]] = dataclasses.field(
        default_factory=lambda: ["csv", "parquet", "xlsx"]
    )
    owner: str | None = None


@dataclasses.dataclass(frozen=True)
class RfmParams:
    """Settings of the RFM section; the keyword arguments of :func:`custanalytics.rfm_scores`.

    Attributes
    ----------
    bins : int or list of float
        Number of equal-frequency scores (2-9), or inner quantile edges such as
        ``[0.5, 0.8, 0.95]``.
    monetary : {"revenue", "avg_order_value"}
        Column scored as M.
    ties : {"average", "first"}
        Equal values share a score (``average``) or are split in table order (``first``).
    thresholds : dict, optional
        Fixed cut points per metric (``recency`` in days, ``frequency`` in orders,
        ``monetary`` in money), one fewer than the number of scores.
    weights : dict, optional
        Weights of ``rfm_score`` per metric (default 1 each).
    segments : dict, optional
        Segment name → list of "RF" cells (e.g. ``champions: ["54", "55"]``), each cell of the
        grid exactly once; default the 10-segment grid of ``custanalytics.rfm.RF_SEGMENTS``.
    class8 : {"mean", "median"} or dict
        Cut of the 8-class model, or fixed values for ``recency``, ``frequency``, ``monetary``.
    """

    bins: int | list[float] = 5
    monetary: Literal["revenue", "avg_order_value"] = "revenue"
    ties: Literal["average", "first"] = "average"
    thresholds: dict[RfmMetric, list[float]] | None = None
    weights: dict[RfmMetric, float] | None = None
    segments: dict[str, list[str | int]] | None = None
    class8: Literal["mean", "median"] | dict[RfmMetric, float] = "mean"

    def _validate(self, prefix: str) -> None:
        check_rfm_settings(**dataclasses.asdict(self), prefix=prefix)


@dataclasses.dataclass(frozen=True)
class GradeLevelParams:
    """One level of a grading scheme, best level first in the scheme's list.

    Attributes
    ----------
    key : str
        Value of the ``grade`` column (``A``, ``platinum``, ``level_1`` …).
    en, zh : str, optional
        Display names (default: the key, and the English name).
    cut : float, optional
        Where the level ends; every level but the last has one. ``revenue_share`` and
        ``customer_share``: the cumulative share (0-1] up to which customers are in this level
        or a better one; ``score``: the lowest score (0-100 scale) of the level.
    method : {"revenue_share", "customer_share", "score"}, optional
        This level's method, if not the scheme's.
    guidance_customer_share, guidance_revenue_share : list of two floats, optional
        Published guidance ``[low, high]`` shown beside the achieved shares.
    """

    key: str
    en: str | None = None
    zh: str | None = None
    cut: float | None = None
    method: GradeMethod | None = None
    guidance_customer_share: list[float] | None = None
    guidance_revenue_share: list[float] | None = None


@dataclasses.dataclass(frozen=True)
class GradeSchemeParams:
    """A grading scheme as data: levels, a method and its cut points, a composite score.

    Attributes
    ----------
    name : str
        Name of the scheme (the ``grades`` entry that ``primary_grade`` refers to).
    method : {"revenue_share", "customer_share", "score"}
        How levels are cut: cumulative revenue share (the customer whose share crosses a cut
        is in the better level; zero or negative revenue in the last level), customer-share
        quotas, or composite-score thresholds.
    levels : list of GradeLevelParams
        Best first; at least two; the last takes the rest (no cut).
    order_by : {"revenue", "score"}
        Order in which the share methods accumulate customers: revenue (default) or the
        composite score (ties: revenue, then table order).
    weights : dict
        Composite score: weight per feature (revenue, frequency, recency, avg_order_value,
        clv); features are normalised to 0-1, the score is 100 x their weighted mean.
    bonuses : dict
        Points added to the score from customer-master attributes:
        ``{industry: {manufacturing: 10}}``.
    normalise : {"rank", "minmax"}
        Normalisation of the features: percentile rank (default) or min-max.
    """

    name: str
    method: GradeMethod
    levels: list[GradeLevelParams]
    order_by: Literal["revenue", "score"] = "revenue"
    weights: dict[ScoreFeature, float] = dataclasses.field(default_factory=lambda: {"revenue": 1.0})
    bonuses: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)
    normalise: Literal["rank", "minmax"] = "rank"

    def _validate(self, prefix: str) -> None:
        if len(self.levels) < 2:
            raise ParameterError(f"{prefix}levels needs at least two levels")
        keys = [level.key for level in self.levels]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ParameterError(f"{prefix}levels: key {twice[0]!r} is used more than once")
        last: dict[str, float] = {}
        for i, level in enumerate(self.levels):
            key = f"{prefix}levels[{i}]"
            method = level.method or self.method
            if (level.cut is None) != (i == len(self.levels) - 1):
                raise ParameterError(
                    f"{key}.cut: every level but the last needs a cut, the last takes the rest; "
                    f"level {level.key!r} has cut {level.cut!r}"
                )
            if level.cut is not None:
                _check_cut(method, level.cut, last.get(method), key)
                last[method] = level.cut
            for name in ("guidance_customer_share", "guidance_revenue_share"):
                span = getattr(level, name)
                if span is not None and not (len(span) == 2 and 0 <= span[0] <= span[1] <= 1):
                    raise ParameterError(
                        f"{key}.{name} must be [low, high] with 0 <= low <= high <= 1, got {span}"
                    )
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise ParameterError(
                f"{prefix}weights must be 0 or more and not all 0, got {self.weights}"
            )


def _check_cut(method: str, cut: float, previous: float | None, key: str) -> None:
    if method == "score":
        if previous is not None and cut >= previous:
            raise ParameterError(
                f"{key}.cut: score cuts must fall from level to level, got {cut} after {previous}"
            )
        return
    if not 0 < cut <= 1:
        raise ParameterError(f"{key}.cut: a {method} cut is a share in (0, 1], got {cut}")
    if previous is not None and cut <= previous:
        raise ParameterError(
            f"{key}.cut: {method} cuts are cumulative and must rise from level to level, "
            f"got {cut} after {previous}"
        )


@dataclasses.dataclass(frozen=True)
class RunParams:
    """Everything one report run needs.

    Attributes
    ----------
    title : str
        Report title.
    as_of : datetime.date
        Observation end: every figure is relative to this date; later rows are excluded.
    transactions : TransactionsParams
        The transaction source and its column mapping.
    lang : {"en", "zh"}
        Language of the report's labels.
    output_dir : str
        Folder the report, ``metrics.json``, the saved result and the exports are written to.
        ``{as_of}`` in it is replaced by the as-of date, so that every run keeps its own
        folder (``reports/sales/{as_of}``, the default ``reports/tiering/{as_of}``); the
        migration then compares with the newest earlier run among those folders.
    clv : ClvParams
        Settings of the CLV section.
    customers : CustomersParams, optional
        The customer master; its prospects (no purchase yet) join the per-customer table.
    interactions : InteractionsParams, optional
        The interactions table (visits, calls, messages): the last contact and the visit
        compliance of the policy section.
    lifecycle : LifecycleParams
        The lifecycle rule and its thresholds.
    exports : ExportParams
        Which per-customer files are written beside the report.
    migration : MigrationParams
        The comparison of tiers with an earlier run.
    policies : PolicyParams
        Service policy per tier, owners, capacities.
    rfm : RfmParams
        Settings of the RFM section.
    grades : list of str or GradeSchemeParams
        Grading schemes: preset names (``three_tier``, ``abc``, ``pyramid``, ``sabc``,
        ``ten_level``) or schemes spelled out.
    primary_grade : str, optional
        Name of the scheme that is the report's tier (default: the first of ``grades``).
    segments : SegmentsParams
        Settings of the behavioural segments.
    cohorts : CohortsParams
        Settings of the cohort-retention section.
    attributes : AttributesParams
        Which master columns are cross-tabulated against the customer classes.
    prospects : ProspectsParams
        How prospects are graded by potential.
    profiles : ProfilesParams
        Profile cards of the top tier and the customers at risk.
    currency : str, optional
        Currency of the amounts, shown with every money figure of the report: a sign
        (``¥``, ``$``, ``€``) or a code (``CNY``); at most 5 characters. Without it money is
        shown without a unit.
    mask_ids : bool
        Replace customer ids (and the name column, ``customers.name``) by stable
        pseudonyms in every output of the run (HTML, exports, saved result), for sharing
        outside the team. The same id always gets the same pseudonym under the same
        ``mask_key``, so migration between masked runs still works.
    mask_key : str, optional
        Secret mixed into the pseudonyms (use ``${ENV_VAR}``). Without it the pseudonyms
        are stable but anyone holding the ids can recompute them; the report says so.
    """

    title: str
    as_of: dt.date
    transactions: TransactionsParams
    lang: Literal["en", "zh"] = "en"
    output_dir: str = "reports/tiering/{as_of}"
    clv: ClvParams = dataclasses.field(default_factory=ClvParams)
    customers: CustomersParams | None = None
    interactions: InteractionsParams | None = None
    lifecycle: LifecycleParams = dataclasses.field(default_factory=LifecycleParams)
    exports: ExportParams = dataclasses.field(default_factory=ExportParams)
    migration: MigrationParams = dataclasses.field(default_factory=MigrationParams)
    policies: PolicyParams = dataclasses.field(default_factory=PolicyParams)
    rfm: RfmParams = dataclasses.field(default_factory=RfmParams)
    grades: list[GradePreset | GradeSchemeParams] = dataclasses.field(
        default_factory=lambda: ["abc"]
    )
    primary_grade: str | None = None
    segments: SegmentsParams = dataclasses.field(default_factory=SegmentsParams)
    cohorts: CohortsParams = dataclasses.field(default_factory=CohortsParams)
    attributes: AttributesParams = dataclasses.field(default_factory=AttributesParams)
    prospects: ProspectsParams = dataclasses.field(default_factory=ProspectsParams)
    profiles: ProfilesParams = dataclasses.field(default_factory=ProfilesParams)
    currency: str | None = None
    mask_ids: bool = False
    mask_key: str | None = None

    @property
    def run_dir(self) -> Path:
        """The run's output folder: ``output_dir`` with ``{as_of}`` filled in."""
        return Path(self.output_dir.replace(AS_OF_PLACEHOLDER, self.as_of.isoformat()))

    @property
    def reports_dir(self) -> Path:
        """The folder whose ``index.html`` lists this report's runs with the others'.

        The parent of the report's own folder: ``reports`` for ``reports/sales/{as_of}`` and
        for ``reports/sales``.
        """
        report = Path(self.output_dir).parts
        if AS_OF_PLACEHOLDER in self.output_dir:
            report = report[: next(i for i, p in enumerate(report) if AS_OF_PLACEHOLDER in p)]
        return Path(*report[:-1]) if len(report) > 1 else Path(".")

    def _validate(self, prefix: str) -> None:
        _check(
            "{" not in self.output_dir.replace(AS_OF_PLACEHOLDER, ""),
            f"{prefix}output_dir",
            "may hold only the placeholder {as_of} (e.g. reports/sales/{as_of})",
            self.output_dir,
        )
        if self.currency is not None:
            _check(
                0 < len(self.currency.strip()) <= 5,
                f"{prefix}currency",
                "must be a sign or code of 1 to 5 characters (e.g. ¥, $, CNY)",
                self.currency,
            )
        names = [g if isinstance(g, str) else g.name for g in self.grades]
        if not names:
            raise ParameterError(f"{prefix}grades needs at least one scheme (e.g. [abc])")
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ParameterError(
                f"{prefix}grades: scheme name {twice[0]!r} is used more than once; give each "
                "scheme its own name"
            )
        types = self.policies.contact_types
        if types and self.interactions is not None and self.interactions.type is None:
            raise ParameterError(
                f"{prefix}policies.contact_types ({', '.join(types)}) needs the column of the "
                f"kind of contact: set {prefix}interactions.type, or leave contact_types out "
                "so that every interaction counts"
            )
        if self.primary_grade is not None and self.primary_grade not in names:
            raise ParameterError(
                f"{prefix}primary_grade {self.primary_grade!r} is not one of grades: "
                f"{', '.join(names)}"
            )

    @property
    def primary_scheme(self) -> str:
        """Name of the report's primary grading scheme."""
        first = self.grades[0]
        return self.primary_grade or (first if isinstance(first, str) else first.name)

    def to_dict(self, *, redacted: bool = True) -> dict[str, Any]:
        """Return the parameters as plain YAML/JSON-friendly values (dates as ISO strings).

        Parameters
        ----------
        redacted : bool
            Mask passwords and tokens in connection URLs and the ``mask_key`` (the default:
            what is written to reports, metrics and saved results); False gives the values
            as loaded.

        Returns
        -------
        dict
            Nested dict that :func:`load_params` accepts again.
        """
        plain = _plain(dataclasses.asdict(self))
        if not redacted:
            return plain
        if plain["mask_key"]:
            plain["mask_key"] = MASK
        return redact_values(plain)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_params(source: str | os.PathLike | Mapping[str, Any], **overrides: Any) -> RunParams:
    """Read and validate run parameters.

    Text values may refer to environment variables as ``${NAME}`` (e.g. a database password
    in a connection URL), so that secrets stay out of parameter files; outputs mask them.

    Parameters
    ----------
    source : str, path-like or mapping
        Path of a YAML parameter file, or a dict such as the one papermill injects.
    **overrides
        Top-level keys that replace the file's values (e.g. ``as_of`` or ``lang`` from the
        command line); ``None`` values are ignored.

    Returns
    -------
    RunParams
        The validated parameters.

    Raises
    ------
    FileNotFoundError
        If ``source`` is a path that does not exist.
    ParameterError
        If a key is unknown or missing, or a value has the wrong type; the message names the key.
    """
    if isinstance(source, Mapping):
        raw = dict(source)
    else:
        raw = _read_yaml(Path(source))
    raw.update({k: v for k, v in overrides.items() if v is not None})
    return _build(RunParams, _expand_environment(raw, ""), prefix="")


_ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _expand_environment(value: Any, key: str) -> Any:
    """Replace ``${NAME}`` in text values by the environment variable NAME (for secrets)."""
    if isinstance(value, Mapping):
        return {
            k: _expand_environment(v, f"{key}.{k}" if key else str(k)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_expand_environment(v, f"{key}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def variable(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ParameterError(
                f"parameter '{key}' refers to the environment variable {name}, which is not "
                f"set; set it (export {name}=...) before running, or write the value in the file"
            )
        return os.environ[name]

    return _ENV_REFERENCE.sub(variable, value)


def grade_scheme_params(raw: Mapping[str, Any], key: str = "scheme") -> GradeSchemeParams:
    """Validate a grading scheme given as a dict (as it would come from YAML).

    Parameters
    ----------
    raw : mapping
        The scheme's keys (``name``, ``method``, ``levels`` …).
    key : str
        Name of the scheme in messages.

    Returns
    -------
    GradeSchemeParams
        The validated scheme.

    Raises
    ------
    ParameterError
        Naming the key at fault.
    """
    return _coerce(GradeSchemeParams, raw, key)


class _DatesAsTextLoader(yaml.SafeLoader):
    """Safe YAML loader that leaves dates as text, so that they are parsed (and reported) here."""


_DatesAsTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise FileNotFoundError(f"parameter file not found: {path} (working folder {Path.cwd()})")
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_DatesAsTextLoader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path} is not valid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise ParameterError(
            f"{path} is not UTF-8 text; save the parameter file as UTF-8"
        ) from None
    if not isinstance(data, dict):
        raise ParameterError(
            f"{path} must hold a mapping of parameters (key: value lines), "
            f"got {type(data).__name__}"
        )
    return data


def _build(cls: type, raw: Mapping[str, Any], prefix: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    unknown = [k for k in raw if k not in fields]
    if unknown:
        key = str(unknown[0])
        close = difflib.get_close_matches(key, list(fields), n=1)
        hint = f"; did you mean '{prefix}{close[0]}'?" if close else ""
        raise ParameterError(
            f"unknown parameter '{prefix}{key}'{hint} Allowed keys"
            f"{' under ' + prefix.rstrip('.') if prefix else ''}: {', '.join(fields)}"
        )
    values = {}
    for name, field in fields.items():
        key = prefix + name
        if name not in raw:
            if (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                raise ParameterError(f"missing required parameter '{key}'")
            continue
        values[name] = _coerce(hints[name], raw[name], key)
    built = cls(**values)
    validate = getattr(built, "_validate", None)  # checks across fields, naming the keys
    if validate is not None:
        validate(prefix)
    return built


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        candidates = [a for a in args if a is not type(None)]
        if isinstance(value, Mapping):  # report a mapping's own errors, not "must be str"
            candidates = [a for a in candidates if _takes_mapping(a)] or candidates
        errors = []
        for arg in candidates:
            try:
                return _coerce(arg, value, key)
            except ParameterError as exc:
                errors.append(exc)
        raise errors[0]
    if origin is Literal:
        if value not in args:
            choices = " | ".join(map(str, args))
            raise ParameterError(f"parameter '{key}' must be one of {choices}, got {value!r}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise ParameterError(
                f"parameter '{key}' must be a list (e.g. [a, b]), got {type(value).__name__} "
                f"{value!r}"
            )
        return [_coerce(args[0], item, f"{key}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ParameterError(
                f"parameter '{key}' must be a mapping (key: value), got {type(value).__name__} "
                f"{value!r}"
            )
        return {
            _coerce(args[0], k, f"{key} key"): _coerce(args[1], v, f"{key}.{k}")
            for k, v in value.items()
        }
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise ParameterError(
                f"parameter '{key}' must be a mapping of sub-keys, got {type(value).__name__} "
                f"{value!r}"
            )
        return _build(hint, value, prefix=key + ".")
    if hint is dt.date:
        return _parse_date(value, key)
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, str):
        if not value.strip():
            raise ParameterError(f"parameter '{key}' must not be empty")
        return value
    raise ParameterError(
        f"parameter '{key}' must be {getattr(hint, '__name__', hint)}, "
        f"got {type(value).__name__} {value!r}"
    )


def _takes_mapping(hint: Any) -> bool:
    return dataclasses.is_dataclass(hint) or typing.get_origin(hint) is dict


def _parse_date(value: Any, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ParameterError(
        f"parameter '{key}' must be a date written as YYYY-MM-DD (e.g. 1998-06-30), got {value!r}"
    )
