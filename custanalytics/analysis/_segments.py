"""The behavioural-segments section: clusters chosen, profiled, named and cross-tabulated."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from ..errors import CustAnalyticsError, ParameterError
from ..segment import CustomerSegmenter
from ._context import AnalysisContext, SectionOutput
from ._records import Note, Unavailable, record

__all__ = ["CROSSTAB_COLUMNS", "SegmentsRecord", "segments_section"]

#: Categorical columns of the customer table cross-tabulated with the segments by default,
#: when present (grades and RFM segments once their sections exist).
CROSSTAB_COLUMNS = ("grade", "rfm_segment", "value_cell", "lifecycle_stage")
#: Buyers below which the section does not segment.
MIN_BUYERS = 20
#: Customers drawn for the 2-D projection chart.
PROJECTION_SAMPLE = 2_000


@record
@dataclasses.dataclass(frozen=True)
class SegmentsRecord:
    """Behavioural segments: how many and why, their profiles, names, stability, cross-tabs.

    Attributes
    ----------
    k : int
        Number of segments.
    model : str
        ``kmeans``, ``minibatch_kmeans`` or ``gmm``.
    selection : str
        How k was chosen: ``silhouette``, ``bic`` or ``fixed``.
    k_range : list of int
        The range k was chosen in.
    sample_size : int
        Customers the candidate k were scored on.
    customers : int
        Customers segmented (buyers; prospects are not).
    settings : dict
        The ``segments:`` parameters.
    features : list of str
        Features used, in order.
    dropped_features : dict
        Default features left out → reason (``missing``, ``no_values``, ``constant``,
        ``incomplete``).
    k_curve : pandas.DataFrame
        Per candidate k (column ``k``): ``silhouette``, ``inertia`` or ``bic``, ``chosen``.
    profiles : pandas.DataFrame
        Per segment (index ``cluster``, 1 = most valuable): ``name``, ``customers``,
        ``customer_share``, ``revenue``, ``revenue_share``, ``median_<feature>``.
    profile_z : pandas.DataFrame
        Per segment and profile feature: difference from the whole base in standard
        deviations (of the log feature).
    profile_ratio : pandas.DataFrame
        Per segment and profile feature: segment median / base median.
    centroids : pandas.DataFrame
        Per segment: ``name`` and mean (log) profile features; the next run matches them.
    inherited : dict
        Segment number (text) → name kept from ``segments.previous_result``.
    stability : dict
        ``mean_ari``, ``min_ari``, ``refits``.
    projection : pandas.DataFrame
        ``pc1``, ``pc2``, ``cluster`` for a sample of buyers.
    explained_variance : list of float
        Variance share of the two components.
    crosstabs : dict
        Column → table of customers per segment (rows) and value of the column.
    notes : list of Note
        Low stability, names matched to a previous run.
    """

    k: int
    model: str
    selection: str
    k_range: list[int]
    sample_size: int
    customers: int
    settings: dict[str, Any]
    features: list[str]
    dropped_features: dict[str, str]
    k_curve: pd.DataFrame
    profiles: pd.DataFrame
    profile_z: pd.DataFrame
    profile_ratio: pd.DataFrame
    centroids: pd.DataFrame
    inherited: dict[str, str]
    stability: dict[str, float]
    projection: pd.DataFrame
    explained_variance: list[float]
    crosstabs: dict[str, pd.DataFrame]
    notes: list[Note]

    def metrics(self) -> dict[str, Any]:
        """Figures for ``metrics.json``."""
        return {
            "segments_k": self.k,
            "segments": self.profiles.set_index("name")["customers"].to_dict(),
            "segments_stability": self.stability["mean_ari"],
        }


def segments_section(ctx: AnalysisContext) -> SectionOutput:
    """Cluster the buyers into behavioural segments and profile them.

    Parameters
    ----------
    ctx : AnalysisContext
        The run (after the CLV, value-matrix and lifecycle sections, whose columns it
        reads and cross-tabulates).

    Returns
    -------
    SectionOutput
        A :class:`SegmentsRecord` and the columns ``cluster`` and ``cluster_name``;
        ``Unavailable`` with too few buyers.

    Raises
    ------
    ParameterError
        For a feature or attribute name the customer table does not have.
    """
    settings = ctx.params.segments
    table = ctx.customers
    buyers = int((table["orders"] > 0).sum())
    k_low = settings.k if settings.k is not None else settings.k_range[0]
    needed = max(MIN_BUYERS, k_low + 1)
    if buyers < needed:
        return SectionOutput(
            Unavailable("segments_too_few_customers", {"customers": buyers, "needed": needed})
        )
    notes: list[Note] = []
    previous = _previous_centroids(settings.previous_result, notes)
    segmenter = CustomerSegmenter(
        k=settings.k,
        k_range=tuple(settings.k_range),
        model=settings.model,
        features=settings.features,
        attributes=settings.attributes,
        transform=settings.transform,
        sample_size=settings.sample_size,
        minibatch_above=settings.minibatch_above,
        stability_refits=settings.stability_refits,
        random_state=settings.random_state,
    ).fit(table, previous=previous)
    numbers = segmenter.labels_
    names = numbers.map(segmenter.names_).astype("str")  # NaN for prospects
    columns = pd.DataFrame({"cluster": numbers, "cluster_name": names}, index=table.index)
    stability = segmenter.stability_
    if stability["refits"] and stability["mean_ari"] < settings.stability_warning:
        notes.append(
            Note(
                "segments_low_stability",
                {"mean_ari": stability["mean_ari"], "threshold": settings.stability_warning},
            )
        )
    if previous is not None:
        notes.append(
            Note("segments_matched", {"matched": len(segmenter.inherited_), "k": segmenter.k_})
        )
    projection = segmenter.projection(table, sample=PROJECTION_SAMPLE)
    record_ = SegmentsRecord(
        k=segmenter.k_,
        model=segmenter.model_kind_,
        selection=segmenter.selection_,
        k_range=[settings.k, settings.k] if settings.k else list(settings.k_range),
        sample_size=min(settings.sample_size, buyers),
        customers=buyers,
        settings=dataclasses.asdict(settings),
        features=list(segmenter.feature_names_in_),
        dropped_features=dict(segmenter.dropped_features_),
        k_curve=segmenter.k_curve_.reset_index(),
        profiles=segmenter.profiles_,
        profile_z=segmenter.profile_z_,
        profile_ratio=segmenter.profile_ratio_,
        centroids=segmenter.centroids_,
        inherited={str(c): n for c, n in segmenter.inherited_.items()},
        stability=dict(stability),
        projection=projection.reset_index(drop=True),
        explained_variance=list(projection.attrs["explained_variance"]),
        crosstabs=_crosstabs(table, numbers, settings.crosstabs),
        notes=notes,
    )
    return SectionOutput(record_, columns)


def _previous_centroids(path: str | None, notes: list[Note]) -> pd.DataFrame | None:
    """Return the segment centroids of a saved result, or None (noted if unreadable)."""
    if not path:
        return None
    from ._result import TieringResult

    try:
        previous = TieringResult.load(path)
    except (CustAnalyticsError, OSError, ValueError):
        previous = None
    if previous is None or not previous.available("segments"):
        notes.append(Note("segments_previous_unavailable", {"path": str(path)}))
        return None
    return previous.section("segments").centroids


def _crosstabs(
    table: pd.DataFrame, numbers: pd.Series, columns: list[str] | None
) -> dict[str, pd.DataFrame]:
    """Count customers per segment and value of each categorical column."""
    wanted = list(columns) if columns is not None else list(CROSSTAB_COLUMNS)
    out = {}
    buyers = numbers.notna()
    for column in wanted:
        if column not in table.columns:
            if columns is not None:
                raise ParameterError(
                    f"segments.crosstabs: no column {column!r} in the customer table; "
                    f"columns: {', '.join(map(str, table.columns))}"
                )
            continue
        values = table.loc[buyers, column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.cat.remove_unused_categories()
        cross = pd.crosstab(numbers[buyers].astype("int64"), values.astype("object"))
        cross.index.name = "cluster"
        cross.columns = [str(c) for c in cross.columns]
        if isinstance(table[column].dtype, pd.CategoricalDtype):
            order = [str(c) for c in table[column].cat.categories if str(c) in cross.columns]
            cross = cross[order]
        out[str(column)] = cross.astype("int64")
    return out
