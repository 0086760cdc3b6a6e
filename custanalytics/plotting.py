"""Charts: ``plot_*(data, *, ax=None, lang=...) -> Axes``, and the CJK font set-up.

Nothing here changes matplotlib's global state on import. :func:`use_report_style` does, on
purpose, when a report notebook calls it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from .i18n import label
from .metrics import lorenz_curve

__all__ = ["cjk_font_path", "plot_lorenz", "use_report_style"]

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_FAMILY = "Noto Sans CJK SC"


def cjk_font_path() -> Path | None:
    """Return the bundled Simplified-Chinese font (Noto Sans CJK SC), if installed.

    The font ships in the ``mplfonts`` package, a dependency of custanalytics, so reports in
    Chinese render without system fonts.

    Returns
    -------
    pathlib.Path or None
        Path of the font file, or None if ``mplfonts`` is missing.
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    return path if path.is_file() else None


def use_report_style() -> None:
    """Set matplotlib up for reports: a clean style and a font that can show Chinese.

    Changes matplotlib's global rc settings of the running process; call it in a report
    notebook, not in library code.
    """
    font = cjk_font_path()
    families = ["DejaVu Sans"]
    if font is not None:
        font_manager.fontManager.addfont(str(font))
        families = [CJK_FONT_FAMILY, *families]
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": families + list(plt.rcParams["font.sans-serif"]),
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 110,
            "savefig.bbox": "tight",
        }
    )


def plot_lorenz(revenue: pd.Series, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Draw the Pareto/Lorenz curve of revenue, largest customers first.

    Parameters
    ----------
    revenue : pandas.Series
        Revenue per customer.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.5))
    curve = lorenz_curve(revenue)
    ax.plot(
        curve["customer_share"],
        curve["revenue_share"],
        color="#1f5f99",
        lw=2,
        label=label("lorenz_y", lang),
    )
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label=label("lorenz_equal", lang))
    reach = curve.loc[curve["revenue_share"] >= 0.8, "customer_share"]
    if not reach.empty:
        x80 = float(reach.iloc[0])
        ax.axhline(0.8, color="#c0392b", lw=0.8, ls=":")
        ax.axvline(x80, color="#c0392b", lw=0.8, ls=":")
        ax.annotate(
            f"{label('lorenz_80', lang)}: {x80:.1%}",
            (x80, 0.8),
            xytext=(10, -20),
            textcoords="offset points",
            color="#c0392b",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(label("lorenz_x", lang))
    ax.set_ylabel(label("lorenz_y", lang))
    ax.set_title(label("lorenz_title", lang))
    ax.legend(loc="lower right", frameon=False)
    return ax
