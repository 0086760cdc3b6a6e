"""Every user-facing label of the report, in English and Simplified Chinese."""

from __future__ import annotations

from .errors import ParameterError

__all__ = ["LANGUAGES", "label"]

LANGUAGES = ("en", "zh")

_LABELS: dict[str, tuple[str, str]] = {
    # headline figures
    "customers": ("Customers", "客户数"),
    "prospects": ("Prospects (no purchase yet)", "潜在客户（尚未购买）"),
    "customer_master": ("Customer master", "客户主数据"),
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
    # CLV
    "clv_section": ("Customer lifetime value (CLV)", "客户终身价值 (CLV)"),
    "model": ("Model", "模型"),
    "parameter": ("Parameter", "参数"),
    "estimate": ("Estimate", "估计值"),
    "std_error": ("Std. error", "标准误"),
    "lower_95": ("95 % lower", "95% 下限"),
    "upper_95": ("95 % upper", "95% 上限"),
    "holdout_title": (
        "Calibration vs holdout: purchases per customer",
        "校准期与验证期：人均购买次数",
    ),
    "holdout_actual": ("Actual", "实际"),
    "holdout_predicted": ("Predicted", "预测"),
    "calibration_frequency": ("Repeat purchases in the calibration period", "校准期内重复购买次数"),
    "holdout_purchases_mean": ("Mean purchases in the holdout period", "验证期平均购买次数"),
    "expected_purchases_matrix": (
        "Expected purchases by frequency and recency",
        "按频次与最近购买时间的预期购买次数",
    ),
    "expected_purchases": ("Expected purchases", "预期购买次数"),
    "p_alive_matrix": (
        "Probability alive by frequency and recency",
        "按频次与最近购买时间的存活概率",
    ),
    "p_alive": ("P(alive)", "存活概率"),
    "recency_axis": ("Recency (time of last purchase)", "最近一次购买时间"),
    "frequency_axis": ("Repeat purchases (frequency)", "重复购买次数（频次）"),
    "clv_axis": ("CLV", "客户终身价值"),
    "clv_distribution": ("Distribution of CLV", "客户终身价值分布"),
    "mean": ("Mean", "均值"),
    "median": ("Median", "中位数"),
    "clv": ("CLV", "客户终身价值"),
    "top_clv": ("Top customers by CLV", "CLV 最高的客户"),
    "mae": ("Mean absolute error", "平均绝对误差"),
    "rmse": ("Root-mean-square error", "均方根误差"),
    "correlation": ("Correlation predicted vs actual", "预测与实际的相关系数"),
    "total_predicted": ("Holdout purchases predicted", "验证期预测购买总数"),
    "total_actual": ("Holdout purchases actual", "验证期实际购买总数"),
    "log_likelihood": ("Log-likelihood", "对数似然"),
    # value matrix
    "value_matrix": ("Value matrix: current vs potential value", "价值矩阵：当前价值与潜在价值"),
    "value_customer": ("Value customers (high current, high potential)", "价值客户"),
    "secondary_value_customer": ("Secondary value (high current, low potential)", "次价值客户"),
    "potential_value_customer": ("Potential value (low current, high potential)", "潜在价值客户"),
    "low_value_customer": ("Low value (low current, low potential)", "低价值客户"),
    "revenue_share": ("Revenue share", "销售额占比"),
    "customer_share": ("Customer share", "客户占比"),
    "clv_share": ("CLV share", "CLV 占比"),
    "orders": ("Orders", "订单数"),
    "model_comparison": ("Model comparison on the holdout period", "验证期模型比较"),
    "best_model": ("Best model (lowest RMSE)", "最佳模型（均方根误差最小）"),
    "full_window_fit": ("Models fitted on the whole window", "全部数据期的模型拟合"),
    "frequency_spend_correlation": (
        "Correlation of frequency and spend",
        "购买频次与消费金额的相关系数",
    ),
    "clv_by_model": ("CLV by model", "各模型的客户终身价值"),
    "clv_total": ("Total CLV", "CLV 合计"),
    "clv_mean": ("Mean CLV", "CLV 均值"),
    "clv_median": ("Median CLV", "CLV 中位数"),
    "rank_correlation": ("Rank correlation of CLV between models", "各模型 CLV 的秩相关"),
    "clv_unavailable": ("CLV could not be estimated", "无法估计客户终身价值"),
    "holdout_period": ("Holdout period", "验证期"),
    "discount_rate": ("annual discount rate", "年折现率"),
    "unit_D": ("days", "天"),
    "unit_W": ("weeks", "周"),
    "unit_M": ("months", "个月"),
    "unit_Y": ("years", "年"),
    "last_purchase": ("Last purchase", "最近购买日期"),
    "expected_spend": ("Expected spend per purchase", "预期单次消费"),
    "clv_lower": ("CLV 95 % lower", "CLV 95% 下限"),
    "clv_upper": ("CLV 95 % upper", "CLV 95% 上限"),
    "customer_id": ("Customer", "客户"),
    "cell": ("Cell", "类别"),
    # tiering: concentration, RFM, grades, tier summary
    "top1_revenue_share": ("Revenue share of the top 1 % of customers", "前 1% 客户的销售额占比"),
    "top5_revenue_share": ("Revenue share of the top 5 % of customers", "前 5% 客户的销售额占比"),
    "top10_revenue_share": (
        "Revenue share of the top 10 % of customers",
        "前 10% 客户的销售额占比",
    ),
    "champions": ("Champions", "冠军客户"),
    "loyal_customers": ("Loyal Customers", "忠诚客户"),
    "potential_loyalists": ("Potential Loyalists", "潜在忠诚客户"),
    "new_customers": ("New Customers", "新客户"),
    "promising": ("Promising", "有潜力客户"),
    "need_attention": ("Need Attention", "需要关注客户"),
    "about_to_sleep": ("About to Sleep", "即将沉睡客户"),
    "at_risk": ("At Risk", "有流失风险客户"),
    "cant_lose_them": ("Can't Lose Them", "不能失去的客户"),
    "hibernating": ("Hibernating", "沉睡客户"),
    "important_value": ("Important value (R high, F high, M high)", "重要价值客户"),
    "important_development": ("Important to develop (R high, F low, M high)", "重要发展客户"),
    "important_retention": ("Important to retain (R low, F high, M high)", "重要保持客户"),
    "important_recovery": ("Important to win back (R low, F low, M high)", "重要挽留客户"),
    "general_value": ("General value (R high, F high, M low)", "一般价值客户"),
    "general_development": ("General, to develop (R high, F low, M low)", "一般发展客户"),
    "general_retention": ("General, to retain (R low, F high, M low)", "一般保持客户"),
    "general_recovery": ("General, to win back (R low, F low, M low)", "一般挽留客户"),
    "recency_days": ("Days since last purchase", "距最近一次购买天数"),
    "r_score": ("R score (recency)", "R 得分（最近购买）"),
    "f_score": ("F score (frequency)", "F 得分（购买频次）"),
    "m_score": ("M score (monetary)", "M 得分（消费金额）"),
    "rfm_code": ("RFM code", "RFM 编码"),
    "rfm_score": ("RFM score", "RFM 综合得分"),
    "rfm_segment": ("RFM segment", "RFM 客户分群"),
    "rfm_class8": ("RFM 8-class model", "RFM 八类客户"),
    "rfm_grid_title": ("Customers by R and F score", "按 R、F 得分的客户分布"),
    "grade": ("Grade", "等级"),
    "grade_score": ("Grading score", "分级得分"),
    "grade_distribution": ("Customers and revenue by grade", "各等级客户数与销售额占比"),
    "share": ("Share", "占比"),
    "total": ("Total", "合计"),
    "avg_order_value": ("Average order value", "平均订单金额"),
    "median_recency_days": ("Median days since last purchase", "距最近购买天数中位数"),
    "median_orders": ("Median orders", "订单数中位数"),
    "median_revenue": ("Median revenue", "销售额中位数"),
    "guidance_customer_share_min": ("Guidance: customer share from", "参考客户占比下限"),
    "guidance_customer_share_max": ("Guidance: customer share to", "参考客户占比上限"),
    "guidance_revenue_share_min": ("Guidance: revenue share from", "参考销售额占比下限"),
    "guidance_revenue_share_max": ("Guidance: revenue share to", "参考销售额占比上限"),
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
