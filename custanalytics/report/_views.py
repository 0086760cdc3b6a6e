"""Display blocks of the report: ``show_*(result, lang)``, one per section.

Views format and draw what a :class:`~custanalytics.analysis.TieringResult` holds; they never
filter, join, fit or decide. Each writes to the notebook through IPython's ``display``.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterable

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Image, Markdown, display

from .._currency import is_money_title, money_text, money_title
from ..analysis import TieringResult, Unavailable
from ..i18n import has_label, label, note_text, unavailable_text
from ..plotting import (
    class_label,
    column_label,
    plot_attribute_mix,
    plot_calibration_holdout,
    plot_clv_distribution,
    plot_cohort_retention,
    plot_cohort_revenue,
    plot_expected_purchases_matrix,
    plot_grade_distribution,
    plot_lifecycle_stages,
    plot_lorenz,
    plot_probability_alive_matrix,
    plot_rfm_grid,
    plot_segment_k_curve,
    plot_segment_profiles,
    plot_segment_projection,
    plot_segment_shares,
    report_style,
)
from ._cards import profile_cards_html
from ._tables import (
    at_risk_table,
    attribute_table,
    clv_model_table,
    cohort_table,
    column_title,
    compliance_lines,
    compliance_table,
    coverage_table,
    headline_table,
    holdout_table,
    interaction_coverage_table,
    lifecycle_rule_text,
    movers_table,
    policy_display_table,
    price_sensitivity_text,
    prospects_table,
    quality_table,
    reassignment_lines,
    reassignment_owners_table,
    reassignment_table,
    scheme_name,
    segment_crosstab_table,
    segment_profile_table,
    selection_text,
    style_crosstab_table,
    summary_lines,
    tier_table,
    top_customers_table,
    translated,
    worklist_table,
    workload_table,
)

__all__ = [
    "REPORT_SECTIONS",
    "show_attributes",
    "show_clv",
    "show_cohorts",
    "show_contents",
    "show_data_quality",
    "show_header",
    "show_headline",
    "show_lifecycle",
    "show_migration",
    "show_model_comparison",
    "show_policies",
    "show_prospects",
    "show_report",
    "show_rfm",
    "show_segments",
    "show_summary",
    "show_tiers",
    "show_value_matrix",
]


def _lang(result: TieringResult, lang: str | None) -> str:
    return lang or result.meta.parameters.get("lang", "en")


def _heading(key: str, lang: str, level: int = 2, *, text: str | None = None) -> None:
    """Show a heading whose anchor is its label key (the table of contents links to it)."""
    words = label(key, lang) if text is None else text
    display(HTML(f'<h{level} id="{key}">{html.escape(words)}</h{level}>'))


def _notes(notes: Iterable, lang: str) -> None:
    for note in notes:
        display(Markdown(f"> {note_text(note, lang)}"))


def _figure(fig) -> None:
    """Show a figure as a PNG whose alt text is its charts' titles, then close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    alt = " / ".join(ax.get_title() for ax in fig.axes if ax.get_title())
    display(Image(data=buffer.getvalue(), format="png", metadata={"alt": alt}))


def _currency(result: TieringResult) -> str | None:
    return result.meta.parameters.get("currency")


def _name(result: TieringResult) -> str | None:
    """Return the master column of the customer's name (``customers.name``), if any."""
    return (result.meta.parameters.get("customers") or {}).get("name")


def _table(
    frame: pd.DataFrame, *, index: bool = False, formats=None, currency: str | None = None
) -> None:
    """Display a table; a single format string applies to its numeric columns.

    Headers (and row labels) that name an amount of money carry ``currency``.
    """
    if currency:
        frame = frame.rename(
            columns=lambda c: money_title(c, currency) if is_money_title(c) else c,
            index=lambda k: money_title(k, currency) if is_money_title(k) else k,
        )
        if isinstance(formats, dict):
            formats = {
                money_title(c, currency) if is_money_title(c) else c: f for c, f in formats.items()
            }
    styler = frame.style
    if isinstance(formats, str):
        numeric = list(frame.select_dtypes("number").columns)
        styler = styler.format(formats, subset=numeric, na_rep="–")
    elif formats:
        styler = styler.format(formats, na_rep="–")
    if not index:
        styler = styler.hide(axis="index")
    display(styler)


