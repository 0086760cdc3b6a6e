"""Detecting references that would make a report page contact another host."""

from __future__ import annotations

import re

__all__ = ["remote_references"]

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
