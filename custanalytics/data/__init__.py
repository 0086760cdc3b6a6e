"""Reading, validating and cleaning transactions, the customer master and interactions."""

from ._coverage import InteractionCoverage, JoinCoverage, interaction_coverage, join_coverage
from ._load import (
    Customers,
    Interactions,
    Transactions,
    load_customers,
    load_interactions,
    load_transactions,
)
from ._pseudonyms import pseudonym, pseudonymise
from ._quality import DataQuality, QualityStep

__all__ = [
    "Customers",
    "DataQuality",
    "InteractionCoverage",
    "Interactions",
    "JoinCoverage",
    "QualityStep",
    "Transactions",
    "interaction_coverage",
    "join_coverage",
    "load_customers",
    "load_interactions",
    "load_transactions",
    "pseudonym",
    "pseudonymise",
]
