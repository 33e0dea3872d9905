# blonet: `make demo` sets up and serves the embedded default; `make test` sets up and runs every tier.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/blonet
DEMO_ENV := BLONET_REQUIRE_MFA=0 BLONET_SECURE_COOKIES=0
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo demo-federation test setup serve lint typecheck importcheck schema schema-check messages makemessages \
        test-sqlite test-postgres system-deps clean bench

demo: setup
	$(DEMO_ENV) $(BIN)/blonet migrate --no-input -v 0
	$(DEMO_ENV) $(BIN)/blonet directory_load
	$(DEMO_ENV) $(BIN)/blonet demo_setup -v 0
	$(DEMO_ENV) $(BIN)/blonet records_generate --seizures 20000 --seed 1
	$(DEMO_ENV) $(BIN)/blonet screening_demo
	$(DEMO_ENV) $(BIN)/blonet exchange_demo
	$(DEMO_ENV) $(BIN)/blonet collectstatic --no-input -v 0
	@echo
	@$(DEMO_ENV) $(BIN)/blonet demo_setup
	@echo
	@echo "blonet demo: http://$(HOST):$(PORT)/  (SQLite under var/, one node, demo data)"
	@echo "NOTE: two-factor authentication is OFF in the demo (BLONET_REQUIRE_MFA=0) so you can look around at once."
	@echo "      Production keeps it on: every role except the read-only programme viewer must set up TOTP."
	$(DEMO_ENV) $(BIN)/blonet runserver $(HOST):$(PORT) --noreload

# Four nodes on this machine (REG, KZ, KG, UZ), each with its own SQLite database under var/lab/,
# web server (ports 8101-8104), nats-server, relay and consumer. Ctrl-C stops them all.
demo-federation: setup
	$(DEMO_ENV) $(BIN)/blonet federation_lab --fresh

setup: $(BIN)/.installed node_modules/.installed messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/.installed: $(BIN)/python requirements/lock.txt pyproject.toml
	$(BIN)/python -m pip install -q --upgrade "pip>=24"
	$(BIN)/pip install -q -r requirements/lock.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)

messages: system-deps $(BIN)/.installed
	cd src/blonet && ../../$(BIN)/blonet compilemessages -v 0 --ignore=.venv

makemessages: $(BIN)/.installed
	cd src/blonet && for l in en ru uz kk ky tg tk; do ../../$(BIN)/blonet makemessages -l $$l --no-obsolete -v 0 -i 'screening/matching/*'; done

chromium:
	@command -v /usr/bin/chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	$(BIN)/mypy

importcheck: $(BIN)/.installed
	$(BIN)/lint-imports

schema: $(BIN)/.installed
	BLONET_REQUIRE_MFA=0 $(BIN)/blonet spectacular --file docs/api/openapi.yaml --validate --fail-on-warn

schema-check: $(BIN)/.installed
	BLONET_REQUIRE_MFA=0 $(BIN)/blonet spectacular --file var/openapi.check.yaml --validate --fail-on-warn
	diff -u docs/api/openapi.yaml var/openapi.check.yaml || (echo "docs/api/openapi.yaml is out of date: run 'make schema'"; exit 1)

test: setup chromium lint typecheck importcheck schema-check test-sqlite test-postgres

test-sqlite: setup
	BLONET_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest -m "not postgres" -p no:cacheprovider

test-postgres: setup
	BLONET_VAR_DIR=$(CURDIR)/var/test BLONET_DATABASE_URL=$(PG_URL) BLONET_TEST_TIER=postgres \
	  $(BIN)/pytest -p no:cacheprovider

bench: setup
	$(BIN)/python bench/directory_latency.py

clean:
	rm -rf var/static var/test .pytest_cache .mypy_cache .ruff_cache
