# Two commands: `make report` (demo report) and `make test` (lint + whole test suite).
# Both create .venv on first use and reinstall only when pyproject.toml changes.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint format bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/custanalytics report params/demo.yaml

test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check custanalytics tests bench
	$(BIN)/ruff format --check custanalytics tests bench

format: $(STAMP)
	$(BIN)/ruff format custanalytics tests bench
	$(BIN)/ruff check --fix custanalytics tests bench

bench: $(STAMP)
	$(BIN)/python bench/summary.py

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache .ruff_cache
