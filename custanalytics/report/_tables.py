"""Labelled, formatted tables of the report (presentation only: no analysis here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .._currency import MONEY_KEYS, money_text, money_title
from ..data import DataQuality
from ..i18n import has_label, label
from ..plotting import class_label, column_label, group_label

__all__ = [
    "at_risk_table",
    "attribute_table",
    "clv_model_table",
    "cohort_table",
    "column_title",
    "compliance_lines",
    "compliance_table",
    "coverage_table",
    "headline_table",
    "holdout_table",
    "interaction_coverage_table",
    "lifecycle_rule_text",
    "movers_table",
    "policy_display_table",
    "prospects_table",
    "quality_table",
    "reassignment_lines",
    "reassignment_owners_table",
    "reassignment_table",
    "segment_crosstab_table",
    "segment_profile_table",
    "summary_lines",
    "tier_table",
    "top_customers_table",
    "translated",
    "worklist_table",
    "workload_table",
]

#: Headline figures in display order, with their format.
HEADLINE_FORMATS = {
    "customers": "{:,}",
    "prospects": "{:,}",
    "transactions": "{:,}",
    "revenue": "{:,.2f}",
    "first_date": "{}",
    "last_date": "{}",
    "top20_revenue_share": "{:.1%}",
    "customer_share_for_80": "{:.1%}",
    "gini": "{:.3f}",
    "hhi": "{:.4f}",
}


def _formatted(value: object, fmt: str) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return "–"
    return fmt.format(value)


def coverage_table(coverage, lang: str) -> pd.DataFrame:
    """Return how the customer master joined the transactions, with examples.

    Parameters
    ----------
    coverage : JoinCoverage
        The data-quality record's coverage.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Matched buyers, buyers not in the master and prospects, with example ids.
    """
    rows = [
        ("join_matched", coverage.matched, ()),
        ("join_transactions_only", coverage.transactions_only, coverage.transactions_only_examples),
        ("join_master_only", coverage.master_only, coverage.master_only_examples),
    ]
    return pd.DataFrame(
        [(label(k, lang), f"{n:,}", ", ".join(examples)) for k, n, examples in rows],
        columns=[label("check", lang), label("customers", lang), label("examples", lang)],
    )


def interaction_coverage_table(coverage, lang: str) -> pd.DataFrame:
    """Return how the interactions' customers joined the known customers, with examples.

    Parameters
    ----------
    coverage : InteractionCoverage
        The data-quality record's interaction coverage.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Customers found and not found (with their interactions and example ids).
    """
    unknown = label("interaction_unknown", lang).format(rows=coverage.unknown_rows)
    rows = [
        (label("interaction_matched", lang), coverage.matched, ()),
        (unknown, coverage.unknown, coverage.unknown_examples),
    ]
    return pd.DataFrame(
        [(k, f"{n:,}", ", ".join(examples)) for k, n, examples in rows],
        columns=[label("check", lang), label("customers", lang), label("examples", lang)],
    )


def headline_table(
    figures: Mapping[str, object], lang: str, currency: str | None = None
) -> pd.DataFrame:
    """Return the headline figures as a two-column table with formatted values.

    Parameters
    ----------
    figures : mapping
        ``HeadlineRecord.figures``.
    lang : {"en", "zh"}
        Language of the labels.
    currency : str, optional
        The run's currency, shown with the revenue.

    Returns
    -------
    pandas.DataFrame
        Columns: the figure's label and its formatted value.
    """
    rows = [
        (
            money_title(label(k, lang), currency) if k in MONEY_KEYS else label(k, lang),
            _formatted(figures[k], f),
        )
        for k, f in HEADLINE_FORMATS.items()
    ]
    return pd.DataFrame(rows, columns=[label("figure", lang), label("value", lang)])


def quality_table(quality: DataQuality, lang: str) -> pd.DataFrame:
    """Return a data-quality record with translated labels.

    English shows each step's detail as recorded (column names, examples); Chinese shows
    the step's description in Chinese.

    Parameters
    ----------
    quality : DataQuality
        Record of a load.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        One row per step, between rows read and rows kept; without the amount column when
        no step has an amount.
    """
    frame = quality.to_frame()
    if frame["amount"].isna().all():  # a source without amounts (master, interactions)
        frame = frame.drop(columns="amount")
    if lang != "en":
        frame["detail"] = [
            label(f"quality_detail_{check}", lang) if detail and check != "rows_read" else detail
            for check, detail in zip(frame["check"], frame["detail"], strict=True)
        ]
    frame["check"] = frame["check"].map(lambda k: label(k, lang))
    frame["action"] = frame["action"].map(lambda k: label(k, lang) if k else "")
    frame["rows"] = frame["rows"].map("{:,}".format)
    if "amount" in frame.columns:
        frame["amount"] = [_formatted(v, "{:,.2f}") for v in frame["amount"]]
    return frame.rename(columns={c: label(c, lang) for c in frame.columns})


def translated(frame: pd.DataFrame, lang: str, *, index: bool = True) -> pd.DataFrame:
    """Return ``frame`` with its column labels (and index labels) translated.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table whose labels are i18n keys.
    lang : {"en", "zh"}
        Language.
    index : bool
        Also translate the index labels.

    Returns
    -------
    pandas.DataFrame
        A relabelled copy.
    """
    out = frame.rename(columns=lambda c: label(str(c), lang))
    if index:
        out = out.rename(index=lambda k: label(str(k), lang))
    if frame.index.name:
        out.index.name = label(str(frame.index.name), lang)
    return out


def clv_model_table(parameters: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return a model's parameter table with translated labels.

    Parameters
    ----------
    parameters : pandas.DataFrame
        ``estimate``, ``std_error``, ``lower_95``, ``upper_95`` per parameter (the index).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        The same table with translated column labels and the parameter as a column.
    """
    table = parameters.copy()
    table.index.name = "parameter"
    return translated(table.reset_index(), lang, index=False)


