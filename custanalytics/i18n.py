"""Every user-facing label of the report, in English and Simplified Chinese."""

from __future__ import annotations

from .errors import ParameterError

__all__ = ["LANGUAGES", "label"]

LANGUAGES = ("en", "zh")

_LABELS: dict[str, tuple[str, str]] = {
    # headline figures
    "customers": ("Customers", "客户数"),
    "transactions": ("Transactions", "交易笔数"),
    "revenue": ("Revenue", "销售额"),
    "first_date": ("First transaction", "首笔交易日期"),
    "last_date": ("Last transaction", "末笔交易日期"),
    "top20_revenue_share": (
        "Revenue share of the top 20 % of customers",
        "前 20% 客户的销售额占比",
    ),
    "customer_share_for_80": (
        "Share of customers holding 80 % of revenue",
        "贡献 80% 销售额的客户占比",
    ),
    "gini": ("Gini coefficient of revenue", "销售额基尼系数"),
    "hhi": ("Herfindahl-Hirschman index (HHI)", "赫芬达尔指数 (HHI)"),
    "figure": ("Figure", "指标"),
    "value": ("Value", "数值"),
    # Lorenz chart
    "lorenz_title": ("Pareto / Lorenz curve of revenue", "销售额帕累托 / 洛伦兹曲线"),
    "lorenz_x": ("Share of customers (largest first)", "客户占比（按销售额从高到低）"),
    "lorenz_y": ("Cumulative share of revenue", "累计销售额占比"),
    "lorenz_equal": ("Equal revenue per customer", "均匀分布"),
    "lorenz_80": ("80 % of revenue", "80% 销售额"),
    # data quality
    "data_quality": ("Data quality", "数据质量"),
    "check": ("Check", "检查项"),
    "rows": ("Rows", "行数"),
    "action": ("Action", "处理"),
    "detail": ("Detail", "说明"),
    "rows_read": ("Rows read", "读取行数"),
    "rows_kept": ("Rows kept", "保留行数"),
    "duplicate_rows": ("Exact duplicate rows", "完全重复的行"),
    "missing_customer_id": ("Missing customer id", "缺少客户编号"),
    "repeated_customer_id": ("Repeated customer id", "客户编号重复"),
    "missing_date": ("Missing date", "缺少日期"),
    "missing_amount": ("Missing amount", "缺少金额"),
    "unparsable_dates": ("Dates that do not parse", "无法解析的日期"),
    "timezone_dropped": ("Time-zone offset removed", "去除时区偏移"),
    "after_as_of": ("After the as-of date", "晚于截止日期"),
    "before_start": ("Before the start date", "早于开始日期"),
    "returns": ("Returns (negative amounts)", "退货（负金额）"),
    "returns_without_purchase": ("Returns without an earlier purchase", "无对应购买的退货"),
    "fully_returned_purchases": ("Fully returned purchases", "全额退货的购买"),
    "dropped": ("dropped", "已剔除"),
    "corrected": ("corrected", "已修正"),
    "kept": ("kept", "保留"),
    # report header
    "as_of": ("As of", "截止日期"),
    "data_window": ("Data window", "数据区间"),
    "generated": ("Generated", "生成时间"),
    "version": ("custanalytics version", "custanalytics 版本"),
    "parameters": ("Parameters", "参数"),
    "headline": ("Headline figures", "关键指标"),
}


def label(key: str, lang: str = "en") -> str:
    """Return the label for ``key`` in ``lang``.

    Parameters
    ----------
    key : str
        Label key (a data-quality check name, a figure name, a chart text …).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The label; the key itself if no label is defined for it.

    Raises
    ------
    ParameterError
        If ``lang`` is not supported.
    """
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be one of {' | '.join(LANGUAGES)}, got {lang!r}")
    pair = _LABELS.get(key)
    return key if pair is None else pair[LANGUAGES.index(lang)]
