"""How well the sources join: the master and the transactions, the interactions and both."""

from __future__ import annotations

import dataclasses

import pandas as pd

from ..errors import DataError
from ._load import Customers, Interactions, Transactions

__all__ = [
    "MIN_MATCHED_SHARE",
    "InteractionCoverage",
    "JoinCoverage",
    "interaction_coverage",
    "join_coverage",
]

#: Below this share of buyers found in the master, the join is taken to be wrong.
MIN_MATCHED_SHARE = 0.5
_EXAMPLES = 5


@dataclasses.dataclass(frozen=True)
class JoinCoverage:
    """Coverage of the join between the transactions' buyers and the customer master.

    Attributes
    ----------
    matched : int
        Buyers found in the master.
    transactions_only : int
        Buyers not in the master (they keep their purchases, without attributes).
    master_only : int
        Customers of the master without a purchase: the prospects.
    transactions_only_examples, master_only_examples : tuple of str
        Up to five ids of each side, in sorted order.
    """

    matched: int
    transactions_only: int
    master_only: int
    transactions_only_examples: tuple[str, ...] = ()
    master_only_examples: tuple[str, ...] = ()

    @property
    def buyers(self) -> int:
        """Customers with at least one purchase."""
        return self.matched + self.transactions_only

    @property
    def matched_share(self) -> float:
        """Share of the buyers found in the master (1.0 when there are no buyers)."""
        return self.matched / self.buyers if self.buyers else 1.0

    def to_dict(self) -> dict:
        """Return the coverage as JSON-serialisable values.

        Returns
        -------
        dict
            The attributes, the examples as lists, and ``matched_share``.
        """
        record = dataclasses.asdict(self)
        record["transactions_only_examples"] = list(self.transactions_only_examples)
        record["master_only_examples"] = list(self.master_only_examples)
        record["matched_share"] = self.matched_share
        return record


def join_coverage(
    transactions: Transactions, customers: Customers, *, min_share: float = MIN_MATCHED_SHARE
) -> JoinCoverage:
    """Measure how the customer master joins the transactions, and stop when it cannot be right.

    Ids are compared as loaded: both loaders apply the same normalisation (stripped text,
    ``93.0`` → ``93`` in integer id columns), so a difference left here is one of the data.

    Parameters
    ----------
    transactions : Transactions
        Output of :func:`custanalytics.load_transactions`.
    customers : Customers
        Output of :func:`custanalytics.load_customers`.
    min_share : float
        Smallest plausible share of buyers found in the master (default one half).

    Returns
    -------
    JoinCoverage
        Matched buyers, buyers only in the transactions, prospects, examples of each side.

    Raises
    ------
    DataError
        If fewer than ``min_share`` of the buyers are in the master; the message gives the
        counts, examples from both sides and the likely fix.
    """
    table = transactions.table
    buyers = pd.Index(table.select("customer_id").distinct().to_pandas()["customer_id"])
    master = pd.Index(customers.frame.index)
    matched = buyers.intersection(master)
    only_tx = buyers.difference(master).sort_values()
    only_master = master.difference(buyers).sort_values()
    coverage = JoinCoverage(
        matched=len(matched),
        transactions_only=len(only_tx),
        master_only=len(only_master),
        transactions_only_examples=tuple(map(str, only_tx[:_EXAMPLES])),
        master_only_examples=tuple(map(str, only_master[:_EXAMPLES])),
    )
    if coverage.buyers and coverage.matched_share < min_share:
        raise DataError(
            f"the customer master ({customers.quality.source}) matches only "
            f"{coverage.matched:,} of the {coverage.buyers:,} buyers in the transactions "
            f"({coverage.matched_share:.0%}); {coverage.transactions_only:,} buyers are not in "
            f"the master, e.g. {_shown(coverage.transactions_only_examples)}, and "
            f"{coverage.master_only:,} master ids have no purchase, e.g. "
            f"{_shown(coverage.master_only_examples)}. "
            f"{_likely_fix(only_tx, only_master, 'customers.customer')}"
        )
    return coverage


