# Rapport: `make run` starts the companion, `make test` runs every suite, `make bench` measures the store.
# Each target installs what it needs on a fresh machine (Python venv, npm packages) and skips what is there.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXT := extension
NPM_STAMP := $(EXT)/node_modules/.installed
FIREFOX_E2E := tests/e2e/firefox
FIREFOX_STAMP := $(FIREFOX_E2E)/node_modules/.installed
# The end-to-end tests drive Debian's browsers (never a downloaded one).
BROWSERS := /usr/bin/chromium /usr/bin/firefox-esr

VERSION = $(shell node -p "require('./$(EXT)/package.json').version")

.PHONY: run test test-python test-extension test-firefox lint build extension dist bench browsers clean

run: $(STAMP) build
	@echo "rapport: to have it start at every login instead: $(VENV)/bin/rapport autostart on $(filter-out --open,$(ARGS))"
	$(VENV)/bin/rapport serve $(ARGS)

# pytest runs last: its summary is the run's closing line.
test: $(STAMP) $(NPM_STAMP) $(FIREFOX_STAMP) browsers build lint test-extension test-firefox test-python

test-python: $(STAMP) build
	$(PY) -m pytest tests -q

# Some extension tests talk to a real `rapport serve` from the venv.
test-extension: $(NPM_STAMP) $(STAMP)
	cd $(EXT) && npm test
	cd $(EXT) && npm run lint

test-firefox: $(FIREFOX_STAMP) $(STAMP) build
	cd $(FIREFOX_E2E) && npm test

browsers:
	@missing=""; for b in $(BROWSERS); do test -x $$b || missing="$$missing $$b"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "Install Debian's chromium and firefox-esr (as root: apt-get install -y chromium firefox-esr)"; exit 1; fi; \
	  echo "installing chromium and firefox-esr for the end-to-end tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr >/dev/null; \
	fi

lint: $(STAMP) $(NPM_STAMP)
	$(VENV)/bin/ruff check companion tests
	cd $(EXT) && npx eslint .

build extension: $(NPM_STAMP)
	node $(EXT)/build.mjs

# Zip packages of both builds, ready for a store or for sharing: extension/dist/rapport-<browser>-<version>.zip
dist: build $(STAMP)
	rm -f $(EXT)/dist/*.zip
	cd $(EXT)/dist/chrome && ../../../$(PY) -m zipfile -c ../rapport-chrome-$(VERSION).zip *
	cd $(EXT)/dist/firefox && ../../../$(PY) -m zipfile -c ../rapport-firefox-$(VERSION).zip *
	@ls -l $(EXT)/dist/*.zip

# The content script while scrolling in real Chromium, an X archive import, then the store (whose JSON line
# comes last).
bench: $(STAMP) browsers build
	$(PY) tests/bench/content_bench.py
	$(PY) tests/bench/archive_bench.py
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

$(FIREFOX_STAMP): $(FIREFOX_E2E)/package.json $(FIREFOX_E2E)/package-lock.json
	cd $(FIREFOX_E2E) && npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf $(VENV) $(EXT)/node_modules $(EXT)/dist $(FIREFOX_E2E)/node_modules tests/artifacts .pytest_cache .ruff_cache *.egg-info
