# The two commands a reader needs are `make serve` and `make test`; the rest are for maintainers.
# Every target first creates or refreshes .venv, and only when the dependency files changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint bench refresh lock clean

$(READY): pyproject.toml requirements.lock
	@echo "Installing the pinned toolchain into $(VENV) (first run: about 2 minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	@touch $@

serve: $(READY)  ## build the site and serve it on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(READY)  ## build the site strictly into site/
	$(BIN)/mkdocs build --strict --site-dir site

test: $(READY)  ## lint, then run every test: the snippets as doc tests, inventory, build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(READY) node_modules/.ready  ## doc tests' time and memory; page weights, Lighthouse
	$(BIN)/python tools/bench.py
	$(BIN)/python tools/bench_pages.py

node_modules/.ready: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

refresh: $(READY)  ## re-run the snippets and rewrite expected outputs that changed
	$(BIN)/python tools/refresh_outputs.py

lock: $(READY)  ## re-pin every dependency after editing pyproject.toml
	$(BIN)/python -m pip freeze --exclude-editable | sed 's/+cpu$$//' > requirements.lock

clean:
	rm -rf site .venv build *.egg-info