@dataclasses.dataclass(frozen=True)
class InteractionCoverage:
    """Coverage of the interactions' customers by the customers the other sources know.

    Attributes
    ----------
    customers : int
        Distinct customers the interactions name.
    matched : int
        Of them, those in the customer master or the transactions.
    unknown_rows : int
        Interactions of the other customers (kept; no tier, so no policy uses them).
    unknown_examples : tuple of str
        Up to five of those customers' ids, in sorted order.
    """

    customers: int
    matched: int
    unknown_rows: int
    unknown_examples: tuple[str, ...] = ()

    @property
    def unknown(self) -> int:
        """Customers of the interactions in neither the master nor the transactions."""
        return self.customers - self.matched

    @property
    def matched_share(self) -> float:
        """Share of the interactions' customers that are known (1.0 without any)."""
        return self.matched / self.customers if self.customers else 1.0

    def to_dict(self) -> dict:
        """Return the coverage as JSON-serialisable values.

        Returns
        -------
        dict
            The attributes, the examples as a list, ``unknown`` and ``matched_share``.
        """
        record = dataclasses.asdict(self)
        record["unknown_examples"] = list(self.unknown_examples)
        record["unknown"] = self.unknown
        record["matched_share"] = self.matched_share
        return record


def interaction_coverage(
    interactions: Interactions,
    transactions: Transactions,
    customers: Customers | None = None,
    *,
    min_share: float = MIN_MATCHED_SHARE,
) -> InteractionCoverage:
    """Measure how the interactions join the known customers, and stop when it cannot be right.

    A customer is known when the transactions (a buyer) or the customer master (prospects
    included) has it; ids are compared as loaded, as in :func:`join_coverage`.

    Parameters
    ----------
    interactions : Interactions
        Output of :func:`custanalytics.load_interactions`.
    transactions : Transactions
        Output of :func:`custanalytics.load_transactions`.
    customers : Customers, optional
        Output of :func:`custanalytics.load_customers`.
    min_share : float
        Smallest plausible share of the interactions' customers that are known (default
        one half).

    Returns
    -------
    InteractionCoverage
        Customers named, known, the interactions of the unknown ones and examples.

    Raises
    ------
    DataError
        If fewer than ``min_share`` of the interactions' customers are known; the message
        gives the counts, examples from both sides and the likely fix.
    """
    rows = interactions.table.group_by("customer_id").aggregate(rows=lambda t: t.count())
    rows = rows.to_pandas().set_index("customer_id")["rows"]
    known = pd.Index(transactions.table.select("customer_id").distinct().to_pandas()["customer_id"])
    if customers is not None:
        known = known.union(pd.Index(customers.frame.index))
    named = pd.Index(rows.index)
    unknown = named.difference(known).sort_values()
    coverage = InteractionCoverage(
        customers=len(named),
        matched=len(named) - len(unknown),
        unknown_rows=int(rows.loc[unknown].sum()),
        unknown_examples=tuple(map(str, unknown[:_EXAMPLES])),
    )
    if coverage.customers and coverage.matched_share < min_share:
        silent = known.difference(named).sort_values()
        sources = "the transactions" + (" or the customer master" if customers else "")
        raise DataError(
            f"the interactions ({interactions.quality.source}) name {coverage.customers:,} "
            f"customers, of whom only {coverage.matched:,} ({coverage.matched_share:.0%}) are "
            f"in {sources}; {coverage.unknown:,} are not, e.g. "
            f"{_shown(coverage.unknown_examples)}, while known ids look like "
            f"{_shown(tuple(map(str, silent[:_EXAMPLES])))}. "
            f"{_likely_fix(unknown, silent, 'interactions.customer')}"
        )
    return coverage


def _shown(ids: tuple[str, ...]) -> str:
    return ", ".join(repr(i) for i in ids) or "(none)"


def _likely_fix(only_tx: pd.Index, only_master: pd.Index, key: str) -> str:
    """Name the difference of notation that would make the ids meet, if there is one.

    ``key`` is the parameter naming the id column of the source that does not join.
    """
    stripped_tx = set(only_tx.str.lstrip("0"))
    stripped_master = set(only_master.str.lstrip("0"))
    if stripped_tx & stripped_master and (
        only_tx.str.startswith("0").any() or only_master.str.startswith("0").any()
    ):
        return (
            "The ids differ in leading zeros (such as '000001' and '1'): write them the same "
            "way in both sources, e.g. keep the master's id column as text in Excel, or "
            "convert both in a query= (CAST(id AS INTEGER))."
        )
    folded_tx, folded_master = set(only_tx.str.casefold()), set(only_master.str.casefold())
    if folded_tx & folded_master:
        return "The ids differ in upper and lower case: write them the same way in both sources."
    return (
        f"Check that {key} names the id column (not a name or a row number) and that both "
        "sources use the same ids."
    )
