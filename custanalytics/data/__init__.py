"""Reading, validating and cleaning transactions and the customer master."""

from ._coverage import JoinCoverage, join_coverage
from ._load import Customers, Transactions, load_customers, load_transactions
from ._pseudonyms import pseudonym, pseudonymise
from ._quality import DataQuality, QualityStep

__all__ = [
    "Customers",
    "DataQuality",
    "JoinCoverage",
    "QualityStep",
    "Transactions",
    "join_coverage",
    "load_customers",
    "load_transactions",
    "pseudonym",
    "pseudonymise",
]
