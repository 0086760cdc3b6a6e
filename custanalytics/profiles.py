"""Customer profile cards: which customers get one, and what a card shows."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PROFILE_FACTS", "PROFILE_REASONS", "profile_reasons", "profiled_customers"]

#: Why a customer has a card (the categories of ``profile_reason``).
PROFILE_REASONS = ("top_tier", "at_risk", "top_tier_at_risk")

#: Computed facts a card shows, in order, when the run has them.
PROFILE_FACTS = (
    "grade",
    "rfm_segment",
    "cluster_name",
    "lifecycle_stage",
    "value_cell",
    "revenue",
    "orders",
    "clv",
    "p_alive",
    "last_purchase",
    "days_overdue",
    "last_contact",
    "next_contact_due",
)


def profile_reasons(customers: pd.DataFrame, top_level: str | None) -> pd.Series:
    """Say why each customer gets a profile card: top tier, at risk, or both.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``grade`` and/or ``lifecycle_stage``.
    top_level : str, optional
        The best level of the primary scheme (None: no tiers).

    Returns
    -------
    pandas.Series
        Same index, categorical: ``top_tier``, ``at_risk``, ``top_tier_at_risk`` or
        missing (no card).
    """
    index, none = customers.index, np.zeros(len(customers), dtype=bool)
    top = (
        (customers["grade"].astype("object") == top_level).to_numpy(dtype=bool)
        if top_level is not None and "grade" in customers
        else none
    )
    at_risk = (
        (customers["lifecycle_stage"].astype("object") == "at_risk").to_numpy(dtype=bool)
        if "lifecycle_stage" in customers
        else none
    )
    codes = np.select([top & ~at_risk, at_risk & ~top, top & at_risk], [0, 1, 2], default=-1)
    reason = pd.Categorical.from_codes(codes, categories=PROFILE_REASONS)
    return pd.Series(reason, index=index, name="profile_reason")


def profiled_customers(customers: pd.DataFrame, reasons: pd.Series, limit: int) -> list[str]:
    """Return the ids of the cards a report shows: highest value first, ``limit`` at most.

    Parameters
    ----------
    customers : pandas.DataFrame
        Per-customer table with ``revenue`` (and ``clv`` when fitted).
    reasons : pandas.Series
        :func:`profile_reasons` restricted to one group (e.g. the at-risk customers).
    limit : int
        Cards shown.

    Returns
    -------
    list of str
        Customer ids ordered by CLV (else revenue), then revenue, then id (a stable order).
    """
    chosen = customers.loc[reasons.dropna().index]
    keys = [c for c in ("clv", "revenue") if c in chosen.columns]
    order = chosen[keys].fillna(float("-inf")).assign(_id=chosen.index.astype(str))
    order = order.sort_values(keys + ["_id"], ascending=[False] * len(keys) + [True])
    return [str(i) for i in order.index[:limit]]
