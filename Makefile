# Quick start: `make demo` shows `reunify next` on a sample case; `make test` runs
# the checks and the tests. Both create .venv and install into it on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE ?= reunify/sample_cases/03-medium-agreement-review
TODAY ?= 2026-11-23

.PHONY: demo test check lint typecheck pytest bench golden templates precompiled reference clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/reunify next $(SAMPLE) --today $(TODAY)

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check reunify tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: check pytest

reference: $(STAMP)
	$(BIN)/python tools/build_reference.py

golden: $(STAMP)
	$(BIN)/pytest tests/test_golden.py --update-golden

bench: $(STAMP)
	$(BIN)/python bench/next.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/caseload.py
	$(BIN)/python bench/site.py
	$(BIN)/python bench/chronology.py
	$(BIN)/python bench/sync.py

templates: $(STAMP)
	$(BIN)/python tools/build_templates.py
	$(BIN)/python -m reunify.documents.precompiled

precompiled: $(STAMP)
	$(BIN)/python -m reunify.documents.precompiled

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache
