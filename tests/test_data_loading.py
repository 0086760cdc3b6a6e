"""Data in: every source kind, every cleaning rule with its exact DataQuality count, clear errors.

Each case uses a small hand-made fixture, written to ``tmp_path`` when it has to be a file.
Every error is a ``CustAnalyticsError`` (or ``FileNotFoundError``) whose message names the
column or parameter, the rows affected, an example value and the fix.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import sqlite3

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest

from custanalytics import (
    CustAnalyticsError,
    DataError,
    ParameterError,
    load_customers,
    load_transactions,
    summarize,
)

ROLES = {"customer": "c", "date": "d", "amount": "a"}
CHINESE = {"customer": "客户编号", "date": "下单时间", "amount": "金额"}
CHINESE_ROWS = [
    ("客户甲", "2024-03-05", "￥1,234元"),
    ("客户乙", "2024年3月6日", "1,234.50"),
    ("客户甲", "2024/3/7", "88"),
]


def frame(rows, columns=("c", "d", "a")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def load(source, **options):
    """Load with the default column names; the record must match the rows that are left."""
    tx = load_transactions(source, **(ROLES | options))
    assert len(tx.to_pandas()) == tx.quality.rows_kept
    return tx


def steps(tx) -> list[tuple[str, int, str]]:
    return [(s.check, s.rows, s.action) for s in tx.quality.steps]


def per_customer(summary: pd.DataFrame) -> dict:
    columns = ["orders", "revenue", "monetary_value"]
    return {c: tuple(row) for c, row in summary[columns].iterrows()}


@contextlib.contextmanager
def fails(kind: type[Exception], *fragments: str):
    """Expect ``kind`` from the package's own error family with every fragment in its message."""
    with pytest.raises(kind) as info:
        yield
    assert isinstance(info.value, CustAnalyticsError | FileNotFoundError)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def test_error_family():
    for kind in (ParameterError, DataError):
        assert issubclass(kind, CustAnalyticsError) and issubclass(kind, ValueError)


# --- sources ---------------------------------------------------------------------------------


def test_dataframe_source_is_never_modified():
    source = pd.DataFrame(
        {
            "c": [" A ", "A", "A", None, 1001.0],
            "d": pd.to_datetime(
                ["2024-01-01 23:30"] * 3 + ["2024-01-02 00:00", "2024-01-03 00:00"]
            ),
            "a": ["¥1,234", "(5)", "(5)", "7", "8"],
        },
        index=[10, 10, 11, 12, 13],
    )
    source["d"] = source["d"].dt.tz_localize("Asia/Shanghai")
    before = copy.deepcopy(source)
    tx = load(source, returns="keep")
    pd.testing.assert_frame_equal(source, before)
    assert steps(tx) == [
        ("duplicate_rows", 1, "dropped"),
        ("amounts_from_text", 2, "corrected"),
        ("timezone_dropped", 4, "corrected"),
        ("missing_customer_id", 1, "dropped"),
        ("returns", 1, "kept"),
    ]
    master = pd.DataFrame({"id": [1001.0, np.nan], "type": ["enterprise", "individual"]})
    master_before = copy.deepcopy(master)
    load_customers(master, customer="id")
    pd.testing.assert_frame_equal(master, master_before)


def write_csv(path, rows, encoding):
    frame(rows, CHINESE.values()).to_csv(path, index=False, encoding=encoding)
    return path


@pytest.mark.parametrize(
    ("written", "given", "used"),
    [
        ("utf-8", None, "utf-8-sig"),
        ("utf-8-sig", None, "utf-8-sig"),
        ("gbk", None, "gb18030"),
        ("gb18030", None, "gb18030"),
        ("gbk", "gbk", "gbk"),
        ("utf-8-sig", "utf-8", "utf-8"),  # BOM left in the header by a plain utf-8 decode
    ],
)
def test_csv_encodings_with_chinese_headers(tmp_path, written, given, used):
    path = write_csv(tmp_path / "销售.csv", CHINESE_ROWS, written)
    tx = load_transactions(path, encoding=given, **CHINESE)
    assert tx.quality.source == f"{path} ({used}, separator ',')"
    rows = tx.to_pandas()
    assert rows["customer_id"].tolist() == ["客户乙", "客户甲", "客户甲"]
    assert rows["amount"].tolist() == [1234.5, 1234.0, 88.0]
    assert rows["date"].dt.day.tolist() == [6, 5, 7]
    assert steps(tx) == [("amounts_from_text", 2, "corrected")]


