"""Reading, validating and cleaning transactions and the customer master."""

from ._load import Customers, Transactions, load_customers, load_transactions
from ._quality import DataQuality, QualityStep

__all__ = [
    "Customers",
    "DataQuality",
    "QualityStep",
    "Transactions",
    "load_customers",
    "load_transactions",
]
