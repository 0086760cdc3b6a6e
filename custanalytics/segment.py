"""Behavioural segments: clustering of the per-customer table, profiled, named and stable.

:class:`CustomerSegmenter` turns the customer table (one row per customer, durations in the
table's time unit) into behavioural clusters:

1. **features** (buyers only; prospects get no cluster): ``days_since_purchase`` (as-of minus
   the latest purchase), ``orders``, ``revenue``, ``avg_order_value``, ``tenure_days`` (as-of
   minus the first purchase), and ``clv`` / ``p_alive`` when the table has them
   (:data:`DEFAULT_FEATURES`); optional master attributes, numeric or categorical (one-hot);
2. **transform**: heavy tails tamed by a signed ``log1p`` (or a quantile transform to normal
   scores), then standardised, in a scikit-learn ``ColumnTransformer``;
3. **model**: ``KMeans`` (``MiniBatchKMeans`` above ``minibatch_above`` customers) or a
   ``GaussianMixture``; k chosen in ``k_range`` by the silhouette (BIC for mixtures) on a
   fixed-size sample, the curve kept, or fixed;
4. **order, profiles and names**: clusters numbered by value (mean log revenue, highest first),
   profiled (size, customer and revenue share, medians, ratio and z-score against the whole
   base) and named by codes built from the profile (``high_value_loyal``,
   ``low_value_dormant`` ...), translated by :func:`segment_label`; names follow a previous
   run's clusters when its centroids are given, so a segment keeps its name month to month;
5. **stability**: adjusted Rand index of refits on bootstrap samples with other seeds.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, NotFittedError, ParameterError
from .i18n import label

__all__ = [
    "DEFAULT_FEATURES",
    "FEATURES",
    "CustomerSegmenter",
    "segment_label",
]

#: Features the segmenter can derive from the customer table: name → source column.
FEATURES: dict[str, str] = {
    "days_since_purchase": "T",  # T - recency: days from the latest purchase to as-of
    "orders": "orders",
    "frequency": "frequency",
    "revenue": "revenue",
    "avg_order_value": "avg_order_value",
    "monetary_value": "monetary_value",
    "tenure_days": "T",
    "clv": "clv",
    "p_alive": "p_alive",
    "expected_purchases": "expected_purchases",
}
#: The default feature set; ``clv`` and ``p_alive`` join it when the table has them.
DEFAULT_FEATURES = ("days_since_purchase", "orders", "revenue", "avg_order_value", "tenure_days")
OPTIONAL_FEATURES = ("clv", "p_alive")
#: Features already on a bounded scale (no log transform).
BOUNDED_FEATURES = frozenset({"p_alive"})
#: Columns every profile describes (when the table has them with values).
PROFILE_FEATURES = (
    "revenue",
    "orders",
    "avg_order_value",
    "days_since_purchase",
    "tenure_days",
    "clv",
    "p_alive",
)
MODELS = ("kmeans", "gmm")
TRANSFORMS = ("log", "quantile")
#: z-score (in standard deviations of the base) beyond which a profile is high / low.
NAME_THRESHOLD = 0.5
#: Days-since-purchase z-scores beyond which a cluster is lapsing / dormant ...
LAPSING_Z, DORMANT_Z = 0.5, 1.0
#: ... or its median days since purchase over its usual gap between purchases (so that a
#: base where most customers are long gone still calls them dormant).
LAPSING_OVERDUE, DORMANT_OVERDUE = 2.0, 4.0
#: Largest RMS distance (base standard deviations) at which a cluster inherits a previous name.
MATCH_DISTANCE = 1.0
#: k with a silhouette this close to the best one count as equally good (the smallest wins).
SILHOUETTE_TOLERANCE = 0.01
#: Customers per silhouette evaluation (silhouette costs n² distances).
SILHOUETTE_SAMPLE = 4_000
VALUE_LEVELS = ("high", "mid", "low")
BEHAVIOURS = ("loyal", "steady", "new", "occasional", "lapsing", "dormant")
_NAME = re.compile(r"^(high|mid|low)_value_([a-z]+)(?:_(\d+))?$")

SEGMENT_DAYS = {"D": 1.0, "W": 7.0, "M": 30.4375, "Y": 365.25}


def signed_log1p(x):
    """``sign(x) * log1p(|x|)``: tames heavy tails and keeps zero and negative values."""
    x = np.asarray(x, dtype="float64")
    return np.sign(x) * np.log1p(np.abs(x))


def segment_label(code: str, lang: str = "en") -> str:
    """Return the readable name of a segment code in ``lang``.

    Parameters
    ----------
    code : str
        A segment name code, e.g. ``high_value_loyal`` or ``low_value_dormant_2``.
    lang : {"en", "zh"}
        Language.

    Returns
    -------
    str
        E.g. "High-value loyal" / "高价值忠诚客户"; a numbered code gets its number.
    """
    match = _NAME.match(str(code))
    if match is None:
        raise KeyError(f"{code!r} is not a segment name code (e.g. high_value_loyal)")
    value, behaviour, number = match.groups()
    text = label("segment_name", lang).format(
        value=label(f"segment_value_{value}", lang),
        behaviour=label(f"segment_behaviour_{behaviour}", lang),
    )
    return (
        text
        if number is None
        else label("segment_name_numbered", lang).format(name=text, number=number)
    )


def _rhythm(
    table: pd.DataFrame, orders: pd.Series, labels: pd.Series, numbers: pd.Index
) -> tuple[pd.Series, pd.Series]:
    """Per cluster: the usual gap between purchases (days) and how overdue the cluster is.

    The gap is the median of the repeat buyers' mean gaps ((tenure - days since the latest
    purchase) / (orders - 1)) in clusters of mostly repeat buyers, else the whole base's; the
    overdue ratio is the cluster's median days since purchase over that gap.
    """
    repeat = orders > 1
    gaps = (table["tenure_days"] - table["days_since_purchase"]) / (orders - 1)
    gaps = gaps.where(repeat)
    base_gap = gaps.median()
    own = gaps.groupby(labels).median().reindex(numbers)
    mostly_repeat = repeat.groupby(labels).mean().reindex(numbers) >= 0.5
    gap = own.where(mostly_repeat & own.gt(0), base_gap)
    since = table["days_since_purchase"].groupby(labels).median().reindex(numbers)
    return gap, since / gap.where(gap > 0)


def _name_code(z: Mapping[str, float], overdue: float = float("nan")) -> str:
    """Return the name code of a cluster from its profile z-scores and overdue ratio."""

    def get(key: str) -> float:
        value = z.get(key, np.nan)
        return 0.0 if value is None or not np.isfinite(value) else float(value)

    value_z = get("revenue") if "revenue" in z and np.isfinite(z["revenue"]) else get("orders")
    level = "high" if value_z > NAME_THRESHOLD else "low" if value_z < -NAME_THRESHOLD else "mid"
    recency, orders, tenure = get("days_since_purchase"), get("orders"), get("tenure_days")
    overdue = float(overdue) if overdue is not None and np.isfinite(overdue) else 0.0
    if recency > DORMANT_Z or overdue > DORMANT_OVERDUE:
        behaviour = "dormant"
    elif recency > LAPSING_Z or overdue > LAPSING_OVERDUE:
        behaviour = "lapsing"
    elif tenure < -NAME_THRESHOLD and orders <= NAME_THRESHOLD:
        behaviour = "new"
    elif orders > NAME_THRESHOLD:
        behaviour = "loyal"
    elif orders < -NAME_THRESHOLD:
        behaviour = "occasional"
    else:
        behaviour = "steady"
    return f"{level}_value_{behaviour}"


def _unique(names: Sequence[str], fixed: Sequence[bool]) -> list[str]:
    """Make repeated codes unique (``_2``, ``_3`` in cluster order); inherited names stay."""
    taken = {n for n, f in zip(names, fixed, strict=True) if f}
    out = []
    for name, keep in zip(names, fixed, strict=True):
        candidate, number = name, 1
        while not keep and candidate in taken:
            number += 1
            candidate = f"{name}_{number}"
        taken.add(candidate)
        out.append(candidate)
    return out


class CustomerSegmenter:
    """Behavioural clusters of customers: features, scaling, model, k, profiles and names.

    Parameters
    ----------
    k : int, optional
        Fixed number of clusters; by default k is chosen in ``k_range``.
    k_range : tuple of int
        Smallest and largest k tried (inclusive) when ``k`` is not given; the smallest k
        whose silhouette is within 0.01 of the best is chosen (BIC minimum for mixtures).
    model : {"kmeans", "gmm"}
        K-means (mini-batch above ``minibatch_above`` customers) or a Gaussian mixture
        (k chosen by BIC).
    features : sequence of str, optional
        Features from :data:`FEATURES`; by default :data:`DEFAULT_FEATURES` plus ``clv`` and
        ``p_alive`` when the table has them (a default feature that is missing, constant or
        incomplete is left out and reported in ``dropped_features_``; a requested one is an
        error).
    attributes : sequence of str
        Customer-master columns added as features: numeric ones as they are (log-scaled),
        others one-hot encoded (missing values are their own category).
    transform : {"log", "quantile"}
        Heavy-tail treatment before scaling: signed ``log1p``, or a quantile transform to
        normal scores.
    sample_size : int
        Customers on which the candidate k are fitted and scored (fixed size, so choosing k
        costs the same for any base).
    minibatch_above : int
        K-means becomes mini-batch k-means for more customers than this (a mixture is then
        fitted on a sample of this many customers and predicts the others).
    n_init : int
        Initialisations of each candidate fit on the sample.
    stability_refits : int
        Refits on bootstrap samples with other seeds for the stability check (0 = none).
    n_threads : int or None
        OpenMP / BLAS threads while fitting and predicting (None: the libraries' default).
        One thread is fastest on a shared machine: k-means on small samples spends more
        time starting threads than computing.
    random_state : int
        Seed of every random choice (samples, initialisations).

    Attributes
    ----------
    feature_names_in_ : list of str
        Features used, in order (attribute columns last).
    dropped_features_ : dict
        Default features left out → reason (``missing``: no such column, ``no_values``,
        ``constant``, ``incomplete``).
    time_unit_ : str
        Time unit of the table fitted on (its ``attrs["time_unit"]``, days by default).
    k_ : int
        Number of clusters.
    k_curve_ : pandas.DataFrame
        Per candidate k: ``silhouette`` (and ``inertia`` or ``bic``), ``chosen``.
    selection_ : str
        How k was chosen: ``silhouette``, ``bic`` or ``fixed``.
    model_kind_ : str
        ``kmeans``, ``minibatch_kmeans`` or ``gmm``.
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted ``features`` (ColumnTransformer) and ``model`` steps.
    labels_ : pandas.Series
        Cluster number (1 = most valuable) per customer of the table fitted on; NA for
        prospects.
    names_ : dict
        Cluster number → name code.
    profiles_ : pandas.DataFrame
        Per cluster: ``name``, ``customers``, ``customer_share``, ``revenue``,
        ``revenue_share`` and ``median_<feature>``.
    profile_z_ : pandas.DataFrame
        Per cluster and profile feature: mean of the (log) feature minus the base mean, in
        base standard deviations.
    profile_ratio_ : pandas.DataFrame
        Per cluster and profile feature: cluster median / base median.
    centroids_ : pandas.DataFrame
        Per cluster: ``name`` and the mean (log) profile features; pass it as ``previous``
        to the next run's :meth:`fit` so that clusters keep their names.
    inherited_ : dict
        Cluster number → name taken from ``previous`` (matched clusters only).
    stability_ : dict
        ``mean_ari``, ``min_ari`` and ``refits``.
    """

    def __init__(
        self,
        k: int | None = None,
        k_range: tuple[int, int] = (3, 8),
        model: str = "kmeans",
        features: Sequence[str] | None = None,
        attributes: Sequence[str] = (),
        transform: str = "log",
        sample_size: int = 10_000,
        minibatch_above: int = 100_000,
        n_init: int = 4,
        stability_refits: int = 5,
        n_threads: int | None = 1,
        random_state: int = 0,
    ):
        self.k = k
        self.k_range = k_range
        self.model = model
        self.features = features
        self.attributes = attributes
        self.transform = transform
        self.sample_size = sample_size
        self.minibatch_above = minibatch_above
        self.n_init = n_init
        self.stability_refits = stability_refits
        self.n_threads = n_threads
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the settings (scikit-learn's estimator protocol).

        Parameters
        ----------
        deep : bool
            Ignored (no nested estimators).

        Returns
        -------
        dict
            Setting name → value.
        """
        names = (
            "k",
            "k_range",
            "model",
            "features",
            "attributes",
            "transform",
            "sample_size",
            "minibatch_above",
            "n_init",
            "stability_refits",
            "n_threads",
            "random_state",
        )
        return {n: getattr(self, n) for n in names}

    def set_params(self, **params: Any) -> CustomerSegmenter:
        """Change settings (scikit-learn's estimator protocol).

        Parameters
        ----------
        **params
            Setting name → new value.

        Returns
        -------
        CustomerSegmenter
            ``self``.
        """
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ParameterError(f"unknown setting {key!r}; settings: {', '.join(valid)}")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if v != _DEFAULTS[k]}
        return f"CustomerSegmenter({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    # ------------------------------------------------------------------ settings and features
    def _check_settings(self) -> tuple[int, int]:
        if self.model not in MODELS:
            raise ParameterError(
                f"segments.model must be one of {' | '.join(MODELS)}, got {self.model!r}"
            )
        if self.transform not in TRANSFORMS:
            raise ParameterError(
                f"segments.transform must be one of {' | '.join(TRANSFORMS)}, "
                f"got {self.transform!r}"
            )
        if self.k is not None:
            if isinstance(self.k, bool) or not isinstance(self.k, int | np.integer) or self.k < 2:
                raise ParameterError(
                    f"segments.k must be a whole number of clusters, at least 2, got {self.k!r}; "
                    "leave it out to choose k in segments.k_range"
                )
            return int(self.k), int(self.k)
        low, high = _k_range(self.k_range)
        return low, high

    def _feature_frame(self, customers: pd.DataFrame, *, fitting: bool) -> pd.DataFrame:
        """Buyers' feature table (columns in ``feature_names_in_`` order when predicting)."""
        if not isinstance(customers, pd.DataFrame):
            raise DataError(
                f"the segmenter reads a customer table (pandas DataFrame), got "
                f"{type(customers).__name__}"
            )
        if "orders" not in customers.columns:
            raise DataError(
                "the customer table has no 'orders' column: pass the output of "
                "custanalytics.summarize or TieringResult.customers"
            )
        if not customers.index.is_unique:
            dup = customers.index[customers.index.duplicated()][0]
            raise DataError(
                f"the customer table has repeated customer ids (e.g. {dup!r}); one row per "
                "customer is needed"
            )
        buyers = customers[customers["orders"] > 0]
        unit = customers.attrs.get("time_unit", "D") or "D"
        days = SEGMENT_DAYS.get(unit, 1.0)
        if fitting:
            self.time_unit_ = unit
        elif unit != self.time_unit_:
            raise DataError(
                f"the segmenter was fitted on a table with durations in {self.time_unit_!r} "
                f"and is given one in {unit!r}: summarise with time_unit="
                f"{self.time_unit_!r} (durations would otherwise mean other things)"
            )
        requested = list(self.features) if self.features is not None else None
        if fitting:
            names = requested or [
                *DEFAULT_FEATURES,
                *(f for f in OPTIONAL_FEATURES if f in customers.columns),
            ]
            unknown = [f for f in names if f not in FEATURES]
            if unknown:
                raise ParameterError(
                    f"unknown feature {unknown[0]!r} in segments.features; known features: "
                    f"{', '.join(FEATURES)} (master columns go in segments.attributes)"
                )
            if len(set(names)) != len(names):
                raise ParameterError(f"segments.features lists a feature twice: {names}")
            attributes = list(self.attributes)
            missing = [a for a in attributes if a not in customers.columns]
            if missing:
                raise ParameterError(
                    f"segments.attributes: no column {missing[0]!r} in the customer table; "
                    f"columns: {', '.join(map(str, customers.columns))}"
                )
        else:
            names = [f for f in self.feature_names_in_ if f in FEATURES]
            attributes = [f for f in self.feature_names_in_ if f not in FEATURES]
            needed = {FEATURES[f] for f in names} | set(attributes)
            if "days_since_purchase" in names:
                needed.add("recency")
            absent = sorted(str(c) for c in needed if c not in customers.columns)
            if absent:
                raise DataError(
                    f"the segmenter was fitted on features {self.feature_names_in_} and the "
                    f"table lacks column(s) {absent}: predict on a table with the same columns"
                )
        frame = {}
        dropped: dict[str, str] = {}
        for name in names:
            source = FEATURES[name]
            if source not in buyers.columns or (
                name == "days_since_purchase" and "recency" not in buyers.columns
            ):
                if requested is None and fitting:
                    dropped[name] = "missing"
                    continue
                raise ParameterError(
                    f"feature {name!r} (segments.features) needs column {source!r}, which the "
                    "customer table does not have; remove the feature or run the section "
                    "that adds the column"
                )
            values = buyers[source].astype("float64")
            if name == "days_since_purchase":
                values = (values - buyers["recency"].astype("float64")) * days
            elif name == "tenure_days":
                values = values * days
            frame[name] = values
        for name in attributes:
            frame[name] = buyers[name]
        features = pd.DataFrame(frame, index=buyers.index)
        if not fitting:
            numeric = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
            gaps = features[numeric].isna().sum()
            if gaps.any():
                name = gaps.index[gaps > 0][0]
                raise DataError(
                    f"feature {name!r} has no value for {int(gaps[name]):,} buyers (e.g. "
                    f"customer {features.index[features[name].isna()][0]!r}); the segmenter "
                    "needs every feature it was fitted on"
                )
        if fitting:
            features = self._drop_unusable(features, requested is None, dropped)
            self.dropped_features_ = dropped
        return features

    def _drop_unusable(
        self, features: pd.DataFrame, defaults: bool, dropped: dict[str, str]
    ) -> pd.DataFrame:
        """Leave out (defaults) or refuse (requested) constant and incomplete features."""
        keep = []
        for name in features.columns:
            values = features[name]
            categorical = name not in FEATURES and not pd.api.types.is_numeric_dtype(values)
            n_missing = 0 if categorical else int(values.isna().sum())
            if n_missing == len(values) and defaults and name in FEATURES:
                dropped[name] = "no_values"  # e.g. no amounts in the data: no revenue
                continue
            if n_missing:
                example = values.index[values.isna()][0]
                if defaults and name in FEATURES:
                    dropped[name] = "incomplete"
                    continue
                raise DataError(
                    f"feature {name!r} has no value for {n_missing:,} of {len(values):,} "
                    f"buyers (e.g. customer {example!r}); fill it in, or remove it from "
                    "segments.features / segments.attributes"
                )
            constant = (
                values.nunique(dropna=False) <= 1
                if categorical
                else bool(values.min() == values.max())
            )
            if constant and len(values) > 1:
                if defaults and name in FEATURES:
                    dropped[name] = "constant"
                    continue
                raise DataError(
                    f"feature {name!r} is constant ({values.iloc[0]!r} for every buyer) and "
                    "cannot separate customers; remove it from segments.features / "
                    "segments.attributes"
                )
            keep.append(name)
        if not keep:
            raise DataError(
                "no usable feature for segments: every candidate is missing, constant or "
                f"incomplete ({dropped}); choose segments.features"
            )
        return features[keep]

    def _preprocessor(self, features: pd.DataFrame):
        from sklearn.compose import ColumnTransformer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import (
            FunctionTransformer,
            OneHotEncoder,
            QuantileTransformer,
            StandardScaler,
        )

        categorical = [
            c
            for c in features.columns
            if c not in FEATURES and not pd.api.types.is_numeric_dtype(features[c])
        ]
        numeric = [c for c in features.columns if c not in categorical]
        skewed = [c for c in numeric if c not in BOUNDED_FEATURES]
        bounded = [c for c in numeric if c in BOUNDED_FEATURES]
        steps = []
        if self.transform == "quantile":
            quantiles = QuantileTransformer(
                n_quantiles=min(1000, len(features)),
                output_distribution="normal",
                subsample=100_000,
                random_state=self.random_state,
            )
            if numeric:
                steps.append(("numeric", make_pipeline(quantiles, StandardScaler()), numeric))
        else:
            log = FunctionTransformer(signed_log1p, feature_names_out="one-to-one")
            if skewed:
                steps.append(("log", make_pipeline(log, StandardScaler()), skewed))
            if bounded:
                steps.append(("bounded", StandardScaler(), bounded))
        if categorical:
            onehot = make_pipeline(
                FunctionTransformer(_as_text, feature_names_out="one-to-one"),
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            )
            steps.append(("attributes", onehot, categorical))
        return ColumnTransformer(steps, verbose_feature_names_out=False)

    def _make_model(self, k: int, kind: str, *, seed: int, init=None, n_init: int | None = None):
        from sklearn.cluster import KMeans, MiniBatchKMeans
        from sklearn.mixture import GaussianMixture

        n_init = n_init or self.n_init
        if kind == "gmm":
            return GaussianMixture(
                n_components=k,
                covariance_type="full",
                means_init=init,
                n_init=1 if init is not None else n_init,
                reg_covar=1e-4,
                random_state=seed,
            )
        if kind == "minibatch_kmeans":
            return MiniBatchKMeans(
                n_clusters=k,
                init="k-means++" if init is None else init,
                n_init=1 if init is not None else n_init,
                batch_size=4096,
                max_no_improvement=20,
                random_state=seed,
            )
        return KMeans(
            n_clusters=k,
            init="k-means++" if init is None else init,
            n_init=1 if init is not None else n_init,
            random_state=seed,
        )

    # ------------------------------------------------------------------ fit / predict
    def fit(
        self, customers: pd.DataFrame, y: Any = None, *, previous: pd.DataFrame | None = None
    ) -> CustomerSegmenter:
        """Choose k, fit the clusters, order, profile and name them.

        Parameters
        ----------
        customers : pandas.DataFrame
            The per-customer table (``summarize`` output or ``TieringResult.customers``),
            one row per customer; prospects (``orders == 0``) are left out.
        y : None
            Ignored (scikit-learn convention).
        previous : pandas.DataFrame, optional
            ``centroids_`` of an earlier fit (e.g. last month's saved result): clusters
            close to one of its clusters take its name.

        Returns
        -------
        CustomerSegmenter
            ``self``, fitted.

        Raises
        ------
        ParameterError
            For invalid settings or an unknown feature / attribute name.
        DataError
            With fewer buyers than clusters, or a requested feature that is constant or
            incomplete.
        """
        with _threads(self.n_threads):
            return self._fit(customers, previous)

    def _fit(self, customers: pd.DataFrame, previous: pd.DataFrame | None) -> CustomerSegmenter:
        from sklearn.pipeline import Pipeline

        k_low, k_high = self._check_settings()
        features = self._feature_frame(customers, fitting=True).sort_index(kind="stable")
        n = len(features)
        if n <= k_low:
            raise DataError(
                f"{n:,} customers with a purchase cannot form {k_low} clusters (at least "
                f"{k_low + 1} are needed); lower segments.k / segments.k_range or use more data"
            )
        k_high = min(k_high, n - 1)
        self.feature_names_in_ = list(features.columns)
        self.n_features_in_ = len(self.feature_names_in_)
        preprocessor = self._preprocessor(features)
        matrix = np.ascontiguousarray(preprocessor.fit_transform(features), dtype="float64")
        rng = np.random.default_rng(self.random_state)
        sample = np.sort(rng.choice(n, size=min(n, self.sample_size), replace=False))
        xs = matrix[sample]
        distinct = len(np.unique(xs, axis=0))
        if distinct < k_low:
            raise DataError(
                f"the buyers have only {distinct} distinct feature profiles, fewer than the "
                f"{k_low} segments asked for; lower segments.k / segments.k_range or add "
                "features (segments.features, segments.attributes)"
            )
        k_high = min(k_high, distinct)
        kind = "gmm" if self.model == "gmm" else "kmeans"
        rows, fits = [], {}
        silhouette = _Silhouette(xs, self.random_state)
        for k in range(k_low, k_high + 1):
            if k >= len(xs):  # a sample smaller than k (sample_size below k)
                raise DataError(
                    f"segments.sample_size ({len(xs):,}) must be larger than the number of "
                    f"segments tried ({k})"
                )
            model = self._make_model(k, kind, seed=self.random_state).fit(xs)
            labels = model.predict(xs)
            row = {"k": k, "silhouette": silhouette(labels)}
            if kind == "gmm":
                row["bic"] = float(model.bic(xs))
            else:
                row["inertia"] = float(model.inertia_) * n / len(xs)
            rows.append(row)
            fits[k] = model
        curve = pd.DataFrame(rows)
        if self.k is not None:
            chosen, self.selection_ = int(self.k), "fixed"
        elif kind == "gmm":
            chosen, self.selection_ = int(curve.loc[curve["bic"].idxmin(), "k"]), "bic"
        else:
            # the smallest k within a hair of the best score: fewer segments read better
            scores = curve["silhouette"].fillna(-np.inf)
            near = curve.loc[scores >= scores.max() - SILHOUETTE_TOLERANCE, "k"]
            chosen, self.selection_ = int(near.min()), "silhouette"
        curve["chosen"] = curve["k"] == chosen
        self.k_curve_ = curve.set_index("k")
        self.k_ = chosen
        self.model_kind_ = (
            "gmm" if kind == "gmm" else "minibatch_kmeans" if n > self.minibatch_above else "kmeans"
        )
        start = fits[chosen].means_ if kind == "gmm" else fits[chosen].cluster_centers_
        final = self._make_model(chosen, self.model_kind_, seed=self.random_state, init=start)
        if kind == "gmm" and n > self.minibatch_above:
            # EM on every customer costs minutes at 1M: fit on a large sample, predict all
            rows_ = np.sort(rng.choice(n, size=self.minibatch_above, replace=False))
            final.fit(matrix[rows_])
        else:
            final.fit(matrix)
        self.pipeline_ = Pipeline([("features", preprocessor), ("model", final)])
        raw = final.predict(matrix)
        self._order(features.index, raw, customers, chosen)
        labels = pd.Series(self.order_[raw], index=features.index)
        self.labels_ = labels.reindex(customers.index).astype("Int64")
        self._profile(customers, labels)
        self._name(previous)
        self.profiles_.insert(0, "name", pd.Series(self.names_))
        self.centroids_.insert(0, "name", pd.Series(self.names_))
        self.stability_ = self._stability(xs, final.predict(xs), chosen, kind)
        return self

    def fit_predict(
        self, customers: pd.DataFrame, y: Any = None, *, previous: pd.DataFrame | None = None
    ) -> pd.Series:
        """Fit and return the cluster number of every customer.

        Parameters
        ----------
        customers : pandas.DataFrame
            As for :meth:`fit`.
        y : None
            Ignored.
        previous : pandas.DataFrame, optional
            As for :meth:`fit`.

        Returns
        -------
        pandas.Series
            ``Int64`` cluster numbers (1 = most valuable) in the table's row order; NA for
            prospects.
        """
        return self.fit(customers, previous=previous).labels_.copy()

    def _check_fitted(self) -> None:
        if not hasattr(self, "pipeline_"):
            raise NotFittedError("this CustomerSegmenter is not fitted yet: call fit first")

    def feature_matrix(self, customers: pd.DataFrame) -> pd.DataFrame:
        """Return the buyers' scaled feature matrix (the space the clusters live in).

        Parameters
        ----------
        customers : pandas.DataFrame
            A customer table with the columns the segmenter was fitted on.

        Returns
        -------
        pandas.DataFrame
            One row per buyer, one column per scaled (or one-hot) feature.
        """
        self._check_fitted()
        features = self._feature_frame(customers, fitting=False)
        step = self.pipeline_.named_steps["features"]
        return pd.DataFrame(
            step.transform(features), index=features.index, columns=step.get_feature_names_out()
        )

    def predict(self, customers: pd.DataFrame) -> pd.Series:
        """Return the cluster number of every customer of a table.

        Parameters
        ----------
        customers : pandas.DataFrame
            A customer table with the columns (and time unit) the segmenter was fitted on.

        Returns
        -------
        pandas.Series
            ``Int64`` cluster numbers in the table's row order; NA for prospects.

        Raises
        ------
        NotFittedError
            Before :meth:`fit`.
        DataError
            If the table lacks a fitted feature's column or has another time unit.
        """
        self._check_fitted()
        features = self._feature_frame(customers, fitting=False)
        if len(features) == 0:
            return pd.Series(pd.NA, index=customers.index, dtype="Int64")
        with _threads(self.n_threads):
            raw = self.pipeline_.predict(features)
        labels = pd.Series(self.order_[raw], index=features.index)
        return labels.reindex(customers.index).astype("Int64")

    def predict_names(self, customers: pd.DataFrame) -> pd.Series:
        """Return the segment name code of every customer (NA for prospects).

        Parameters
        ----------
        customers : pandas.DataFrame
            As for :meth:`predict`.

        Returns
        -------
        pandas.Series
            Name codes (translate with :func:`segment_label`).
        """
        numbers = self.predict(customers)
        return numbers.map(self.names_).astype("str")

    # ------------------------------------------------------------------ profiles and names
    def _profile_table(self, customers: pd.DataFrame) -> pd.DataFrame:
        """Raw profile features of the buyers (days for durations)."""
        buyers = customers[customers["orders"] > 0]
        days = SEGMENT_DAYS.get(self.time_unit_, 1.0)
        table = {}
        for name in PROFILE_FEATURES:
            source = FEATURES[name]
            if source not in buyers.columns:
                continue
            values = buyers[source].astype("float64")
            if name == "days_since_purchase":
                if "recency" not in buyers.columns:
                    continue
                values = (values - buyers["recency"].astype("float64")) * days
            elif name == "tenure_days":
                values = values * days
            if values.notna().any():
                table[name] = values
        for name in self.feature_names_in_:
            if name not in table and name in FEATURES:
                table[name] = buyers[FEATURES[name]].astype("float64")
            elif name not in FEATURES and pd.api.types.is_numeric_dtype(buyers[name]):
                table[name] = buyers[name].astype("float64")
        return pd.DataFrame(table, index=buyers.index)

    def _order(self, index: pd.Index, raw: np.ndarray, customers: pd.DataFrame, k: int) -> None:
        """Give clusters numbers by value: mean log revenue (else orders), highest first."""
        buyers = customers.loc[index]
        value = buyers["revenue"] if "revenue" in buyers.columns else buyers["orders"]
        if value.isna().all():
            value = buyers["orders"]
        logged = pd.Series(signed_log1p(value.fillna(0)), index=index)
        means = logged.groupby(raw).mean().reindex(range(k)).fillna(-np.inf)
        sizes = pd.Series(raw).value_counts().reindex(range(k), fill_value=0)
        # highest value first, then larger clusters, then the model's own order (empty last)
        keys = sorted(range(k), key=lambda c: (-means[c], -sizes[c], c))
        order = np.empty(k, dtype="int64")
        for number, c in enumerate(keys, start=1):
            order[c] = number
        self.order_ = order

    def _profile(self, customers: pd.DataFrame, labels: pd.Series) -> None:
        table = self._profile_table(customers)
        labels = labels.reindex(table.index)
        numbers = pd.Index(range(1, self.k_ + 1), name="cluster")
        grouped = table.groupby(labels)
        sizes = labels.value_counts().reindex(numbers, fill_value=0)
        buyers = customers.loc[table.index]
        revenue = buyers["revenue"] if "revenue" in buyers.columns else None
        profiles = pd.DataFrame(index=numbers)
        profiles["customers"] = sizes.astype("int64")
        profiles["customer_share"] = sizes / max(len(labels), 1)
        if revenue is not None and revenue.notna().any():
            by_cluster = revenue.groupby(labels).sum().reindex(numbers, fill_value=0.0)
            total = revenue.sum()
            profiles["revenue"] = by_cluster
            profiles["revenue_share"] = by_cluster / total if total else np.nan
        medians = grouped.median().reindex(numbers)
        base_median = table.median()
        for name in table.columns:
            profiles[f"median_{name}"] = medians[name]
        transformed = table.apply(
            lambda s: s if s.name in BOUNDED_FEATURES else pd.Series(signed_log1p(s), s.index)
        )
        mean, sd = transformed.mean(), transformed.std(ddof=0).replace(0.0, np.nan)
        centroids = transformed.groupby(labels).mean().reindex(numbers)
        self.profile_z_ = ((centroids - mean) / sd).rename_axis("cluster")
        self.profile_ratio_ = (medians / base_median.replace(0.0, np.nan)).rename_axis("cluster")
        self.centroids_ = centroids.rename_axis("cluster")
        self.base_mean_, self.base_sd_ = mean, sd
        if {"days_since_purchase", "tenure_days"} <= set(table.columns):
            gap, overdue = _rhythm(table, buyers["orders"], labels, numbers)
            profiles["median_gap_days"] = gap
            profiles["overdue_ratio"] = overdue
        self.profiles_ = profiles

    def _name(self, previous: pd.DataFrame | None) -> None:
        numbers = list(self.profile_z_.index)
        overdue = self.profiles_.get("overdue_ratio", pd.Series(np.nan, index=numbers))
        codes = [_name_code(self.profile_z_.loc[c].to_dict(), overdue[c]) for c in numbers]
        fixed = [False] * len(numbers)
        self.inherited_: dict[int, str] = {}
        if previous is not None and len(previous):
            matched = self._match(previous)
            for i, c in enumerate(numbers):
                if c in matched:
                    codes[i], fixed[i] = matched[c], True
                    self.inherited_[c] = matched[c]
        self.names_ = dict(zip(numbers, _unique(codes, fixed), strict=True))

    def _match(self, previous: pd.DataFrame) -> dict[int, str]:
        """Pair clusters with a previous fit's (Hungarian, on the common profile features)."""
        from scipy.optimize import linear_sum_assignment

        if "name" not in previous.columns:
            raise DataError(
                "previous must be the centroids_ table of an earlier fit (a 'name' column "
                "and the mean profile features); got columns "
                f"{', '.join(map(str, previous.columns))}"
            )
        sd = self.base_sd_
        common = [c for c in self.centroids_.columns if c in previous.columns and c != "name"]
        if not common:
            return {}
        current = (self.centroids_[common] / sd[common]).to_numpy(dtype="float64")
        before = (previous[common].astype("float64") / sd[common]).to_numpy(dtype="float64")
        diff = current[:, None, :] - before[None, :, :]
        distance = np.sqrt(np.nanmean(diff**2, axis=2))
        distance = np.where(np.isfinite(distance), distance, 1e9)
        rows, cols = linear_sum_assignment(distance)
        names = list(previous["name"].astype(str))
        numbers = list(self.centroids_.index)
        return {
            numbers[r]: names[c]
            for r, c in zip(rows, cols, strict=True)
            if distance[r, c] <= MATCH_DISTANCE and _NAME.match(names[c])
        }

    def _stability(self, xs: np.ndarray, reference: np.ndarray, k: int, kind: str) -> dict:
        from sklearn.metrics import adjusted_rand_score

        scores = []
        for r in range(self.stability_refits):
            rng = np.random.default_rng(self.random_state + 1 + r)
            boot = xs[rng.integers(0, len(xs), size=len(xs))]
            model = self._make_model(k, kind, seed=self.random_state + 1 + r, n_init=1)
            labels = model.fit(boot).predict(xs)
            scores.append(adjusted_rand_score(reference, labels))
        return {
            "mean_ari": float(np.mean(scores)) if scores else float("nan"),
            "min_ari": float(np.min(scores)) if scores else float("nan"),
            "refits": len(scores),
        }

    def projection(self, customers: pd.DataFrame, *, sample: int = 2_000) -> pd.DataFrame:
        """Return a 2-D PCA projection of (a sample of) the buyers, with their clusters.

        Parameters
        ----------
        customers : pandas.DataFrame
            The table fitted on (or one like it).
        sample : int
            At most this many customers (drawn with ``random_state``).

        Returns
        -------
        pandas.DataFrame
            ``pc1``, ``pc2`` and ``cluster`` per sampled buyer (sorted by id); the explained
            variance ratios in ``attrs["explained_variance"]``.
        """
        from sklearn.decomposition import PCA

        matrix = self.feature_matrix(customers).sort_index(kind="stable")
        labels = self.predict(customers).loc[matrix.index]
        pca = PCA(n_components=min(2, matrix.shape[1]), random_state=self.random_state)
        points = pca.fit_transform(matrix.to_numpy())
        if points.shape[1] == 1:
            points = np.column_stack([points, np.zeros(len(points))])
        out = pd.DataFrame(points, index=matrix.index, columns=["pc1", "pc2"])
        out["cluster"] = labels.astype("int64").to_numpy()
        if len(out) > sample:
            rng = np.random.default_rng(self.random_state)
            out = out.iloc[np.sort(rng.choice(len(out), size=sample, replace=False))]
        ratio = [float(v) for v in pca.explained_variance_ratio_]
        out.attrs["explained_variance"] = ratio + [0.0] * (2 - len(ratio))
        return out


