"""The plain records a section returns: notes, the "cannot run" record, and the registry.

Records hold data only (numbers, codes, tables); words are chosen at display time from a
code and its values (:func:`custanalytics.i18n.note_text`), so one saved result can be shown
in any language.
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Note", "Unavailable", "record", "record_types"]

_RECORD_TYPES: dict[str, type] = {}


def record(cls: type) -> type:
    """Register a dataclass as a section record, so that saved results can rebuild it.

    Parameters
    ----------
    cls : type
        A dataclass.

    Returns
    -------
    type
        The same class.
    """
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} must be a dataclass to be a record")
    _RECORD_TYPES[cls.__name__] = cls
    return cls


def record_types() -> dict[str, type]:
    """Return the registered record classes by name.

    Returns
    -------
    dict
        Class name → class.
    """
    return dict(_RECORD_TYPES)


@record
@dataclasses.dataclass(frozen=True)
class Note:
    """A structured remark: a code and the values its message needs.

    Attributes
    ----------
    code : str
        Stable machine name; the message template is the i18n key ``note_<code>``.
    values : dict
        Values the template fills in (numbers, dates as ISO text, names).
    """

    code: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)


@record
@dataclasses.dataclass(frozen=True)
class Unavailable:
    """The record of a section the data cannot support, with the reason.

    Attributes
    ----------
    reason : str
        Stable reason code; the message template is the i18n key ``unavailable_<reason>``.
    detail : dict
        Values the message needs (counts, names, the underlying error in English for
        analysts, which only the English template shows).
    """

    reason: str
    detail: dict[str, Any] = dataclasses.field(default_factory=dict)
