# normgraph: `make demo` builds the graph from seeds/ and shows it; `make test` runs the tests.
# Both set up a virtualenv in .venv from nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SHARED ?= ../shared

.PHONY: demo test lint eval kg clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/normgraph build seeds/ -o kg/
	$(BIN)/normgraph validate kg/

kg: $(STAMP)
	$(BIN)/normgraph build seeds/ -o kg/

eval: $(STAMP)
	$(BIN)/pytest -q -s tests/test_stances_eval.py

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) build dist .pytest_cache