def test_csv_unknown_encoding_is_a_parameter_error(tmp_path):
    path = write_csv(tmp_path / "sales.csv", CHINESE_ROWS, "gbk")
    with fails(ParameterError, "'klingon'", "gb18030"):
        load_transactions(path, encoding="klingon", **CHINESE)


@pytest.mark.parametrize(
    ("written", "given", "message"),
    [
        ("utf-16", None, "could not be decoded as utf-8-sig, gb18030"),
        ("gbk", "utf-8", "could not be decoded as utf-8"),
    ],
)
def test_csv_that_does_not_decode_is_a_data_error(tmp_path, written, given, message):
    path = write_csv(tmp_path / "sales.csv", CHINESE_ROWS, written)
    with fails(DataError, str(path), message, "encoding="):
        load_transactions(path, encoding=given, **CHINESE)


@pytest.fixture
def workbook(tmp_path):
    """Two sheets: a cover sheet first, then the sales with numeric ids as Excel stores them."""
    path = tmp_path / "sales.xlsx"
    sales = frame([(1001, "2024-01-05", 10.0), (None, "2024-01-06", 5.0), (1002, "2024-01-07", 7)])
    sales["d"] = pd.to_datetime(sales["d"])
    with pd.ExcelWriter(path) as writer:
        frame([("x", "y", "z")], ["说明", "b", "c"]).to_excel(
            writer, sheet_name="说明", index=False
        )
        sales.to_excel(writer, sheet_name="销售", index=False)
    return path