def _available(result: TieringResult, name: str, lang: str):
    """Return the section's record, or show why it is unavailable and return None."""
    rec = result.sections.get(name)
    if rec is None:
        return None
    if isinstance(rec, Unavailable):
        display(Markdown(f"> {unavailable_text(rec, lang)}"))
        return None
    return rec


def show_header(result: TieringResult, lang: str | None = None) -> None:
    """Show the title and the run metadata (as-of, data window, versions, parameters).

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    meta = result.meta
    window = f"{meta.first_date} – {meta.last_date}" if meta.first_date else "–"
    rows = [
        (label("as_of", lang), meta.as_of.isoformat()),
        (label("data_window", lang), window),
        (label("version", lang), meta.versions["custanalytics"]),
        (label("parameter_hash", lang), meta.parameter_hash),
    ]
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    params_text = html.escape(json.dumps(meta.parameters, ensure_ascii=False, indent=2))
    display(
        HTML(
            f'<div class="run-header" id="run-metadata"><h1>{html.escape(meta.title)}</h1>'
            f"<table>{cells}</table>"
            f"<details><summary>{label('parameters', lang)}</summary>"
            f'<pre class="parameters">{params_text}</pre></details></div>'
        )
    )
    _notes(result.notes, lang)


#: Sections of the tiering report, in order: section name → heading (its anchor).
REPORT_SECTIONS = {
    "headline": "headline",
    "data_quality": "data_quality",
    "grades": "tiers_section",
    "rfm": "rfm_section",
    "clv": "clv_section",
    "value_matrix": "value_matrix",
    "segments": "segments_section",
    "lifecycle": "lifecycle_section",
    "attributes": "attributes_section",
    "prospects": "prospects_section",
    "migration": "migration_section",
    "policies": "policy_section",
    "profiles": "profiles_section",
    "cohorts": "cohorts_section",
}


def show_contents(result: TieringResult, lang: str | None = None) -> None:
    """Show the table of contents: a link to each section of the tiering report.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    keys = ["summary"] + [k for name, k in REPORT_SECTIONS.items() if name in result.sections]
    items = "".join(f'<li><a href="#{k}">{html.escape(label(k, lang))}</a></li>' for k in keys)
    display(
        HTML(
            f'<nav class="contents"><strong>{html.escape(label("contents", lang))}</strong>'
            f"<ol>{items}</ol></nav>"
        )
    )


def show_summary(result: TieringResult, lang: str | None = None) -> None:
    """Show the executive summary: the figures and findings that matter most, in sentences.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("summary", lang)
    display(Markdown("\n".join(f"- {line}" for line in summary_lines(result, lang))))


def show_headline(result: TieringResult, lang: str | None = None) -> None:
    """Show the headline figures and the Pareto/Lorenz curve.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("headline", lang)
    rec = _available(result, "headline", lang)
    if rec is None:
        return
    _table(headline_table(rec.figures, lang, _currency(result)))
    if rec.lorenz is not None:
        with report_style():
            ax = plot_lorenz(curve=rec.lorenz, lang=lang)
            _figure(ax.figure)


