"""The columns of ``TieringResult.customers``: the one place their names and meaning live."""

from __future__ import annotations

__all__ = ["CODE_COLUMNS", "CUSTOMER_COLUMNS", "GRADE_COLUMN_PREFIX", "is_documented"]

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
    "discount_share": (
        "summary",
        "with a discount column: net spend on discounted rows / net revenue, in [0, 1] "
        "(returns count on their own row's side; clipped); missing if revenue <= 0 or prospect",
    ),
    "p_alive": ("clv", "probability the customer is still active at as-of"),
    "expected_purchases": ("clv", "purchases expected over the CLV horizon"),
    "expected_spend": ("clv", "expected spend per purchase (Gamma-Gamma or observed mean)"),
    "clv": ("clv", "discounted value of the purchases expected over the horizon"),
    "purchases_lower": ("clv", "lower end of the 80 % range of purchases over the horizon"),
    "purchases_upper": ("clv", "upper end of the 80 % range of purchases over the horizon"),
    "clv_mean_lower": ("clv", "95 % band of the expected CLV (model uncertainty), lower"),
    "clv_mean_upper": ("clv", "95 % band of the expected CLV (model uncertainty), upper"),
    "clv_range_lower": ("clv", "lower end of the 80 % range of the customer's value itself"),
    "clv_range_upper": ("clv", "upper end of the 80 % range of the customer's value itself"),
    "value_cell": ("value_matrix", "cell of the current x potential value matrix"),
    "r_score": ("rfm", "recency score, 1 (long ago) to 5 (recent)"),
    "f_score": ("rfm", "frequency score, 1 to 5 (most orders)"),
    "m_score": ("rfm", "monetary score, 1 to 5 (most revenue)"),
    "rfm_code": ("rfm", "the three scores as text, e.g. 545"),
    "rfm_score": ("rfm", "weighted mean of the three scores"),
    "rfm_segment": ("rfm", "segment of the R x F grid (champions, at_risk, ...)"),
    "rfm_class8": ("rfm", "Chinese 8-class model: R, F, M high or low against the mean"),
    "grade": ("grades", "level of the primary grading scheme, best first"),
    "grade_score": ("grades", "what the primary scheme cuts (cumulative share or score)"),
    "lifecycle_stage": ("lifecycle", "prospect, new, active, reactivated, at_risk or churned"),
    "days_since_purchase": ("lifecycle", "days from the latest purchase to as-of"),
    "typical_gap_days": ("lifecycle", "own median gap between purchases, else the population's"),
    "days_overdue": ("lifecycle", "days past the typical gap (0 if the next purchase is not due)"),
    "at_risk_after": ("lifecycle", "days without a purchase after which the customer is at risk"),
    "churned_after": ("lifecycle", "days without a purchase after which the customer is churned"),
    "purchase_pattern": ("lifecycle", "regular (steady, long tenure), occasional or potential"),
    "frequency_class": ("lifecycle", "high or low purchase rate per year of tenure vs the median"),
    "previous_grade": ("migration", "tier of the primary scheme in the earlier run"),
    "grade_change": ("migration", "upgrade, stable, downgrade, new or exited since then"),
    "contact_channel": ("policies", "visit, phone or automated, by the tier's policy"),
    "contact_cadence_days": ("policies", "days between contacts by the tier's policy"),
    "last_contact": (
        "policies",
        "latest interaction that counts as a contact, else the last purchase",
    ),
    "last_contact_source": ("policies", "where last_contact comes from: interaction or purchase"),
    "next_contact_due": ("policies", "last contact + cadence"),
    "contact_overdue_days": ("policies", "days past the due contact at as-of (0 if not due)"),
    "proposed_owner": (
        "policies",
        "owner the re-assignment proposes (missing: stays; or no owner senior enough)",
    ),
    "reassignment_reason": ("policies", "why it moves: below_seniority, over_capacity, make_room"),
    "cluster": ("segments", "behavioural segment number, 1 = most valuable (none for prospects)"),
    "cluster_name": ("segments", "name code of the segment, e.g. high_value_loyal"),
    "potential_score": (
        "prospects",
        "prospects: value expected from customers with the same attributes (CLV or per year)",
    ),
    "potential_grade": ("prospects", "prospects: A, B or C by potential (A = most promising)"),
    "profile_reason": (
        "profiles",
        "why the customer has a profile card: top_tier, at_risk or top_tier_at_risk",
    ),
    "cohort": ("cohorts", "month of the first purchase (YYYY-MM), the customer's cohort"),
    "price_sensitivity": (
        "attributes",
        "low, medium or high by discount_share and attributes.price_sensitivity (missing "
        "where discount_share is)",
    ),
    "clv_bg_nbd": ("clv_comparison", "CLV under BG/NBD (deep dive)"),
    "clv_pareto_nbd": ("clv_comparison", "CLV under Pareto/NBD (deep dive)"),
    "clv_mbg_nbd": ("clv_comparison", "CLV under MBG/NBD (deep dive)"),
}


#: Columns holding codes, with the prefix of their i18n label keys (``stage_at_risk``);
#: exports for people show the labels.
CODE_COLUMNS: dict[str, str] = {
    "value_cell": "",
    "lifecycle_stage": "stage_",
    "purchase_pattern": "pattern_",
    "frequency_class": "frequency_",
    "rfm_segment": "",
    "rfm_class8": "",
    "grade_change": "change_",
    "contact_channel": "channel_",
    "profile_reason": "profile_",
    "reassignment_reason": "reassign_",
    "last_contact_source": "contact_source_",
    "price_sensitivity": "price_sensitivity_",
}
#: Columns whose names start with this hold the level of a further grading scheme.
GRADE_COLUMN_PREFIX = "grade_"


def is_documented(column: str) -> bool:
    """Whether a column of the customers table is one the sections document.

    Parameters
    ----------
    column : str
        Column name.

    Returns
    -------
    bool
        True for the columns of :data:`CUSTOMER_COLUMNS` and the further schemes' grades.
    """
    return column in CUSTOMER_COLUMNS or column.startswith(GRADE_COLUMN_PREFIX)
