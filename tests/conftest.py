import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import custanalytics as ca  # noqa: E402
from custanalytics.datasets import load_cdnow_sample  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def cdnow_weeks():
    """The CDNOW sample's 39-week calibration summary in weeks, as in the BTYD papers."""
    tx = ca.load_transactions(
        load_cdnow_sample(), customer="customer_id", date="date", amount="amount", duplicates="keep"
    )
    return ca.summarize(tx, as_of="1997-09-30", time_unit="W")