@pytest.mark.parametrize("sheet", ["销售", 1])
def test_excel_sheet_by_name_and_position(workbook, sheet):
    tx = load(workbook, sheet=sheet)
    rows = tx.to_pandas()
    assert rows["customer_id"].tolist() == ["1001", "1002"]  # read as 1001.0: no ".0" left
    assert rows["date"].tolist() == [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-07")]
    assert steps(tx) == [("missing_customer_id", 1, "dropped")]


@pytest.mark.parametrize("sheet", ["sales", 2])
def test_excel_missing_sheet_lists_the_sheets(workbook, sheet):
    with fails(DataError, repr(sheet), "说明, 销售", "sheet="):
        load(workbook, sheet=sheet)


def test_excel_first_sheet_by_default(workbook):
    with fails(DataError, "column 'cust'", "说明, b, c", "Closest match: 'c'"):
        load(workbook, customer="cust", date="b", amount="c")


def test_parquet_file_and_folder(tmp_path):
    rows = frame([("A", "2024-01-01", 1.0), ("B", "2024-01-02", 2.0), ("A", "2024-01-03", 3.0)])
    rows.to_parquet(tmp_path / "all.parquet")
    folder = tmp_path / "parts"
    folder.mkdir()
    rows.iloc[:2].to_parquet(folder / "part-0.parquet")
    rows.iloc[2:].to_parquet(folder / "part-1.parquet")
    one, many = load(tmp_path / "all.parquet"), load(folder)
    pd.testing.assert_frame_equal(one.to_pandas(), many.to_pandas())
    assert (one.quality.rows_read, many.quality.rows_read) == (3, 3)


def test_unreadable_parquet_is_a_data_error(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_text("not parquet")
    with fails(DataError, str(path), "not a readable Parquet file"):
        load(path)


# --- SQL -------------------------------------------------------------------------------------

SQL_ROWS = [
    ("A", "2024-01-01 10:00:00", 100.0),
    ("A", "2024-01-01 10:00:00", 100.0),  # exact duplicate
    (" A ", "2024-01-05 03:00:00+08:00", 50.0),  # padded id; 2024-01-04 in UTC
    ("A", "2024-01-07 20:00:00", -20.0),  # return: nets onto 2024-01-05
    ("B", "2024-01-03", 40.0),
    ("", "2024-01-04", 5.0),  # empty id
    ("C", "2024-01-20 23:59:59", 7.5),
    ("C", "2024-02-01 00:00:00", 9.0),  # after as_of
]


ENGINES = ["sqlite", "duckdb"]


def write_database(path, engine: str, rows: pd.DataFrame):
    """Write ``rows`` as table ``sales`` (text dates, as SQLite stores them) to a new file."""
    if engine == "sqlite":
        with contextlib.closing(sqlite3.connect(path)) as con:
            rows.to_sql("sales", con, index=False)
            con.commit()
    else:
        with duckdb.connect(str(path)) as con:
            con.register("rows", rows)
            con.execute("CREATE TABLE sales AS SELECT * FROM rows")
    return path


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """The same ``sales`` table in a SQLite and a DuckDB file."""
    folder = tmp_path_factory.mktemp("sql")
    return {e: write_database(folder / f"sales.{e}", e, frame(SQL_ROWS)) for e in ENGINES}


def url(databases, engine: str) -> str:
    return f"{engine}://{databases[engine]}"  # e.g. sqlite:///tmp/.../sales.sqlite


@pytest.mark.parametrize("engine", ENGINES)
def test_sql_url_with_table_or_query(databases, engine):
    by_table = load(url(databases, engine), table="sales", as_of="2024-01-31")
    by_query = load(
        url(databases, engine), query="SELECT * FROM sales WHERE a > 0", as_of="2024-01-31"
    )
    assert by_table.quality.rows_read == 8 and by_query.quality.rows_read == 7
    assert steps(by_table) == [
        ("duplicate_rows", 1, "dropped"),
        ("timezone_dropped", 1, "corrected"),
        ("missing_customer_id", 1, "dropped"),
        ("after_as_of", 1, "dropped"),
        ("returns", 1, "corrected"),
    ]
    assert by_table.quality.rows_kept == 5
    assert by_query.to_pandas()["customer_id"].tolist() == ["A", "A", "B", "C"]


@pytest.mark.parametrize("engine", ENGINES)
def test_sql_summary_equals_dataframe_summary(databases, engine):
    """The same rows through the database and through pandas: same counts, same summary."""
    reference = load(frame(SQL_ROWS), as_of="2024-01-31")
    ours = load(url(databases, engine), table="sales", as_of="2024-01-31")
    assert steps(ours) == steps(reference)
    for calibration_end in (None, "2024-01-04"):
        expected = summarize(reference, as_of="2024-01-31", calibration_end=calibration_end)
        got = summarize(ours, as_of="2024-01-31", calibration_end=calibration_end)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    expected = summarize(reference, as_of="2024-01-31")
    assert per_customer(expected) == {
        "A": (2, 130.0, 30.0),
        "B": (1, 40.0, 0.0),
        "C": (1, 7.5, 0.0),
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_sql_text_dates_follow_the_dataframe_rules(tmp_path, engine):
    rows = frame(
        [
            ("A", "2024-01-01", 1.0),
            ("A", "someday", 2.0),
            ("B", "2024-13-45", 3.0),
            ("B", "2024-02-30", 4.0),  # SQLite casts it as given: caught by the day check
        ]
    )
    source = f"{engine}://{write_database(tmp_path / f'dates.{engine}', engine, rows)}"
    with fails(
        DataError, "column 'd'", "3 value(s) are not dates", "'2024-02-30', '2024-13-45', 'someday'"
    ):
        load(source, table="sales")
    tx = load(source, table="sales", invalid_dates="drop")
    assert steps(tx) == [("unparsable_dates", 3, "dropped")]


@pytest.mark.parametrize("engine", ENGINES)
def test_sql_missing_table_lists_the_tables(databases, engine):
    with fails(DataError, "'transactions' not found", "tables there: sales", "table="):
        load(url(databases, engine), table="transactions")


@pytest.mark.parametrize("engine", ENGINES)
def test_sql_failing_query_is_a_data_error(databases, engine):
    with fails(DataError, "SELECT * FROM nowhere", "tables there: sales"):
        load(url(databases, engine), query="SELECT * FROM nowhere")


@pytest.mark.parametrize(
    ("options", "got"),
    [({}, "got neither"), ({"table": "sales", "query": "SELECT * FROM sales"}, "got both")],
)
def test_sql_needs_exactly_one_of_table_and_query(databases, options, got):
    with fails(ParameterError, "table=", "query=", got):
        load(url(databases, "sqlite"), **options)


@pytest.mark.parametrize("engine", ENGINES)
def test_ibis_connection_as_source(databases, engine):
    con = getattr(ibis, engine).connect(databases[engine])
    tx = load(con, table="sales", as_of="2024-01-31")
    assert tx.quality.source == f"{engine} connection"
    reference = load(url(databases, engine), table="sales", as_of="2024-01-31")
    assert steps(tx) == steps(reference)
    pd.testing.assert_frame_equal(tx.to_pandas(), reference.to_pandas())


def test_ibis_table_as_source(databases):
    table = ibis.sqlite.connect(databases["sqlite"]).table("sales")
    tx = load(table.filter(table.a > 0), as_of="2024-01-31")
    assert (tx.quality.source, tx.quality.rows_read, tx.quality.rows_kept) == ("Ibis table", 7, 4)


def test_sql_url_of_a_missing_database_file(tmp_path):
    missing = tmp_path / "nowhere.db"
    with fails(FileNotFoundError, str(missing)):
        load(f"sqlite://{missing}", table="sales")
    assert not missing.exists()  # no empty database left behind


# --- columns, dates, amounts, ids ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "wrong", "closest"),
    [("customer", "Customer_ID", "customer_id"), ("date", "orderdate", "order_date")],
)
def test_missing_mapped_column_names_it_and_the_closest(role, wrong, closest):
    source = frame([("A", "2024-01-01", 1.0)], ["customer_id", "order_date", "amount"])
    roles = {"customer": "customer_id", "date": "order_date", "amount": "amount"}
    with fails(
        DataError,
        f"'{wrong}' (mapped as {role}=)",
        "customer_id, order_date, amount",
        f"Closest match: '{closest}'",
        f"Set {role}=",
    ):
        load_transactions(source, **(roles | {role: wrong}))


BAD_DATES = ["2024-01-01", "soon", "2024-13-01", "31/31/2024", "n/a", "2024-01-02"]


def test_unparsable_dates_are_an_error_with_count_and_examples():
    source = frame([(f"C{i}", d, 1.0) for i, d in enumerate(BAD_DATES)])
    with fails(
        DataError, "column 'd'", "4 value(s)", "'2024-13-01', '31/31/2024', 'n/a'", "invalid_dates"
    ):
        load(source)


def test_unparsable_dates_dropped_and_counted():
    source = frame([(f"C{i}", d, 1.0) for i, d in enumerate(BAD_DATES)])
    tx = load(source, invalid_dates="drop")
    assert steps(tx) == [("unparsable_dates", 4, "dropped")]
    assert tx.quality.rows_kept == 2


def test_date_formats():
    written = ["2024-03-05", "2024/3/5", "20240305", "2024年3月5日", "2024-03-05 00:00:00"]
    tx = load(frame([(f"C{i}", d, 1.0) for i, d in enumerate(written)]))
    assert (tx.to_pandas()["date"] == pd.Timestamp("2024-03-05")).all()
    assert steps(tx) == []
    numbers = load(frame([("A", 20240305, 1.0), ("B", 20240306, 1.0)]))  # yyyymmdd as integers
    assert numbers.to_pandas()["date"].dt.day.tolist() == [5, 6]


SHANGHAI = pd.to_datetime(["2024-03-06 01:00", "2024-03-05 23:30"]).tz_localize("Asia/Shanghai")


@pytest.mark.parametrize(
    ("written", "offsets"),
    [
        (["2024-03-06T01:00:00+08:00", "2024-03-05T23:30:00+08:00"], 2),
        (["2024-03-06 01:00+0800", "2024-03-05T23:30:00-05:00"], 2),  # mixed offsets
        (["2024-03-06T01:00:00Z", "2024-03-05 23:30"], 1),  # offset and naive mixed
        (pd.Series(SHANGHAI), 2),  # a tz-aware datetime column
        (["2024-03-06T01+08", "2024-03-05T23:30-05"], 2),  # hour-only offsets, mixed
    ],
    ids=["same-offset", "mixed-offsets", "with-naive", "tz-aware-column", "hour-only"],
)
def test_timezone_aware_timestamps_keep_their_local_wall_clock_time(written, offsets):
    """Rule: the offset is dropped and the time as written is kept, never converted to UTC.

    01:00+08:00 on 6 March is 17:00 UTC on 5 March, yet the purchase stays on 6 March, the
    day the source recorded; each value that had an offset is counted as corrected.
    """
    tx = load(frame({"c": ["A", "B"], "d": written, "a": [1.0, 2.0]}))
    assert tx.to_pandas()["date"].tolist() == [
        pd.Timestamp("2024-03-06 01:00"),
        pd.Timestamp("2024-03-05 23:30"),
    ]
    assert steps(tx) == [("timezone_dropped", offsets, "corrected")]
    summary = summarize(tx, as_of="2024-03-31")
    assert summary["first_purchase"].dt.day.tolist() == [6, 5]


def test_amounts_written_as_text():
    written = ["1,234.50", "¥1,234", "￥1,234元", "(12.50)", "12", " 3.5 "]
    tx = load(frame([(f"C{i}", "2024-01-01", a) for i, a in enumerate(written)]), returns="keep")
    assert tx.to_pandas()["amount"].tolist() == [1234.5, 1234.0, 1234.0, -12.5, 12.0, 3.5]
    assert steps(tx) == [("amounts_from_text", 4, "corrected"), ("returns", 1, "kept")]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (["1.234,50", "abc", "10", "abc"], ["3 value(s)", "'1.234,50', 'abc'"]),
        ([True, False, True, True], ["true/false", "4 rows", "'True'", "amount="]),
    ],
)
def test_ambiguous_amounts_are_an_error(written, message):
    source = frame([(f"C{i}", "2024-01-01", a) for i, a in enumerate(written)])
    with fails(DataError, "column 'a'", *message):
        load(source)


