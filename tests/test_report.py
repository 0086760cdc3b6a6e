"""The report end to end: papermill run, HTML content, metrics and CLI error paths."""

import json
import math
import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from custanalytics.report import remote_references
from custanalytics.report.cli import main

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("report")

#: Latin words a Chinese report may show: model and index names, parameter names, the
#: product's name, keys of the parameter file (words with digits, such as ids, are data).
ALLOWED_IN_CHINESE = {
    "BG", "NBD", "MBG", "Pareto", "Gamma", "CLV", "HHI", "custanalytics", "alpha", "beta",
    "cdnow", "cdnow_sample", "clv", "compare_models", "true", "holdout_days", "RFM", "ABC",
    "policies", "owner", "segments", "enabled", "false", "interactions",
}  # fmt: skip


class _VisibleText(HTMLParser):
    """Text a reader sees: no styles, scripts or the raw parameter listing."""

    def __init__(self):
        super().__init__()
        self.hidden, self.words = [], []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in ("style", "script") or (tag == "pre" and "parameters" in classes):
            self.hidden.append(tag)

    def handle_endtag(self, tag):
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data):
        if not self.hidden:
            words = re.findall(r"[A-Za-z][A-Za-z0-9_]+", data)
            self.words += [w for w in words if not re.search(r"\d", w)]  # ids: KH00321


def english_words(html: str, title: str = "") -> set[str]:
    """Latin words a reader sees, leaving out the report's title (the user's own words)."""
    parser = _VisibleText()
    parser.feed(html.replace(title, "") if title else html)
    return set(parser.words)


def csv_params(folder: Path, csv: Path, customer: str = "cust", **changes) -> Path:
    """Parameters for a small CSV with columns cust, day, value."""
    mapping = {"source": str(csv), "customer": customer, "date": "day", "amount": "value"}
    return write_params(folder, as_of="2024-03-01", transactions=mapping, **changes)


def write_params(folder: Path, **changes) -> Path:
    params = yaml.safe_load((ROOT / "params" / "demo.yaml").read_text(encoding="utf-8"))
    params.update(changes)
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    out = folder / "out"
    assert main(["report", str(write_params(folder)), "--output", str(out)]) == 0
    return out


def independent_cdnow_figures():
    raw = pd.read_csv(
        _cdnow_file(),
        sep=r"\s+",
        skiprows=1,
        names=["id", "date", "cds", "value"],
        dtype={"id": str, "date": str},
    )
    revenue = raw.groupby("id")["value"].sum().sort_values(ascending=False)
    top = math.ceil(0.2 * len(revenue))
    return {
        "customers": raw["id"].nunique(),
        "transactions": len(raw),
        "revenue": raw["value"].sum(),
        "top20_revenue_share": revenue.iloc[:top].sum() / revenue.sum(),
        "first_date": "1997-01-01",
        "last_date": "1998-06-30",
    }


def _cdnow_file():
    from custanalytics.datasets import cdnow_path

    return cdnow_path("CDNOW_master.txt")


def test_metrics_match_independent_computation(demo_report):
    metrics = json.loads((demo_report / "metrics.json").read_text())["metrics"]
    expected = independent_cdnow_figures()
    assert expected["customers"] == 23_570
    assert metrics["customers"] == expected["customers"]
    assert metrics["transactions"] == expected["transactions"] == 69_659
    assert metrics["revenue"] == pytest.approx(expected["revenue"], rel=1e-12)
    assert metrics["top20_revenue_share"] == pytest.approx(expected["top20_revenue_share"])
    assert metrics["first_date"] == expected["first_date"]
    assert metrics["last_date"] == expected["last_date"]


