"""Data in, as real exports come: day-first dates, ``93.0`` ids, line items, purchase logs
without amounts, folders of daily CSVs, ``;`` and decimal commas, Excel title rows.

Every fixture is small and written the way the exporting program writes it; every expected
figure is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect

import duckdb
import numpy as np
import pandas as pd
import pytest

from custanalytics import (
    CustAnalyticsError,
    DataError,
    ParameterError,
    TransactionsParams,
    load_customers,
    load_transactions,
    summarize,
)
from custanalytics.data import JoinCoverage, join_coverage

ROLES = {"customer": "c", "date": "d", "amount": "a"}


@contextlib.contextmanager
def fails(kind: type[Exception], *fragments: str):
    with pytest.raises(kind) as info:
        yield
    assert isinstance(info.value, CustAnalyticsError)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)


def steps(tx) -> list[tuple[str, int, str]]:
    return [(s.check, s.rows, s.action) for s in tx.quality.steps]


def step(tx, check: str):
    (found,) = [s for s in tx.quality.steps if s.check == check]
    return found


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --- 1. day-first dates -----------------------------------------------------------------------

# a German export: ';'-separated, DD.MM.YYYY, decimal comma
GERMAN = """Kunde;Datum;Betrag
K1;05.03.2024;10,50
K1;13.03.2024;4,50
K2;01.02.2024;7,00
K2;28.02.2024 14:30;1.234,00
"""


def test_day_first_dates_are_read_day_first_in_every_row(tmp_path):
    path = write(tmp_path / "umsatz.csv", GERMAN)
    tx = load_transactions(path, customer="Kunde", date="Datum", amount="Betrag", decimal=",")
    rows = tx.to_pandas()
    # 05.03 is 5 March like 13.03 is 13 March: never 3 May
    assert rows["date"].tolist() == [
        pd.Timestamp("2024-03-05"),
        pd.Timestamp("2024-03-13"),
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2024-02-28 14:30"),
    ]
    assert rows["amount"].tolist() == [10.5, 4.5, 7.0, 1234.0]
    assert step(tx, "dates_day_first").rows == 4
    assert "'13.03.2024'" in step(tx, "dates_day_first").detail
    assert "separator ';'" in tx.quality.source


def test_month_first_dates_are_read_month_first():
    source = pd.DataFrame(
        {"c": ["A", "A", "B"], "d": ["03/05/2024", "03/13/2024", "12/31/2023"], "a": [1.0] * 3}
    )
    tx = load_transactions(source, **ROLES)
    assert tx.to_pandas()["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-05",  # 5 March: month-first, as 03/13 can only be
        "2024-03-13",
        "2023-12-31",
    ]
    assert steps(tx) == [("dates_month_first", 3, "kept")]


AMBIGUOUS = pd.DataFrame({"c": ["A", "B"], "d": ["05/03/2024", "04/01/2024"], "a": [1.0, 2.0]})


def test_dates_that_read_both_ways_are_an_error_naming_the_option():
    with fails(DataError, "column 'd'", "2 date(s)", "'04/01/2024', '05/03/2024'", "dayfirst"):
        load_transactions(AMBIGUOUS, **ROLES)


@pytest.mark.parametrize(
    ("options", "days", "check"),
    [
        ({"dayfirst": True}, ["2024-03-05", "2024-01-04"], "dates_day_first"),
        ({"dayfirst": False}, ["2024-05-03", "2024-04-01"], "dates_month_first"),
        ({"date_format": "%d/%m/%Y"}, ["2024-03-05", "2024-01-04"], "dates_by_format"),
    ],
)
def test_dayfirst_and_date_format_settle_the_order(options, days, check):
    tx = load_transactions(AMBIGUOUS, **ROLES, **options)
    by_customer = tx.to_pandas().set_index("customer_id")["date"]
    assert by_customer.dt.strftime("%Y-%m-%d").tolist() == days
    assert steps(tx) == [(check, 2, "kept")]


def test_a_column_that_needs_both_orders_is_an_error():
    source = pd.DataFrame({"c": ["A", "B"], "d": ["13/03/2024", "03/13/2024"], "a": [1.0, 2.0]})
    with fails(DataError, "both orders", "'13/03/2024'", "'03/13/2024'", "dayfirst"):
        load_transactions(source, **ROLES)


def test_date_format_that_does_not_fit_is_an_error_naming_it():
    with fails(DataError, "column 'd'", "1 value(s)", "date_format '%d.%m.%Y'", "'05/03/2024'"):
        load_transactions(
            AMBIGUOUS.assign(d=["05/03/2024", "04.01.2024"]), **ROLES, date_format="%d.%m.%Y"
        )


@pytest.mark.parametrize("engine", ["duckdb", "sqlite"])
def test_day_first_text_dates_in_a_database_follow_the_file_rules(tmp_path, engine):
    source = pd.DataFrame(
        {
            "c": ["A", "A", "B", "B", "C"],
            "d": ["05.03.2024", "13.03.2024", "2024年3月6日", "20240307", "2024/3/8 10:00"],
            "a": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    path = tmp_path / f"sales.{engine}"
    if engine == "duckdb":
        with duckdb.connect(str(path)) as con:
            con.execute("CREATE TABLE sales AS SELECT * FROM source")
    else:
        import sqlite3

        with contextlib.closing(sqlite3.connect(path)) as con:
            source.to_sql("sales", con, index=False)
    ours = load_transactions(f"{engine}:///{path}", table="sales", **ROLES)
    reference = load_transactions(source, **ROLES)
    assert steps(ours) == steps(reference) == [("dates_day_first", 2, "kept")]
    pd.testing.assert_frame_equal(ours.to_pandas(), reference.to_pandas(), check_dtype=False)
    assert reference.to_pandas()["date"].dt.day.tolist() == [5, 13, 6, 7, 8]


# --- 2. ids and the customer master -----------------------------------------------------------


def test_float_looking_ids_join_the_master(tmp_path):
    # transactions written from a float column by pandas: 93.0; the master from Excel: 93
    tx_path = write(
        tmp_path / "tx.csv", "cid,d,a\n93.0,2024-01-02,5\n94.0,2024-01-03,6\n93.0,2024-02-01,7\n"
    )
    master_path = tmp_path / "master.xlsx"
    pd.DataFrame({"id": [93, 94, 95], "type": ["a", "b", "c"]}).to_excel(master_path, index=False)
    tx = load_transactions(tx_path, customer="cid", date="d", amount="a")
    master = load_customers(master_path, customer="id")
    coverage = join_coverage(tx, master)
    assert coverage == JoinCoverage(
        matched=2,
        transactions_only=0,
        master_only=1,
        transactions_only_examples=(),
        master_only_examples=("95",),
    )
    assert coverage.to_dict()["matched_share"] == 1.0
    summary = summarize(tx, as_of="2024-03-01", customers=master)
    assert list(summary.index) == ["93", "94", "95"]  # never "93.0", 95 the one prospect
    assert summary["orders"].tolist() == [2, 1, 0]


def test_text_ids_with_real_decimals_are_left_alone():
    source = pd.DataFrame({"c": ["1.0", "1.5"], "d": ["2024-01-01"] * 2, "a": [1.0, 2.0]})
    assert load_transactions(source, **ROLES).to_pandas()["customer_id"].tolist() == ["1.0", "1.5"]


def test_implausible_join_is_an_error_with_examples_and_the_fix():
    tx = load_transactions(
        pd.DataFrame(
            {"c": ["000001", "000002", "000003"], "d": ["2024-01-01"] * 3, "a": [1.0] * 3}
        ),
        **ROLES,
    )
    master = load_customers(pd.DataFrame({"id": ["1", "2", "3", "4"]}), customer="id")
    with fails(
        DataError,
        "matches only 0 of the 3 buyers",
        "'000001', '000002', '000003'",
        "4 master ids have no purchase, e.g. '1', '2', '3', '4'",
        "leading zeros",
    ):
        join_coverage(tx, master)


def test_partial_join_is_reported_not_raised():
    tx = load_transactions(
        pd.DataFrame({"c": ["A", "B", "C"], "d": ["2024-01-01"] * 3, "a": [1.0] * 3}), **ROLES
    )
    master = load_customers(pd.DataFrame({"id": ["A", "B", "P"]}), customer="id")
    coverage = join_coverage(tx, master)
    assert (coverage.matched, coverage.transactions_only, coverage.master_only) == (2, 1, 1)
    assert coverage.transactions_only_examples == ("C",)


# --- 3. exact money: the same counts and summary in any row order ----------------------------

# 2.55 × 6 − 15.30 is 1.8e-15 in floats, not 0; 0.1 + 0.2 + 0.3 depends on the order
EXACT = pd.DataFrame(
    {
        "c": ["A", "A", "A", "B", "B", "B", "B", "C", "C"],
        "d": [
            "2024-01-02 10:00",
            "2024-01-02 10:00",
            "2024-01-09",
            "2024-01-03",
            "2024-01-03",
            "2024-01-03",
            "2024-01-20",
            "2024-01-05",
            "2024-01-05 12:00",
        ],
        "a": [2.55 * 6, -15.30, 0.7, 0.1, 0.2, 0.3, 1.05, 10.0, -12.5],
    }
)


def test_money_is_exact_in_any_row_order():
    loads = [
        load_transactions(EXACT.sample(frac=1, random_state=seed), **ROLES) for seed in range(5)
    ]
    first = loads[0]
    # A's 01-02 nets to exactly 0 and is dropped with its return; C's 01-05 nets to -2.5
    assert steps(first) == [
        ("returns", 2, "corrected"),
        ("fully_returned_purchases", 2, "dropped"),
        ("returns_exceeding_purchases", 2, "dropped"),
    ]
    summaries = [summarize(tx, as_of="2024-01-31") for tx in loads]
    for tx, summary in zip(loads[1:], summaries[1:], strict=True):
        assert tx.quality == first.quality
        pd.testing.assert_frame_equal(summary, summaries[0], check_exact=True)
        pd.testing.assert_frame_equal(tx.to_pandas(), first.to_pandas(), check_exact=True)
    s = summaries[0]
    assert s.loc["B", "revenue"] == 1.65  # 0.1 + 0.2 + 0.3 + 1.05, exactly
    assert s.loc["B", "monetary_value"] == 1.05
    assert s.loc["A", "revenue"] == 0.7
    assert list(s.index) == ["A", "B"]


def test_the_record_is_the_same_in_any_row_order():
    """Counts, amounts and the examples in the details alike."""
    messy = pd.concat([EXACT, EXACT.iloc[:3]], ignore_index=True).astype({"a": str})
    messy.loc[9:10, "a"] = ["¥15.30", "(15.30)"]  # row 11 stays a copy of row 2
    messy.loc[len(messy)] = ["D", "2024-01-05T10:00+08:00", "1,000"]
    loads = [
        load_transactions(messy.sample(frac=1, random_state=seed), **ROLES) for seed in range(5)
    ]
    assert steps(loads[0])[:3] == [
        ("duplicate_rows", 1, "dropped"),  # row 2 written twice; the ¥ and () rows differ
        ("amounts_from_text", 3, "corrected"),
        ("timezone_dropped", 1, "corrected"),
    ]
    for tx in loads[1:]:
        assert tx.quality == loads[0].quality


def test_every_step_shows_the_amount_it_moved_and_revenue_before_and_after():
    tx = load_transactions(EXACT, **ROLES)
    q = tx.quality
    assert q.revenue_read == -0.15  # 15.3 - 15.3 + 0.7 + 0.6 + 1.05 + 10 - 12.5
    assert q.revenue_kept == 2.35  # A 0.7, B 1.65
    assert step(tx, "returns").amount == -27.8
    assert step(tx, "fully_returned_purchases").amount == 0.0
    exceeding = step(tx, "returns_exceeding_purchases")
    assert exceeding.amount == -2.5 and "raises revenue by 2.50" in exceeding.detail
    dropped = sum(s.amount for s in q.steps if s.action == "dropped")
    assert round(q.revenue_read - dropped, 4) == q.revenue_kept
    frame = q.to_frame()
    assert frame["amount"].iloc[[0, -1]].tolist() == [-0.15, 2.35]
    assert q.to_dict()["revenue_kept"] == 2.35


def test_amounts_beyond_the_exact_range_are_an_error():
    source = pd.DataFrame({"c": ["A"], "d": ["2024-01-01"], "a": [2e15]})
    with fails(DataError, "column 'a'", "2,000,000,000,000,000", "amount="):
        load_transactions(source, **ROLES)


# --- 5. no amount column ----------------------------------------------------------------------

GROCERY = pd.DataFrame(
    {
        "Member_number": [1808, 1808, 2552, 1808, 2552],
        "Date": ["21-07-2015", "21-07-2015", "05-01-2015", "03-09-2015", "19-01-2015"],
        "itemDescription": ["milk", "bread", "eggs", "milk", "tea"],
    }
)


def test_a_purchase_log_without_amounts_gives_counts_and_no_money():
    tx = load_transactions(GROCERY, customer="Member_number", date="Date")
    assert not tx.has_amount
    assert tx.quality.revenue_read is None and tx.quality.revenue_kept is None
    s = summarize(tx, as_of="2015-12-31")
    # 1808: days 07-21 and 09-03 → 2 purchase days, recency 44; 2552: 01-05 and 01-19
    assert s["orders"].tolist() == [2, 2]
    assert s["frequency"].tolist() == [1, 1]
    assert s["recency"].tolist() == [44.0, 14.0]
    for column in ("revenue", "avg_order_value", "monetary_value"):
        assert s[column].isna().all(), column  # unknown, not 0
    assert steps(tx) == [("dates_day_first", 5, "kept")]


# --- 6. line items ----------------------------------------------------------------------------

RETAIL = pd.DataFrame(
    {
        "InvoiceNo": ["536365", "536365", "536365", "536366", "C536367", "536368"],
        "StockCode": ["85123A", "71053", "71053", "22633", "22633", "84879"],
        "Quantity": [6, 6, 6, 6, -6, 3],
        "InvoiceDate": ["2010-12-01 08:26"] * 3 + ["2010-12-01 08:28", "2010-12-02", "2010-12-03"],
        "UnitPrice": ["2,55", "3,39", "3,39", "1,85", "1,85", "4,25"],
        "CustomerID": ["17850.0"] * 5 + ["13047.0"],
    }
)
LINE_ITEMS = {
    "customer": "CustomerID",
    "date": "InvoiceDate",
    "price": "UnitPrice",
    "quantity": "Quantity",
    "order": "InvoiceNo",
    "decimal": ",",
}


def test_line_items_amount_is_price_times_quantity_and_orders_are_invoices():
    tx = load_transactions(RETAIL, **LINE_ITEMS, duplicates="keep", returns="keep")
    rows = tx.to_pandas()
    # 6 × 2.55 = 15.30, 6 × 3.39 = 20.34 twice, 6 × 1.85 = 11.10 and its return, 3 × 4.25
    assert rows["amount"].tolist() == [12.75, 15.3, 20.34, 20.34, 11.1, -11.1]
    assert tx.n_orders == 4  # invoices, not the 6 lines
    assert rows["customer_id"].unique().tolist() == ["13047", "17850"]


def test_duplicates_are_judged_on_every_source_column():
    tx = load_transactions(RETAIL, **LINE_ITEMS, returns="keep")
    # the two 71053 lines are equal in every column: one dropped, with its amount
    assert step(tx, "duplicate_rows").rows == 1
    assert step(tx, "duplicate_rows").amount == 20.34
    # without StockCode 85123A and 71053 would still differ in price: nothing else dropped
    narrow = RETAIL.drop(columns="StockCode").assign(UnitPrice="3,39")
    tx = load_transactions(narrow, **LINE_ITEMS, returns="keep")
    duplicates = step(tx, "duplicate_rows")
    assert duplicates.rows == 2 and "only the mapped columns" in duplicates.detail


def test_price_without_quantity_and_amount_with_price_are_parameter_errors():
    with fails(ParameterError, "price='UnitPrice' needs quantity="):
        load_transactions(RETAIL, customer="CustomerID", date="InvoiceDate", price="UnitPrice")
    with fails(ParameterError, "amount", "price", "not both"):
        load_transactions(RETAIL, **LINE_ITEMS, amount="Quantity")


# --- 7. folders and globs of files ------------------------------------------------------------


def write_days(folder, encoding="utf-8", days=3):
    folder.mkdir()
    frames = []
    for day in range(1, days + 1):
        rows = pd.DataFrame(
            {
                "客户": [f"C{day}", "C1"],
                "日期": [f"2024-01-0{day} 10:00", f"2024-01-0{day} 11:00"],
                "金额": [f"{day}.5", "1"],
            }
        )
        rows.to_csv(folder / f"2024-01-0{day}.csv", index=False, encoding=encoding)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


CHINESE = {"customer": "客户", "date": "日期", "amount": "金额"}


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_folder_or_glob_of_daily_csvs_equals_their_concatenation(tmp_path, encoding):
    combined = write_days(tmp_path / "orders", encoding=encoding)
    reference = load_transactions(combined, **CHINESE).to_pandas()
    for source in (tmp_path / "orders", f"{tmp_path}/orders/*.csv"):
        tx = load_transactions(source, **CHINESE)
        assert tx.quality.rows_read == 6
        assert "3 files" in tx.quality.source
        pd.testing.assert_frame_equal(tx.to_pandas(), reference)


def test_a_glob_that_matches_nothing_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="glob"):
        load_transactions(f"{tmp_path}/none/*.csv", **CHINESE)


def test_a_folder_of_other_files_is_a_clear_error(tmp_path):
    (tmp_path / "notes.md").write_text("x")
    with fails(DataError, "no CSV or Parquet files"):
        load_transactions(tmp_path, **CHINESE)


def test_a_sql_query_over_the_folder_gives_the_same_rows(tmp_path):
    write_days(tmp_path / "orders")
    query = f"SELECT * FROM read_csv('{tmp_path}/orders/*.csv')"
    ours = load_transactions("duckdb://", query=query, **CHINESE)
    folder = load_transactions(tmp_path / "orders", **CHINESE)
    pd.testing.assert_frame_equal(ours.to_pandas(), folder.to_pandas())


# --- 8. separators and number formats ---------------------------------------------------------


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_separators_are_detected(tmp_path, sep):
    path = write(tmp_path / "tx.csv", sep.join("cda") + "\n" + sep.join(["A", "2024-01-01", "5"]))
    assert load_transactions(path, **ROLES).to_pandas()["amount"].tolist() == [5.0]


def test_decimal_comma_amounts():
    written = ["€230,30", "1.234,50", "1 234,50", "-5", "(2,5)"]
    source = pd.DataFrame({"c": list("ABCDE"), "d": ["2024-01-01"] * 5, "a": written})
    tx = load_transactions(source, **ROLES, decimal=",", returns="keep")
    assert tx.to_pandas()["amount"].tolist() == [230.3, 1234.5, 1234.5, -5.0, -2.5]


def test_a_decimal_comma_without_the_option_is_an_error_that_names_it():
    source = pd.DataFrame({"c": ["A", "B"], "d": ["2024-01-01"] * 2, "a": ["230,30", "5"]})
    with fails(DataError, "column 'a'", "1 value(s)", "'230,30'", "decimal: ','"):
        load_transactions(source, **ROLES)


def test_invalid_amounts_dropped_and_counted():
    source = pd.DataFrame({"c": ["A", "B", "C"], "d": ["2024-01-01"] * 3, "a": ["5", "n/a", "7"]})
    tx = load_transactions(source, **ROLES, invalid_amounts="drop")
    assert steps(tx) == [("unparsable_amounts", 1, "dropped")]
    assert tx.quality.revenue_kept == 12.0


# --- 9. Excel as people make it ---------------------------------------------------------------


@pytest.fixture
def report_workbook(tmp_path):
    """A cover sheet, then the sales under a two-row title block."""
    path = tmp_path / "销售报表.xlsx"
    sales = pd.DataFrame(
        {"客户": ["A", "B"], "日期": ["2024-01-05", "2024-01-06"], "金额": [10, 5]}
    )
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"说明": ["2024 年销售明细"]}).to_excel(writer, sheet_name="封面", index=False)
        title = pd.DataFrame([["2024 年一月销售明细"], ["单位：元"]])
        title.to_excel(writer, sheet_name="明细", index=False, header=False)
        sales.to_excel(writer, sheet_name="明细", index=False, startrow=3)
    return path


def test_excel_title_rows_are_found_above_the_header(report_workbook):
    tx = load_transactions(report_workbook, **CHINESE, sheet="明细")
    assert tx.to_pandas()["amount"].tolist() == [10.0, 5.0]
    assert "header on row 4" in tx.quality.source
    explicit = load_transactions(report_workbook, **CHINESE, sheet="明细", header_row=4)
    pd.testing.assert_frame_equal(explicit.to_pandas(), tx.to_pandas())


def test_columns_on_another_sheet_name_it(report_workbook):
    with fails(DataError, "not on the first sheet '封面'", "sheet '明细'", "封面, 明细", "sheet:"):
        load_transactions(report_workbook, **CHINESE)


def test_header_row_must_be_a_row_number(report_workbook):
    with fails(ParameterError, "header_row", "1-based", "0"):
        load_transactions(report_workbook, **CHINESE, sheet="明细", header_row=0)


# --- parameters -------------------------------------------------------------------------------


def test_every_transactions_parameter_is_a_loader_option():
    options = set(inspect.signature(load_transactions).parameters)
    keys = {f.name for f in dataclasses.fields(TransactionsParams)}
    assert keys <= options
    assert np.isin(["date_format", "dayfirst", "price", "sep", "decimal"], list(keys)).all()


def test_daily_files_with_columns_in_another_order_are_matched_by_name(tmp_path):
    combined = write_days(tmp_path / "orders")
    moved = tmp_path / "orders" / "2024-01-02.csv"
    pd.read_csv(moved, dtype=str)[["金额", "客户", "日期"]].to_csv(moved, index=False)
    tx = load_transactions(tmp_path / "orders", **CHINESE)
    reference = load_transactions(combined, **CHINESE)
    pd.testing.assert_frame_equal(tx.to_pandas(), reference.to_pandas())


# --- beyond the named cases -------------------------------------------------------------------


def test_gbk_semicolon_csv_with_a_title_row_and_two_digit_years(tmp_path):
    text = "销售明细（单位：元）\n客户;日期;金额\n甲;05.03.24;1.234,50\n乙;13.03.24;7,25\n"
    path = write(tmp_path / "明细.csv", text, encoding="gbk")
    tx = load_transactions(path, **CHINESE, header_row=2, decimal=",")
    rows = tx.to_pandas().set_index("customer_id")
    assert rows.loc["甲", "date"] == pd.Timestamp("2024-03-05")  # 24 → 2024, day first
    assert rows.loc["乙", "date"] == pd.Timestamp("2024-03-13")
    assert rows["amount"].to_dict() == {"乙": 7.25, "甲": 1234.5}
    assert "gb18030, separator ';'" in tx.quality.source


def test_a_sql_selection_of_only_the_mapped_columns_says_what_duplicates_mean(tmp_path):
    path = tmp_path / "lines.db"
    with duckdb.connect(str(path)) as con:
        lines = RETAIL.assign(UnitPrice=[2.55, 3.39, 3.39, 1.85, 1.85, 4.25])
        con.register("frame", lines)
        con.execute("CREATE TABLE lines AS SELECT * FROM frame")
    query = 'SELECT "CustomerID", "InvoiceDate", "UnitPrice", "Quantity" FROM lines'
    options = {k: v for k, v in LINE_ITEMS.items() if k not in ("order", "decimal")}
    tx = load_transactions(f"duckdb:///{path}", query=query, **options, returns="keep")
    duplicates = step(tx, "duplicate_rows")
    assert duplicates.rows == 1 and duplicates.amount == 20.34
    assert (
        "only the mapped columns" in duplicates.detail and "duplicates: keep" in duplicates.detail
    )
    full = load_transactions(f"duckdb:///{path}", table="lines", **options, returns="keep")
    assert "only the mapped columns" not in step(full, "duplicate_rows").detail


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"decimal": ";"}, "decimal must be one of . | ,"),
        ({"invalid_amounts": "skip"}, "invalid_amounts must be one of error | drop"),
        ({"dayfirst": "yes"}, "dayfirst must be true or false"),
        ({"dayfirst": True, "date_format": "%d.%m.%Y"}, "not both"),
    ],
)
def test_bad_new_options_are_parameter_errors(options, message):
    with fails(ParameterError, message):
        load_transactions(AMBIGUOUS, **ROLES, **options)


def test_a_folder_mixing_csv_and_parquet_is_an_error(tmp_path):
    write_days(tmp_path / "orders")
    pd.DataFrame({"客户": ["A"]}).to_parquet(tmp_path / "orders" / "extra.parquet")
    with fails(DataError, "mixes CSV (3) and Parquet (1)", "*.csv"):
        load_transactions(tmp_path / "orders", **CHINESE)