def test_empty_customer_ids_dropped_and_counted():
    ids = ["", "   ", None, np.nan, "A", " A "]
    tx = load(frame([(c, "2024-01-01", float(i)) for i, c in enumerate(ids)]))
    assert steps(tx) == [("missing_customer_id", 4, "dropped")]
    assert tx.to_pandas()["customer_id"].tolist() == ["A", "A"]


def test_numeric_ids_from_excel_lose_the_decimal_part():
    tx = load(
        frame([(1001.0, "2024-01-01", 1.0), (np.nan, "2024-01-01", 1.0), (12.5, "2024-01-02", 1)])
    )
    assert tx.to_pandas()["customer_id"].tolist() == ["1001", "12.5"]
    assert steps(tx) == [("missing_customer_id", 1, "dropped")]


# --- duplicates, returns, window -------------------------------------------------------------

DUPLICATED = [
    ("A", "2024-01-01", 5.0),
    ("A", "2024-01-01", 5.0),
    ("A", "2024-01-01", 5.0),
    ("A", "2024-01-01", 6.0),  # differs in the amount: not a duplicate
    ("B", "2024-01-02", 5.0),
]


@pytest.mark.parametrize(
    ("duplicates", "expected_steps", "revenue"),
    [("drop", [("duplicate_rows", 2, "dropped")], 11.0), ("keep", [], 21.0)],
)
def test_exact_duplicate_rows(duplicates, expected_steps, revenue):
    tx = load(frame(DUPLICATED), duplicates=duplicates)
    assert steps(tx) == expected_steps
    assert summarize(tx, as_of="2024-01-31").loc["A", "revenue"] == revenue


