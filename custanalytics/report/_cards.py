"""Customer profile cards as HTML: master attributes, computed facts and the owner."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

from .._currency import MONEY_KEYS, money_text
from ..i18n import label
from ..plotting import class_label, column_label

__all__ = ["profile_cards_html"]

#: How a fact is shown: a format, or "class" for a code with a label.
_FACT_FORMATS = {
    "grade": "tier",
    "rfm_segment": "class",
    "rfm_class8": "class",
    "cluster_name": "class",
    "lifecycle_stage": "class",
    "value_cell": "class",
    "orders": "{:,.0f}",
    "p_alive": "{:.0%}",
    "last_purchase": "{:%Y-%m-%d}",
    "last_contact": "{:%Y-%m-%d}",
    "next_contact_due": "{:%Y-%m-%d}",
    "days_overdue": "{:,.0f}",
}
_CARD = (
    "display:inline-block;vertical-align:top;box-sizing:border-box;width:32%;min-width:260px;"
    "margin:0 1% 12px 0;"
    "border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;font-size:13px;"
    "background:#fff"
)
_HEAD = "font-weight:600;font-size:14px;margin-bottom:4px"
_BADGE = (
    "display:inline-block;margin-left:6px;padding:0 6px;border-radius:8px;"
    "background:#1f5f99;color:#fff;font-size:11px;font-weight:400"
)
_KEY = "color:#57606a;padding:1px 10px 1px 0;white-space:nowrap;vertical-align:top;text-align:left"
_VALUE = "padding:1px 0;white-space:normal;text-align:left"


def profile_cards_html(
    customers: pd.DataFrame,
    ids: Sequence[str],
    record,
    tiers: Mapping[str, str],
    lang: str,
    currency: str | None = None,
) -> str:
    """Return the profile cards of ``ids`` as one HTML block (every value escaped).

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    ids : sequence of str
        Customers to show, in order.
    record : ProfilesRecord
        The fields the cards show, the name and owner columns.
    tiers : mapping
        Display name per tier key.
    lang : {"en", "zh"}
        Language.
    currency : str, optional
        The run's currency.

    Returns
    -------
    str
        ``<div>`` of cards.
    """
    cards = []
    for customer in ids:
        row = customers.loc[customer]
        title = str(row[record.name]) if record.name and pd.notna(row[record.name]) else ""
        head = f"{html.escape(title)} <code>{html.escape(str(customer))}</code>"
        if "grade" in row.index and pd.notna(row["grade"]):
            grade = tiers.get(str(row["grade"]), str(row["grade"]))
            head += f'<span style="{_BADGE}">{html.escape(grade)}</span>'
        if row.get("profile_reason") == "top_tier_at_risk":
            head += (
                f'<span style="{_BADGE};background:#c0392b">{label("stage_at_risk", lang)}</span>'
            )
        facts = [c for c in record.facts if c != "grade"]  # the badge shows the tier
        lines = [(column_label(c, lang), _fact(row, c, tiers, lang, currency)) for c in facts]
        lines = [(k, v) for k, v in lines if v not in ("–", "0")]  # e.g. not overdue
        if record.owner:
            lines.append((label("owner", lang), _text(row[record.owner])))
        lines += [(str(c), _text(row[c])) for c in record.attributes if c in row.index]
        body = "".join(
            f'<tr><td style="{_KEY}">{html.escape(k)}</td>'
            f'<td style="{_VALUE}">{html.escape(v)}</td></tr>'
            for k, v in lines
        )
        cards.append(
            f'<div class="profile-card" style="{_CARD}"><div style="{_HEAD}">{head}</div>'
            f"<table>{body}</table></div>"
        )
    return f'<div class="profile-cards">{"".join(cards)}</div>'


def _fact(row: pd.Series, column: str, tiers: Mapping[str, str], lang: str, currency) -> str:
    value = row[column]
    if value is None or pd.isna(value):
        return "–"
    if column == "clv" and pd.notna(row.get("clv_range_lower")):
        low, high = (money_text(float(row[f"clv_range_{e}"]), currency) for e in ("lower", "upper"))
        return f"{money_text(float(value), currency)} ({low} – {high})"
    if column in MONEY_KEYS:
        return money_text(float(value), currency)
    how = _FACT_FORMATS.get(column, "{:,.2f}")
    if how == "tier":
        return tiers.get(str(value), str(value))
    if how == "class":
        return class_label(column, str(value), lang)
    return how.format(value)


def _text(value: object) -> str:
    return "–" if value is None or pd.isna(value) else str(value)