def holdout_table(figures: Mapping[str, float], lang: str) -> pd.DataFrame:
    """Return the holdout check's figures as a two-column table.

    Parameters
    ----------
    figures : mapping
        ``HoldoutRecord.figures``.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Figure label and formatted value.
    """
    rows = [
        (label(k, lang), f"{v:.1%}" if k == "interval_coverage" else f"{v:,.3f}")
        for k, v in figures.items()
    ]
    return pd.DataFrame(rows, columns=[label("figure", lang), label("value", lang)])


#: Columns of the top-customers table, with their format.
TOP_CUSTOMER_FORMATS = {
    "orders": "{:,}",
    "revenue": "{:,.2f}",
    "last_purchase": "{:%Y-%m-%d}",
    "p_alive": "{:.1%}",
    "expected_purchases": "{:,.2f}",
    "expected_spend": "{:,.2f}",
    "clv": "{:,.2f}",
    "clv_range_lower": "{:,.2f}",
    "clv_range_upper": "{:,.2f}",
}


def top_customers_table(
    customers: pd.DataFrame, ids: Sequence[str], lang: str, name: str | None = None
) -> pd.DataFrame:
    """Return the listed customers with their history and predictions, formatted.

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    ids : sequence of str
        Customer ids in display order (``ClvRecord.top_customers``).
    lang : {"en", "zh"}
        Language.
    name : str, optional
        Column of the customer's name (``customers.name``), shown first.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, values formatted as text.
    """
    formats = {c: f for c, f in TOP_CUSTOMER_FORMATS.items() if c in customers.columns}
    return _formatted_rows(customers, ids, formats, lang, name)


def _formatted_rows(
    customers: pd.DataFrame,
    ids: Sequence[str],
    formats: Mapping[str, str],
    lang: str,
    name: str | None = None,
) -> pd.DataFrame:
    rows = customers.loc[list(ids), list(formats)]
    table = pd.DataFrame(
        {c: [_formatted(v, f) for v in rows[c]] for c, f in formats.items()}, index=rows.index
    )
    table.index.name = "customer_id"
    return _with_name(translated(table, lang, index=False), customers, name, lang)


def _with_name(table: pd.DataFrame, customers: pd.DataFrame, name: str | None, lang: str):
    """Put the customer's name (``customers.name``) first, when the run has one."""
    if name is None or name not in customers.columns:
        return table
    names = customers.loc[table.index, name].astype("object").fillna("–").astype(str)
    return table.assign(**{label("customer_name", lang): names.to_numpy()})[
        [label("customer_name", lang), *table.columns]
    ]


#: Columns of the at-risk list, with their format.
AT_RISK_FORMATS = {
    "revenue": "{:,.2f}",
    "orders": "{:,}",
    "last_purchase": "{:%Y-%m-%d}",
    "days_since_purchase": "{:,.0f}",
    "typical_gap_days": "{:,.0f}",
    "days_overdue": "{:,.0f}",
}