def show_data_quality(result: TieringResult, lang: str | None = None) -> None:
    """Show what loading did: rows read, each exclusion or correction, rows kept.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("data_quality", lang)
    rec = _available(result, "data_quality", lang)
    if rec is None:
        return
    if not rec.has_amount:
        display(Markdown(f"> {label('amounts_unavailable', lang)}"))
    _table(quality_table(rec.transactions, lang), currency=_currency(result))
    if rec.master is not None:
        _heading("customer_master", lang, 3)
        _table(quality_table(rec.master, lang), currency=_currency(result))
    if rec.coverage is not None:
        _heading("join_coverage", lang, 3)
        _table(coverage_table(rec.coverage, lang))
    if rec.interactions is not None:
        _heading("interactions_table", lang, 3)
        _table(quality_table(rec.interactions, lang))
    if rec.interaction_coverage is not None:
        _heading("interaction_coverage", lang, 3)
        _table(interaction_coverage_table(rec.interaction_coverage, lang))


def show_clv(result: TieringResult, lang: str | None = None) -> None:
    """Show the CLV section: model, holdout check, P(alive), CLV distribution, top customers.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("clv_section", lang)
    rec = _available(result, "clv", lang)
    if rec is None:
        return
    lines = [
        f"**{label('model', lang)}:** {label('model_' + rec.model, lang)} "
        f"({label('customers_fitted', lang)}: {rec.customers_fitted:,})",
        f"**{label('spend_model', lang)}:** {label('spend_' + rec.spend_model, lang)}",
        f"**{label('clv', lang)}:** {rec.horizon:g} {label('unit_' + rec.horizon_unit, lang)}, "
        f"{label('discount_rate', lang)} {rec.discount_rate:.0%}",
    ]
    display(Markdown("  \n".join(lines)))
    if rec.selection is not None:
        display(Markdown(selection_text(rec.selection, rec.model, lang)))
    _notes(rec.notes, lang)
    _table(clv_model_table(rec.parameters, lang), formats="{:.4f}", currency=_currency(result))
    if rec.holdout is not None:
        holdout = rec.holdout
        display(
            Markdown(
                f"{label('holdout_period', lang)}: {holdout.calibration_end} – "
                f"{result.meta.as_of} ({holdout.holdout_days} {label('unit_D', lang)})"
            )
        )
        _table(holdout_table(holdout.figures, lang), currency=_currency(result))
        with report_style():
            ax = plot_calibration_holdout(
                holdout.by_frequency, model=label("model_" + rec.model, lang), lang=lang
            )
            _figure(ax.figure)
    with report_style():
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
        plot_probability_alive_matrix(rec.grid, time_unit=rec.time_unit, ax=left, lang=lang)
        plot_expected_purchases_matrix(rec.grid, time_unit=rec.time_unit, ax=right, lang=lang)
        fig.tight_layout()
        _figure(fig)
        if "clv" in result.customers.columns:
            ax = plot_clv_distribution(
                result.customers["clv"], lang=lang, currency=_currency(result)
            )
            _figure(ax.figure)
    _heading("top_clv" if "clv" in result.customers.columns else "top_expected", lang, 3)
    _table(
        top_customers_table(result.customers, rec.top_customers, lang, _name(result)),
        index=True,
        currency=_currency(result),
    )


def show_value_matrix(result: TieringResult, lang: str | None = None) -> None:
    """Show the current x potential value matrix with its cut-offs.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("value_matrix", lang)
    rec = _available(result, "value_matrix", lang)
    if rec is None:
        return
    display(
        Markdown(
            label("value_matrix_cutoffs", lang).format(
                current=money_text(rec.current_cutoff, _currency(result), "{:,.2f}"),
                potential=money_text(rec.potential_cutoff, _currency(result), "{:,.2f}"),
            )
        )
    )
    shares = ("customer_share", "revenue_share", "clv_share")
    formats = {label(c, lang): "{:.1%}" for c in shares}
    formats |= {label(c, lang): "{:,.0f}" for c in ("customers", "revenue", "clv")}
    _table(translated(rec.table, lang), index=True, formats=formats, currency=_currency(result))


def show_lifecycle(result: TieringResult, lang: str | None = None) -> None:
    """Show lifecycle stages (customers and revenue), purchase patterns and the at-risk list.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("lifecycle_section", lang)
    rec = _available(result, "lifecycle", lang)
    if rec is None:
        return
    display(Markdown(label("guide_lifecycle", lang)))
    display(Markdown(lifecycle_rule_text(rec, lang)))
    _notes(rec.notes, lang)
    stages = rec.stages.rename(index=lambda s: label(f"stage_{s}", lang))
    _table(
        translated(stages, lang, index=False),
        index=True,
        formats=_share_formats(stages, lang),
        currency=_currency(result),
    )
    with report_style():
        ax = plot_lifecycle_stages(rec.stages, lang=lang)
        _figure(ax.figure)
    if rec.stage_by_tier is not None:
        _heading("stage_by_tier", lang, 3)
        grades = result.sections.get("grades")
        names = _level_names(result, getattr(grades, "primary", ""), lang)
        matrix = rec.stage_by_tier.rename(
            index=lambda s: label(f"stage_{s}", lang), columns=lambda c: names.get(c, c)
        )
        matrix.index.name = label("lifecycle_stage", lang)
        _table(matrix, index=True, formats="{:,}", currency=_currency(result))
    _heading("purchase_patterns", lang, 3)
    display(Markdown(label("guide_purchase_patterns", lang).format(**rec.settings)))
    patterns = rec.patterns.rename(index=lambda p: label(f"pattern_{p}", lang))
    _table(
        translated(patterns, lang, index=False),
        index=True,
        formats="{:,}",
        currency=_currency(result),
    )
    _heading("at_risk_list", lang, 3)
    display(
        Markdown(
            label("at_risk_summary", lang).format(
                customers=int(rec.stages.loc["at_risk", "customers"]),
                revenue=money_text(rec.at_risk_revenue, _currency(result), "{:,.2f}"),
                listed=len(rec.at_risk),
            )
        )
    )
    if rec.at_risk:
        _table(
            at_risk_table(result.customers, rec.at_risk, lang, _name(result)),
            index=True,
            currency=_currency(result),
        )


