"""Records ⇄ JSON + Parquet: how a :class:`TieringResult` is saved and loaded.

Scalars, lists, dicts and registered record dataclasses become JSON; every DataFrame or Series
becomes a Parquet file named after its place in the result. Non-finite floats, dates and
timestamps are tagged so that loading gives back the same values and types.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._records import record_types

__all__ = ["decode", "encode", "plain_json", "read_table", "write_table"]


def encode(value: Any, tables: dict[str, pd.DataFrame], name: str) -> Any:
    """Turn ``value`` into JSON-ready data, moving its tables into ``tables``.

    Parameters
    ----------
    value : object
        A record, table, list, dict or scalar.
    tables : dict
        Receives ``name → DataFrame`` for every table met; the JSON holds the name.
    name : str
        Dotted position of ``value`` in the result (names the tables).

    Returns
    -------
    object
        JSON-serialisable data.
    """
    if isinstance(value, pd.DataFrame | pd.Series):
        kind = "__series__" if isinstance(value, pd.Series) else "__table__"
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        bad = [c for c in frame.columns if not isinstance(c, str)]
        if bad:
            raise TypeError(f"table {name}: column names must be text, got {bad[0]!r}")
        tables[name] = frame
        return {kind: name}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value).__name__
        if cls not in record_types():
            raise TypeError(f"{name}: {cls} is not a registered record")
        fields = {
            f.name: encode(getattr(value, f.name), tables, f"{name}.{f.name}")
            for f in dataclasses.fields(value)
        }
        return {"__record__": cls, "fields": fields}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or key.startswith("__"):
                raise TypeError(f"{name}: dict keys must be text not starting with '__': {key!r}")
            out[key] = encode(item, tables, f"{name}.{key}")
        return out
    if isinstance(value, list):
        return [encode(item, tables, f"{name}.{i}") for i, item in enumerate(value)]
    if isinstance(value, tuple):
        return {"__tuple__": [encode(item, tables, f"{name}.{i}") for i, item in enumerate(value)]}
    return _scalar(value, name)


def _scalar(value: Any, name: str) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, pd.Timestamp | dt.datetime):
        return {"__datetime__": pd.Timestamp(value).isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    raise TypeError(f"{name}: cannot store a value of type {type(value).__name__}")


def write_table(frame: pd.DataFrame, path: Path) -> dict[str, str]:
    """Write a table as Parquet; return the dtypes Parquet cannot keep (to restore them).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : pathlib.Path
        Destination file.

    Returns
    -------
    dict
        Column → dtype for the date-time columns (Parquet stores seconds as milliseconds)
        and the object columns (read back as text columns otherwise).
    """
    frame.to_parquet(path)
    return {str(c): str(t) for c, t in frame.dtypes.items() if t.kind in ("M", "O")}


def read_table(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, with its original dtypes.

    Parameters
    ----------
    path : pathlib.Path
        The Parquet file.
    dtypes : dict
        What :func:`write_table` returned.

    Returns
    -------
    pandas.DataFrame
        The table as it was written.
    """
    frame = pd.read_parquet(path)
    return frame.astype(dtypes) if dtypes else frame


def decode(data: Any, table: Callable[[str], pd.DataFrame]) -> Any:
    """Rebuild what :func:`encode` stored.

    Parameters
    ----------
    data : object
        JSON data.
    table : callable
        Returns the stored DataFrame of a table name.

    Returns
    -------
    object
        The original value.
    """
    if isinstance(data, list):
        return [decode(item, table) for item in data]
    if not isinstance(data, dict):
        return data
    if "__table__" in data:
        return table(data["__table__"])
    if "__series__" in data:
        return table(data["__series__"]).iloc[:, 0]
    if "__record__" in data:
        cls = record_types()[data["__record__"]]
        return cls(**{k: decode(v, table) for k, v in data["fields"].items()})
    if "__tuple__" in data:
        return tuple(decode(item, table) for item in data["__tuple__"])
    if "__float__" in data:
        return float(data["__float__"])
    if "__datetime__" in data:
        return pd.Timestamp(data["__datetime__"])
    if "__date__" in data:
        return dt.date.fromisoformat(data["__date__"])
    return {k: decode(v, table) for k, v in data.items()}


def plain_json(value: Any) -> Any:
    """Return ``value`` as standard JSON data: NaN and infinity become null, dates ISO text.

    Parameters
    ----------
    value : object
        Nested dicts, lists and scalars (numpy scalars included).

    Returns
    -------
    object
        Data that ``json.dumps(..., allow_nan=False)`` accepts.
    """
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_json(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    return value
