"""``index.html`` beside the report folders: every run with its headline figures and a link."""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path

from ..i18n import label

__all__ = ["INDEX_FILE", "write_index"]

INDEX_FILE = "index.html"


def write_index(folder: str | os.PathLike, lang: str = "en") -> Path:
    """Write ``index.html`` listing the reports in the sub-folders of ``folder``.

    Every sub-folder with a ``metrics.json`` is a run, and so is every folder one level
    further down (the ``reports/<name>/<as-of>/`` layout); the newest as-of date comes first.
    The file is written next to its place and moved there, so a reader never sees half of
    it.

    Parameters
    ----------
    folder : str or path-like
        The folder holding report folders (e.g. ``reports/``).
    lang : {"en", "zh"}
        Language of the headings.

    Returns
    -------
    pathlib.Path
        The index file.
    """
    folder = Path(folder)
    runs = []
    found = [*folder.glob("*/metrics.json"), *folder.glob("*/*/metrics.json")]
    for metrics_file in sorted(found):
        try:
            document = json.loads(metrics_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a folder being written, or not ours
        figures = document.get("metrics", {})
        runs.append(
            (
                str(document.get("as_of", "")),
                document.get("title", metrics_file.parent.name),
                metrics_file.parent.relative_to(folder).as_posix(),
                figures,
            )
        )
    runs.sort(key=lambda run: (run[0], run[2]), reverse=True)
    headers = ["as_of", "title", "customers", "revenue", "top20_revenue_share", "report"]
    head = "".join(f"<th>{html.escape(label(h, lang))}</th>" for h in headers)
    rows = []
    for as_of, title, name, figures in runs:
        cells = [
            as_of,
            title,
            _number(figures.get("customers"), "{:,}"),
            _number(figures.get("revenue"), "{:,.0f}"),
            _number(figures.get("top20_revenue_share"), "{:.1%}"),
        ]
        link = f'<a href="{html.escape(name)}/report.html">{html.escape(name)}</a>'
        rows.append(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + f"<td>{link}</td></tr>"
        )
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(label('index_title', lang))}</title>"
        "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
        "td,th{padding:4px 12px;text-align:left}tr:nth-child(even){background:#f4f4f4}</style>"
        f"</head><body><h1>{html.escape(label('index_title', lang))}</h1>"
        f"<table><tr>{head}</tr>{''.join(rows)}</table></body></html>\n"
    )
    target = folder / INDEX_FILE
    handle, temporary = tempfile.mkstemp(prefix=".index-", suffix=".html", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(page)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
    return target


def _number(value, fmt: str) -> str:
    if value is None:
        return "–"
    return fmt.format(value)
