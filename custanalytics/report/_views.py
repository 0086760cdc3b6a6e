"""Display blocks of the report: ``show_*(result, lang)``, one per section.

Views format and draw what a :class:`~custanalytics.analysis.TieringResult` holds; they never
filter, join, fit or decide. Each writes to the notebook through IPython's ``display``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

from ..analysis import TieringResult, Unavailable
from ..i18n import label, note_text, unavailable_text
from ..plotting import (
    class_label,
    column_label,
    plot_attribute_mix,
    plot_calibration_holdout,
    plot_clv_distribution,
    plot_cohort_retention,
    plot_cohort_revenue,
    plot_expected_purchases_matrix,
    plot_lifecycle_stages,
    plot_lorenz,
    plot_probability_alive_matrix,
    report_style,
)
from ._tables import (
    at_risk_table,
    attribute_table,
    clv_model_table,
    cohort_table,
    coverage_table,
    headline_table,
    holdout_table,
    lifecycle_rule_text,
    prospects_table,
    quality_table,
    top_customers_table,
    translated,
)

__all__ = [
    "show_prospects",
    "show_attributes",
    "show_clv",
    "show_cohorts",
    "show_data_quality",
    "show_header",
    "show_headline",
    "show_lifecycle",
    "show_model_comparison",
    "show_report",
    "show_value_matrix",
]


def _lang(result: TieringResult, lang: str | None) -> str:
    return lang or result.meta.parameters.get("lang", "en")


def _heading(key: str, lang: str, level: int = 2) -> None:
    display(Markdown(f"{'#' * level} {label(key, lang)}"))


def _notes(notes: Iterable, lang: str) -> None:
    for note in notes:
        display(Markdown(f"> {note_text(note, lang)}"))


def _figure(fig) -> None:
    display(fig)
    plt.close(fig)


def _table(frame: pd.DataFrame, *, index: bool = False, formats=None) -> None:
    """Display a table; a single format string applies to its numeric columns."""
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
    _table(headline_table(rec.figures, lang))
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
    _table(quality_table(rec.transactions, lang))
    if rec.master is not None:
        _heading("customer_master", lang, 3)
        _table(quality_table(rec.master, lang))
    if rec.coverage is not None:
        _heading("join_coverage", lang, 3)
        _table(coverage_table(rec.coverage, lang))


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
    _notes(rec.notes, lang)
    _table(clv_model_table(rec.parameters, lang), formats="{:.4f}")
    if rec.holdout is not None:
        holdout = rec.holdout
        display(
            Markdown(
                f"{label('holdout_period', lang)}: {holdout.calibration_end} – "
                f"{result.meta.as_of} ({holdout.holdout_days} {label('unit_D', lang)})"
            )
        )
        _table(holdout_table(holdout.figures, lang))
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
            ax = plot_clv_distribution(result.customers["clv"], lang=lang)
            _figure(ax.figure)
    _heading("top_clv" if "clv" in result.customers.columns else "top_expected", lang, 3)
    _table(top_customers_table(result.customers, rec.top_customers, lang), index=True)


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
    _heading("value_matrix", lang, 3)
    rec = _available(result, "value_matrix", lang)
    if rec is None:
        return
    display(
        Markdown(
            label("value_matrix_cutoffs", lang).format(
                current=f"{rec.current_cutoff:,.2f}", potential=f"{rec.potential_cutoff:,.2f}"
            )
        )
    )
    shares = ("customer_share", "revenue_share", "clv_share")
    formats = {label(c, lang): "{:.1%}" for c in shares}
    formats |= {label(c, lang): "{:,.0f}" for c in ("customers", "revenue", "clv")}
    _table(translated(rec.table, lang), index=True, formats=formats)


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
    _table(translated(stages, lang, index=False), index=True, formats=_share_formats(stages, lang))
    with report_style():
        ax = plot_lifecycle_stages(rec.stages, lang=lang)
        _figure(ax.figure)
    _heading("purchase_patterns", lang, 3)
    display(Markdown(label("guide_purchase_patterns", lang).format(**rec.settings)))
    patterns = rec.patterns.rename(index=lambda p: label(f"pattern_{p}", lang))
    _table(translated(patterns, lang, index=False), index=True, formats="{:,}")
    _heading("at_risk_list", lang, 3)
    display(
        Markdown(
            label("at_risk_summary", lang).format(
                customers=int(rec.stages.loc["at_risk", "customers"]),
                revenue=f"{rec.at_risk_revenue:,.2f}",
                listed=len(rec.at_risk),
            )
        )
    )
    if rec.at_risk:
        _table(at_risk_table(result.customers, rec.at_risk, lang), index=True)


def _share_formats(table: pd.DataFrame, lang: str) -> dict:
    formats = {}
    for column in table.columns:
        formats[label(column, lang)] = "{:.1%}" if column.endswith("_share") else "{:,.0f}"
    return formats


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
        _table(translated(table, lang, index=False), index=True, formats="{:,.3f}")
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
        )
    _heading("clv_by_model", lang, 3)
    by_model = rec.clv_by_model.rename(index=lambda m: label("model_" + m, lang))
    _table(translated(by_model, lang, index=False), index=True, formats="{:,.2f}")
    display(Markdown(f"{label('rank_correlation', lang)}:"))
    names = {m: label("model_" + m, lang) for m in rec.rank_correlation.index}
    ranks = rec.rank_correlation.rename(index=names, columns=names)
    _table(ranks, index=True, formats="{:.3f}")


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
    columns = names(column_label(c, lang) for c in rec.attributes)
    display(Markdown(label(f"attributes_chosen_{rec.chosen_by}", lang).format(columns=columns)))
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
        _table(attribute_table(rec, attribute, lang), index=True)


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
    _table(translated(rec.cv, lang, index=False), index=True, formats="{:.3f}")
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
    _table(translated(rec.grades, lang, index=False), index=True, formats=formats)
    if not rec.effects.empty:
        _heading("prospects_effects", lang, 3)
        effects = pd.DataFrame(
            {
                label("attribute", lang): [column_label(a, lang) for a in rec.effects["attribute"]],
                label("attribute_value", lang): list(rec.effects["value"]),
                label("multiplier", lang): [f"{m:.2f}" for m in rec.effects["multiplier"]],
            }
        )
        _table(effects)
    if rec.top:
        _heading("prospects_top", lang, 3)
        _table(prospects_table(result.customers, rec, lang), index=True)


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
            ax = plot_cohort_revenue(rec.revenue_per_customer, small=rec.sizes["small"], lang=lang)
            ax.figure.tight_layout()
            _figure(ax.figure)
    _table(cohort_table(rec, lang), index=True)


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
        show_headline,
        show_data_quality,
        show_clv,
        show_value_matrix,
        show_lifecycle,
        show_attributes,
        show_prospects,
        show_cohorts,
    ):
        show(result, lang)
