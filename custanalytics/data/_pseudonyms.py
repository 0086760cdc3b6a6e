"""Stable pseudonyms for customer ids and names, for outputs shared outside the team."""

from __future__ import annotations

import dataclasses
import hashlib

import ibis
import ibis.expr.datatypes as dt
import pandas as pd

from ..errors import DataError
from ._load import Customers, Interactions, Transactions
from ._quality import DataQuality
from ._typed import materialise, scalar

__all__ = ["PSEUDONYM_PREFIX", "pseudonym", "pseudonymise"]

PSEUDONYM_PREFIX = "C"
#: Hexadecimal digits of the keyed SHA-256 kept: 64 bits, so that 1M ids collide with a
#: probability of about 3e-8 (and a collision is detected, never merged silently).
_DIGITS = 16
#: Separates the key from the id, so that ("ab", "c") and ("a", "bc") hash differently.
_SEPARATOR = "\x1f"
WITHHELD = "examples withheld (mask_ids)"


def pseudonym(customer_id: str, key: str | None = None) -> str:
    """Return the pseudonym of one customer id.

    Parameters
    ----------
    customer_id : str
        The id as loaded (``93.0`` already read as ``93``).
    key : str, optional
        The run's ``mask_key``.

    Returns
    -------
    str
        ``C`` and 16 hexadecimal digits of SHA-256(key, id): the same id and key always
        give the same pseudonym, in this function and in every engine.
    """
    text = f"{key or ''}{_SEPARATOR}{customer_id}"
    return PSEUDONYM_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:_DIGITS]


def pseudonymise(
    transactions: Transactions,
    customers: Customers | None = None,
    interactions: Interactions | None = None,
    *,
    name: str | None = None,
    key: str | None = None,
) -> tuple[Transactions, Customers | None, Interactions | None]:
    """Replace customer ids (and the name column) by their pseudonyms before any analysis.

    The transactions and interactions are rewritten in their engine (the hash is computed
    where the rows live), the master in pandas by :func:`pseudonym`; all give the same
    pseudonym for the same id. Examples in the data-quality details (which may quote ids or
    whole rows) are withheld.

    Parameters
    ----------
    transactions : Transactions
        The loaded log.
    customers : Customers, optional
        The loaded master.
    interactions : Interactions, optional
        The loaded contacts.
    name : str, optional
        Master column of the customer's name: it becomes the pseudonym too.
    key : str, optional
        Secret mixed into the hash (``mask_key``).

    Returns
    -------
    (Transactions, Customers or None, Interactions or None)
        New objects; the inputs are unchanged.

    Raises
    ------
    DataError
        If the engine cannot compute SHA-256 (e.g. SQLite), or two ids share a pseudonym.
    """
    transactions = _masked_log(transactions, key, "transactions")
    if interactions is not None:
        interactions = _masked_log(interactions, key, "interactions")
    if customers is None:
        return transactions, None, interactions
    frame = customers.frame.copy()
    codes = [pseudonym(i, key) for i in frame.index]
    if name is not None and name in frame.columns:
        frame[name] = codes
    frame.index = pd.Index(codes, name=frame.index.name)
    if frame.index.has_duplicates:
        raise DataError("mask_ids: two master ids share a pseudonym; set another mask_key")
    masked = Customers(frame=frame, quality=_withheld(customers.quality))
    return transactions, masked, interactions


def _masked_log(log, key: str | None, what: str):
    """Return a log (transactions, interactions) whose ``customer_id`` is the pseudonym."""
    table = log.table
    salted = ibis.literal(f"{key or ''}{_SEPARATOR}").concat(table.customer_id)
    try:
        digest = _sha256_hex(salted, table.get_backend().name)
        hashed = table.mutate(
            customer_id=ibis.literal(PSEUDONYM_PREFIX).concat(digest.substr(0, _DIGITS))
        )
        masked = materialise(hashed)
        ids = scalar(table.customer_id.nunique())
        distinct = scalar(masked.customer_id.nunique())
    except Exception as exc:  # the backend's own error type: unsupported operation
        raise DataError(
            f"mask_ids: the {what} engine ({table.get_backend().name}) cannot compute "
            f"SHA-256 for the pseudonyms ({type(exc).__name__}); export the data to a file "
            "or a DuckDB/PostgreSQL table, or run without mask_ids"
        ) from exc
    if distinct != ids:
        raise DataError(
            f"mask_ids: {ids - distinct:,} pseudonym(s) are shared by two customer ids of the "
            f"{what}; set another mask_key"
        )
    return dataclasses.replace(log, table=masked, quality=_withheld(log.quality))


def _sha256_hex(text, backend: str):
    """Hexadecimal SHA-256 of the UTF-8 bytes of a string expression, in the engine."""
    if backend == "postgres":  # ibis has no rule for it there; PostgreSQL 11+ has sha256()
        return _pg_encode(_pg_sha256(_pg_convert_to(text, "UTF8")), "hex")
    return text.hexdigest("sha256")


@ibis.udf.scalar.builtin(name="convert_to")
def _pg_convert_to(text: str, encoding: str) -> dt.binary:
    """PostgreSQL's ``convert_to``: the bytes of a text in an encoding."""


@ibis.udf.scalar.builtin(name="sha256")
def _pg_sha256(data: dt.binary) -> dt.binary:
    """PostgreSQL's ``sha256`` of bytes."""


@ibis.udf.scalar.builtin(name="encode")
def _pg_encode(data: dt.binary, format: str) -> str:
    """PostgreSQL's ``encode``: bytes as text (``hex``)."""


def _withheld(quality: DataQuality) -> DataQuality:
    steps = [dataclasses.replace(s, detail=WITHHELD if s.detail else "") for s in quality.steps]
    return dataclasses.replace(quality, steps=steps)
