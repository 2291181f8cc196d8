# Rapport: `make run` starts the companion, `make test` runs every suite, `make bench` measures the store.
# Each target installs what it needs on a fresh machine (Python venv, npm packages) and skips what is there.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXT := extension
NPM_STAMP := $(EXT)/node_modules/.installed

.PHONY: run test test-python test-extension lint build extension bench clean

run: $(STAMP) build
	$(VENV)/bin/rapport serve $(ARGS)

test: $(STAMP) $(NPM_STAMP) build lint test-extension test-python

test-python: $(STAMP)
	$(PY) -m pytest tests -q

test-extension: $(NPM_STAMP)
	cd $(EXT) && npm test

lint: $(STAMP)
	$(VENV)/bin/ruff check companion tests

build extension: $(NPM_STAMP)
	node $(EXT)/build.mjs

bench: $(STAMP)
	$(PY) tests/bench/run_bench.py $(ARGS)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rapport needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(NPM_STAMP): $(EXT)/package.json $(EXT)/package-lock.json
	@command -v node >/dev/null || { echo "Rapport needs Node.js 20 or newer (apt-get install nodejs npm)"; exit 1; }
	cd $(EXT) && npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) $(EXT)/node_modules $(EXT)/dist .pytest_cache .ruff_cache *.egg-info
