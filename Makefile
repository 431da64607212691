# normgraph: `make demo` builds the graph from seeds/ and shows it; `make test` runs the tests.
# Both set up a virtualenv in .venv from nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test stress lint eval kg bench chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/normgraph build seeds/ -o kg/
	$(BIN)/normgraph validate kg/
	@echo; echo "Who takes which stance toward unilateral sanctions?"
	$(BIN)/normgraph query stances-toward-target --param targetIri=practice/unilateral-sanctions
	@echo; echo "Which practices are said to violate which principles?"
	$(BIN)/normgraph query practices-violate-principles
	@echo; echo "Which instruments did the extractor find outside the vocabulary?"
	$(BIN)/normgraph query instruments-out-of-vocabulary
	@echo
	mkdir -p $(OUT)
	$(BIN)/normgraph viz kg/ -o $(OUT)/network.html
	$(BIN)/normgraph viz kg/ -o $(OUT)/network.png
	$(BIN)/normgraph viz kg/ --stats
	@echo "open $(OUT)/network.html in a browser to explore the network"

kg: $(STAMP)
	$(BIN)/normgraph build seeds/ -o kg/

eval: $(STAMP)
	$(BIN)/pytest -q -s tests/test_stances_eval.py

# Debian's chromium for the browser tests of the interactive network page
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

test: $(STAMP) chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest

# the long variants of the reliability suite (kills, faults, 2,000+ generated documents); under 15 minutes
stress: $(STAMP)
	NORMGRAPH_STRESS=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_stress.py tests/test_properties.py \
	  tests/test_faults.py tests/test_endpoint.py tests/test_bad_input.py tests/test_reliability.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/extract_speed.py

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache
