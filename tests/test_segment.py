"""Behavioural segments: planted clusters recovered, named from their profiles, stable, matched."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import custanalytics as ca
from custanalytics.analysis import is_documented
from custanalytics.analysis._segments import _previous_centroids
from custanalytics.segment import _name_code, _unique

#: Planted groups: days since purchase, orders, average order value, tenure (days).
GROUPS = {
    "loyal_big": (10, 40, 500, 900),
    "dormant_small": (400, 2, 80, 800),
    "new_small": (15, 1, 60, 30),
    "steady_premium": (60, 8, 3000, 600),
}


def planted(n_per=150, seed=0, noise=0.12, prospects=5):
    """A customer table (days) with four well-separated behavioural groups and prospects."""
    rng = np.random.default_rng(seed)
    frames, truth = [], []
    for name, (days, orders, aov, tenure) in GROUPS.items():
        d = np.exp(rng.normal(np.log(days), noise, n_per))
        o = np.maximum(1, np.round(np.exp(rng.normal(np.log(orders), noise, n_per))))
        a = np.exp(rng.normal(np.log(aov), noise, n_per))
        t = np.maximum(np.exp(rng.normal(np.log(tenure), noise, n_per)), d + 1)
        frames.append(
            pd.DataFrame(
                {"orders": o.astype("int64"), "avg_order_value": a, "revenue": o * a, "T": t}
            ).assign(recency=lambda f, d=d: f["T"] - d)
        )
        truth += [name] * n_per
    table = pd.concat(frames, ignore_index=True)
    table["frequency"] = table["orders"] - 1
    table["region"] = np.where(np.arange(len(table)) % 3 == 0, "north", "south")
    table.index = pd.Index([f"C{i:05d}" for i in range(len(table))], name="customer_id")
    truth = pd.Series(truth, index=table.index)
    if prospects:
        extra = pd.DataFrame(
            {"orders": 0, "frequency": 0, "revenue": 0.0, "region": "north"},
            index=pd.Index([f"P{i:03d}" for i in range(prospects)], name="customer_id"),
        )
        table = pd.concat([table, extra])
    return table, truth


@pytest.fixture(scope="module")
def data():
    return planted()


@pytest.fixture(scope="module")
def fitted(data):
    table, _ = data
    return ca.CustomerSegmenter(k_range=(2, 7), random_state=0).fit(table)


def test_planted_clusters_are_recovered(data, fitted):
    table, truth = data
    assert fitted.k_ == 4 and fitted.selection_ == "silhouette"
    labels = fitted.labels_.loc[truth.index]
    assert adjusted_rand_score(truth, labels) >= 0.9
    curve = fitted.k_curve_
    assert list(curve.index) == list(range(2, 8)) and curve["chosen"].sum() == 1
    assert curve.loc[4, "silhouette"] == curve["silhouette"].max()


def test_gaussian_mixture_recovers_them_by_bic(data):
    table, truth = data
    seg = ca.CustomerSegmenter(model="gmm", k_range=(2, 6), random_state=0).fit(table)
    assert seg.selection_ == "bic" and seg.model_kind_ == "gmm" and "bic" in seg.k_curve_
    assert adjusted_rand_score(truth, seg.labels_.loc[truth.index]) >= 0.9


def test_minibatch_above_the_size_threshold(data):
    table, truth = data
    seg = ca.CustomerSegmenter(k=4, minibatch_above=100, random_state=0).fit(table)
    assert seg.model_kind_ == "minibatch_kmeans" and seg.selection_ == "fixed"
    assert adjusted_rand_score(truth, seg.labels_.loc[truth.index]) >= 0.9


def test_quantile_transform_and_categorical_attributes(data):
    table, truth = data
    seg = ca.CustomerSegmenter(
        k=4, transform="quantile", attributes=["region"], random_state=0
    ).fit(table)
    assert seg.feature_names_in_[-1] == "region"
    matrix = seg.feature_matrix(table)
    assert {"region_north", "region_south"} <= set(matrix.columns)
    assert len(matrix) == len(truth)
    assert adjusted_rand_score(truth, seg.labels_.loc[truth.index]) >= 0.9


def test_prospects_get_no_cluster(data, fitted):
    table, _ = data
    assert fitted.labels_.dtype == "Int64"
    assert fitted.labels_[table["orders"] == 0].isna().all()
    assert fitted.labels_[table["orders"] > 0].notna().all()
    assert list(fitted.labels_.index) == list(table.index)


def test_same_seed_same_labels_and_names(data, fitted):
    table, _ = data
    again = ca.CustomerSegmenter(k_range=(2, 7), random_state=0).fit(table)
    pd.testing.assert_series_equal(again.labels_, fitted.labels_)
    assert again.names_ == fitted.names_
    pd.testing.assert_frame_equal(again.profiles_, fitted.profiles_)
    assert again.stability_ == fitted.stability_


def test_row_order_does_not_matter(data, fitted):
    table, _ = data
    shuffled = table.sample(frac=1.0, random_state=7)
    seg = ca.CustomerSegmenter(k_range=(2, 7), random_state=0).fit(shuffled)
    pd.testing.assert_series_equal(seg.labels_.loc[table.index], fitted.labels_)
    assert seg.names_ == fitted.names_
    pd.testing.assert_frame_equal(seg.profiles_, fitted.profiles_)


def test_clusters_are_numbered_by_value_and_named_from_their_profiles(data, fitted):
    table, truth = data
    profiles, names = fitted.profiles_, fitted.names_
    means = fitted.centroids_["revenue"]
    assert means.is_monotonic_decreasing, "1 = most valuable"
    group = {g: int(fitted.labels_.loc[truth.index[truth == g]].mode()[0]) for g in GROUPS}
    assert names[group["loyal_big"]] == "high_value_loyal"
    assert names[group["dormant_small"]] == "low_value_dormant"
    assert names[group["new_small"]] == "low_value_new"
    assert names[group["steady_premium"]].startswith("high_value")
    high = [c for c, n in names.items() if n.startswith("high_value")]
    top = profiles["median_revenue"].idxmax()
    assert top in high and fitted.profile_z_.loc[top, "revenue"] > 0.5
    dormant = group["dormant_small"]
    assert profiles["median_days_since_purchase"].idxmax() == dormant
    assert profiles["median_tenure_days"].idxmin() == group["new_small"]
    assert profiles["overdue_ratio"].idxmax() == dormant
    assert profiles.loc[group["loyal_big"], "median_gap_days"] == pytest.approx(890 / 39, rel=0.2)
    assert profiles["customers"].sum() == len(truth)
    assert profiles["customer_share"].sum() == pytest.approx(1.0)
    assert profiles["revenue_share"].sum() == pytest.approx(1.0)
    assert list(profiles["name"]) == [names[c] for c in profiles.index]
    ratio = fitted.profile_ratio_.loc[dormant, "days_since_purchase"]
    assert ratio == pytest.approx(
        profiles.loc[dormant, "median_days_since_purchase"]
        / (table.loc[truth.index, "T"] - table.loc[truth.index, "recency"]).median()
    )


def test_names_are_unique_within_a_run():
    assert _unique(["a_value_x", "a_value_x", "b"], [False, False, False]) == [
        "a_value_x",
        "a_value_x_2",
        "b",
    ]
    assert _unique(["x", "x"], [False, True]) == ["x_2", "x"], "inherited names stay"
    table, _ = planted(prospects=0)
    seg = ca.CustomerSegmenter(k=8, random_state=0).fit(table)
    assert len(set(seg.names_.values())) == 8
    for code in seg.names_.values():
        assert ca.segment_label(code, "en") and ca.segment_label(code, "zh")


def test_name_rules():
    assert _name_code({"revenue": 1.0, "orders": 1.0, "days_since_purchase": 0.0}) == (
        "high_value_loyal"
    )
    assert _name_code({"revenue": -1.0, "days_since_purchase": 1.5}) == "low_value_dormant"
    assert _name_code({"revenue": 0.0, "days_since_purchase": 0.7}) == "mid_value_lapsing"
    assert _name_code({"revenue": -1.0, "tenure_days": -1.0}) == "low_value_new"
    assert _name_code({"revenue": np.nan, "orders": -1.0}) == "low_value_occasional"
    assert _name_code({}) == "mid_value_steady"
    # most of the base long gone: z-scores are small, the gap between purchases is not
    assert _name_code({"revenue": -1.0, "days_since_purchase": 0.3}, 5.0) == "low_value_dormant"
    assert _name_code({"revenue": 0.0, "days_since_purchase": 0.1}, 2.5) == "mid_value_lapsing"


def test_labels_in_both_languages():
    assert ca.segment_label("high_value_loyal", "en") == "High-value loyal"
    assert ca.segment_label("high_value_loyal", "zh") == "高价值忠诚客户"
    assert ca.segment_label("low_value_new_2", "zh") == "低价值新客户（2）"
    with pytest.raises(KeyError, match="not a segment name code"):
        ca.segment_label("cluster_0")


def test_previous_centroids_keep_names_when_data_barely_change(data, fitted):
    table, truth = data
    next_month, truth2 = planted(seed=1)
    seg = ca.CustomerSegmenter(k_range=(2, 7), random_state=3).fit(
        next_month, previous=fitted.centroids_
    )
    assert seg.k_ == 4 and len(seg.inherited_) == 4
    for g in GROUPS:
        before = fitted.labels_.loc[truth.index[truth == g]].mode()[0]
        after = seg.labels_.loc[truth2.index[truth2 == g]].mode()[0]
        assert seg.names_[after] == fitted.names_[before]


def test_matching_follows_the_centroids_not_the_rules(data, fitted):
    """A previous run whose names differ from today's rules: each cluster keeps its old name."""
    table, _ = data
    previous = fitted.centroids_.copy()
    renamed = {
        c: code
        for c, code in zip(
            previous.index,
            ["mid_value_steady", "low_value_occasional", "high_value_lapsing", "mid_value_new"],
            strict=True,
        )
    }
    previous["name"] = previous.index.map(renamed)
    seg = ca.CustomerSegmenter(k_range=(2, 7), random_state=5).fit(table, previous=previous)
    assert seg.names_ == renamed
    far = previous.assign(revenue=previous["revenue"] + 50)  # nothing close: fresh names
    seg = ca.CustomerSegmenter(k_range=(2, 7), random_state=0).fit(table, previous=far)
    assert seg.inherited_ == {} and seg.names_ == fitted.names_


