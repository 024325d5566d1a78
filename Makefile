# coopkg: `make demo` builds the bundled example and answers its questions; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help setup servers demo test lint typecheck pytest wheel-check docs refdata refdata-check bench clean

help:
	@echo "make demo         set up, build the bundled example into out/demo-store, print the answers"
	@echo "make test         set up, then lint (ruff), type-check (mypy) and test (pytest, coverage)"
	@echo "make wheel-check  build the wheel, install it in a clean venv, run the demo from it"
	@echo "make docs         regenerate docs/records.md's field tables and docs/schema/ from kinds.py"
	@echo "make refdata      rebuild coopkg/refdata and ontology/classifications.ttl from their sources"
	@echo "make bench        run the benchmarks and rewrite docs/performance.md"

# A strict editable install links every package file into build/, so that mypy and pytest see the
# card's folders as subpackages of coopkg. Adding or removing a file changes a folder: reinstall.
PACKAGE_DIRS := coopkg coopkg/cli coopkg/reasoning coopkg/refdata coopkg/pictures coopkg/dcatap ontology loaders shapes queries examples $(wildcard examples/*/)

$(STAMP): pyproject.toml $(PACKAGE_DIRS)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=strict
	touch $(STAMP)

setup: $(STAMP)

# The tests of remote endpoints start real servers: the Oxigraph server (PyPI, with the dev extras)
# and Virtuoso 7 (Debian); the page tests drive Debian's Chromium (with Playwright, in the dev
# extras). Both are installed here where they are missing (as root, e.g. in CI).
servers:
	tools/install-virtuoso.sh
	tools/install-chromium.sh

demo: $(STAMP)
	$(BIN)/coopkg demo --store out/demo-store

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	cd $(VENV) && bin/mypy --config-file $(CURDIR)/pyproject.toml -p coopkg

pytest: $(STAMP) servers
	$(BIN)/pytest --cov --cov-report=term-missing:skip-covered --durations=25

test: lint typecheck pytest

wheel-check: $(STAMP)
	rm -rf dist out/wheel-venv
	$(BIN)/python -m build --wheel --outdir dist . >/dev/null
	$(PYTHON) -m venv out/wheel-venv
	out/wheel-venv/bin/python -m pip install --quiet dist/coopkg-*.whl
	cd /tmp && $(CURDIR)/out/wheel-venv/bin/coopkg demo > $(CURDIR)/out/wheel-demo.txt
	head -3 out/wheel-demo.txt
	grep -q "Liaoning  *provider" out/wheel-demo.txt
	grep -q "53183000000  *CNY" out/wheel-demo.txt
	@echo "wheel-check: the wheel installed in a clean venv runs the main job"

docs: $(STAMP)
	$(BIN)/python tools/build_docs.py

bench: $(STAMP)
	cd /tmp && $(CURDIR)/$(BIN)/python $(CURDIR)/bench/reasoning.py --markdown $(CURDIR)/docs/performance.md
	cd /tmp && $(CURDIR)/$(BIN)/python $(CURDIR)/bench/ingest.py --sizes 10000 100000 1000000 --markdown $(CURDIR)/docs/performance.md
	cd /tmp && $(CURDIR)/$(BIN)/python $(CURDIR)/bench/validation.py --markdown $(CURDIR)/docs/performance.md
	cd /tmp && $(CURDIR)/$(BIN)/python $(CURDIR)/bench/queries.py --markdown $(CURDIR)/docs/performance.md
	cd /tmp && $(CURDIR)/$(BIN)/python $(CURDIR)/bench/export.py --sizes 100000 1000000 10000000 --formats nq jsonld --markdown $(CURDIR)/docs/performance.md

refdata: $(STAMP)
	$(BIN)/python tools/build_refdata.py
	$(BIN)/python tools/build_coordinates.py
	$(BIN)/python tools/build_classifications.py

refdata-check: $(STAMP)
	$(BIN)/python tools/build_refdata.py --check
	$(BIN)/python tools/build_coordinates.py --check
	$(BIN)/python tools/build_classifications.py --check

clean:
	rm -rf $(VENV) dist build out .coverage .pytest_cache .mypy_cache .ruff_cache *.egg-info
