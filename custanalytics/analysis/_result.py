"""The result of one analysis run: metadata, the per-customer table and one record per section."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CustAnalyticsError
from ..params import RunParams
from ._records import Note, Unavailable, record
from ._storage import decode, encode, plain_json, read_table, write_table

__all__ = ["METRICS_SCHEMA_VERSION", "RunMetadata", "TieringResult", "parameter_hash"]

#: Version of the ``metrics.json`` document and of the saved-result layout.
METRICS_SCHEMA_VERSION = 1
RESULT_FILE = "result.json"
CUSTOMERS_FILE = "customers.parquet"
TABLES_FOLDER = "tables"

#: Distributions whose versions are recorded with every run.
RECORDED_PACKAGES = (
    "custanalytics",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "duckdb",
    "ibis-framework",
    "pyarrow",
)

#: Parameters that change only how a result is shown or where it goes, not what it is.
PRESENTATION_PARAMETERS = ("title", "lang", "output_dir", "currency")


def parameter_hash(params: RunParams) -> str:
    """Return a short fingerprint of the parameters that determine a result.

    Title, language and output folder are left out: they change how a result is shown or
    where it is written, not its figures.

    Parameters
    ----------
    params : RunParams
        Run parameters.

    Returns
    -------
    str
        16 hexadecimal digits of the SHA-256 of the canonical JSON of the parameters.
    """
    relevant = {k: v for k, v in params.to_dict().items() if k not in PRESENTATION_PARAMETERS}
    text = json.dumps(relevant, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def package_versions() -> dict[str, str]:
    """Return the installed versions of custanalytics and its main dependencies.

    Returns
    -------
    dict
        Distribution name → version (``"not installed"`` when missing).
    """
    versions = {}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@record
@dataclasses.dataclass(frozen=True)
class RunMetadata:
    """What a result describes and how it was made.

    Attributes
    ----------
    title : str
        Report title.
    as_of : datetime.date
        Observation end; every figure is relative to it.
    first_date, last_date : datetime.date or None
        First and last transaction day in the data (None without transactions).
    parameters : dict
        The run parameters as plain values (:meth:`RunParams.to_dict`).
    parameter_hash : str
        Fingerprint of the parameters that determine the figures (:func:`parameter_hash`).
    versions : dict
        Versions of custanalytics and its main dependencies.
    """

    title: str
    as_of: dt.date
    first_date: dt.date | None
    last_date: dt.date | None
    parameters: dict[str, Any]
    parameter_hash: str
    versions: dict[str, str]

    @property
    def params(self) -> RunParams:
        """The run parameters, validated again."""
        from ..params import load_params

        return load_params(self.parameters)


@dataclasses.dataclass
class TieringResult:
    """Everything one run computed; notebooks, HTML, exports and migration only read it.

    Attributes
    ----------
    meta : RunMetadata
        As-of date, data window, parameters and versions.
    customers : pandas.DataFrame
        One row per customer (buyers and prospects of the customer master), indexed by
        ``customer_id``; every column the sections add (see
        :data:`custanalytics.analysis.CUSTOMER_COLUMNS`).
    sections : dict
        Section name → its record, or :class:`Unavailable` with the reason, in the order
        the sections ran.
    notes : list of Note
        Remarks about the run as a whole.
    """

    meta: RunMetadata
    customers: pd.DataFrame
    sections: dict[str, Any]
    notes: list[Note] = dataclasses.field(default_factory=list)

    def section(self, name: str) -> Any:
        """Return a section's record (or its :class:`Unavailable`).

        Parameters
        ----------
        name : str
            Section name, e.g. ``"clv"``.

        Returns
        -------
        object
            The record.

        Raises
        ------
        KeyError
            If the run has no such section; the message lists those it has.
        """
        if name not in self.sections:
            raise KeyError(f"no section {name!r}; this result has: {', '.join(self.sections)}")
        return self.sections[name]

    def available(self, name: str) -> bool:
        """Whether a section ran and produced a record.

        Parameters
        ----------
        name : str
            Section name.

        Returns
        -------
        bool
            False when the section is missing or :class:`Unavailable`.
        """
        return name in self.sections and not isinstance(self.sections[name], Unavailable)

    @property
    def buyers(self) -> pd.DataFrame:
        """The customers with at least one purchase (prospects left out)."""
        return self.customers[self.customers["orders"] > 0]

    def metrics(self) -> dict[str, Any]:
        """Return the ``metrics.json`` document of this run.

        Returns
        -------
        dict
            ``schema_version``, ``as_of``, ``data_window``, ``parameter_hash``,
            ``parameters``, ``versions``, ``metrics`` (each available section's figures,
            merged) and ``sections`` (per section: available or the reason it is not).
            Standard JSON: no NaN (null instead).
        """
        figures: dict[str, Any] = {}
        status: dict[str, Any] = {}
        for name, rec in self.sections.items():
            if isinstance(rec, Unavailable):
                status[name] = {"available": False, "reason": rec.reason}
                continue
            status[name] = {"available": True}
            figures.update(rec.metrics() if hasattr(rec, "metrics") else {})
        meta = self.meta
        return plain_json(
            {
                "schema_version": METRICS_SCHEMA_VERSION,
                "title": meta.title,
                "as_of": meta.as_of,
                "data_window": {"first": meta.first_date, "last": meta.last_date},
                "parameter_hash": meta.parameter_hash,
                "parameters": meta.parameters,
                "versions": meta.versions,
                "version": meta.versions["custanalytics"],
                "metrics": figures,
                "sections": status,
                "notes": [{"code": n.code, "values": n.values} for n in self.notes],
            }
        )

    def write_metrics(self, path: str | os.PathLike) -> Path:
        """Write :meth:`metrics` as UTF-8 JSON (the same result gives the same bytes).

        Parameters
        ----------
        path : str or path-like
            File to write.

        Returns
        -------
        pathlib.Path
            The file written.
        """
        path = Path(path)
        text = json.dumps(self.metrics(), ensure_ascii=False, indent=2, allow_nan=False)
        path.write_text(text + "\n", encoding="utf-8")
        return path

    def save(self, folder: str | os.PathLike) -> Path:
        """Save the result: ``result.json``, ``customers.parquet`` and ``tables/*.parquet``.

        The folder is written next to its final place and moved there when complete, so an
        interrupted save never leaves a half-written result. The same result gives the same
        bytes.

        Parameters
        ----------
        folder : str or path-like
            Destination folder (replaced if it exists).

        Returns
        -------
        pathlib.Path
            The folder.
        """
        folder = Path(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        tables: dict[str, pd.DataFrame] = {}
        document = {
            "schema_version": METRICS_SCHEMA_VERSION,
            "meta": encode(self.meta, tables, "meta"),
            "sections": {
                name: encode(rec, tables, f"sections.{name}") for name, rec in self.sections.items()
            },
            "notes": encode(self.notes, tables, "notes"),
        }
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private
        try:
            (staging / TABLES_FOLDER).mkdir()
            dtypes = {CUSTOMERS_FILE: write_table(self.customers, staging / CUSTOMERS_FILE)}
            for name, frame in tables.items():
                dtypes[name] = write_table(frame, staging / TABLES_FOLDER / f"{name}.parquet")
            document["dtypes"] = dtypes
            text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
            (staging / RESULT_FILE).write_text(text + "\n", encoding="utf-8")
            _replace_folder(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return folder

    @classmethod
    def load(cls, folder: str | os.PathLike) -> TieringResult:
        """Load a result written by :meth:`save`.

        Parameters
        ----------
        folder : str or path-like
            The folder.

        Returns
        -------
        TieringResult
            Equal to the saved one.

        Raises
        ------
        CustAnalyticsError
            If the folder holds no saved result or one of another layout version.
        """
        folder = Path(folder)
        path = folder / RESULT_FILE
        if not path.is_file():
            raise CustAnalyticsError(
                f"no saved result in {folder} (expected {RESULT_FILE}); save one with "
                "analyse(...).save(folder)"
            )
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("schema_version") != METRICS_SCHEMA_VERSION:
            raise CustAnalyticsError(
                f"{path} has layout version {document.get('schema_version')!r}; this "
                f"custanalytics reads version {METRICS_SCHEMA_VERSION}: run the analysis again"
            )

        dtypes = document["dtypes"]

        def table(name: str) -> pd.DataFrame:
            return read_table(folder / TABLES_FOLDER / f"{name}.parquet", dtypes[name])

        try:
            return cls(
                meta=decode(document["meta"], table),
                customers=read_table(folder / CUSTOMERS_FILE, dtypes[CUSTOMERS_FILE]),
                sections={k: decode(v, table) for k, v in document["sections"].items()},
                notes=decode(document["notes"], table),
            )
        except (TypeError, KeyError) as exc:  # a record of another shape
            saved = document.get("meta", {}).get("fields", {}).get("versions", {})
            raise CustAnalyticsError(
                f"{folder} was saved by custanalytics {saved.get('custanalytics', '?')} in a "
                f"form this version cannot read ({exc}); run the analysis again"
            ) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace_folder(staging: Path, folder: Path) -> None:
    """Move a complete ``staging`` folder to ``folder``, replacing an older one."""
    if folder.exists():
        old = folder.with_name(f".{folder.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, folder)
