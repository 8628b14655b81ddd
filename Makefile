# Two commands for a new machine: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
LOCK    := requirements.lock
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 5000
CHROMIUM   := $(firstword $(wildcard /usr/bin/chromium) $(shell command -v chromium 2>/dev/null))
NODE_STAMP := tests/browser/node_modules/.installed-stamp

.PHONY: run test lint lock translations install demo clean bench browser-checkers screenshots

# Exactly the versions in requirements.lock, each checked against its hash (what CI tested);
# then Twinning itself, whose dependencies are all in the lock already.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# After changing dependencies in pyproject.toml: pins and hashes for every platform (the app's
# dependencies and the dev extra). Versions already in the lock are kept while pyproject allows
# them; `make lock UPGRADE=--upgrade` moves everything to the newest releases. Then `make install`.
lock:
	test -x $(BIN)/uv || $(MAKE) install
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet $(UPGRADE) -o $(LOCK)

translations: install
	$(BIN)/twinning translate compile >/dev/null

run: translations
	$(BIN)/twinning db upgrade
	$(BIN)/twinning demo
	@echo "Twinning runs at http://$(HOST):$(PORT) (stop with Ctrl-C)"
	$(BIN)/twinning run --host $(HOST) --port $(PORT)

# ruff (rules and formatting), bandit over the app's code (findings resolved, or justified
# inline with `# nosec`), and import-linter: the floors of docs/development.md.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet .
	$(BIN)/bandit -r twinning -q
	$(BIN)/lint-imports --no-cache

# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the system's java serves.
$(NODE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --prefix tests/browser
	touch $@

# axe-core and the Nu Html Checker for the browser tests; not needed when they are skipped.
browser-checkers: $(if $(CHROMIUM),$(NODE_STAMP))
	@$(if $(CHROMIUM),:,echo "Chromium not found: browser tests skipped")

# The whole suite on SQLite; again on PostgreSQL when TWINNING_TEST_DATABASE_URL is set.
# The browser tests run in the SQLite pass when Chromium is found (see tests/browser).
test: translations lint browser-checkers
	env -u TWINNING_TEST_DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$TWINNING_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$TWINNING_TEST_DATABASE_URL) =="; \
		$(BIN)/pytest -q -m "not browser"; \
	else \
		echo "TWINNING_TEST_DATABASE_URL is not set: the PostgreSQL pass was skipped."; \
	fi

# The key pages at 1280 and 390 px into docs/screenshots/ (committed; shown in README.md).
screenshots: translations browser-checkers
	TWINNING_SCREENSHOTS=1 $(BIN)/pytest -q -m browser tests/browser/test_screenshots.py

clean:
	rm -rf $(VENV) instance/outbox .pytest_cache tests/browser/node_modules tests/browser/.artifacts

# Load test on loopback: seed-scale data, gunicorn with 2 workers, wrk at 8 connections,
# against the reference floor app (../shared/bench/floor_app.py). See docs/performance.md.
bench: translations
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/run.py
