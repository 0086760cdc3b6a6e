"""Both demo reports in both languages, opened in headless Chromium as a reader would.

Needs Debian's ``chromium`` (``.ci/run`` installs it; elsewhere ``apt-get install
chromium``). Screenshots are kept in ``reports/browser-check/`` to look at.
"""

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, visit

from custanalytics import label, load_params
from custanalytics.report.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "reports" / "browser-check"
pytestmark = [
    pytest.mark.xdist_group("report"),
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium not found: install Debian's chromium (apt-get install "
        "chromium), as .ci/run does, to open the reports in a browser",
    ),
]
HEADINGS = ("summary", "headline", "data_quality", "clv_section", "value_matrix")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("params_file", ["demo.yaml", "b2b_demo_zh.yaml"])
def test_report_renders_in_a_browser_without_errors_or_requests(tmp_path, params_file, lang):
    out = tmp_path / "out"
    args = ["report", str(ROOT / "params" / params_file), "--output", str(out), "--lang", lang]
    assert main(args) == 0
    page = visit(out / "report.html")
    remote = [u for u in page.requests if not re.match(r"(file|data|about|blob):", u)]
    assert remote == [], "the report must not contact any host"
    assert page.console_errors == []
    for key in HEADINGS:
        assert label(key, lang) in page.headings
    assert page.images >= 5 and page.broken_images == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = Path(params_file).stem
    (SHOTS / f"{name}-{lang}.png").write_bytes(page.screenshot)
    assert load_params(ROOT / "params" / params_file).title in (out / "report.html").read_text(
        encoding="utf-8"
    )
