"""Cohort retention on a hand-built log, degenerate inputs, and the section in a run."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.cohorts import cohort_of, cohort_tables

#: (customer, day, spend): cohorts 2024-01 (a, b, e) and 2024-02 (c, d)
ROWS = [
    ("a", "2024-01-05", 10.0),
    ("a", "2024-01-20", 5.0),  # same month again: counts once
    ("a", "2024-03-02", 7.0),
    ("b", "2024-01-31", 1.0),
    ("b", "2024-02-01", 2.0),  # the next calendar month, one day later
    ("e", "2024-01-10", 4.0),
    ("c", "2024-02-10", 3.0),
    ("d", "2024-02-11", 4.0),
    ("d", "2024-04-30", 6.0),
]


def days(rows=ROWS):
    frame = pd.DataFrame(rows, columns=["customer_id", "day", "spend"])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


def test_retention_computed_by_hand():
    tables = cohort_tables(days(), as_of="2024-04-30", min_customers=3)
    assert tables.sizes["customers"].to_dict() == {"2024-01": 3, "2024-02": 2}
    assert tables.sizes["small"].to_dict() == {"2024-01": False, "2024-02": True}
    assert tables.sizes["revenue"].to_dict() == {"2024-01": 29.0, "2024-02": 13.0}
    expected = pd.DataFrame(
        [[1.0, 1 / 3, 1 / 3, 0.0], [1.0, 0.0, 0.5, np.nan]],
        index=pd.Index(["2024-01", "2024-02"], name="cohort"),
        columns=["0", "1", "2", "3"],
    )
    pd.testing.assert_frame_equal(tables.retention, expected)
    revenue = [[20.0, 2.0, 7.0, 0.0], [7.0, 0.0, 6.0, np.nan]]
    np.testing.assert_array_equal(tables.revenue.to_numpy(), revenue)
    np.testing.assert_array_equal(tables.active.to_numpy(), [[3, 1, 1, 0], [2, 0, 1, np.nan]])


def test_row_order_does_not_matter_and_month_zero_is_everyone():
    shuffled = days().sample(frac=1.0, random_state=3)
    a = cohort_tables(days(), as_of="2024-04-30")
    b = cohort_tables(shuffled, as_of="2024-04-30")
    pd.testing.assert_frame_equal(a.retention, b.retention)
    pd.testing.assert_frame_equal(a.revenue, b.revenue)
    ordered = days().sort_values(["customer_id", "day"])
    c = cohort_tables(ordered, as_of="2024-04-30", presorted=True)
    pd.testing.assert_frame_equal(a.retention, c.retention)
    pd.testing.assert_frame_equal(a.revenue, c.revenue)
    pd.testing.assert_frame_equal(a.sizes, c.sizes)
    assert (a.retention["0"] == 1.0).all()
    # revenue per cohort and month adds up to the cohort's revenue
    np.testing.assert_allclose(a.revenue.sum(axis=1), a.sizes["revenue"])


def test_max_months_and_empty_months_between_cohorts():
    rows = [("x", "2023-01-15", 1.0), ("x", "2023-06-01", 1.0), ("y", "2023-05-03", 2.0)]
    tables = cohort_tables(days(rows), as_of="2023-12-31", max_months=3)
    assert list(tables.retention.columns) == ["0", "1", "2", "3"]
    assert list(tables.sizes.index) == ["2023-01", "2023-05"]  # no empty cohorts
    assert tables.retention.loc["2023-01"].tolist() == [1.0, 0.0, 0.0, 0.0]


def test_no_amounts_and_no_purchases():
    rows = [("x", "2023-01-15", np.nan), ("x", "2023-02-01", np.nan)]
    tables = cohort_tables(days(rows), as_of="2023-03-31")
    assert tables.retention.loc["2023-01"].tolist() == [1.0, 1.0, 0.0]
    assert tables.revenue.isna().all().all() and tables.sizes["revenue"].isna().all()
    empty = cohort_tables(days([]), as_of="2023-03-31")
    assert empty.sizes.empty and empty.retention.empty


def test_cohort_of():
    first = pd.Series(pd.to_datetime(["2024-01-31", None]), index=["a", "p"])
    out = cohort_of(first)
    assert out["a"] == "2024-01" and pd.isna(out["p"]) and out.name == "cohort"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"min_customers": 0}, "'cohorts.min_customers' must be 1 or more"),
        ({"max_months": 0}, "'cohorts.max_months' must be 1 or more"),
        ({"months": 3}, "unknown parameter 'cohorts.months'"),
    ],
)
def test_parameters_are_checked(settings, message):
    params = {"title": "t", "as_of": "2024-12-31", "transactions": {"source": "cdnow"}}
    with pytest.raises(ca.ParameterError, match=message):
        ca.load_params(params | {"cohorts": settings})


def test_cohorts_section_in_a_run(tmp_path):
    csv = tmp_path / "log.csv"
    frame = days().rename(columns={"customer_id": "cust", "spend": "value"})
    frame.to_csv(csv, index=False)
    params = {
        "title": "t",
        "as_of": "2024-04-30",
        "transactions": {"source": str(csv), "customer": "cust", "date": "day", "amount": "value"},
        "cohorts": {"min_customers": 3},
    }
    result = ca.analyse(params)
    record = result.section("cohorts")
    assert record.sizes["customers"].to_dict() == {"2024-01": 3, "2024-02": 2}
    assert record.retention.loc["2024-01", "1"] == pytest.approx(1 / 3)
    # weighted over the cohorts observed in each month
    assert record.mean_retention["1"] == pytest.approx(1 / 5)
    assert record.mean_retention["3"] == pytest.approx(0.0)
    assert result.customers["cohort"].to_dict() == {
        "a": "2024-01",
        "b": "2024-01",
        "c": "2024-02",
        "d": "2024-02",
        "e": "2024-01",
    }
    assert record.revenue_per_customer.loc["2024-01", "0"] == pytest.approx(20.0 / 3)
    assert record.metrics()["cohorts"] == 2 and record.metrics()["small_cohorts"] == 1
    loaded = ca.TieringResult.load(result.save(tmp_path / "saved"))
    pd.testing.assert_frame_equal(loaded.section("cohorts").retention, record.retention)


def test_as_of_month_is_observed():
    tables = cohort_tables(days(), as_of=dt.date(2024, 3, 1))
    assert list(tables.retention.columns) == ["0", "1", "2"]
    assert np.isnan(tables.retention.loc["2024-02", "2"])


def test_heat_maps_draw_blank_unobserved_cells():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tables = cohort_tables(days(), as_of="2024-04-30", min_customers=3)
    ax = ca.plot_cohort_retention(tables.retention, small=tables.sizes["small"], lang="zh")
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("100%") == 2 and len(texts) == 7  # 8 cells, one not observed
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2024-01", "2024-02 *"]
    plt.close(ax.figure)
    per_customer = tables.revenue.div(tables.sizes["customers"], axis=0)
    ax = ca.plot_cohort_revenue(per_customer * 1000, lang="en")
    assert "6.7k" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