def at_risk_table(
    customers: pd.DataFrame, ids: Sequence[str], lang: str, name: str | None = None
) -> pd.DataFrame:
    """Return the listed at-risk customers: value, latest purchase and days overdue.

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    ids : sequence of str
        Customer ids in display order (``LifecycleRecord.at_risk``).
    lang : {"en", "zh"}
        Language.
    name : str, optional
        Column of the customer's name (``customers.name``), shown first.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, values formatted as text.
    """
    formats = dict(AT_RISK_FORMATS)
    if "clv" in customers.columns:
        formats["clv"] = "{:,.2f}"
    return _formatted_rows(customers, ids, formats, lang, name)


def lifecycle_rule_text(record, lang: str) -> str:
    """Return the sentence that states the lifecycle rule and its thresholds.

    Parameters
    ----------
    record : LifecycleRecord
        The lifecycle section's record.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The rule in words, with its numbers.
    """
    settings = record.settings
    values = {
        **settings,
        "at_risk_sd": settings["population_sd"][0],
        "churned_sd": settings["population_sd"][1],
        "p_risk": settings["p_alive"][0],
        "p_churn": settings["p_alive"][1],
        "quantile": round(settings["churned_quantile"] * 100),
        "mean_days": record.population["mean_days"],
        "sd_days": record.population["sd_days"],
    }
    return label(f"rule_{record.rule}", lang).format(**values)


def summary_lines(result, lang: str) -> list[str]:
    """Return the executive summary's sentences, from the figures the sections recorded.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    list of str
        One sentence per finding; sections that did not run are left out.
    """
    lines, currency = [], result.meta.parameters.get("currency")
    headline = _record(result, "headline")
    if headline is not None:
        f = headline.figures
        lines.append(
            label("summary_base", lang).format(
                customers=f["customers"],
                prospects=f["prospects"],
                revenue=money_text(f["revenue"], currency),
                first=f["first_date"],
                last=f["last_date"],
            )
        )
        if f["top20_revenue_share"] == f["top20_revenue_share"]:  # not NaN
            lines.append(
                label("summary_concentration", lang).format(
                    top20=f["top20_revenue_share"], holders=f["customer_share_for_80"]
                )
            )
    grades = _record(result, "grades")
    if grades is not None:
        scheme = next(s for s in grades.schemes if s.name == grades.primary)
        top = scheme.summary.index[0]
        lines.append(
            label("summary_top_tier", lang).format(
                tier=scheme.levels.loc[top, lang],
                share=scheme.summary.loc[top, "customer_share"],
                revenue=scheme.summary.loc[top, "revenue_share"],
            )
        )
    lifecycle = _record(result, "lifecycle")
    if lifecycle is not None:
        stages = lifecycle.stages
        revenue = money_text(lifecycle.at_risk_revenue, currency)
        lines.append(
            label("summary_at_risk", lang).format(
                at_risk=int(stages.loc["at_risk", "customers"]),
                revenue=revenue,
                churned=int(stages.loc["churned", "customers"]),
                new=int(stages.loc["new", "customers"]),
                reactivated=int(stages.loc["reactivated", "customers"]),
            )
        )
    clv = _record(result, "clv")
    if clv is not None and "clv_total" in clv.totals:
        unit = label("unit_" + clv.horizon_unit, lang)
        lines.append(
            label("summary_clv", lang).format(
                total=money_text(clv.totals["clv_total"], currency),
                horizon=f"{clv.horizon:g} {unit}",
            )
        )
    matrix = _record(result, "value_matrix")
    if matrix is not None:
        cell = matrix.table.loc["value_customer"]
        lines.append(
            label("summary_value_matrix", lang).format(
                share=cell["customer_share"], revenue=cell["revenue_share"], clv=cell["clv_share"]
            )
        )
    compliance = _usable(getattr(_record(result, "policies"), "compliance", None))
    if compliance is not None:
        lines.append(
            label("summary_compliance", lang).format(
                days=(compliance.period_end - compliance.period_start).days + 1,
                compliance=_formatted(compliance.total["compliance"], "{:.0%}"),
                never=compliance.total["never_contacted"],
            )
        )
    return lines


def _record(result, name: str):
    return _usable(result.sections.get(name))


def _usable(rec):
    """Return the record, or None when it is missing or unavailable."""
    from ..analysis import Unavailable

    return None if rec is None or isinstance(rec, Unavailable) else rec


