"""CDNOW transaction logs, read straight from the files bundled with ``lifetimes``.

``lifetimes.datasets`` itself imports ``pkg_resources`` (gone from recent setuptools) and
changes global state on import, so the files are located without importing the package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

__all__ = ["cdnow_path", "load_cdnow", "load_cdnow_sample"]


def cdnow_path(name: str = "CDNOW_master.txt") -> Path:
    """Return the path of a data file bundled with ``lifetimes``.

    Parameters
    ----------
    name : str
        File name inside ``lifetimes/datasets`` (e.g. ``CDNOW_master.txt``, ``donations.csv``).

    Returns
    -------
    pathlib.Path
        Absolute path of the file.

    Raises
    ------
    FileNotFoundError
        If ``lifetimes`` is not installed or does not ship the file.
    """
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the demo data file {name} ships with the 'lifetimes' package, which is not "
            "installed; run `make report` or `pip install lifetimes`"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / name
    if not path.is_file():
        raise FileNotFoundError(f"lifetimes does not ship {name} (looked for {path})")
    return path


def load_cdnow() -> pd.DataFrame:
    """Load the full CDNOW transaction log: 23,570 customers, 69,659 transactions.

    The customers made their first purchase in the first quarter of 1997; the log runs to
    the end of June 1998.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` (str, zero-padded as in the source), ``date`` (datetime64),
        ``quantity`` (number of CDs, int) and ``amount`` (dollar value, float).
    """
    frame = pd.read_csv(
        cdnow_path("CDNOW_master.txt"),
        sep=r"\s+",
        skiprows=1,
        names=["customer_id", "date", "quantity", "amount"],
        dtype={"customer_id": str, "date": str, "quantity": "int64", "amount": "float64"},
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


def load_cdnow_sample() -> pd.DataFrame:
    """Load the 1/10 CDNOW sample used in the BTYD papers: 2,357 customers, 6,919 transactions.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` (the sample's own id, ``"0001"`` … ``"2357"``), ``master_id``
        (the id in the full log), ``date`` (datetime64), ``quantity`` (int) and ``amount``
        (float).
    """
    frame = pd.read_csv(
        cdnow_path("CDNOW_sample.txt"),
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "date", "quantity", "amount"],
        dtype={"master_id": str, "customer_id": str, "date": str},
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame[["customer_id", "master_id", "date", "quantity", "amount"]]
