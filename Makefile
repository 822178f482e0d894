# The two commands: `make run` (demo server on http://127.0.0.1:8000) and `make test`.
# Everything else here serves them. Works on a fresh clone: the first run creates .venv.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py
# The suite runs in parallel (pytest-xdist), one process per core up to four; every test
# owns its database, media folder, ports and clusters, so they cannot see each other.
PYTEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
PYTEST_ARGS ?= -n $(PYTEST_JOBS)
HOST ?= 127.0.0.1
PORT ?= 8000
NODE_STAMP := node_modules/.installed

# A Python >= 3.12: python3.13, python3.12 or python3 on PATH (each actually run, so pyenv
# shims for versions that are not active are passed over), then pyenv's installed versions.
# Override with `make PYTHON=/path/to/python ...`.
PYENV_DIR := $(or $(PYENV_ROOT),$(HOME)/.pyenv)
find_python = for candidate in python3.13 python3.12 python3 \
	    $$(ls -d $(PYENV_DIR)/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -V); do \
	  if command -v "$$candidate" >/dev/null 2>&1 && \
	     "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    command -v "$$candidate"; exit 0; \
	  fi; \
	done; exit 1
PYTHON ?= $(shell $(find_python))

# Dummy production environment for `check --deploy` (never used to serve anything).
DEPLOY_CHECK_ENV := DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	DATABASE_URL=sqlite://:memory: \
	ALLOWED_HOSTS=badges.example.org SITE_URL=https://badges.example.org \
	TRUSTED_PROXY_COUNT=1 AUDIT_CHECKPOINT_KEY_FILE=/run/secrets/audit-checkpoint-key.pem

.PHONY: help venv node run migrate seed test lint typecheck migrations-check deploy-check \
	test-sqlite test-postgres clean

help:
	@echo "make run    create .venv if needed, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   ruff, import layers, mypy, migrations check, deploy check, tests on SQLite and on PostgreSQL"
	@echo "parts:      venv node lint typecheck migrations-check deploy-check test-sqlite test-postgres clean"

venv: $(STAMP)

# (Re)install when the requirements change; create the virtualenv only when it is missing.
$(STAMP): requirements.txt requirements-dev.txt
	@if [ ! -x "$(PY)" ]; then \
	  if [ -z "$(PYTHON)" ]; then \
	    echo "error: no Python >= 3.12 found (tried python3.13, python3.12, python3 on PATH and" \
	         "$(PYENV_DIR)/versions/3.1x). Install one, or run: make PYTHON=/path/to/python3.12 ..." >&2; \
	    exit 1; \
	  fi; \
	  echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"; \
	  "$(PYTHON)" -m venv $(VENV); \
	fi
	@# (The grep hides pip's notes about configured package folders that do not exist here.)
	$(PY) -m pip install --quiet -r requirements-dev.txt 2>&1 \
	  | { grep -v "is ignored: it is neither a file nor a directory" || true; }
	@touch $@

# The independent implementations the conformance tests verify credentials with (pinned in
# package.json + package-lock.json; never used at run time). Without npm the tests that need
# them skip with the reason, except under CI=true, where they fail.
node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "SKIPPED: npm not found; the cross-implementation verification tests will skip."; \
	fi

migrate: venv
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

# The demo's absolute links (badge images, PDFs, QR codes, credential ids) follow the port it
# is served on; a SITE_URL in the environment wins.
run seed: export SITE_URL ?= http://$(HOST):$(PORT)

run: seed
	@echo "Serving on http://$(HOST):$(PORT)/ (demo logins above; Ctrl-C stops)"
	$(MANAGE) runserver $(HOST):$(PORT)

# ruff, then the one-way import layers between the apps (pyproject.toml [tool.importlinter];
# function-level imports count too).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# mypy with django-stubs on the files listed in pyproject.toml ([tool.mypy] files).
typecheck: venv
	$(VENV)/bin/mypy

migrations-check: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

deploy-check: venv
	$(DEPLOY_CHECK_ENV) $(MANAGE) check --deploy --fail-level WARNING

# DATABASE_URL is emptied so that this pass is SQLite whatever the shell has set.
test-sqlite: venv node
	DATABASE_URL= $(VENV)/bin/pytest $(PYTEST_ARGS)

# A throwaway PostgreSQL cluster (tests/tools/pgcluster.py) for the same suite, less the
# browser tests (tests/browser: pages in Chromium; they run once, in the SQLite pass). Where
# PostgreSQL is not installed this part is skipped with a message — except under CI=true.
test-postgres: venv node
	@if ! $(PY) tests/tools/pgcluster.py available; then \
	  if [ "$${CI:-}" = "true" ]; then \
	    echo "error: CI=true and PostgreSQL is not available: the PostgreSQL pass may not be skipped." >&2; \
	    exit 1; \
	  fi; \
	  echo "SKIPPED: the PostgreSQL pass (install PostgreSQL 15+ or set PG_BIN to run it)."; \
	  exit 0; \
	fi; \
	$(PY) tests/tools/pgcluster.py run -- \
	  $(VENV)/bin/pytest $(PYTEST_ARGS) -m "not browser"

test: lint typecheck migrations-check deploy-check test-sqlite test-postgres
	@echo "make test: all checks passed"

clean:
	rm -rf $(VENV) staticfiles node_modules
