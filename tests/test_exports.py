"""Per-customer exports: CSV with BOM, Parquet, XLSX per owner; same result, same bytes."""

import openpyxl
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.report._exports import _sheet_name, export_customers


@pytest.fixture(scope="module")
def b2b():
    return ca.analyse("params/b2b_demo_zh.yaml")


def test_exports_are_byte_identical_for_the_same_data(b2b, tmp_path):
    again = ca.analyse("params/b2b_demo_zh.yaml")
    first = export_customers(b2b, tmp_path / "a", owner="销售负责人")
    second = export_customers(again, tmp_path / "b", owner="销售负责人")
    assert [p.name for p in first] == ["customers.csv", "customers.parquet", "customers.xlsx"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_csv_opens_in_excel_with_chinese(b2b, tmp_path):
    (path,) = export_customers(b2b, tmp_path, formats=("csv",))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"customer_id": str})
    assert len(frame) == len(b2b.customers)
    assert "行业" in frame.columns and frame["customer_id"].iloc[0] == b2b.customers.index[0]
    assert set(frame["lifecycle_stage"].dropna()) <= set(ca.LIFECYCLE_STAGES), "codes for machines"


def test_workbook_has_a_sheet_per_owner_with_words_for_codes(b2b, tmp_path):
    (path,) = export_customers(b2b, tmp_path, formats=("xlsx",), owner="销售负责人")
    book = openpyxl.load_workbook(path)
    owners = sorted(b2b.customers["销售负责人"].dropna().unique())
    assert book.sheetnames == ["概览", "客户明细", *owners]
    sheet = book["客户明细"]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "客户" and "生命周期阶段" in headers
    assert sheet.freeze_panes == "B2"
    stage = headers.index("生命周期阶段")
    values = {row[stage] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values <= {ca.label(f"stage_{s}", "zh") for s in ca.LIFECYCLE_STAGES}
    per_owner = sum(book[o].max_row - 1 for o in owners)
    assert per_owner == b2b.customers["销售负责人"].notna().sum()


def test_sheet_names_are_valid_and_unique():
    assert _sheet_name("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert len(_sheet_name("x" * 40)) == 31
    assert _sheet_name("Ana", ["Ana"]) == "Ana (2)"
