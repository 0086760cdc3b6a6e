"""Presentation of report sections: the run header and labelled tables (no analysis here)."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from ..data import DataQuality
from ..i18n import label
from ..params import RunParams

__all__ = [
    "clv_model_table",
    "headline_table",
    "holdout_table",
    "quality_table",
    "run_header",
    "top_customers_table",
    "translated",
    "write_metrics",
]


def run_header(params: RunParams, metrics: Mapping[str, object]) -> str:
    """Return the HTML block with the title and run metadata shown at the top of the report.

    Parameters
    ----------
    params : RunParams
        The run's parameters.
    metrics : mapping
        Headline figures; ``first_date`` and ``last_date`` give the data window.

    Returns
    -------
    str
        HTML fragment.
    """
    lang = params.lang
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        (label("as_of", lang), params.as_of.isoformat()),
        (label("data_window", lang), f"{metrics['first_date']} – {metrics['last_date']}"),
        (label("generated", lang), generated),
        (label("version", lang), version("custanalytics")),
    ]
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    params_text = html.escape(json.dumps(params.to_dict(), ensure_ascii=False, indent=2))
    return (
        f'<div class="run-header" id="run-metadata"><h1>{html.escape(params.title)}</h1>'
        f"<table>{cells}</table>"
        f"<details><summary>{label('parameters', lang)}</summary>"
        f"<pre>{params_text}</pre></details></div>"
    )


def headline_table(metrics: Mapping[str, object], lang: str) -> pd.DataFrame:
    """Return the headline figures as a two-column table with formatted values.

    Parameters
    ----------
    metrics : mapping
        Output of :func:`custanalytics.headline_metrics`.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    pandas.DataFrame
        Columns: the figure's label and its formatted value.
    """
    formats = {
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
    rows = [(label(k, lang), f.format(metrics[k])) for k, f in formats.items()]
    return pd.DataFrame(rows, columns=[label("figure", lang), label("value", lang)])


def quality_table(quality: DataQuality, lang: str) -> pd.DataFrame:
    """Return the data-quality record with translated labels.

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
    frame["check"] = frame["check"].map(lambda k: label(k, lang))
    frame["action"] = frame["action"].map(lambda k: label(k, lang) if k else "")
    return frame.rename(columns={c: label(c, lang) for c in frame.columns})


def write_metrics(metrics: Mapping[str, object], params: RunParams, folder: str | Path) -> Path:
    """Write ``metrics.json``: the headline figures with the run's as-of date and parameters.

    Parameters
    ----------
    metrics : mapping
        Headline figures.
    params : RunParams
        The run's parameters.
    folder : str or path-like
        Folder to write to.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = Path(folder) / "metrics.json"
    payload = {
        "as_of": params.as_of.isoformat(),
        "metrics": dict(metrics),
        "parameters": params.to_dict(),
        "version": version("custanalytics"),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


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
        out.index.name = label(str(frame.index.name), lang) if frame.index.name else None
    return out


def clv_model_table(model, lang: str) -> pd.DataFrame:
    """Return a fitted model's parameter table with translated labels.

    Parameters
    ----------
    model : fitted CLV model
        Any model with a ``summary_`` table.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Estimates, standard errors and 95 % intervals per parameter.
    """
    table = model.summary_.copy()
    table.index.name = "parameter"
    return translated(table, lang, index=False)


def holdout_table(evaluation, lang: str) -> pd.DataFrame:
    """Return the holdout check's figures as a two-column table.

    Parameters
    ----------
    evaluation : HoldoutEvaluation
        Output of :func:`custanalytics.clv.evaluate`.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    pandas.DataFrame
        Figure label and formatted value.
    """
    figures = evaluation.to_dict()
    rows = [(label("model", lang), figures.pop("model"))]
    rows += [(label(k, lang), f"{v:,.3f}") for k, v in figures.items()]
    return pd.DataFrame(rows, columns=[label("figure", lang), label("value", lang)])


def top_customers_table(
    summary: pd.DataFrame, values: pd.DataFrame, lang: str, n: int = 20
) -> pd.DataFrame:
    """Return the ``n`` customers with the highest CLV, with their history and predictions.

    Parameters
    ----------
    summary : pandas.DataFrame
        Per-customer summary (``orders``, ``revenue``, ``last_purchase``).
    values : pandas.DataFrame
        ``ClvResult.customers``.
    lang : {"en", "zh"}
        Language.
    n : int
        Number of customers.

    Returns
    -------
    pandas.DataFrame
        Top customers, highest CLV first.
    """
    top = values.nlargest(n, "clv").join(summary[["orders", "revenue", "last_purchase"]])
    top["last_purchase"] = top["last_purchase"].dt.date
    columns = [
        "orders",
        "revenue",
        "last_purchase",
        "p_alive",
        "expected_purchases",
        "expected_spend",
        "clv",
        "clv_lower",
        "clv_upper",
    ]
    return translated(top[columns], lang, index=False)
