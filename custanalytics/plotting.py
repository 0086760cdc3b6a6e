"""Charts: ``plot_*(data, *, ax=None, lang=...) -> Axes``, and the CJK font set-up.

Nothing here changes matplotlib's global state on import. :func:`use_report_style` does, on
purpose, when a report notebook calls it.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ._currency import money_text, money_title
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
    "plot_grade_distribution",
    "plot_lifecycle_stages",
    "plot_lorenz",
    "plot_probability_alive_matrix",
    "plot_rfm_grid",
    "plot_segment_k_curve",
    "plot_segment_profiles",
    "plot_segment_projection",
    "plot_segment_shares",
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
    boundaries: Mapping[str, float] | None = None,
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
    boundaries : mapping, optional
        Class boundaries as cumulative revenue shares, e.g. ``{"A": 0.8, "B": 0.95}``: each
        is drawn, with the customer share where it is reached, instead of the 80 % line.

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
    if boundaries is None:
        boundaries = {label("lorenz_80", lang): 0.8}
    for name, share in boundaries.items():
        reach = curve.loc[curve["revenue_share"] >= share, "customer_share"]
        if reach.empty:
            continue
        x = float(reach.iloc[0])
        ax.axhline(share, color="#c0392b", lw=0.8, ls=":")
        ax.axvline(x, color="#c0392b", lw=0.8, ls=":")
        ax.annotate(
            f"{name}: {x:.1%}",
            (x, share),
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


def plot_clv_distribution(
    clv: pd.Series, *, ax: Axes | None = None, lang: str = "en", currency: str | None = None
) -> Axes:
    """Histogram of customer lifetime value (log-scaled counts), with mean and median.

    Parameters
    ----------
    clv : pandas.Series
        CLV per customer; missing values (prospects) are left out, and the top 1 % is
        counted in a note rather than drawn (it would squash the other bars).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.
    currency : str, optional
        Currency shown on the value axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.0))
    values = clv.to_numpy(dtype="float64")
    values = values[~np.isnan(values)]
    upper = np.quantile(values, 0.99) if len(values) else 0.0
    shown = values[values <= upper]
    ax.hist(shown, bins=50, color="#1f5f99", alpha=0.85)
    ax.set_yscale("log")
    for stat, style in ((np.mean(values), "--"), (np.median(values), ":")):
        ax.axvline(stat, color="#c0392b", ls=style)
    beyond = len(values) - len(shown)
    if beyond:  # the top 1 % would squash the rest into a few bars
        ax.annotate(
            label("clv_beyond", lang).format(customers=beyond, value=money_text(upper, currency)),
            (0.98, 0.75),
            xycoords="axes fraction",
            ha="right",
            fontsize=8,
            color="#555555",
        )
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(money_title(label("clv_axis", lang), currency))
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


def plot_rfm_grid(grid: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Heat map of buyers per R x F cell, each cell annotated with its segment and count.

    Parameters
    ----------
    grid : pandas.DataFrame
        Output of :func:`custanalytics.rfm_grid`: ``r_score``, ``f_score``,
        ``customers``, ``customer_share``, ``rfm_segment``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (R from high at the top to low, F from low to high).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 6.0))
    share = grid.pivot(index="r_score", columns="f_score", values="customer_share")
    share = share.sort_index(ascending=False).sort_index(axis=1)
    image = ax.imshow(share.to_numpy(), cmap="Blues", aspect="auto", vmin=0)
    ax.figure.colorbar(
        image, ax=ax, label=label("customer_share", lang), format=PercentFormatter(1)
    )
    rows = {r: i for i, r in enumerate(share.index)}
    columns = {f: j for j, f in enumerate(share.columns)}
    high = np.nanmax(share.to_numpy()) if len(share) else 0
    for cell in grid.itertuples(index=False):  # one text per cell, not per customer
        ax.text(
            columns[cell.f_score],
            rows[cell.r_score],
            f"{_name(str(cell.rfm_segment), lang)}\n{cell.customers:,}",
            ha="center",
            va="center",
            fontsize=7,
            color="white" if cell.customer_share > 0.6 * high else "black",
        )
    ax.set_xticks(range(len(columns)), list(share.columns))
    ax.set_yticks(range(len(rows)), list(share.index))
    ax.set_xlabel(label("f_score", lang))
    ax.set_ylabel(label("r_score", lang))
    ax.set_title(label("rfm_grid_title", lang))
    return ax