RETURNS = [
    ("A", "2024-01-01", 100.0),
    ("A", "2024-01-05", 50.0),
    ("A", "2024-01-07", -20.0),  # net: moves to 01-05, which becomes 30
    ("B", "2024-01-02", 40.0),
    ("B", "2024-01-03", -40.0),  # net: 01-02 nets to 0, dropped with its return
    ("C", "2024-01-02", -10.0),  # net: no earlier purchase, dropped
    ("C", "2024-01-04", 25.0),
    ("D", "2024-01-01", 10.0),
    ("D", "2024-01-03 09:00", -70.0),  # same time as the purchase below, listed first
    ("D", "2024-01-03 09:00", 60.0),  # net: the day nets to -10, dropped with its return
    ("E", "2024-01-01", 30.0),
    ("E", "2024-01-10 08:00", 20.0),
    ("E", "2024-01-10 18:00", 15.0),
    ("E", "2024-01-12", -25.0),  # net: the 01-10 day (35) becomes 10
]


@pytest.mark.parametrize(
    ("policy", "expected_steps", "expected"),
    [
        (
            "net",
            [
                ("returns_without_purchase", 1, "dropped"),
                ("returns", 4, "corrected"),
                ("fully_returned_purchases", 2, "dropped"),  # B's 01-02 and its return
                ("returns_exceeding_purchases", 2, "dropped"),  # D's 01-03: -70 + 60
            ],
            {
                "A": (2, 130.0, 30.0),
                "C": (1, 25.0, 0.0),
                "D": (1, 10.0, 0.0),
                "E": (2, 40.0, 10.0),
            },
        ),
        (
            "drop",
            [("returns", 5, "dropped")],
            {
                "A": (2, 150.0, 50.0),
                "B": (1, 40.0, 0.0),
                "C": (1, 25.0, 0.0),
                "D": (2, 70.0, 60.0),
                "E": (2, 65.0, 35.0),
            },
        ),
        (
            "keep",
            [("returns", 5, "kept")],
            {
                "A": (3, 130.0, 15.0),
                "B": (2, 0.0, -40.0),
                "C": (2, 15.0, 25.0),
                "D": (2, 0.0, -10.0),
                "E": (3, 40.0, 5.0),
            },
        ),
    ],
)
def test_return_policies_by_hand(policy, expected_steps, expected):
    tx = load(frame(RETURNS), returns=policy)
    assert steps(tx) == expected_steps
    assert tx.quality.rows_kept == len(RETURNS) - sum(
        r for _, r, a in expected_steps if a == "dropped"
    )
    assert per_customer(summarize(tx, as_of="2024-01-31")) == expected


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("returns", "refund", "returns must be one of net | drop | keep, got 'refund'"),
        ("duplicates", "merge", "duplicates must be one of drop | keep, got 'merge'"),
        ("invalid_dates", "ignore", "invalid_dates must be one of error | drop, got 'ignore'"),
        ("as_of", "2024-02-30", "as_of must be a date written as YYYY-MM-DD, got '2024-02-30'"),
    ],
)
def test_bad_options_are_parameter_errors(option, value, message):
    with fails(ParameterError, message):
        load(frame(RETURNS), **{option: value})