def _share_formats(table: pd.DataFrame, lang: str) -> dict:
    formats = {}
    for column in table.columns:
        formats[label(column, lang)] = "{:.1%}" if column.endswith("_share") else "{:,.0f}"
    return formats


def show_tiers(result: TieringResult, lang: str | None = None) -> None:
    """Show the tiers: each grading scheme's summary, the 80/20 check and the charts.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("tiers_section", lang)
    rec = _available(result, "grades", lang)
    if rec is None:
        return
    display(Markdown(label("guide_tiers", lang)))
    headline = result.sections.get("headline")
    if headline is not None and not isinstance(headline, Unavailable):
        figures = headline.figures
        display(
            Markdown(
                label("eighty_twenty_check", lang).format(
                    top20=figures["top20_revenue_share"], holders=figures["customer_share_for_80"]
                )
            )
        )
    for scheme in rec.schemes:
        names = scheme.levels[lang].to_dict()
        title = label(
            "grade_scheme_primary" if scheme.name == rec.primary else "grade_scheme", lang
        )
        shown = scheme_name(scheme.name, lang)
        _heading(f"scheme-{scheme.name}", lang, 3, text=title.format(name=shown))
        table, formats = tier_table(scheme.summary, names, lang)
        _table(table, index=True, formats=formats, currency=_currency(result))
        with report_style():
            fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
            plot_grade_distribution(scheme.summary, ax=left, lang=lang, names=names)
            boundaries = {names[k]: v for k, v in list(scheme.boundaries.items())[:-1]}
            if headline is not None and headline.lorenz is not None:
                plot_lorenz(curve=headline.lorenz, ax=right, lang=lang, boundaries=boundaries)
            else:
                right.set_visible(False)
            fig.tight_layout()
            _figure(fig)


def show_rfm(result: TieringResult, lang: str | None = None) -> None:
    """Show RFM: score distributions, the R x F grid, segments and the 8-class model.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("rfm_section", lang)
    rec = _available(result, "rfm", lang)
    if rec is None:
        return
    display(Markdown(label("guide_rfm", lang)))
    counts = rec.score_counts.rename(columns=lambda c: label(c, lang))
    counts.index.name = label("score", lang)
    _table(counts, index=True, formats="{:,}", currency=_currency(result))
    with report_style():
        ax = plot_rfm_grid(rec.grid, lang=lang)
        _figure(ax.figure)
    _heading("rfm_segments", lang, 3)
    names = {k: label(k, lang) for k in rec.segments.index if k != "total"}
    table, formats = tier_table(rec.segments, names, lang)
    _table(table, index=True, formats=formats, currency=_currency(result))
    _heading("rfm_class8_title", lang, 3)
    cut = rec.class8_cutoffs
    display(
        Markdown(
            label("class8_cutoffs", lang).format(
                recency=cut["recency"], frequency=cut["frequency"], monetary=cut["monetary"]
            )
        )
    )
    names = {k: label(k, lang) for k in rec.class8.index if k != "total"}
    table, formats = tier_table(rec.class8, names, lang)
    _table(table, index=True, formats=formats, currency=_currency(result))


