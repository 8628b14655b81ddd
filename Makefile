# Two commands for a new machine: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 5000

.PHONY: run test lint translations install demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/twinning translate compile >/dev/null

run: translations
	$(BIN)/twinning db upgrade
	$(BIN)/twinning demo
	@echo "Twinning runs at http://$(HOST):$(PORT) (stop with Ctrl-C)"
	$(BIN)/twinning run --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .

# The whole suite on SQLite; again on PostgreSQL when TWINNING_TEST_DATABASE_URL is set.
# The browser tests run in the SQLite pass when Chromium is found (see tests/browser).
test: translations lint
	env -u TWINNING_TEST_DATABASE_URL $(BIN)/pytest -q
	@if [ -n "$$TWINNING_TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$TWINNING_TEST_DATABASE_URL) =="; \
		$(BIN)/pytest -q -m "not browser"; \
	else \
		echo "TWINNING_TEST_DATABASE_URL is not set: the PostgreSQL pass was skipped."; \
	fi

clean:
	rm -rf $(VENV) instance/outbox .pytest_cache