#: Columns of the tier tables and their formats ({} = the money format).
TIER_FORMATS = {
    "customers": "{:,.0f}",
    "customer_share": "{:.1%}",
    "revenue": "{:,.0f}",
    "revenue_share": "{:.1%}",
    "orders": "{:,.0f}",
    "avg_order_value": "{:,.0f}",
    "median_recency_days": "{:,.0f}",
    "median_orders": "{:,.1f}",
    "median_revenue": "{:,.0f}",
    "clv": "{:,.0f}",
    "clv_share": "{:.1%}",
    "guidance_customer_share_min": "{:.0%}",
    "guidance_customer_share_max": "{:.0%}",
    "guidance_revenue_share_min": "{:.0%}",
    "guidance_revenue_share_max": "{:.0%}",
}


def tier_table(summary: pd.DataFrame, names: Mapping[str, str], lang: str):
    """Return a tier summary with translated labels, and the formats of its columns.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`custanalytics.tier_summary` output (with its ``total`` row).
    names : mapping
        Display name per tier key.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    (pandas.DataFrame, dict)
        The relabelled table (guidance columns only when the scheme gives guidance) and the
        format of each of its columns for ``Styler.format``.
    """
    table = summary.copy()
    guidance = [c for c in table.columns if c.startswith("guidance_")]
    if guidance and table[guidance].isna().all().all():
        table = table.drop(columns=guidance)
    table = table.rename(index=lambda k: "total" if k == "total" else names.get(k, k))
    table = table.rename(index={"total": label("total", lang)})
    table.index.name = label("tier", lang)
    formats = {label(c, lang): TIER_FORMATS.get(c, "{:,.2f}") for c in table.columns}
    return table.rename(columns=lambda c: label(c, lang)), formats


