"""Every user-facing label of the report, in English and Simplified Chinese."""

from __future__ import annotations

from .errors import ParameterError

__all__ = ["LANGUAGES", "has_label", "label", "label_keys", "note_text", "unavailable_text"]

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
    "amounts_from_text": ("Amounts written as text", "以文本书写的金额"),
    "returns_exceeding_purchases": (
        "Returns larger than the purchases they net against",
        "退货金额超过对应购买金额",
    ),
    "unparsable_amounts": ("Amounts that do not parse", "无法解析的金额"),
    "dates_day_first": ("Dates read day first (DD/MM/YYYY)", "日期按日/月/年读取"),
    "dates_month_first": ("Dates read month first (MM/DD/YYYY)", "日期按月/日/年读取"),
    "dates_by_format": ("Dates read with the given format", "按指定格式读取的日期"),
    "amount": ("Amount", "金额"),
    "join_coverage": ("Customer master join", "客户主数据匹配"),
    "join_matched": ("Buyers found in the master", "在主数据中找到的购买客户"),
    "join_transactions_only": ("Buyers not in the master", "不在主数据中的购买客户"),
    "join_master_only": (
        "Master customers without a purchase (prospects)",
        "无购买记录的主数据客户（潜在客户）",
    ),
    "amounts_unavailable": (
        "No amount column: revenue and spend figures are unavailable",
        "没有金额列：无法计算销售额与消费金额",
    ),
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
    "top_expected": ("Customers with the most expected purchases", "预期购买次数最多的客户"),
    "examples": ("Examples", "示例"),
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
    # run header
    "parameter_hash": ("Parameter fingerprint", "参数指纹"),
    # models and spend
    "model_bg_nbd": ("BG/NBD", "BG/NBD 模型"),
    "model_pareto_nbd": ("Pareto/NBD", "Pareto/NBD 模型"),
    "model_mbg_nbd": ("MBG/NBD", "MBG/NBD 模型"),
    "spend_model": ("Spend per purchase", "单次消费金额"),
    "spend_gamma_gamma": ("Gamma-Gamma model", "Gamma-Gamma 模型"),
    "spend_observed_mean": (
        "each customer's observed average order value",
        "每位客户实际的平均订单金额",
    ),
    "customers_fitted": ("customers fitted", "拟合客户数"),
    "comparison_not_run": (
        "The model comparison was not run: set clv.compare_models: true (the clv_deep_dive "
        "report does).",
        "未运行模型比较：请设置 clv.compare_models: true（CLV 深度分析报告会自动开启）。",
    ),
    "value_matrix_cutoffs": (
        "High current value: revenue above the mean of {current}; high potential value: CLV "
        "above the mean of {potential}.",
        "当前价值高：销售额高于均值 {current}；潜在价值高：CLV 高于均值 {potential}。",
    ),
    # notes (note_<code>: a template filled with the note's values)
    "note_holdout_off": (
        "Holdout check switched off (clv.holdout_days: 0).",
        "已关闭验证期检验（clv.holdout_days: 0）。",
    ),
    "note_holdout_short_window": (
        "Holdout check skipped: the data window is {window_days} days, shorter than "
        "{minimum} days.",
        "未做验证期检验：数据区间仅 {window_days} 天，少于 {minimum} 天。",
    ),
    "note_holdout_fit_failed": (
        "Holdout check skipped: the calibration period up to {calibration_end} cannot be "
        "fitted ({error}).",
        "未做验证期检验：截至 {calibration_end} 的校准期数据无法拟合模型。",
    ),
    "note_spend_fallback": (
        "Gamma-Gamma not used ({error}); spend per purchase is each customer's observed "
        "average order value.",
        "未使用 Gamma-Gamma 模型（消费金额分布不适合该模型）；单次消费金额采用每位客户实际的"
        "平均订单金额。",
    ),
    "note_spend_frequency_correlated": (
        "Purchase frequency and spend per purchase are correlated ({correlation:.2f}); "
        "Gamma-Gamma assumes they are independent, so read spend predictions with care.",
        "购买频次与单次消费金额存在相关性（{correlation:.2f}）；Gamma-Gamma 模型假设二者独立，"
        "消费金额预测需谨慎解读。",
    ),
    "note_model_fit_failed": (
        "{model} could not be fitted: {error}",
        "{model} 无法拟合，已跳过。",
    ),
    # unavailable sections (unavailable_<reason>)
    "unavailable_no_buyers": (
        "CLV could not be estimated: there are no purchases in the data window.",
        "无法估计客户终身价值：数据区间内没有购买记录。",
    ),
    "unavailable_no_repeat_buyers": (
        "CLV could not be estimated: none of the {customers:,} customers bought more than "
        "once, so repeat-purchase models cannot be fitted.",
        "无法估计客户终身价值：{customers:,} 位客户中没有人重复购买，无法拟合复购模型。",
    ),
    "unavailable_model_not_identified": (
        "CLV could not be estimated: the data cannot identify the {model} model ({error}).",
        "无法估计客户终身价值：现有数据无法确定 {model} 模型的参数。",
    ),
    "unavailable_no_amounts": (
        "Not shown: the transactions have no amount column, so there is no revenue or spend "
        "to value (map transactions.amount, or price and quantity).",
        "未显示：交易数据没有金额列，无法计算销售额与消费金额（请映射 transactions.amount，或单价与数量）。",
    ),
    "note_clv_no_amounts": (
        "The transactions have no amounts: P(alive) and expected purchases are predicted, "
        "CLV (which needs spend) is not.",
        "交易数据没有金额：仅预测存活概率与预期购买次数，无法计算需要消费金额的客户终身价值。",
    ),
    "spend_none": ("none (no amounts in the data)", "无（数据中没有金额）"),
    "unavailable_needs_clv": (
        "Not shown: it needs the CLV section, which could not run on these data.",
        "未显示：需要客户终身价值（CLV）结果，而本数据无法估计 CLV。",
    ),
    "unavailable_section_failed": (
        "This section could not be computed on these data: {error}",
        "本部分无法基于现有数据计算。",
    ),
    # lifecycle
    "lifecycle_section": ("Lifecycle stages", "客户生命周期"),
    "lifecycle_title": ("Customers and revenue by lifecycle stage", "各生命周期阶段的客户与销售额"),
    "guide_lifecycle": (
        "Where each customer is in its life with us, measured against its own purchase "
        "rhythm. Win back the at-risk customers before they churn — the list below puts the "
        "most valuable first — and welcome new ones towards a second purchase.",
        "按每位客户自身的购买节奏判断其所处阶段。应在高风险客户流失前挽回（下表按价值从高到低排列），"
        "并引导新客户尽快完成第二次购买。",
    ),
    "rule_own_cycle": (
        "Rule: a customer is **at risk** after {at_risk_factor:g} x their median gap between "
        "purchases without buying, and **churned** after their {quantile}th-percentile gap "
        "(at least {churned_factor:g} x the median); customers with one purchase use the "
        "population's gap of {mean_days:,.0f} ± {sd_days:,.0f} days (at risk beyond "
        "{at_risk_sd:g} SD, churned beyond {churned_sd:g} SD). **New**: first purchase at "
        "most {new_days} days ago; **reactivated**: bought again after a gap longer than the "
        "population's churn threshold.",
        "规则：客户超过其自身购买间隔中位数的 {at_risk_factor:g} 倍未购买即为**流失风险**，超过其第 "
        "{quantile} 百分位间隔（且至少为中位数的 {churned_factor:g} 倍）即为**已流失**；仅购买一次的"
        "客户采用全体客户的购买间隔 {mean_days:,.0f} ± {sd_days:,.0f} 天（超过 {at_risk_sd:g} 个标准差"
        "为流失风险，超过 {churned_sd:g} 个标准差为已流失）。**新客户**：首次购买在 {new_days} 天以内；"
        "**回流客户**：间隔超过全体流失阈值后再次购买。",
    ),
    "rule_population": (
        "Rule: the population's gap between purchases is {mean_days:,.0f} ± {sd_days:,.0f} "
        "days; a customer is **at risk** beyond the mean + {at_risk_sd:g} SD without buying "
        "and **churned** beyond the mean + {churned_sd:g} SD. **New**: first purchase at most "
        "{new_days} days ago; **reactivated**: bought again after a gap longer than the churn "
        "threshold.",
        "规则：全体客户的购买间隔为 {mean_days:,.0f} ± {sd_days:,.0f} 天；超过均值加 {at_risk_sd:g} "
        "个标准差未购买为**流失风险**，超过均值加 {churned_sd:g} 个标准差为**已流失**。**新客户**："
        "首次购买在 {new_days} 天以内；**回流客户**：间隔超过流失阈值后再次购买。",
    ),
    "rule_fixed": (
        "Rule: a customer is **at risk** after {at_risk_days} days without a purchase and "
        "**churned** after {churned_days} days. **New**: first purchase at most {new_days} "
        "days ago; **reactivated**: bought again after more than {churned_days} days.",
        "规则：超过 {at_risk_days} 天未购买为**流失风险**，超过 {churned_days} 天为**已流失**。"
        "**新客户**：首次购买在 {new_days} 天以内；**回流客户**：间隔超过 {churned_days} 天后再次购买。",
    ),
    "rule_p_alive": (
        "Rule: the CLV model's probability that a customer is still active — **at risk** "
        "below {p_risk:.0%}, **churned** below {p_churn:.0%}. It gives one-time buyers "
        "P(alive) = 1, so they use the population's gap of {mean_days:,.0f} ± "
        "{sd_days:,.0f} days instead. **New**: first purchase at most {new_days} days ago.",
        "规则：依据 CLV 模型估计的客户存活概率——低于 {p_risk:.0%} 为**流失风险**，低于 {p_churn:.0%} "
        "为**已流失**。该模型对仅购买一次的客户给出存活概率 1，因此这些客户改用全体客户的购买间隔 "
        "{mean_days:,.0f} ± {sd_days:,.0f} 天判断。**新客户**：首次购买在 {new_days} 天以内。",
    ),
    "note_lifecycle_no_p_alive": (
        "The p_alive rule needs a CLV model, which could not be fitted; the own-cycle rule is "
        "used instead.",
        "存活概率规则需要 CLV 模型，但模型无法拟合；已改用客户自身购买周期规则。",
    ),
    "stage_prospect": ("Prospect", "潜在客户"),
    "stage_new": ("New", "新客户"),
    "stage_active": ("Active", "活跃客户"),
    "stage_reactivated": ("Reactivated", "回流客户"),
    "stage_at_risk": ("At risk", "流失风险客户"),
    "stage_churned": ("Churned", "已流失客户"),
    "lifecycle_stage": ("Lifecycle stage", "生命周期阶段"),
    "share": ("Share", "占比"),
    "purchase_patterns": ("Purchase patterns", "购买行为类型"),
    "guide_purchase_patterns": (
        "**Regular** buyers have at least {regular_min_orders} purchase days over at least "
        "{regular_min_tenure_days} days with a steady rhythm (gaps varying by at most "
        "{regular_max_cv:.0%} of their mean); the other buyers are **occasional**; prospects "
        "are **potential**. High-frequency buyers buy more often per year of tenure than the "
        "median buyer.",
        "**长期稳定客户**：至少 {regular_min_orders} 个购买日、客户时长至少 {regular_min_tenure_days} 天，"
        "且购买节奏稳定（间隔波动不超过均值的 {regular_max_cv:.0%}）；其余购买客户为**偶尔购买客户**；"
        "潜在客户为**潜力客户**。高频客户的年均购买次数高于中位数客户。",
    ),
    "purchase_pattern": ("Purchase pattern", "购买行为类型"),
    "pattern_regular": ("Long-term regular", "长期稳定客户"),
    "pattern_occasional": ("Occasional", "偶尔购买客户"),
    "pattern_potential": ("Potential (prospect)", "潜力客户（尚未购买）"),
    "frequency_high": ("High-frequency buyers", "高频客户"),
    "frequency_low": ("Low-frequency buyers", "低频客户"),
    "at_risk_list": (
        "At-risk customers, highest revenue first",
        "流失风险客户（按销售额从高到低）",
    ),
    "at_risk_summary": (
        "{customers:,} customers are at risk, with {revenue} of revenue to date; the "
        "{listed} with the highest revenue:",
        "共有 {customers:,} 位流失风险客户，累计销售额 {revenue}；以下为销售额最高的 {listed} 位：",
    ),
    "days_since_purchase": ("Days since last purchase", "距最近购买天数"),
    "typical_gap_days": ("Usual gap (days)", "通常购买间隔（天）"),
    "days_overdue": ("Days overdue", "逾期天数"),
    # groups: cohorts, attributes, prospects (issue 12)
    "cohorts_section": ("Cohort retention", "客户群组留存"),
    "guide_cohorts": (
        "Customers are grouped by the month of their first purchase (their cohort). Each cell "
        "shows the share of the cohort that bought again in that month after the first one; "
        "month 0 is the first-purchase month itself and always 100 %. Read down a column to "
        "see whether newer cohorts stay longer than older ones; cohorts marked * have fewer "
        "than {min_customers} customers, so their shares are noisy. The second map shows the "
        "cohort's revenue in each month per customer of the cohort.",
        "按首次购买月份将客户分组（群组）。每个单元格表示该群组在首次购买后第几个月仍有购买的客户占比；"
        "第 0 个月即首次购买当月，恒为 100%。纵向比较同一列可以看出新群组是否比老群组留存更久；"
        "标有 * 的群组客户数少于 {min_customers} 位，占比波动较大。第二张图为各群组每月销售额除以群组客户数。",
    ),
    "cohort": ("Cohort (first-purchase month)", "群组（首次购买月份）"),
    "months_since_first": ("Months since the first purchase", "首次购买后的月数"),
    "cohort_retention_title": (
        "Share of each cohort buying in each month",
        "各群组在每个月有购买的客户占比",
    ),
    "cohort_revenue_title": (
        "Revenue per cohort customer in each month",
        "各群组每月的客均销售额",
    ),
    "cohort_small": ("Small cohort", "小群组"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "revenue_per_customer": ("Revenue per customer", "客均销售额"),
    "retention_month": ("Month {month}", "第 {month} 个月"),
    "cohort_mean": ("All cohorts (weighted)", "全部群组（加权）"),
    "attributes_section": ("Customer attributes", "客户属性分析"),
    "guide_attributes": (
        "How customers of each type, industry, region ... differ: their number and revenue, "
        "and the mix of classes within each group. The index compares a group with the whole "
        "base on the top class (1.0 = as everybody, 2.0 = twice as often, 0.5 = half as "
        "often), so it points to the groups where a strategy of their own pays. Values held "
        "by fewer than {min_customers} customers are pooled into one group; missing values "
        "are counted as unknown.",
        "按客户类型、行业、地区等属性比较各组客户：客户数与销售额，以及组内各类别客户的构成。"
        "指数将该组与全体客户在最高类别上的占比相比较（1.0 表示与整体相同，2.0 表示两倍，0.5 表示一半），"
        "指数高的组值得制定专门策略。客户数少于 {min_customers} 位的取值合并为一组；缺失值计为未知。",
    ),
    "attributes_chosen_parameters": (
        "Attributes named in the parameters: {columns}.",
        "参数中指定的属性：{columns}。",
    ),
    "attributes_chosen_default": (
        "Attributes: the customer master's text columns with few distinct values ({columns}); "
        "name others under attributes.columns.",
        "属性：客户主数据中取值较少的文本列（{columns}）；也可在参数文件中另行指定属性列。",
    ),
    "attribute_mix_title": ("Mix of {by} by {attribute}", "按{attribute}的{by}构成"),
    "attribute_value": ("Value", "取值"),
    "attribute_unknown": ("Unknown", "未知"),
    "attribute_other": ("Other (small groups)", "其他（小组合并）"),
    "class_unclassified": ("Not classified", "未分类"),
    "buyers": ("Buyers", "购买客户数"),
    "column_value_cell": ("Value matrix cell", "价值矩阵类别"),
    "prospect_count": ("Prospects", "潜在客户数"),
    "index_on": ("Index: {cls}", "指数：{cls}"),
    "index_top_classes": (
        "Each index compares the group with the whole base on the top class of — {classes}.",
        "各指数比较的最高类别——{classes}。",
    ),
    "unavailable_no_customer_master": (
        "This section needs a customer master (customers: in the parameter file).",
        "本部分需要客户主数据（请在参数文件中配置客户主数据）。",
    ),
    "unavailable_no_attribute_columns": (
        "The customer master has no categorical column with few distinct values; name the "
        "attributes under attributes.columns.",
        "客户主数据中没有取值较少的分类列；请在参数文件中指定属性列。",
    ),
    "prospects_section": ("Prospects graded by potential", "潜在客户潜力分级"),
    "guide_prospects": (
        "Prospects have not bought yet, so their potential is read from existing customers "
        "with the same attributes: a model learns how customers' value depends on their "
        "type, industry, region ... and predicts it for each prospect. The model is checked "
        "on customers it did not see (cross-validation) against a baseline that gives "
        "everybody the average; only if it does better are the prospects graded. Spend sales "
        "effort on grade A first.",
        "潜在客户尚未购买，其潜力只能参照属性相同的现有客户：模型学习客户价值如何随客户类型、行业、地区等属性变化，"
        "并据此预测每位潜在客户的价值。模型在未参与训练的客户上检验（交叉验证），并与给所有人平均值的基准相比较；"
        "只有优于基准时才对潜在客户分级。销售资源应优先投入 A 级潜在客户。",
    ),
    "prospects_model_text": (
        "**Model:** {model}, learning the {target} of {training:,} customers from {features}. "
        "**Cross-validated R²** ({folds} folds, on the log of the value): {model_r2:.3f} for "
        "the model against {baseline_r2:.3f} for the baseline (everybody gets the mean).",
        "**模型**：{model}，依据{features}学习 {training:,} 位现有客户的{target}。"
        "**交叉验证 R²**（{folds} 折，价值取对数）：模型 {model_r2:.3f}，基准（所有人取均值）{baseline_r2:.3f}。",
    ),
    "prospects_grade_rule": (
        "Grade **A**: the {a:.0%} of the {prospects:,} prospects with the highest potential; "
        "**B**: the next {b:.0%}; **C**: the rest. Potential is the expected {target}.",
        "**A** 级：{prospects:,} 位潜在客户中潜力最高的 {a:.0%}；**B** 级：其后的 {b:.0%}；**C** 级：其余。"
        "潜力值为预期的{target}。",
    ),
    "model_ridge": ("ridge regression on the attributes", "基于属性的岭回归"),
    "model_gradient_boosting": ("gradient boosting on the attributes", "基于属性的梯度提升模型"),
    "target_clv": ("CLV", "CLV"),
    "target_revenue_per_year": ("revenue per year", "年均销售额"),
    "potential_score": ("Potential", "潜力值"),
    "potential_grade": ("Potential grade", "潜力等级"),
    "score_min": ("Lowest potential", "最低潜力值"),
    "score_mean": ("Mean potential", "平均潜力值"),
    "score_max": ("Highest potential", "最高潜力值"),
    "prospects_top": ("Most promising prospects", "最有潜力的潜在客户"),
    "prospects_effects": (
        "What moves the expected value (factor against an average customer)",
        "影响预期价值的主要属性（相对于平均客户的倍数）",
    ),
    "prospects_cv": ("Cross-validation by fold", "各折交叉验证结果"),
    "fold": ("Fold", "折"),
    "model_r2": ("Model R²", "模型 R²"),
    "baseline_r2": ("Baseline R²", "基准 R²"),
    "attribute": ("Attribute", "属性"),
    "multiplier": ("Factor on expected value", "对预期价值的倍数"),
    "note_prospects_no_better": (
        "The attributes do not tell the prospects apart: the model's cross-validated R² "
        "({model_r2}) is not better than the baseline's ({baseline_r2}) by {min_improvement}, "
        "so no potential grades are given.",
        "属性无法区分潜在客户的价值：模型的交叉验证 R²（{model_r2}）未比基准（{baseline_r2}）高出 "
        "{min_improvement}，因此不给出潜力等级。",
    ),
    "unavailable_no_prospects": (
        "The customer master has no prospects (every customer has bought).",
        "客户主数据中没有潜在客户（所有客户都已购买）。",
    ),
    "unavailable_prospects_no_attributes": (
        "No attribute is known for the prospects and varies among the customers, so there "
        "is nothing to compare them by.",
        "没有既在潜在客户中有值、又在现有客户中有差异的属性，无法据此比较潜在客户。",
    ),
    "unavailable_prospects_too_few_customers": (
        "Only {customers} existing customers to learn from (at least {minimum} needed); "
        "prospects are not graded.",
        "可供学习的现有客户仅 {customers} 位（至少需要 {minimum} 位），未对潜在客户分级。",
    ),
    # data-quality details in Chinese (English shows the recorded detail)
    "quality_detail_duplicate_rows": ("rows whose every column is equal", "所有列完全相同的行"),
    "quality_detail_missing_customer_id": ("customer id empty or missing", "客户编号为空或缺失"),
    "quality_detail_repeated_customer_id": (
        "later rows of a customer id already seen",
        "客户编号已出现过的后续行",
    ),
    "quality_detail_missing_date": ("date empty or missing", "日期为空或缺失"),
    "quality_detail_missing_amount": ("amount empty or missing", "金额为空或缺失"),
    "quality_detail_unparsable_dates": ("values that are not dates", "无法识别为日期的值"),
    "quality_detail_timezone_dropped": (
        "time-zone offset removed, local time kept",
        "去除时区偏移，保留当地时间",
    ),
    "quality_detail_after_as_of": (
        "rows dated after the as-of date (which includes its day)",
        "日期晚于截止日期（含截止当日）的行",
    ),
    "quality_detail_before_start": ("rows dated before the start date", "日期早于开始日期的行"),
    "quality_detail_returns": (
        "negative amounts (returns): netted against the customer's latest earlier "
        "purchase, or dropped / kept as set",
        "负金额（退货）：冲减该客户此前最近一次购买，或按参数剔除/保留",
    ),
    "quality_detail_returns_without_purchase": (
        "returns with no earlier purchase",
        "此前没有购买记录的退货",
    ),
    "quality_detail_amounts_from_text": (
        "currency signs, thousands separators or accounting brackets removed",
        "已去除货币符号、千位分隔符或会计括号",
    ),
    "quality_detail_unparsable_amounts": ("values that are not amounts", "无法识别为金额的值"),
    "quality_detail_returns_exceeding_purchases": (
        "returns larger than the purchases of the day they net against",
        "退货金额超过其冲减当日的购买金额",
    ),
    "quality_detail_dates_day_first": (
        "dates read day first (DD/MM/YYYY), the only order every value fits",
        "日期按日/月/年读取（所有值只符合这一种顺序）",
    ),
    "quality_detail_dates_month_first": (
        "dates read month first (MM/DD/YYYY), the only order every value fits",
        "日期按月/日/年读取（所有值只符合这一种顺序）",
    ),
    "quality_detail_dates_by_format": (
        "dates read with the date_format of the parameters",
        "按参数 date_format 指定的格式读取日期",
    ),
    "quality_detail_fully_returned_purchases": (
        "purchases (and their returns) whose day nets to zero or less",
        "当日净额为零或负数的购买（及其退货）",
    ),
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
        The label.

    Raises
    ------
    ParameterError
        If ``lang`` is not supported.
    KeyError
        If no label is defined for ``key`` (a missing translation is a bug, never shown as
        the raw key).
    """
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be one of {' | '.join(LANGUAGES)}, got {lang!r}")
    try:
        pair = _LABELS[key]
    except KeyError:
        raise KeyError(f"no label {key!r}: add it in en and zh to custanalytics/i18n.py") from None
    return pair[LANGUAGES.index(lang)]


def has_label(key: str) -> bool:
    """Whether a label is defined for ``key``.

    Parameters
    ----------
    key : str
        Label key.

    Returns
    -------
    bool
        True if :func:`label` knows it.
    """
    return key in _LABELS


def label_keys() -> list[str]:
    """Return every label key (for checks that each has both languages).

    Returns
    -------
    list of str
        The keys, in definition order.
    """
    return list(_LABELS)


def _filled(template: str, values: dict, lang: str) -> str:
    shown = {k: label("model_" + v, lang) if k == "model" else v for k, v in values.items()}
    return template.format(**shown)


def note_text(note, lang: str = "en") -> str:
    """Return the message of a structured note in ``lang``.

    Parameters
    ----------
    note : Note
        A note (``code`` and ``values``).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The template ``note_<code>`` filled with the note's values.
    """
    return _filled(label(f"note_{note.code}", lang), note.values, lang)


def unavailable_text(unavailable, lang: str = "en") -> str:
    """Return why a section is unavailable, in ``lang``.

    Parameters
    ----------
    unavailable : Unavailable
        The record (``reason`` and ``detail``).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The template ``unavailable_<reason>`` filled with the detail values.
    """
    return _filled(label(f"unavailable_{unavailable.reason}", lang), unavailable.detail, lang)