def test_stability_is_high_on_clear_clusters_and_low_on_noise(fitted):
    assert fitted.stability_["refits"] == 5 and fitted.stability_["min_ari"] >= 0.9
    rng = np.random.default_rng(0)
    n = 400
    noise = pd.DataFrame(
        {
            "orders": rng.integers(1, 5, n),
            "revenue": rng.uniform(10, 20, n),
            "avg_order_value": rng.uniform(5, 10, n),
            "T": rng.uniform(300, 400, n),
        },
        index=pd.Index([f"N{i}" for i in range(n)], name="customer_id"),
    ).assign(recency=lambda f: f["T"] * rng.uniform(0, 1, n))
    seg = ca.CustomerSegmenter(k=6, random_state=0).fit(noise)
    assert seg.stability_["mean_ari"] < fitted.stability_["mean_ari"]


def test_predict_gives_the_fitted_labels_and_checks_its_features(data, fitted):
    table, _ = data
    pd.testing.assert_series_equal(fitted.predict(table), fitted.labels_)
    names = fitted.predict_names(table)
    assert names.iloc[0] == fitted.names_[int(fitted.labels_.iloc[0])] and pd.isna(names.iloc[-1])
    with pytest.raises(ca.DataError, match=r"lacks column\(s\) \['avg_order_value'\]"):
        fitted.predict(table.drop(columns="avg_order_value"))
    weeks = table.copy()
    weeks.attrs["time_unit"] = "W"
    with pytest.raises(ca.DataError, match="fitted on a table with durations in 'D'"):
        fitted.predict(weeks)
    holes = table.copy()
    holes.loc["C00003", "revenue"] = np.nan
    with pytest.raises(ca.DataError, match="feature 'revenue' has no value for 1 buyers"):
        fitted.predict(holes)
    with pytest.raises(ca.NotFittedError, match="call fit first"):
        ca.CustomerSegmenter().predict(table)


