"""Value matrix (DOMAIN worked example), holdout evaluation and the chart functions."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import custanalytics as ca
from custanalytics.clv import BetaGeoModel, evaluate
from custanalytics.datasets import load_cdnow_sample
from custanalytics.value import value_matrix, value_matrix_summary


def test_value_matrix_worked_example():
    index = list("ABCD")
    cells = value_matrix(
        pd.Series([78, 87, 69, 74], index=index), pd.Series([80, 55, 62, 75], index=index)
    )
    assert cells.to_dict() == {
        "A": "value_customer",  # 价值客户
        "B": "secondary_value_customer",  # 次价值客户
        "C": "low_value_customer",  # 低价值客户
        "D": "potential_value_customer",  # 潜在价值客户
    }
    assert ca.label("potential_value_customer", "zh") == "潜在价值客户"


def test_value_matrix_summary_shares_add_up():
    index = list("ABCD")
    current = pd.Series([78.0, 87, 69, 74], index=index)
    potential = pd.Series([80.0, 55, 62, 75], index=index)
    table = value_matrix_summary(value_matrix(current, potential), current, potential)
    assert table["customers"].sum() == 4
    assert table[["customer_share", "revenue_share", "clv_share"]].sum().round(12).eq(1).all()


def test_value_matrix_rejects_mismatched_input():
    with pytest.raises(ca.DataError, match="same customers"):
        value_matrix(pd.Series([1.0], index=["a"]), pd.Series([1.0], index=["b"]))
    with pytest.raises(ca.DataError, match="potential value is missing for 1 customer"):
        value_matrix(pd.Series([1.0, 2.0]), pd.Series([1.0, np.nan]))


@pytest.fixture(scope="module")
def calibration():
    tx = ca.load_transactions(
        load_cdnow_sample(), customer="customer_id", date="date", amount="amount", duplicates="keep"
    )
    return ca.summarize(tx, as_of="1998-06-30", calibration_end="1997-09-30", time_unit="W")


def test_holdout_evaluation_against_hand_computation(calibration):
    model = BetaGeoModel().fit(calibration)
    result = evaluate(model, calibration)
    predicted = model.expected_purchases(calibration, 39).to_numpy()
    actual = calibration["frequency_holdout"].to_numpy()
    assert result.mae == pytest.approx(np.abs(predicted - actual).mean())
    assert result.rmse == pytest.approx(np.sqrt(((predicted - actual) ** 2).mean()))
    assert result.total_actual == actual.sum()
    assert result.by_frequency["customers"].sum() == len(calibration)
    assert list(result.by_frequency.index)[-1] == "7+"
    # aggregate check as in the BG/NBD paper: measured 1,653 predicted vs 1,882 actual
    # purchase days in weeks 40-78
    assert result.total_predicted == pytest.approx(result.total_actual, rel=0.15)
    assert 0.5 < result.correlation < 1


def test_evaluate_needs_holdout_columns(calibration):
    model = BetaGeoModel().fit(calibration)
    with pytest.raises(ca.DataError, match="needs a summary with a holdout"):
        evaluate(model, calibration.drop(columns="frequency_holdout"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_charts_return_axes_and_draw_on_given_axes(calibration, lang):
    model = BetaGeoModel().fit(calibration)
    grid = pd.DataFrame(
        {
            "frequency": [0, 0, 1, 1],
            "recency": [0.0, 10.0, 0.0, 10.0],
            "p_alive": [1.0, 1.0, 0.4, 0.9],
            "expected_purchases": [0.5, 0.5, 0.2, 1.1],
        }
    )
    _, axes = plt.subplots(2, 3)
    by_frequency = evaluate(model, calibration).by_frequency
    drawn = [
        ca.plot_lorenz(calibration["frequency"] + 1.0, ax=axes[0, 0], lang=lang),
        ca.plot_calibration_holdout(by_frequency, model="BG/NBD", ax=axes[0, 1], lang=lang),
        ca.plot_expected_purchases_matrix(grid, time_unit="W", ax=axes[0, 2], lang=lang),
        ca.plot_probability_alive_matrix(grid, ax=axes[1, 0], lang=lang),
        ca.plot_clv_distribution(calibration["monetary_value"], ax=axes[1, 1], lang=lang),
    ]
    for given, returned in zip(axes.ravel(), drawn, strict=False):
        assert returned is given
        assert returned.get_title() != ""
    assert axes[0, 0].get_xlabel() == ca.label("lorenz_x", lang)
