import datetime as dt
import json
from pathlib import Path

import pytest

import custanalytics as ca
from custanalytics import ParameterError, RunParams, load_params

ROOT = Path(__file__).resolve().parents[1]
BASE = {
    "title": "t",
    "as_of": "2024-06-30",
    "transactions": {"source": "cdnow", "customer": "c", "date": "d", "amount": "a"},
}


def test_demo_file_is_valid_and_dates_are_parsed():
    params = load_params(ROOT / "params" / "demo.yaml")
    assert isinstance(params, RunParams)
    assert params.as_of == dt.date(1998, 6, 30)
    assert params.transactions.source == "cdnow"
    assert params.lang == "en"
    assert params.output_dir == "reports/demo/{as_of}"
    assert params.run_dir == Path("reports/demo/1998-06-30")
    assert params.reports_dir == Path("reports")


def test_dict_and_overrides():
    params = load_params(BASE, lang="zh", as_of="2024-01-31", output_dir=None)
    assert params.lang == "zh"
    assert params.as_of == dt.date(2024, 1, 31)
    assert params.output_dir == "reports/tiering/{as_of}"
    assert params.run_dir == Path("reports/tiering/2024-01-31")


@pytest.mark.parametrize(
    ("output_dir", "run_dir", "reports_dir"),
    [
        ("reports/sales/{as_of}", "reports/sales/2024-01-31", "reports"),
        ("reports/sales", "reports/sales", "reports"),
        ("/srv/out/sales/{as_of}/html", "/srv/out/sales/2024-01-31/html", "/srv/out"),
        ("sales", "sales", "."),
    ],
)
def test_run_folder_and_the_folder_of_the_index(output_dir, run_dir, reports_dir):
    params = load_params(BASE, as_of="2024-01-31", output_dir=output_dir)
    assert params.run_dir == Path(run_dir)
    assert params.reports_dir == Path(reports_dir)


def test_output_dir_takes_only_the_as_of_placeholder():
    with pytest.raises(ParameterError, match=r"output_dir.*only the placeholder \{as_of\}"):
        load_params(BASE, output_dir="reports/{name}/{as_of}")


@pytest.mark.parametrize("currency", ["", "   ", "dollars"])
def test_currency_is_a_short_sign_or_code(currency):
    with pytest.raises(ParameterError, match="currency"):
        load_params(BASE | {"currency": currency})


def test_mask_key_never_reaches_an_output():
    params = load_params(BASE | {"mask_ids": True, "mask_key": "s3cret"})
    assert params.to_dict()["mask_key"] == "***"
    assert params.to_dict(redacted=False)["mask_key"] == "s3cret"
    assert "s3cret" not in json.dumps(params.to_dict())


def test_round_trip_through_plain_dict():
    params = load_params(BASE)
    assert load_params(params.to_dict()) == params


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"titel": "x"}, "unknown parameter 'titel'; did you mean 'title'?"),
        (
            {"transactions": {**BASE["transactions"], "custmer": "x"}},
            "unknown parameter 'transactions.custmer'; did you mean 'transactions.customer'?",
        ),
        ({"as_of": "1998-13-45"}, "parameter 'as_of' must be a date written as YYYY-MM-DD"),
        ({"as_of": 19980630}, "parameter 'as_of' must be a date"),
        ({"lang": "fr"}, "parameter 'lang' must be one of en | zh, got 'fr'"),
        ({"title": 3}, "parameter 'title' must be str, got int 3"),
        ({"title": "  "}, "parameter 'title' must not be empty"),
        ({"transactions": "cdnow"}, "parameter 'transactions' must be a mapping"),
        (
            {"transactions": {**BASE["transactions"], "returns": "refund"}},
            "parameter 'transactions.returns' must be one of net | drop | keep",
        ),
    ],
)
def test_invalid_parameters_name_the_key(change, message):
    with pytest.raises(ParameterError) as info:
        load_params({**BASE, **change})
    assert message in str(info.value)


def test_missing_required_key():
    with pytest.raises(ParameterError, match="missing required parameter 'transactions'"):
        load_params({"title": "t", "as_of": "2024-01-01"})


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.yaml"):
        load_params(tmp_path / "nope.yaml")


def test_yaml_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="must hold a mapping"):
        load_params(path)