def show_migration(result: TieringResult, lang: str | None = None) -> None:
    """Show tier migration since the earlier run: the matrix, the rates and the movers.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("migration_section", lang)
    rec = _available(result, "migration", lang)
    if rec is None:
        return
    display(Markdown(label("guide_migration", lang)))
    display(
        Markdown(
            label(f"migration_source_{rec.source}", lang).format(
                date=rec.previous_as_of.isoformat(), scheme=scheme_name(rec.scheme, lang)
            )
        )
    )
    _notes(rec.notes, lang)
    display(
        Markdown(
            label("migration_rates", lang).format(
                **rec.rates, **{f"n_{k}": v for k, v in rec.counts.items()}
            )
        )
    )
    names = _level_names(result, rec.scheme, lang)
    matrix = rec.matrix.rename(index=names, columns=names)
    matrix = matrix.rename(
        index={"new": label("change_new", lang)}, columns={"exited": label("change_exited", lang)}
    )
    matrix.index.name = label("migration_previous", lang)
    _table(matrix, index=True, formats="{:,}", currency=_currency(result))
    if not rec.movers.empty:
        _heading("migration_movers", lang, 3)
        _table(movers_table(rec.movers, names, lang), index=True, currency=_currency(result))


def show_policies(result: TieringResult, lang: str | None = None) -> None:
    """Show the service policy per tier, the work list, the owners' workload, visit compliance.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("policy_section", lang)
    rec = _available(result, "policies", lang)
    if rec is None:
        return
    display(Markdown(label("guide_policies", lang)))
    _notes(rec.notes, lang)
    names = _level_names(result, rec.scheme, lang)
    _table(policy_display_table(rec.policies, names, lang), index=True)
    if not isinstance(rec.compliance, Unavailable):  # an interactions table was given
        display(Markdown(label("contact_sources_summary", lang).format(**rec.contact_sources)))
    _heading("worklist", lang, 3)
    display(
        Markdown(
            label("worklist_summary", lang).format(
                total=rec.worklist_total,
                end=rec.worklist_end.isoformat(),
                overdue=rec.overdue_total,
                listed=len(rec.worklist),
            )
        )
    )
    if rec.worklist:
        owner = result.meta.parameters.get("policies", {}).get("owner")
        _table(
            worklist_table(result.customers, rec.worklist, names, owner, lang, _name(result)),
            index=True,
            currency=_currency(result),
        )
    if rec.workload is not None:
        _heading("owner_workload", lang, 3)
        _table(workload_table(rec.workload, names, lang), index=True)
    if rec.reassignment is not None:
        _show_reassignment(result, rec.reassignment, names, lang)
    _heading("visit_compliance", lang, 3)
    if isinstance(rec.compliance, Unavailable):
        display(Markdown(f"> {unavailable_text(rec.compliance, lang)}"))
        return
    display(Markdown("\n\n".join(compliance_lines(rec.compliance, lang))))
    _heading("compliance_by_tier", lang, 4)
    _table(compliance_table(rec.compliance.by_tier, names, lang), index=True)
    if rec.compliance.by_owner is not None:
        _heading("compliance_by_owner", lang, 4)
        _table(compliance_table(rec.compliance.by_owner, names, lang), index=True)


def _show_reassignment(result: TieringResult, plan, names: dict[str, str], lang: str) -> None:
    """Show the proposed moves between owners, why each, and the owners before and after."""
    _heading("reassignment", lang, 3)
    display(Markdown("\n\n".join(reassignment_lines(plan, lang))))
    if len(plan.moves):
        moves = reassignment_table(result.customers, plan, names, lang, _name(result))
        _table(moves, index=True)
        _table(reassignment_owners_table(plan, lang), index=True)


