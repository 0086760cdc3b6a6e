"""Per-customer summary: hand-computed fixture and parity with lifetimes on CDNOW."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from custanalytics import ParameterError, load_transactions, summarize
from custanalytics.datasets import load_cdnow


def tx(rows, **options):
    frame = pd.DataFrame(rows, columns=["c", "d", "a"])
    return load_transactions(frame, customer="c", date="d", amount="a", **options)


def test_hand_computed_fixture():
    data = tx(
        [
            ("A", "2024-01-01 09:00", 10.0),
            ("A", "2024-01-01 17:00", 5.0),  # same day: one purchase of 15
            ("A", "2024-01-08", 30.0),
            ("A", "2024-01-15", 60.0),
            ("B", "2024-01-10", 7.0),  # one-time buyer
        ]
    )
    s = summarize(data, as_of="2024-01-31")
    a, b = s.loc["A"], s.loc["B"]
    assert (a["orders"], a["frequency"], a["recency"], a["T"]) == (3, 2, 14.0, 30.0)
    assert a.revenue == 105.0 and a.avg_order_value == 35.0
    assert a.monetary_value == 45.0  # mean of the repeat days 30 and 60
    assert (b["orders"], b["frequency"], b["recency"], b["T"], b["monetary_value"]) == (
        1,
        0,
        0.0,
        21.0,
        0.0,
    )
    weekly = summarize(data, as_of="2024-01-31", time_unit="W")
    assert weekly.loc["A", "T"] == pytest.approx(30 / 7)
    assert weekly.attrs["time_unit"] == "W"


def test_calibration_and_holdout_fixture():
    data = tx(
        [
            ("A", "2024-01-01", 10.0),
            ("A", "2024-01-05", 20.0),
            ("A", "2024-02-03", 30.0),
            ("A", "2024-02-04", 50.0),
            ("B", "2024-01-20", 5.0),
            ("C", "2024-02-10", 9.0),  # first buys in the holdout: not in the calibration set
        ]
    )
    s = summarize(data, as_of="2024-02-29", calibration_end="2024-01-31")
    assert list(s.index) == ["A", "B"]
    assert s.loc["A", "frequency"] == 1 and s.loc["A", "T"] == 30
    assert s.loc["A", "frequency_holdout"] == 2
    assert s.loc["A", "monetary_value_holdout"] == 40.0
    assert s.loc["B", "frequency_holdout"] == 0 and s.loc["B", "monetary_value_holdout"] == 0
    assert (s["duration_holdout"] == 29).all()


def test_bad_arguments():
    data = tx([("A", "2024-01-01", 1.0)])
    with pytest.raises(ParameterError, match="time_unit"):
        summarize(data, as_of="2024-02-01", time_unit="fortnight")
    with pytest.raises(ParameterError, match="calibration_end"):
        summarize(data, as_of="2024-02-01", calibration_end="2024-03-01")


@pytest.fixture(scope="module")
def cdnow():
    return load_transactions(
        load_cdnow(), customer="customer_id", date="date", amount="amount", duplicates="keep"
    )


def test_parity_with_lifetimes_on_cdnow(cdnow):
    lifetimes_utils = pytest.importorskip("lifetimes.utils")
    ours = summarize(cdnow, as_of="1998-06-30")
    theirs = lifetimes_utils.summary_data_from_transaction_data(
        load_cdnow(),
        "customer_id",
        "date",
        monetary_value_col="amount",
        observation_period_end="1998-06-30",
    ).sort_index()
    assert list(ours.index) == list(theirs.index.astype(str))
    for column in ("frequency", "recency", "T"):
        np.testing.assert_array_equal(ours[column].to_numpy(), theirs[column].to_numpy())
    np.testing.assert_allclose(ours["monetary_value"], theirs["monetary_value"], rtol=1e-12)


def test_weekly_calibration_matches_lifetimes_definition(cdnow):
    lifetimes_utils = pytest.importorskip("lifetimes.utils")
    ours = summarize(cdnow, as_of="1998-06-30", calibration_end="1997-09-30", time_unit="W")
    raw = load_cdnow()
    calibration = lifetimes_utils.summary_data_from_transaction_data(
        raw[raw.date <= "1997-09-30"],
        "customer_id",
        "date",
        monetary_value_col="amount",
        observation_period_end="1997-09-30",
    ).sort_index()
    np.testing.assert_allclose(ours["T"], calibration["T"] / 7)
    np.testing.assert_allclose(ours["recency"], calibration["recency"] / 7)
    np.testing.assert_array_equal(ours["frequency"], calibration["frequency"])
    # holdout: distinct purchase days after the calibration end, as lifetimes defines it
    holdout = raw[(raw.date > "1997-09-30") & (raw.date <= "1998-06-30")]
    days = holdout.groupby(["customer_id", "date"])["amount"].sum().groupby(level=0)
    expected = days.size().reindex(ours.index, fill_value=0)
    np.testing.assert_array_equal(ours["frequency_holdout"], expected)
    spend = days.mean().reindex(ours.index, fill_value=0.0)
    np.testing.assert_allclose(ours["monetary_value_holdout"], spend, rtol=1e-12)
    assert ours["duration_holdout"].iloc[0] == pytest.approx(
        (dt.date(1998, 6, 30) - dt.date(1997, 9, 30)).days / 7
    )
    assert len(ours) == 23_570