def _name(key: str, lang: str) -> str:
    """Return the label of a segment key; a custom map's own names are shown as they are."""
    return label(key, lang) if has_label(key) else key


def plot_grade_distribution(
    summary: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Bars of customer share next to revenue share per grade, best grade first.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`custanalytics.tier_summary` (its ``total`` row is left out):
        ``customer_share`` and ``revenue_share`` per grade.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.
    lang : {"en", "zh"}
        Language of the labels.
    names : mapping, optional
        Display name per grade key, e.g. ``grade_levels(scheme)[lang]``; default the keys.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.0))
    table = summary.drop(index="total", errors="ignore")
    x = np.arange(len(table))
    width = 0.4
    for offset, column, color in (
        (-width / 2, "customer_share", "#7f8c8d"),
        (width / 2, "revenue_share", "#1f5f99"),
    ):
        ax.bar(x + offset, table[column], width, color=color, label=label(column, lang))
    names = {} if names is None else names
    ax.set_xticks(x, [str(names.get(key, key)) for key in table.index])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(label("share", lang))
    ax.set_xlabel(label("grade", lang))
    ax.set_title(label("grade_distribution", lang))
    ax.legend(frameon=False)
    return ax


def _segment_names(profiles: pd.DataFrame, lang: str) -> list[str]:
    from .segment import segment_label

    pairs = zip(profiles.index, profiles["name"], strict=True)
    return [f"{c} {segment_label(n, lang)}" for c, n in pairs]


