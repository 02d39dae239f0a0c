# The two commands of the README: `make run` (embedded default) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DATA_DIR ?= ./var
export HOST PORT DATA_DIR

.PHONY: run test tools workbench test-sqlite test-postgresql openapi install clean audit screens bench-upload bench-reads bench-writes bench-scale bench-images

# Reinstall only when the dependencies change, so a second start is fast.
$(BIN)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(BIN)/.installed

# The OpenAPI client generator (openapi-python-client, docs/integrators.md) in a venv of its own:
# its httpx pin conflicts with the project's. Every package pinned; re-created only when the
# requirements change. tests/integrators/test_generated_client.py runs it.
TOOLS_VENV := .venv-tools
$(TOOLS_VENV)/.installed: tools/openapi-client/requirements.txt
	rm -rf $(TOOLS_VENV)
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --no-deps -r tools/openapi-client/requirements.txt
	touch $@

tools: $(TOOLS_VENV)/.installed

# 受理审批工作台 (workbench/): npm ci when its lock file changes, a Vite build when a source
# changes, into app/workbench/static (served at /workbench/). Needs Node 20 for the build only.
WORKBENCH_SOURCES := $(shell find workbench/src -type f) workbench/index.html workbench/vite.config.js

workbench/node_modules/.installed: workbench/package-lock.json
	cd workbench && npm ci --no-audit --no-fund
	touch $@

app/workbench/static/index.html: workbench/node_modules/.installed $(WORKBENCH_SOURCES)
	cd workbench && npm run build

workbench: app/workbench/static/index.html

run: install workbench
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/serve

# npm ci reinstalls only when the lock file changes.
miniprogram/node_modules/.installed: miniprogram/package-lock.json
	cd miniprogram && npm ci --no-audit --no-fund
	touch $@

# One pytest worker per core (pytest-xdist); tests go to whichever worker is free.
PYTEST := $(BIN)/pytest -n auto --dist worksteal

test: install tools miniprogram/node_modules/.installed workbench
	$(PYTEST)
	cd miniprogram && npm test

test-sqlite: install tools
	TEST_DATABASES=sqlite $(PYTEST)

test-postgresql: install tools
	TEST_DATABASES=postgresql $(PYTEST)

# Every mini program page as PNG (normal and 适老化) against a live demo backend, checked:
# miniprogram/screens/. Needs Debian's chromium and fonts-noto-cjk (.ci/run installs them).
# `make screens SCREENS_ARGS="--docs ../docs/screens"` also refreshes the README's screens.
screens: install miniprogram/node_modules/.installed
	$(BIN)/python scripts/screens $(SCREENS_ARGS)

# Known vulnerabilities in the pinned Python and npm dependencies. Needs a vulnerability source
# (PyPI's per-release JSON API or OSV, the npm audit endpoint): not reachable from the build
# machines, so this is run where they answer, before each release. Kept out of the project's venv.
audit:
	test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install --quiet pip-audit==2.10.1)
	.venv-audit/bin/pip-audit -r constraints.txt --strict
	cd miniprogram && npm audit --omit=dev

openapi: install
	$(BIN)/python -m app.cli openapi openapi/openapi.json

bench-upload: install
	$(BIN)/python bench/upload/run.py

bench-reads: install
	$(BIN)/python bench/reads/run.py

bench-writes: install
	$(BIN)/python bench/writes/run.py

bench-images: install
	$(BIN)/python bench/images/run.py

clean:
	rm -rf $(VENV) $(TOOLS_VENV) var .pytest_cache

bench-scale: install
	$(BIN)/python bench/scale/run.py
