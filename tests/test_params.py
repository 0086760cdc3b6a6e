import datetime as dt
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
    assert params.output_dir == "reports/demo"


def test_dict_and_overrides():
    params = load_params(BASE, lang="zh", as_of="2024-01-31", output_dir=None)
    assert params.lang == "zh"
    assert params.as_of == dt.date(2024, 1, 31)
    assert params.output_dir == "reports/latest"


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
