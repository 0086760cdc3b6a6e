import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = [d for d in pip if not d.startswith("-e")]
    assert listed == project["dependencies"]
    assert "-e .[dev]" in pip


IMPORT_STATE = """
import json, warnings
import pandas as pd
import matplotlib as mpl
def state():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading deprecated pandas options warns
        opts = {k: repr(pd.get_option(k)) for k in pd._config.config._registered_options}
    rc = {k: repr(v) for k, v in mpl.rcParams.items()}
    return {"filters": [repr(f) for f in warnings.filters], "pandas": opts, "rc": rc}
before = state()
import custanalytics
import custanalytics.report
import custanalytics.report.cli
after = state()
print(json.dumps({"same": before == after,
                  "diff": [k for k in before if before[k] != after[k]]}))
"""


def test_import_changes_no_global_state():
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_STATE], capture_output=True, text=True, check=True
    )
    assert '"same": true' in out.stdout, out.stdout


def test_cli_help_explains_options():
    main = subprocess.run(
        [sys.executable, "-m", "custanalytics.report.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "report" in main
    sub = subprocess.run(
        [sys.executable, "-m", "custanalytics.report.cli", "report", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for option in ("PARAMS.yaml", "--output", "--as-of", "--lang", "--cell-timeout"):
        assert option in sub


@pytest.mark.parametrize("name", ["tiering_report", "clv_deep_dive"])
def test_notebook_parameters_match_the_parameter_schema(name):
    import dataclasses

    import papermill

    from custanalytics import RunParams, load_params

    notebook = ROOT / "notebooks" / f"{name}.ipynb"
    declared = papermill.inspect_notebook(str(notebook))
    fields = {f.name for f in dataclasses.fields(RunParams)}
    assert set(declared) == fields | {"result_dir"}
    assert all(p["help"] for p in declared.values()), "every parameter has a help comment"
    # the defaults are valid parameters: the CDNOW demo of params/demo.yaml
    defaults = {k: ast.literal_eval(p["default"]) for k, p in declared.items()}
    defaults.pop("result_dir")
    defaults["customers"] = defaults["customers"] or None
    defaults["interactions"] = defaults["interactions"] or None
    in_notebook = load_params(defaults)
    demo = load_params(ROOT / "params" / "demo.yaml")
    assert in_notebook.transactions == demo.transactions
    assert in_notebook.as_of == demo.as_of


def test_notebooks_only_display():
    """Every code cell after the set-up is one display call on the result."""
    import nbformat

    for path in [*(ROOT / "notebooks").glob("*.ipynb"), ROOT / "examples" / "explore.ipynb"]:
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        assert not any(c.outputs for c in cells), f"{path.name} is committed with outputs"
        for cell in cells[2:]:
            assert re.fullmatch(r"ca\.show_\w+\(result, lang\)", cell.source.strip()), cell.source


@pytest.mark.xdist_group("report")
def test_explore_notebook_runs_top_to_bottom():
    import shutil
    import tempfile

    import nbformat
    from nbclient import NotebookClient

    from custanalytics.report._kernel import kernel_manager_for

    notebook = nbformat.read(ROOT / "examples" / "explore.ipynb", as_version=4)
    assert not any(c.get("outputs") for c in notebook.cells), "committed without outputs"
    sockets = tempfile.mkdtemp(prefix="ca-k-")  # Unix socket paths must stay short
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_manager_class=kernel_manager_for(sockets),
        resources={"metadata": {"path": str(ROOT)}},
    )
    try:
        client.execute()
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
