"""Run parameters: a parameter file (YAML) or a papermill dict → a validated, typed object.

The schema is the dataclasses below. Unknown keys and wrong types are errors that name the
key (papermill itself only warns on unknown parameters); dates are parsed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import ParameterError

__all__ = [
    "AttributesParams",
    "ClvParams",
    "CohortsParams",
    "CustomersParams",
    "LifecycleParams",
    "ProspectsParams",
    "RunParams",
    "TransactionsParams",
    "load_params",
]


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


@dataclasses.dataclass(frozen=True)
class CustomersParams:
    """The optional customer master: one row per customer, prospects included.

    Attributes
    ----------
    source : str
        A bundled demo name (``b2b_demo_customers``), a file path or a SQL connection URL.
    customer : str
        Column of the customer id (the same ids as in the transactions).
    columns : list of str, optional
        Attribute columns to keep (type, industry, region, owner …); all by default.
    table, query, sheet, header_row, encoding, sep : optional
        As for the transactions.
    """

    source: str
    customer: str = "customer_id"
    columns: list[str] | None = None
    table: str | None = None
    query: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    sep: str | None = None


@dataclasses.dataclass(frozen=True)
class ClvParams:
    """Settings of the customer-lifetime-value section.

    Attributes
    ----------
    model : {"bg_nbd", "pareto_nbd", "mbg_nbd"}
        Purchase model (spend always comes from the Gamma-Gamma model).
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

    model: Literal["bg_nbd", "pareto_nbd", "mbg_nbd"] = "bg_nbd"
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
    """

    columns: list[str] | None = None
    labels: dict[str, dict[str | int, str]] = dataclasses.field(default_factory=dict)
    min_customers: int = 5
    max_values: int = 30

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


def _check(ok: bool, key: str, rule: str, value: Any) -> None:
    if not ok:
        raise ParameterError(f"parameter '{key}' {rule}, got {value!r}")


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
        Folder the report, ``metrics.json`` and exports are written to.
    clv : ClvParams
        Settings of the CLV section.
    customers : CustomersParams, optional
        The customer master; its prospects (no purchase yet) join the per-customer table.
    lifecycle : LifecycleParams
        The lifecycle rule and its thresholds.
    cohorts : CohortsParams
        Settings of the cohort-retention section.
    attributes : AttributesParams
        Which master columns are cross-tabulated against the customer classes.
    prospects : ProspectsParams
        How prospects are graded by potential.
    """

    title: str
    as_of: dt.date
    transactions: TransactionsParams
    lang: Literal["en", "zh"] = "en"
    output_dir: str = "reports/latest"
    clv: ClvParams = dataclasses.field(default_factory=ClvParams)
    customers: CustomersParams | None = None
    lifecycle: LifecycleParams = dataclasses.field(default_factory=LifecycleParams)
    cohorts: CohortsParams = dataclasses.field(default_factory=CohortsParams)
    attributes: AttributesParams = dataclasses.field(default_factory=AttributesParams)
    prospects: ProspectsParams = dataclasses.field(default_factory=ProspectsParams)

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters as plain YAML/JSON-friendly values (dates as ISO strings).

        Returns
        -------
        dict
            Nested dict that :func:`load_params` accepts again.
        """
        return _plain(dataclasses.asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_params(source: str | os.PathLike | Mapping[str, Any], **overrides: Any) -> RunParams:
    """Read and validate run parameters.

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
    return _build(RunParams, raw, prefix="")


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
    return cls(**values)


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
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
                f"parameter '{key}' must be a mapping (e.g. {{a: b}}), got "
                f"{type(value).__name__} {value!r}"
            )
        return {str(k): _coerce(args[1], v, f"{key}.{k}") for k, v in value.items()}
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