def test_html_shows_figures_and_metadata(demo_report):
    html = (demo_report / "report.html").read_text(encoding="utf-8")
    expected = independent_cdnow_figures()
    assert f"{expected['customers']:,}" in html
    assert f"{expected['transactions']:,}" in html
    assert f"{expected['revenue']:,.2f}" in html
    assert f"{expected['top20_revenue_share']:.1%}" in html
    assert 'id="run-metadata"' in html
    assert "1998-06-30" in html and "1997-01-01 – 1998-06-30" in html
    assert "custanalytics version" in html
    assert "CDNOW customer tiering" in html
    charts = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,', html)
    assert len(charts) >= 10 and "Pareto / Lorenz curve of revenue" in charts, "charts"
    assert "Customer lifetime value (CLV)" in html and "Value matrix" in html
    assert "BG/NBD" in html and "Holdout period: 1997-12-31 – 1998-06-30" in html
    assert "BetaGeoModel" not in html, "model names in words, not Python reprs"


def test_metrics_carry_the_clv_figures(demo_report):
    metrics = json.loads((demo_report / "metrics.json").read_text())["metrics"]
    assert metrics["clv_model"] in {"bg_nbd", "mbg_nbd", "pareto_nbd"}
    assert set(metrics["clv_parameters"]) == {"r", "alpha", "a", "b"}
    assert metrics["clv_total"] > 0


def test_html_is_self_contained_and_clean(demo_report):
    html = (demo_report / "report.html").read_text(encoding="utf-8")
    assert remote_references(html) == []
    assert "<script src" not in html
    assert "Traceback" not in html and "Warning" not in html
    assert "import custanalytics" not in html, "code cells must be hidden"
    assert not list(demo_report.glob(".staging-*"))


