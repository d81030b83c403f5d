# Pinqiao — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
APT_PACKAGES := chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# Web processes for `make run`: one per core (decision 0014); `make run WEB_WORKERS=4` to change.
WEB_WORKERS ?= $(shell nproc 2>/dev/null || echo 1)

.PHONY: run test venv venv-dev system-deps lint migrate-check test-sqlite test-postgres test-browser lock clean

$(VENV)/.base-installed: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.txt
	$(PIP) install -q -r requirements/dev.txt
	touch $@

venv: $(VENV)/.base-installed
venv-dev: $(VENV)/.dev-installed

## Serve on http://127.0.0.1:8000 with SQLite, a task worker and the scheduler beside it.
run: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "聘桥 running at http://127.0.0.1:8000  (Ctrl-C stops the server, worker and scheduler)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py db_worker & \
	  $(PY) manage.py run_scheduler & \
	  DJANGO_DEBUG=0 $(VENV)/bin/uvicorn pinqiao.asgi:application --host 127.0.0.1 --port 8000 \
	    --workers $(WEB_WORKERS) --no-access-log

## System packages the tests need (Chromium for browser tests, CJK fonts), from Debian.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: venv-dev
	$(VENV)/bin/ruff check .

migrate-check: venv-dev
	DJANGO_SETTINGS_MODULE=pinqiao.settings.test $(PY) manage.py makemigrations --check --dry-run >/dev/null

test-sqlite: venv-dev
	$(VENV)/bin/pytest -m "not browser" -n 2 -q

test-postgres: venv-dev
	@if $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== database tests on PostgreSQL ($(PG_URL))"; \
	  DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -m "not browser" -n 2 -q; \
	else \
	  echo "== PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL half"; \
	fi

test-browser: venv-dev system-deps
	$(VENV)/bin/pytest -m browser -q

## Everything CI runs: lint, migrations in step, SQLite, PostgreSQL (when reachable), Chromium.
test: system-deps lint migrate-check test-sqlite test-postgres test-browser

## Re-lock dependencies after editing requirements/*.in.
lock: venv-dev
	$(PIP) install -q pip-tools
	cd requirements && ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url base.in -o base.txt
	cd requirements && ../$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url dev.in -o dev.txt

clean:
	rm -rf $(VENV) var
