"""Outputs safe to share: pseudonymous ids, currency on amounts, one folder per run."""

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

import custanalytics as ca
from custanalytics._currency import money_text, money_title
from custanalytics.datasets import load_b2b_demo
from custanalytics.report.cli import main

ROOT = Path(__file__).resolve().parents[1]


def b2b_params(folder: Path, **changes) -> Path:
    params = yaml.safe_load((ROOT / "params" / "b2b_demo_zh.yaml").read_text(encoding="utf-8"))
    params.update(changes)
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return path


def test_pseudonyms_are_the_same_in_the_engine_and_in_pandas():
    frame = pd.DataFrame(
        {"c": ["93.0", "7", "93"], "d": ["2024-01-02", "2024-01-03", "2024-01-04"], "a": [1, 2, 3]}
    )
    tx = ca.load_transactions(frame, customer="c", date="d", amount="a")
    master = ca.load_customers(pd.DataFrame({"c": [93, 7, 5], "n": ["x", "y", "z"]}), customer="c")
    masked_tx, masked_master, _ = ca.pseudonymise(tx, master, name="n", key="k")
    engine = set(masked_tx.table.customer_id.to_pandas())
    assert engine == {ca.pseudonym("93", "k"), ca.pseudonym("7", "k")}
    assert list(masked_master.frame.index) == [ca.pseudonym(i, "k") for i in ("93", "7", "5")]
    assert list(masked_master.frame["n"]) == list(masked_master.frame.index)
    assert ca.pseudonym("93", "k") != ca.pseudonym("93", "other key") != ca.pseudonym("93")
    assert set(tx.table.customer_id.to_pandas()) == {"93", "7"}, "inputs unchanged"


@pytest.fixture(scope="module")
def masked_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("masked")
    params = b2b_params(folder, mask_ids=True, mask_key="${CA_TEST_MASK_KEY}")
    out = folder / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CA_TEST_MASK_KEY", "s3cret-key")
        assert main(["report", str(params), "--output", str(out)]) == 0
    return out


def test_no_real_id_or_name_reaches_any_output(masked_run):
    _, master = load_b2b_demo()
    secrets = [*master["客户编号"], *master["客户名称"], "s3cret-key"]
    texts = {
        path: path.read_text(encoding="utf-8", errors="ignore")
        for path in masked_run.rglob("*")
        if path.suffix in {".html", ".json", ".csv"}
    }
    tables = [pd.read_parquet(p) for p in masked_run.rglob("*.parquet")]
    tables.append(pd.read_excel(masked_run / "exports" / "customers.xlsx", sheet_name=None))
    cells = set()
    for table in tables:
        for frame in table.values() if isinstance(table, dict) else [table]:
            frame = frame.reset_index()
            for column in frame.columns:
                cells.update(frame[column].astype(str))
    for secret in secrets:
        assert secret not in cells, secret
        leaked = [str(p.name) for p, text in texts.items() if secret in text]
        assert not leaked, f"{secret} in {leaked}"
    exported = pd.read_csv(masked_run / "exports" / "customers.csv", encoding="utf-8-sig")
    assert exported["customer_id"].str.fullmatch(r"C[0-9a-f]{16}").all()
    assert len(exported) == len(master), "every customer kept, none merged"
    html = (masked_run / "report.html").read_text(encoding="utf-8")
    assert "已替换为化名" in html


def test_masked_runs_compare_with_each_other(tmp_path):
    base = dict(mask_ids=True, mask_key="k", output_dir=str(tmp_path / "runs" / "{as_of}"))
    params = ca.load_params(b2b_params(tmp_path, **base), as_of="2025-09-30")
    earlier = ca.analyse(params)
    earlier.save(params.run_dir / "result")
    later = ca.analyse(ca.load_params(b2b_params(tmp_path, **base)))
    record = later.section("migration")
    assert record.source == "saved" and str(record.previous_as_of) == "2025-09-30"
    stayed = earlier.customers.index.intersection(later.customers.index)
    assert len(stayed) == len(earlier.customers), "the same pseudonyms in both runs"


def test_without_a_key_the_report_says_the_pseudonyms_can_be_recomputed(tmp_path):
    result = ca.analyse(b2b_params(tmp_path, mask_ids=True))
    assert [n.code for n in result.notes] == ["ids_masked_without_key"]
    assert result.customers.index[0] == ca.pseudonym(
        sorted(load_b2b_demo()[1]["客户编号"], key=ca.pseudonym)[0]
    )


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (1234.5, "¥", "¥1,234"),
        (-1234.5, "$", "-$1,234"),
        (1234.5, "CNY", "CNY 1,234"),
        (1234.5, None, "1,234"),
        (float("nan"), "¥", "–"),
    ],
)
def test_money_in_running_text(value, currency, text):
    assert money_text(value, currency, "{:,.0f}") == text


def test_money_headers_take_the_currency_in_either_language():
    assert money_title("Revenue", "¥") == "Revenue (¥)"
    assert money_title("销售额", "¥") == "销售额（¥）"
    assert money_title("Revenue", None) == "Revenue"


def test_every_run_in_its_own_folder_and_the_index_above(tmp_path):
    out = tmp_path / "reports" / "sample" / "{as_of}"
    settings = yaml.safe_load((ROOT / "params" / "demo.yaml").read_text(encoding="utf-8"))
    settings["transactions"] = {"source": "cdnow_sample", "duplicates": "keep"}
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump(settings), encoding="utf-8")
    for as_of in ("1998-03-31", "1998-06-30"):
        args = ["report", str(params), "--output", str(out), "--as-of", as_of]
        assert main(args) == 0
    runs = tmp_path / "reports" / "sample"
    assert sorted(p.name for p in runs.iterdir()) == ["1998-03-31", "1998-06-30"]
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="sample/1998-06-30/report.html"' in index
    assert 'href="sample/1998-03-31/report.html"' in index
    later = ca.TieringResult.load(runs / "1998-06-30" / "result")
    migration = later.section("migration")
    assert migration.source == "saved" and str(migration.previous_as_of) == "1998-03-31"
    html = (runs / "1998-06-30" / "report.html").read_text(encoding="utf-8")
    assert "Revenue ($)" in html, "the currency of params/demo.yaml on the amounts"
    metrics = json.loads((runs / "1998-06-30" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["as_of"] == "1998-06-30"