def test_chinese_report(tmp_path):
    out = tmp_path / "zh"
    params = write_params(
        tmp_path,
        transactions={
            "source": "cdnow_sample",
            "customer": "customer_id",
            "date": "date",
            "amount": "amount",
        },
    )
    assert main(["report", str(params), "--output", str(out), "--lang", "zh"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "关键指标" in html and "数据质量" in html and "客户数" in html
    assert english_words(html, "CDNOW customer tiering") <= ALLOWED_IN_CHINESE
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["parameters"]["lang"] == "zh"
    assert metrics["metrics"]["customers"] == 2_357


@pytest.mark.parametrize(
    ("params_text", "message"),
    [
        (None, "parameter file not found"),
        (
            "title: t\nas_of: 1998-06-30\ntransactions: {source: cdnow}\ncolour: red\n",
            "unknown parameter 'colour'",
        ),
        (
            "title: t\nas_of: 1998-13-45\ntransactions: {source: cdnow}\n",
            "parameter 'as_of' must be a date",
        ),
        (
            "title: t\nas_of: 1998-06-30\ntransactions: {source: nowhere}\n",
            "source not found: 'nowhere'",
        ),
    ],
)
def test_cli_errors_are_clear_and_write_nothing(tmp_path, capsys, params_text, message):
    path = tmp_path / "p.yaml"
    if params_text is not None:
        path.write_text(params_text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(path), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()


def test_bad_as_of_on_command_line(tmp_path, capsys):
    assert main(["report", str(write_params(tmp_path)), "--as-of", "30/06/1998"]) == 2
    assert "parameter 'as_of' must be a date" in capsys.readouterr().err


def test_mapping_error_stops_before_any_kernel_and_keeps_previous_report(tmp_path, capsys):
    csv = tmp_path / "tx.csv"
    csv.write_text("cust,day,value\nA,2024-01-01,10\nA,2024-02-01,20\nB,2024-01-15,5\n")
    good = csv_params(tmp_path, csv, title="good")
    out = tmp_path / "out"
    assert main(["report", str(good), "--output", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad = csv_params(tmp_path, csv, customer="customer", title="bad")
    started = time.perf_counter()
    assert main(["report", str(bad), "--output", str(out)]) == 2
    assert time.perf_counter() - started < 5, "checked in-process, before a kernel starts"
    err = capsys.readouterr().err
    assert "column 'customer'" in err and "Closest match: 'cust'" in err
    assert "Traceback" not in err and "cell" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert not list(out.glob(".staging-*"))


def test_failed_notebook_keeps_previous_report(tmp_path, capsys):
    csv = tmp_path / "tx.csv"
    csv.write_text("cust,day,value\nA,2024-01-01,10\nA,2024-02-01,20\nB,2024-01-15,5\n")
    params = csv_params(tmp_path, csv)
    out = tmp_path / "out"
    assert main(["report", str(params), "--output", str(out)]) == 0
    before = (out / "report.html").read_text(encoding="utf-8")
    broken = nbformat.read(ROOT / "notebooks" / "tiering_report.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('broken cell')"))
    nbformat.write(broken, tmp_path / "broken.ipynb")
    notebook = str(tmp_path / "broken.ipynb")
    assert main(["report", str(params), "--output", str(out), "--notebook", notebook]) == 1
    assert "RuntimeError: broken cell" in capsys.readouterr().err
    assert (out / "report.html").read_text(encoding="utf-8") == before
    assert not list(out.glob(".staging-*"))


def test_ctrl_c_exits_130_and_leaves_nothing_behind(tmp_path):
    import psutil

    out = tmp_path / "out"
    run = subprocess.Popen(
        [sys.executable, "-m", "custanalytics.report.cli", "report", str(write_params(tmp_path))]
        + ["--output", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 120
    kernels = []
    while not kernels and time.monotonic() < deadline and run.poll() is None:
        kernels = [
            c for c in parent.children(recursive=True) if "ipykernel" in " ".join(c.cmdline())
        ]
        time.sleep(0.1)
    assert kernels, "the kernel never started"
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130
    assert err.strip().splitlines() == [
        "custanalytics: interrupted; the previous report was left in place"
    ]
    psutil.wait_procs(kernels, timeout=10)
    assert not [k for k in kernels if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]
    assert not list(out.glob(".staging-*")) and not (out / "report.html").exists()


def test_concurrent_runs_do_not_share_kernel_sockets(tmp_path):
    import subprocess
    import sys

    params = write_params(
        tmp_path,
        transactions={
            "source": "cdnow_sample",
            "customer": "customer_id",
            "date": "date",
            "amount": "amount",
        },
    )
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "custanalytics.report.cli",
                "report",
                str(params),
                "--output",
                str(tmp_path / f"out{i}"),
            ],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert "WARNING" not in err
    for i in range(2):
        assert (tmp_path / f"out{i}" / "report.html").is_file()


def test_clv_deep_dive_notebook(tmp_path):
    params = write_params(
        tmp_path,
        transactions={
            "source": "cdnow_sample",
            "customer": "customer_id",
            "date": "date",
            "amount": "amount",
            "duplicates": "keep",
        },
    )
    out = tmp_path / "deep"
    assert main(["report", str(params), "--output", str(out), "--notebook", "clv_deep_dive"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    for name in ("BG/NBD", "Pareto/NBD", "MBG/NBD", "Gamma-Gamma"):
        assert name in html
    metrics = json.loads((out / "metrics.json").read_text())["metrics"]
    assert metrics["best_model"] in {"bg_nbd", "pareto_nbd", "mbg_nbd"}
    assert len(metrics["model_comparison"]) == 3


def test_clv_deep_dive_on_heavy_tailed_spend(tmp_path):
    """Regression: the deep dive called Gamma-Gamma without the fallback and failed (q <= 1)."""
    out = tmp_path / "deep"
    params = str(ROOT / "params" / "b2b_demo_zh.yaml")
    assert main(["report", params, "--output", str(out), "--notebook", "clv_deep_dive"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "未使用 Gamma-Gamma 模型" in html and "各模型的客户终身价值" in html
    assert english_words(html) <= ALLOWED_IN_CHINESE


def test_unknown_notebook_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(write_params(tmp_path)), "--notebook", "nope"]) == 2
    assert "report notebook not found" in capsys.readouterr().err


def test_tiny_data_renders_without_clv(tmp_path):
    csv = tmp_path / "tx.csv"
    csv.write_text("cust,day,value\nA,2024-01-01,10\nB,2024-01-15,5\n")
    params = csv_params(tmp_path, csv)
    assert main(["report", str(params), "--output", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "CLV could not be estimated" in html and "bought more than once" in html


def test_chinese_b2b_demo_with_chinese_columns(tmp_path):
    out = tmp_path / "b2b"
    assert main(["report", str(ROOT / "params" / "b2b_demo_zh.yaml"), "--output", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "B2B 客户分级报告" in html and "价值矩阵" in html and "数据质量" in html
    assert '<html lang="zh">' in html
    assert "完全重复的行" in html and "退货（负金额）" in html  # cleaning is shown
    # heavy-tailed B2B spend: Gamma-Gamma is not usable, the report says so and goes on
    assert "未使用 Gamma-Gamma 模型" in html and "CLV 最高的客户" in html
    assert english_words(html) <= ALLOWED_IN_CHINESE, "English left in the Chinese report"
    # the customer master brings the prospects (80 in the demo) and its own quality table
    assert "客户主数据" in html
    metrics = json.loads((out / "metrics.json").read_text())["metrics"]
    assert metrics["prospects"] == 80
    # the interactions: their cleaning and join, the last contact's source, visit compliance
    assert "联系记录匹配" in html and "最近联系来源" in html
    assert "各等级拜访合规" in html and "各负责人拜访合规" in html
    assert f"达标率 {metrics['visit_compliance']:.0%}" in html


SECTION_HEADINGS = {
    "tiering_report": (
        "headline",
        "data_quality",
        "clv_section",
        "value_matrix",
        "lifecycle_section",
        "migration_section",
        "policy_section",
        "profiles_section",
        "segments_section",
        "attributes_section",
        "prospects_section",
        "cohorts_section",
    ),
    "clv_deep_dive": ("model_comparison", "full_window_fit", "clv_by_model", "clv_section"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("notebook", sorted(SECTION_HEADINGS))
@pytest.mark.parametrize("params_file", ["demo.yaml", "b2b_demo_zh.yaml"])
def test_every_notebook_renders_with_every_parameter_file(tmp_path, params_file, notebook, lang):
    from custanalytics import label, load_params

    out = tmp_path / "out"
    args = ["report", str(ROOT / "params" / params_file), "--output", str(out)]
    assert main([*args, "--notebook", notebook, "--lang", lang]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    for key in SECTION_HEADINGS[notebook]:
        assert label(key, lang) in html, key
    assert remote_references(html) == [] and "Traceback" not in html
    alts = re.findall(r'<img alt="([^"]*)"', html)
    assert alts and all(alts), "every chart has alt text"
    assert 'href="#summary"' in html or notebook != "tiering_report", "table of contents"
    if lang == "zh":
        assert "@font-face" in html, "the Chinese glyphs the page uses are embedded"
        title = load_params(ROOT / "params" / params_file).title
        assert english_words(html, title) <= ALLOWED_IN_CHINESE
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["schema_version"] == 1 and metrics["parameters"]["lang"] == lang
    assert (out / "result" / "result.json").is_file()
    assert sorted(p.name for p in (out / "exports").iterdir()) == [
        "customers.csv",
        "customers.parquet",
        "customers.xlsx",
    ]


def test_several_parameter_files_and_the_index_of_runs(tmp_path, capsys):
    reports = tmp_path / "reports"
    files = []
    for month, as_of in (("1998-05", "1998-05-31"), ("1998-06", "1998-06-30")):
        folder = tmp_path / month
        folder.mkdir()
        files.append(
            write_params(
                folder,
                as_of=as_of,
                output_dir=str(reports / month),
                transactions={"source": "cdnow_sample", "duplicates": "keep"},
            )
        )
    assert main(["report", *map(str, files)]) == 0
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert index.index("1998-06-30") < index.index("1998-05-31"), "newest first"
    assert 'href="1998-05/report.html"' in index and 'href="1998-06/report.html"' in index
    assert "2,357" in index
    assert main(["report", *map(str, files), "--output", str(tmp_path / "one")]) == 2
    assert "--output with several parameter files" in capsys.readouterr().err