_DEFAULTS = CustomerSegmenter().get_params()


def _threads(n: int | None):
    import sklearn.cluster  # noqa: F401  (loads its OpenMP runtime, so that the limit reaches it)
    from threadpoolctl import threadpool_limits

    return contextlib.nullcontext() if n is None else threadpool_limits(limits=n)


def _as_text(frame):
    return pd.DataFrame(frame).astype("object").where(pd.DataFrame(frame).notna(), "missing")


def _k_range(k_range: Sequence[int]) -> tuple[int, int]:
    values = list(k_range) if isinstance(k_range, Sequence) else []
    if (
        len(values) != 2
        or not all(isinstance(v, int | np.integer) for v in values)
        or not 2 <= values[0] <= values[1]
    ):
        raise ParameterError(
            f"segments.k_range must be two whole numbers [smallest, largest] with "
            f"2 <= smallest <= largest, e.g. [3, 8], got {k_range!r}"
        )
    return int(values[0]), int(values[1])


class _Silhouette:
    """Silhouette scores of several labellings of one sample, from one distance matrix.

    The sample (``SILHOUETTE_SAMPLE`` customers drawn with the seed) is the same for every
    candidate k, so its pairwise distances are computed once and each labelling costs one
    matrix product; the scores equal :func:`sklearn.metrics.silhouette_score` on that sample.
    """

    def __init__(self, xs: np.ndarray, seed: int):
        rng = np.random.default_rng(seed)
        n = len(xs)
        self.rows = np.sort(rng.choice(n, size=min(n, SILHOUETTE_SAMPLE), replace=False))
        points = xs[self.rows].astype("float64")
        squared = np.einsum("ij,ij->i", points, points)
        gram = points @ points.T
        distance = squared[:, None] + squared[None, :] - 2 * gram
        np.maximum(distance, 0, out=distance)
        np.fill_diagonal(distance, 0)
        self.distance = np.sqrt(distance, out=distance).astype("float32")

    def __call__(self, labels: np.ndarray) -> float:
        labels = np.asarray(labels)[self.rows]
        values, codes = np.unique(labels, return_inverse=True)
        if len(values) < 2:
            return float("nan")
        onehot = np.zeros((len(codes), len(values)), dtype="float32")
        onehot[np.arange(len(codes)), codes] = 1.0
        sums = (self.distance @ onehot).astype("float64")
        counts = onehot.sum(axis=0).astype("float64")
        own = counts[codes]
        a = sums[np.arange(len(codes)), codes] / np.maximum(own - 1, 1)
        mean_other = sums / counts[None, :]
        mean_other[np.arange(len(codes)), codes] = np.inf
        b = mean_other.min(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = (b - a) / np.maximum(a, b)
        score = np.where(own > 1, np.nan_to_num(score), 0.0)
        return float(score.mean())