def plot_segment_k_curve(
    k_curve: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Line chart of the silhouette score (and inertia or BIC) per candidate number of segments.

    Parameters
    ----------
    k_curve : pandas.DataFrame
        ``SegmentsRecord.k_curve``: ``k``, ``silhouette``, ``inertia`` or ``bic``, ``chosen``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    lang : {"en", "zh"}
        Language of the labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on (the silhouette's).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.0))
    ks = k_curve["k"].to_numpy()
    ax.plot(
        ks,
        k_curve["silhouette"],
        marker="o",
        color="#1f5f99",
        label=label("segments_silhouette", lang),
    )
    chosen = k_curve[k_curve["chosen"]]
    ax.scatter(
        chosen["k"],
        chosen["silhouette"],
        s=160,
        facecolors="none",
        edgecolors="#c0392b",
        lw=2,
        zorder=3,
        label=label("segments_chosen", lang),
    )
    ax.set_xticks(ks)
    ax.set_xlabel(label("segments_k_axis", lang))
    ax.set_ylabel(label("segments_silhouette", lang))
    other = (
        "bic" if "bic" in k_curve.columns else "inertia" if "inertia" in k_curve.columns else None
    )
    if other is not None:
        twin = ax.twinx()
        twin.plot(
            ks,
            k_curve[other],
            marker="s",
            ls="--",
            color="#e08e0b",
            label=label(f"segments_{other}", lang),
        )
        twin.set_ylabel(label(f"segments_{other}", lang))
        twin.spines["right"].set_visible(True)
        lines = ax.get_legend_handles_labels()
        more = twin.get_legend_handles_labels()
        ax.legend(lines[0] + more[0], lines[1] + more[1], frameon=False, loc="best")
    else:
        ax.legend(frameon=False)
    ax.set_title(label("segments_k_curve", lang))
    return ax


def plot_segment_profiles(
    profile_z: pd.DataFrame, profiles: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Heat map of each segment's difference from the whole base, feature by feature.

    Parameters
    ----------
    profile_z : pandas.DataFrame
        ``SegmentsRecord.profile_z``: segments (rows) x profile features, in standard
        deviations of the base.
    profiles : pandas.DataFrame
        ``SegmentsRecord.profiles`` (its ``name`` column labels the rows).
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
        _, ax = plt.subplots(
            figsize=(max(6.5, 1.3 * profile_z.shape[1] + 3), 0.55 * len(profile_z) + 2)
        )
    values = profile_z.to_numpy(dtype="float64")
    limit = max(1.0, float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0)
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(
                j,
                i,
                f"{v:+.1f}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if abs(v) > 0.6 * limit else "black",
            )
    ax.set_xticks(
        range(profile_z.shape[1]),
        [label(f"segment_feature_{c}", lang) for c in profile_z.columns],
        rotation=30,
        ha="right",
    )
    ax.set_yticks(range(len(profile_z)), _segment_names(profiles.loc[profile_z.index], lang))
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    ax.set_title(label("segments_profile_heatmap", lang))
    return ax


def plot_segment_shares(
    profiles: pd.DataFrame, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Horizontal bars of each segment's share of customers next to its share of revenue.

    Parameters
    ----------
    profiles : pandas.DataFrame
        ``SegmentsRecord.profiles``: ``name``, ``customer_share`` (and ``revenue_share``).
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
        _, ax = plt.subplots(figsize=(7.5, 0.5 * len(profiles) + 1.8))
    positions = np.arange(len(profiles))
    columns = [c for c in ("customer_share", "revenue_share") if c in profiles.columns]
    height = 0.8 / len(columns)
    for i, (column, color) in enumerate(zip(columns, ("#1f5f99", "#e08e0b"), strict=False)):
        ax.barh(
            positions + (i - (len(columns) - 1) / 2) * height,
            profiles[column],
            height,
            color=color,
            label=label(column, lang),
        )
    ax.set_yticks(positions, _segment_names(profiles, lang))
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(label("share", lang))
    ax.set_title(label("segments_shares", lang))
    ax.legend(frameon=False, loc="lower right")
    return ax


def plot_segment_projection(
    projection: pd.DataFrame,
    profiles: pd.DataFrame,
    *,
    explained_variance: tuple[float, float] = (float("nan"), float("nan")),
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Scatter of (a sample of) the customers on the first two principal components.

    Parameters
    ----------
    projection : pandas.DataFrame
        ``SegmentsRecord.projection``: ``pc1``, ``pc2``, ``cluster``.
    profiles : pandas.DataFrame
        ``SegmentsRecord.profiles`` (legend names).
    explained_variance : tuple of float
        Variance share of each component, shown in the axis labels.
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
        _, ax = plt.subplots(figsize=(7.5, 5.5))
    names = dict(zip(profiles.index, _segment_names(profiles, lang), strict=True))
    colors = plt.get_cmap("tab10")
    for i, number in enumerate(profiles.index):
        points = projection[projection["cluster"] == number]
        ax.scatter(
            points["pc1"], points["pc2"], s=8, alpha=0.6, color=colors(i % 10), label=names[number]
        )
    for axis, n in ((ax.set_xlabel, 1), (ax.set_ylabel, 2)):
        axis(label("segments_pc", lang).format(n=n, share=explained_variance[n - 1]))
    ax.set_title(label("segments_projection", lang))
    ax.legend(frameon=False, fontsize=8, markerscale=2, loc="best")
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
    currency: str | None = None,
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
    currency : str, optional
        Currency shown on the colour scale.

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
        colorbar_label=money_title(label("revenue_per_customer", lang), currency),
    )


def _cohort_heatmap(table, *, small, ax, lang, text, cmap, title_key, colorbar_label=None) -> Axes:
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
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02, label=colorbar_label)
    if colorbar_label is None:  # shares
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
    if column == "cluster_name":
        from .segment import segment_label

        return segment_label(value, lang)
    prefix = "stage_" if column == "lifecycle_stage" else f"{column}_"
    for key in (prefix + str(value), str(value)):
        if has_label(key):
            return label(key, lang)
    return str(value)


def group_label(value: str, lang: str = "en", attribute: str | None = None) -> str:
    """Return the display name of an attribute value (the data's own, or unknown / other).

    Parameters
    ----------
    value : str
        The attribute value (group).
    lang : {"en", "zh"}
        Language.
    attribute : str, optional
        The attribute; a derived one's codes have labels ``<attribute>_<value>``
        (``price_sensitivity_high``).

    Returns
    -------
    str
        The value, its label, or the label of the unknown / other group.
    """
    from .attributes import OTHER, UNKNOWN

    codes = {UNKNOWN: "attribute_unknown", OTHER: "attribute_other"}
    if value in codes:
        return label(codes[value], lang)
    if attribute is not None and has_label(f"{attribute}_{value}"):
        return label(f"{attribute}_{value}", lang)
    return str(value)


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
    ax.set_yticks(positions, [group_label(v, lang, attribute) for v in mix.index])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(
        label("attribute_mix_title", lang).format(
            by=column_label(by, lang), attribute=column_label(attribute, lang)
        )
    )
    return ax
