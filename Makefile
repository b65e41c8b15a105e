# Glassnet: `make run` starts the app, `make test` runs every check. Both set up what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
STATIC := backend/glassnet/static/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null) $(wildcard shared_schemas/json/*.json)

.PHONY: run test setup frontend chromium schemas lint format pytest e2e bench clean

run: setup frontend
	$(BIN)/glassnet serve

test: setup frontend chromium
	$(BIN)/python -m shared_schemas.export --check
	$(BIN)/ruff check backend shared_schemas tests bench
	$(BIN)/ruff format --check backend shared_schemas tests bench
	$(BIN)/mypy
	cd frontend && npm run --silent check:types && npm run --silent lint && npm test --silent
	$(BIN)/pytest

setup: $(STAMP)

# Python: a venv with every dependency pinned (constraints.txt is the full resolved set).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,ray]'
	touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: $(STATIC)

$(STATIC): $(NODE_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build

# End-to-end tests drive Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

schemas: setup
	$(BIN)/python -m shared_schemas.export
	cd frontend && npm run --silent gen:types

lint: setup $(NODE_STAMP)
	$(BIN)/ruff check backend shared_schemas tests bench
	$(BIN)/ruff format --check backend shared_schemas tests bench
	$(BIN)/mypy
	cd frontend && npm run --silent lint

format: setup
	$(BIN)/ruff format backend shared_schemas tests bench
	$(BIN)/ruff check --fix backend shared_schemas tests bench

e2e: setup frontend chromium
	$(BIN)/pytest tests/e2e

bench: setup
	$(BIN)/python bench/small_nets.py
	$(BIN)/python bench/probes.py
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/server_speed.py
	$(BIN)/python bench/recurrent.py

clean:
	rm -rf $(VENV) frontend/node_modules backend/glassnet/static