WINDOW = [
    ("A", "2023-12-31 23:59:59", 1.0),  # before start
    ("A", "2024-01-01 00:00:00", 2.0),
    ("A", "2024-01-31 23:59:59", 3.0),  # later on the as_of day: kept
    ("A", "2024-02-01 00:00:00", 4.0),  # after as_of
    ("B", "2024-02-15", 5.0),  # after as_of
]


def test_rows_outside_start_and_as_of_excluded_and_counted():
    """as_of includes its whole day; start includes its whole day."""
    tx = load(frame(WINDOW), as_of="2024-01-31", start=dt.date(2024, 1, 1))
    assert steps(tx) == [("after_as_of", 2, "dropped"), ("before_start", 1, "dropped")]
    assert tx.as_of == dt.date(2024, 1, 31)
    summary = summarize(tx, as_of="2024-01-31")
    assert list(summary.index) == ["A"]
    assert summary.loc["A", "last_purchase"] == pd.Timestamp("2024-01-31")
    assert summary.loc["A", "revenue"] == 5.0


def test_start_after_as_of_is_a_parameter_error():
    with fails(ParameterError, "start (2024-02-01) is after as_of (2024-01-31)"):
        load(frame(WINDOW), as_of="2024-01-31", start="2024-02-01")


# --- empty and degenerate inputs -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dataframe", "header-only csv"])
def test_empty_input_is_a_clear_data_error(tmp_path, kind):
    source = frame([])
    if kind == "header-only csv":
        source.to_csv(tmp_path / "empty.csv", index=False)
        source = tmp_path / "empty.csv"
    with fails(DataError, "no data rows", "c, d, a", "nothing to analyse"):
        load(source)


def test_empty_csv_file_is_a_data_error(tmp_path):
    (tmp_path / "zero.csv").write_bytes(b"")
    with fails(DataError, "zero.csv is empty"):
        load(tmp_path / "zero.csv")


def test_every_row_excluded_is_a_data_error():
    with fails(DataError, "no transactions left", "after_as_of: 2 dropped", "as_of"):
        load(
            frame([("A", "2024-05-01", 1.0), (None, "2024-01-01", 1.0), ("B", "2024-06-01", 2)]),
            as_of="2024-04-30",
        )


