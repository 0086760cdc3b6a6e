"""One Ibis expression, several engines: DuckDB (reference), SQLite, Spark and PostgreSQL agree.

The same transactions are loaded into the default in-process DuckDB (from a DataFrame), into
a SQLite file read through a ``sqlite:///`` URL, into a local Spark session read through
``ibis.pyspark.connect``, and into a throw-away PostgreSQL server started for the module
(``initdb`` + ``pg_ctl`` in a temporary folder). Cleaning counts and every ``summarize``
variant must match DuckDB's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import glob
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile

import ibis
import numpy as np
import pandas as pd
import pytest

from custanalytics import load_transactions, summarize
from custanalytics.datasets import load_cdnow_sample

SPARK_MARKS = [pytest.mark.spark, pytest.mark.xdist_group("spark")]
ENGINES = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.xdist_group("postgres")),
    pytest.param("spark", marks=SPARK_MARKS),
]

CUSTOMER, DATE, AMOUNT = "客户编号", "下单时间", "金额"


def _messy_frame() -> pd.DataFrame:
    ts = pd.Timestamp
    rows = [
        ("A", ts("2024-01-02 09:15"), 100.0),
        ("A", ts("2024-01-02 18:40"), 50.0),  # same day: one purchase day of 150
        ("A", ts("2024-01-02 18:40"), 50.0),  # exact duplicate: dropped
        ("A", ts("2024-01-20 23:59:59"), 80.0),  # last second of a day
        ("A", ts("2024-01-21 00:00:01"), 20.0),  # first second of the next day
        ("A", ts("2024-01-25 10:00"), -15.0),  # return: netted onto 2024-01-21
        ("A", ts("2024-02-10 12:00"), 60.0),
        ("A", ts("2024-03-20 16:45"), 45.5),
        ("B", ts("2024-01-05"), 40.0),
        ("B", ts("2024-01-05"), -40.0),  # same-timestamp full return: day dropped
        ("B", ts("2024-02-01 08:00"), 25.0),
        ("B", ts("2024-02-01 08:30"), 0.1),
        ("B", ts("2024-02-01 21:00"), 0.2),  # 25.3 with float rounding
        ("B", ts("2024-03-03 07:07"), 0.3),
        (" 客户C ", ts("2024-03-15 14:30"), 99.99),  # one-time buyer, padded id
        ("D", ts("2024-02-02 11:00"), -10.0),  # return before any purchase: dropped
        ("D", ts("2024-02-05 13:00"), 30.0),
        ("D", ts("2024-02-05 13:00"), 30.0),  # duplicate
        ("E", ts("2023-12-31 23:59"), 10.0),  # before start
        ("E", ts("2024-01-01 00:00"), 5.0),
        ("E", ts("2024-02-20 22:10"), 12.0),
        ("F", ts("2024-03-31 23:59:59"), 12.5),  # last second of as_of: kept
        ("F", ts("2024-04-01 00:00"), 10.0),  # after as_of
        ("F", ts("2024-01-31 23:00"), 8.0),
        ("F", ts("2024-02-16 01:00"), 9.0),  # first day after the calibration end
        (None, ts("2024-01-10 10:00"), 10.0),  # no customer
        ("", ts("2024-01-11 10:00"), 5.0),  # empty customer id
        ("G", pd.NaT, 10.0),  # no date
        ("G", ts("2024-01-12 10:00"), np.nan),  # no amount
        ("G", ts("2024-01-13 10:00"), 7.25),
        ("G", ts("2024-03-01 10:00"), 7.75),
        ("G", ts("2024-03-01 10:00"), -7.75),  # same-timestamp full return of a repeat day
        ("H", ts("2024-02-14 19:00"), 1234.5),
        ("H", ts("2024-02-15 06:00"), -1000.0),  # partial return on the next day
    ]
    frame = pd.DataFrame(rows, columns=[CUSTOMER, DATE, AMOUNT])
    frame[DATE] = frame[DATE].astype("datetime64[us]")
    return frame


def _text_frame() -> pd.DataFrame:
    """The messy rows with dates as text, some with UTC offsets, one unparsable, one empty."""
    frame = _messy_frame()
    text = frame[DATE].dt.strftime("%Y-%m-%d %H:%M:%S").astype(object)
    text[frame[DATE].isna()] = None
    text[0] = "2024-01-02T09:15:00+08:00"  # wall-clock time kept: still 2024-01-02
    text[3] = "2024-01-20 23:59:59 +0800"
    text[4] = "2024-01-21T00:00:01Z"
    text[8] = "2024-01-05"  # date only
    text[9] = "  2024-01-05 00:00:00 "  # padded
    text[21] = "2024-03-31 23:59:59-05:00"  # last second of as_of, offset dropped
    text[26] = ""  # empty customer id and empty date
    extra = pd.DataFrame({CUSTOMER: ["G"], DATE: ["2024-02-30 10:00"], AMOUNT: [3.0]})
    frame = pd.concat([frame.assign(**{DATE: text}), extra], ignore_index=True)
    return frame.astype({CUSTOMER: "string", DATE: "string"})


def _export_frame() -> pd.DataFrame:
    """Rows as a CSV export gives them to a database: every cell text, except the amounts.

    Ids written from a float column (``93.0``), missing ids written as ``nan``, ``null`` or
    nothing, NaN amounts, day-first, Chinese and compact dates, and amounts whose float sum
    is not exactly zero (2.55 × 6 − 15.30).
    """
    rows = [
        ("93.0", "05.03.2024 10:00", 2.55 * 6),
        ("93.0", "05.03.2024 10:00", -15.30),  # nets the day to exactly 0: dropped
        ("93.0", "13.03.2024", 20.0),
        (" 94.0 ", "2024年3月6日", 7.5),
        ("94.0", "20240307", 2.5),
        ("94.0", "08.03.2024 09:30:00", np.nan),  # no amount: dropped
        ("95.0", "01.02.2024", 0.1),
        ("95.0", "01.02.2024 12:00", 0.2),
        ("95.0", "29.02.2024", 0.3),
        ("nan", "01.03.2024", 1.0),  # no customer
        ("null", "01.03.2024", 1.0),
        ("", "01.03.2024", 1.0),
        ("96.0", "", 4.0),  # no date
    ]
    frame = pd.DataFrame(rows, columns=[CUSTOMER, DATE, AMOUNT])
    return frame.astype({CUSTOMER: "string", DATE: "string"})


def _cdnow_frame() -> pd.DataFrame:
    frame = load_cdnow_sample()[["customer_id", "date", "quantity", "amount"]]
    return frame.assign(date=frame["date"].astype("datetime64[us]"))


DATASETS = {
    "messy": {
        "frame": _messy_frame,
        "options": {
            "customer": CUSTOMER,
            "date": DATE,
            "amount": AMOUNT,
            "as_of": "2024-03-31",
            "start": "2024-01-01",
        },
        "as_of": "2024-03-31",
        "calibration_end": "2024-02-15",
    },
    "text": {
        "frame": _text_frame,
        "options": {
            "customer": CUSTOMER,
            "date": DATE,
            "amount": AMOUNT,
            "as_of": "2024-03-31",
            "start": "2024-01-01",
            "invalid_dates": "drop",
        },
        "as_of": "2024-03-31",
        "calibration_end": "2024-02-15",
    },
    "exports": {
        "frame": _export_frame,
        "options": {"customer": CUSTOMER, "date": DATE, "amount": AMOUNT},
        "as_of": "2024-03-31",
        "calibration_end": "2024-02-29",
    },
    "cdnow": {
        "frame": _cdnow_frame,
        "options": {
            "customer": "customer_id",
            "date": "date",
            "amount": "amount",
            "quantity": "quantity",
            "duplicates": "keep",
        },
        "as_of": "1998-06-30",
        "calibration_end": "1997-09-30",
    },
}
SCENARIOS = [(None, "D"), (None, "W"), ("calibration", "D"), ("calibration", "W")]


@functools.cache
def _frame(dataset: str) -> pd.DataFrame:
    return DATASETS[dataset]["frame"]()


@functools.cache
def _duckdb(dataset: str):
    return load_transactions(_frame(dataset), **DATASETS[dataset]["options"])


def _summaries(transactions, dataset: str) -> dict:
    spec = DATASETS[dataset]
    return {
        (calibration, unit): summarize(
            transactions,
            as_of=spec["as_of"],
            time_unit=unit,
            calibration_end=spec["calibration_end"] if calibration else None,
        )
        for calibration, unit in SCENARIOS
    }


@functools.cache
def _duckdb_summaries(dataset: str) -> dict:
    return _summaries(_duckdb(dataset), dataset)


# --- engines ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark_session():
    """A small local SparkSession for the module; stopped at the end."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.skip(
            "pyspark is not installed: pip install -e '.[spark]' (and a Java 17 runtime) "
            "to run the Spark tests"
        )
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (
        java_home and os.access(f"{java_home}/bin/java", os.X_OK)
    ):
        pytest.skip(
            "no Java runtime (no 'java' on PATH or in JAVA_HOME): install a Java 17 runtime "
            "(e.g. apt-get install openjdk-17-jre-headless) to run the Spark tests"
        )

    session = (
        SparkSession.builder.master("local[1]")
        .appName("custanalytics-engine-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # naive pandas timestamps are read as wall-clock time in the session time zone only
        # through Arrow (without it they are read in the process's local time zone)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
        # Python workers (if any) run in this interpreter, not whatever python3 is on PATH
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _spark_schema(frame: pd.DataFrame):
    from pyspark.sql import types as T

    kinds = {
        "string": T.StringType(),
        "datetime64[us]": T.TimestampType(),
        "float64": T.DoubleType(),
        "int64": T.LongType(),
    }
    fields = []
    for name, dtype in frame.dtypes.items():
        key = "string" if pd.api.types.is_string_dtype(dtype) else str(dtype)
        fields.append(T.StructField(name, kinds[key], nullable=True))
    return T.StructType(fields)


def _postgres_binaries() -> str | None:
    """Folder of the PostgreSQL server programs (Debian's, or on PATH), if installed."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(f"{folder}/initdb", os.X_OK) and os.access(f"{folder}/pg_ctl", os.X_OK):
            return folder
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Postgres:
    """A running server: its URL, connections and what was loaded, released before it stops.

    Cached tables drop themselves through their connection when garbage-collected, so they
    go first, then the connections, then the server.
    """

    def __init__(self, url: str):
        self.url = url
        self.connections: list = []
        self.loaded: dict = {}

    def connect(self):
        con = ibis.connect(self.url)
        self.connections.append(con)
        return con

    def release(self) -> None:
        self.loaded.clear()
        gc.collect()
        for con in self.connections:
            con.disconnect()


@pytest.fixture(scope="module")
def postgres():
    """A throw-away PostgreSQL server on localhost for the module.

    ``initdb`` and ``pg_ctl`` run in a temporary folder, as the unprivileged user ``nobody``
    when the tests run as root (the server refuses to run as root); the folder is removed at
    the end.
    """
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install -e .")
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip(
            "PostgreSQL server programs (initdb, pg_ctl) not found: install Debian's "
            "postgresql (apt-get install postgresql; .ci/run does) to run the PostgreSQL tests"
        )
    folder = tempfile.mkdtemp(prefix="custanalytics-pg-")
    prefix: list[str] = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        prefix = ["runuser", "-u", "nobody", "--"]
    data, port = os.path.join(folder, "data"), _free_port()

    def run(*command: str) -> None:
        subprocess.run(
            [*prefix, *command], check=True, capture_output=True, timeout=120, cwd=folder
        )

    try:
        run(f"{binaries}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(f"{binaries}/pg_ctl", "-D", data, "-o", options, "-l", f"{folder}/log", "-w", "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace')}")
    server = _Postgres(f"postgres://postgres@127.0.0.1:{port}/postgres")
    try:
        yield server
    finally:
        server.release()
        run(f"{binaries}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def engine_loader(tmp_path_factory):
    """Return ``load(engine, dataset) -> Transactions``, cached per engine and dataset."""
    folder = tmp_path_factory.mktemp("engines")
    cache: dict = {}

    def load(engine: str, dataset: str, session=None, postgres=None):
        key = (engine, dataset)
        store = postgres.loaded if engine == "postgres" else cache
        if key in store:
            return store[key]
        frame, options = _frame(dataset), DATASETS[dataset]["options"]
        if engine == "sqlite":
            path = folder / f"{dataset}.db"
            with contextlib.closing(sqlite3.connect(path)) as con:
                frame.to_sql("transactions", con, index=False, if_exists="replace")
                con.commit()
            loaded = load_transactions(f"sqlite:///{path}", table="transactions", **options)
        elif engine == "spark":
            name = f"transactions_{dataset}"
            # pyspark 4.0 cannot convert pandas' Arrow-backed string columns: hand it objects
            rows = frame.astype(
                {c: object for c in frame if pd.api.types.is_string_dtype(frame[c])}
            )
            rows = rows.where(frame.notna(), None)
            session.createDataFrame(rows, schema=_spark_schema(frame)).createOrReplaceTempView(name)
            con = ibis.pyspark.connect(session)
            loaded = load_transactions(con, table=name, **options)
        elif engine == "postgres":
            con = postgres.connect()
            con.create_table(dataset, frame, overwrite=True)
            loaded = load_transactions(con, table=dataset, **options)
        else:
            raise ValueError(engine)
        store[key] = loaded
        return loaded

    return load


@pytest.fixture
def load(request, engine_loader):
    def _load(engine: str, dataset: str):
        session = request.getfixturevalue("spark_session") if engine == "spark" else None
        postgres = request.getfixturevalue("postgres") if engine == "postgres" else None
        return engine_loader(engine, dataset, session, postgres)

    return _load


# --- comparisons -----------------------------------------------------------------------------


def _steps(quality) -> list[tuple[str, int, str]]:
    return [(s.check, s.rows, s.action) for s in quality.steps]


def assert_same_summary(ours: pd.DataFrame, reference: pd.DataFrame) -> None:
    assert list(ours.index) == list(reference.index)
    assert ours.index.name == reference.index.name == "customer_id"
    assert ours.dtypes.to_dict() == reference.dtypes.to_dict()
    for column in reference.columns:
        expected, got = reference[column], ours[column]
        if pd.api.types.is_float_dtype(expected):
            np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0, err_msg=column)
        else:  # integers and dates: exactly equal
            pd.testing.assert_series_equal(got, expected, check_exact=True)
    assert ours.attrs == reference.attrs


# --- the reference is right ------------------------------------------------------------------


def test_messy_reference_on_duckdb():
    quality = _duckdb("messy").quality
    assert _steps(quality) == [
        ("duplicate_rows", 2, "dropped"),
        ("missing_customer_id", 2, "dropped"),
        ("missing_date", 1, "dropped"),
        ("missing_amount", 1, "dropped"),
        ("after_as_of", 1, "dropped"),
        ("before_start", 1, "dropped"),
        ("returns_without_purchase", 1, "dropped"),
        ("returns", 4, "corrected"),
        ("fully_returned_purchases", 4, "dropped"),
    ]
    assert (quality.rows_read, quality.rows_kept) == (34, 21)
    s = _duckdb_summaries("messy")[(None, "D")]
    assert list(s.index) == ["A", "B", "D", "E", "F", "G", "H", "客户C"]
    a = s.loc["A"]
    # purchase days 01-02 (150), 01-20 (80), 01-21 (20 - 15), 02-10 (60), 03-20 (45.5)
    assert (a["orders"], a["frequency"], a["recency"], a["T"]) == (5, 4, 78.0, 89.0)
    assert a["revenue"] == pytest.approx(340.5)
    assert a["monetary_value"] == pytest.approx((80 + 5 + 60 + 45.5) / 4)
    b = s.loc["B"]  # the 01-05 purchase was fully returned
    assert b["first_purchase"] == pd.Timestamp("2024-02-01")
    assert (b["orders"], b["revenue"]) == (2, pytest.approx(25.6))
    assert (s.loc["G", "orders"], s.loc["F", "last_purchase"]) == (1, pd.Timestamp("2024-03-31"))
    assert (s.loc["客户C", "frequency"], s.loc["客户C", "monetary_value"]) == (0, 0.0)
    assert s.loc["H", "revenue"] == pytest.approx(234.5)
    calibrated = _duckdb_summaries("messy")[("calibration", "W")]
    assert "客户C" not in calibrated.index
    assert calibrated.loc["F", "frequency_holdout"] == 2
    assert calibrated.loc["A", "T"] == pytest.approx(44 / 7)


def test_text_dates_reference_on_duckdb():
    quality = _duckdb("text").quality
    steps = _steps(quality)
    assert steps[1:3] == [("timezone_dropped", 4, "corrected"), ("unparsable_dates", 1, "dropped")]
    assert steps[:1] + steps[3:] == _steps(_duckdb("messy").quality)
    assert (quality.rows_read, quality.rows_kept) == (35, 21)
    for scenario, summary in _duckdb_summaries("text").items():
        assert_same_summary(summary, _duckdb_summaries("messy")[scenario])


def test_exports_reference_on_duckdb():
    quality = _duckdb("exports").quality
    assert _steps(quality) == [
        ("dates_day_first", 10, "kept"),  # every DD.MM.YYYY value, 13.03 tells the order
        ("missing_customer_id", 3, "dropped"),  # nan, null, empty
        ("missing_date", 1, "dropped"),
        ("missing_amount", 1, "dropped"),
        ("returns", 1, "corrected"),
        ("fully_returned_purchases", 2, "dropped"),  # 2.55 x 6 - 15.30 is exactly 0
    ]
    assert (quality.rows_read, quality.rows_kept) == (13, 6)
    s = _duckdb_summaries("exports")[(None, "D")]
    assert list(s.index) == ["93", "94", "95"]
    assert s["orders"].tolist() == [1, 2, 2]
    assert s["revenue"].tolist() == [20.0, 10.0, 0.6]  # 0.1 + 0.2 + 0.3, exactly
    assert s.loc["95", "monetary_value"] == 0.3


# --- other engines equal the reference -------------------------------------------------------


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("engine", ENGINES)
def test_quality_matches_duckdb(load, engine, dataset):
    quality = load(engine, dataset).quality
    reference = _duckdb(dataset).quality
    assert _steps(quality) == _steps(reference)
    assert (quality.rows_read, quality.rows_kept) == (reference.rows_read, reference.rows_kept)


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("engine", ENGINES)
def test_summaries_match_duckdb(load, engine, dataset):
    ours = _summaries(load(engine, dataset), dataset)
    for scenario, reference in _duckdb_summaries(dataset).items():
        try:
            assert_same_summary(ours[scenario], reference)
        except AssertionError as exc:
            raise AssertionError(f"{engine}, {dataset}, {scenario}: {exc}") from None


@pytest.mark.parametrize("engine", ENGINES)
def test_cleaned_rows_match_duckdb(load, engine):
    ours = load(engine, "messy").to_pandas()
    reference = _duckdb("messy").to_pandas()
    key = ["customer_id", "date", "amount"]
    reference = reference.sort_values(key).reset_index(drop=True)
    ours = ours.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, reference, check_dtype=False)
    assert ours["date"].min() >= pd.Timestamp(dt.date(2024, 1, 1))


@pytest.mark.xdist_group("postgres")
def test_postgres_url_with_a_query(postgres):
    """A ``postgres://`` URL and ``query=``, as a parameter file gives them."""
    frame = _frame("exports")
    postgres.connect().create_table("exports_url", frame, overwrite=True)
    query = f"SELECT * FROM exports_url WHERE \"{CUSTOMER}\" LIKE '9%'"
    tx = load_transactions(postgres.url, query=query, **DATASETS["exports"]["options"])
    postgres.connections.append(tx.table.get_backend())
    assert tx.quality.source.startswith("postgres://")
    reference = load_transactions(
        frame[frame[CUSTOMER].str.startswith("9")], **DATASETS["exports"]["options"]
    )
    assert _steps(tx.quality) == _steps(reference.quality)
    pd.testing.assert_frame_equal(tx.to_pandas(), reference.to_pandas(), check_dtype=False)


@pytest.mark.xdist_group("postgres")
@pytest.mark.parametrize(
    "options",
    [{"date_format": "%d/%m/%Y %H:%M", "invalid_dates": "drop"}, {"dayfirst": True}],
    ids=["date_format", "dayfirst"],
)
def test_postgres_reads_text_dates_as_files_do(postgres, options):
    frame = pd.DataFrame(
        {
            CUSTOMER: ["A", "B", "C"],
            DATE: ["05/03/2024 10:00", "4/1/2024 9:05", "31/02/2024 10:00"],
            AMOUNT: [1.0, 2.0, 4.0],
        }
    ).astype({CUSTOMER: "string", DATE: "string"})
    roles = {"customer": CUSTOMER, "date": DATE, "amount": AMOUNT, **options}
    if "dayfirst" in options:  # every value must then be a real day
        frame[DATE] = frame[DATE].str.replace("31/02", "28/02")
    name = "dates_" + "_".join(options)
    postgres.connect().create_table(name, frame, overwrite=True)
    ours = load_transactions(postgres.connections[-1], table=name, **roles)
    reference = load_transactions(frame, **roles)
    assert _steps(ours.quality) == _steps(reference.quality)
    pd.testing.assert_frame_equal(ours.to_pandas(), reference.to_pandas(), check_dtype=False)


@pytest.mark.parametrize("engine", ENGINES)
def test_pseudonyms_match_duckdb(load, engine):
    from custanalytics import DataError, pseudonym, pseudonymise

    loaded = load(engine, "messy")
    if engine == "sqlite":  # SQLite has no SHA-256: a clear error, never other pseudonyms
        with pytest.raises(DataError, match=r"mask_ids: the transactions engine \(sqlite\)"):
            pseudonymise(loaded, key="k")
        return
    masked, _, _ = pseudonymise(loaded, key="k")
    ids = set(loaded.table.customer_id.to_pandas())
    assert set(masked.table.customer_id.to_pandas()) == {pseudonym(i, "k") for i in ids}
    reference, _, _ = pseudonymise(_duckdb("messy"), key="k")
    expected = summarize(reference, as_of=DATASETS["messy"]["options"]["as_of"])
    assert_same_summary(summarize(masked, as_of=DATASETS["messy"]["options"]["as_of"]), expected)