def test_weeks_are_converted_to_days(data, fitted):
    table, _ = data
    weeks = table.copy()
    weeks[["T", "recency"]] = weeks[["T", "recency"]] / 7
    weeks.attrs["time_unit"] = "W"
    seg = ca.CustomerSegmenter(k_range=(2, 7), random_state=0).fit(weeks)
    assert seg.time_unit_ == "W"
    pd.testing.assert_series_equal(seg.labels_, fitted.labels_)
    assert seg.profiles_["median_tenure_days"].to_numpy() == pytest.approx(
        fitted.profiles_["median_tenure_days"].to_numpy()
    )


def test_default_features_left_out_when_unusable(data):
    table, _ = data
    flat = table.assign(avg_order_value=5.0, clv=np.nan)
    seg = ca.CustomerSegmenter(k=4, random_state=0).fit(flat)
    assert seg.dropped_features_ == {"avg_order_value": "constant", "clv": "no_values"}
    assert "avg_order_value" not in seg.feature_names_in_
    seg = ca.CustomerSegmenter(k=4, random_state=0).fit(table.drop(columns="avg_order_value"))
    assert seg.dropped_features_ == {"avg_order_value": "missing"}
    with_clv = table.assign(clv=table["revenue"] * 2, p_alive=0.5 + 0.4 * (table["orders"] > 3))
    seg = ca.CustomerSegmenter(k=4, random_state=0).fit(with_clv)
    assert seg.feature_names_in_[-2:] == ["clv", "p_alive"]


