"""Every user-facing word has both languages; codes used in the package have their messages."""

import re
from pathlib import Path

import pytest

import custanalytics as ca
from custanalytics.analysis import Note
from custanalytics.i18n import LANGUAGES, has_label, label, label_keys, note_text

PACKAGE = Path(ca.__file__).parent


def _codes(pattern: str) -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_label_has_both_languages():
    for key in label_keys():
        for lang in LANGUAGES:
            assert label(key, lang).strip(), f"{key!r} is empty in {lang}"


def test_missing_label_is_an_error_not_the_key():
    with pytest.raises(KeyError, match="no label 'no_such_key'"):
        label("no_such_key", "zh")


def test_unknown_language_is_a_parameter_error():
    with pytest.raises(ca.ParameterError, match="lang must be one of en | zh"):
        label("customers", "fr")


@pytest.mark.parametrize(
    ("pattern", "prefix"),
    [(r'Note\(\s*"(\w+)"', "note_"), (r'Unavailable\(\s*"(\w+)"', "unavailable_")],
)
def test_every_note_and_reason_has_a_message(pattern, prefix):
    codes = _codes(pattern)
    assert codes, "the pattern finds the codes"
    missing = [c for c in codes if not has_label(prefix + c)]
    assert not missing


def test_every_data_quality_check_has_a_label_and_a_chinese_description():
    checks = (
        _codes(r'record\(\s*"(\w+)"')
        | _codes(r'record_correction\(\s*\w+,\s*"(\w+)"')
        | _codes(r'check = "(\w+)" if .* else "(\w+)"')
    )
    checks = {c for found in checks for c in ([found] if isinstance(found, str) else found)}
    assert {"duplicate_rows", "returns"} <= checks
    for check in checks:
        assert has_label(check), check
        assert has_label(f"quality_detail_{check}"), check


def test_note_templates_fill_their_values():
    note = Note("spend_frequency_correlated", {"correlation": 0.4321})
    assert "0.43" in note_text(note, "en") and "0.43" in note_text(note, "zh")
    failed = Note("model_fit_failed", {"model": "pareto_nbd", "error": "L-BFGS-B: ABNORMAL"})
    assert "Pareto/NBD" in note_text(failed, "zh")
    assert "L-BFGS-B" not in note_text(failed, "zh"), "optimiser jargon stays out of Chinese"