def show_profiles(result: TieringResult, lang: str | None = None) -> None:
    """Show the profile cards of the top-tier customers and of those at risk.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("profiles_section", lang)
    rec = _available(result, "profiles", lang)
    if rec is None:
        return
    display(Markdown(label("guide_profiles", lang)))
    grades = result.sections.get("grades")
    tiers = _level_names(result, grades.primary, lang) if rec.top_level is not None else {}
    for group, ids in (("top_tier", rec.top_tier), ("at_risk", rec.at_risk)):
        _heading(f"profiles_{group}", lang, 3)
        display(
            Markdown(
                label("profiles_listed", lang).format(
                    listed=len(ids), total=rec.totals[group], tier=tiers.get(rec.top_level, "")
                )
            )
        )
        if ids:
            cards = profile_cards_html(
                result.customers, ids, rec, tiers, lang, currency=_currency(result)
            )
            display(HTML(cards))


def _level_names(result: TieringResult, scheme: str, lang: str) -> dict[str, str]:
    grades = result.sections.get("grades")
    for candidate in getattr(grades, "schemes", []):
        if candidate.name == scheme:
            return candidate.levels[lang].to_dict()
    return {}


def show_model_comparison(result: TieringResult, lang: str | None = None) -> None:
    """Show the CLV model comparison: holdout errors, whole-window fits, CLV by model.

    Parameters
    ----------
    result : TieringResult
        The analysis result (run with ``clv.compare_models`` on).
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("model_comparison", lang)
    if "clv_comparison" not in result.sections:
        display(Markdown(f"> {label('comparison_not_run', lang)}"))
        return
    rec = _available(result, "clv_comparison", lang)
    if rec is None:
        return
    _notes(rec.notes, lang)
    if not rec.holdout.empty:
        display(
            Markdown(
                f"{label('holdout_period', lang)}: {rec.calibration_end} – {result.meta.as_of}  \n"
                f"**{label('best_model', lang)}:** {label('model_' + rec.best_model, lang)}"
            )
        )
        table = rec.holdout.rename(index=lambda m: label("model_" + m, lang))
        _table(
            translated(table, lang, index=False),
            index=True,
            formats="{:,.3f}",
            currency=_currency(result),
        )
        models = list(rec.holdout.index)
        with report_style():
            fig, axes = plt.subplots(1, len(models), figsize=(5 * len(models), 4), squeeze=False)
            for ax, name in zip(axes[0], models, strict=True):
                buckets = rec.by_frequency[rec.by_frequency["model"] == name]
                plot_calibration_holdout(buckets.set_index("frequency"), ax=ax, lang=lang)
                ax.set_title(label("model_" + name, lang))
            fig.tight_layout()
            _figure(fig)
    _heading("full_window_fit", lang, 3)
    for name, fit in rec.fits.groupby("model", sort=False):
        display(
            Markdown(
                f"**{label('model_' + name, lang)}** — {label('log_likelihood', lang)}: "
                f"{rec.log_likelihoods[name]:,.2f}"
            )
        )
        _table(
            clv_model_table(fit.drop(columns="model").set_index("parameter"), lang),
            formats="{:.4f}",
            currency=_currency(result),
        )
    _heading("clv_by_model", lang, 3)
    by_model = rec.clv_by_model.rename(index=lambda m: label("model_" + m, lang))
    _table(
        translated(by_model, lang, index=False),
        index=True,
        formats="{:,.2f}",
        currency=_currency(result),
    )
    display(Markdown(f"{label('rank_correlation', lang)}:"))
    names = {m: label("model_" + m, lang) for m in rec.rank_correlation.index}
    ranks = rec.rank_correlation.rename(index=names, columns=names)
    _table(ranks, index=True, formats="{:.3f}", currency=_currency(result))


