# The two commands a reader needs are `make serve` and `make test`; the rest are for maintainers.
# Every target first creates or refreshes .venv, and only when the dependency files changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: serve build test lint bench refresh drift lesson lock clean check

$(READY): pyproject.toml requirements.lock
	@echo "Installing the pinned toolchain into $(VENV) (first run: about 2 minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[going-further]'
	@touch $@

# Both with ProperDocs, the continuation of MkDocs 1.x, as course/build.py says.
serve: $(READY)  ## build the site and serve it on http://127.0.0.1:8000 with live reload
	$(BIN)/python -m course.build --serve 127.0.0.1:8000

build: $(READY)  ## build the site strictly into site/
	$(BIN)/python -m course.build site

test: $(READY)  ## lint, then run every test: the snippets as doc tests, inventory, build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(READY) node_modules/.ready  ## doc tests, build, pages, Lighthouse, whole suite, +1 lesson
	@status=0; \
	$(BIN)/python tools/bench.py || status=1; \
	$(BIN)/python tools/bench_build.py || status=1; \
	$(BIN)/python tools/bench_pages.py || status=1; \
	$(BIN)/python tools/bench_suite.py || status=1; \
	exit $$status

node_modules/.ready: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

refresh: $(READY)  ## re-run the snippets and rewrite expected outputs that changed
	$(BIN)/python tools/refresh_outputs.py $(SNIPPETS)

drift: $(READY)  ## doc tests against another torch in .venv-drift-$(TORCH)/: make drift TORCH=2.14.1
	@test -n "$(TORCH)" || { echo 'usage: make drift TORCH=2.14.1'; exit 2; }
	$(BIN)/python tools/drift.py "$(TORCH)"

# The title reaches the tool through the environment, exactly as typed: $(value ...) keeps
# make from expanding it, and no shell ever reads it.
lesson: export LESSON_ID = $(value ID)
lesson: export LESSON_TITLE = $(value TITLE)
lesson: export LESSON_SECTION = $(value SECTION)
lesson: export LESSON_MODULE = $(value MODULE)
lesson: $(READY)  ## scaffold a whole lesson: make lesson ID=2.1.2 TITLE="..." [SECTION=] [MODULE=]
	$(BIN)/python tools/new_lesson.py --from-env

lock: $(READY)  ## re-pin every dependency after editing pyproject.toml, for every Python
	$(BIN)/python tools/lock.py

clean:
	rm -rf site .venv build *.egg-info

check: $(READY)  ## grade a lesson workbook: make check WORKBOOK=path/to/workbook.py
	@test -n "$(WORKBOOK)" || { echo "usage: make check WORKBOOK=path/to/workbook.py"; exit 2; }
	$(BIN)/python -m checker "$(WORKBOOK)"
