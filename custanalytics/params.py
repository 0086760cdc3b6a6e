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

__all__ = ["ClvParams", "CustomersParams", "RunParams", "TransactionsParams", "load_params"]


@dataclasses.dataclass(frozen=True)
class TransactionsParams:
    """Where the transaction log comes from and how its columns are named.

    Attributes
    ----------
    source : str
        A bundled demo name (``cdnow``, ``cdnow_sample``), a file path (CSV, Excel, Parquet)
        or a SQL connection URL (``duckdb:///file.db``, ``sqlite:///file.db``, ``postgres://…``).
    customer, date, amount : str
        Column names of the customer id, the purchase timestamp and the amount in the source.
    order, quantity : str, optional
        Column names of the order id and the quantity, if the source has them.
    table, query : str, optional
        For a SQL source: the table to read, or a query whose result is read.
    sheet : str or int, optional
        For an Excel source: the sheet name or 0-based position (default: the first sheet).
    encoding : str, optional
        For a CSV source: the text encoding; detected (UTF-8, UTF-8 with BOM, GB18030) if omitted.
    returns : {"net", "drop", "keep"}
        What to do with negative amounts (returns): net them against the customer's purchases
        on the same day, drop them, or keep them as they are.
    duplicates : {"drop", "keep"}
        Whether exact duplicate rows are dropped (default) or kept as separate purchases.
    invalid_dates : {"error", "drop"}
        Whether dates that do not parse stop the run (default) or are dropped and counted.
    start : datetime.date, optional
        Rows before this date are excluded and counted.
    """

    source: str
    customer: str = "customer_id"
    date: str = "date"
    amount: str = "amount"
    order: str | None = None
    quantity: str | None = None
    table: str | None = None
    query: str | None = None
    sheet: str | int | None = None
    encoding: str | None = None
    returns: Literal["net", "drop", "keep"] = "net"
    duplicates: Literal["drop", "keep"] = "drop"
    invalid_dates: Literal["error", "drop"] = "error"
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
    table, query, sheet, encoding : optional
        As for the transactions.
    """

    source: str
    customer: str = "customer_id"
    columns: list[str] | None = None
    table: str | None = None
    query: str | None = None
    sheet: str | int | None = None
    encoding: str | None = None


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
    """

    model: Literal["auto", "bg_nbd", "pareto_nbd", "mbg_nbd"] = "auto"
    time_unit: Literal["D", "W"] = "W"
    horizon: float = 12.0
    horizon_unit: Literal["D", "W", "M", "Y"] = "M"
    discount_rate: float = 0.10
    holdout_days: int | None = None
    penalizer: float = 0.0


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
    """

    title: str
    as_of: dt.date
    transactions: TransactionsParams
    lang: Literal["en", "zh"] = "en"
    output_dir: str = "reports/latest"
    clv: ClvParams = dataclasses.field(default_factory=ClvParams)
    customers: CustomersParams | None = None

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
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise ParameterError(
                f"parameter '{key}' must be a mapping of sub-keys, got {type(value).__name__} "
                f"{value!r}"
            )
        return _build(hint, value, prefix=key + ".")
    if hint is dt.date:
        return _parse_date(value, key)
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
