"""Executed notebook → one self-contained HTML file (no code, no stderr, no remote requests)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from ..errors import ReportError

__all__ = ["notebook_to_html", "remote_references"]

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "custanalytics_report"

# <script src=...>, import("..."), <link href=...>, CSS @import/url() pointing at another host
_REMOTE = re.compile(
    r"""(<script[^>]+src\s*=\s*["']?(?:https?:)?//[^"'\s>]+"""
    r"""|\bimport\s*\(\s*["'](?:https?:)?//[^"']+"""
    r"""|\bfrom\s+["'](?:https?:)?//[^"']+"""
    r"""|<link[^>]+href\s*=\s*["']?(?:https?:)?//[^"'\s>]+"""
    r"""|@import\s+(?:url\()?["']?(?:https?:)?//[^"')\s]+"""
    r"""|url\(\s*["']?(?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)


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


def notebook_to_html(notebook: nbformat.NotebookNode, *, title: str) -> str:
    """Convert an executed notebook to a self-contained HTML page.

    Code cells, prompts, stderr output and error output are removed; images are embedded;
    the page loads nothing from another host (no require.js, MathJax or Mermaid from a CDN).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    title : str
        HTML ``<title>``.

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
    )
    html, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    remote = remote_references(html)
    if remote:
        raise ReportError(f"the HTML report would load from another host: {remote[0]}")
    return html


def remote_references(html: str) -> list[str]:
    """List the places in ``html`` that would make a browser contact another host.

    Parameters
    ----------
    html : str
        An HTML document.

    Returns
    -------
    list of str
        Matching fragments (script sources, module imports, stylesheet links, CSS imports
        and urls).
    """
    return _REMOTE.findall(html)