def show_report(result: TieringResult, lang: str | None = None) -> None:
    """Show every section of the tiering report, in order.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    for show in (
        show_header,
        show_contents,
        show_summary,
        show_headline,
        show_data_quality,
        show_tiers,
        show_rfm,
        show_clv,
        show_value_matrix,
        show_segments,
        show_lifecycle,
        show_attributes,
        show_prospects,
        show_migration,
        show_policies,
        show_cohorts,
    ):
        show(result, lang)


def show_segments(result: TieringResult, lang: str | None = None) -> None:
    """Show the behavioural segments: how many and why, profiles, shares, names, cross-tabs.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("segments_section", lang)
    if "segments" not in result.sections:
        display(Markdown(f"> {label('unavailable_segments_off', lang)}"))
        return
    rec = _available(result, "segments", lang)
    if rec is None:
        return
    display(Markdown(label("guide_segments", lang)))
    choice = label(f"segments_choice_{rec.selection}", lang).format(
        k=rec.k,
        model=label(f"segment_model_{rec.model}", lang),
        k_low=rec.k_range[0],
        k_high=rec.k_range[1],
        sample=rec.sample_size,
        customers=rec.customers,
    )
    features = ", ".join(_feature_label(f, lang) for f in rec.features)
    lines = [choice, f"**{label('segments_features_used', lang)}:** {features}"]
    if rec.dropped_features:
        dropped = ", ".join(
            f"{_feature_label(f, lang)} ({label(f'segments_reason_{r}', lang)})"
            for f, r in rec.dropped_features.items()
        )
        lines.append(label("segments_dropped", lang).format(features=dropped))
    if rec.stability["refits"]:
        lines.append(label("segments_stability", lang).format(**rec.stability))
    display(Markdown("  \n".join(lines)))
    _notes(rec.notes, lang)
    with report_style():
        if len(rec.k_curve) > 1:
            ax = plot_segment_k_curve(rec.k_curve, lang=lang)
            _figure(ax.figure)
        ax = plot_segment_profiles(rec.profile_z, rec.profiles, lang=lang)
        _figure(ax.figure)
        fig, (left, right) = plt.subplots(1, 2, figsize=(14, 0.5 * rec.k + 3.5))
        plot_segment_shares(rec.profiles, ax=left, lang=lang)
        plot_segment_projection(
            rec.projection,
            rec.profiles,
            explained_variance=tuple(rec.explained_variance),
            ax=right,
            lang=lang,
        )
        fig.tight_layout()
        _figure(fig)
    _heading("segments_names_table", lang, 3)
    _table(segment_profile_table(rec, lang), index=True, currency=_currency(result))
    for column, cross in rec.crosstabs.items():
        _heading_text(label("segments_crosstab", lang).format(column=column_title(column, lang)))
        _table(
            segment_crosstab_table(cross, column, rec, lang),
            index=True,
            formats="{:,}",
            currency=_currency(result),
        )


def _feature_label(feature: str, lang: str) -> str:
    key = f"segment_feature_{feature}"
    return label(key, lang) if has_label(key) else feature


def _heading_text(text: str, level: int = 3) -> None:
    display(Markdown(f"{'#' * level} {text}"))


