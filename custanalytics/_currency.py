"""Money in the report: which figures are amounts, and how they carry the run's currency."""

from __future__ import annotations

from .i18n import label

__all__ = ["MONEY_KEYS", "is_money_title", "money_text", "money_title"]

#: Label keys whose figures are amounts of money: their headers and axes carry the currency.
MONEY_KEYS = frozenset(
    {
        "amount",
        "avg_order_value",
        "clv",
        "clv_axis",
        "clv_mean",
        "clv_mean_lower",
        "clv_mean_upper",
        "clv_median",
        "clv_range_lower",
        "clv_range_upper",
        "clv_total",
        "expected_spend",
        "median_revenue",
        "monetary_value",
        "revenue",
        "revenue_before",
        "revenue_now",
        "revenue_per_customer",
        "segment_feature_avg_order_value",
        "segment_feature_clv",
        "segment_feature_monetary_value",
        "segment_feature_revenue",
    }
)
_TITLES = frozenset(label(key, lang) for key in MONEY_KEYS for lang in ("en", "zh"))


def is_money_title(title: object) -> bool:
    """Return whether a displayed header (in either language) is one of the money labels."""
    return isinstance(title, str) and title in _TITLES


def money_title(title: str, currency: str | None) -> str:
    """Return a header with its currency: ``Revenue (¥)``, ``销售额（¥）``.

    Parameters
    ----------
    title : str
        The translated header.
    currency : str, optional
        The run's ``currency``; without it the header is returned as it is.

    Returns
    -------
    str
        The header with the currency in brackets (full-width after Chinese text).
    """
    if not currency:
        return title
    if any("\u3000" <= ch <= "\u9fff" for ch in title):
        return f"{title}（{currency}）"
    return f"{title} ({currency})"


def money_text(value: float, currency: str | None, fmt: str = "{:,.0f}") -> str:
    """Format an amount for running text: ``¥1,234``, ``CNY 1,234``, ``–`` when missing.

    Parameters
    ----------
    value : float
        The amount.
    currency : str, optional
        A sign is written before the number, a code (letters) before it with a space.
    fmt : str
        Format of the number.

    Returns
    -------
    str
        The formatted amount.
    """
    if value is None or value != value:
        return "–"
    number = fmt.format(value)
    if not currency:
        return number
    sign = "-" if number.startswith("-") else ""
    gap = " " if currency.isalpha() else ""
    return f"{sign}{currency}{gap}{number.lstrip('-')}"