def test_without_amounts_segments_are_count_based(data):
    table, truth = data
    counts = table.assign(revenue=np.nan, avg_order_value=np.nan)
    seg = ca.CustomerSegmenter(k=4, random_state=0).fit(counts)
    assert seg.dropped_features_ == {"revenue": "no_values", "avg_order_value": "no_values"}
    assert "revenue" not in seg.profiles_.columns
    assert seg.centroids_["orders"].is_monotonic_decreasing, "value = orders without amounts"
    assert adjusted_rand_score(truth, seg.labels_.loc[truth.index]) >= 0.8


def test_projection_is_sampled_and_two_dimensional(data, fitted):
    table, truth = data
    points = fitted.projection(table, sample=100)
    assert list(points.columns) == ["pc1", "pc2", "cluster"] and len(points) == 100
    assert points.index.is_monotonic_increasing
    assert sum(points.attrs["explained_variance"]) <= 1.0 + 1e-9
    assert len(fitted.projection(table)) == len(truth)


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"k": 1}, ca.ParameterError, "segments.k must be a whole number of clusters, at least 2"),
        ({"k_range": (5, 3)}, ca.ParameterError, "segments.k_range must be two whole numbers"),
        ({"k_range": (1, 3)}, ca.ParameterError, "segments.k_range must be two whole numbers"),
        ({"model": "dbscan"}, ca.ParameterError, "segments.model must be one of kmeans | gmm"),
        ({"transform": "sqrt"}, ca.ParameterError, "segments.transform must be one of"),
        ({"features": ["orders", "basket"]}, ca.ParameterError, "unknown feature 'basket'"),
        ({"features": ["orders", "clv"]}, ca.ParameterError, "needs column 'clv'"),
        ({"attributes": ["industry"]}, ca.ParameterError, "segments.attributes: no column"),
    ],
)
def test_bad_settings_name_the_parameter(data, settings, error, message):
    table, _ = data
    with pytest.raises(error, match=message):
        ca.CustomerSegmenter(**settings).fit(table)