def test_invalid_yaml(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load_params(path)


def test_parameter_error_is_a_value_error():
    assert issubclass(ParameterError, ValueError)


def test_secrets_come_from_the_environment_and_never_reach_outputs(monkeypatch):
    from custanalytics._redact import redact

    monkeypatch.setenv("CA_TEST_PASSWORD", "s3cret")
    raw = {
        "title": "t",
        "as_of": "2024-01-31",
        "transactions": {"source": "postgres://ana:${CA_TEST_PASSWORD}@db.local/sales"},
    }
    params = ca.load_params(raw)
    assert params.transactions.source == "postgres://ana:s3cret@db.local/sales"
    assert params.to_dict()["transactions"]["source"] == "postgres://ana:***@db.local/sales"
    assert "s3cret" in str(params.to_dict(redacted=False))
    assert (
        redact("mssql://h/db?user=a&password=x1&port=1")
        == "mssql://h/db?user=a&password=***&port=1"
    )


def test_missing_environment_variable_is_named():
    raw = {
        "title": "t",
        "as_of": "2024-01-31",
        "transactions": {"source": "${CA_NOT_SET_ANYWHERE}"},
    }
    with pytest.raises(ca.ParameterError, match="'transactions.source' refers to the environment"):
        ca.load_params(raw)


def test_connection_errors_print_no_password(tmp_path, capsys):
    from custanalytics.report.cli import main

    path = tmp_path / "p.yaml"
    path.write_text(
        "title: t\nas_of: 2024-01-31\ntransactions:\n"
        "  source: postgresql://ana:s3cret@127.0.0.1:9/sales\n  table: orders\n",
        encoding="utf-8",
    )
    assert main(["report", str(path), "--output", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "s3cret" not in err and err.startswith("custanalytics: error:")


def test_rfm_and_grades_defaults():
    params = load_params(BASE)
    assert params.rfm.bins == 5 and params.rfm.monetary == "revenue"
    assert params.rfm.segments is None and params.rfm.class8 == "mean"
    assert params.grades == ["abc"] and params.primary_scheme == "abc"


def test_dict_valued_parameters_and_round_trip():
    scheme = {
        "name": "key_accounts",
        "method": "score",
        "weights": {"revenue": 2, "recency": 1},
        "bonuses": {"industry": {"manufacturing": 10}},
        "levels": [{"key": "key", "cut": 80}, {"key": "other"}],
    }
    params = load_params(
        {
            **BASE,
            "rfm": {
                "class8": {"recency": 90, "frequency": 2, "monetary": 100},
                "weights": {"recency": 2},
            },
            "grades": ["pyramid", scheme],
            "primary_grade": "key_accounts",
        }
    )
    assert params.rfm.class8 == {"recency": 90.0, "frequency": 2.0, "monetary": 100.0}
    assert params.grades[1].weights == {"revenue": 2.0, "recency": 1.0}
    assert params.grades[1].bonuses == {"industry": {"manufacturing": 10.0}}
    assert params.primary_scheme == "key_accounts"
    assert load_params(params.to_dict()) == params


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rfm": {"bins": 12}}, "rfm.bins must be between 2 and 9"),
        ({"rfm": {"bins": 4}}, "rfm.segments: the standard R x F grid (5 x 5)"),
        ({"rfm": {"monetary": "profit"}}, "parameter 'rfm.monetary' must be one of revenue"),
        ({"rfm": {"weights": {"r": 1}}}, "parameter 'rfm.weights key' must be one of recency"),
        ({"rfm": {"weights": 3}}, "parameter 'rfm.weights' must be a mapping"),
        ({"rfm": {"class8": "mode"}}, "parameter 'rfm.class8' must be one of mean | median"),
        ({"rfm": {"class8": {"recency": "x"}}}, "parameter 'rfm.class8.recency' must be float"),
        ({"rfm": {"segments": {"a": ["11"]}}}, "rfm.segments: the segment map must label"),
        ({"grades": ["abcd"]}, "parameter 'grades[0]' must be one of three_tier | abc"),
        ({"grades": []}, "grades needs at least one scheme"),
        ({"grades": ["abc", "abc"]}, "scheme name 'abc' is used more than once"),
        ({"primary_grade": "pyramid"}, "primary_grade 'pyramid' is not one of grades: abc"),
        (
            {"grades": [{"name": "x", "method": "score", "levels": [{"key": "a"}]}]},
            "grades[0].levels needs at least two levels",
        ),
        (
            {
                "grades": [
                    {
                        "name": "x",
                        "method": "score",
                        "levels": [{"key": "a", "cut": "high"}, {"key": "b"}],
                    }
                ]
            },
            "parameter 'grades[0].levels[0].cut' must be float",
        ),
    ],
)
def test_invalid_tiering_parameters_name_the_key(change, message):
    with pytest.raises(ParameterError) as info:
        load_params({**BASE, **change})
    assert message in str(info.value)


def test_template_validates_and_shows_every_top_level_key():
    import dataclasses

    text = (ROOT / "params" / "template.yaml").read_text(encoding="utf-8")
    params = load_params(ROOT / "params" / "template.yaml")
    assert params.transactions.customer == "客户编号"
    for field in dataclasses.fields(RunParams):
        assert f"\n{field.name}:" in text or f"\n# {field.name}:" in text, field.name
