"""Labelled, formatted tables of the report (presentation only: no analysis here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..data import DataQuality
from ..i18n import label
from ..plotting import class_label, column_label, group_label

__all__ = [
    "at_risk_table",
    "attribute_table",
    "clv_model_table",
    "cohort_table",
    "coverage_table",
    "headline_table",
    "holdout_table",
    "lifecycle_rule_text",
    "prospects_table",
    "quality_table",
    "top_customers_table",
    "translated",
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


def headline_table(figures: Mapping[str, object], lang: str) -> pd.DataFrame:
    """Return the headline figures as a two-column table with formatted values.

    Parameters
    ----------
    figures : mapping
        ``HeadlineRecord.figures``.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        Columns: the figure's label and its formatted value.
    """
    rows = [(label(k, lang), _formatted(figures[k], f)) for k, f in HEADLINE_FORMATS.items()]
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
        One row per step, between rows read and rows kept.
    """
    frame = quality.to_frame()
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
    rows = [(label(k, lang), f"{v:,.3f}") for k, v in figures.items()]
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
    "clv_lower": "{:,.2f}",
    "clv_upper": "{:,.2f}",
}


def top_customers_table(customers: pd.DataFrame, ids: Sequence[str], lang: str) -> pd.DataFrame:
    """Return the listed customers with their history and predictions, formatted.

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    ids : sequence of str
        Customer ids in display order (``ClvRecord.top_customers``).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, values formatted as text.
    """
    formats = {c: f for c, f in TOP_CUSTOMER_FORMATS.items() if c in customers.columns}
    return _formatted_rows(customers, ids, formats, lang)


def _formatted_rows(
    customers: pd.DataFrame, ids: Sequence[str], formats: Mapping[str, str], lang: str
) -> pd.DataFrame:
    rows = customers.loc[list(ids), list(formats)]
    table = pd.DataFrame(
        {c: [_formatted(v, f) for v in rows[c]] for c, f in formats.items()}, index=rows.index
    )
    table.index.name = "customer_id"
    return translated(table, lang, index=False)


#: Columns of the at-risk list, with their format.
AT_RISK_FORMATS = {
    "revenue": "{:,.2f}",
    "orders": "{:,}",
    "last_purchase": "{:%Y-%m-%d}",
    "days_since_purchase": "{:,.0f}",
    "typical_gap_days": "{:,.0f}",
    "days_overdue": "{:,.0f}",
}


def at_risk_table(customers: pd.DataFrame, ids: Sequence[str], lang: str) -> pd.DataFrame:
    """Return the listed at-risk customers: value, latest purchase and days overdue.

    Parameters
    ----------
    customers : pandas.DataFrame
        ``TieringResult.customers``.
    ids : sequence of str
        Customer ids in display order (``LifecycleRecord.at_risk``).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id, values formatted as text.
    """
    formats = dict(AT_RISK_FORMATS)
    if "clv" in customers.columns:
        formats["clv"] = "{:,.2f}"
    return _formatted_rows(customers, ids, formats, lang)


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
            [group_label(v, lang) for v in groups["value"]], name=column_label(attribute, lang)
        ),
    )
    for column in record.classes:
        name = label("index_on", lang).format(
            cls=class_label(column, record.top_classes[column], lang)
        )
        table[name] = [_formatted(v, "{:.2f}") for v in groups[f"index_{column}"]]
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
