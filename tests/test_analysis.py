"""analyse() → TieringResult without a kernel: sections, the customers table, metrics, storage."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.analysis import CUSTOMER_COLUMNS, SECTIONS, _analyse, _context, parameter_hash
from custanalytics.analysis._storage import encode
from custanalytics.clv import BetaGeoModel, GammaGammaModel

SAMPLE = {
    "title": "CDNOW sample",
    "as_of": "1998-06-30",
    "transactions": {"source": "cdnow_sample", "duplicates": "keep"},
}


@pytest.fixture(scope="module")
def sample_result():
    return ca.analyse(SAMPLE)


def tiny_params(tmp_path, rows: str, **changes):
    csv = tmp_path / "tx.csv"
    csv.write_text("cust,day,value\n" + rows, encoding="utf-8")
    mapping = {"source": str(csv), "customer": "cust", "date": "day", "amount": "value"}
    return {"title": "tiny", "as_of": "2024-03-01", "transactions": mapping, **changes}


def test_sections_run_in_their_order(sample_result):
    expected = [name for name, _, enabled in SECTIONS if enabled(ca.load_params(SAMPLE))]
    assert list(sample_result.sections) == expected
    assert expected[:4] == ["data_quality", "headline", "clv", "value_matrix"]
    needs_master = {"attributes", "prospects"}  # the sample has no customer master
    assert all(sample_result.available(name) for name in expected if name not in needs_master)
    for name in needs_master:
        assert sample_result.section(name).reason == "no_customer_master"


def test_customers_table_has_every_documented_column_and_nothing_else(sample_result):
    table = sample_result.customers
    assert table.index.name == "customer_id" and table.index.is_unique
    assert len(table) == 2_357
    assert set(table.columns) <= set(CUSTOMER_COLUMNS)
    assert {"clv", "p_alive", "value_cell"} <= set(table.columns)
    assert table["clv"].notna().all() and (table["clv"] >= 0).all()


def test_clv_columns_equal_models_fitted_directly():
    """The run's weekly summary (derived from the daily one) gives the same numbers, bit for bit,
    as fitting the models by hand on the engine's weekly summary."""
    result = ca.analyse(SAMPLE | {"clv": {"model": "bg_nbd", "holdout_days": 0}})
    tx = ca.load_transactions(
        "cdnow_sample",
        customer="customer_id",
        date="date",
        amount="amount",
        duplicates="keep",
        as_of="1998-06-30",
    )
    weekly = ca.summarize(tx, as_of="1998-06-30", time_unit="W")
    model = BetaGeoModel().fit(weekly)
    spend = GammaGammaModel().fit(weekly).expected_spend(weekly)
    clv = model.customer_lifetime_value(
        weekly, spend, horizon=12, time_unit="M", discount_rate=0.10
    )
    np.testing.assert_array_equal(result.customers["clv"].to_numpy(), clv.to_numpy())
    np.testing.assert_array_equal(
        result.customers["p_alive"].to_numpy(), model.probability_alive(weekly).to_numpy()
    )
    assert result.section("clv").parameters["estimate"].to_dict() == model.params_.to_dict()


def test_holdout_days_zero_switches_the_check_off():
    """Regression: the deep dive turned holdout_days: 0 into a one-day holdout."""
    result = ca.analyse(SAMPLE | {"clv": {"holdout_days": 0, "compare_models": True}})
    clv = result.section("clv")
    assert clv.holdout is None
    assert [n.code for n in clv.notes] == ["holdout_off"]
    comparison = result.section("clv_comparison")
    assert comparison.calibration_end is None and comparison.holdout.empty
    assert comparison.best_model is None


def test_default_holdout_is_a_third_of_the_window(sample_result):
    holdout = sample_result.section("clv").holdout
    assert holdout.calibration_end.isoformat() == "1997-12-31"
    assert holdout.holdout_days == 181
    assert set(holdout.figures) == {
        "mae",
        "rmse",
        "correlation",
        "total_predicted",
        "total_actual",
        "interval_coverage",
    }


def test_no_repeat_buyers_still_gives_every_customer(tmp_path):
    result = ca.analyse(tiny_params(tmp_path, "A,2024-01-01,10\nB,2024-01-15,5\n"))
    clv = result.section("clv")
    assert isinstance(clv, ca.Unavailable) and clv.reason == "no_repeat_buyers"
    assert clv.detail == {"customers": 2}
    assert result.section("value_matrix") == ca.Unavailable("needs_clv")
    assert result.customers["revenue"].to_dict() == {"A": 10.0, "B": 5.0}
    assert result.available("headline") and result.section("headline").figures["customers"] == 2
    status = result.metrics()["sections"]
    assert status["clv"] == {"available": False, "reason": "no_repeat_buyers"}


def test_a_data_problem_in_one_section_does_not_stop_the_others(tmp_path, monkeypatch):
    def broken(ctx):
        raise ca.DataError("something the section did not foresee")

    sections = tuple(
        (name, broken if name == "clv" else fn, on) for name, fn, on in _analyse.SECTIONS
    )
    monkeypatch.setattr(_analyse, "SECTIONS", sections)
    result = ca.analyse(tiny_params(tmp_path, "A,2024-01-01,10\nA,2024-02-01,12\n"))
    assert result.section("clv").reason == "section_failed"
    assert result.available("headline")


