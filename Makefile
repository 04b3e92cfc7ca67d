# Förderportal: build, run, test and lint from a fresh clone.
#
#   make run    install everything, migrate, load demo data, serve on 127.0.0.1:8000 (open http://localhost:8000)
#   make test   install everything, run the whole pytest suite with coverage and its floor
#               (pyproject.toml); to narrow: make test PYTEST_ARGS="-k foo" COVERAGE=
#   make lint   ruff check, ruff format --check, mypy (with its ratchet list), missing migrations,
#               Dockerfile, compose.yaml
#
# Installs are guarded by stamp files, so a repeated run only does work when pyproject.toml or
# package-lock.json changed. DATABASE_URL from the environment picks the database (default SQLite).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON_BOOTSTRAP ?= python3
VENV ?= .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
NPM ?= npm
HOST_PORT ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# A narrowed run covers less: COVERAGE= switches the measurement (and so the floor) off.
COVERAGE ?= --cov --cov-report=term

PY_STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
VENDOR_STAMP := static/vendor/.vendored-stamp

.PHONY: help install run test lint vendor messages clean screenshots

help:
	@echo "make run | make test | make lint | make screenshots | make vendor | make messages | make clean"

$(PYTHON):
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --disable-pip-version-check --quiet -e ".[dev,production]"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	touch $@

$(VENDOR_STAMP): $(NODE_STAMP) scripts/vendor_assets.py | $(PYTHON)
	$(PYTHON) scripts/vendor_assets.py
	touch $@

install: $(PY_STAMP) $(VENDOR_STAMP)

vendor: $(VENDOR_STAMP)

# Links in the demo's and the worker's mails point where the server listens, unless
# PORTAL_BASE_URL is set (README, "Port and development mails"). The host is localhost, not
# the address: browsers offer passkeys for a domain name only.
run: export PORTAL_BASE_URL ?= http://localhost:$(lastword $(subst :, ,$(HOST_PORT)))
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@# The mail worker (django-tasks-db) and the periodic jobs run beside the web server and
	@# are stopped with it, as worker and scheduler do in production (compose.yaml).
	$(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null || true' EXIT; \
	$(MANAGE) runserver $(HOST_PORT)

test: install
	$(VENV)/bin/pytest tests/ $(COVERAGE) $(PYTEST_ARGS)

# The browser tests photograph the main pages into docs/screenshots/ (shown in the README).
screenshots: install
	UPDATE_SCREENSHOTS=1 $(VENV)/bin/pytest -m browser tests/ $(PYTEST_ARGS)

lint: $(PY_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTHON) scripts/mypy_ratchet.py
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml

# German is the source language; this refreshes and compiles the English catalogue in locale/.
# The .mo is committed (as Django does), so running the site needs no gettext tools.
messages: $(PY_STAMP)
	$(MANAGE) makemessages -l en --no-obsolete $(foreach d,.venv node_modules static tests docs,--ignore='$(d)/*')
	$(MANAGE) compilemessages -l en --ignore='.venv' --ignore='node_modules'

clean:
	rm -rf node_modules static/vendor staticfiles