def test_data_errors_name_the_fix(data):
    table, _ = data
    small = table.iloc[:3]
    with pytest.raises(ca.DataError, match="3 customers with a purchase cannot form 5 clusters"):
        ca.CustomerSegmenter(k=5).fit(small)
    with pytest.raises(ca.DataError, match="lower segments.k"):
        ca.CustomerSegmenter(k_range=(3, 5)).fit(small)
    flat = table.assign(orders=3)
    with pytest.raises(ca.DataError, match="feature 'orders' is constant"):
        ca.CustomerSegmenter(features=["orders", "revenue"]).fit(flat)
    holes = table.copy()
    holes.loc[["C00001", "C00002"], "revenue"] = np.nan
    with pytest.raises(ca.DataError, match="'revenue' has no value for 2 of 600 buyers"):
        ca.CustomerSegmenter(features=["orders", "revenue"]).fit(holes)
    twins = table.iloc[:30].copy()
    twins.iloc[:15] = twins.iloc[0].to_numpy()
    twins.iloc[15:] = twins.iloc[20].to_numpy()
    with pytest.raises(ca.DataError, match="only 2 distinct feature profiles, fewer than the 3"):
        ca.CustomerSegmenter(k_range=(3, 8)).fit(twins)
    assert ca.CustomerSegmenter(k_range=(2, 8)).fit(twins).k_ == 2, "k capped at 2 profiles"
    with pytest.raises(ca.DataError, match="repeated customer ids"):
        ca.CustomerSegmenter().fit(pd.concat([table, table.iloc[:1]]))
    with pytest.raises(ca.DataError, match="centroids_ table of an earlier fit"):
        ca.CustomerSegmenter(k=4).fit(table, previous=pd.DataFrame({"revenue": [1.0]}))


def test_settings_follow_the_estimator_protocol():
    seg = ca.CustomerSegmenter(k=4)
    assert seg.get_params()["k"] == 4 and repr(seg) == "CustomerSegmenter(k=4)"
    assert seg.set_params(k=5).k == 5
    with pytest.raises(ca.ParameterError, match="unknown setting 'kk'"):
        seg.set_params(kk=3)


# ---------------------------------------------------------------------------- the section
B2B = "params/b2b_demo_zh.yaml"


@pytest.fixture(scope="module")
def b2b():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    return ca.load_params(root / B2B)


@pytest.fixture(scope="module")
def b2b_result(b2b):
    return ca.analyse(b2b)


def test_section_adds_documented_columns_and_a_record(b2b_result):
    rec = b2b_result.section("segments")
    table = b2b_result.customers
    master = set(b2b_result.meta.parameters["customers"]["columns"])
    assert {"cluster", "cluster_name"} <= set(table.columns)
    assert all(is_documented(c) or c in master for c in table.columns)
    buyers = table["orders"] > 0
    assert table.loc[~buyers, "cluster"].isna().all() and table.loc[buyers, "cluster"].notna().all()
    assert rec.customers == int(buyers.sum()) == rec.profiles["customers"].sum()
    assert 3 <= rec.k <= 8 and rec.k_range == [3, 8]
    assert "clv" in rec.features and "p_alive" in rec.features
    assert set(rec.crosstabs) == {"value_cell", "lifecycle_stage", "客户类型", "行业"}
    for cross in rec.crosstabs.values():
        assert cross.to_numpy().sum() == rec.customers
    assert list(rec.crosstabs["lifecycle_stage"].columns) == [
        s for s in ca.LIFECYCLE_STAGES if s in rec.crosstabs["lifecycle_stage"].columns
    ]
    names = table.loc[buyers, "cluster_name"]
    assert (names == table.loc[buyers, "cluster"].map(rec.profiles["name"])).all()
    metrics = json.loads(json.dumps(b2b_result.metrics(), allow_nan=False))
    assert metrics["metrics"]["segments_k"] == rec.k


