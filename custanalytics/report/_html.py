"""Executed notebook → one self-contained HTML file (no code, no stderr, no remote requests).

Imported only when a report is rendered: nbconvert installs a warnings filter on import.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from ..errors import ReportError
from ._offline import remote_references

__all__ = ["notebook_to_html"]

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "custanalytics_report"
#: Cells with this tag (e.g. notes for notebook users) are left out of the HTML report.
HIDE_TAG = "hide-in-report"


class _ReaderOutputsOnly(Preprocessor):
    """Drop what a report reader must not see: stderr streams, warnings and errors."""

    def preprocess_cell(self, cell, resources, index):  # noqa: D102
        if cell.cell_type == "code":
            cell.outputs = [
                out
                for out in cell.get("outputs", [])
                if not (out.output_type == "stream" and out.get("name") == "stderr")
                and out.output_type != "error"
            ]
        return cell, resources


#: Characters from here up (CJK radicals onwards) are drawn with the embedded font.
_CJK_START = 0x2E80


def _with_embedded_cjk_font(html: str) -> str:
    """Embed the subset of Noto Sans CJK SC that the page uses, so Chinese shows everywhere.

    A reader's machine without a Chinese font (or a headless browser) would otherwise show
    empty boxes in the tables; only the glyphs on the page are kept (about 150 KB for a
    Chinese report).
    """
    from ..plotting import CJK_FONT_FAMILY, cjk_font_path

    text = "".join(sorted({c for c in html if ord(c) >= _CJK_START}))
    path = cjk_font_path()
    if not text or path is None:
        return html
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    font = TTFont(str(path))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    face = (
        f'<style type="text/css">@font-face {{ font-family: "{CJK_FONT_FAMILY}"; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}</style>'
    )
    return html.replace("</head>", face + "\n</head>", 1)


def notebook_to_html(notebook: nbformat.NotebookNode, *, title: str, lang: str = "en") -> str:
    """Convert an executed notebook to a self-contained HTML page.

    Code cells, prompts, stderr output, error output and cells tagged ``hide-in-report``
    are removed; images are embedded;
    the page loads nothing from another host (no require.js, MathJax or Mermaid from a CDN).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    title : str
        HTML ``<title>``.
    lang : {"en", "zh"}
        Language of the report, for the page's ``lang`` attribute (fonts, screen readers).

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ReportError
        If the page would still contact another host.
    """
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        preprocessors=[_ReaderOutputsOnly],
        language_code=lang,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={HIDE_TAG}, enabled=True), enabled=True
    )
    html, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    html = _with_embedded_cjk_font(html)
    remote = remote_references(html)
    if remote:
        raise ReportError(f"the HTML report would load from another host: {remote[0]}")
    return html
