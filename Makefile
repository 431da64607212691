# normgraph: `make demo` builds the graph from seeds/ and shows it; `make test` runs the tests.
# Both set up a virtualenv in .venv from nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test stress lint eval kg docs context bench bench-extract chromium virtuoso clean

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

# the ontology's documentation, written by pyLODE (the optional extra [docs]) into docs/ontology/
DOCS_STAMP := $(VENV)/.docs-stamp
$(DOCS_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	mkdir -p docs/ontology
	$(BIN)/pylode ontology/normgraph.ttl -o docs/ontology/index.html
	@echo "open docs/ontology/index.html"

# the JSON-LD context, made from the ontology's terms
context: $(STAMP)
	$(BIN)/python -m normgraph.rdf.context > ontology/context.jsonld

# the stances scored against the gold of the seeds and of the texts by other authors (../shared/gold)
eval: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/python eval/run_eval.py --json $(OUT)/eval.json

# Debian's chromium for the browser tests of the interactive network page
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# Debian's Virtuoso for the test that pushes into a real Virtuoso server
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { echo "installing Debian's virtuoso-opensource for the store tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null; }

test: $(STAMP) chromium virtuoso
	$(BIN)/ruff check src tests bench eval scripts
	$(BIN)/pytest

# the long variants of the reliability suite (kills, faults, 2,000+ generated documents); under 15 minutes
stress: $(STAMP)
	NORMGRAPH_STRESS=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_stress.py tests/test_properties.py \
	  tests/test_faults.py tests/test_endpoint.py tests/test_bad_input.py tests/test_reliability.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench eval scripts

# the UN General Debate corpus into a store: slices of 100, 1,000 and all 10,952 speeches (long: about
# an hour on two cores); writes bench/results/corpus-scale.json. Not part of `make test`.
bench: $(STAMP)
	$(BIN)/python bench/corpus_scale.py

bench-extract: $(STAMP)
	$(BIN)/python bench/extract_speed.py

clean:
	rm -rf $(VENV) $(OUT) build dist .pytest_cache
