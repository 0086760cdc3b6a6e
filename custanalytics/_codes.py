"""Integer codes for per-customer text columns: one hash pass instead of string maps at 1M rows."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["aligned", "positions", "text_codes"]


def aligned(values: pd.Series, index: pd.Index) -> pd.Series:
    """Return ``values`` on ``index``, without the cost of a reindex when they already are."""
    return values if values.index is index or values.index.equals(index) else values.reindex(index)


def text_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Return each value's code among the distinct values as text, sorted; -1 where missing."""
    codes, uniques = pd.factorize(values)
    text = np.asarray(pd.Index(uniques).astype(str), dtype=object)
    names, where = np.unique(text, return_inverse=True)
    return np.append(where, -1)[codes], pd.Index(names)


def positions(values: pd.Series, names: Sequence[str]) -> np.ndarray:
    """Return each value's position (as text) in ``names``; -1 where missing or not in it."""
    codes, text = text_codes(values)
    return np.append(pd.Index(names).get_indexer(text), -1)[codes]
