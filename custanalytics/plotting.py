"""Charts: ``plot_*(data, *, ax=None, lang=...) -> Axes``, and the CJK font set-up.

Nothing here changes matplotlib's global state on import. :func:`use_report_style` does, on
purpose, when a report notebook calls it.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from .i18n import has_label, label
from .metrics import lorenz_curve

__all__ = [
    "cjk_font_path",
    "class_label",
    "column_label",
    "group_label",
    "plot_attribute_mix",
    "plot_calibration_holdout",
    "plot_clv_distribution",
    "plot_cohort_retention",
    "plot_cohort_revenue",
    "plot_expected_purchases_matrix",
    "plot_lifecycle_stages",
    "plot_lorenz",
    "plot_probability_alive_matrix",
    "report_style",
    "use_report_style",
]

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


def _report_rc() -> dict:
    font = cjk_font_path()
    families = ["DejaVu Sans"]
    if font is not None:
        font_manager.fontManager.addfont(str(font))
        families = [CJK_FONT_FAMILY, *families]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families + list(plt.rcParams["font.sans-serif"]),
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 110,
        "savefig.bbox": "tight",
    }


def use_report_style() -> None:
    """Set matplotlib up for reports: a clean style and a font that can show Chinese.

    Changes matplotlib's global rc settings of the running process; in library code use
    :func:`report_style`, which changes them only inside a ``with`` block.
    """
    plt.rcParams.update(_report_rc())


@contextlib.contextmanager
def report_style() -> Iterator[None]:
    """Apply the report style (Chinese-capable font, clean axes) inside a ``with`` block.

    Yields
    ------
    None
        matplotlib's settings are restored when the block ends.
    """
    with plt.rc_context(_report_rc()):
        yield


def plot_lorenz(
    revenue: pd.Series | None = None,
    *,
    curve: pd.DataFrame | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Draw the Pareto/Lorenz curve of revenue, largest customers first.

    Parameters
    ----------
    revenue : pandas.Series, optional
        Revenue per customer.
    curve : pandas.DataFrame, optional
        Instead of ``revenue``: points of the curve as :func:`custanalytics.lorenz_curve`
        returns them (``customer_share``, ``revenue_share``).
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
    if curve is None:
        if revenue is None:
            raise ValueError("plot_lorenz needs revenue or curve")
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


def plot_calibration_holdout(
    by_frequency: pd.DataFrame, *, model: str = "", ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Draw actual vs predicted holdout purchases per calibration-frequency bucket.

    Parameters
    ----------
    by_frequency : pandas.DataFrame
        ``HoldoutEvaluation.by_frequency``: ``actual`` and ``predicted`` mean holdout
        purchases per calibration-frequency bucket (the index).
    model : str
        Name of the model, shown in the legend.
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
        _, ax = plt.subplots(figsize=(6.5, 4.0))
    table = by_frequency
    ax.plot(
        table.index,
        table["actual"],
        marker="o",
        color="#1f5f99",
        label=label("holdout_actual", lang),
    )
    predicted = label("holdout_predicted", lang)
    ax.plot(
        table.index,
        table["predicted"],
        marker="s",
        ls="--",
        color="#c0392b",
        label=f"{predicted} ({model})" if model else predicted,
    )
    ax.set_xlabel(label("calibration_frequency", lang))
    ax.set_ylabel(label("holdout_purchases_mean", lang))
    ax.set_title(label("holdout_title", lang))
    ax.legend(frameon=False)
    return ax


def _frequency_recency_grid(
    grid: pd.DataFrame, value: str, *, ax, lang, title_key, cmap, time_unit
) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5.0))
    matrix = grid.pivot(index="frequency", columns="recency", values=value)
    image = ax.imshow(
        matrix.to_numpy(), origin="lower", aspect="auto", cmap=cmap, interpolation="nearest"
    )
    ax.figure.colorbar(image, ax=ax, label=label(value, lang))
    recency = matrix.columns.to_numpy()
    positions = np.linspace(0, len(recency) - 1, 5).round().astype(int)
    ax.set_xticks(positions, [f"{recency[p]:.0f}" for p in positions])
    unit = f" ({label('unit_' + time_unit, lang)})" if time_unit else ""
    ax.set_xlabel(label("recency_axis", lang) + unit)
    ax.set_ylabel(label("frequency_axis", lang))
    ax.set_title(label(title_key, lang))
    return ax


def plot_expected_purchases_matrix(
    grid: pd.DataFrame, *, time_unit: str = "", ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Heat map of expected purchases over the CLV horizon by frequency and recency.

    Parameters
    ----------
    grid : pandas.DataFrame
        ``ClvRecord.grid``: ``frequency``, ``recency`` and ``expected_purchases``.
    time_unit : {"D", "W", "M", "Y"}, optional
        Unit of the recency axis, shown in its label.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    return _frequency_recency_grid(
        grid,
        "expected_purchases",
        ax=ax,
        lang=lang,
        title_key="expected_purchases_matrix",
        cmap="viridis",
        time_unit=time_unit,
    )


def plot_probability_alive_matrix(
    grid: pd.DataFrame, *, time_unit: str = "", ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Heat map of P(alive) by frequency and recency, at the largest observed T.

    Parameters
    ----------
    grid : pandas.DataFrame
        ``ClvRecord.grid``: ``frequency``, ``recency`` and ``p_alive``.
    time_unit : {"D", "W", "M", "Y"}, optional
        Unit of the recency axis, shown in its label.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    return _frequency_recency_grid(
        grid,
        "p_alive",
        ax=ax,
        lang=lang,
        title_key="p_alive_matrix",
        cmap="RdYlGn",
        time_unit=time_unit,
    )


def plot_clv_distribution(clv: pd.Series, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Histogram of customer lifetime value (log-scaled counts), with mean and median.

    Parameters
    ----------
    clv : pandas.Series
        CLV per customer; missing values (prospects) are left out.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.0))
    values = clv.to_numpy(dtype="float64")
    values = values[~np.isnan(values)]
    upper = np.quantile(values, 0.99)
    ax.hist(np.clip(values, None, upper), bins=50, color="#1f5f99", alpha=0.85)
    ax.set_yscale("log")
    for stat, style in ((np.mean(values), "--"), (np.median(values), ":")):
        ax.axvline(stat, color="#c0392b", ls=style)
    ax.set_xlabel(label("clv_axis", lang))
    ax.set_ylabel(label("customers", lang))
    ax.set_title(label("clv_distribution", lang))
    ax.legend([label("mean", lang), label("median", lang)], frameon=False)
    return ax


def plot_lifecycle_stages(
    stages: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Bar chart of the share of customers and of revenue in each lifecycle stage.

    Parameters
    ----------
    stages : pandas.DataFrame
        ``LifecycleRecord.stages``: ``customer_share`` and ``revenue_share`` per stage (index).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.0))
    positions = np.arange(len(stages))
    width = 0.4
    for offset, column, color in (
        (-width / 2, "customer_share", "#1f5f99"),
        (width / 2, "revenue_share", "#e08e0b"),
    ):
        ax.bar(positions + offset, stages[column], width, color=color, label=label(column, lang))
    ax.set_xticks(positions, [label(f"stage_{s}", lang) for s in stages.index])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(label("share", lang))
    ax.set_title(label("lifecycle_title", lang))
    ax.legend(frameon=False)
    return ax


def plot_cohort_retention(
    retention: pd.DataFrame,
    *,
    small: pd.Series | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Heat map of cohort retention: first-purchase month x months since the first purchase.

    Parameters
    ----------
    retention : pandas.DataFrame
        ``CohortsRecord.retention``: shares per cohort (index) and month (columns); NaN cells
        (not observed yet) stay blank.
    small : pandas.Series of bool, optional
        Cohorts to mark as small (their labels get an asterisk and are greyed).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    return _cohort_heatmap(
        retention,
        small=small,
        ax=ax,
        lang=lang,
        text=lambda v: f"{v:.0%}",
        cmap="YlGnBu",
        title_key="cohort_retention_title",
        percent=True,
    )


def _compact(value: float) -> str:
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}{suffix}"
    return f"{value:.0f}"


def plot_cohort_revenue(
    revenue_per_customer: pd.DataFrame,
    *,
    small: pd.Series | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Heat map of revenue per cohort customer in each month since the first purchase.

    Parameters
    ----------
    revenue_per_customer : pandas.DataFrame
        ``CohortsRecord.revenue_per_customer``: the cohort's revenue in each month divided by
        its number of customers (index cohort, columns months); NaN = not observed yet.
    small : pandas.Series of bool, optional
        Cohorts to mark as small.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    return _cohort_heatmap(
        revenue_per_customer,
        small=small,
        ax=ax,
        lang=lang,
        text=_compact,
        cmap="YlOrBr",
        title_key="cohort_revenue_title",
        percent=False,
    )


def _cohort_heatmap(table, *, small, ax, lang, text, cmap, title_key, percent) -> Axes:
    rows, columns = table.shape
    if ax is None:
        _, ax = plt.subplots(figsize=(min(2.0 + 0.5 * columns, 14), min(1.5 + 0.32 * rows, 16)))
    values = table.to_numpy(dtype="float64")
    shown = np.ma.masked_invalid(values)
    # month 0 is 100 % (and the first order) by definition: scale colours on the later months
    later = values[:, 1:] if columns > 1 else values
    upper = np.nanmax(later) if np.isfinite(later).any() else 1.0
    image = ax.imshow(shown, aspect="auto", cmap=cmap, vmin=0, vmax=max(upper, 1e-9))
    if rows * columns <= 900:
        for i in range(rows):
            for j in range(columns):
                if np.isfinite(values[i, j]):
                    dark = values[i, j] > 0.6 * upper
                    ax.text(
                        j,
                        i,
                        text(values[i, j]),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if dark else "#222222",
                    )
    marks = small.reindex(table.index).fillna(False).to_numpy() if small is not None else None
    names = [
        f"{c} *" if marks is not None and marks[i] else str(c) for i, c in enumerate(table.index)
    ]
    ax.set_yticks(np.arange(rows), names)
    if marks is not None:
        for tick, mark in zip(ax.get_yticklabels(), marks, strict=True):
            if mark:
                tick.set_color("#999999")
    step = max(1, columns // 25)
    ax.set_xticks(np.arange(0, columns, step), [str(c) for c in table.columns[::step]])
    ax.set_xlabel(label("months_since_first", lang))
    ax.set_ylabel(label("cohort", lang))
    ax.set_title(label(title_key, lang))
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    if percent:
        colorbar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    return ax


def class_label(column: str, value: str, lang: str = "en") -> str:
    """Return the display name of a class (a value of a class column such as ``value_cell``).

    Parameters
    ----------
    column : str
        The class column.
    value : str
        The class code.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        ``stage_<value>`` for lifecycle stages, else ``<column>_<value>`` or ``<value>`` if
        such a label exists, else the value itself.
    """
    from .attributes import OTHER, UNCLASSIFIED, UNKNOWN

    special = {UNCLASSIFIED: "class_unclassified", UNKNOWN: "attribute_unknown"}
    special[OTHER] = "attribute_other"
    if value in special:
        return label(special[value], lang)
    prefix = "stage_" if column == "lifecycle_stage" else f"{column}_"
    for key in (prefix + str(value), str(value)):
        if has_label(key):
            return label(key, lang)
    return str(value)


def group_label(value: str, lang: str = "en") -> str:
    """Return the display name of an attribute value (the data's own, or unknown / other).

    Parameters
    ----------
    value : str
        The attribute value (group).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The value, or the label of the unknown / other group.
    """
    from .attributes import OTHER, UNKNOWN

    codes = {UNKNOWN: "attribute_unknown", OTHER: "attribute_other"}
    return label(codes[value], lang) if value in codes else str(value)


def column_label(column: str, lang: str = "en") -> str:
    """Return the display name of a column: its label if one exists, else the name itself.

    Parameters
    ----------
    column : str
        Column name (master attributes keep their own names).
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        The label (key ``<column>``, else ``column_<column>``) or the name.
    """
    for key in (column, f"column_{column}"):
        if has_label(key):
            return label(key, lang)
    return str(column)


def plot_attribute_mix(
    mix: pd.DataFrame,
    *,
    by: str,
    attribute: str,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Stacked horizontal bars: the share of each class within each attribute value.

    Parameters
    ----------
    mix : pandas.DataFrame
        One row per attribute value (index, in display order), one column per class of ``by``
        (in display order), holding shares of the group's customers.
    by : str
        The class column (``grade``, ``value_cell``, ``lifecycle_stage`` ...).
    attribute : str
        The attribute's name (the title).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    rows = len(mix)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 1.2 + 0.32 * rows))
    colors = plt.get_cmap("tab10" if mix.shape[1] <= 10 else "tab20")
    left = np.zeros(rows)
    positions = np.arange(rows)
    for k, cls in enumerate(mix.columns):
        share = mix[cls].to_numpy(dtype="float64")
        ax.barh(positions, share, left=left, color=colors(k), label=class_label(by, cls, lang))
        left += np.nan_to_num(share)
    ax.set_yticks(positions, [group_label(v, lang) for v in mix.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(
        label("attribute_mix_title", lang).format(
            by=column_label(by, lang), attribute=column_label(attribute, lang)
        )
    )
    return ax