def test_each_summary_and_model_is_computed_once(monkeypatch):
    calls = {"summaries": 0, "fits": 0}
    real_summarize, real_fit = _context.summarize, BetaGeoModel.fit

    def counting_summarize(*args, **kwargs):
        calls["summaries"] += 1
        return real_summarize(*args, **kwargs)

    def counting_fit(self, *args, **kwargs):
        calls["fits"] += 1
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(_context, "summarize", counting_summarize)
    monkeypatch.setattr(BetaGeoModel, "fit", counting_fit)
    clv = {"model": "bg_nbd", "compare_models": True}
    ca.analyse(SAMPLE | {"clv": clv, "migration": {"enabled": False}})
    assert calls == {"summaries": 1, "fits": 2}, "one calibration summary; BG/NBD fitted twice"


def test_metrics_are_standard_json_with_a_schema_version(sample_result):
    metrics = sample_result.metrics()
    text = json.dumps(metrics, allow_nan=False)
    assert json.loads(text) == metrics
    assert metrics["schema_version"] == 1
    assert metrics["as_of"] == "1998-06-30"
    assert metrics["data_window"] == {"first": "1997-01-01", "last": "1998-06-30"}
    assert metrics["metrics"]["customers"] == 2_357
    assert metrics["metrics"]["clv_total"] == pytest.approx(sample_result.customers["clv"].sum())
    assert set(metrics["versions"]) >= {"custanalytics", "pandas", "duckdb"}


def test_parameter_hash_ignores_presentation_only():
    base = ca.load_params(SAMPLE)
    shown = dataclasses.replace(base, title="other", lang="zh", output_dir="elsewhere")
    later = dataclasses.replace(base, as_of=pd.Timestamp("1998-05-31").date())
    assert parameter_hash(shown) == parameter_hash(base) != parameter_hash(later)


def _stored(result):
    tables = {}
    document = encode(result.sections, tables, "sections")
    return document, tables


def test_save_load_round_trip_is_equal(sample_result, tmp_path):
    folder = sample_result.save(tmp_path / "result")
    loaded = ca.TieringResult.load(folder)
    assert loaded.meta == sample_result.meta
    pd.testing.assert_frame_equal(loaded.customers, sample_result.customers)
    document, tables = _stored(sample_result)
    document_again, tables_again = _stored(loaded)
    assert document_again == document
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(tables_again[name], frame, obj=name)
    assert loaded.metrics() == sample_result.metrics()


def test_same_input_gives_the_same_bytes(sample_result, tmp_path):
    again = ca.analyse(SAMPLE)
    first, second = sample_result.save(tmp_path / "a"), again.save(tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for path in files:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
    sample_result.write_metrics(tmp_path / "m1.json")
    again.write_metrics(tmp_path / "m2.json")
    assert (tmp_path / "m1.json").read_bytes() == (tmp_path / "m2.json").read_bytes()


def test_save_replaces_an_older_result(sample_result, tmp_path):
    folder = tmp_path / "result"
    folder.mkdir()
    (folder / "stale.txt").write_text("old")
    sample_result.save(folder)
    assert not (folder / "stale.txt").exists() and (folder / "result.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["result"], "no staging folder left"


def test_load_of_a_folder_without_result_is_a_clear_error(tmp_path):
    with pytest.raises(ca.CustAnalyticsError, match="no saved result in"):
        ca.TieringResult.load(tmp_path)


def test_analyse_accepts_a_parameter_file(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nas_of: 1998-06-30\ntransactions: {source: cdnow_sample, duplicates: keep}\n",
        encoding="utf-8",
    )
    assert ca.analyse(path).section("headline").figures["customers"] == 2_357


def test_prospects_join_the_table_without_scores():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    prospects = result.customers[result.customers["orders"] == 0]
    assert len(prospects) == result.section("headline").figures["prospects"] == 80
    assert prospects["clv"].isna().all() and prospects["value_cell"].isna().all()
    assert "行业" in result.customers.columns, "master attributes are joined"
    assert result.section("data_quality").master is not None


def test_purchase_log_without_amounts_keeps_everything_count_based(tmp_path):
    from custanalytics.datasets import load_cdnow_sample

    csv = tmp_path / "log.csv"
    load_cdnow_sample()[["customer_id", "date"]].to_csv(csv, index=False)
    mapping = {"source": str(csv), "amount": None, "duplicates": "keep"}
    result = ca.analyse({"title": "log", "as_of": "1998-06-30", "transactions": mapping})
    assert not result.section("data_quality").has_amount
    figures = result.section("headline").figures
    assert figures["customers"] == 2_357 and np.isnan(figures["revenue"])
    assert result.section("headline").lorenz is None
    clv = result.section("clv")
    assert clv.spend_model == "none" and "clv_total" not in clv.totals
    assert result.customers["p_alive"].between(0, 1).all()
    assert "clv" not in result.customers.columns
    assert result.section("value_matrix") == ca.Unavailable("no_amounts")
    assert result.customers["lifecycle_stage"].notna().all()
    assert json.dumps(result.metrics(), allow_nan=False)


def test_join_coverage_is_part_of_data_quality():
    result = ca.analyse("params/b2b_demo_zh.yaml")
    coverage = result.section("data_quality").coverage
    figures = result.section("headline").figures
    assert coverage.matched + coverage.transactions_only == figures["customers"]
    assert coverage.master_only == figures["prospects"] == 80
    assert result.metrics()["metrics"]["join_coverage"]["matched_share"] == 1.0


def test_implausible_join_stops_the_run(tmp_path):
    master = tmp_path / "master.csv"
    master.write_text("id,segment\nX1,a\nX2,b\nX3,c\n", encoding="utf-8")
    params = SAMPLE | {"customers": {"source": str(master), "customer": "id"}}
    with pytest.raises(ca.DataError, match="X1"):
        ca.analyse(params)