def show_attributes(result: TieringResult, lang: str | None = None) -> None:
    """Show the customer attributes: class mix per attribute value, and the group tables.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("attributes_section", lang)
    rec = _available(result, "attributes", lang)
    if rec is None:
        return
    display(Markdown(label("guide_attributes", lang).format(min_customers=rec.min_customers)))
    names = "、".join if lang == "zh" else ", ".join
    master = [c for c in rec.attributes if c != "price_sensitivity"]
    columns = names(column_label(c, lang) for c in master)
    display(Markdown(label(f"attributes_chosen_{rec.chosen_by}", lang).format(columns=columns)))
    if rec.price_sensitivity is not None:
        display(Markdown(label("guide_price_sensitivity", lang)))
        display(Markdown(price_sensitivity_text(rec, lang)))
    _notes(rec.notes, lang)
    if rec.classes:
        by = rec.classes[0]
        mix = rec.mix[rec.mix["by"] == by]
        with report_style():
            count = len(rec.attributes)
            heights = [len(mix[mix["attribute"] == a]["value"].unique()) for a in rec.attributes]
            fig, axes = plt.subplots(
                count,
                1,
                figsize=(8.5, sum(1.0 + 0.3 * h for h in heights)),
                gridspec_kw={"height_ratios": [1.0 + 0.3 * h for h in heights]},
                squeeze=False,
            )
            for ax, attribute in zip(axes[:, 0], rec.attributes, strict=True):
                rows = mix[mix["attribute"] == attribute]
                wide = rows.pivot(index="value", columns="class", values="share")
                order = list(dict.fromkeys(rows["value"]))
                wide = wide.reindex(index=order, columns=rec.class_order[by])
                plot_attribute_mix(wide, by=by, attribute=attribute, ax=ax, lang=lang)
            handles, labels_ = axes[0, 0].get_legend_handles_labels()
            fig.legend(
                handles,
                labels_,
                loc="upper center",
                ncol=min(len(labels_), 4),
                frameon=False,
                bbox_to_anchor=(0.5, 1.0),
            )
            fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / max(fig.get_figheight(), 1)))
            _figure(fig)
    tops = [
        f"{column_label(c, lang)}: {class_label(c, rec.top_classes[c], lang)}" for c in rec.classes
    ]
    if tops:
        separator = "；" if lang == "zh" else "; "
        text = label("index_top_classes", lang).format(classes=separator.join(tops))
        display(Markdown(text))
    for attribute in rec.attributes:
        display(Markdown(f"### {column_label(attribute, lang)}"))
        _table(attribute_table(rec, attribute, lang), index=True, currency=_currency(result))
    if rec.style_crosstab is not None:
        style = column_label(rec.decision_style, lang)
        _heading_text(label("style_crosstab_title", lang).format(style=style))
        _table(style_crosstab_table(rec, lang), index=True)


def show_prospects(result: TieringResult, lang: str | None = None) -> None:
    """Show the prospect model's check and the prospects graded by potential.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("prospects_section", lang)
    rec = _available(result, "prospects", lang)
    if rec is None:
        return
    display(Markdown(label("guide_prospects", lang)))
    names = "、".join if lang == "zh" else ", ".join
    target = label(f"target_{rec.target}", lang)
    display(
        Markdown(
            label("prospects_model_text", lang).format(
                model=label(f"model_{rec.model}", lang),
                target=target,
                training=rec.training_customers,
                features=names(column_label(c, lang) for c in rec.features),
                folds=len(rec.cv),
                model_r2=rec.model_r2,
                baseline_r2=rec.baseline_r2,
            )
        )
    )
    _notes(rec.notes, lang)
    _heading("prospects_cv", lang, 3)
    _table(
        translated(rec.cv, lang, index=False),
        index=True,
        formats="{:.3f}",
        currency=_currency(result),
    )
    if not rec.better:
        return
    display(
        Markdown(
            label("prospects_grade_rule", lang).format(
                a=rec.grade_shares[0], b=rec.grade_shares[1], prospects=rec.prospects, target=target
            )
        )
    )
    formats = {label(c, lang): "{:,.0f}" for c in rec.grades.columns}
    _table(
        translated(rec.grades, lang, index=False),
        index=True,
        formats=formats,
        currency=_currency(result),
    )
    if not rec.effects.empty:
        _heading("prospects_effects", lang, 3)
        effects = pd.DataFrame(
            {
                label("attribute", lang): [column_label(a, lang) for a in rec.effects["attribute"]],
                label("attribute_value", lang): list(rec.effects["value"]),
                label("multiplier", lang): [f"{m:.2f}" for m in rec.effects["multiplier"]],
            }
        )
        _table(effects, currency=_currency(result))
    if rec.top:
        _heading("prospects_top", lang, 3)
        _table(prospects_table(result.customers, rec, lang), index=True, currency=_currency(result))


def show_cohorts(result: TieringResult, lang: str | None = None) -> None:
    """Show cohort retention: the heat map and one row per first-purchase month.

    Parameters
    ----------
    result : TieringResult
        The analysis result.
    lang : {"en", "zh"}, optional
        Language; the run's own by default.
    """
    lang = _lang(result, lang)
    _heading("cohorts_section", lang)
    rec = _available(result, "cohorts", lang)
    if rec is None:
        return
    display(Markdown(label("guide_cohorts", lang).format(min_customers=rec.min_customers)))
    with report_style():
        ax = plot_cohort_retention(rec.retention, small=rec.sizes["small"], lang=lang)
        ax.figure.tight_layout()
        _figure(ax.figure)
        if rec.revenue_per_customer.notna().any().any():
            ax = plot_cohort_revenue(
                rec.revenue_per_customer,
                small=rec.sizes["small"],
                lang=lang,
                currency=_currency(result),
            )
            ax.figure.tight_layout()
            _figure(ax.figure)
    _table(cohort_table(rec, lang), index=True, currency=_currency(result))