def test_all_values_missing_is_a_data_error():
    with fails(DataError, "no transactions left", "missing_customer_id: 2 dropped"):
        load(frame([(None, None, None), (None, None, None)]), duplicates="keep")


def test_one_customer_and_single_purchases():
    one = summarize(
        load(frame([("A", "2024-01-01", 10.0), ("A", "2024-01-11", 20.0)])), as_of="2024-01-31"
    )
    assert list(one.index) == ["A"] and one.loc["A", "frequency"] == 1
    singles = load(frame([("A", "2024-01-01", 10.0), ("B", "2024-01-05", 5.0)]))
    summary = summarize(singles, as_of="2024-01-31")
    assert (summary["frequency"] == 0).all() and (summary["monetary_value"] == 0.0).all()
    assert summary["recency"].tolist() == [0.0, 0.0]


# --- customer master -------------------------------------------------------------------------


def test_customer_master_with_prospects_repeats_and_missing_ids():
    master = pd.DataFrame(
        {
            "客户编号": ["A", "B", "P1", "A", None, "  ", 1001.0],
            "行业": ["制造", "服务", "制造", "重复", "x", "y", "服务"],
            "region": ["east", "west", "east", "north", "x", "y", "south"],
        }
    )
    customers = load_customers(master, customer="客户编号", columns=["行业"])
    q = customers.quality
    assert [(s.check, s.rows, s.action) for s in q.steps] == [
        ("missing_customer_id", 2, "dropped"),
        ("repeated_customer_id", 1, "dropped"),
    ]
    assert (q.rows_read, q.rows_kept) == (7, 4)
    assert customers.frame.to_dict()["行业"] == {
        "A": "制造",
        "B": "服务",
        "P1": "制造",
        "1001": "服务",
    }
    tx = load(
        frame([("A", "2024-01-01", 10.0), ("A", "2024-01-05", 4.0), ("B", "2024-01-03", 3.0)])
    )
    summary = summarize(tx, as_of="2024-01-31", customers=customers)
    assert list(summary.index) == ["1001", "A", "B", "P1"]
    assert summary["orders"].tolist() == [0, 2, 1, 0]
    assert summary["frequency"].tolist() == [0, 1, 0, 0]
    assert summary.dtypes[["orders", "frequency"]].tolist() == [np.int64, np.int64]
    assert summary.loc["P1", "revenue"] == 0.0 and summary.loc["A", "行业"] == "制造"


def test_customer_master_column_errors():
    master = pd.DataFrame({"id": ["A"], "industry": ["x"], "revenue": [1.0]})
    with fails(DataError, "'industy' (mapped as columns[0]=)", "Closest match: 'industry'"):
        load_customers(master, customer="id", columns=["industy"])
    tx = load(frame([("A", "2024-01-01", 1.0)]))
    with fails(DataError, "'revenue'", "columns="):
        summarize(tx, as_of="2024-01-31", customers=load_customers(master, customer="id"))


def test_summarize_rejects_a_date_that_is_not_one():
    tx = load(frame([("A", "2024-01-01", 1.0)]))
    with fails(ParameterError, "as_of must be a date", "'end of January'"):
        summarize(tx, as_of="end of January")


# --- missing files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sales.csv", "sales.xlsx", "sales.parquet", "folder/"])
def test_missing_file_names_the_path(tmp_path, name):
    path = tmp_path / name
    with fails(FileNotFoundError, str(path)):
        load(path)
    with fails(FileNotFoundError, str(path)):
        load_customers(path, customer="c")


@pytest.mark.parametrize(
    ("source_name", "option", "message"),
    [
        ("tx.csv", {"sheet": 0}, "sheet=0 does not apply"),
        ("tx.csv", {"table": "sales"}, "table='sales' does not apply"),
        ("tx.parquet", {"encoding": "gbk"}, "encoding='gbk' does not apply"),
    ],
)
def test_options_the_source_does_not_use_are_errors(tmp_path, source_name, option, message):
    frame = pd.DataFrame({"c": ["A"], "d": ["2024-01-01"], "a": [1.0]})
    path = tmp_path / source_name
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    with pytest.raises(ParameterError, match=message):
        load_transactions(path, **ROLES, **option)