def test_section_saves_and_next_run_keeps_names(b2b, b2b_result, tmp_path):
    folder = b2b_result.save(tmp_path / "previous")
    loaded = ca.TieringResult.load(folder).section("segments")
    pd.testing.assert_frame_equal(loaded.profiles, b2b_result.section("segments").profiles)
    reseeded = dataclasses.replace(
        b2b.segments, previous_result=str(folder), random_state=11, k=loaded.k
    )
    again = ca.analyse(dataclasses.replace(b2b, segments=reseeded)).section("segments")
    assert [n.code for n in again.notes if n.code == "segments_matched"] == ["segments_matched"]
    assert len(again.inherited) >= loaded.k - 1
    notes = []
    assert _previous_centroids(str(tmp_path / "nothing"), notes) is None
    assert [n.code for n in notes] == ["segments_previous_unavailable"]


def test_section_switched_off_or_unavailable(tmp_path):
    rows = "".join(f"c{i},2024-01-{1 + i % 20:02d},{10 + i}\n" for i in range(12))
    csv = tmp_path / "tx.csv"
    csv.write_text("cust,day,value\n" + rows, encoding="utf-8")
    mapping = {"source": str(csv), "customer": "cust", "date": "day", "amount": "value"}
    params = {"title": "tiny", "as_of": "2024-03-01", "transactions": mapping}
    result = ca.analyse(params)
    assert result.section("segments").reason == "segments_too_few_customers"
    off = ca.analyse(params | {"segments": {"enabled": False}})
    assert "segments" not in off.sections and "cluster" not in off.customers.columns


@pytest.mark.parametrize(
    ("segments", "message"),
    [
        ({"k": 1}, "parameter 'segments.k' must be at least 2"),
        ({"k_range": [6, 4]}, "parameter 'segments.k_range' must be two whole numbers"),
        ({"k_range": [3]}, "parameter 'segments.k_range' must be two whole numbers"),
        ({"model": "dbscan"}, "parameter 'segments.model' must be one of kmeans | gmm"),
        ({"sample_size": 10}, "parameter 'segments.sample_size' must be at least 100"),
        ({"stability_warning": 2}, "parameter 'segments.stability_warning' must be an adjusted"),
        ({"kk": 4}, "unknown parameter 'segments.kk'; did you mean 'segments.k'"),
    ],
)
def test_parameter_file_errors_name_the_key(segments, message):
    base = {"title": "t", "as_of": "2024-01-01", "transactions": {"source": "cdnow"}}
    with pytest.raises(ca.ParameterError, match=message):
        ca.load_params(base | {"segments": segments})


def test_unknown_feature_in_the_parameters_stops_the_run_clearly(b2b):
    wrong = dataclasses.replace(b2b.segments, features=["orders", "basket_size"])
    with pytest.raises(ca.ParameterError, match="unknown feature 'basket_size'"):
        ca.analyse(dataclasses.replace(b2b, segments=wrong))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_view_shows_every_part_in_both_languages(b2b_result, lang, monkeypatch):
    from custanalytics.report import _views

    shown = []
    monkeypatch.setattr(_views, "display", lambda obj, *a, **k: shown.append(obj))
    ca.show_segments(b2b_result, lang)
    texts = [getattr(o, "data", "") for o in shown if isinstance(getattr(o, "data", None), str)]
    assert texts[0] == f'<h2 id="segments_section">{ca.label("segments_section", lang)}</h2>'
    assert sum(type(o).__name__ == "Image" for o in shown) == 3
    assert sum(type(o).__name__ == "Styler" for o in shown) == 1 + 4, "names + 4 cross-tabs"
    rec = b2b_result.section("segments")
    names = shown[[type(o).__name__ for o in shown].index("Styler")].data
    assert list(names.iloc[:, 0]) == [ca.segment_label(n, lang) for n in rec.profiles["name"]]
    off = dataclasses.replace(b2b_result, sections={"headline": None})
    shown.clear()
    ca.show_segments(off, lang)
    assert ca.label("unavailable_segments_off", lang) in shown[-1].data
