"""Data for demos, tests and benchmarks: CDNOW, simulated BTYD logs and a Chinese B2B demo."""

from ._b2b import load_b2b_demo, load_b2b_demo_interactions
from ._cdnow import cdnow_path, load_cdnow, load_cdnow_sample
from ._simulate import simulate_transactions, simulate_transactions_rows

__all__ = [
    "cdnow_path",
    "load_b2b_demo",
    "load_b2b_demo_interactions",
    "load_cdnow",
    "load_cdnow_sample",
    "simulate_transactions",
    "simulate_transactions_rows",
]
