"""Credentials never reach an output: passwords in connection URLs are masked."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MASK", "redact", "redact_values"]

MASK = "***"

#: ``scheme://user:password@host`` → the password part.
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.\-]*://[^:/@\s]*):(?P<secret>[^@/\s]+)@", re.I)
#: ``?password=...`` / ``&token=...`` in query strings and connection strings.
_KEY_VALUE = re.compile(
    r"(?P<head>\b(?:password|passwd|pwd|secret|token|api_key|apikey)=)(?P<secret>[^&;\s'\"]+)",
    re.I,
)


def redact(text: str) -> str:
    """Mask the passwords and tokens in ``text`` (URLs and ``key=value`` pairs).

    Parameters
    ----------
    text : str
        Any text: a connection URL, an error message, a log line.

    Returns
    -------
    str
        The text with every secret replaced by ``***``.

    Examples
    --------
    >>> redact("postgres://ana:s3cret@db.local/sales")
    'postgres://ana:***@db.local/sales'
    >>> redact("host=db password=s3cret")
    'host=db password=***'
    """
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}:{MASK}@", text)
    return _KEY_VALUE.sub(lambda m: f"{m['head']}{MASK}", text)


def redact_values(value: Any) -> Any:
    """Return ``value`` with :func:`redact` applied to every string inside it.

    Parameters
    ----------
    value : object
        Nested dicts, lists and scalars.

    Returns
    -------
    object
        The same structure, secrets masked.
    """
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_values(v) for v in value)
    return value