def movers_table(movers: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Return the biggest movers between two runs, with what changed, formatted.

    Parameters
    ----------
    movers : pandas.DataFrame
        ``MigrationRecord.movers``.
    names : mapping
        Display name per tier key.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id.
    """
    table = pd.DataFrame(
        {
            "grade_change": [label(f"change_{c}", lang) for c in movers["grade_change"]],
            "previous_grade": [names.get(g, g) for g in movers["previous_grade"]],
            "current_grade": [names.get(g, g) for g in movers["current_grade"]],
            "revenue_before": [_formatted(v, "{:,.0f}") for v in movers["revenue_before"]],
            "revenue_now": [_formatted(v, "{:,.0f}") for v in movers["revenue_now"]],
            "orders_before": [_formatted(v, "{:,.0f}") for v in movers["orders_before"]],
            "orders_now": [_formatted(v, "{:,.0f}") for v in movers["orders_now"]],
        },
        index=movers.index,
    )
    table.index.name = "customer_id"
    return translated(table, lang, index=False)


def _content(value: str, lang: str) -> str:
    key = f"content_{value}"
    return label(key, lang) if has_label(key) else value


def policy_display_table(policies: pd.DataFrame, names: Mapping[str, str], lang: str):
    """Return the policy per tier in words.

    Parameters
    ----------
    policies : pandas.DataFrame
        ``PolicyRecord.policies``.
    names : mapping
        Display name per tier key.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by tier name.
    """
    table = pd.DataFrame(
        {
            "contact_cadence_days": [f"{d:,}" for d in policies["cadence_days"]],
            "contact_channel": [label(f"channel_{c}", lang) for c in policies["channel"]],
            "content": [_content(c, lang) for c in policies["content"]],
            "owner_seniority": [s if isinstance(s, str) else "–" for s in policies["seniority"]],
            "contacts_per_month": [f"{v:.2f}" for v in policies["contacts_per_month"]],
        },
        index=[names.get(k, k) for k in policies.index],
    )
    table.index.name = "tier"
    return translated(table, lang, index=False)


def worklist_table(
    customers,
    ids,
    names: Mapping[str, str],
    owner: str | None,
    lang: str,
    name: str | None = None,
):
    """Return the work list: who to contact, how, by when, and who owns the account.

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    ids : sequence of str
        ``PolicyRecord.worklist``.
    names : mapping
        Display name per tier key.
    owner : str, optional
        Owner column.
    lang : {"en", "zh"}
        Language.
    name : str, optional
        Column of the customer's name (``customers.name``), shown first.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, formatted.
    """
    rows = customers.loc[list(ids)]
    table = pd.DataFrame(
        {
            "grade": [names.get(str(g), str(g)) for g in rows["grade"]],
            "contact_channel": [label(f"channel_{c}", lang) for c in rows["contact_channel"]],
            "last_contact": [_formatted(v, "{:%Y-%m-%d}") for v in rows["last_contact"]],
            "last_contact_source": [
                label(f"contact_source_{v}", lang) for v in rows["last_contact_source"]
            ],
            "next_contact_due": [_formatted(v, "{:%Y-%m-%d}") for v in rows["next_contact_due"]],
            "contact_overdue_days": [
                _formatted(v, "{:,.0f}") for v in rows["contact_overdue_days"]
            ],
            "revenue": [_formatted(v, "{:,.0f}") for v in rows["revenue"]],
        },
        index=rows.index,
    )
    if owner is not None and owner in rows.columns:
        table["owner"] = rows[owner].fillna("–").astype(str).to_numpy()
    table.index.name = "customer_id"
    return _with_name(translated(table, lang, index=False), customers, name, lang)


def workload_table(workload: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Return the owners' workload with translated headers; over capacity marked.

    Parameters
    ----------
    workload : pandas.DataFrame
        ``PolicyRecord.workload``.
    names : mapping
        Display name per tier key.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by owner, formatted.
    """
    table = pd.DataFrame(index=workload.index)
    if "seniority" in workload.columns:
        table["owner_seniority"] = workload["seniority"].fillna("–")
    accounts = [c for c in workload.columns if c.startswith("accounts_")]
    for column in accounts:
        level = column.removeprefix("accounts_")
        table[names.get(level, level)] = workload[column].map("{:,}".format)
    table["accounts"] = workload["accounts"].map("{:,}".format)
    table["contacts_per_month"] = workload["contacts_per_month"].map("{:,.1f}".format)
    table["capacity"] = [_formatted(v, "{:,.0f}") for v in workload["capacity"]]
    table["utilisation"] = _utilisation(workload["utilisation"], workload["over_capacity"])
    table["below_seniority"] = workload["below_seniority"].map("{:,}".format)
    table.index.name = "owner"
    keys = {c: label(c, lang) for c in table.columns if has_label(c)}
    out = table.rename(columns=keys)
    out.index.name = label("owner", lang)
    return out


#: Moves listed in the report (the exports carry every customer's ``proposed_owner``).
MOVES_LISTED = 40


def reassignment_lines(plan, lang: str) -> list[str]:
    """Return the sentences that sum up a proposed re-assignment.

    Parameters
    ----------
    plan : Reassignment
        ``PolicyRecord.reassignment``.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    list of str
        What the moves achieve (or how much capacity is missing), and who was left out.
    """
    moves = len(plan.moves)
    if plan.status == "not_solved":
        return [label("reassignment_not_solved", lang)]
    if plan.feasible and not moves:
        lines = [label("reassignment_none_needed", lang).format(customers=plan.customers)]
    elif plan.feasible:
        lines = [label("reassignment_feasible", lang).format(moves=moves, customers=plan.customers)]
    else:
        levels = "; ".join(f"{k}: {v:,.1f}" for k, v in plan.missing_by_level.items())
        lines = [
            label("reassignment_infeasible", lang).format(
                missing=plan.missing_capacity, levels=levels, moves=moves
            )
        ]
    if plan.customers_without_owner or plan.customers_without_eligible_owner:
        lines.append(
            label("reassignment_left_out", lang).format(
                without_owner=plan.customers_without_owner,
                without_eligible=plan.customers_without_eligible_owner,
            )
        )
    if plan.status == "time_limit":
        lines.append(label("reassignment_time_limit", lang))
    if len(plan.moves) > MOVES_LISTED:
        lines.append(label("reassignment_listed", lang).format(listed=MOVES_LISTED, moves=moves))
    return lines


def reassignment_table(customers, plan, names: Mapping[str, str], lang: str, name=None):
    """Return the first proposed moves: customer, tier, from, to, why, contacts per month.

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    plan : Reassignment
        ``PolicyRecord.reassignment``.
    names : mapping
        Display name per tier key.
    lang : {"en", "zh"}
        Language.
    name : str, optional
        Column of the customer's name, shown first.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, formatted; at most :data:`MOVES_LISTED` rows.
    """
    moves = plan.moves.head(MOVES_LISTED).set_index("customer_id")
    table = pd.DataFrame(
        {
            "grade": [names.get(str(t), str(t)) for t in moves["tier"]],
            "from_owner": moves["from_owner"].astype(str).to_numpy(),
            "to_owner": [_formatted(v, "{}") for v in moves["to_owner"].astype("object")],
            "reassignment_reason": [label(f"reassign_{r}", lang) for r in moves["reason"]],
            "contacts_per_month": moves["contacts_per_month"].map("{:,.1f}".format).to_numpy(),
        },
        index=moves.index,
    )
    table.index.name = "customer_id"
    return _with_name(translated(table, lang, index=False), customers, name, lang)


def reassignment_owners_table(plan, lang: str) -> pd.DataFrame:
    """Return each owner's contacts per month and utilisation before and after the moves.

    Parameters
    ----------
    plan : Reassignment
        ``PolicyRecord.reassignment``.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        One row per owner who gives or receives customers (or stays over capacity).
    """
    owners = plan.owners
    touched = (owners["moved_out"] > 0) | (owners["moved_in"] > 0) | owners["over_capacity_after"]
    owners = owners[touched]
    table = pd.DataFrame(index=owners.index)
    if "seniority" in owners.columns:
        table["owner_seniority"] = owners["seniority"].astype("object").fillna("–")
    table["capacity"] = [_formatted(v, "{:,.0f}") for v in owners["capacity"]]
    for when in ("before", "after"):
        table[f"contacts_{when}"] = owners[f"contacts_{when}"].map("{:,.1f}".format)
        table[f"utilisation_{when}"] = _utilisation(
            owners[f"utilisation_{when}"], owners[f"over_capacity_{when}"]
        )
    table["moved_out"] = owners["moved_out"].map("{:,}".format)
    table["moved_in"] = owners["moved_in"].map("{:,}".format)
    out = table.rename(columns=lambda c: label(c, lang))
    out.index.name = label("owner", lang)
    return out


def _utilisation(utilisation: pd.Series, over: pd.Series) -> list[str]:
    """Utilisation as a percentage, marked ⚠ where the owner is over capacity."""
    return [
        _formatted(v, "{:.0%}") + (" ⚠" if o else "")
        for v, o in zip(utilisation, over, strict=True)
    ]


def compliance_table(table: pd.DataFrame, names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Return a visit-compliance table (per tier or per owner) with translated headers.

    Parameters
    ----------
    table : pandas.DataFrame
        ``ComplianceRecord.by_tier`` or ``by_owner``.
    names : mapping
        Display name per tier key (owners show as they are).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by tier name or owner, formatted.
    """
    out = pd.DataFrame(index=[names.get(str(k), str(k)) for k in table.index])
    out["customers"] = table["customers"].map("{:,}".format).to_numpy()
    out["contacts_required"] = table["contacts_required"].map("{:,.1f}".format).to_numpy()
    out["contacts_made"] = table["contacts_made"].map("{:,}".format).to_numpy()
    out["compliance"] = [_formatted(v, "{:.0%}") for v in table["compliance"]]
    out["never_contacted"] = table["never_contacted"].map("{:,}".format).to_numpy()
    if "contacts_logged" in table.columns:
        out["contacts_logged"] = table["contacts_logged"].map("{:,}".format).to_numpy()
    out.index.name = "tier" if table.index.name == "tier" else "owner"
    return translated(out, lang, index=False)


def compliance_lines(record, lang: str) -> list[str]:
    """Return the sentences that explain a visit-compliance record: period, rules, total.

    Parameters
    ----------
    record : ComplianceRecord
        The policy record's compliance.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    list of str
        What counts and over which period, and the overall figures.
    """
    if record.contact_types is None:
        counted = label("compliance_counted_all", lang)
    else:
        types = "、".join(record.contact_types) if lang == "zh" else ", ".join(record.contact_types)
        counted = label("compliance_counted_types", lang).format(types=types)
    days = (record.period_end - record.period_start).days + 1
    total = record.total
    return [
        label("compliance_period", lang).format(
            start=record.period_start.isoformat(),
            end=record.period_end.isoformat(),
            days=days,
            counted=counted,
        ),
        label("compliance_total", lang).format(
            made=total["contacts_made"],
            required=total["contacts_required"],
            compliance=_formatted(total["compliance"], "{:.0%}"),
            never=total["never_contacted"],
            customers=total["customers"],
        ),
    ]


def segment_profile_table(record, lang: str) -> pd.DataFrame:
    """Return the segments with their names, sizes, shares and median profile, formatted.

    Parameters
    ----------
    record : SegmentsRecord
        The segments section's record.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        One row per segment (index: its number), values formatted as text.
    """
    from ..segment import segment_label

    profiles = record.profiles
    out = pd.DataFrame(index=profiles.index)
    out["cluster_name"] = [segment_label(n, lang) for n in profiles["name"]]
    out["customers"] = [_formatted(v, "{:,}") for v in profiles["customers"]]
    for column in ("customer_share", "revenue_share"):
        if column in profiles.columns:
            out[column] = [_formatted(v, "{:.1%}") for v in profiles[column]]
    medians = {}
    for column in profiles.columns:
        if column.startswith("median_"):
            feature = column.removeprefix("median_")
            fmt = "{:.2f}" if feature == "p_alive" else "{:,.0f}"
            key = f"segment_feature_{feature}"
            medians[label(key, lang) if has_label(key) else feature] = [
                _formatted(v, fmt) for v in profiles[column]
            ]
    if record.inherited:
        out["segments_inherited"] = [
            label("segments_yes", lang) if str(c) in record.inherited else ""
            for c in profiles.index
        ]
    out = translated(out, lang, index=False)
    for name, values in medians.items():
        out[f"{label('median', lang)}: {name}"] = values
    out.index.name = label("cluster", lang)
    return out


CATEGORY_PREFIXES = {"lifecycle_stage": "stage_", "purchase_pattern": "pattern_"}


def segment_crosstab_table(cross: pd.DataFrame, column: str, record, lang: str) -> pd.DataFrame:
    """Return a segment x category table with translated segment names and categories.

    Parameters
    ----------
    cross : pandas.DataFrame
        Customers per segment (index) and category (columns).
    column : str
        The categorical column of the customer table.
    record : SegmentsRecord
        The segments record (names).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Counts, with a total column.
    """
    from ..segment import segment_label

    prefix = CATEGORY_PREFIXES.get(column, "")
    names = record.profiles["name"]

    def category(value: str) -> str:
        key = prefix + str(value)
        return label(key, lang) if has_label(key) else str(value)

    out = cross.rename(columns=category)
    out.index = [f"{c} {segment_label(names.loc[c], lang)}" for c in cross.index]
    out.index.name = label("cluster", lang)
    out[label("customers", lang)] = cross.sum(axis=1).to_numpy()
    return out


def column_title(column: str, lang: str) -> str:
    """Return a customer-table column's label, or its own name (master attributes).

    Parameters
    ----------
    column : str
        Column name.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The label.
    """
    for key in (f"segments_column_{column}", column):
        if has_label(key):
            return label(key, lang)
    return column


#: Months since the first purchase shown in the cohort table (the heat map shows all).
COHORT_MONTHS_SHOWN = ("1", "2", "3", "6", "12", "24")


def cohort_table(record, lang: str) -> pd.DataFrame:
    """Return one row per cohort: size, revenue, whether small, retention in chosen months.

    Parameters
    ----------
    record : CohortsRecord
        The cohorts section's record.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by cohort, values formatted as text; a last row for all cohorts together.
    """
    sizes = record.sizes
    months = [m for m in COHORT_MONTHS_SHOWN if m in record.retention.columns]
    money = sizes["revenue"]
    table = pd.DataFrame(
        {
            label("customers", lang): [f"{n:,}" for n in sizes["customers"]],
            label("revenue", lang): [_formatted(v, "{:,.0f}") for v in money],
            label("revenue_per_customer", lang): [
                _formatted(v, "{:,.0f}") for v in money / sizes["customers"]
            ],
            label("cohort_small", lang): [
                label("yes" if s else "no", lang) for s in sizes["small"]
            ],
        },
        index=pd.Index(
            [f"{c} *" if s else str(c) for c, s in zip(sizes.index, sizes["small"], strict=True)],
            name=label("cohort", lang),
        ),
    )
    total = {
        label("customers", lang): f"{int(sizes['customers'].sum()):,}",
        label("revenue", lang): _formatted(money.sum(min_count=1), "{:,.0f}"),
        label("revenue_per_customer", lang): _formatted(
            money.sum(min_count=1) / max(int(sizes["customers"].sum()), 1), "{:,.0f}"
        ),
        label("cohort_small", lang): "",
    }
    for month in months:
        name = label("retention_month", lang).format(month=month)
        table[name] = [_formatted(v, "{:.1%}") for v in record.retention[month]]
        total[name] = _formatted(float(record.mean_retention[month]), "{:.1%}")
    table.loc[label("cohort_mean", lang)] = pd.Series(total)
    return table


def attribute_table(record, attribute: str, lang: str) -> pd.DataFrame:
    """Return one attribute's groups: customers, revenue, their shares and the indices.

    Parameters
    ----------
    record : AttributesRecord
        The attributes section's record.
    attribute : str
        One of ``record.attributes``.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by the attribute's values, values formatted as text.
    """
    groups = record.groups[record.groups["attribute"] == attribute]
    formats = {
        "customers": "{:,.0f}",
        "customer_share": "{:.1%}",
        "buyers": "{:,.0f}",
        "prospects": "{:,.0f}",
        "revenue": "{:,.0f}",
        "revenue_share": "{:.1%}",
        "revenue_per_customer": "{:,.0f}",
    }
    names = {"prospects": "prospect_count"}
    table = pd.DataFrame(
        {
            label(names.get(c, c), lang): [_formatted(v, f) for v in groups[c]]
            for c, f in formats.items()
        },
        index=pd.Index(
            [group_label(v, lang, attribute) for v in groups["value"]],
            name=column_label(attribute, lang),
        ),
    )
    for column in record.classes:
        name = label("index_on", lang).format(
            cls=class_label(column, record.top_classes[column], lang)
        )
        table[name] = [_formatted(v, "{:.2f}") for v in groups[f"index_{column}"]]
    return table


def price_sensitivity_text(record, lang: str) -> str:
    """Return the rule of the derived price sensitivity: discount column, kind, thresholds.

    Parameters
    ----------
    record : AttributesRecord
        The attributes section's record, with ``price_sensitivity`` set.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        Markdown.
    """
    rule = record.price_sensitivity
    low, high = rule["thresholds"]
    return label("price_sensitivity_rule", lang).format(
        column=rule["discount"],
        kind=label(f"discount_kind_{rule['discount_kind']}", lang),
        low=low,
        high=high,
    )


def style_crosstab_table(record, lang: str) -> pd.DataFrame:
    """Return the decision style x price sensitivity table, values formatted as text.

    Parameters
    ----------
    record : AttributesRecord
        The attributes section's record, with ``style_crosstab`` set.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by the style's values: customers, the share in each sensitivity class, and
        the share of the group's spend bought on discount.
    """
    from ..attributes import PRICE_SENSITIVITY

    cross = record.style_crosstab
    table = pd.DataFrame(
        {label("customers", lang): [_formatted(v, "{:,.0f}") for v in cross["customers"]]},
        index=pd.Index(
            [group_label(v, lang) for v in cross.index],
            name=column_label(record.decision_style, lang),
        ),
    )
    for cls in PRICE_SENSITIVITY:
        name = group_label(cls, lang, "price_sensitivity")
        table[name] = [_formatted(v, "{:.1%}") for v in cross[cls]]
    shares = [_formatted(v, "{:.1%}") for v in cross["discount_share"]]
    table[label("style_discount_share", lang)] = shares
    return table


def prospects_table(customers: pd.DataFrame, record, lang: str) -> pd.DataFrame:
    """Return the most promising prospects: potential, grade and the attributes used.

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    record : ProspectsRecord
        The prospects section's record.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, values formatted as text.
    """
    rows = customers.loc[list(record.top)]
    table = pd.DataFrame(
        {
            label("potential_grade", lang): [str(g) for g in rows["potential_grade"]],
            label("potential_score", lang): [
                _formatted(v, "{:,.0f}") for v in rows["potential_score"]
            ],
        },
        index=rows.index,
    )
    for column in record.features:
        values = rows[column].astype("object")
        table[column_label(column, lang)] = [
            label("attribute_unknown", lang) if pd.isna(v) else str(v) for v in values
        ]
    table.index.name = label("customer_id", lang)
    return table


def scheme_name(name: str, lang: str) -> str:
    """Return a grading scheme's name in words (a preset's label; a custom name as it is).

    Parameters
    ----------
    name : str
        Scheme name.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The display name.
    """
    key = f"scheme_{name}"
    return label(key, lang) if has_label(key) else name


def selection_text(selection, model: str, lang: str) -> str:
    """Return, for a manager, why ``model: auto`` chose the model it chose.

    Parameters
    ----------
    selection : SelectionRecord
        ``ClvRecord.selection``.
    model : str
        The chosen model's code.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        One or two sentences.
    """
    values = selection.values
    runner = ""
    if values.get("runner_up"):
        runner = label("selection_runner_up", lang).format(
            model=label("model_" + values["runner_up"], lang), score=values["runner_up_score"]
        )
    text = label(f"selection_{selection.reason}", lang).format(
        model=label("model_" + model, lang), score=values.get("score", float("nan")), runner=runner
    )
    rejected = values.get("rejected") or {}
    if rejected:
        why = {
            r: label(f"reason_{r}", lang) if has_label(f"reason_{r}") else r
            for r in rejected.values()
        }
        parts = [f"{label('model_' + m, lang)} ({why[r]})" for m, r in rejected.items()]
        text += " " + label("selection_rejected", lang).format(models="; ".join(parts))
    if values.get("penalized"):
        chosen = selection.candidates[selection.candidates["chosen"].astype(bool)]
        penalizer = float(chosen["penalizer"].iloc[0]) if len(chosen) else float("nan")
        text += " " + label("selection_penalized", lang).format(penalizer=penalizer)
    return text
