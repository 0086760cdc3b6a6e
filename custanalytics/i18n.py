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
    "unparsable_discounts": ("Discounts that do not parse", "无法解析的折扣"),
    "discounts_missing": ("Empty discounts (read as none)", "折扣为空（视为无折扣）"),
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
    "clv_beyond": (
        "{customers:,} customers above {value} not drawn",
        "另有 {customers:,} 位客户高于 {value}，未画出",
    ),
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
    "holdout_period": ("Holdout period", "验证期"),
    "discount_rate": ("annual discount rate", "年折现率"),
    "unit_D": ("days", "天"),
    "unit_W": ("weeks", "周"),
    "unit_M": ("months", "个月"),
    "unit_Y": ("years", "年"),
    "last_purchase": ("Last purchase", "最近购买日期"),
    "expected_spend": ("Expected spend per purchase", "预期单次消费"),
    "clv_mean_lower": ("Expected CLV, 95 % band, low", "CLV 期望值 95% 区间下限"),
    "clv_mean_upper": ("Expected CLV, 95 % band, high", "CLV 期望值 95% 区间上限"),
    "clv_range_lower": ("CLV, 80 % range, low", "CLV 80% 预测区间下限"),
    "clv_range_upper": ("CLV, 80 % range, high", "CLV 80% 预测区间上限"),
    "purchases_lower": ("Purchases, 80 % range, low", "购买次数 80% 区间下限"),
    "purchases_upper": ("Purchases, 80 % range, high", "购买次数 80% 区间上限"),
    "interval_coverage": (
        "Customers inside their 80 % purchases range",
        "实际购买次数落在 80% 区间内的客户占比",
    ),
    "model_auto": ("chosen on the data", "按数据自动选择"),
    "selection_lowest_holdout_error": (
        "Chosen on the data: {model} predicted the holdout period best (error {score:.3f}"
        "{runner}).",
        "按数据自动选择：{model} 对验证期的预测误差最小（误差 {score:.3f}{runner}）。",
    ),
    "selection_lowest_bic": (
        "Chosen on the data: {model} fits best for its number of parameters (BIC {score:,.1f}"
        "{runner}); the window is too short for a holdout check.",
        "按数据自动选择：在参数个数相当的前提下 {model} 拟合最好（BIC {score:,.1f}{runner}）；"
        "数据区间太短，无法做验证期检验。",
    ),
    "selection_only_identified": (
        "Chosen on the data: {model} is the only model the data can identify.",
        "按数据自动选择：{model} 是现有数据唯一能够确定参数的模型。",
    ),
    "selection_runner_up": ("; next best {model}: {score:.3f}", "；次优 {model}：{score:.3f}"),
    "selection_penalized": (
        "No model could be identified without help, so a small penalty ({penalizer:g}) was "
        "chosen on the data to keep the parameters finite.",
        "没有模型能在不加约束时确定参数，因此按数据选择了较小的惩罚项（{penalizer:g}）以保持参数有限。",
    ),
    "selection_rejected": ("Not used: {models}.", "未采用：{models}。"),
    "reason_no_repeat_buyers": ("nobody bought twice", "没有客户重复购买"),
    "reason_too_few_customers": ("too few customers", "客户数太少"),
    "reason_boundary": ("its fit ran to a limit of the parameters", "拟合参数达到边界"),
    "reason_flat_likelihood": ("the data do not pin its parameters down", "数据无法确定其参数"),
    "reason_no_finite_mean": ("heavy-tailed spend without a finite mean", "消费金额分布过于长尾"),
    "reason_not_converged": ("its fit did not converge", "拟合未收敛"),
    "reason_no_identified_model": ("no model could be identified", "没有可确定参数的模型"),
    "reason_frequency_spend_correlated": (
        "spend is correlated with frequency",
        "消费金额与购买频次相关",
    ),
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
        "fitted ({reason}).",
        "未做验证期检验：截至 {calibration_end} 的校准期数据无法拟合模型。",
    ),
    "note_spend_fallback": (
        "Gamma-Gamma not used ({reason}); spend per purchase is each customer's observed "
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
        "Not shown: there are no purchases in the data window.",
        "未显示：数据区间内没有购买记录。",
    ),
    "unavailable_no_repeat_buyers": (
        "CLV could not be estimated: none of the {customers:,} customers bought more than "
        "once, so repeat-purchase models cannot be fitted.",
        "无法估计客户终身价值：{customers:,} 位客户中没有人重复购买，无法拟合复购模型。",
    ),
    "unavailable_model_not_identified": (
        "CLV could not be estimated: {reason} ({error}).",
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
    "stage_by_tier": ("Lifecycle stage by tier", "各等级的生命周期阶段"),
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
    # tiers and RFM
    "tiers_section": ("Customer tiers", "客户分级"),
    "guide_tiers": (
        "Customers graded by value. Compare each tier's share of customers with its share of "
        "revenue: the top tier deserves the most senior attention, the bottom tier automated "
        "contact. The Lorenz curve marks where each grade ends.",
        "按价值对客户分级。请对比各等级的客户占比与销售额占比：最高等级应获得最资深的服务，"
        "最低等级适合自动化触达。洛伦兹曲线标出了各等级的分界。",
    ),
    "eighty_twenty_check": (
        "80/20 check: the top 20 % of customers bring **{top20:.1%}** of revenue; "
        "**{holders:.1%}** of customers hold 80 % of it.",
        "二八检验：前 20% 的客户贡献 **{top20:.1%}** 的销售额；**{holders:.1%}** 的客户贡献了 80% 的销售额。",
    ),
    "scheme_three_tier": ("80/20 three tiers", "二八三级分类"),
    "scheme_abc": ("ABC classes", "ABC 分类"),
    "scheme_pyramid": ("Customer pyramid", "客户金字塔"),
    "scheme_sabc": ("S/A/B/C grades", "S/A/B/C 等级"),
    "scheme_ten_level": ("Ten levels", "十级分级"),
    "grade_scheme_primary": (
        "Scheme {name} (the report's tier)",
        "分级方案 {name}（本报告的主分级）",
    ),
    "grade_scheme": ("Scheme {name}", "分级方案 {name}"),
    "tier": ("Tier", "等级"),
    "rfm_section": ("RFM analysis", "RFM 分析"),
    "guide_rfm": (
        "Each buyer is scored 1-5 on recency (5 = bought most recently), frequency and "
        "monetary value, by quintiles. The R x F grid names the segments: keep the "
        "champions close, win back the at-risk and can't-lose customers before they go.",
        "每位购买客户按五分位在最近购买（5 分为最近）、购买频次和消费金额上各得 1–5 分。R×F "
        "网格给出客户分群：维护好重要价值客户，在高风险和不能失去的客户流失前及时挽回。",
    ),
    "score": ("Score", "得分"),
    "rfm_segments": ("RFM segments", "RFM 客户分群"),
    "rfm_class8_title": ("The 8-class RFM model", "RFM 八类客户模型"),
    "class8_cutoffs": (
        "R is high for a purchase within {recency:,.0f} days, F for more than "
        "{frequency:,.1f} orders, M for more than {monetary:,.0f} of revenue.",
        "R 高：最近 {recency:,.0f} 天内有购买；F 高：订单数超过 {frequency:,.1f}；M 高：销售额超过 {monetary:,.0f}。",
    ),
    # migration
    "migration_section": ("Tier migration", "等级迁移"),
    "guide_migration": (
        "How customers moved between tiers since the earlier run: rows are the tier then, "
        "columns the tier now. Thank and develop the customers who moved up; call the ones who "
        "moved down, highest revenue first, to find out why.",
        "自上次分级以来客户在各等级间的变化：行为上次的等级，列为本次的等级。对升级客户表示感谢并继续培养；"
        "对降级客户按销售额从高到低逐一回访，了解原因。",
    ),
    "migration_source_saved": (
        "Compared with the saved run of {date} (scheme {scheme}).",
        "与 {date} 保存的分级结果比较（分级方案 {scheme}）。",
    ),
    "migration_source_recomputed": (
        "No earlier run was saved: compared with the same data graded as of {date} (scheme "
        "{scheme}).",
        "没有保存的历史结果：与同一数据截至 {date} 的分级结果比较（分级方案 {scheme}）。",
    ),
    "migration_rates": (
        "Of the customers graded both times, **{upgrade:.1%}** moved up ({n_upgrade:,}), "
        "**{stable:.1%}** stayed ({n_stable:,}) and **{downgrade:.1%}** moved down "
        "({n_downgrade:,}); {n_new:,} are new and {n_exited:,} left.",
        "两次均参与分级的客户中，**{upgrade:.1%}** 升级（{n_upgrade:,} 位），**{stable:.1%}** 保持不变"
        "（{n_stable:,} 位），**{downgrade:.1%}** 降级（{n_downgrade:,} 位）；新进入 {n_new:,} 位，退出 {n_exited:,} 位。",
    ),
    "migration_previous": ("Tier then → now", "上次等级 → 本次等级"),
    "migration_movers": ("Biggest movers", "变动最大的客户"),
    "change_upgrade": ("Moved up", "升级"),
    "change_stable": ("Stayed", "保持"),
    "change_downgrade": ("Moved down", "降级"),
    "change_new": ("New", "新进入"),
    "change_exited": ("Left", "退出"),
    "grade_change": ("Movement", "变动"),
    "previous_grade": ("Tier then", "上次等级"),
    "current_grade": ("Tier now", "本次等级"),
    "revenue_before": ("Revenue then", "上次销售额"),
    "revenue_now": ("Revenue now", "本次销售额"),
    "orders_before": ("Orders then", "上次订单数"),
    "orders_now": ("Orders now", "本次订单数"),
    "note_migration_parameters_changed": (
        "The parameters differ between the two runs ({keys}): read the movement with care.",
        "两次运行的参数不同（{keys}），解读迁移结果时请注意。",
    ),
    "unavailable_needs_grades": (
        "Not shown: it needs the tiers, which could not be computed on these data.",
        "未显示：需要客户分级结果，而本数据无法分级。",
    ),
    "unavailable_no_previous_run": (
        "No earlier run to compare with yet: the next run into the same output folder will "
        "show the movement (or set migration.compare_to).",
        "暂无可比较的历史结果：下次输出到同一文件夹时将显示等级变化（或设置 migration.compare_to）。",
    ),
    "unavailable_previous_without_grades": (
        "The earlier run has no tiers to compare with.",
        "历史结果中没有分级，无法比较。",
    ),
    "unavailable_scheme_changed": (
        "Not compared: the earlier run graded with scheme {previous}, this one with {current}.",
        "未比较：上次使用分级方案 {previous}，本次使用 {current}。",
    ),
    "unavailable_previous_unreadable": (
        "The earlier result could not be read: {error}",
        "无法读取历史结果。",
    ),
    # service policies
    "profiles_section": ("Customer profiles", "客户档案"),
    "guide_profiles": (
        "A card for each of the most valuable top-tier customers and each of the most "
        "valuable customers at risk: what the master data says about them, where the analysis "
        "puts them and who owns the account. Read the at-risk cards before the next call; "
        "the exports mark every customer with a card (column profile_reason).",
        "为价值最高的顶级客户和价值最高的流失风险客户各建一张档案卡：主数据中的客户信息、分析给出的"
        "等级与阶段、以及客户负责人。联系流失风险客户前先阅读其档案卡；导出文件中标记了每位有档案卡的"
        "客户（“档案卡”一列）。",
    ),
    "profiles_top_tier": ("Top tier", "顶级客户"),
    "profiles_at_risk": ("At risk", "流失风险客户"),
    "profiles_listed": (
        "The {listed:,} most valuable of {total:,} customers (highest CLV, else revenue, first).",
        "共 {total:,} 位客户，以下为价值最高的 {listed:,} 位（按客户终身价值排序，无则按销售额）。",
    ),
    "profile_top_tier": ("Top tier", "顶级客户"),
    "profile_at_risk": ("At risk", "流失风险"),
    "profile_top_tier_at_risk": ("Top tier, at risk", "顶级客户，流失风险"),
    "profile_reason": ("Profile card", "档案卡"),
    "unavailable_no_profiles": (
        "No customer is in the top tier or at risk, so there are no profile cards.",
        "没有顶级客户或流失风险客户，因此没有档案卡。",
    ),
    "policy_section": ("Service policy and work lists", "服务策略与工作清单"),
    "guide_policies": (
        "Each tier gets a contact cadence, a channel and an owner seniority. The work list "
        "puts overdue contacts first, then the best tiers; the workload table shows which "
        "owners carry more contacts than their capacity or hold accounts above their "
        "seniority. The last contact is the customer's latest interaction in the interactions "
        "table (of the kinds that count as a contact); a customer without any, or a run "
        "without an interactions table, has the last purchase instead — the column "
        '"Last contact from" says which. The next contact is due one cadence after the last.',
        "每个等级设定联系频率、渠道和负责人资历。工作清单优先列出逾期的联系，其次是高等级客户；"
        "工作量表显示哪些负责人的联系量超出其容量，或负责了高于其资历的客户。最近联系取该客户在联系"
        "记录中最近的一次联系（仅计入算作联系的联系方式）；没有联系记录的客户，或未导入联系记录时，"
        "以最近一次购买代替，“最近联系来源”一列注明取自何处。下次联系日期为最近联系加上联系间隔。",
    ),
    "channel_visit": ("Personal visit", "上门拜访"),
    "channel_phone": ("Phone call", "电话沟通"),
    "channel_automated": ("Automated e-mail / message", "自动邮件 / 消息"),
    "content": ("Content", "沟通内容"),
    "content_project": ("Project-level discussions", "项目级深度沟通"),
    "content_relationship": ("Relationship maintenance", "关系维护"),
    "content_keep_in_touch": ("Keep in touch", "保持联系"),
    "owner_seniority": ("Owner seniority", "负责人资历"),
    "contacts_per_month": ("Contacts per month", "每月联系次数"),
    "contact_channel": ("Channel", "联系渠道"),
    "contact_cadence_days": ("Every (days)", "联系间隔（天）"),
    "last_contact": ("Last contact", "最近联系"),
    "next_contact_due": ("Next contact due", "下次联系日期"),
    "contact_overdue_days": ("Days overdue", "逾期天数"),
    "owner": ("Owner", "负责人"),
    "customer_name": ("Name", "客户名称"),
    "accounts": ("Accounts", "客户数"),
    "capacity": ("Capacity per month", "每月容量"),
    "utilisation": ("Utilisation", "负荷率"),
    "below_seniority": ("Accounts above the owner's seniority", "超出资历要求的客户数"),
    "worklist": ("Work list", "工作清单"),
    "worklist_summary": (
        "{total:,} contacts are due by {end} ({overdue:,} overdue already); the first {listed}:",
        "截至 {end} 共有 {total:,} 次联系到期（其中 {overdue:,} 次已逾期）；以下为前 {listed} 项：",
    ),
    "owner_workload": ("Owner workload", "负责人工作量"),
    "note_ids_masked": (
        "Customer ids and names are pseudonyms (mask_ids): the same customer keeps the same "
        "pseudonym in every run with the same mask_key.",
        "客户编号与名称已替换为化名（mask_ids）：使用相同 mask_key 时，同一客户在每次运行中的化名相同。",
    ),
    "note_ids_masked_without_key": (
        "Customer ids and names are pseudonyms (mask_ids) without a mask_key: anyone holding "
        "the real ids can recompute them; set mask_key (e.g. ${MASK_KEY}) before sharing.",
        "客户编号与名称已替换为化名（mask_ids），但未设置 mask_key：持有真实编号者可以推算出化名；"
        "对外分享前请设置 mask_key（例如 ${MASK_KEY}）。",
    ),
    "last_contact_source": ("Last contact from", "最近联系来源"),
    "contact_source_interaction": ("Interaction", "联系记录"),
    "contact_source_purchase": ("Purchase", "购买"),
    "contact_sources_summary": (
        "Last contact: the latest interaction for {interaction:,} graded customers, the last "
        "purchase for {purchase:,} without an interaction.",
        "最近联系：{interaction:,} 位已分级客户取自联系记录，{purchase:,} 位没有联系记录的客户取最近"
        "一次购买。",
    ),
    "note_reassignment_needs_capacity": (
        "No re-assignment is proposed: give the owners' capacity (policies.capacity per "
        "seniority level, or policies.owner_capacity per owner) in contacts per month.",
        "未给出负责人调整建议：请在参数中按资历（capacity）或按负责人（owner_capacity）设置每月可完成的"
        "联系次数。",
    ),
    "note_reassignment_too_large": (
        "No re-assignment is proposed: the accounts form {groups:,} (tier, owner) groups, more "
        "than the {limit:,} a report solves to a proven optimum in seconds. Run it per team "
        "(one parameter file each), or call custanalytics.propose_reassignment with a longer "
        "time_limit.",
        "未给出负责人调整建议：客户按（等级，负责人）分为 {groups:,} 组，超过报告可在数秒内求得最优解的 "
        "{limit:,} 组。请按团队分别运行（每个团队一个参数文件），或以更长的时间上限调用"
        " propose_reassignment。",
    ),
    "note_reassignment_not_possible": (
        "No re-assignment is proposed: {error}",
        "未给出负责人调整建议：{error}",
    ),
    "reassignment": ("Proposed re-assignment", "负责人调整建议"),
    "reassignment_feasible": (
        "Moving {moves:,} of {customers:,} accounts puts every owner within capacity and every "
        "account with an owner of the seniority its tier requires; no fewer moves can do it.",
        "调整 {customers:,} 个客户中的 {moves:,} 个，即可使每位负责人都不超出容量、每个客户都由符合"
        "其等级资历要求的负责人负责；这是所需的最少调整数。",
    ),
    "reassignment_none_needed": (
        "No move is needed: all {customers:,} accounts already fit the owners' capacity and "
        "seniority.",
        "无需调整：全部 {customers:,} 个客户已符合负责人的容量与资历要求。",
    ),
    "reassignment_infeasible": (
        "The owners cannot carry the accounts: {missing:,.1f} contacts per month of capacity are "
        "missing (by seniority: {levels}). The {moves:,} moves below fix every seniority "
        "problem and leave only that shortfall; add capacity or relax the cadence.",
        "负责人容量不足以承担全部客户：每月缺少 {missing:,.1f} 次联系的容量（按资历：{levels}）。"
        "以下 {moves:,} 项调整解决所有资历不符的问题，只留下这部分缺口；请增加人手或放宽联系频率。",
    ),
    "reassignment_left_out": (
        "Left out: {without_owner:,} graded customers without an owner (assign them first); "
        "{without_eligible:,} customers of a tier no owner is senior enough to hold.",
        "未纳入调整：{without_owner:,} 位已分级客户没有负责人（请先指定）；{without_eligible:,} 位客户所属"
        "等级没有资历足够的负责人。",
    ),
    "reassignment_time_limit": (
        "The solver hit its time limit: this is the best proposal it found, not proven the "
        "fewest moves.",
        "求解达到时间上限：以下是找到的最佳方案，未证明调整数最少。",
    ),
    "reassignment_not_solved": (
        "No re-assignment could be computed for these owners.",
        "无法为这些负责人计算调整方案。",
    ),
    "reassignment_listed": (
        "The first {listed} of {moves:,} moves; the exports give every customer's proposed owner.",
        "以下为 {moves:,} 项调整中的前 {listed} 项；导出文件列出每位客户的建议负责人。",
    ),
    "from_owner": ("From", "原负责人"),
    "to_owner": ("To", "新负责人"),
    "proposed_owner": ("Proposed owner", "建议负责人"),
    "reassignment_reason": ("Why", "调整原因"),
    "reassign_below_seniority": (
        "owner below the seniority the tier requires",
        "负责人资历低于该等级要求",
    ),
    "reassign_over_capacity": ("owner over capacity", "负责人超出容量"),
    "reassign_make_room": (
        "makes room for an account that has to move to this owner",
        "为必须转给该负责人的客户腾出容量",
    ),
    "contacts_before": ("Contacts per month before", "调整前每月联系次数"),
    "contacts_after": ("Contacts per month after", "调整后每月联系次数"),
    "utilisation_before": ("Utilisation before", "调整前负荷"),
    "utilisation_after": ("Utilisation after", "调整后负荷"),
    "moved_out": ("Accounts out", "转出客户"),
    "moved_in": ("Accounts in", "转入客户"),
    "visit_compliance": ("Visit compliance", "拜访合规"),
    "compliance_period": (
        "Period: {start} – {end} ({days} days up to as-of). A contact is {counted} with a graded "
        "customer in the period; it counts for the customer's tier and account owner, whoever "
        "made it. Contacts required: for each customer the days of the period it was a customer "
        "(from its first purchase, if that falls in the period) divided by its tier's cadence "
        "in days, by its tier at as-of. Compliance: the contacts made, each customer's counted "
        "only up to what it requires, divided by the contacts required — extra contacts with "
        "one customer do not make up for another's.",
        "统计期间：{start} 至 {end}（截至截止日的 {days} 天）。联系指期间内与已分级客户的{counted}；"
        "计入该客户所属等级及其负责人，无论由谁完成。应联系次数：每位客户在期间内作为客户的天数"
        "（首次购买在期间内的，自首次购买起算）除以其等级的联系间隔天数，等级按截止日计。达标率："
        "实际联系次数（每位客户最多计到其应联系次数）除以应联系次数——对一位客户的额外联系不能弥补"
        "另一位客户的缺失。",
    ),
    "compliance_counted_all": ("any interaction", "任何联系记录"),
    "compliance_counted_types": (
        "an interaction of the kinds {types}",
        "联系方式为 {types} 的记录",
    ),
    "compliance_total": (
        "Overall: {made:,} contacts made against {required:,.0f} required, compliance "
        "{compliance}; {never:,} of {customers:,} graded customers were not contacted in the "
        "period.",
        "总体：应联系 {required:,.0f} 次，实际联系 {made:,} 次，达标率 {compliance}；{customers:,} "
        "位已分级客户中有 {never:,} 位在此期间未被联系。",
    ),
    "compliance_by_tier": ("Compliance per tier", "各等级拜访合规"),
    "compliance_by_owner": ("Compliance per account owner", "各负责人拜访合规"),
    "contacts_required": ("Contacts required", "应联系次数"),
    "contacts_made": ("Contacts made", "实际联系次数"),
    "compliance": ("Compliance", "达标率"),
    "never_contacted": ("Not contacted in the period", "期间内未联系的客户"),
    "contacts_logged": ("Contacts the owner logged", "本人记录的联系次数"),
    "unavailable_no_interactions": (
        "Visit compliance needs an interactions table: add an interactions: block to the "
        "parameter file (source, and the columns of the customer and date of each contact; "
        "optionally owner and type). Until then the last purchase stands in for the last "
        "contact.",
        "拜访合规需要联系记录表：在参数文件中加入 interactions 设置（数据来源，以及每次联系的客户"
        "与日期列；可选负责人与联系方式列）。在此之前以最近一次购买作为最近一次联系。",
    ),
    "note_contact_types_not_found": (
        "policies.contact_types names {types}, which the interactions' type column never has "
        "(its values: {values}); check the spelling.",
        "参数中计为联系的联系方式 {types} 未出现在联系记录的联系方式列中（该列的取值：{values}），"
        "请检查拼写。",
    ),
    "summary_compliance": (
        "Visit compliance over the {days} days to as-of: {compliance} of the contacts the "
        "policies require; {never:,} graded customers were not contacted.",
        "截至截止日的 {days} 天内拜访达标率为 {compliance}；{never:,} 位已分级客户未被联系。",
    ),
    "interactions_table": ("Interactions", "联系记录"),
    "interaction_coverage": ("Interactions join", "联系记录匹配"),
    "interaction_matched": (
        "Customers of the interactions found in the master or the transactions",
        "在主数据或交易中找到的联系客户",
    ),
    "interaction_unknown": (
        "Customers of the interactions found in neither ({rows:,} interactions, not used)",
        "在主数据和交易中均未找到的联系客户（{rows:,} 条联系记录，不予使用）",
    ),
    "note_policy_no_owner": (
        "No owner column (policies.owner): the workload per owner is not shown.",
        "未指定负责人列（policies.owner），不显示负责人工作量。",
    ),
    # index of runs
    "index_title": ("Customer tiering reports", "客户分级报告列表"),
    "title": ("Report", "报告"),
    "report": ("Open", "打开"),
    # contents and executive summary
    "contents": ("Contents", "目录"),
    "summary": ("Executive summary", "摘要"),
    "summary_base": (
        "{customers:,} customers bought between {first} and {last}, for {revenue} of revenue; "
        "{prospects:,} prospects have not bought yet.",
        "{first} 至 {last} 期间共有 {customers:,} 位客户购买，销售额 {revenue}；另有 {prospects:,} "
        "位潜在客户尚未购买。",
    ),
    "summary_concentration": (
        "The top 20 % of customers bring {top20:.0%} of revenue; {holders:.0%} of customers "
        "hold 80 % of it.",
        "前 20% 的客户贡献了 {top20:.0%} 的销售额；{holders:.0%} 的客户贡献了 80% 的销售额。",
    ),
    "summary_top_tier": (
        "The top tier, {tier}, is {share:.0%} of the buyers and brings {revenue:.0%} of revenue.",
        "最高等级「{tier}」占购买客户的 {share:.0%}，贡献 {revenue:.0%} 的销售额。",
    ),
    "summary_at_risk": (
        "{at_risk:,} customers are at risk, with {revenue} of revenue to date — win them back "
        "first; {churned:,} have churned, {new:,} are new and {reactivated:,} came back.",
        "{at_risk:,} 位客户存在流失风险，累计销售额 {revenue}，应优先挽回；{churned:,} 位已流失，"
        "{new:,} 位为新客户，{reactivated:,} 位已回流。",
    ),
    "summary_clv": (
        "The customers are expected to be worth {total} over the next {horizon} (discounted CLV).",
        "预计客户在未来 {horizon}内的价值合计 {total}（折现后的客户终身价值）。",
    ),
    "summary_value_matrix": (
        "Value customers (high current and potential value) are {share:.0%} of customers, "
        "with {revenue:.0%} of revenue and {clv:.0%} of the expected value.",
        "价值客户（当前价值与潜在价值均高）占客户的 {share:.0%}，贡献 {revenue:.0%} 的销售额和 "
        "{clv:.0%} 的预期价值。",
    ),
    # per-customer columns (exports)
    "first_purchase": ("First purchase", "首次购买日期"),
    "avg_order_value": ("Average order value", "平均订单金额"),
    "frequency": ("Repeat purchases", "重复购买次数"),
    "recency": ("Days from first to last purchase", "首末次购买间隔天数"),
    "T": ("Days since first purchase", "首次购买至今天数"),
    "monetary_value": ("Mean repeat-purchase spend", "重复购买平均金额"),
    "value_cell": ("Value matrix cell", "价值矩阵类别"),
    "at_risk_after": ("At risk after (days)", "流失风险阈值（天）"),
    "churned_after": ("Churned after (days)", "流失阈值（天）"),
    "frequency_class": ("Purchase frequency", "购买频率"),
    "clv_bg_nbd": ("CLV (BG/NBD)", "CLV（BG/NBD 模型）"),
    "clv_pareto_nbd": ("CLV (Pareto/NBD)", "CLV（Pareto/NBD 模型）"),
    "clv_mbg_nbd": ("CLV (MBG/NBD)", "CLV（MBG/NBD 模型）"),
    "export_summary": ("Summary", "概览"),
    "export_customers": ("Customers", "客户明细"),
    "export_too_many_rows": (
        "{rows:,} customers are too many for a workbook: see customers.csv or customers.parquet.",
        "客户数 {rows:,} 超出工作簿容量：请使用 customers.csv 或 customers.parquet。",
    ),
    # behavioural segments (clustering)
    "segments_section": ("Behavioural segments", "客户行为分群"),
    "guide_segments": (
        "Customers with a purchase are grouped by how they buy — how recently, how often, how "
        "much, for how long (and their predicted value when there is a CLV model). Segments are "
        "numbered by value, 1 first, and named from how they differ from the whole base: read "
        "the heat map (red above the base, blue below) and give each segment its own approach.",
        "按购买行为对已购买客户分群：最近一次购买距今多久、购买多频繁、消费多少、合作多久（有 CLV 模型时"
        "还包括预测价值）。分群按价值编号，1 为最高，名称依据其与全体客户的差异而定：阅读热力图（红色高于"
        "整体，蓝色低于整体），为每个分群制定相应的服务策略。",
    ),
    "segments_choice_silhouette": (
        "{k} segments ({model}), chosen in {k_low}–{k_high} by the silhouette score (higher "
        "means better separated) on a sample of {sample:,} customers; {customers:,} customers "
        "with a purchase are segmented, prospects are not.",
        "共 {k} 个分群（{model}），在 {k_low}–{k_high} 之间按轮廓系数（越高分得越清楚）在 {sample:,} "
        "位客户的样本上选出；对 {customers:,} 位已购买客户分群，潜在客户不参与。",
    ),
    "segments_choice_bic": (
        "{k} segments ({model}), chosen in {k_low}–{k_high} by the lowest BIC on a sample of "
        "{sample:,} customers; {customers:,} customers with a purchase are segmented, prospects "
        "are not.",
        "共 {k} 个分群（{model}），在 {k_low}–{k_high} 之间按最小 BIC 在 {sample:,} 位客户的样本上"
        "选出；对 {customers:,} 位已购买客户分群，潜在客户不参与。",
    ),
    "segments_choice_fixed": (
        "{k} segments ({model}), as set in the parameters (segments.k); {customers:,} "
        "customers with a purchase are segmented, prospects are not.",
        "共 {k} 个分群（{model}），按参数设定；对 {customers:,} 位已购买客户分群，潜在客户不参与。",
    ),
    "segments_stability": (
        "Stability: adjusted Rand index {mean_ari:.2f} on average (lowest {min_ari:.2f}) over "
        "{refits} refits on resampled customers with other seeds (1 = identical segments).",
        "稳定性：在重新抽样、更换随机种子的 {refits} 次重新拟合中，调整兰德指数平均 {mean_ari:.2f}"
        "（最低 {min_ari:.2f}；1 表示分群完全一致）。",
    ),
    "segments_features_used": ("Features", "分群特征"),
    "segment_model_kmeans": ("k-means", "K 均值聚类"),
    "segment_model_minibatch_kmeans": ("mini-batch k-means", "小批量 K 均值聚类"),
    "segment_model_gmm": ("Gaussian mixture", "高斯混合模型"),
    "segments_k_curve": ("Choosing the number of segments", "分群数量的选择"),
    "segments_k_axis": ("Number of segments k", "分群数 k"),
    "segments_silhouette": ("Silhouette score", "轮廓系数"),
    "segments_bic": ("BIC", "BIC"),
    "segments_inertia": ("Within-segment sum of squares", "群内平方和"),
    "segments_chosen": ("chosen", "选定"),
    "segments_profile_heatmap": (
        "Segment profiles: difference from the whole base (standard deviations)",
        "分群画像：与全体客户的差异（标准差）",
    ),
    "segments_shares": (
        "Share of customers and of revenue per segment",
        "各分群的客户与销售额占比",
    ),
    "segments_projection": ("Segments in two dimensions (PCA)", "分群的二维投影（主成分分析）"),
    "segments_pc": (
        "Component {n} ({share:.0%} of variance)",
        "主成分 {n}（解释 {share:.0%} 方差）",
    ),
    "segments_names_table": ("Segments and their profiles (medians)", "分群及其画像（中位数）"),
    "segments_crosstab": ("Segments by {column}", "分群 × {column}"),
    "cluster": ("Segment", "分群"),
    "cluster_name": ("Segment name", "分群名称"),
    "segment_feature_days_since_purchase": ("Days since last purchase", "距最近购买天数"),
    "segment_feature_orders": ("Orders", "订单数"),
    "segment_feature_frequency": ("Repeat purchases", "重复购买次数"),
    "segment_feature_revenue": ("Revenue", "销售额"),
    "segment_feature_avg_order_value": ("Average order value", "平均订单金额"),
    "segment_feature_monetary_value": ("Mean repeat spend", "重复购买平均金额"),
    "segment_feature_tenure_days": ("Tenure (days)", "合作时长（天）"),
    "segment_feature_clv": ("CLV", "客户终身价值"),
    "segment_feature_p_alive": ("P(alive)", "存活概率"),
    "segment_feature_expected_purchases": ("Expected purchases", "预期购买次数"),
    "segment_feature_gap_days": ("Usual gap between purchases (days)", "通常购买间隔（天）"),
    "segment_name": ("{value} {behaviour}", "{value}{behaviour}"),
    "segment_name_numbered": ("{name} ({number})", "{name}（{number}）"),
    "segment_value_high": ("High-value", "高价值"),
    "segment_value_mid": ("Mid-value", "中价值"),
    "segment_value_low": ("Low-value", "低价值"),
    "segment_behaviour_loyal": ("loyal", "忠诚客户"),
    "segment_behaviour_steady": ("steady", "稳定客户"),
    "segment_behaviour_new": ("newcomers", "新客户"),
    "segment_behaviour_occasional": ("occasional buyers", "偶购客户"),
    "segment_behaviour_lapsing": ("lapsing", "流失风险客户"),
    "segment_behaviour_dormant": ("dormant", "沉睡客户"),
    "segments_inherited": ("Name kept from the previous run", "沿用上次名称"),
    "segments_yes": ("yes", "是"),
    "segments_column_value_cell": ("value-matrix cell", "价值矩阵类别"),
    "segments_column_lifecycle_stage": ("lifecycle stage", "生命周期阶段"),
    "segments_column_grade": ("grade", "客户等级"),
    "segments_column_rfm_segment": ("RFM segment", "RFM 分群"),
    "note_segments_low_stability": (
        "The segments are not stable: refits on resampled customers agree only {mean_ari:.2f} "
        "(adjusted Rand index, below {threshold:.2f}). Treat the boundaries as soft, or try "
        "another segments.k.",
        "分群不够稳定：重新抽样拟合的一致性仅为 {mean_ari:.2f}（调整兰德指数，低于 {threshold:.2f}）。"
        "分群边界仅供参考，或尝试调整分群数量。",
    ),
    "segments_dropped": ("Left out: {features}.", "未使用：{features}。"),
    "segments_reason_missing": ("not in the customer table", "客户表中没有该列"),
    "segments_reason_no_values": ("no values in the data", "数据中没有取值"),
    "segments_reason_constant": ("the same for every customer", "所有客户取值相同"),
    "segments_reason_incomplete": ("missing for some customers", "部分客户缺少取值"),
    "note_segments_matched": (
        "{matched} of {k} segments matched to the previous result's segments and kept their names.",
        "{k} 个分群中有 {matched} 个与上次结果的分群对应，沿用原名称。",
    ),
    "note_segments_previous_unavailable": (
        "The previous result given in segments.previous_result has no segments; names are "
        "made afresh.",
        "segments.previous_result 指定的上次结果中没有分群，名称重新生成。",
    ),
    "unavailable_segments_too_few_customers": (
        "Not shown: {customers:,} customers with a purchase are too few for segments (at "
        "least {needed:,} are needed).",
        "未显示：已购买客户仅 {customers:,} 位，不足以分群（至少需要 {needed:,} 位）。",
    ),
    "unavailable_segments_off": (
        "Segments are switched off (segments.enabled: false).",
        "已关闭客户分群（segments.enabled: false）。",
    ),
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
    "attributes_chosen_none": (
        "There is no customer master: only the price sensitivity derived from the "
        "transactions is cross-tabulated.",
        "没有客户主数据：仅分析由交易数据得出的价格敏感度。",
    ),
    "price_sensitivity": ("Price sensitivity", "价格敏感度"),
    "price_sensitivity_low": ("Low", "低"),
    "price_sensitivity_medium": ("Medium", "中"),
    "price_sensitivity_high": ("High", "高"),
    "discount_share": ("Share of spend on discount", "折扣购买占比"),
    "guide_price_sensitivity": (
        "**Price sensitivity** is read from what customers did, not what they said: the share "
        "of each customer's net spend bought on discount. Read its table like any attribute: "
        "if the best tiers are mostly highly price-sensitive, discounts are holding the best "
        "accounts and cutting them is a risk; a group of low sensitivity is served on quality "
        "and service, not on price. The cross-table with the stated decision style shows "
        "whether customers recorded as price-oriented really buy on discount: compare the "
        "share of high sensitivity and the share of spend on discount across the styles; a "
        "style that does not differ from the others is a label worth checking with the "
        "account owners.",
        "**价格敏感度**依据客户的实际购买而非其自述：即每位客户净消费额中折扣购买所占的比例。"
        "其表格与其他属性相同：若高等级客户多为高价格敏感度，说明折扣在维系最重要的客户，削减折扣有风险；"
        "价格敏感度低的客户应以质量与服务而非价格来维护。与客户自述决策风格的交叉表显示，"
        "记录为价格导向的客户是否真的多买折扣：比较各决策风格中高敏感度客户的占比与折扣购买占比；"
        "若某种风格与其他风格并无差别，这一记录值得与销售负责人核实。",
    ),
    "price_sensitivity_rule": (
        "**Rule:** the share of the customer's net spend (after returns) bought on rows with a "
        "discount — column '{column}', {kind}; a return counts as discounted when its own row "
        "carries a discount. **Low** below {low:.0%}, **medium** from {low:.0%} to under "
        "{high:.0%}, **high** {high:.0%} or more. Customers without a positive net spend "
        "(prospects included) are unknown.",
        "**规则：**客户净消费额（冲减退货后）中折扣购买所占的比例——折扣列为“{column}”，{kind}；"
        "退货行本身带有折扣时计入折扣购买。占比低于 {low:.0%} 为**低**，{low:.0%} 至不足 {high:.0%} "
        "为**中**，{high:.0%} 及以上为**高**。净消费额不为正的客户（含潜在客户）计为未知。",
    ),
    "discount_kind_amount": (
        "read as money off the row (on discount when not 0)",
        "按折扣金额读取（不为 0 即为折扣购买）",
    ),
    "discount_kind_rate": (
        "read as the share off: 0.1, 10 % or 9折 (on discount above 0)",
        "按折扣率读取：0.1、10% 或 9折（大于 0 即为折扣购买）",
    ),
    "discount_kind_percent": (
        "read as a percentage off, 10 = 10 % (on discount above 0)",
        "按折扣百分数读取，10 即 10%（大于 0 即为折扣购买）",
    ),
    "discount_kind_flag": (
        "read as a yes / no flag",
        "按是/否标记读取",
    ),
    "style_crosstab_title": (
        "{style} x price sensitivity (customers with a positive net spend)",
        "{style} × 价格敏感度（净消费额为正的客户）",
    ),
    "style_discount_share": (
        "Share of the group's spend on discount",
        "组内消费额中折扣购买占比",
    ),
    "note_price_sensitivity_needs_amounts": (
        "The transactions have a discount column ({column}) but no amounts, so no price "
        "sensitivity (a share of spend) is derived.",
        "交易数据有折扣列（{column}）但没有金额，因此无法得出价格敏感度（折扣购买占消费额的比例）。",
    ),
    "unavailable_price_sensitivity_needs_amounts": (
        "The transactions have a discount column ({column}) but no amounts, so no price "
        "sensitivity (a share of spend) is derived; without a customer master there is "
        "nothing else to show.",
        "交易数据有折扣列（{column}）但没有金额，因此无法得出价格敏感度（折扣购买占消费额的比例）；没有客户主数据，本部分无其他内容。",
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
    "quality_detail_unparsable_discounts": (
        "values that are not discounts of the stated kind",
        "不符合所设折扣写法的值",
    ),
    "quality_detail_discounts_missing": (
        "empty discount, read as no discount",
        "折扣为空，视为无折扣",
    ),
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
    "total": ("Total", "合计"),
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
    """Fill a template: model codes and reason codes become their words."""
    shown = {}
    for key, value in values.items():
        if key == "model" and has_label(f"model_{value}"):
            value = label(f"model_{value}", lang)
        elif key == "reason" and has_label(f"reason_{value}"):
            value = label(f"reason_{value}", lang)
        shown[key] = value
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
