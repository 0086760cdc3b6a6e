"""Data for demos, tests and benchmarks: CDNOW, simulated BTYD logs and a Chinese B2B demo."""

from ._cdnow import cdnow_path, load_cdnow, load_cdnow_sample

__all__ = ["cdnow_path", "load_cdnow", "load_cdnow_sample"]
