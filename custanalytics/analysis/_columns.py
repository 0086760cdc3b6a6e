"""The columns of ``TieringResult.customers``: the one place their names and meaning live."""

from __future__ import annotations

__all__ = ["CUSTOMER_COLUMNS"]

#: Column → (section that adds it, meaning). Customer-master attribute columns come on top,
#: under their own names. Durations are in days; prospects (no purchase) have no
#: purchase-based values.
CUSTOMER_COLUMNS: dict[str, tuple[str, str]] = {
    "first_purchase": ("summary", "day of the first purchase"),
    "last_purchase": ("summary", "day of the latest purchase up to as-of"),
    "orders": ("summary", "purchase days (0 for prospects)"),
    "revenue": ("summary", "net revenue up to as-of"),
    "avg_order_value": ("summary", "revenue / orders"),
    "frequency": ("summary", "repeat purchase days (orders - 1)"),
    "recency": ("summary", "days from the first to the latest purchase (BTYD recency)"),
    "T": ("summary", "days from the first purchase to as-of (BTYD customer age)"),
    "monetary_value": ("summary", "mean spend of the repeat purchase days (0 if none)"),
    "p_alive": ("clv", "probability the customer is still active at as-of"),
    "expected_purchases": ("clv", "purchases expected over the CLV horizon"),
    "expected_spend": ("clv", "expected spend per purchase (Gamma-Gamma or observed mean)"),
    "clv": ("clv", "discounted value of the purchases expected over the horizon"),
    "clv_lower": ("clv", "lower end of the 95 % band of the expected CLV (model uncertainty)"),
    "clv_upper": ("clv", "upper end of the 95 % band of the expected CLV (model uncertainty)"),
    "value_cell": ("value_matrix", "cell of the current x potential value matrix"),
    "lifecycle_stage": ("lifecycle", "prospect, new, active, reactivated, at_risk or churned"),
    "days_since_purchase": ("lifecycle", "days from the latest purchase to as-of"),
    "typical_gap_days": ("lifecycle", "own median gap between purchases, else the population's"),
    "days_overdue": ("lifecycle", "days past the typical gap (0 if the next purchase is not due)"),
    "at_risk_after": ("lifecycle", "days without a purchase after which the customer is at risk"),
    "churned_after": ("lifecycle", "days without a purchase after which the customer is churned"),
    "purchase_pattern": ("lifecycle", "regular (steady, long tenure), occasional or potential"),
    "frequency_class": ("lifecycle", "high or low purchase rate per year of tenure vs the median"),
    "potential_score": (
        "prospects",
        "prospects: value expected from customers with the same attributes (CLV or per year)",
    ),
    "potential_grade": ("prospects", "prospects: A, B or C by potential (A = most promising)"),
    "cohort": ("cohorts", "month of the first purchase (YYYY-MM), the customer's cohort"),
    "clv_bg_nbd": ("clv_comparison", "CLV under BG/NBD (deep dive)"),
    "clv_pareto_nbd": ("clv_comparison", "CLV under Pareto/NBD (deep dive)"),
    "clv_mbg_nbd": ("clv_comparison", "CLV under MBG/NBD (deep dive)"),
}
