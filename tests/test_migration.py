"""Tier migration: the matrix on a hand-built case, and the section against separate runs."""

import dataclasses

import pandas as pd
import pytest

import custanalytics as ca

LEVELS = ["A", "B", "C"]


def test_matrix_on_a_hand_built_case():
    previous = pd.Series({"u": "B", "d": "A", "s": "C", "x": "A", "p": None})
    current = pd.Series({"u": "A", "d": "C", "s": "C", "n": "B", "p": "C"})
    table = ca.migration(previous, current, LEVELS)
    assert table.counts == {"upgrade": 1, "stable": 1, "downgrade": 1, "new": 2, "exited": 1}
    assert table.rates == {"upgrade": 1 / 3, "stable": 1 / 3, "downgrade": 1 / 3}
    matrix = table.matrix
    assert list(matrix.index) == ["A", "B", "C", "new"]
    assert list(matrix.columns) == ["A", "B", "C", "exited"]
    # row sums are the previous tier counts, column sums the current ones
    assert matrix.drop("new").sum(axis=1).to_dict() == {"A": 2, "B": 1, "C": 1}
    assert matrix.drop(columns="exited").sum().to_dict() == {"A": 1, "B": 1, "C": 3}
    assert matrix.loc["A", "exited"] == 1 and matrix.loc["new", "C"] == 1
    assert table.changes.loc["p", "grade_change"] == "new", "a prospect who bought"


def test_customers_in_union_order_and_codes_of_any_dtype():
    previous = pd.Series(["C", "A", None, "B"], index=["z", "b", "q", "a"], dtype="category")
    current = pd.Series({"y": "A", "b": "B", "a": "B"})
    changes = ca.migration(previous, current, LEVELS).changes
    assert list(changes.index) == ["a", "b", "y", "z"], "sorted as Index.union sorts"
    assert changes["grade_change"].tolist() == ["stable", "downgrade", "new", "exited"]
    assert changes["previous_grade"].tolist()[:2] == ["B", "A"]
    assert pd.isna(changes.loc["y", "previous_grade"]) and changes.index.name == "customer_id"
    same = ca.migration(current, current, LEVELS).changes
    assert list(same.index) == ["y", "b", "a"], "the same ids: kept in their order"
    with pytest.raises(ValueError, match="'b' appears twice"):
        ca.migration(pd.Series(["A", "B"], index=["b", "b"]), current, LEVELS)


def test_unknown_tier_is_an_error():
    with pytest.raises(ValueError, match="'Z' is not a level"):
        ca.migration(pd.Series({"a": "Z"}), pd.Series({"a": "A"}), LEVELS)


SAMPLE = {
    "title": "sample",
    "as_of": "1998-06-30",
    "transactions": {"source": "cdnow_sample", "duplicates": "keep"},
    "grades": ["three_tier"],
    "clv": {"holdout_days": 0},
}


def test_recomputed_comparison_equals_two_separate_runs(tmp_path):
    params = SAMPLE | {"output_dir": str(tmp_path / "none")}
    now = ca.analyse(params)
    then = ca.analyse(params | {"as_of": "1998-03-31", "migration": {"enabled": False}})
    record = now.section("migration")
    assert record.source == "recomputed"
    assert record.previous_as_of.isoformat() == "1998-03-31"
    expected = ca.migration(then.customers["grade"], now.customers["grade"], record.levels)
    pd.testing.assert_frame_equal(record.matrix, expected.matrix)
    assert record.counts == expected.counts
    changes = now.customers["grade_change"].value_counts()
    assert changes["upgrade"] == record.counts["upgrade"]


def test_saved_result_in_the_output_folder_is_the_previous_run(tmp_path):
    out = tmp_path / "report"
    earlier = ca.analyse(SAMPLE | {"as_of": "1998-01-31", "output_dir": str(out)})
    earlier.save(out / "result")
    now = ca.analyse(SAMPLE | {"output_dir": str(out)})
    record = now.section("migration")
    assert record.source == "saved" and record.previous_as_of.isoformat() == "1998-01-31"
    graded = earlier.customers["grade"].notna().sum()
    assert record.matrix.drop("new").to_numpy().sum() == graded


def test_changed_scheme_is_not_compared(tmp_path):
    out = tmp_path / "report"
    ca.analyse(SAMPLE | {"as_of": "1998-01-31", "grades": ["abc"]}).save(out / "result")
    record = ca.analyse(SAMPLE | {"output_dir": str(out)}).section("migration")
    assert record == ca.Unavailable("scheme_changed", {"previous": "abc", "current": "three_tier"})


def test_no_earlier_data_means_no_comparison(tmp_path):
    params = SAMPLE | {"as_of": "1997-02-15", "output_dir": str(tmp_path)}
    assert ca.analyse(params).section("migration") == ca.Unavailable("no_previous_run")


def test_compare_to_is_checked():
    with pytest.raises(ca.ParameterError, match="'migration.compare_to' must be a number"):
        ca.load_params(SAMPLE | {"migration": {"compare_to": "quarter"}})
    params = ca.load_params(SAMPLE)
    assert dataclasses.asdict(params.migration)["compare_to"] == "3M"
