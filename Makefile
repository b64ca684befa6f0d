# The two commands a reader needs are `make serve` and `make test`; the rest are for maintainers.
# Every target first creates or refreshes the environment, and only when the dependency files
# changed.
#
# PYTHON: unset, make uses python3 if this course supports it (pyproject.toml's
# requires-python), else the newest supported python3.X on PATH, and says which
# (tools/find_python.sh); its environment is .venv/. Set, as in `make test PYTHON=python3.13`,
# that interpreter gets an environment of its own, .venv-3.13/, so .venv/ stays. `make
# doctest` installs only what the doc tests need, into .venv-doctest/ (.venv-doctest-3.13/).
ifeq ($(origin PYTHON),undefined)
VENV := .venv
DOCTEST_VENV := .venv-doctest
else
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV := .venv-$(or $(PY_VERSION),$(notdir $(PYTHON)))
DOCTEST_VENV := .venv-doctest-$(or $(PY_VERSION),$(notdir $(PYTHON)))
endif
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: serve build test doctest lint bench refresh drift compat lesson lock clean check

$(READY): pyproject.toml requirements.lock
	@tools/venv.sh "$(VENV)" "$(PYTHON)"
	@touch $@

# Both with ProperDocs, the continuation of MkDocs 1.x, as course/build.py says.
serve: $(READY)  ## build the site and serve it on http://127.0.0.1:8000 with live reload
	$(BIN)/python -m course.build --serve 127.0.0.1:8000

build: $(READY)  ## build the site strictly into site/
	$(BIN)/python -m course.build site

test: $(READY)  ## lint, then run every test: the snippets as doc tests, inventory, build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

$(DOCTEST_VENV)/.ready: pyproject.toml requirements.lock
	@tools/venv.sh --doctest "$(DOCTEST_VENV)" "$(PYTHON)"
	@touch $@

doctest: $(DOCTEST_VENV)/.ready  ## only the doc tests, with only what they need: make doctest PYTHON=python3.13
	$(DOCTEST_VENV)/bin/python -m pytest snippets

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

compat: $(READY)  ## make drift for each torch of [tool.course] compat-torch; writes the reports
	$(BIN)/python tools/compat.py $(TORCH)

lock: $(READY)  ## re-pin every dependency after editing pyproject.toml, for every Python
	$(BIN)/python tools/lock.py

clean:
	rm -rf site .venv .venv-3.* .venv-doctest* build *.egg-info

check: $(READY)  ## grade a lesson workbook: make check WORKBOOK=path/to/workbook.py
	@test -n "$(WORKBOOK)" || { echo "usage: make check WORKBOOK=path/to/workbook.py"; exit 2; }
	$(BIN)/python -m checker "$(WORKBOOK)"
